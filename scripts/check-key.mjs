#!/usr/bin/env node
// Checks candidate keyward keys offline, with nothing but Node: the format and
// the CRC32 checksum, as src/api-keys/key-material.ts makes them. No network,
// no database, no dependency: for secret scanners, incident responders and
// anyone who found a string and wonders whether it is a keyward key.
//
//   node scripts/check-key.mjs <candidate>…    each argument
//   node scripts/check-key.mjs < file           each line of stdin
//   node scripts/check-key.mjs --scan < file    every key-shaped string anywhere in stdin
//
// Prints one line per candidate: "valid <prefix> <type>" or "invalid <why>".
// Exit status: 0 when every candidate is a valid key (with --scan: when one was
// found), 1 otherwise, 2 for a usage error. A valid checksum says the string
// is shaped exactly like a key keyward issued; whether it is live, only keyward
// knows: report it (POST /v1/keys/report-leak).
//
// Layout: <type>_<id8>_<secret32><crc6>, 50 characters.
//   type    sk (admin key) or cl (client key)
//   id8     8 base62 characters; <type>_<id8> is the key's prefix
//   secret  32 base62 characters
//   crc6    CRC32 (IEEE, as zlib and PNG) of the 44 characters before it,
//           written in base62 with the alphabet 0-9A-Za-z, most significant
//           digit first, left-padded with 0 to 6 characters
import { createInterface } from 'node:readline';

const TYPES = { sk: 'admin key', cl: 'client key' };
/** One pattern per key type, as registered with secret scanners (README: Leaked keys). */
const PATTERNS = {
  sk: /\bsk_[0-9A-Za-z]{8}_[0-9A-Za-z]{38}\b/g,
  cl: /\bcl_[0-9A-Za-z]{8}_[0-9A-Za-z]{38}\b/g,
};
/** A whole candidate: one of the patterns, and nothing around it. */
const FORMAT = /^(?:sk|cl)_[0-9A-Za-z]{8}_[0-9A-Za-z]{38}$/;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(text) {
  let crc = 0xffffffff;
  for (const byte of Buffer.from(text, 'utf8')) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function base62(value, width) {
  let out = '';
  for (let n = value, i = 0; i < width; i++, n = Math.floor(n / 62)) out = BASE62[n % 62] + out;
  return out;
}

/** The verdict on one candidate, as printed. */
function check(candidate) {
  const key = candidate.trim();
  if (!FORMAT.test(key)) {
    return { valid: false, line: 'invalid not in the keyward key format (sk_ or cl_, 8 + 38 base62 characters, 50 in all)' };
  }
  const expected = base62(crc32(key.slice(0, 44)), 6);
  if (key.slice(44) !== expected) return { valid: false, line: `invalid checksum (a typo, or not a keyward key): ${key.slice(0, 11)}` };
  return { valid: true, line: `valid ${key.slice(0, 11)} ${TYPES[key.slice(0, 2)]}` };
}

async function lines() {
  const read = [];
  for await (const line of createInterface({ input: process.stdin })) read.push(line);
  return read;
}

async function main(args) {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write('usage: check-key.mjs <candidate>… | check-key.mjs < file | check-key.mjs --scan < file\n');
    return 0;
  }
  if (args[0] === '--scan') {
    if (args.length > 1) return usage();
    const text = (await lines()).join('\n');
    const found = Object.values(PATTERNS).flatMap((pattern) => [...text.matchAll(pattern)].map((m) => m[0]));
    const valid = found.map(check).filter((verdict) => verdict.valid);
    for (const verdict of valid) process.stdout.write(`${verdict.line}\n`);
    return valid.length > 0 ? 0 : 1;
  }
  if (args.some((arg) => arg.startsWith('--'))) return usage();
  const candidates = args.length > 0 ? args : (await lines()).filter((line) => line.trim() !== '');
  if (candidates.length === 0) return usage();
  const verdicts = candidates.map(check);
  for (const verdict of verdicts) process.stdout.write(`${verdict.line}\n`);
  return verdicts.every((verdict) => verdict.valid) ? 0 : 1;
}

function usage() {
  process.stderr.write('usage: check-key.mjs <candidate>… | check-key.mjs < file | check-key.mjs --scan < file\n');
  return 2;
}

process.exitCode = await main(process.argv.slice(2));
