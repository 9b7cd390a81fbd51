import express, { Request, RequestHandler, Response, Router } from 'express';
import { assertAllowed } from '../shared/auth.directives';
import { authenticateRequests } from '../http/authenticate.middleware';
import { KEY_VERIFICATION_PATH, KEY_VERIFICATION_ROUTE } from './key-verification.route';
import { Logger } from '../logging/logger';
import { rateLimitRequests } from '../http/rate-limit.http';
import { Services } from '../services/services';
import { CLIENT_API_KEY_PATH, CLIENT_API_KEY_ROUTES } from './client-api-key.routes';
import { RestRoute } from './rest.route';
import { noStore } from '../http/responses';
import { refuseMalformedText } from '../http/request-text';
import { OPENAPI_DOCUMENT, OPENAPI_PATH } from './openapi';
import { answerError, restErrors, restRefusal, sendBody, sendKeywardError } from './rest.errors';
import { unknownField } from './rest.input';

export interface RestDependencies {
  services: Services;
  logger: Logger;
  /** The same body limit /graphql has. */
  bodyLimit: string;
}

/**
 * Every REST route, in the order they are matched: the one security table.
 * The OpenAPI document describes exactly these and itself.
 */
export const REST_ROUTES: readonly RestRoute[] = [...CLIENT_API_KEY_ROUTES, KEY_VERIFICATION_ROUTE];

/** Where REST lives, for the request metrics' closed set of route labels. */
export const REST_PATHS: readonly string[] = [CLIENT_API_KEY_PATH, KEY_VERIFICATION_PATH, OPENAPI_PATH];

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
  const textCheck = refuseMalformedText(restRefusal);
  const authenticate = authenticateRequests(
    deps.services.authenticator,
    restRefusal,
    deps.services.metrics,
    deps.services.failedAuthentications,
  );

  router.get(OPENAPI_PATH, (req, res) => {
    if (req.accepts('json')) res.json(OPENAPI_DOCUMENT);
    else sendBody(res, 406, 'NOT_ACCEPTABLE', `${OPENAPI_PATH} is JSON: send Accept: application/json`);
  });
  for (const route of REST_ROUTES) {
    // The caller's pool is charged the route's cost; a refusal is 429 in the REST error shape.
    const rateLimit = rateLimitRequests(deps.services.rateLimits, restRefusal, route.cost ?? 1);
    router[route.method](route.path, noStore, json, textCheck, authenticate, rateLimit, adapt(route, deps));
  }
  // Under the REST prefix, an unknown path or method answers in the REST shape, not express's HTML.
  router.use(CLIENT_API_KEY_PATH, noStore, (req, res) => {
    sendBody(res, 404, 'NOT_FOUND', `No route ${req.method} ${req.baseUrl}${req.path === '/' ? '' : req.path}`);
  });
  router.all(KEY_VERIFICATION_PATH, noStore, (req, res) => {
    res.set('Allow', 'POST');
    sendBody(res, 405, 'METHOD_NOT_ALLOWED', `${req.method} ${KEY_VERIFICATION_PATH} is not supported: POST {"key": "…"}`);
  });
  router.use(restErrors(deps.logger));
  return router;
}

function adapt(route: RestRoute, deps: RestDependencies): RequestHandler {
  return async (req: Request, res: Response) => {
    try {
      const caller = res.locals.caller;
      assertAllowed(caller.principal, route.requirement);
      const unknown = unknownField(req.body, req.query, { body: route.bodyFields ?? [], query: route.queryParameters ?? [] });
      // Named as the client wrote it, so not through the route's service-to-client fieldNames.
      if (unknown) return sendKeywardError(res, unknown);
      const answer = await route.handle(deps.services, caller, req);
      res.status(answer.status).json(answer.body);
    } catch (error) {
      answerError(deps.logger, req, res, error, route.fieldNames);
    }
  };
}
