import { ApiKeyKind } from '../shared/api-key-kind';
import { ApiKeyStatus, statusOf } from '../api-keys/api-key-status';
import { ApiKey } from '../api-keys/api-key.entity';
import { ApiKeyFilter, CreateApiKeyInput } from '../api-keys/api-key.inputs';
import { Caller } from '../shared/caller';
import { requireAccountPrincipal } from '../shared/principal';
import { BadUserInputError, NotFoundError } from '../shared/errors';
import { Permission } from '../shared/permission';
import { Services } from '../services/services';
import { needs, RestAnswer, RestInput, RestRoute } from './rest.route';
import { idValue, jsonObject, optionalDate, optionalId, optionalInteger, permissionList, queryValue, validated } from './rest.input';

export const CLIENT_API_KEY_PATH = '/api/v1/client/api-key';

/**
 * The client-key REST contract. The permissions are the ones the GraphQL
 * twins declare: createApiKey, resetApiKey and deleteApiKey need keys:write,
 * apiKeys needs keys:read.
 */
export const CLIENT_API_KEY_ROUTES: readonly RestRoute[] = [
  {
    method: 'post',
    path: CLIENT_API_KEY_PATH,
    requirement: needs(Permission.KEYS_WRITE),
    bodyFields: ['clientId', 'keyName', 'permissions', 'expiresAt', 'allowed_ips', 'scopes', 'remaining', 'refill', 'rate_limits'],
    fieldNames: { name: 'keyName', allowedIps: 'allowed_ips', rateLimits: 'rate_limits' },
    handle: create,
  },
  {
    method: 'get',
    path: CLIENT_API_KEY_PATH,
    requirement: needs(Permission.KEYS_READ),
    queryParameters: ['clientId', 'status', 'keyName', 'limit', 'after'],
    fieldNames: { name: 'keyName', first: 'limit' },
    handle: list,
  },
  { method: 'delete', path: `${CLIENT_API_KEY_PATH}/:id`, requirement: needs(Permission.KEYS_WRITE), handle: remove },
  {
    method: 'put',
    path: `${CLIENT_API_KEY_PATH}/reset/:id`,
    requirement: needs(Permission.KEYS_WRITE),
    bodyFields: ['gracePeriodSeconds'],
    handle: reset,
  },
];

async function create(services: Services, caller: Caller, req: RestInput): Promise<RestAnswer> {
  const body = jsonObject(req.body);
  const clientId = optionalId(body, 'clientId');
  // These routes make client keys only; a client key's own client is implied.
  if (clientId === undefined && requireAccountPrincipal(caller.principal).clientId === null) {
    throw new BadUserInputError('clientId', 'clientId is required: this route creates client keys');
  }
  const input = await validated(CreateApiKeyInput, {
    name: body.keyName,
    clientId: clientId ?? null,
    permissions: permissionList(body, 'permissions'),
    expiresAt: optionalDate(body, 'expiresAt'),
    allowedIps: body.allowed_ips,
    scopes: body.scopes,
    remaining: body.remaining,
    refill: restRefill(body.refill),
    rateLimits: restRateLimits(body.rate_limits),
  });
  const { apiKey, secret } = await services.apiKeyIssuer
    .create(caller, input)
    .catch((error: unknown) => Promise.reject(restLimitField(error)));
  // 200, not 201: the contract integrations already speak answers every success with 200.
  return { status: 200, body: { ok: true, data: await presentKey(services, apiKey, secret) } };
}

/** The contract's refill, `{ amount, interval: "daily" | "monthly" }` (either case), as the service takes it; checked there. */
function restRefill(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const { interval, ...rest } = value as Record<string, unknown>;
  return { ...rest, interval: typeof interval === 'string' ? interval.toUpperCase() : interval };
}

/** A refused rate_limits entry, named as this body spells it (rate_limits[0].duration_seconds, not rateLimits[0].durationSeconds). */
function restLimitField(error: unknown): unknown {
  if (!(error instanceof BadUserInputError) || !error.field.startsWith('rateLimits[')) return error;
  const spelled = (text: string) => text.replaceAll('rateLimits[', 'rate_limits[').replaceAll('.durationSeconds', '.duration_seconds');
  return new BadUserInputError(spelled(error.field), spelled(error.message));
}

/** The contract's rate_limits, `[{ name, limit, duration_seconds }]`, as the service takes them; checked there. */
function restRateLimits(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  return value.map((entry: unknown) => {
    if (entry === null || typeof entry !== 'object') return entry;
    const { duration_seconds: durationSeconds, ...rest } = entry as Record<string, unknown>;
    return { ...rest, durationSeconds };
  });
}

const STATUS_FILTERS: Record<string, ApiKeyStatus> = {
  active: ApiKeyStatus.ACTIVE,
  inactive: ApiKeyStatus.INACTIVE,
  expired: ApiKeyStatus.EXPIRED,
};

async function list(services: Services, caller: Caller, req: RestInput): Promise<RestAnswer> {
  const status = queryValue(req.query, 'status');
  if (status !== undefined && !Object.hasOwn(STATUS_FILTERS, status)) {
    throw new BadUserInputError('status', 'status must be one of active, inactive, expired');
  }
  const limit = queryValue(req.query, 'limit');
  if (limit !== undefined && !/^[0-9]{1,6}$/.test(limit)) throw new BadUserInputError('limit', 'limit must be an integer');
  const filter = await validated(ApiKeyFilter, {
    kind: ApiKeyKind.CLIENT,
    clientId: idValue(queryValue(req.query, 'clientId'), 'clientId'),
    name: queryValue(req.query, 'keyName'),
    status: status === undefined ? undefined : STATUS_FILTERS[status],
  });
  const page = await services.apiKeyQueries.list(caller, filter, {
    first: limit === undefined ? undefined : Number(limit),
    after: queryValue(req.query, 'after') ?? null,
  });
  const { hasNextPage, endCursor } = page.pageInfo;
  return {
    status: 200,
    body: {
      ok: true,
      data: await Promise.all(page.edges.map((edge) => presentKey(services, edge.node))),
      has_more: hasNextPage,
      next_cursor: hasNextPage ? endCursor : null,
    },
  };
}

async function remove(services: Services, caller: Caller, req: RestInput): Promise<RestAnswer> {
  const id = await clientKeyId(services, caller, req.params.id);
  return { status: 200, body: { ok: true, data: { id: Number(await services.apiKeyLifecycle.delete(caller, id)), deleted: true } } };
}

async function reset(services: Services, caller: Caller, req: RestInput): Promise<RestAnswer> {
  const gracePeriodSeconds = optionalInteger(jsonObject(req.body, { optional: true }), 'gracePeriodSeconds') ?? 0;
  const id = await clientKeyId(services, caller, req.params.id);
  const { apiKey, secret } = await services.apiKeyIssuer.reset(caller, id, gracePeriodSeconds);
  return {
    status: 200,
    body: {
      ok: true,
      data: {
        ...(await presentKey(services, apiKey, secret)),
        previous_key_expires_at: apiKey.previousKeyExpiresAt?.toISOString() ?? null,
      },
    },
  };
}

/**
 * These routes reach client keys only: an admin key's id is as unknown here
 * as another account's. The scope itself (account, own client) is the
 * service's, through the same query the GraphQL `apiKey` field uses.
 */
async function clientKeyId(services: Services, caller: Caller, id: string | string[]): Promise<string> {
  const raw = String(id);
  const key = await services.apiKeyQueries.get(caller, raw);
  if (key?.kind !== ApiKeyKind.CLIENT) throw new NotFoundError('Client API key', raw);
  return raw;
}

/**
 * A key in the contract's snake_case, ids as JSON numbers. `api_key`, the raw key, only in the
 * create and reset answers that made it; everywhere else the display
 * `prefix` identifies the key. Never the hash. Its credits as they are
 * counted now (KeyUseService.creditsNow), not the row's, which lags.
 */
export async function presentKey(services: Services, key: ApiKey, secret?: string) {
  const credits = await services.keyUses.creditsNow(key);
  return {
    id: key.id,
    client_id: key.clientId,
    key_name: key.name,
    ...(secret === undefined ? {} : { api_key: secret }),
    prefix: key.prefix,
    status: statusOf(key, services.clock.now()).toLowerCase(),
    permissions: key.permissions,
    expires_at: key.expiresAt?.toISOString() ?? null,
    allowed_ips: key.allowedIps,
    scopes: key.scopes,
    remaining: credits?.remaining ?? null,
    refill: key.refill === null ? null : { amount: key.refill.amount, interval: key.refill.interval.toLowerCase() },
    last_refill_at: credits?.lastRefillAt?.toISOString() ?? null,
    rate_limits: key.rateLimits.map((l) => ({ name: l.name, limit: l.limit, duration_seconds: l.durationSeconds })),
    last_used_at: key.lastUsedAt?.toISOString() ?? null,
    created_at: key.createdAt.toISOString(),
  };
}
