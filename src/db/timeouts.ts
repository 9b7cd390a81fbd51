import { ServiceUnavailableError } from '../shared/errors';

/** What a client is told to wait after a database call timed out: long enough for a failover or a restart to show. */
const RETRY_AFTER_SECONDS = 5;

/**
 * `work`, or a 503 SERVICE_UNAVAILABLE once it has taken `ms`
 * (DATABASE_TIMEOUT_SECONDS). A database that accepts connections and never
 * answers would otherwise hold the request until the TCP connection dies.
 * The call itself is not cancelled (neither driver can): it finishes, or
 * fails, on its own; only the request stops waiting for it.
 */
export function withDatabaseTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ServiceUnavailableError(`The database did not answer within ${ms / 1000} s; retry shortly`, RETRY_AFTER_SECONDS)),
      ms,
    );
  });
  return Promise.race([work, timedOut]).finally(() => clearTimeout(timer));
}
