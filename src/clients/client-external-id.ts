import { BadUserInputError } from '../shared/errors';
import { UniqueIndex } from '../db/unique-violation';

export const EXTERNAL_ID_MAX_LENGTH = 128;

/** Printable ASCII without spaces: ids are matched without case, which is only well defined for ASCII. */
const EXTERNAL_ID = /^[\x21-\x7e]{1,128}$/;

/** The unique index that keeps one client per external id in an account. */
export const EXTERNAL_ID_INDEX: UniqueIndex = { name: 'uq_clients_external_id', sqliteColumn: 'clients.external_id' };

/**
 * The one check of a client's externalId (createClient, updateClient,
 * clientByExternalId): trimmed, 1–128 printable ASCII characters; null or
 * absent: none.
 */
export function normalizeExternalId(value: string | null | undefined, field = 'externalId'): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  if (!EXTERNAL_ID.test(trimmed)) {
    throw new BadUserInputError(
      field,
      `${field} must be 1–${EXTERNAL_ID_MAX_LENGTH} printable ASCII characters without spaces, such as "cus_4fQm9ZtX"`,
    );
  }
  return trimmed;
}
