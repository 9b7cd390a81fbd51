import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Account } from '../accounts/account.entity';
import { ApiKeyKind } from '../shared/api-key-kind';
import { Public } from '../shared/auth.decorators';
import { Client } from '../clients/client.entity';
import { Permission } from '../shared/permission';
import { RateLimit } from '../rate-limits/rate-limit.type';
import { KeyRateLimitState } from '../rate-limits/key-rate-limits';

export enum VerificationCode {
  VALID = 'VALID',
  NOT_FOUND = 'NOT_FOUND',
  EXPIRED = 'EXPIRED',
  INACTIVE = 'INACTIVE',
  REVOKED = 'REVOKED',
  RATE_LIMITED = 'RATE_LIMITED',
  DEVELOPER_API_DISABLED = 'DEVELOPER_API_DISABLED',
  INSUFFICIENT_SCOPE = 'INSUFFICIENT_SCOPE',
  USAGE_EXCEEDED = 'USAGE_EXCEEDED',
  IP_NOT_ALLOWED = 'IP_NOT_ALLOWED',
}

registerEnumType(VerificationCode, {
  name: 'VerificationCode',
  description: 'Why a key does or does not work.',
  valuesConfig: {
    VALID: { description: 'The key works: accept the request it came with.' },
    NOT_FOUND: {
      description: 'No such key: never issued, deleted, mistyped (fails its checksum), not a key at all, or one you may not verify.',
    },
    EXPIRED: { description: 'The key passed its expiry.' },
    INACTIVE: { description: 'The key is deactivated; it may be activated again.' },
    REVOKED: { description: 'The key was revoked, or this value was replaced by a reset and its grace period is over.' },
    RATE_LIMITED: {
      description:
        "The key's pool is empty until rateLimit.resetAt (this verification was counted against it), or one of its named " +
        'limits is used up until its resetAt (see rateLimits; nothing was charged).',
    },
    DEVELOPER_API_DISABLED: { description: "The key's account has its Developer API turned off by the platform operator." },
    INSUFFICIENT_SCOPE: { description: 'The key lacks one of the requiredScopes; nothing was charged.' },
    USAGE_EXCEEDED: { description: 'The key has no usage credits left (remaining) until its next refill; nothing was charged.' },
    IP_NOT_ALLOWED: {
      description: "The ip given is outside the key's allowedIps, or none was given for a key that has them; nothing was charged.",
    },
  },
});

@ObjectType({
  description:
    'The answer to verifyApiKey. The details (prefix to rateLimit) are set for a key that exists and is in scope ' +
    'whenever its verdict is about that key (VALID, RATE_LIMITED, USAGE_EXCEEDED, IP_NOT_ALLOWED, INSUFFICIENT_SCOPE), and null otherwise.',
  simpleResolvers: true,
})
// Public fields: the object is only reachable through verifyApiKey, which checked the caller.
@Public()
export class KeyVerification {
  @Field({ description: 'Whether the key may be accepted now: code is VALID.' })
  valid: boolean;

  @Field(() => VerificationCode)
  code: VerificationCode;

  @Field(() => String, { nullable: true, description: "The key's display prefix, e.g. sk_4fQm9ZtX." })
  prefix: string | null;

  @Field(() => ApiKeyKind, { nullable: true })
  kind: ApiKeyKind | null;

  @Field(() => Account, { nullable: true, description: 'The account the key belongs to.' })
  account: Account | null;

  @Field(() => Client, { nullable: true, description: 'For a client key, its client.' })
  client: Client | null;

  @Field(() => [Permission], { nullable: true, description: 'What the key may do (a primary key: everything).' })
  permissions: readonly Permission[] | null;

  @Field(() => Date, { nullable: true, description: 'When the key stops working; null if it never expires.' })
  expiresAt: Date | null;

  @Field(() => RateLimit, {
    nullable: true,
    description: "The key's pool after this verification, which counted against it (not against the caller's).",
  })
  rateLimit: RateLimit | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: "The key's metadata: the platform's own data on it; null: none." })
  metadata: Readonly<Record<string, unknown>> | null;

  /**
   * Not in the schema: the cached record the details come from. Answers with
   * the same source carry the same details (prefix to scopes, bar the pool and
   * the key's uses), so an adapter may keep their serialised form by it.
   */
  source?: object;

  @Field(() => [String], {
    nullable: true,
    description: 'The platform scopes the key holds, sorted (empty: none); compare them with what the request needs.',
  })
  scopes: readonly string[] | null;

  @Field(() => Int, {
    nullable: true,
    description: "The key's usage credits left after this verification (USAGE_EXCEEDED: left now, less than its cost); null: unlimited.",
  })
  remaining: number | null;

  @Field(() => [KeyRateLimitState], {
    nullable: true,
    description:
      "The key's named limits this verification charged (all of them, or those named in rateLimits), after the charge; " +
      'RATE_LIMITED by one: its state as it stands, nothing charged. Empty: the key has none.',
  })
  rateLimits: readonly KeyRateLimitState[] | null;
}

/** A charge of one of the key's named rate limits, by name (see ApiKey.rateLimits). */
export interface NamedLimitCharge {
  name: string;
  cost: number;
}

/**
 * What a verification asks besides "is this key good": the adapters
 * (verifyApiKey's arguments, POST /v1/keys/verify's body) parse into this
 * with `verificationOptions`, the service reads only this.
 */
export interface VerificationOptions {
  /** Platform scopes the key must hold, each `resource:action`: INSUFFICIENT_SCOPE when one is missing. */
  requiredScopes: readonly string[];
  /** The address the key's own caller came from, checked against the key's allowedIps; null: not checked. */
  ip: string | null;
  /** Usage credits this verification costs (0 allowed). */
  cost: number;
  /** Which named limits to charge, with a cost each; null: every named limit, 1 each. */
  rateLimits: readonly NamedLimitCharge[] | null;
}

export const DEFAULT_VERIFICATION: VerificationOptions = Object.freeze({
  requiredScopes: Object.freeze([]) as readonly string[],
  ip: null,
  cost: 1,
  rateLimits: null,
});
