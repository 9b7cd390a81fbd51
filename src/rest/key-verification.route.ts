import { KEY_VERIFIER } from '../authentication/key-verification.service';
import { KeyVerification } from '../authentication/key-verification.type';
import { BadUserInputError } from '../shared/errors';
import { jsonObject } from './rest.input';
import { VerificationFieldNames, verificationOptions } from '../authentication/verification-options';
import { RestAnswer, RestRoute } from './rest.route';

export const KEY_VERIFICATION_PATH = '/v1/keys/verify';

const REST_NAMES: VerificationFieldNames = { requiredScopes: 'required_scopes', ip: 'ip', cost: 'cost', rateLimits: 'rate_limits' };

/**
 * POST /v1/keys/verify `{"key": "…"}`: the REST twin of verifyApiKey, for
 * services that would rather not speak GraphQL. Same credentials and error
 * shape as the other REST routes; 200 with the verification whatever its
 * outcome (a refused key is an answer, not an error of this call). The
 * caller's pool is reported but not charged: the verified key's pool is.
 */
export const KEY_VERIFICATION_ROUTE: RestRoute = {
  method: 'post',
  path: KEY_VERIFICATION_PATH,
  requirement: KEY_VERIFIER,
  cost: 0,
  bodyFields: ['key', 'required_scopes', 'ip', 'cost', 'rate_limits'],
  handle(services, caller, req) {
    const body = jsonObject(req.body);
    const key = body.key;
    if (typeof key !== 'string' || key.trim() === '') throw new BadUserInputError('key', 'key must be the API key to verify, as a string');
    const options = verificationOptions(
      { requiredScopes: body.required_scopes, ip: body.ip, cost: body.cost, rateLimits: body.rate_limits },
      REST_NAMES,
    );
    const answer = (verification: KeyVerification): RestAnswer => ({ status: 200, body: { ok: true, data: present(verification) } });
    let verification: KeyVerification | Promise<KeyVerification>;
    try {
      verification = services.keyVerification.verify(caller, key, options);
    } catch (error) {
      throw restField(error);
    }
    return verification instanceof Promise
      ? verification.then(answer, (error: unknown) => Promise.reject(restField(error)))
      : answer(verification);
  },
};

/** A limit the key lacks is refused naming the service's field (rateLimits[i].name): renamed as this body spells it. */
function restField(error: unknown): unknown {
  if (!(error instanceof BadUserInputError) || !error.field.startsWith('rateLimits[')) return error;
  return new BadUserInputError(`rate_limits${error.field.slice('rateLimits'.length)}`, error.message);
}

/** In the REST contract's snake_case, ids as JSON numbers; permissions as resource:action, like the key routes. */
function present(v: KeyVerification) {
  return {
    valid: v.valid,
    code: v.code,
    prefix: v.prefix,
    kind: v.kind?.toLowerCase() ?? null,
    account: v.account ? { id: v.account.id, name: v.account.name } : null,
    client: v.client ? { id: v.client.id, name: v.client.name, external_id: v.client.externalId ?? null } : null,
    permissions: v.permissions,
    expires_at: v.expiresAt?.toISOString() ?? null,
    rate_limit: v.rateLimit
      ? { limit: v.rateLimit.limit, remaining: v.rateLimit.remaining, reset_at: v.rateLimit.resetAt.toISOString() }
      : null,
    metadata: v.metadata,
    scopes: v.scopes,
    remaining: v.remaining,
    rate_limits:
      v.rateLimits?.map((l) => ({ name: l.name, limit: l.limit, remaining: l.remaining, reset_at: l.resetAt.toISOString() })) ?? null,
  };
}
