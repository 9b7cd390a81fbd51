import Redis from 'ioredis';
import { Clock } from '../shared/clock';
import { CreditCount, KeyUseDemand, KeyUseOutcome } from './key-use-ledger';
import { MemoryKeyUseLedger } from './key-use-ledger.memory';
import { RedisKeyUseLedger } from './key-use-ledger.redis';
import { KeyCredits, keyUseRules, KeyUseRow, KeyUseRules } from './key-use-rules';

/** A key's credits as reads show them: what is left, and when the count was last set whole. */
export interface CreditsNow {
  remaining: number;
  lastRefillAt: Date | null;
}

/** The key whose credits a use just brought to zero. */
export type ExhaustedKey = Pick<KeyUseRules, 'keyId' | 'prefix' | 'accountId' | 'clientId' | 'kind'>;

export interface KeyUseSettings {
  /** Shared counts in Redis when set; process memory otherwise. */
  redisUrl?: string;
  /** Namespaces the Redis counts, like the pools'. */
  keyPrefix: string;
  /** Where credit counts are written behind to api_keys.remaining (CreditWriter). */
  credits: { note(keyId: number, remaining: number, atMs: number): void };
  /**
   * Called once each time a key's credits reach zero (the use that took the
   * last one), after that use is answered; what it throws is ignored.
   */
  onExhausted?: (key: ExhaustedKey) => void;
}

const REDIS_TIMEOUT_MS = 250;
const REDIS_RETRY_MS = 1_000;
/** A charge of nothing that commits nothing: how creditsNow reads a count where the charges keep it. */
const LOOK: KeyUseDemand = Object.freeze({ credits: 0, limits: Object.freeze([]) });

/**
 * Charges the credits and named limits of keys that have them (see
 * key-charge.ts for where this sits among a use's charges). With Redis, one
 * script call per use judges and charges everything at once across
 * instances, and no database write happens per use: the credit count is
 * written behind. Without Redis, or while it is down, the same rules run in
 * this process's memory, synchronously.
 */
export class KeyUseService {
  private readonly memory = new MemoryKeyUseLedger();
  private readonly redis: Redis | null;
  private readonly shared: RedisKeyUseLedger | null;
  private redisResumesAt = 0;
  /** Counting fell back to memory: once Redis answers again, memory's counts are stale and go. */
  private inMemory = false;

  constructor(
    private readonly settings: KeyUseSettings,
    private readonly clock: Clock,
  ) {
    if (!settings.redisUrl) {
      this.redis = null;
      this.shared = null;
      return;
    }
    this.redis = new Redis(settings.redisUrl, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: REDIS_TIMEOUT_MS,
      commandTimeout: REDIS_TIMEOUT_MS,
    });
    this.redis.on('error', () => undefined);
    this.shared = new RedisKeyUseLedger(this.redis, settings.keyPrefix);
  }

  /**
   * Judges one use against the key's credits and the named limits in
   * `demand`; `commit` false only looks (a use refused by an earlier check).
   * Synchronous without Redis.
   */
  charge(rules: KeyUseRules, demand: KeyUseDemand, commit: boolean): KeyUseOutcome | Promise<KeyUseOutcome> {
    const now = this.clock.now();
    if (!this.shared || now < this.redisResumesAt) return this.settle(rules, this.memory.charge(rules, demand, commit, now));
    return this.chargeShared(rules, demand, commit, now);
  }

  /**
   * What is left of a key's credits now, as its next use will count them
   * (null: the key has none). Reads of a key show this, not the row's
   * remaining, which lags the count (written behind) and misses a refill
   * that fell due since the key's last use. A look: nothing is charged, and
   * nothing is noted for the write-behind.
   */
  creditsNow(row: KeyUseRow): CreditsNow | null | Promise<CreditsNow> {
    const rules = keyUseRules(row);
    if (rules === null || rules.credits === null) return null;
    const now = this.clock.now();
    if (!this.shared || now < this.redisResumesAt) return shown(this.memory.creditsNow(rules.keyId, rules.credits, now));
    return this.sharedCreditsNow(rules, rules.credits, now).then(shown);
  }

  /**
   * Resolves once Redis is ready, or has failed once, or after
   * REDIS_TIMEOUT_MS: the server starts either way, counting in memory until
   * Redis answers (a use never waits for Redis to connect).
   */
  connected(): Promise<void> {
    if (!this.redis || ['ready', 'reconnecting', 'end'].includes(this.redis.status)) return Promise.resolve();
    return ready(this.redis);
  }

  async close(): Promise<void> {
    if (this.redis && this.redis.status !== 'end') await this.redis.quit().catch(() => this.redis?.disconnect());
  }

  private async chargeShared(rules: KeyUseRules, demand: KeyUseDemand, commit: boolean, now: number): Promise<KeyUseOutcome> {
    if (this.redis?.status === 'ready') {
      try {
        const outcome = await (this.shared as RedisKeyUseLedger).charge(rules, demand, commit, now);
        if (this.inMemory) {
          this.inMemory = false;
          this.memory.forgetAll();
        }
        return this.settle(rules, outcome);
      } catch {
        this.redisResumesAt = Date.now() + REDIS_RETRY_MS;
      }
    }
    this.inMemory = true;
    return this.settle(rules, this.memory.charge(rules, demand, commit, now));
  }

  private async sharedCreditsNow(rules: KeyUseRules, credits: KeyCredits, now: number): Promise<CreditCount> {
    if (this.redis?.status === 'ready') {
      try {
        const outcome = await (this.shared as RedisKeyUseLedger).charge(rules, LOOK, false, now);
        if (outcome.credits) return { remaining: outcome.credits.remaining, atMs: outcome.credits.atMs };
      } catch {
        this.redisResumesAt = Date.now() + REDIS_RETRY_MS;
      }
    }
    return this.memory.creditsNow(rules.keyId, credits, now);
  }

  private settle(rules: KeyUseRules, outcome: KeyUseOutcome): KeyUseOutcome {
    if (outcome.written) this.settings.credits.note(rules.keyId, outcome.written.remaining, outcome.written.atMs);
    const hook = this.settings.onExhausted;
    if (outcome.exhausted && hook) {
      // After the answer, and never its failure: the hook records an event, the use is already decided.
      queueMicrotask(() => {
        try {
          hook(rules);
        } catch {
          // The hook's own concern (it logs); the use stands.
        }
      });
    }
    return outcome;
  }
}

function shown(count: CreditCount): CreditsNow {
  // 0: a row with credits but no lastRefillAt, which no write leaves; shown as the row has it.
  return { remaining: count.remaining, lastRefillAt: count.atMs > 0 ? new Date(count.atMs) : null };
}

/** Resolves once Redis is ready or has failed, at most REDIS_TIMEOUT_MS later. */
function ready(redis: Redis): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off('ready', done);
      redis.off('error', done);
      resolve();
    };
    const timer = setTimeout(done, REDIS_TIMEOUT_MS);
    redis.once('ready', done);
    redis.once('error', done);
  });
}
