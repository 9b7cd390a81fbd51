import { Account } from '../../src/accounts/account.entity';
import { ApiKey } from '../../src/api-keys/api-key.entity';
import { Client } from '../../src/clients/client.entity';
import { effectivePermissions } from '../../src/api-keys/api-key.rules';
import { principalOf } from '../../src/authentication/authenticator';
import { CachedKey } from '../../src/authentication/cached-key';
import { digestOfHash, hashOfDigest, LoadedRecord, VerificationCache } from '../../src/authentication/verification-cache';
import { ApiKeyKind } from '../../src/shared/api-key-kind';
import { Permission } from '../../src/shared/permission';

const created = new Date('2026-01-02T03:04:05.678Z');

function account(id: number, name = `account ${id}`): Account {
  return Object.assign(new Account(), {
    id,
    name,
    rateLimitPerMinute: 1000,
    developerApiEnabled: true,
    createdAt: created,
    updatedAt: created,
  });
}

function client(id: number, accountId: number): Client {
  return Object.assign(new Client(), { id, accountId, name: `client ${id}`, createdAt: created, updatedAt: created });
}

function row(id: number, fields: Partial<ApiKey> = {}): ApiKey {
  return Object.assign(new ApiKey(), {
    id,
    accountId: 1,
    clientId: null,
    kind: ApiKeyKind.ADMIN,
    name: 'not cached',
    prefix: `sk_${String(id).padStart(8, '0')}`,
    keyHash: 'f'.repeat(64),
    previousKeyHash: null,
    previousPrefix: null,
    previousKeyExpiresAt: null,
    permissions: [Permission.LEADS_READ, Permission.KEYS_VERIFY],
    isPrimary: false,
    isPlayground: false,
    active: true,
    expiresAt: null,
    lastUsedAt: null,
    lastUsedIp: null,
    scopes: [],
    createdAt: created,
    updatedAt: created,
    ...fields,
  });
}

/** A hex hash per number, as the database stores them. */
const hashOf = (n: number) => n.toString(16).padStart(64, '0');

async function cached(cache: VerificationCache, n: number, loaded: LoadedRecord) {
  const digest = digestOfHash(hashOf(n));
  return cache.get(digest) ?? cache.load(digest, async () => loaded);
}

describe('what the verification cache keeps of a key', () => {
  const settings = { ttlMs: 10_000, negativeTtlMs: 50, maxEntries: 3 };

  it.each([
    ['an admin key', row(1)],
    ['a primary key', row(2, { isPrimary: true, permissions: [] })],
    [
      'an inactive client key that expires',
      row(3, { kind: ApiKeyKind.CLIENT, clientId: 7, active: false, expiresAt: new Date(created.getTime() + 1) }),
    ],
    [
      'a reset key in its grace period',
      row(4, { previousKeyExpiresAt: new Date(created.getTime() + 60_000), previousPrefix: 'sk_00000000' }),
    ],
    ['a key holding platform scopes', row(5, { scopes: ['invoices:read', 'reports:*'] })],
  ])('answers for %s exactly as its row does', async (_which, key) => {
    const cache = new VerificationCache(settings);
    const owner = account(1);
    const itsClient = key.clientId === null ? null : client(key.clientId, 1);
    const record = (await cached(cache, key.id, { state: 'live', key, account: owner, client: itsClient })) as CachedKey;
    const fields = [
      'id',
      'accountId',
      'clientId',
      'kind',
      'prefix',
      'isPrimary',
      'active',
      'permissions',
      'expiresAt',
      'previousKeyExpiresAt',
      'scopes',
    ] as const;
    for (const field of fields) expect([field, record[field]]).toEqual([field, key[field]]);
    expect(record.account).toBe(owner);
    expect(record.client).toBe(itsClient);
    expect(effectivePermissions(record)).toEqual(effectivePermissions(key));
    const { permissions, ...principal } = principalOf(record, owner, true);
    const { permissions: expectedPermissions, ...expected } = principalOf(key as unknown as CachedKey, owner, true);
    expect(principal).toEqual(expected);
    expect([...permissions]).toEqual([...expectedPermissions]);
    // Nothing the check does not need, and never a hash.
    expect(JSON.stringify(record)).not.toContain('f'.repeat(64));
    expect(record).not.toHaveProperty('name');
  });

  it('shares one account, client and permission list between the keys that hold them, and forgets them with their last key', async () => {
    const cache = new VerificationCache(settings);
    const first = (await cached(cache, 1, {
      state: 'live',
      key: row(1, { clientId: 7 }),
      account: account(1),
      client: client(7, 1),
    })) as CachedKey;
    const second = (await cached(cache, 2, {
      state: 'live',
      key: row(2, { clientId: 7 }),
      account: account(1),
      client: client(7, 1),
    })) as CachedKey;
    expect(second.account).toBe(first.account);
    expect(second.client).toBe(first.client);
    expect(second.permissions).toBe(first.permissions);
    // Keys without platform scopes all hold the one shared empty list.
    expect(second.scopes).toBe(first.scopes);
    expect(Object.isFrozen(first.scopes)).toBe(true);
    expect(Object.isFrozen(first.permissions)).toBe(true);
    expect(cache.sharedRows).toEqual({ accounts: 1, clients: 1 });

    // A changed row is not mixed with the one the older keys hold.
    const renamed = (await cached(cache, 3, { state: 'live', key: row(3), account: account(1, 'renamed'), client: null })) as CachedKey;
    expect(renamed.account.name).toBe('renamed');
    expect(first.account.name).toBe('account 1');

    // Evicted (a cache of 3), dropped, cleared: the shared rows go with their keys.
    for (let n = 10; n < 13; n++) await cached(cache, n, { state: 'live', key: row(n), account: account(n), client: null });
    expect(cache.sharedRows).toEqual({ accounts: 3, clients: 0 });
    cache.drop([hashOf(10)]);
    cache.dropAccount(11);
    expect(cache.sharedRows).toEqual({ accounts: 1, clients: 0 });
    cache.clear();
    expect(cache.sharedRows).toEqual({ accounts: 0, clients: 0 });
  });

  it('keys entries by the 32 bytes of the hash', () => {
    const hash = 'c0ffee'.repeat(10) + '0123';
    expect(digestOfHash(hash)).toHaveLength(32);
    expect(hashOfDigest(digestOfHash(hash))).toBe(hash);
  });
});
