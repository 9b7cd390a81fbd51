import { registerEnumType } from 'type-graphql';

/**
 * How one use of an existing key ended: a verification's answer, or an
 * authenticated request's. Unknown and malformed keys have no key to count
 * against, and are not counted.
 */
export enum UsageOutcome {
  VALID = 'VALID',
  RATE_LIMITED = 'RATE_LIMITED',
  USAGE_EXCEEDED = 'USAGE_EXCEEDED',
  IP_NOT_ALLOWED = 'IP_NOT_ALLOWED',
  INSUFFICIENT_SCOPE = 'INSUFFICIENT_SCOPE',
  INACTIVE = 'INACTIVE',
  EXPIRED = 'EXPIRED',
  REVOKED = 'REVOKED',
  DEVELOPER_API_DISABLED = 'DEVELOPER_API_DISABLED',
}

registerEnumType(UsageOutcome, {
  name: 'UsageOutcome',
  description: 'How a verification of a key, or a request made with it, ended.',
  valuesConfig: {
    VALID: { description: 'Accepted: a verification answered VALID, or a request was admitted and charged.' },
    RATE_LIMITED: { description: "Refused: the key's pool (or one of its named limits) was empty." },
    USAGE_EXCEEDED: { description: 'Refused: the key had no usage credits left.' },
    IP_NOT_ALLOWED: { description: "Refused: the caller's address was outside the key's allowedIps." },
    INSUFFICIENT_SCOPE: { description: 'Refused: the key lacked a scope the verification required.' },
    INACTIVE: { description: 'Refused: the key was deactivated.' },
    EXPIRED: { description: 'Refused: the key had passed its expiry.' },
    REVOKED: { description: 'Refused: the key was revoked, or the value presented was replaced by a reset.' },
    DEVELOPER_API_DISABLED: { description: "Refused: the key's account had its Developer API turned off." },
  },
});

/** Every outcome in a fixed order: a counter's slot is its outcome's index here. */
export const USAGE_OUTCOMES: readonly UsageOutcome[] = Object.freeze(Object.values(UsageOutcome));

/** What a count is kept against: a live key (CachedKey satisfies it as it is) or a revoked key's record. */
export interface UsageKey {
  readonly id: number;
  readonly accountId: number;
  readonly clientId: number | null;
}
