import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { ValueTransformer } from 'typeorm';
import { BadUserInputError } from '../shared/errors';

/*
 * A key's allowedIps: the addresses its requests and verifications may come
 * from. The one home of the rule: the inputs are checked and normalised here
 * (createApiKey, updateApiKey, the REST routes), stored as one text column
 * (ALLOWED_IPS_COLUMN), and turned here into the matcher the verification
 * cache keeps with the key (compileAllowlist). An empty list: any address.
 */

/** Enough for a few offices and a fleet of servers; a longer list wants a network rule, not a key rule. */
export const MAX_ALLOWED_IPS = 100;

const EXAMPLES = 'such as 203.0.113.7, 10.0.0.0/8 or 2001:db8::/32';

/**
 * Checks and normalises a list of IPv4/IPv6 addresses and CIDR ranges. Each
 * entry is stored in one spelling: a range by its network address (host bits
 * cleared: 10.1.2.3/8 is 10.0.0.0/8), IPv6 in RFC 5952's compressed lower
 * case, a single address (/32, /128) without its length, and an IPv4-mapped
 * IPv6 address or range (::ffff:10.0.0.0/104) as the IPv4 one it means.
 * Repeats are dropped; the order is kept. Null or absent: the empty list.
 */
export function normalizeAllowedIps(value: unknown, field = 'allowedIps'): string[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) {
    throw new BadUserInputError(field, `${field} must be a list of IPv4 or IPv6 addresses and CIDR ranges, ${EXAMPLES}`);
  }
  if (value.length > MAX_ALLOWED_IPS) {
    throw new BadUserInputError(field, `${field} may hold at most ${MAX_ALLOWED_IPS} entries; got ${value.length}`);
  }
  const entries = value.map((entry: unknown) => {
    const rule = typeof entry === 'string' ? parseRule(entry.trim()) : null;
    if (rule === null) {
      const shown = typeof entry === 'string' ? `"${entry.slice(0, 60)}"` : (JSON.stringify(entry) ?? String(entry));
      throw new BadUserInputError(field, `${field} entry ${shown} is not an IPv4 or IPv6 address or CIDR range, ${EXAMPLES}`);
    }
    return formatRule(rule);
  });
  return [...new Set(entries)];
}

/** A stored rule, as normalizeAllowedIps wrote it (it never stores another). */
interface Rule {
  family: 'ipv4' | 'ipv6';
  /** 4 or 16 bytes, host bits cleared. */
  bytes: number[];
  prefix: number;
}

/**
 * Where a key's requests may come from, prepared once per cached key. Keys
 * without a list have none (null), so they pay nothing per request.
 */
export class IpAllowlist {
  private readonly blocks = new BlockList();
  /**
   * The last answers by address: a key is used from a few addresses, and
   * BlockList.check makes a SocketAddress per call (a few microseconds, the
   * largest cost of a verification with an allowlist).
   */
  private readonly answers = new Map<string, boolean>();

  private constructor(rules: readonly Rule[]) {
    for (const rule of rules) {
      const network = formatAddress(rule);
      const single = rule.prefix === rule.bytes.length * 8;
      if (single) this.blocks.addAddress(network, rule.family);
      else this.blocks.addSubnet(network, rule.prefix, rule.family);
    }
  }

  /** The matcher of a stored list; null for an empty one (any address). */
  static of(entries: readonly string[]): IpAllowlist | null {
    if (entries.length === 0) return null;
    const rules = entries.map((entry) => parseRule(entry)).filter((rule): rule is Rule => rule !== null);
    return new IpAllowlist(rules);
  }

  /**
   * Whether a request from `ip` may use the key. No address (a verification
   * that gives none, a socket already gone) fails closed: a key limited to
   * some addresses is never accepted from an unknown one.
   */
  allows(ip: string | null): boolean {
    if (ip === null) return false;
    const known = this.answers.get(ip);
    if (known !== undefined) return known;
    const address = callerAddress(ip);
    const allowed = address !== null && this.blocks.check(address.ip, address.family);
    // Bounded: a key tried from many addresses starts afresh rather than growing.
    if (this.answers.size >= REMEMBERED_ANSWERS) this.answers.clear();
    this.answers.set(ip, allowed);
    return allowed;
  }
}

const REMEMBERED_ANSWERS = 64;

/** The matcher of a key's stored list, or null when the list is empty: what the verification cache keeps. */
export function compileAllowlist(entries: readonly string[] | null | undefined): IpAllowlist | null {
  return entries ? IpAllowlist.of(entries) : null;
}

/**
 * The column: the normalised entries joined by commas (no entry holds one),
 * NULL for the empty list, so a key without a list stores nothing.
 */
export const ALLOWED_IPS_COLUMN: ValueTransformer = {
  to: (value: readonly string[] | undefined) => (value === undefined ? undefined : value.length === 0 ? null : value.join(',')),
  from: (value: string | null) => (value ? value.split(',') : []),
};

const MAPPED_IPV4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/** A caller's address as BlockList takes it: an IPv4-mapped IPv6 address is the IPv4 one, a zone is dropped. */
function callerAddress(raw: string): { ip: string; family: 'ipv4' | 'ipv6' } | null {
  if (isIPv4(raw)) return { ip: raw, family: 'ipv4' };
  const zone = raw.indexOf('%');
  const ip = zone === -1 ? raw : raw.slice(0, zone);
  const mapped = MAPPED_IPV4.exec(ip);
  if (mapped && isIPv4(mapped[1])) return { ip: mapped[1], family: 'ipv4' };
  return isIPv6(ip) ? { ip, family: 'ipv6' } : null;
}

function parseRule(text: string): Rule | null {
  const slash = text.indexOf('/');
  const address = slash === -1 ? text : text.slice(0, slash);
  const length = slash === -1 ? null : text.slice(slash + 1);
  if (length !== null && !/^\d{1,3}$/.test(length)) return null;
  const v4 = parseIPv4(address);
  if (v4) return masked('ipv4', v4, length === null ? 32 : Number(length));
  const v6 = parseIPv6(address);
  if (!v6) return null;
  const prefix = length === null ? 128 : Number(length);
  if (prefix > 128) return null;
  // ::ffff:a.b.c.d/96+ is an IPv4 rule written as IPv6: store it as the IPv4 rule it means.
  if (prefix >= 96 && v6.slice(0, 10).every((byte) => byte === 0) && v6[10] === 0xff && v6[11] === 0xff) {
    return masked('ipv4', v6.slice(12), prefix - 96);
  }
  return masked('ipv6', v6, prefix);
}

function masked(family: Rule['family'], bytes: number[], prefix: number): Rule | null {
  if (prefix > bytes.length * 8) return null;
  const cleared = bytes.map((byte, i) => {
    const bits = Math.max(0, Math.min(8, prefix - i * 8));
    return byte & ((0xff << (8 - bits)) & 0xff);
  });
  return { family, bytes: cleared, prefix };
}

function formatRule(rule: Rule): string {
  const address = formatAddress(rule);
  return rule.prefix === rule.bytes.length * 8 ? address : `${address}/${rule.prefix}`;
}

function formatAddress({ family, bytes }: Rule): string {
  if (family === 'ipv4') return bytes.join('.');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i] << 8) | bytes[i + 1]);
  // RFC 5952: the longest run of two or more zero groups (the first of equals) becomes "::".
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let end = i;
    while (end < 8 && groups[end] === 0) end++;
    if (end - i > bestLength) [bestStart, bestLength] = [i, end - i];
    i = end;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** Dotted quad, decimal, no leading zeros (010.0.0.1 would read as octal to some tools). */
function parseIPv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const bytes = parts.map((part) => (/^(0|[1-9]\d{0,2})$/.test(part) ? Number(part) : NaN));
  return bytes.every((byte) => byte <= 255) ? bytes : null;
}

/** Eight hex groups, one "::" at most, an IPv4 tail allowed; no zone (an allowlist names no interface). */
function parseIPv6(text: string): number[] | null {
  if (!/^[0-9a-f:.]+$/i.test(text)) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groupsOf = (half: string): number[] | null => {
    if (half === '') return [];
    const parts = half.split(':');
    const groups: number[] = [];
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      if (i === parts.length - 1 && part.includes('.')) {
        const v4 = parseIPv4(part);
        if (!v4) return null;
        groups.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else if (/^[0-9a-f]{1,4}$/i.test(part)) {
        groups.push(parseInt(part, 16));
      } else {
        return null;
      }
    }
    return groups;
  };
  const head = groupsOf(halves[0]);
  const tail = halves.length === 2 ? groupsOf(halves[1]) : [];
  if (!head || !tail) return null;
  // An IPv4 tail belongs at the very end only.
  if (halves.length === 2 && halves[0].includes('.')) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  return groups.flatMap((group) => [group >> 8, group & 0xff]);
}
