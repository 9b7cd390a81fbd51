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
    const answer = (verification: KeyVerification): RestAnswer => ({ status: 200, body: null, json: answerJson(verification) });
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

/**
 * The answer's JSON, in the REST contract's snake_case. A verification of a
 * working key repeats its key's details (prefix to expires_at, metadata and
 * scopes) answer after answer: their JSON is kept by the cached record they
 * come from (the source), and only what changes (the verdict, the pool, the
 * uses) is written out each time. A refusal has no source: its details
 * (all null) are serialised for it alone.
 */
function answerJson(v: KeyVerification): string {
  const details = v.source === undefined ? detailsOf(v) : detailsJson(v.source, v);
  return (
    `{"ok":true,"data":{"valid":${v.valid},"code":${JSON.stringify(v.code)},${details.head},` +
    `"rate_limit":${v.rateLimit ? limitJson(v.rateLimit.limit, v.rateLimit.remaining, v.rateLimit.resetAt) : 'null'},${details.tail},` +
    `"remaining":${v.remaining ?? null},"rate_limits":${v.rateLimits ? `[${v.rateLimits.map(namedLimitJson).join(',')}]` : 'null'}}}`
  );
}

/*
 * The pool and the named limits, written out: counts are integers (JSON's
 * number is their String), and a window's reset time is the same for every
 * answer until the window turns, so its ISO text is kept (isoText) rather
 * than made from a Date each time.
 */
function limitJson(limit: number, remaining: number, resetAt: Date): string {
  return `{"limit":${limit},"remaining":${remaining},"reset_at":"${isoText(resetAt)}"}`;
}

function namedLimitJson(l: { name: string; limit: number; remaining: number; resetAt: Date }): string {
  return `{"name":${JSON.stringify(l.name)},${limitJson(l.limit, l.remaining, l.resetAt).slice(1)}`;
}

/** By epoch ms: a few windows' ends at a time, so a small map, cleared when full. */
const ISO_TEXTS = new Map<number, string>();
const MAX_ISO_TEXTS = 256;

function isoText(date: Date): string {
  const ms = date.getTime();
  let text = ISO_TEXTS.get(ms);
  if (text === undefined) {
    if (ISO_TEXTS.size >= MAX_ISO_TEXTS) ISO_TEXTS.clear();
    text = date.toISOString();
    ISO_TEXTS.set(ms, text);
  }
  return text;
}

/** The key's details as two runs of JSON members: `head` before rate_limit, `tail` after it. */
interface DetailsJson {
  head: string;
  tail: string;
}

/** By cached record; bounded, so records the cache has let go of are let go of here too, soon. */
const DETAILS = new Map<object, DetailsJson>();
const MAX_DETAILS = 1024;

function detailsJson(source: object, v: KeyVerification): DetailsJson {
  let details = DETAILS.get(source);
  if (details === undefined) {
    details = detailsOf(v);
    if (DETAILS.size >= MAX_DETAILS) DETAILS.clear();
    DETAILS.set(source, details);
  }
  return details;
}

/** Ids as JSON numbers; permissions as resource:action, like the key routes. */
function detailsOf(v: KeyVerification): DetailsJson {
  const head = JSON.stringify({
    prefix: v.prefix,
    kind: v.kind?.toLowerCase() ?? null,
    account: v.account ? { id: v.account.id, name: v.account.name } : null,
    client: v.client ? { id: v.client.id, name: v.client.name, external_id: v.client.externalId ?? null } : null,
    permissions: v.permissions,
    expires_at: v.expiresAt?.toISOString() ?? null,
  });
  const tail = JSON.stringify({ metadata: v.metadata, scopes: v.scopes });
  return { head: head.slice(1, -1), tail: tail.slice(1, -1) };
}
