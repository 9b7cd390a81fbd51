import express, { Router } from 'express';
import { IncomingMessage, ServerResponse } from 'node:http';
import { assertAllowed } from '../shared/auth.directives';
import { Caller } from '../shared/caller';
import { KeywardError } from '../shared/errors';
import { authenticateRequest, Door } from '../http/authenticate-request';
import { KEY_VERIFICATION_PATH, KEY_VERIFICATION_ROUTE } from './key-verification.route';
import { Logger } from '../logging/logger';
import { chargeRequest } from '../http/rate-limit.http';
import { Services } from '../services/services';
import { CLIENT_API_KEY_PATH, CLIENT_API_KEY_ROUTES } from './client-api-key.routes';
import { KEY_USAGE_ROUTE } from './key-usage.route';
import { RestAnswer, RestRoute } from './rest.route';
import { noStore } from '../http/responses';
import { readJsonBody } from '../http/json-body';
import { addField, admitCaller, JSON_UTF8, queryOf, sendJson, sendText } from '../http/exchange';
import { malformedTextRefusal } from '../http/request-text';
import { OPENAPI_DOCUMENT, OPENAPI_PATH } from './openapi';
import { answerError, restErrors, restRefusal, sendBody, sendKeywardError } from './rest.errors';
import { unknownField } from './rest.input';
import { GITHUB_SECRET_SCANNING_PATH, LEAK_REPORT_PATH, mountLeakRoutes } from './leak-report.routes';

/**
 * Every REST route, in the order they are matched: the one security table.
 * The OpenAPI document describes exactly these and itself.
 */
export const REST_ROUTES: readonly RestRoute[] = [...CLIENT_API_KEY_ROUTES, KEY_USAGE_ROUTE, KEY_VERIFICATION_ROUTE];

/** Where REST lives, for the request metrics' closed set of route labels. */
export const REST_PATHS: readonly string[] = [
  CLIENT_API_KEY_PATH,
  KEY_VERIFICATION_PATH,
  LEAK_REPORT_PATH,
  GITHUB_SECRET_SCANNING_PATH,
  OPENAPI_PATH,
];

export interface RestDependencies {
  services: Services;
  door: Door;
  logger: Logger;
}

/**
 * The REST surface: a thin adapter over the services GraphQL uses. Every
 * route is answered by restRoute (the one pipeline); express only finds it.
 */
export function createRestRouter(deps: RestDependencies): Router {
  const router = express.Router();
  router.get(OPENAPI_PATH, (req, res) => {
    if (req.accepts('json')) res.json(OPENAPI_DOCUMENT);
    else sendBody(res, 406, 'NOT_ACCEPTABLE', `${OPENAPI_PATH} is JSON: send Accept: application/json`);
  });
  // Before the table's routes: they take no credential, so they are no rows of it (see leak-report.routes.ts).
  mountLeakRoutes(router, deps);
  for (const route of REST_ROUTES) {
    const answer = restRoute(route, deps);
    router[route.method](route.path, (req, res) => answer(req, res, req.params as Record<string, string>));
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

/** What a route without path parameters (every hot one) hands its handler: shared, frozen. */
const NO_PARAMS: Record<string, string> = Object.freeze({});

/** A route's answer, as it asked: JSON it wrote itself, or a body to serialise. */
function sendAnswer(res: ServerResponse, answer: RestAnswer): void {
  if (answer.json === undefined) sendJson(res, answer.status, answer.body);
  else sendText(res, answer.status, JSON_UTF8, answer.json);
}

export type RestHandler = (req: IncomingMessage, res: ServerResponse, params?: Record<string, string>) => void;

/**
 * One route, start to end, on node:http's request and answer: no-store; the
 * JSON body (any JSON value, so a body that is not an object is told so, not
 * called unreadable); half characters refused; the same credential check as
 * /graphql (a presented credential that fails is 401 before anything else);
 * the caller's pool charged the route's cost (429 when empty); the same
 * assertAllowed as @auth; unknown fields refused; then the route's adapter.
 */
export function restRoute(route: RestRoute, deps: RestDependencies): RestHandler {
  const { services, door, logger } = deps;
  const points = route.cost ?? 1;
  const known = { body: route.bodyFields ?? [], query: route.queryParameters ?? [] };

  // Closures only where an answer has to wait: the rest of a request made with a cached key runs without making any.
  const run = (req: IncomingMessage, res: ServerResponse, body: unknown, caller: Caller, params: Record<string, string>) => {
    const query = queryOf(req);
    assertAllowed(caller.principal, route.requirement);
    // Named as the client wrote it, so not through the route's service-to-client fieldNames.
    const unknown = unknownField(body, query, known);
    if (unknown) return sendKeywardError(res, unknown);
    const answer = route.handle(services, caller, { body, query, params });
    return answer instanceof Promise ? answer.then((settled) => sendAnswer(res, settled)) : sendAnswer(res, answer);
  };

  const proceed = (
    req: IncomingMessage,
    res: ServerResponse,
    body: unknown,
    caller: Caller,
    params: Record<string, string>,
    refusal: KeywardError | null,
  ) => (refusal ? sendKeywardError(res, refusal) : run(req, res, body, caller, params));

  const admitted = (req: IncomingMessage, res: ServerResponse, body: unknown, caller: Caller, params: Record<string, string>) => {
    admitCaller(res, caller);
    const charged = chargeRequest(services, res, caller.principal, points, services.usage);
    return charged instanceof Promise
      ? charged.then((refusal) => proceed(req, res, body, caller, params, refusal))
      : proceed(req, res, body, caller, params, charged);
  };

  const fail = (req: IncomingMessage, res: ServerResponse, error: unknown) => answerError(logger, req, res, error, route.fieldNames);

  const withBody = (req: IncomingMessage, res: ServerResponse, body: unknown, params: Record<string, string>): void => {
    const malformed = malformedTextRefusal(body);
    if (malformed) return restRefusal(res, malformed);
    const caller = authenticateRequest(door, req, body);
    if (caller instanceof Promise) {
      caller
        .then(
          (who) => admitted(req, res, body, who, params),
          (error: unknown) => (error instanceof KeywardError ? restRefusal(res, error) : fail(req, res, error)),
        )
        .catch((error: unknown) => fail(req, res, error));
      return;
    }
    try {
      const outcome = admitted(req, res, body, caller, params);
      if (outcome instanceof Promise) outcome.catch((error: unknown) => fail(req, res, error));
    } catch (error) {
      fail(req, res, error);
    }
  };

  return (req, res, params = NO_PARAMS) => {
    // Added, not set: every answer from here ends in sendText, which writes it.
    addField(res, 'Cache-Control', 'no-store');
    readJsonBody(req, res, { strict: false }).then(
      (body) => withBody(req, res, body, params),
      (error) => answerError(logger, req, res, error),
    );
  };
}
