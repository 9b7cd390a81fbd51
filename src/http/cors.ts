import cors from 'cors';
import { IncomingMessage, ServerResponse } from 'node:http';

/** Every request header a keyward call may need: the credential headers and the JSON body's type. */
export const CORS_ALLOWED_HEADERS = ['authorization', 'content-type', 'x-api-key'] as const;

/** Answer headers a page must be able to read: the pool's state, when to retry, why a credential failed. */
export const CORS_EXPOSED_HEADERS = [
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
  'RateLimit-Policy',
  'RateLimit',
  'Retry-After',
  'WWW-Authenticate',
] as const;

/** How long a browser may reuse a preflight's answer (Chromium caps it at 2 h, Firefox at 24 h). */
export const CORS_MAX_AGE_SECONDS = 600;

/**
 * Lets pages on `origins` call the API from a browser: preflights answered
 * (204), and each answer to an allowed origin names it. Any other origin gets
 * no Access-Control-Allow-Origin, so its browser withholds the answer. Never
 * credentials mode: keyward reads no cookie, every credential is a header the
 * page sets itself, so a page cannot ride on a user's ambient session.
 */
export function crossOriginRequests(origins: readonly string[]): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
  return cors({
    origin: [...origins],
    methods: ['GET', 'POST', 'PUT', 'DELETE'],
    allowedHeaders: [...CORS_ALLOWED_HEADERS],
    exposedHeaders: [...CORS_EXPOSED_HEADERS],
    maxAge: CORS_MAX_AGE_SECONDS,
    credentials: false,
  });
}
