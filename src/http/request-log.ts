import { NextFunction, Request, RequestHandler, Response } from 'express';
import { actorLabel } from '../shared/principal';
import { Logger, redactUrlCredentials } from '../logging/logger';

/** Probes and scrapes would drown the log: one line each every few seconds, saying nothing new. */
const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * One JSON line per request, when its answer is sent (or its connection
 * drops): method, path, status, time, and who called (`actor`: a key's
 * prefix, `user:<sub>`, `operator`). What a credential can arrive in is
 * never logged: no request headers but the user agent, no bodies, and the
 * URL with api_key values and anything shaped like a key or a JWT masked
 * (redactUrlCredentials). Server faults (5xx) log at error, the rest at info.
 *
 * Written here on pino rather than with pino-http: pino-http makes two
 * child loggers for every request, and for an authenticated one a third
 * when it finishes, whatever the log level, which cost an authenticated
 * request about as much as checking its key (bench/README.md). Here a
 * request whose line the level drops costs a listener and a comparison.
 */
export function requestLogger(logger: Logger): RequestHandler {
  let lastId = 0;
  return (req: Request, res: Response, next: NextFunction) => {
    const path = (req.url ?? '').split('?')[0];
    if (QUIET_PATHS.has(path)) return next();
    const id = ++lastId;
    const started = Date.now();
    let logged = false;
    const done = () => {
      if (logged) return;
      logged = true;
      res.off('close', done);
      const failed = res.statusCode >= 500;
      const level = failed ? 'error' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      const caller = res.locals.caller;
      logger[level](
        {
          req: {
            id,
            method: req.method,
            url: redactUrlCredentials(req.originalUrl ?? req.url ?? ''),
            userAgent: req.headers['user-agent'],
          },
          res: { statusCode: res.statusCode },
          responseTime: Date.now() - started,
          ...(caller && { actor: actorLabel(caller.principal) }),
        },
        // An answer cut off before it was sent (the client went away) says so.
        res.writableFinished ? (failed ? 'request failed' : 'request completed') : 'request aborted',
      );
    };
    res.once('finish', done);
    res.once('close', done);
    next();
  };
}
