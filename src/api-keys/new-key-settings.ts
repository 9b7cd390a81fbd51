import { EntityManager } from 'typeorm';
import { AccountPrincipal } from '../shared/principal';
import { ApiKeyKind } from '../shared/api-key-kind';
import { grantableScopes } from '../scopes/scope-grants';
import { CreditedKey, creditsAtCreation } from '../credits/key-credits';
import { normalizeKeyRateLimits } from '../rate-limits/key-rate-limits';
import { ApiKey } from './api-key.entity';
import { CreateApiKeyInput } from './api-key.inputs';
import { grantablePermissions, normalizeKeyName } from './api-key.rules';
import { normalizeMetadata } from './key-metadata';
import { normalizeAllowedIps } from './ip-allowlist';

/** What a new key holds that its creator chose: each checked by its own domain's rule, as updateApiKey checks it. */
export type NewKeySettings = Pick<ApiKey, 'name' | 'permissions' | 'metadata' | 'allowedIps' | 'scopes' | 'rateLimits'> & CreditedKey;

/** createApiKey's (and REST's) input, checked and normalised; refusals name the field. */
export async function settingsOfNewKey(
  manager: EntityManager,
  principal: AccountPrincipal,
  input: CreateApiKeyInput,
  kind: ApiKeyKind,
  /** Epoch ms, from the server's clock. */
  nowMs: number,
): Promise<NewKeySettings> {
  return {
    name: normalizeKeyName(input.name, kind),
    permissions: grantablePermissions(principal, input.permissions, kind),
    metadata: normalizeMetadata(input.metadata),
    allowedIps: normalizeAllowedIps(input.allowedIps),
    scopes: await grantableScopes(manager, principal, input.scopes, kind),
    ...creditsAtCreation(input.remaining, input.refill, nowMs),
    rateLimits: normalizeKeyRateLimits(input.rateLimits),
  };
}

/** API_KEY_CREATED's details: what the key holds, the optional settings only when set. */
export function creationDetails(key: ApiKey): Record<string, unknown> {
  return {
    kind: key.kind,
    permissions: key.permissions,
    expiresAt: key.expiresAt?.toISOString() ?? null,
    ...(key.metadata === null ? {} : { metadata: key.metadata }),
    ...(key.allowedIps.length === 0 ? {} : { allowedIps: key.allowedIps }),
    ...(key.scopes.length === 0 ? {} : { scopes: key.scopes }),
    ...(key.remaining === null ? {} : { remaining: key.remaining }),
    ...(key.refill === null ? {} : { refill: key.refill }),
    ...(key.rateLimits.length === 0 ? {} : { rateLimits: key.rateLimits }),
  };
}
