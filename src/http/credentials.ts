import { UnauthenticatedError } from '../shared/errors';

/** The parts of an HTTP request a credential can arrive in. */
export interface CredentialSources {
  authorization?: string;
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
  const found = new Set<string>();
  if (sources.authorization !== undefined) found.add(bearer(sources.authorization));
  if (sources.apiKeyHeader !== undefined) found.add(sources.apiKeyHeader.trim());
  if (sources.apiKeyQuery !== undefined) found.add(asCredential(sources.apiKeyQuery, 'api_key query parameter'));
  const bodyKey = bodyCredential(sources.body);
  if (bodyKey !== undefined) found.add(asCredential(bodyKey, 'api_key body field'));
  if (found.size > 1) throw new UnauthenticatedError('The request carries more than one different credential');
  const [credential] = found;
  if (credential === '') throw new UnauthenticatedError('The credential is empty');
  return credential ?? null;
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
