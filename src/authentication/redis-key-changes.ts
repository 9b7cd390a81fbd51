import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { Logger } from '../logging/logger';
import { VerificationCache } from './verification-cache';

export type KeyChangeMessage = { hashes: string[] } | { accountId: number } | { clientId: number };

/** The sending end of the invalidation channel, as the notifier sees it. */
export interface KeyChangeChannel {
  publish(message: KeyChangeMessage): void;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
/**
 * How long start() waits for the subscription before going on without it
 * (ioredis keeps trying): long enough for any reachable Redis, short enough
 * that one which accepts and never answers does not hold up a start.
 */
const SUBSCRIBE_WAIT_MS = 500;

/**
 * Cross-instance invalidation of the verification cache over Redis pub/sub
 * (`<REDIS_KEY_PREFIX>:key-changes`). Each instance publishes the hashes and
 * accounts its services changed, and drops what the others publish.
 *
 * Pub/sub delivers only to connected subscribers, so whenever the subscriber
 * (re)connects this instance's whole cache is cleared: whatever was published
 * while it was away is forgotten with it. While Redis is unreachable, the
 * cache's TTL bounds staleness, as it does without Redis.
 */
export class RedisKeyChangeChannel implements KeyChangeChannel {
  private readonly origin = randomUUID();
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly channel: string;
  private readonly publishing = new Set<Promise<unknown>>();
  private failing = false;

  constructor(
    redisUrl: string,
    keyPrefix: string,
    private readonly cache: VerificationCache,
    private readonly logger: Logger,
  ) {
    this.channel = `${keyPrefix}:key-changes`;
    // A publish while Redis is away is given up at once (and logged): the cache's TTL covers it.
    this.publisher = new Redis(redisUrl, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 2_000,
      commandTimeout: 2_000,
    });
    // The subscription waits for Redis however long it takes; ioredis resubscribes after a reconnection.
    this.subscriber = new Redis(redisUrl, { maxRetriesPerRequest: null, connectTimeout: 2_000 });
    for (const client of [this.publisher, this.subscriber]) {
      // Without a listener ioredis' connection errors would crash the process.
      client.on('error', (error: Error) => this.failed(error));
      client.on('ready', () => {
        this.failing = false;
      });
    }
    this.subscriber.on('ready', () => this.cache.clear());
    this.subscriber.on('message', (channel: string, raw: string) => {
      if (channel === this.channel) this.receive(raw);
    });
  }

  /**
   * Subscribes; stops waiting (not trying) at the first connection error or
   * after SUBSCRIBE_WAIT_MS, so a Redis outage never holds up a start.
   */
  async start(): Promise<void> {
    const subscribed = this.subscriber.subscribe(this.channel).then(
      () => true,
      (error: Error) => {
        this.failed(error);
        return true;
      },
    );
    let timer: NodeJS.Timeout | undefined;
    let unreachable: (() => void) | undefined;
    const gaveUp = new Promise<boolean>((resolve) => {
      unreachable = () => resolve(false);
      // 'reconnecting': a connection attempt has failed already.
      timer = setTimeout(unreachable, this.subscriber.status === 'reconnecting' ? 0 : SUBSCRIBE_WAIT_MS);
      this.subscriber.once('error', unreachable);
    });
    const done = await Promise.race([subscribed, gaveUp]);
    clearTimeout(timer);
    if (unreachable) this.subscriber.off('error', unreachable);
    if (!done) this.logger.warn({ channel: this.channel }, 'Redis not reachable yet: key changes from other instances wait for it');
  }

  publish(message: KeyChangeMessage): void {
    const sent = this.publisher.publish(this.channel, JSON.stringify({ ...message, origin: this.origin })).catch((error: Error) => {
      this.logger.warn(
        { err: error, channel: this.channel },
        'could not publish a key change; other instances catch up within the cache TTL',
      );
    });
    this.publishing.add(sent);
    void sent.finally(() => this.publishing.delete(sent));
  }

  /** Sends what is still being published, then disconnects. */
  async close(): Promise<void> {
    await Promise.all([...this.publishing]);
    await Promise.all([this.publisher, this.subscriber].map(closeClient));
  }

  private receive(raw: string): void {
    let message: unknown;
    try {
      message = JSON.parse(raw);
    } catch {
      return;
    }
    if (!isObject(message) || message.origin === this.origin) return;
    if (Array.isArray(message.hashes)) {
      this.cache.drop(message.hashes.filter((hash): hash is string => typeof hash === 'string' && SHA256_HEX.test(hash)));
    } else if (typeof message.accountId === 'number' && Number.isSafeInteger(message.accountId)) {
      this.cache.dropAccount(message.accountId);
    } else if (typeof message.clientId === 'number' && Number.isSafeInteger(message.clientId)) {
      this.cache.dropClient(message.clientId);
    }
  }

  /** ioredis reports every failed reconnection: log the first of a run, not each. */
  private failed(error: Error): void {
    if (this.failing) return;
    this.failing = true;
    this.logger.warn({ err: error, channel: this.channel }, 'key-change channel: Redis error');
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

async function closeClient(client: Redis): Promise<void> {
  if (client.status === 'ready') {
    await client.quit().catch(() => client.disconnect());
  } else {
    client.disconnect();
  }
}
