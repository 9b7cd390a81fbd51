import { isIP } from 'node:net';
import { BadUserInputError } from '../shared/errors';
import { LIMIT_NAME, SCOPE_NAME } from '../shared/platform-names';
import { DEFAULT_VERIFICATION, NamedLimitCharge, VerificationOptions } from './key-verification.type';

/** What a verification's caller wrote, before it is checked: verifyApiKey's arguments or the REST body's fields. */
export interface VerificationRequest {
  requiredScopes?: unknown;
  ip?: unknown;
  cost?: unknown;
  rateLimits?: unknown;
}

/** How the caller spells each field (GraphQL camelCase by default; REST passes its snake_case). */
export type VerificationFieldNames = Record<keyof VerificationRequest, string>;

const GRAPHQL_NAMES: VerificationFieldNames = { requiredScopes: 'requiredScopes', ip: 'ip', cost: 'cost', rateLimits: 'rateLimits' };

const MAX_REQUIRED_SCOPES = 50;
const MAX_LIMIT_CHARGES = 20;
/** Larger costs are surely a mistake, and would overflow nothing but a reader's patience. */
export const MAX_VERIFICATION_COST = 1_000_000;

/**
 * The one check of a verification's options, for both adapters: absent (or
 * null) fields take their defaults, anything malformed is a 400 naming the
 * field as the caller wrote it. Most verifications send only the key: they
 * share one frozen default.
 */
export function verificationOptions(request: VerificationRequest, names: VerificationFieldNames = GRAPHQL_NAMES): VerificationOptions {
  const { requiredScopes, ip, cost, rateLimits } = request;
  if (isAbsent(requiredScopes) && isAbsent(ip) && isAbsent(cost) && isAbsent(rateLimits)) return DEFAULT_VERIFICATION;
  return {
    requiredScopes: isAbsent(requiredScopes) ? DEFAULT_VERIFICATION.requiredScopes : scopeList(requiredScopes, names.requiredScopes),
    ip: isAbsent(ip) ? null : address(ip, names.ip),
    cost: isAbsent(cost) ? DEFAULT_VERIFICATION.cost : count(cost, names.cost),
    rateLimits: isAbsent(rateLimits) ? null : limitCharges(rateLimits, names.rateLimits),
  };
}

function isAbsent(value: unknown): value is undefined | null {
  return value === undefined || value === null;
}

function scopeList(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || value.some((scope) => typeof scope !== 'string')) {
    throw new BadUserInputError(field, `${field} must be a list of scope names (resource:action)`);
  }
  if (value.length > MAX_REQUIRED_SCOPES) throw new BadUserInputError(field, `${field} may name at most ${MAX_REQUIRED_SCOPES} scopes`);
  const bad = (value as string[]).find((scope) => !SCOPE_NAME.test(scope));
  if (bad !== undefined)
    throw new BadUserInputError(field, `${field}: "${bad.slice(0, 80)}" is not a scope name (resource:action, lower case)`);
  return [...new Set(value as string[])];
}

function address(value: unknown, field: string): string {
  if (typeof value !== 'string' || isIP(value.trim()) === 0) {
    throw new BadUserInputError(field, `${field} must be the caller's IPv4 or IPv6 address, e.g. 203.0.113.7 or 2001:db8::1`);
  }
  return value.trim();
}

function count(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_VERIFICATION_COST) {
    throw new BadUserInputError(field, `${field} must be a whole number from 0 to ${MAX_VERIFICATION_COST}`);
  }
  return value;
}

function limitCharges(value: unknown, field: string): NamedLimitCharge[] {
  if (!Array.isArray(value)) throw new BadUserInputError(field, `${field} must be a list of { name, cost } objects`);
  if (value.length > MAX_LIMIT_CHARGES) throw new BadUserInputError(field, `${field} may name at most ${MAX_LIMIT_CHARGES} limits`);
  const seen = new Set<string>();
  return value.map((entry: unknown, i) => {
    const at = `${field}[${i}]`;
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry))
      throw new BadUserInputError(at, `${at} must be { name, cost }`);
    const { name, cost, ...rest } = entry as Record<string, unknown>;
    const extra = Object.keys(rest)[0];
    if (extra !== undefined)
      throw new BadUserInputError(`${at}.${extra}`, `${at}.${extra} is not a field; a limit charge takes name and cost`);
    if (typeof name !== 'string' || !LIMIT_NAME.test(name)) {
      throw new BadUserInputError(`${at}.name`, `${at}.name must be the name of one of the key's rate limits`);
    }
    if (seen.has(name)) throw new BadUserInputError(`${at}.name`, `${at}.name: "${name}" is named twice`);
    seen.add(name);
    return { name, cost: isAbsent(cost) ? 1 : count(cost, `${at}.cost`) };
  });
}
