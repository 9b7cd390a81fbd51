import { IncomingMessage, ServerResponse } from 'node:http';
import { actorLabel } from '../shared/principal';
import { Logger, redactUrlCredentials } from '../logging/logger';
import { Metrics } from '../observability/metrics';
import { callerOf, pathOf, urlOf } from './exchange';

/** Probes and scrapes would drown the log: one line each every few seconds, saying nothing new. */
const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

type ExpressParts = { baseUrl?: string; route?: { path?: unknown } };

/**
 * What every answered request leaves behind, at the front door (before any
 * route, express's or not):
 *
 * - a count by method, route pattern and status (`keyward_http_requests_total`).
 *   `mountedPaths`: where the app mounts its routes (the wiring names them from
 *   each adapter's own constants); a request no route matched is counted under
 *   the one it falls in, or `unmatched`, so labels stay a closed set;
 * - one JSON log line, when its answer is sent (or its connection drops):
 *   method, path, status, time, and who called (`actor`: a key's prefix,
 *   `user:<sub>`, `operator`). What a credential can arrive in is never
 *   logged: no request headers but the user agent, no bodies, and the URL
 *   with api_key values and anything shaped like a key or a JWT masked
 *   (redactUrlCredentials). Server faults (5xx) log at error, the rest at info.
 *
 * One listener per request. At `warn` (production's usual level) only 5xx
 * answers make a line, so a dropped connection, which logs at info, is not
 * listened for at all. (Written on pino rather than pino-http, which makes
 * two child loggers for every request whatever the level.)
 */
export function observeRequests(logger: Logger, metrics: Metrics, mountedPaths: readonly string[]) {
  // Longest first: a path under /api/v1/client/api-key is not counted under a shorter mount.
  const known = [...mountedPaths].sort((a, b) => b.length - a.length);
  const routeOf = (req: IncomingMessage & ExpressParts): string => {
    // A matched express route knows its pattern (`/api/v1/client/api-key/:id`). A route that passed the
    // request on (next()) leaves req.route behind but its router's baseUrl gone: that answer was not the route's.
    if (typeof req.route?.path === 'string' && req.baseUrl !== undefined) return req.baseUrl + req.route.path;
    const path = urlOf(req).split('?')[0];
    return known.find((mount) => path === mount || path.startsWith(`${mount}/`)) ?? 'unmatched';
  };
  let lastId = 0;

  /** `route`: the route's label when the caller already knows it (the hot routes do). */
  return (req: IncomingMessage, res: ServerResponse, route?: string): void => {
    const quiet = QUIET_PATHS.has(pathOf(req));
    const id = ++lastId;
    const started = Date.now();
    let done = false;
    const log = (): void => {
      if (done || quiet) return;
      done = true;
      const sent = res.writableFinished;
      const failed = res.statusCode >= 500;
      const level = failed ? 'error' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      const caller = callerOf(res);
      logger[level](
        {
          req: { id, method: req.method, url: redactUrlCredentials(urlOf(req)), userAgent: req.headers['user-agent'] },
          res: { statusCode: res.statusCode },
          responseTime: Date.now() - started,
          ...(caller && { actor: actorLabel(caller.principal) }),
        },
        // An answer cut off before it was sent (the client went away) says so.
        sent ? (failed ? 'request failed' : 'request completed') : 'request aborted',
      );
    };
    res.once('finish', () => {
      metrics.httpRequest(req.method ?? 'GET', route ?? routeOf(req), res.statusCode);
      log();
    });
    if (!quiet && logger.isLevelEnabled('info')) res.once('close', log);
  };
}
