import { NextFunction, Request, Response } from 'express';
import { Caller } from '../auth/caller';
import { Authenticator } from '../auth/authenticator';
import { extractCredential } from '../auth/credentials';
import { KeywardError } from '../common/errors';

declare module 'express-serve-static-core' {
  interface Locals {
    caller: Caller;
  }
}

/**
 * Runs before any resolver: a request that presents a credential which fails
 * is answered 401 here, and nothing else runs. No credential: anonymous.
 */
export function authenticateRequests(authenticator: Authenticator, onRefused: (res: Response, error: KeywardError) => void) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      const credential = extractCredential({
        authorization: req.get('authorization'),
        apiKeyHeader: req.get('x-api-key'),
        apiKeyQuery: req.query.api_key,
        body: req.body,
      });
      const principal = await authenticator.authenticate(credential);
      res.locals.caller = { principal, ip: req.ip ?? null, userAgent: req.get('user-agent') ?? null };
      next();
    } catch (error) {
      if (error instanceof KeywardError) onRefused(res, error);
      else next(error);
    }
  };
}

/** A refusal in GraphQL's response shape, with the HTTP status the error calls for. */
export function graphqlRefusal(res: Response, error: KeywardError): void {
  if (error.httpStatus === 401) res.set('WWW-Authenticate', 'Bearer');
  res.status(error.httpStatus).json({ errors: [{ message: error.message, extensions: error.extensions }] });
}
