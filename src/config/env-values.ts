import { isIP } from 'node:net';
import proxyaddr from 'proxy-addr';

/**
 * The environment's values, read and checked: each parser takes the raw text
 * (or the environment and a name) and returns a typed value, or throws a
 * ConfigError that names the variable, so a bad setting stops the start.
 */

export class ConfigError extends Error {}

/**
 * TRUST_PROXY, as express's `trust proxy` reads it: false, the socket's peer
 * is the client (X-Forwarded-For is ignored); true, the left-most
 * X-Forwarded-For address; a number N, the address N hops back (N proxies
 * in front); a list, the proxies' own addresses and CIDR ranges (and the
 * names loopback, linklocal, uniquelocal), walked back from the socket.
 */
export type TrustProxy = boolean | number | readonly string[];

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** Checked here with the compiler the server will use (proxy-addr), so a typo stops the start, not the first request. */
export function parseTrustProxy(raw: string | undefined): TrustProxy {
  const value = nonEmpty(raw);
  if (value === undefined || value.toLowerCase() === 'false') return false;
  if (value.toLowerCase() === 'true') return true;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > 100) throw new ConfigError(`TRUST_PROXY must be at most 100 hops, got "${value}"`);
    return hops === 0 ? false : hops;
  }
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const named = entry.toLowerCase();
      if (PROXY_NAMES.has(named)) return named;
      try {
        proxyaddr.compile(entry);
      } catch {
        throw new ConfigError(
          `TRUST_PROXY: "${entry}" is not an IP address, a CIDR range or one of loopback, linklocal, uniquelocal ` +
            '(or set TRUST_PROXY to true, false or a number of hops)',
        );
      }
      return entry;
    });
}

/** A duration in (possibly fractional) seconds, returned in milliseconds; `fallbackMs` when unset. */
export function seconds(env: NodeJS.ProcessEnv, name: string, fallbackMs: number, range: { min: number; max: number }): number {
  const raw = nonEmpty(env[name]);
  const value = raw === undefined ? fallbackMs / 1000 : Number(raw);
  if (!Number.isFinite(value) || value < range.min || value > range.max) {
    throw new ConfigError(`${name} must be a number of seconds from ${range.min} to ${range.max}, got "${raw}"`);
  }
  return Math.round(value * 1000);
}

/** true or false (unset: false); anything else stops the start rather than guess. */
export function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = nonEmpty(env[name])?.toLowerCase();
  if (raw === undefined || raw === 'false' || raw === '0') return false;
  if (raw === 'true' || raw === '1') return true;
  throw new ConfigError(`${name} must be true or false, got "${env[name]}"`);
}

export function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, range: { min: number; max: number }): number {
  const raw = nonEmpty(env[name]);
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    throw new ConfigError(`${name} must be a whole number from ${range.min} to ${range.max}, got "${raw}"`);
  }
  return value;
}

export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

// A URL or an address with a port here would otherwise surface as a confusing ENOTFOUND at listen time.
export function parseHost(raw: string | undefined): string | undefined {
  const value = nonEmpty(raw);
  if (value === undefined) return undefined;
  const host = value.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host) === 0 && !HOST_NAME.test(host)) {
    throw new ConfigError(`HOST must be an IP address or a host name to listen on (such as 127.0.0.1, :: or localhost), got "${value}"`);
  }
  return host;
}

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

export function parsePort(raw: string): number {
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be an integer from 0 to 65535, got "${raw}"`);
  }
  return port;
}

// A short operator token is guessable, and so is one copied from an example file: refuse to start rather than run open.
export function parseAdminToken(raw: string | undefined): string | undefined {
  const token = nonEmpty(raw);
  if (token !== undefined && token.length < 16) {
    throw new ConfigError('PLATFORM_ADMIN_TOKEN must be at least 16 characters');
  }
  if (token !== undefined && PLACEHOLDER_TOKEN.test(token)) {
    throw new ConfigError(
      'PLATFORM_ADMIN_TOKEN is a placeholder from an example: set it to a long random string, e.g. $(openssl rand -hex 32)',
    );
  }
  return token;
}

/** How the placeholders in examples and templates begin (docker-compose.yml's once worked as a real token). */
const PLACEHOLDER_TOKEN = /^(change[-_]?me|example|placeholder)/i;

/** HS256 is only as strong as its secret: RFC 7518 asks for at least 256 bits. */
export const MIN_JWT_SECRET_LENGTH = 32;

export function parseJwtSecret(raw: string | undefined): string | undefined {
  const secret = nonEmpty(raw);
  if (secret !== undefined && secret.length < MIN_JWT_SECRET_LENGTH) {
    throw new ConfigError(`AUTH_JWT_SECRET must be at least ${MIN_JWT_SECRET_LENGTH} characters`);
  }
  return secret;
}

/** scheme://host[:port] and nothing after it: a browser's `Origin` never has a path, query, fragment or user. */
const ORIGIN_SHAPE = /^https?:\/\/[^/?#@\s]+$/i;

/**
 * Exact origins, as a browser sends them in `Origin`. An entry with a path,
 * even a trailing slash, could never match one: refused, not silently useless.
 */
export function parseOrigins(raw: string | undefined, name = 'CORS_ORIGINS'): string[] {
  const entries = (raw ?? '').split(',').map((entry) => entry.trim());
  return entries
    .filter((entry) => entry !== '')
    .map((entry) => {
      const origin = ORIGIN_SHAPE.test(entry) ? originOf(entry) : null;
      if (origin === null) {
        throw new ConfigError(
          `${name}: "${entry}" is not an origin; write scheme://host[:port], e.g. https://app.example.com (no path, no trailing slash)`,
        );
      }
      return origin;
    });
}

/** The normalised origin (lower-case host, default port dropped), or null when the URL is invalid (a bad port or host). */
function originOf(entry: string): string | null {
  try {
    return new URL(entry).origin;
  } catch {
    return null;
  }
}

export function parseJwksUrl(raw: string | undefined): string | undefined {
  const value = nonEmpty(raw);
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`AUTH_JWKS_URL must be an absolute URL, got "${value}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`AUTH_JWKS_URL must be an http(s) URL, got "${value}"`);
  }
  return url.toString();
}
