import { AccountPrincipal } from '../shared/principal';

/** What a client key reads in place of an actor that is not one of its client's keys. */
export const ACCOUNT_ACTOR = 'account';

/**
 * Client keys' prefixes, as actorLabel writes them (`cl_…`, see
 * api-keys/key-material.ts). A client key acts on its own client's objects
 * only, so a `cl_` actor on an event of a client is a key of that client.
 */
const CLIENT_KEY_ACTOR = 'cl_';

/**
 * Actors as a caller may read them. A client key reads its client's trail,
 * but the admin keys' prefixes and the users' subjects in it are the
 * account's: it sees its own client's keys by prefix and every other actor
 * (admin key, user, operator) as `account`. Account-wide callers see all.
 */
export function actorSeenBy(principal: AccountPrincipal, actor: string): string {
  if (principal.clientId === null) return actor;
  return actor.startsWith(CLIENT_KEY_ACTOR) ? actor : ACCOUNT_ACTOR;
}

/** actorSeenBy in SQL, so a filter on the actor matches what the caller reads and nothing it may not. */
export function actorSeenBySql(principal: AccountPrincipal, column: string): string {
  if (principal.clientId === null) return column;
  return `(CASE WHEN SUBSTR(${column}, 1, ${CLIENT_KEY_ACTOR.length}) = '${CLIENT_KEY_ACTOR}' THEN ${column} ELSE '${ACCOUNT_ACTOR}' END)`;
}
