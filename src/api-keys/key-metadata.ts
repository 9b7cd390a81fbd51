import { BadUserInputError } from '../shared/errors';

/** The platform's own data on a key: any JSON object, kept as given and returned by every verification. */
export type KeyMetadata = Record<string, unknown>;

/** Serialised (UTF-8 JSON), so a verification answer and the cache stay small whatever the platform stores. */
export const METADATA_MAX_BYTES = 4096;

/**
 * The one check of a key's metadata, for createApiKey, updateApiKey and the
 * REST routes: a JSON object of at most METADATA_MAX_BYTES, or null (none). An
 * empty object is kept as null: "no metadata" has one spelling, which the
 * verification cache stores for free.
 */
export function normalizeMetadata(value: unknown, field = 'metadata'): KeyMetadata | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new BadUserInputError(field, `${field} must be a JSON object, such as {"plan": "pro"}`);
  }
  const text = JSON.stringify(value);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > METADATA_MAX_BYTES) {
    throw new BadUserInputError(field, `${field} must be at most ${METADATA_MAX_BYTES} bytes as JSON; this is ${bytes}`);
  }
  // A copy through JSON: what is stored is exactly what every later read will see (no undefined, no Dates).
  const copy = JSON.parse(text) as KeyMetadata;
  return Object.keys(copy).length === 0 ? null : copy;
}

/** Frozen to the leaves: a cached key's metadata is shared by every answer that carries it. */
export function frozenMetadata(metadata: KeyMetadata | null): Readonly<KeyMetadata> | null {
  if (metadata === null) return null;
  deepFreeze(metadata);
  return metadata;
}

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  for (const item of Object.values(value)) deepFreeze(item);
  Object.freeze(value);
}
