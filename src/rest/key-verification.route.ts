import express, { Request, Response, Router } from 'express';
import { assertAllowed } from '../shared/auth.directives';
import { BadUserInputError } from '../shared/errors';
import { authenticateRequests } from '../http/authenticate.middleware';
import { Logger } from '../logging/logger';
import { Permission } from '../shared/permission';
import { rateLimitRequests } from '../http/rate-limit.http';
import { answerError, restErrors, restRefusal, sendBody } from './rest.errors';
import { jsonObject } from './rest.input';
import { Services } from '../services/services';
import { KeyVerification } from '../authentication/key-verification.type';

export const KEY_VERIFICATION_PATH = '/v1/keys/verify';

/** The same rule verifyApiKey declares with @auth; the OpenAPI document states it too. */
export const KEY_VERIFICATION_REQUIREMENT = {
  kind: 'permission',
  permission: Permission.KEYS_VERIFY,
  operatorToo: true,
} as const;

/**
 * POST /v1/keys/verify `{"key": "…"}`: the REST twin of verifyApiKey, for
 * services that would rather not speak GraphQL. Same credentials and error
 * shape as the other REST routes; 200 with the verification whatever its
 * outcome (a refused key is an answer, not an error of this call). The
 * caller's pool is reported but not charged: the verified key's pool is.
 */
export function keyVerificationRouter(deps: { services: Services; logger: Logger; bodyLimit: string }): Router {
  const router = express.Router();
  router.post(
    KEY_VERIFICATION_PATH,
    (_req, res, next) => {
      res.set('Cache-Control', 'no-store');
      next();
    },
    express.json({ limit: deps.bodyLimit, strict: false }),
    authenticateRequests(deps.services.authenticator, restRefusal, deps.services.metrics),
    rateLimitRequests(deps.services.rateLimits, restRefusal, 0),
    async (req: Request, res: Response) => {
      try {
        assertAllowed(res.locals.caller.principal, KEY_VERIFICATION_REQUIREMENT);
        const key = jsonObject(req.body).key;
        if (typeof key !== 'string' || key.trim() === '') throw new BadUserInputError('key', 'key must be the API key to verify, as a string');
        const verification = await deps.services.keyVerification.verify(res.locals.caller, key);
        res.status(200).json({ ok: true, data: present(verification) });
      } catch (error) {
        answerError(deps.logger, req, res, error);
      }
    },
  );
  router.all(KEY_VERIFICATION_PATH, (req, res) => {
    res.set('Allow', 'POST');
    sendBody(res, 405, 'METHOD_NOT_ALLOWED', `${req.method} ${KEY_VERIFICATION_PATH} is not supported: POST {"key": "…"}`);
  });
  router.use(KEY_VERIFICATION_PATH, restErrors(deps.logger));
  return router;
}

/** In the REST contract's snake_case; permissions as resource:action, like the key routes. */
function present(v: KeyVerification) {
  return {
    valid: v.valid,
    code: v.code,
    prefix: v.prefix,
    kind: v.kind?.toLowerCase() ?? null,
    account: v.account ? { id: String(v.account.id), name: v.account.name } : null,
    client: v.client ? { id: String(v.client.id), name: v.client.name } : null,
    permissions: v.permissions,
    expires_at: v.expiresAt?.toISOString() ?? null,
    rate_limit: v.rateLimit
      ? { limit: v.rateLimit.limit, remaining: v.rateLimit.remaining, reset_at: v.rateLimit.resetAt.toISOString() }
      : null,
  };
}
