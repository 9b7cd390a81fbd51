import { DataSource, QueryRunner, ReplicationMode } from 'typeorm';
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

/**
 * Bounds every statement the server sends, not only the key lookup: a list,
 * a mutation's transaction, a write-behind flush. Every TypeORM query
 * (repositories, query builders, managers, transactions) runs on a query
 * runner from `createQueryRunner`, so wrapping the runners' `connect` (a
 * pool connection that must be opened) and `query` is the one place that
 * covers them all. Applied after the migrations, which may rightly take
 * longer.
 */
export function boundStatementTime(dataSource: DataSource, ms: number): void {
  const create = dataSource.createQueryRunner.bind(dataSource);
  dataSource.createQueryRunner = (mode?: ReplicationMode): QueryRunner => {
    const runner = create(mode);
    const connect = runner.connect.bind(runner);
    const query = runner.query.bind(runner);
    runner.connect = () => withDatabaseTimeout(Promise.resolve(connect()), ms);
    runner.query = ((...args: Parameters<QueryRunner['query']>) => withDatabaseTimeout(query(...args), ms)) as QueryRunner['query'];
    return runner;
  };
}
