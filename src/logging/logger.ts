import pino, { Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Credentials never reach them: the redact paths cover
 * every header a credential can arrive in, and request URLs are logged with
 * their api_key parameter masked (see redactUrlCredentials).
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: undefined,
    redact: {
      paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie', '*.secret', '*.api_key'],
      censor: '[redacted]',
    },
  });
}

export function redactUrlCredentials(url: string): string {
  return url.replace(/([?&]api_key=)[^&]*/gi, '$1[redacted]');
}
