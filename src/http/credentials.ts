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
  const found = new Set<string>();
  if (sources.authorization !== undefined) found.add(bearer(sources.authorization));
  if (sources.apiKeyHeader !== undefined) found.add(sources.apiKeyHeader.trim());
  if (sources.apiKeyQuery !== undefined) found.add(asCredential(sources.apiKeyQuery, 'api_key query parameter'));
  const bodyKey = bodyCredential(sources.body);
  if (bodyKey !== undefined) found.add(asCredential(bodyKey, 'api_key body field'));
  if (found.size > 1) throw new UnauthenticatedError('The request carries more than one different credential');
  const [credential] = found;
  if (credential === '') throw new UnauthenticatedError('The credential is empty');
  if (credential !== undefined && QUOTED.test(credential)) {
    throw new UnauthenticatedError('The credential is wrapped in quotes: send it without them');
  }
  return credential ?? null;
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
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!match) throw new UnauthenticatedError('The Authorization header must be "Bearer <credential>"');
  return match[1].trim();
}

function bodyCredential(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  return (body as Record<string, unknown>).api_key;
}

function asCredential(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new UnauthenticatedError(`The ${where} must be a single string`);
  return value.trim();
}
