import { ApolloServerPlugin } from '@apollo/server';
import { NextFunction, Request, RequestHandler, Response } from 'express';
import { operationLabel } from '../graphql/operation-cost';
import { Metrics } from '../observability/metrics';

/** Mounted paths, longest first: a request is counted under the one it falls in, so labels stay a closed set. */
const KNOWN_PATHS = ['/api/v1/client/api-key', '/v1/keys/verify', '/openapi.json', '/graphql', '/explorer', '/healthz', '/readyz', '/metrics'];

function routeOf(req: Request): string {
  // A matched express route knows its pattern (`/api/v1/client/api-key/:id`).
  if (typeof req.route?.path === 'string') return req.baseUrl + req.route.path;
  const path = req.originalUrl.split('?')[0];
  return KNOWN_PATHS.find((known) => path === known || path.startsWith(`${known}/`)) ?? 'unmatched';
}

/** Counts every answered request by method, route pattern and status. */
export function countRequests(metrics: Metrics): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    res.on('finish', () => metrics.httpRequest(req.method, routeOf(req), res.statusCode));
    next();
  };
}

/**
 * Counts GraphQL operations by what they ran (`query apiKeys`, `mutation
 * multiple`, `unresolved` when the document did not parse or validate) and
 * the HTTP status of their answer.
 */
export function graphqlMetricsPlugin(metrics: Metrics): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ operation, response }) {
          metrics.graphqlOperation(operationLabel(operation), response.http.status ?? 200);
        },
      };
    },
  };
}

/** GET /metrics in Prometheus' text format. Unauthenticated, like /healthz: expose it to the scraper's network only. */
export function metricsRoute(metrics: Metrics): RequestHandler {
  return async (_req, res, next) => {
    try {
      res.set('Content-Type', metrics.contentType).send(await metrics.render());
    } catch (error) {
      next(error);
    }
  };
}
