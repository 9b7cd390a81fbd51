import { createPublicKey, KeyObject, verify } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { ConfigError } from '../config/config';

/** Why an alert was refused before any token in it was looked at: the adapter answers 401 with this message. */
export class AlertSignatureError extends Error {}

/**
 * The public keys GitHub signs secret scanning alerts with, from the file
 * GITHUB_SECRET_SCANNING_KEYS names, in the format of
 * https://api.github.com/meta/public_keys/secret_scanning:
 * `{"public_keys": [{"key_identifier": "…", "key": "-----BEGIN PUBLIC KEY-----…", "is_current": true}]}`.
 *
 * Read at start (a bad file stops the start, like any bad setting), and again
 * when an alert names an identifier the file lacked, if the file changed since:
 * GitHub rotates its keys, and the operator's fresh copy is picked up without a
 * restart. A file that went bad since is ignored and the keys read before stay.
 * Keys no longer `is_current` still verify: GitHub signs with a retired key for a while.
 */
export class GitHubPublicKeys {
  private keys = new Map<string, KeyObject>();
  private readAt: number | null = null;

  constructor(private readonly path: string | undefined) {
    if (path !== undefined) this.read(path);
  }

  /**
   * Checks that `signature` (base64 of an ASN.1 DER ECDSA signature) is the
   * key `identifier`'s, P-256 with SHA-256, over the body's raw bytes: exactly
   * as received, since any re-serialised JSON would be other bytes.
   */
  verify(identifier: string | undefined, signature: string | undefined, body: Buffer): void {
    if (this.path === undefined) {
      throw new AlertSignatureError(
        'GitHub secret scanning is not set up on this server (GITHUB_SECRET_SCANNING_KEYS): no alert can be verified',
      );
    }
    if (!identifier) throw new AlertSignatureError('The Github-Public-Key-Identifier header is missing');
    if (!signature) throw new AlertSignatureError('The Github-Public-Key-Signature header is missing');
    const key = this.find(identifier);
    if (!key)
      throw new AlertSignatureError(`No GitHub public key has the identifier in Github-Public-Key-Identifier (${printable(identifier)})`);
    const der = Buffer.from(signature, 'base64');
    let valid = false;
    try {
      valid = der.length > 0 && verify('sha256', body, { key, dsaEncoding: 'der' }, der);
    } catch {
      // Not a DER signature at all: as wrong as a valid one of other bytes.
    }
    if (!valid) throw new AlertSignatureError('Github-Public-Key-Signature is not the signature of this body by that key');
  }

  private find(identifier: string): KeyObject | undefined {
    const known = this.keys.get(identifier);
    if (known || this.path === undefined) return known;
    try {
      if (statSync(this.path).mtimeMs !== this.readAt) this.read(this.path);
    } catch {
      // A file being replaced or gone bad: keep verifying with the keys read before.
    }
    return this.keys.get(identifier);
  }

  private read(path: string): void {
    const mtime = fileTime(path);
    let list: unknown;
    try {
      list = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new ConfigError(`GITHUB_SECRET_SCANNING_KEYS: cannot read ${path} as JSON (${(error as Error).message})`);
    }
    const entries = (list as { public_keys?: unknown })?.public_keys;
    if (!Array.isArray(entries) || entries.length === 0) {
      throw new ConfigError(`GITHUB_SECRET_SCANNING_KEYS: ${path} must hold {"public_keys": [{"key_identifier", "key", "is_current"}, …]}`);
    }
    const keys = new Map<string, KeyObject>();
    for (const entry of entries as Array<{ key_identifier?: unknown; key?: unknown }>) {
      if (typeof entry?.key_identifier !== 'string' || typeof entry.key !== 'string') {
        throw new ConfigError(`GITHUB_SECRET_SCANNING_KEYS: every entry of ${path} needs a key_identifier and a PEM key`);
      }
      keys.set(entry.key_identifier, publicKey(entry.key, entry.key_identifier, path));
    }
    this.keys = keys;
    this.readAt = mtime;
  }
}

function publicKey(pem: string, identifier: string, path: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new ConfigError(`GITHUB_SECRET_SCANNING_KEYS: the key ${identifier} in ${path} is not a PEM public key`);
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new ConfigError(`GITHUB_SECRET_SCANNING_KEYS: the key ${identifier} in ${path} is not an ECDSA P-256 key`);
  }
  return key;
}

function fileTime(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    throw new ConfigError(`GITHUB_SECRET_SCANNING_KEYS: ${path} does not exist or cannot be read`);
  }
}

/** An identifier is hex; anything else is shown cut short and with only printable ASCII. */
function printable(text: string): string {
  const shown = text.slice(0, 80).replace(/[^\x20-\x7e]/g, '?');
  return text.length > 80 ? `${shown}…` : shown;
}
