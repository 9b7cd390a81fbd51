import { Account } from '../../src/accounts/account.entity';
import { ApiKey } from '../../src/api-keys/api-key.entity';
import { Client } from '../../src/clients/client.entity';
import { digestOfHash, KeyRecord, LoadedRecord, VerificationCache } from '../../src/authentication/verification-cache';
import { TestClock } from '../support/clock';

const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);

/** `prefix` tells rows apart: the cache keeps a key's prefix, not its name. */
function live(accountId: number, prefix = 'sk_key', clientId: number | null = null): LoadedRecord {
  const key = Object.assign(new ApiKey(), { id: 1, accountId, clientId, prefix, permissions: [] });
  const account = Object.assign(new Account(), { id: accountId, name: 'acme' });
  const client = clientId === null ? null : Object.assign(new Client(), { id: clientId, accountId, name: 'partner' });
  return { state: 'live', key, account, client };
}

/** A load the test finishes by hand, to interleave it with drops. */
function deferredLoad() {
  let finish!: (record: LoadedRecord) => void;
  const calls: string[] = [];
  const load = (hash: string) => {
    calls.push(hash);
    return new Promise<LoadedRecord>((resolve) => {
      finish = resolve;
    });
  };
  return { load, calls, finish: (record: LoadedRecord) => finish(record) };
}

/** As the key verifier asks: from memory by the hash's digest, else through a load (given the hex hash). */
function lookup(cache: VerificationCache, hash: string, load: (hash: string) => Promise<LoadedRecord>): KeyRecord | Promise<KeyRecord> {
  const digest = digestOfHash(hash);
  return cache.get(digest) ?? cache.load(digest, load);
}

describe('VerificationCache', () => {
  const settings = { ttlMs: 10_000, negativeTtlMs: 50, maxEntries: 3 };

  it('loads once, then answers from memory, and shares one load between concurrent misses', async () => {
    const cache = new VerificationCache(settings);
    const loads = deferredLoad();
    const both = Promise.all([lookup(cache, HASH_A, loads.load), lookup(cache, HASH_A, loads.load)]);
    loads.finish(live(1));
    const [first, second] = await both;
    expect(first).toBe(second);
    expect(await lookup(cache, HASH_A, loads.load)).toBe(first);
    expect(loads.calls).toEqual([HASH_A]);
  });

  it('does not store a load that was under way when the key changed', async () => {
    const cache = new VerificationCache(settings);
    const loads = deferredLoad();
    const stale = lookup(cache, HASH_A, loads.load);
    cache.drop([HASH_A]);
    loads.finish(live(1, 'old row'));
    expect(await stale).toMatchObject({ state: 'live', prefix: 'old row' });

    const fresh = lookup(cache, HASH_A, loads.load);
    loads.finish(live(1, 'new row'));
    expect(await fresh).toMatchObject({ prefix: 'new row' });
    expect(loads.calls).toEqual([HASH_A, HASH_A]);
  });

  it('forgets unknown hashes after the short negative TTL', async () => {
    const clock = new TestClock();
    const cache = new VerificationCache(settings, undefined, clock);
    let loads = 0;
    const load = async (): Promise<LoadedRecord> => {
      loads++;
      return { state: 'unknown' };
    };
    await lookup(cache, HASH_A, load);
    await lookup(cache, HASH_A, load);
    expect(loads).toBe(1);
    clock.advance(80);
    await lookup(cache, HASH_A, load);
    expect(loads).toBe(2);
  });

  it.each([
    ['an account', live(1), live(2), (cache: VerificationCache) => cache.dropAccount(1)],
    ['a client', live(1, 'of client 7', 7), live(1, 'of client 8', 8), (cache: VerificationCache) => cache.dropClient(7)],
  ])("drops every key of %s, and only that one's", async (_whose, doomed, kept, drop) => {
    const cache = new VerificationCache(settings);
    await lookup(cache, HASH_A, async () => doomed);
    const keptRecord = await lookup(cache, HASH_B, async () => kept);
    drop(cache);
    let reloaded = 0;
    const load = async () => {
      reloaded++;
      return live(9);
    };
    expect(await lookup(cache, HASH_A, load)).toMatchObject({ account: { id: 9 } });
    expect(await lookup(cache, HASH_B, load)).toBe(keptRecord);
    expect(reloaded).toBe(1);
  });

  it('stays within its size bound, and freezes what it shares', async () => {
    const cache = new VerificationCache(settings);
    for (let i = 0; i < 10; i++) await lookup(cache, String(i).repeat(64), async () => live(i));
    expect(cache.size).toBe(3);
    const record = await lookup(cache, '9'.repeat(64), async () => live(0));
    expect(record.state === 'live' && Object.isFrozen(record) && Object.isFrozen(record.account)).toBe(true);
  });

  it('caches nothing with a TTL of 0', async () => {
    const cache = new VerificationCache({ ...settings, ttlMs: 0 });
    let loads = 0;
    const load = async () => {
      loads++;
      return live(1);
    };
    await lookup(cache, HASH_A, load);
    await lookup(cache, HASH_A, load);
    expect(loads).toBe(2);
  });
});
