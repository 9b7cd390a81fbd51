import { RateLimitedError } from '../shared/errors';
import { RateLimitPool } from '../rate-limits/rate-limit-pool';
import { rateLimitedError, RateLimitService, RateLimitState } from '../rate-limits/rate-limit.service';

export interface LeakReportCharge {
  /** The address's pool after this report: the answer's RateLimit-* headers. */
  state: RateLimitState;
  /** Set when the address has used up its reports this window: the 429 to answer. */
  refusal: RateLimitedError | null;
}

/**
 * Leak reports per client address (LEAK_REPORTS_PER_MINUTE), counted like
 * every pool (in Redis when set). The endpoint needs no credential, so the
 * address is all there is to hold a flood to: without a bound, anyone could
 * make keyward hash and look up candidates at will. Every report counts,
 * whatever its key, so the pool says nothing about which keys exist.
 */
export class LeakReportLimit {
  constructor(
    private readonly rateLimits: RateLimitService,
    private readonly limit: number,
  ) {}

  async charge(ip: string | null): Promise<LeakReportCharge> {
    const pool = this.pool(ip);
    const state = await this.rateLimits.charge(pool, 1);
    return { state, refusal: state.allowed ? null : rateLimitedError(pool, state) };
  }

  private pool(ip: string | null): RateLimitPool {
    // No address (a Unix socket): one pool for every such caller, not none.
    return { key: `leak-report:${ip ?? 'unknown'}`, kind: 'address', limit: this.limit };
  }
}
