import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { ApiKeyKind } from './api-key-kind';

/**
 * Key material, and the only module that makes or reads raw keys.
 *
 * Layout: `<type>_<id8>_<secret32><crc6>`, e.g. `sk_4fQm9ZtX_Wc1…` (50 chars)
 * - type: `sk` admin key, `cl` client key.
 * - id8: 8 random base62 characters. `sk_4fQm9ZtX` is the key's prefix: shown
 *   in lists, the audit log and error messages; it cannot authenticate.
 * - secret32: 32 base62 characters from crypto.randomBytes (~190 bits).
 * - crc6: CRC32 of everything before it, in 6 base62 characters, so typos and
 *   non-keys are rejected with no database access, and secret scanners can
 *   validate a leaked key offline.
 *
 * Only the SHA-256 (hex) of the whole key is stored. The plaintext exists in
 * the answer of the mutation that created or reset it, and nowhere else.
 */

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const TYPE_BY_KIND: Record<ApiKeyKind, string> = { [ApiKeyKind.ADMIN]: 'sk', [ApiKeyKind.CLIENT]: 'cl' };
const KIND_BY_TYPE: Record<string, ApiKeyKind> = { sk: ApiKeyKind.ADMIN, cl: ApiKeyKind.CLIENT };
const KEY_PATTERN = /^(sk|cl)_([0-9A-Za-z]{8})_([0-9A-Za-z]{32})([0-9A-Za-z]{6})$/;
/** Anything longer cannot be a key; don't even regex it. */
const MAX_KEY_LENGTH = 64;

export interface GeneratedKey {
  /** The raw key: return it once, never store it. */
  secret: string;
  prefix: string;
  hash: string;
}

export type ParsedKey =
  | { ok: true; kind: ApiKeyKind; prefix: string; hash: string }
  | { ok: false; reason: 'malformed' }
  | { ok: false; reason: 'checksum'; prefix: string };

export function generateKey(kind: ApiKeyKind): GeneratedKey {
  const prefix = `${TYPE_BY_KIND[kind]}_${randomBase62(8)}`;
  const body = `${prefix}_${randomBase62(32)}`;
  const secret = body + checksum(body);
  return { secret, prefix, hash: hashKey(secret) };
}

/** Format and checksum only: no I/O, so garbage never reaches the database. */
export function parseKey(raw: string): ParsedKey {
  if (raw.length > MAX_KEY_LENGTH) return { ok: false, reason: 'malformed' };
  const match = KEY_PATTERN.exec(raw);
  if (!match) return { ok: false, reason: 'malformed' };
  const [, type, id8, secret32, crc] = match;
  const prefix = `${type}_${id8}`;
  if (!safeEqual(checksum(`${prefix}_${secret32}`), crc)) return { ok: false, reason: 'checksum', prefix };
  return { ok: true, kind: KIND_BY_TYPE[type], prefix, hash: hashKey(raw) };
}

export function looksLikeKey(raw: string): boolean {
  return /^(sk|cl)_/.test(raw);
}

export function hashKey(raw: string): string {
  return createHash('sha256').update(raw).digest('hex');
}

export function checksum(body: string): string {
  return toBase62(crc32(body), 6);
}

function toBase62(value: number, width: number): string {
  let out = '';
  let n = value;
  for (let i = 0; i < width; i++) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

/** Uniform base62 by rejection sampling: 248 = 4 × 62, so bytes ≥ 248 are dropped. */
function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248) out += BASE62[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
