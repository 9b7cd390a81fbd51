import { RateLimitedError } from '../shared/errors';
import { RateLimitPool } from './rate-limit-pool';
import { rateLimitedError, RateLimitService, RateLimitState } from './rate-limit.service';

/** Addresses refused at once are forgotten past this many (the expired ones first), so memory stays bounded. */
const MAX_REFUSED_ADDRESSES = 10_000;

/**
 * Failed authentications per client address: a presented credential that
 * fails (a forged or mistyped key, a revoked key, a bad token) costs its
 * address one point of a pool of its own (AUTH_FAILURES_PER_MINUTE, counted
 * like every pool, in Redis when set). Once the pool is empty, the address's
 * requests with a credential are refused with 429 RATE_LIMITED until the
 * window ends, before any database lookup: a checksum-valid forged key
 * costs a lookup, and nobody else pays for it.
 *
 * The refusal itself is decided in memory (no counter call on the way in):
 * each instance refuses an address once its own charge found the pool empty.
 * Requests without a credential are never refused here.
 */
export class FailedAuthentications {
  private readonly refused = new Map<string, RateLimitState>();

  constructor(
    private readonly rateLimits: RateLimitService,
    private readonly limit: number,
  ) {}

  /** The refusal for an address that has used up its failures this window, or null. */
  refusal(ip: string | null): RateLimitedError | null {
    if (ip === null || this.refused.size === 0) return null;
    const state = this.refused.get(ip);
    if (!state) return null;
    if (state.resetAt.getTime() > Date.now()) return rateLimitedError(this.pool(ip), state);
    this.refused.delete(ip);
    return null;
  }

  /** Counts one failed authentication of `ip`; the last one the pool allows closes it. */
  async failed(ip: string | null): Promise<void> {
    if (ip === null) return;
    const state = await this.rateLimits.charge(this.pool(ip), 1);
    if (state.allowed && state.remaining > 0) return;
    if (this.refused.size >= MAX_REFUSED_ADDRESSES) this.forgetExpired();
    this.refused.set(ip, { ...state, remaining: 0, allowed: false });
  }

  private pool(ip: string): RateLimitPool {
    return { key: `address:${ip}`, kind: 'address', limit: this.limit };
  }

  private forgetExpired(): void {
    const now = Date.now();
    for (const [ip, state] of this.refused) if (state.resetAt.getTime() <= now) this.refused.delete(ip);
    if (this.refused.size >= MAX_REFUSED_ADDRESSES) this.refused.delete(this.refused.keys().next().value as string);
  }
}
