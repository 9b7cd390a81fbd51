/**
 * Ids are database integers exposed as GraphQL IDs. Anything that is not one
 * of ours (letters, negatives, > 2^31) simply matches nothing: the caller gets
 * NOT_FOUND, as for any other object it cannot see.
 */
export function parseId(raw: string | number): number | null {
  const text = String(raw);
  if (!/^[1-9][0-9]{0,9}$/.test(text)) return null;
  const id = Number(text);
  return id <= 2_147_483_647 ? id : null;
}
