import pino, { DestinationStream, Logger, LoggerOptions } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Credentials never reach them: request lines carry no
 * credential-bearing header or body (src/http/request-log.ts), the
 * redact paths cover those headers and fields wherever else they might be
 * logged, and URLs are logged masked (see redactUrlCredentials).
 * `destination`: stdout unless given (tests capture the lines).
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level,
    base: undefined,
    redact: {
      paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie', '*.secret', '*.api_key'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** A key (sk_/cl_ prefix, then its secret) or a JWT (three base64url segments, the first a JSON header). */
// No word boundary: in a URL a key often follows percent-encoding (`%22sk_…`). Masking too much is harmless.
const KEY_SECRET = /((?:sk|cl)_[A-Za-z0-9]{8})_[A-Za-z0-9]+/g;
const JWT = /eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;

/**
 * A URL fit for a log line: api_key values masked, and so is anything shaped
 * like a key or a JWT wherever it sits (a GET query naming a key inline, a
 * mistyped parameter name). A key keeps its display prefix, which is not secret.
 */
export function redactUrlCredentials(url: string): string {
  const masked = maskCredentials(url);
  if (!masked.includes('%')) return masked;
  // `api%5Fkey=sk%5F…` authenticates like `api_key=sk_…`, so it must be masked like it: look again
  // after decoding, and log the decoded form only when it hid something.
  const decoded = decodedForLog(masked);
  const maskedDecoded = maskCredentials(decoded);
  return maskedDecoded === decoded ? masked : maskedDecoded;
}

function maskCredentials(url: string): string {
  return url
    .replace(/([?&]api_key=)[^&]*/gi, '$1[redacted]')
    .replace(KEY_SECRET, '$1_[redacted]')
    .replace(JWT, '[redacted-jwt]');
}

/**
 * The URL with percent-escapes decoded, as often as they nest (`%255F` is an
 * encoded `%5F`), so no encoding hides a credential from the patterns. An
 * escape that does not decode (a lone `%`, invalid UTF-8) stays as written.
 */
function decodedForLog(url: string): string {
  let current = url;
  for (let pass = 0; pass < 3 && current.includes('%'); pass++) {
    const next = current.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
    if (next === current) break;
    current = next;
  }
  return current;
}
