import { RequestHandler } from 'express';
import { Metrics } from '../observability/metrics';

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
