import { NextFunction, Request, RequestHandler, Response } from 'express';
import { Metrics } from '../observability/metrics';

/**
 * Counts every answered request by method, route pattern and status.
 * `mountedPaths`: where the app mounts its routes (the wiring names them from
 * each adapter's own constants); a request no route matched is counted under
 * the one it falls in, or `unmatched`, so labels stay a closed set.
 */
export function countRequests(metrics: Metrics, mountedPaths: readonly string[]): RequestHandler {
  // Longest first: a path under /api/v1/client/api-key is not counted under a shorter mount.
  const known = [...mountedPaths].sort((a, b) => b.length - a.length);
  const routeOf = (req: Request): string => {
    // A matched express route knows its pattern (`/api/v1/client/api-key/:id`). A route that passed the
    // request on (next()) leaves req.route behind but its router's baseUrl gone: that answer was not the route's.
    if (typeof req.route?.path === 'string' && req.baseUrl !== undefined) return req.baseUrl + req.route.path;
    const path = req.originalUrl.split('?')[0];
    return known.find((mount) => path === mount || path.startsWith(`${mount}/`)) ?? 'unmatched';
  };
  return (req: Request, res: Response, next: NextFunction) => {
    res.on('finish', () => metrics.httpRequest(req.method, routeOf(req), res.statusCode));
    next();
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
