/**
 * The RateLimit-Policy and RateLimit fields of the IETF draft "RateLimit
 * header fields for HTTP" (draft-ietf-httpapi-ratelimit-headers, -12), as
 * Structured Fields lists of items named by an sf-String:
 *
 *   RateLimit-Policy: "default";q=1000;w=60
 *   RateLimit: "default";r=958;t=42
 *
 * q: the quota (requests), w: its window in seconds; r: what is left of it,
 * t: seconds until it resets. "default" is the caller's pool, the plan limit
 * (the only policy every answer has); further policies, such as a key's
 * named limits, are more items of the same lists (quotaFields).
 */

/** One quota policy and its state, as an answer reports it. */
export interface QuotaItem {
  /** The policy's name: the pool's is POOL_POLICY. */
  name: string;
  limit: number;
  windowSeconds: number;
  remaining: number;
  resetSeconds: number;
}

/** The caller's pool, the plan limit. */
export const POOL_POLICY = 'default';

/**
 * RateLimit-Policy of the pool: the same few strings for every answer (one
 * per plan limit in use), so they are made once and kept.
 */
const poolPolicies = new Map<number, string>();
const MAX_POOL_POLICIES = 10_000;

export function poolPolicyField(limit: number, windowSeconds: number): string {
  // Limits are at most 1,000,000 and windows well under 10^6 s: one number keys both.
  const key = limit * 1_000_000 + windowSeconds;
  let field = poolPolicies.get(key);
  if (field === undefined) {
    if (poolPolicies.size >= MAX_POOL_POLICIES) poolPolicies.clear();
    field = policyItem(POOL_POLICY, limit, windowSeconds);
    poolPolicies.set(key, field);
  }
  return field;
}

/** RateLimit of the pool: made per answer, two numbers into one template. */
export function poolRateLimitField(remaining: number, resetSeconds: number): string {
  return `"${POOL_POLICY}";r=${remaining};t=${resetSeconds}`;
}

/** Both fields for any list of policies, in order (the pool's first, by convention). */
export function quotaFields(items: readonly QuotaItem[]): { policy: string; rateLimit: string } {
  return {
    policy: items.map((item) => policyItem(item.name, item.limit, item.windowSeconds)).join(', '),
    rateLimit: items.map((item) => `${sfString(item.name)};r=${item.remaining};t=${item.resetSeconds}`).join(', '),
  };
}

function policyItem(name: string, limit: number, windowSeconds: number): string {
  return `${sfString(name)};q=${limit};w=${windowSeconds}`;
}

/** An sf-String (RFC 8941 3.3.3): quoted, with " and \ escaped. Limit names contain neither. */
function sfString(value: string): string {
  return `"${/["\\]/.test(value) ? value.replace(/["\\]/g, '\\$&') : value}"`;
}
