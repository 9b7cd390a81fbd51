/**
 * The shapes of names the platform chooses itself, read by every check of
 * them: its scopes (`resource:action`, lower case, e.g. invoices:read; the
 * action may be `*`) and the names of a key's own rate limits.
 */
export const SCOPE_NAME = /^[a-z0-9][a-z0-9_.-]{0,63}:(?:[a-z0-9][a-z0-9_.-]{0,63}|\*)$/;

export const LIMIT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
