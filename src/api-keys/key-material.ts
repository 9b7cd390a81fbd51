import { hash, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { ApiKeyKind } from '../shared/api-key-kind';

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
const KEY_LENGTH = 50;
const PREFIX_LENGTH = 11;
const CHECKSUM_LENGTH = 6;
const KEY_PATTERN = /^(?:sk|cl)_[0-9A-Za-z]{8}_[0-9A-Za-z]{38}$/;

export interface GeneratedKey {
  /** The raw key: return it once, never store it. */
  secret: string;
  prefix: string;
  hash: string;
}

/** A value shaped like a key, before its checksum is judged: enough to look its hash up. */
export interface KeyShape {
  kind: ApiKeyKind;
  prefix: string;
  hash: string;
}

export type ParsedKey = ({ ok: true } & KeyShape) | { ok: false; reason: 'malformed' } | { ok: false; reason: 'checksum'; prefix: string };

export function generateKey(kind: ApiKeyKind): GeneratedKey {
  const prefix = `${TYPE_BY_KIND[kind]}_${randomBase62(8)}`;
  const body = `${prefix}_${randomBase62(32)}`;
  const secret = body + checksum(body);
  return { secret, prefix, hash: hashKey(secret) };
}

/** Format and checksum only: no I/O, so garbage never reaches the database. */
export function parseKey(raw: string): ParsedKey {
  if (!hasKeyFormat(raw)) return { ok: false, reason: 'malformed' };
  if (!checksumHolds(raw)) return { ok: false, reason: 'checksum', prefix: raw.slice(0, PREFIX_LENGTH) };
  return { ok: true, ...shapeOf(raw) };
}

/**
 * The format alone, and the hash: for a lookup in memory, where only values
 * whose checksum held were ever stored. Whatever misses there must pass
 * checksumHolds before it may cost a database read.
 */
export function keyShape(raw: string): KeyShape | null {
  return hasKeyFormat(raw) ? shapeOf(raw) : null;
}

/**
 * Whether the last six characters are the CRC of the rest. A plain
 * comparison: the checksum guards against typos, not guessing; anyone with a
 * candidate key can compute its CRC, so timing tells them nothing new.
 */
export function checksumHolds(raw: string): boolean {
  const bodyLength = raw.length - CHECKSUM_LENGTH;
  return checksum(raw.slice(0, bodyLength)) === raw.slice(bodyLength);
}

function hasKeyFormat(raw: string): boolean {
  return raw.length === KEY_LENGTH && KEY_PATTERN.test(raw);
}

function shapeOf(raw: string): KeyShape {
  return { kind: KIND_BY_TYPE[raw.slice(0, 2)], prefix: raw.slice(0, PREFIX_LENGTH), hash: hashKey(raw) };
}

/**
 * keyShape for the verification cache: the hash as the SHA-256's 32 bytes in a
 * one-byte string (48 bytes of heap, against 80 for hex); the stored hex is
 * `Buffer.from(digest, 'latin1').toString('hex')`.
 */
export function keyDigestShape(raw: string): { prefix: string; digest: string } | null {
  return hasKeyFormat(raw) ? { prefix: raw.slice(0, PREFIX_LENGTH), digest: hash('sha256', raw, 'binary') } : null;
}

export function looksLikeKey(raw: string): boolean {
  return /^(sk|cl)_/.test(raw);
}

export function hashKey(raw: string): string {
  // The one-shot form: no Hash object per call, on every authenticated request.
  return hash('sha256', raw, 'hex');
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
