import { createHash } from 'node:crypto';
import { ApiKeyKind } from '../../src/shared/api-key-kind';
import { checksum, checksumHolds, generateKey, hashKey, keyShape, looksLikeKey, parseKey } from '../../src/api-keys/key-material';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

describe('key material', () => {
  it.each([
    [ApiKeyKind.ADMIN, 'sk'],
    [ApiKeyKind.CLIENT, 'cl'],
  ])('a %s key is <type>_<id8>_<secret32><crc6> with prefix <type>_<id8>', (kind, type) => {
    const { secret, prefix, hash } = generateKey(kind);
    expect(secret).toMatch(new RegExp(`^${type}_[0-9A-Za-z]{8}_[0-9A-Za-z]{38}$`));
    expect(secret).toHaveLength(50);
    expect(prefix).toBe(secret.slice(0, 11));
    expect(prefix).toMatch(new RegExp(`^${type}_[0-9A-Za-z]{8}$`));
    // The last six characters are the checksum of everything before them.
    expect(secret.slice(-6)).toBe(checksum(secret.slice(0, -6)));
    expect(hash).toBe(hashKey(secret));
    expect(parseKey(secret)).toEqual({ ok: true, kind, prefix, hash });
    expect(looksLikeKey(secret)).toBe(true);
  });

  it('hashes with SHA-256, as lowercase hex', () => {
    const { secret, hash } = generateKey(ApiKeyKind.ADMIN);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(hashKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('the checksum is 6 base62 characters', () => {
    expect(checksum('')).toBe('000000');
    expect(checksum('sk_4fQm9ZtX_abc')).toMatch(/^[0-9A-Za-z]{6}$/);
    expect(checksum('sk_4fQm9ZtX_abc')).not.toBe(checksum('sk_4fQm9ZtX_abd'));
  });

  it('rejects every single-character substitution in a sample of keys', () => {
    const alphabet = `${BASE62}_`;
    let tried = 0;
    for (const kind of [ApiKeyKind.ADMIN, ApiKeyKind.CLIENT]) {
      for (let sample = 0; sample < 5; sample++) {
        const { secret } = generateKey(kind);
        for (let i = 0; i < secret.length; i++) {
          for (const c of alphabet) {
            if (c === secret[i]) continue;
            const typo = secret.slice(0, i) + c + secret.slice(i + 1);
            const parsed = parseKey(typo);
            if (parsed.ok) throw new Error(`typo at ${i} (${secret[i]} → ${c}) accepted: ${typo}`);
            tried++;
          }
        }
      }
    }
    expect(tried).toBe(2 * 5 * 50 * 62);
  });

  it('rejects swapped neighbours, dropped and doubled characters', () => {
    for (let sample = 0; sample < 10; sample++) {
      const { secret } = generateKey(sample % 2 ? ApiKeyKind.CLIENT : ApiKeyKind.ADMIN);
      for (let i = 0; i < secret.length - 1; i++) {
        if (secret[i] !== secret[i + 1]) {
          const swapped = secret.slice(0, i) + secret[i + 1] + secret[i] + secret.slice(i + 2);
          expect(parseKey(swapped).ok).toBe(false);
        }
        expect(parseKey(secret.slice(0, i) + secret.slice(i + 1)).ok).toBe(false);
        expect(parseKey(secret.slice(0, i) + secret[i] + secret.slice(i)).ok).toBe(false);
      }
    }
  });

  it('reports the prefix of a well-formed key whose checksum fails, and nothing else', () => {
    const { secret, prefix } = generateKey(ApiKeyKind.ADMIN);
    const last = secret.at(-1) === 'A' ? 'B' : 'A';
    expect(parseKey(secret.slice(0, -1) + last)).toEqual({ ok: false, reason: 'checksum', prefix });
  });

  it('reads the shape of a value without judging its checksum, which checksumHolds judges alone', () => {
    const { secret, prefix, hash } = generateKey(ApiKeyKind.CLIENT);
    expect(keyShape(secret)).toEqual({ kind: ApiKeyKind.CLIENT, prefix, hash });
    expect(checksumHolds(secret)).toBe(true);
    const typo = secret.slice(0, -1) + (secret.at(-1) === 'A' ? 'B' : 'A');
    expect(keyShape(typo)).toEqual({ kind: ApiKeyKind.CLIENT, prefix, hash: hashKey(typo) });
    expect(checksumHolds(typo)).toBe(false);
    expect(keyShape('sk_4fQm9ZtX_' + 'a'.repeat(37))).toBeNull();
  });

  it.each([
    ['an empty string', ''],
    ['a word', 'hello'],
    ['a bare prefix', 'sk_4fQm9ZtX'],
    ['an unknown type', 'pk_4fQm9ZtX_' + 'a'.repeat(38)],
    ['an upper-case type', 'SK_4fQm9ZtX_' + 'a'.repeat(38)],
    ['a short id', 'sk_4fQm9Zt_' + 'a'.repeat(38)],
    ['a short secret', 'sk_4fQm9ZtX_' + 'a'.repeat(37)],
    ['a long secret', 'sk_4fQm9ZtX_' + 'a'.repeat(39)],
    ['a non-base62 character', 'sk_4fQm9ZtX_' + 'a'.repeat(37) + '-'],
    ['a JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl'],
    ['something very long', 'sk_' + 'a'.repeat(10_000)],
  ])('rejects %s as malformed', (_case, raw) => {
    expect(parseKey(raw)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('rejects a real key with surrounding whitespace or a line break (callers trim first)', () => {
    const { secret } = generateKey(ApiKeyKind.ADMIN);
    expect(parseKey(` ${secret}`).ok).toBe(false);
    expect(parseKey(`${secret}\n`).ok).toBe(false);
  });

  it('generates 1000 distinct keys, prefixes and hashes', () => {
    const keys = Array.from({ length: 1000 }, (_, i) => generateKey(i % 2 ? ApiKeyKind.CLIENT : ApiKeyKind.ADMIN));
    expect(new Set(keys.map((k) => k.secret)).size).toBe(1000);
    expect(new Set(keys.map((k) => k.prefix.slice(3))).size).toBe(1000);
    expect(new Set(keys.map((k) => k.hash)).size).toBe(1000);
    for (const key of keys) expect(parseKey(key.secret).ok).toBe(true);
  });

  it('draws ids and secrets from the whole base62 alphabet', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const { secret } = generateKey(ApiKeyKind.ADMIN);
      for (const c of secret.slice(3, 11) + secret.slice(12, 44)) seen.add(c);
    }
    expect([...seen].sort().join('')).toBe([...BASE62].sort().join(''));
  });
});
