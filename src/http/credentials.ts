import { UnauthenticatedError } from '../shared/errors';

/** The parts of an HTTP request a credential can arrive in. */
export interface CredentialSources {
  authorization?: string;
  /** How many Authorization headers the request carried: node keeps only the first, so a second would go unseen. */
  authorizationCount?: number;
  apiKeyHeader?: string;
  apiKeyQuery?: unknown;
  body?: unknown;
}

/**
 * Finds the credential of a request: `Authorization: Bearer …`, `X-API-Key`,
 * the `api_key` query parameter, or an `api_key` field of a JSON body.
 * Null when there is none. Two different credentials in one request are
 * refused rather than guessed between.
 */
export function extractCredential(sources: CredentialSources): string | null {
  if ((sources.authorizationCount ?? 0) > 1) throw new UnauthenticatedError('The request carries more than one Authorization header');
  // Every source read (and refused if malformed) before any two are compared.
  const fromAuthorization = sources.authorization === undefined ? undefined : bearer(sources.authorization);
  const fromHeader = sources.apiKeyHeader === undefined ? undefined : sources.apiKeyHeader.trim();
  const fromQuery = sources.apiKeyQuery === undefined ? undefined : asCredential(sources.apiKeyQuery, 'api_key query parameter');
  const bodyKey = bodyCredential(sources.body);
  const fromBody = bodyKey === undefined ? undefined : asCredential(bodyKey, 'api_key body field');
  const credential = same(same(same(fromAuthorization, fromHeader), fromQuery), fromBody);
  if (credential === DIFFERENT) throw new UnauthenticatedError('The request carries more than one different credential');
  if (credential === '') throw new UnauthenticatedError('The credential is empty');
  if (credential !== undefined && QUOTED.test(credential)) {
    throw new UnauthenticatedError('The credential is wrapped in quotes: send it without them');
  }
  return credential ?? null;
}

/** Two sources that disagree. */
const DIFFERENT = Symbol('different credentials');

/** The credential both sources carry (either may carry none), or DIFFERENT. */
function same(a: string | undefined | typeof DIFFERENT, b: string | undefined): string | undefined | typeof DIFFERENT {
  if (a === undefined) return b;
  return b === undefined || a === b ? a : DIFFERENT;
}

/** A value copied with its quotes (`Bearer "sk_…"`): no key or token starts or ends with one. */
const QUOTED = /^["'`\u201c\u201d\u2018\u2019]|["'`\u201c\u201d\u2018\u2019]$/;

/** Authorization headers in the raw list (names and values alternate); scanned only when one is present. */
export function countAuthorizationHeaders(rawHeaders: readonly string[]): number {
  let count = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i];
    if (name.length === 13 && name.toLowerCase() === 'authorization') count++;
  }
  return count;
}

function bearer(header: string): string {
  // Nearly every header is exactly `Bearer <credential>`: no whitespace around it to trim, nothing for the pattern to do.
  if (header.startsWith('Bearer ') && isVisibleAscii(header.charCodeAt(7)) && isVisibleAscii(header.charCodeAt(header.length - 1))) {
    return header.slice(7);
  }
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!match) throw new UnauthenticatedError('The Authorization header must be "Bearer <credential>"');
  return match[1].trim();
}

/** Neither whitespace to trim() nor past the end (NaN): anything else takes the pattern's way. */
function isVisibleAscii(code: number): boolean {
  return code > 32 && code < 127;
}

function bodyCredential(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  return (body as Record<string, unknown>).api_key;
}

function asCredential(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new UnauthenticatedError(`The ${where} must be a single string`);
  return value.trim();
}
