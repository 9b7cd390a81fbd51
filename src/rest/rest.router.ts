import express, { Request, RequestHandler, Response, Router } from 'express';
import { assertAllowed } from '../shared/auth.directives';
import { authenticateRequests } from '../http/authenticate.middleware';
import { keyVerificationRouter } from './key-verification.route';
import { Logger } from '../logging/logger';
import { rateLimitRequests } from '../http/rate-limit.http';
import { Services } from '../services/services';
import { CLIENT_API_KEY_PATH, CLIENT_API_KEY_ROUTES, RestRoute } from './client-api-key.routes';
import { OPENAPI_DOCUMENT, OPENAPI_PATH } from './openapi';
import { answerError, restErrors, restRefusal, sendBody } from './rest.errors';

export interface RestDependencies {
  services: Services;
  logger: Logger;
  /** The same body limit /graphql has. */
  bodyLimit: string;
}

/**
 * The client-key REST routes, in the order they are matched. The OpenAPI
 * document describes exactly these, POST /v1/keys/verify and itself.
 */
export const REST_ROUTES: readonly RestRoute[] = [...CLIENT_API_KEY_ROUTES];

/**
 * The REST surface: a thin adapter over the services GraphQL uses. Each route
 * runs the same credential middleware as /graphql (a presented credential
 * that fails is answered 401 before anything else), then the same
 * assertAllowed as @auth, then its adapter.
 */
export function createRestRouter(deps: RestDependencies): Router {
  const router = express.Router();
  // Any JSON parses, so a body that is JSON but not an object is told so, not called unreadable.
  const json = express.json({ limit: deps.bodyLimit, strict: false });
  const authenticate = authenticateRequests(deps.services.authenticator, restRefusal, deps.services.metrics);
  // One point of the caller's pool per request; a refusal is 429 in the REST error shape.
  const rateLimit = rateLimitRequests(deps.services.rateLimits, restRefusal);

  router.get(OPENAPI_PATH, (_req, res) => {
    res.json(OPENAPI_DOCUMENT);
  });
  for (const route of REST_ROUTES) {
    router[route.method](route.path, noStore, json, authenticate, rateLimit, adapt(route, deps));
  }
  // Under the REST prefix, an unknown path or method answers in the REST shape, not express's HTML.
  router.use(CLIENT_API_KEY_PATH, noStore, (req, res) => {
    sendBody(res, 404, 'NOT_FOUND', `No route ${req.method} ${req.baseUrl}${req.path === '/' ? '' : req.path}`);
  });
  router.use(keyVerificationRouter(deps));
  router.use(restErrors(deps.logger));
  return router;
}

function adapt(route: RestRoute, deps: RestDependencies): RequestHandler {
  return async (req: Request, res: Response) => {
    try {
      const caller = res.locals.caller;
      assertAllowed(caller.principal, { kind: 'permission', permission: route.permission });
      const answer = await route.handle(deps.services, caller, req);
      res.status(answer.status).json(answer.body);
    } catch (error) {
      answerError(deps.logger, req, res, error, route.fieldNames);
    }
  };
}

/** Answers can carry a raw key; no cache along the way may keep one. */
const noStore: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store');
  next();
};
