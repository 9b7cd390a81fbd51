import { IncomingMessage, ServerResponse } from 'node:http';
import { Response } from 'express';
import pinoHttp from 'pino-http';
import { actorLabel } from '../auth/principal';
import { Logger, redactUrlCredentials } from '../logging/logger';

/** Probes and scrapes would drown the log: one line each every few seconds, saying nothing new. */
const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * One JSON line per request (pino-http): method, path, status, time, and who
 * called (`actor`: a key's prefix, `user:<sub>`, `operator`). What a
 * credential can arrive in is never logged: no request headers but the
 * user agent, no bodies, and the URL with api_key values and anything shaped
 * like a key or a JWT masked (redactUrlCredentials).
 */
export function requestLogger(logger: Logger) {
  return pinoHttp({
    logger,
    // Our serializers see the raw request: nothing of it is logged unless named below.
    wrapSerializers: false,
    autoLogging: { ignore: (req) => QUIET_PATHS.has((req.url ?? '').split('?')[0]) },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
    customProps: (_req, res) => {
      const caller = (res as Response).locals?.caller;
      return caller ? { actor: actorLabel(caller.principal) } : {};
    },
    serializers: {
      req: (req: IncomingMessage & { originalUrl?: string; id?: unknown }) => ({
        id: req.id,
        method: req.method,
        url: redactUrlCredentials(req.originalUrl ?? req.url ?? ''),
        userAgent: req.headers?.['user-agent'],
      }),
      res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
    },
  });
}
