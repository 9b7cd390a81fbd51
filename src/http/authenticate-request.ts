import { IncomingMessage, ServerResponse } from 'node:http';
import { Caller } from '../shared/caller';
import { Authenticator } from '../authentication/authenticator';
import { Principal } from '../shared/principal';
import { countAuthorizationHeaders, extractCredential } from './credentials';
import { ErrorCode, KeywardError, UnauthenticatedError } from '../shared/errors';
import { Metrics } from '../observability/metrics';
import { looksLikeJwt } from '../authentication/user-token';
import { sendGraphQLErrors } from './graphql-over-http';
import { FailedAuthentications } from '../rate-limits/failed-authentications';
import { ClientAddressReader, clientIp, Query, queryOf } from './exchange';

/** What the door needs: the key and token checks, and where failures are counted. */
export interface Door {
  authenticator: Authenticator;
  metrics?: Metrics;
  failures?: FailedAuthentications;
  /** Where the client's address comes from (TRUST_PROXY, compiled by clientAddressReader); default: the socket's peer. */
  clientAddress?: ClientAddressReader;
}

/**
 * Who is calling: runs before any route or resolver. A request that presents a
 * credential which fails is refused (the promise rejects with the KeywardError
 * to answer), and nothing else runs. No credential: anonymous. Each failure counts
 * against the client address, and an address that has failed too often is
 * refused 429 before its credential is looked at.
 *
 * A cached key (or no credential) answers at once, without a promise: most
 * requests never wait here.
 */
export function authenticateRequest(
  door: Door,
  req: IncomingMessage,
  body: unknown,
  query: Query = queryOf(req),
): Caller | Promise<Caller> {
  const ip = (door.clientAddress ?? clientIp)(req);
  const userAgent = req.headers['user-agent'] ?? null;
  let credential: string | null = null;
  let outcome: Principal | Promise<Principal>;
  try {
    const authorization = req.headers.authorization;
    credential = extractCredential({
      authorization,
      authorizationCount: authorization === undefined ? 0 : countAuthorizationHeaders(req.rawHeaders),
      apiKeyHeader: headerValue(req.headers['x-api-key']),
      apiKeyQuery: query.api_key,
      body,
    });
    const throttled = credential === null ? null : door.failures?.refusal(ip);
    if (throttled) return refuse(door, ip, credential, throttled);
    outcome = door.authenticator.authenticate(credential, ip);
  } catch (error) {
    return refuse(door, ip, credential, error);
  }
  if (outcome instanceof Promise) {
    const presented = credential;
    return outcome.then(
      (principal) => ({ principal, ip, userAgent }),
      (error: unknown) => refuse(door, ip, presented, error),
    );
  }
  return { principal: outcome, ip, userAgent };
}

/** A refused credential: counted by reason, and an UNAUTHENTICATED one against the address, then rejected. */
function refuse(door: Door, ip: string | null, credential: string | null, error: unknown): Promise<never> {
  if (!(error instanceof KeywardError)) return Promise.reject(error);
  door.metrics?.authenticationFailed(failureCode(error, credential));
  if (!door.failures || !(error instanceof UnauthenticatedError)) return Promise.reject(error);
  return door.failures.failed(ip).then(() => Promise.reject(error));
}

/** express's req.get(): a repeated header's first value. */
function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Why a credential failed, for the metrics: the key check's code, INVALID_JWT, or the error's code. */
function failureCode(error: KeywardError, credential: string | null): string {
  if (error instanceof UnauthenticatedError && error.reason) return error.reason;
  if (credential !== null && looksLikeJwt(credential) && error.code === ErrorCode.UNAUTHENTICATED) return 'INVALID_JWT';
  return error.code;
}

/**
 * A refusal in GraphQL's response shape, in the media type the client accepts
 * (application/graphql-response+json or application/json), with the HTTP
 * status the error calls for: the status, not a 200, because nothing ran.
 */
export function graphqlRefusal(res: ServerResponse, error: KeywardError): void {
  if (error.httpStatus === 401) res.setHeader('WWW-Authenticate', 'Bearer');
  if (typeof error.extensions.retryAfter === 'number') res.setHeader('Retry-After', String(error.extensions.retryAfter));
  sendGraphQLErrors(res.req, res, error.httpStatus, [{ message: error.message, extensions: error.extensions }]);
}
