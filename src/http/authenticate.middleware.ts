import { NextFunction, Request, Response } from 'express';
import { Caller } from '../shared/caller';
import { Authenticator } from '../authentication/authenticator';
import { Principal } from '../shared/principal';
import { countAuthorizationHeaders, extractCredential } from './credentials';
import { ErrorCode, KeywardError, UnauthenticatedError } from '../shared/errors';
import { Metrics } from '../observability/metrics';
import { looksLikeJwt } from '../authentication/user-token';
import { sendGraphQLErrors } from './graphql-over-http';
import { FailedAuthentications } from '../rate-limits/failed-authentications';

declare module 'express-serve-static-core' {
  interface Locals {
    caller: Caller;
  }
}

/**
 * Runs before any resolver: a request that presents a credential which fails
 * is answered 401 here, and nothing else runs. No credential: anonymous.
 * Each failure counts against the client address (`failures`), and an
 * address that has failed too often is refused 429 before its credential is
 * looked at.
 */
export function authenticateRequests(
  authenticator: Authenticator,
  onRefused: (res: Response, error: KeywardError) => void,
  metrics?: Metrics,
  failures?: FailedAuthentications,
) {
  return (req: Request, res: Response, next: NextFunction): Promise<void> | void => {
    let credential: string | null = null;
    const ip = req.ip ?? null;
    const refuse = (error: unknown): void => {
      if (!(error instanceof KeywardError)) return next(error);
      metrics?.authenticationFailed(failureCode(error, credential));
      if (!failures || !(error instanceof UnauthenticatedError)) return onRefused(res, error);
      failures.failed(ip).then(() => onRefused(res, error), next);
    };
    const admit = (principal: Principal): void => {
      res.locals.caller = { principal, ip, userAgent: req.headers['user-agent'] ?? null };
      next();
    };
    let outcome: Principal | Promise<Principal>;
    try {
      const authorization = req.headers.authorization;
      credential = extractCredential({
        authorization,
        authorizationCount: authorization === undefined ? 0 : countAuthorizationHeaders(req.rawHeaders),
        apiKeyHeader: req.get('x-api-key'),
        apiKeyQuery: req.query.api_key,
        body: req.body,
      });
      const throttled = credential === null ? null : failures?.refusal(ip);
      if (throttled) return refuse(throttled);
      outcome = authenticator.authenticate(credential, ip);
    } catch (error) {
      return refuse(error);
    }
    // A cached key (or no credential) goes on at once; express takes the promise of the rest.
    if (outcome instanceof Promise) return outcome.then(admit, refuse);
    admit(outcome);
  };
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
export function graphqlRefusal(res: Response, error: KeywardError): void {
  if (error.httpStatus === 401) res.set('WWW-Authenticate', 'Bearer');
  if (typeof error.extensions.retryAfter === 'number') res.set('Retry-After', String(error.extensions.retryAfter));
  sendGraphQLErrors(res.req, res, error.httpStatus, [{ message: error.message, extensions: error.extensions }]);
}
