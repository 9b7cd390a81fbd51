import { Account } from '../accounts/account.entity';
import { effectivePermissions } from '../api-keys/api-key.rules';
import { Caller } from '../shared/caller';
import { after } from '../shared/after';
import { KeyCheck, KeyCheckCode, KeyVerifier, usageKeyOf } from './key-verifier';
import { UsageKey, UsageOutcome } from '../usage/usage-outcome';
import { CachedKey } from './cached-key';
import { Principal, requireAccountPrincipal } from '../shared/principal';
import { assertAllowed, AuthRequirement } from '../shared/auth.directives';
import { Client } from '../clients/client.entity';
import { ALL_PERMISSIONS, normalizePermissions, Permission } from '../shared/permission';
import { ApiKeyKind } from '../shared/api-key-kind';
import { poolOfKey, poolOfPrincipal } from '../rate-limits/rate-limit-pool';
import { rateLimitedError } from '../rate-limits/rate-limit.service';
import { KeyRateLimitState } from '../rate-limits/key-rate-limits';
import { chargeKeyUse, KeyChargers, KeyCharge, REQUEST_USE } from '../rate-limits/key-charge';
import { missingScopes } from '../scopes/key-scopes';
import { DEFAULT_VERIFICATION, KeyVerification, VerificationCode, VerificationOptions } from './key-verification.type';

/**
 * verifyApiKey and POST /v1/keys/verify: the platform's other services hand
 * keyward a key their own callers presented and learn whether to accept it.
 *
 * Who may verify what:
 * - the platform operator (PLATFORM_ADMIN_TOKEN): any key of any account —
 *   that is how the platform's services verify keys of every tenant;
 * - a caller holding keys:verify (an admin key, or a developer user): keys of
 *   its own account only. Another account's key answers NOT_FOUND, exactly
 *   like a key that does not exist, so a tenant cannot probe another's keys.
 *
 * A verification of a working key costs one point of that key's pool (its
 * account's admin pool or its client's pool), as if the key had made the
 * request itself; it costs the caller nothing. Any other verification (an
 * unknown key, a revoked, expired or inactive one, another account's) costs
 * the caller's own pool one point, since no key's pool pays for its lookup;
 * with the caller's pool empty it is refused with RATE_LIMITED. The
 * operator has no pool.
 */
export class KeyVerificationService {
  constructor(
    private readonly keys: KeyVerifier,
    /** The pools, and the keys' credits and named limits (chargeKeyUse). */
    private readonly chargers: KeyChargers,
    /** Counts each answer about an existing key under its final code (usage analytics). */
    private readonly usage?: { record(key: UsageKey, outcome: UsageOutcome): void },
  ) {}

  /** Answered without waiting (no promise) when both keys are cached and every pool's lease covers its charge. */
  verify(caller: Caller, raw: string, options: VerificationOptions = DEFAULT_VERIFICATION): KeyVerification | Promise<KeyVerification> {
    const scope = verifierScope(caller.principal);
    const check = this.keys.check(raw.trim());
    return check instanceof Promise
      ? check.then((known) => this.counted(known, this.answer(caller, scope, known, options)))
      : this.counted(check, this.answer(caller, scope, check, options));
  }

  /**
   * The one place verifications are counted: on the final answer's code, so
   * every check added before the answer is counted without a word of its own.
   * A NOT_FOUND (no such key, or another account's) counts against no key; a
   * verification the caller's own pool refused never answered, and counts neither.
   */
  private counted(check: KeyCheck, answer: KeyVerification | Promise<KeyVerification>): KeyVerification | Promise<KeyVerification> {
    if (!this.usage) return answer;
    return answer instanceof Promise ? answer.then((verdict) => this.count(check, verdict)) : this.count(check, answer);
  }

  private count(check: KeyCheck, verdict: KeyVerification): KeyVerification {
    const outcome = USAGE_OF_CODE[verdict.code];
    const key = outcome === null ? null : usageKeyOf(check);
    if (key !== null && outcome !== null) this.usage?.record(key, outcome);
    return verdict;
  }

  private answer(
    caller: Caller,
    scope: number | 'any',
    check: KeyCheck,
    options: VerificationOptions,
  ): KeyVerification | Promise<KeyVerification> {
    // Another account's key, live or revoked, answers exactly like one that never existed.
    if (scope !== 'any' && check.accountId !== scope) {
      return after(this.chargeVerifier(caller.principal), () => refusal(VerificationCode.NOT_FOUND));
    }
    if (check.code !== 'VALID') {
      const verdict = refusalFor(check.code);
      return after(this.chargeVerifier(caller.principal), () => verdict);
    }
    return this.verifyWorkingKey(check.key as CachedKey, check.account as Account, check.client, options);
  }

  private chargeVerifier(principal: Principal): void | Promise<void> {
    const pool = poolOfPrincipal(principal);
    if (!pool) return;
    return after(this.chargers.rateLimits.charge(pool, 1), (state) => {
      if (!state.allowed) throw rateLimitedError(pool, state);
    });
  }

  private verifyWorkingKey(
    key: CachedKey,
    account: Account,
    client: Client | null,
    // Read by the checks of scopes, addresses, named limits and credits.
    options: VerificationOptions,
  ): KeyVerification | Promise<KeyVerification> {
    if (!account.developerApiEnabled) return refusal(VerificationCode.DEVELOPER_API_DISABLED);
    const pool = poolOfKey(key, account.rateLimitPerMinute, account.rateLimitWindow);
    // Refused before the charge (contract order: the address, then the scopes): the details, the pool as it is, nothing charged.
    // A key with an allowlist verified without an ip fails closed: IpAllowlist.allows(null) is false.
    const refused =
      key.allowlist !== null && !key.allowlist.allows(options.ip)
        ? VerificationCode.IP_NOT_ALLOWED
        : options.requiredScopes.length > 0 && missingScopes(key.scopes, options.requiredScopes).length > 0
          ? VerificationCode.INSUFFICIENT_SCOPE
          : null;
    // One verification: 1 point of the pool, `cost` credits, and 1 of every named limit or those named with their cost.
    // A key without credits or limits, verified without naming limits, needs nothing but the pool: no demand is built.
    const plain = options === DEFAULT_VERIFICATION || (key.uses === null && options.rateLimits === null);
    const use = plain ? REQUEST_USE : { credits: options.cost, limits: options.rateLimits };
    const charged = chargeKeyUse(this.chargers, pool, 1, key.uses, use, refused === null ? 'charge' : 'look');
    return after(charged, (state) => ({
      valid: refused === null && state.allowed,
      code: refused ?? verdictOf(state),
      // Named rather than spread from one object: a spread in a literal makes V8 build it property by property.
      remaining: remainingOf(state),
      rateLimits: rateLimitsOf(state),
      prefix: key.prefix,
      kind: key.kind,
      account,
      client,
      permissions: answeredPermissions(key),
      expiresAt: key.expiresAt,
      rateLimit: { limit: state.limit, remaining: state.remaining, resetAt: state.resetAt },
      metadata: key.metadata,
      scopes: key.scopes,
      source: key,
    }));
  }
}

/**
 * What a verification says the key may do, normalised once per permission
 * list (cached keys share their lists) and kind, not once per verification.
 */
const answeredLists = {
  [ApiKeyKind.ADMIN]: new WeakMap<object, readonly Permission[]>(),
  [ApiKeyKind.CLIENT]: new WeakMap<object, readonly Permission[]>(),
};

function answeredPermissions(key: CachedKey): readonly Permission[] {
  const held = key.isPrimary ? ALL_PERMISSIONS : key.permissions;
  const lists = answeredLists[key.kind];
  let answered = lists.get(held);
  if (answered === undefined) {
    answered = Object.freeze(normalizePermissions(effectivePermissions(key)));
    lists.set(held, answered);
  }
  return answered;
}

/** How each answer is counted: as its code, but NOT_FOUND, which names no key to count against. */
const USAGE_OF_CODE: Readonly<Record<VerificationCode, UsageOutcome | null>> = Object.freeze({
  VALID: UsageOutcome.VALID,
  NOT_FOUND: null,
  EXPIRED: UsageOutcome.EXPIRED,
  INACTIVE: UsageOutcome.INACTIVE,
  REVOKED: UsageOutcome.REVOKED,
  RATE_LIMITED: UsageOutcome.RATE_LIMITED,
  DEVELOPER_API_DISABLED: UsageOutcome.DEVELOPER_API_DISABLED,
  INSUFFICIENT_SCOPE: UsageOutcome.INSUFFICIENT_SCOPE,
  USAGE_EXCEEDED: UsageOutcome.USAGE_EXCEEDED,
  IP_NOT_ALLOWED: UsageOutcome.IP_NOT_ALLOWED,
});

/** What a check that found no working key answers. */
function refusalFor(code: Exclude<KeyCheckCode, 'VALID'>): KeyVerification {
  switch (code) {
    case 'MALFORMED':
    case 'NOT_FOUND':
      return refusal(VerificationCode.NOT_FOUND);
    // The value was retired on purpose (a reset past its grace period): as good as revoked.
    case 'RESET':
    case 'REVOKED':
      return refusal(VerificationCode.REVOKED);
    case 'EXPIRED':
      return refusal(VerificationCode.EXPIRED);
    case 'INACTIVE':
      return refusal(VerificationCode.INACTIVE);
  }
}

/**
 * Who may verify keys: a holder of keys:verify, or the platform operator. The
 * one statement of the rule: verifyApiKey's @auth, the REST route and the
 * OpenAPI document read it, and the service re-checks it (the CLI and REST
 * call services directly).
 */
export const KEY_VERIFIER = {
  kind: 'permission',
  permission: Permission.KEYS_VERIFY,
  operatorToo: true,
} as const satisfies AuthRequirement;

/** Whose keys the caller may verify: every account's (the operator) or one account's. */
function verifierScope(principal: Principal): number | 'any' {
  assertAllowed(principal, KEY_VERIFIER);
  return principal.kind === 'operator' ? 'any' : requireAccountPrincipal(principal).accountId;
}

function verdictOf(charge: KeyCharge): VerificationCode {
  if (charge.allowed) return VerificationCode.VALID;
  return charge.uses?.refusal === 'USAGE_EXCEEDED' ? VerificationCode.USAGE_EXCEEDED : VerificationCode.RATE_LIMITED;
}

const NO_RATE_LIMITS = Object.freeze([]) as readonly KeyRateLimitState[];

/** The key's credits after the verification; null: unlimited. */
function remainingOf(charge: KeyCharge): number | null {
  return charge.uses?.outcome.credits?.remaining ?? null;
}

/** The key's named limits after the verification (none for a key without). */
function rateLimitsOf(charge: KeyCharge): readonly KeyRateLimitState[] {
  const { uses } = charge;
  if (!uses || uses.outcome.limits.length === 0) return NO_RATE_LIMITS;
  return uses.outcome.limits.map(({ rule, remaining, resetAtMs }) => ({
    name: rule.name,
    limit: rule.limit,
    remaining,
    resetAt: new Date(resetAtMs),
  }));
}

function refusal(code: VerificationCode): KeyVerification {
  return {
    remaining: null,
    rateLimits: null,
    valid: false,
    code,
    prefix: null,
    kind: null,
    account: null,
    client: null,
    permissions: null,
    expiresAt: null,
    rateLimit: null,
    metadata: null,
    scopes: null,
  };
}
