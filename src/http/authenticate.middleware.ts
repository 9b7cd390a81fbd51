import { NextFunction, Request, Response } from 'express';
import { Caller } from '../auth/caller';
import { Authenticator } from '../auth/authenticator';
import { extractCredential } from '../auth/credentials';
import { ErrorCode, KeywardError, UnauthenticatedError } from '../common/errors';
import { Metrics } from '../observability/metrics';
import { looksLikeJwt } from '../auth/user-token';
import { sendGraphQLErrors } from './graphql-over-http';

declare module 'express-serve-static-core' {
  interface Locals {
    caller: Caller;
  }
}

/**
 * Runs before any resolver: a request that presents a credential which fails
 * is answered 401 here, and nothing else runs. No credential: anonymous.
 */
export function authenticateRequests(
  authenticator: Authenticator,
  onRefused: (res: Response, error: KeywardError) => void,
  metrics?: Metrics,
) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    let credential: string | null = null;
    try {
      credential = extractCredential({
        authorization: req.get('authorization'),
        apiKeyHeader: req.get('x-api-key'),
        apiKeyQuery: req.query.api_key,
        body: req.body,
      });
      const principal = await authenticator.authenticate(credential, req.ip ?? null);
      res.locals.caller = { principal, ip: req.ip ?? null, userAgent: req.get('user-agent') ?? null };
      next();
    } catch (error) {
      if (!(error instanceof KeywardError)) return next(error);
      metrics?.authenticationFailed(failureCode(error, credential));
      onRefused(res, error);
    }
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
  sendGraphQLErrors(res.req, res, error.httpStatus, [{ message: error.message, extensions: error.extensions }]);
}
