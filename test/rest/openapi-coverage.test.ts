import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { REST_ROUTES } from '../../src/rest/rest.router';
import { setRateLimit } from '../rate-limits/rate-limit.fixtures';
import { SeededAccount } from '../support/seed';
import { useTestServer } from '../support/harness';
import { rest, RestRequest, RestResponse } from './rest-client';

type Doc = any;
const PATH = '/api/v1/client/api-key';
const VERIFY = '/v1/keys/verify';
const openApiPath = (path: string) => path.replace(/:([A-Za-z_]+)/g, '{$1}');

/**
 * What the OpenAPI document says beyond the happy path — rate limits,
 * oversized bodies, other methods, the fields each route takes — checked
 * against the answers the server really gives.
 */
describe('the OpenAPI document covers what the REST routes really answer', () => {
  const t = useTestServer({}, { account: false });
  let doc: Doc;
  const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
  addFormats(ajv);

  beforeAll(async () => {
    doc = (await rest(t.url, { method: 'GET', path: '/openapi.json' })).body;
  });

  /** The documented answer for a status, its $ref followed. */
  function documented(answers: Record<string, any>, status: number) {
    const answer = answers[String(status)];
    expect([status, answer]).toEqual([status, expect.anything()]);
    return answer.$ref ? doc.components.responses[answer.$ref.split('/').pop()] : answer;
  }

  /** Holds a real answer to what the document says for its status: the body's schema, and every header marked required. */
  function conforms(res: RestResponse, answers: Record<string, any>) {
    const answer = documented(answers, res.status);
    const local = (value: unknown) => JSON.parse(JSON.stringify(value).replaceAll('#/components/schemas/', '#/$defs/'));
    const validate = ajv.compile({ ...local(answer.content['application/json'].schema), $defs: local(doc.components.schemas) });
    expect(validate(res.body) ? [] : validate.errors).toEqual([]);
    for (const [name, declared] of Object.entries<any>(answer.headers ?? {})) {
      const header = declared.$ref ? doc.components.headers[declared.$ref.split('/').pop()] : declared;
      if (header.required) expect([name, res.headers.has(name)]).toEqual([name, true]);
    }
    return answer;
  }

  /** A call and the route (express path) it is a call of. */
  type Call = RestRequest & { as: string; route: string };
  const operation = (call: Call) => doc.paths[openApiPath(call.route)][call.method.toLowerCase()];

  /** A well-formed call of each route, as `as`, aimed at a client key of `account`. */
  async function calls(account: SeededAccount): Promise<Call[]> {
    const as = account.primary.secret;
    const client = await t.seed.client(as);
    const key = await t.seed.key(as, { clientId: client.id });
    const gateway = await t.seed.key(as, { permissions: ['KEYS_VERIFY'] });
    const all: Call[] = [
      { route: PATH, method: 'POST', path: PATH, as, body: { clientId: client.id, keyName: 'covered' } },
      { route: PATH, method: 'GET', path: PATH, as, query: { clientId: client.id } },
      { route: `${PATH}/reset/:id`, method: 'PUT', path: `${PATH}/reset/${key.id}`, as, body: { gracePeriodSeconds: 0 } },
      {
        route: `${PATH}/usage/:id`,
        method: 'GET',
        path: `${PATH}/usage/${key.id}`,
        as,
        query: { from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date().toISOString() },
      },
      { route: `${PATH}/:id`, method: 'DELETE', path: `${PATH}/${key.id}`, as },
      { route: VERIFY, method: 'POST', path: VERIFY, as: gateway.secret, body: { key: as } },
    ];
    const named = all.map((call) => `${call.method.toLowerCase()} ${call.route}`).sort();
    expect(named).toEqual(REST_ROUTES.map((route) => `${route.method} ${route.path}`).sort());
    return all;
  }

  it("declares RateLimit-* on every success, and sends them with the caller's pool", async () => {
    for (const call of await calls(await t.seed.account())) {
      const res = await rest(t.url, call);
      const answer = conforms(res, operation(call).responses);
      expect([call.path, res.status, Object.keys(answer.headers).sort()]).toEqual([
        call.path,
        200,
        ['RateLimit', 'RateLimit-Limit', 'RateLimit-Policy', 'RateLimit-Remaining', 'RateLimit-Reset'],
      ]);
      for (const name of ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset']) {
        expect([name, Number(res.headers.get(name)) >= 0]).toEqual([name, true]);
      }
    }
  });

  it('documents 429 with Retry-After on every route that charges the caller, as the server answers it', async () => {
    const account = await t.seed.account();
    const charged = (await calls(account)).filter((call) => call.path !== VERIFY);
    await setRateLimit(t, account.id, 1);
    const drain = { method: 'GET' as const, path: PATH, as: account.primary.secret };
    // Seeding drew from the pool too: call until it is shut, which a limit of 1 reaches within two calls.
    let status = 0;
    for (let i = 0; i < 3 && status !== 429; i++) status = (await rest(t.url, drain)).status;
    expect(status).toBe(429);
    for (const call of charged) {
      const res = await rest(t.url, call);
      expect([call.method, call.path, res.status, res.body.error.code]).toEqual([call.method, call.path, 429, 'RATE_LIMITED']);
      const answer = conforms(res, operation(call).responses);
      expect(Object.keys(answer.headers)).toEqual(
        expect.arrayContaining(['Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset']),
      );
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    // Verification charges the verified key's pool, never the caller's: no 429 of its own to document.
    expect(doc.paths[VERIFY].post.responses['429']).toBeUndefined();
  });

  it('documents 413 on every route that takes a body, as the server answers an oversized one', async () => {
    const withBody = (await calls(await t.seed.account())).filter((call) => call.body !== undefined);
    expect(withBody.length).toBe(3);
    for (const call of withBody) {
      const res = await rest(t.url, { ...call, body: { ...(call.body as object), padding: 'x'.repeat(300_000) } });
      expect([call.path, res.status, res.body.error.code]).toEqual([call.path, 413, 'PAYLOAD_TOO_LARGE']);
      conforms(res, operation(call).responses);
    }
  });

  it('documents the 405 of another method on the verification path, with Allow', async () => {
    const gateway = await t.seed.key((await t.seed.account()).primary.secret, { permissions: ['KEYS_VERIFY'] });
    const answers = doc.paths[VERIFY]['x-keyward-other-methods'];
    for (const method of ['GET', 'PUT', 'DELETE'] as const) {
      const res = await rest(t.url, { method, path: VERIFY, as: gateway.secret });
      expect([method, res.status, res.headers.get('allow')]).toEqual([method, 405, 'POST']);
      expect(conforms(res, answers).headers.Allow.schema).toEqual({ const: 'POST' });
    }
  });

  it('documents the 406 of the document itself, to a client that does not take JSON', async () => {
    const res = await rest(t.url, { method: 'GET', path: '/openapi.json', headers: { accept: 'text/html' } });
    expect([res.status, res.body.error.code]).toEqual([406, 'NOT_ACCEPTABLE']);
    conforms(res, doc.paths['/openapi.json'].get.responses);
  });

  it('documents exactly the body fields and query parameters each route takes (besides api_key)', () => {
    for (const route of REST_ROUTES) {
      const op = doc.paths[openApiPath(route.path)][route.method];
      const body = op.requestBody?.content['application/json'].schema;
      const schema = body ? doc.components.schemas[body.$ref.split('/').pop()] : { properties: {} };
      const fields = Object.keys(schema.properties).filter((name) => name !== 'api_key');
      expect([route.path, fields.sort()]).toEqual([route.path, [...(route.bodyFields ?? [])].sort()]);
      if (body) expect([route.path, schema.additionalProperties]).toEqual([route.path, false]);
      const query = (op.parameters ?? []).filter((p: any) => p.in === 'query').map((p: any) => p.name);
      expect([route.path, query.sort()]).toEqual([route.path, [...(route.queryParameters ?? [])].sort()]);
    }
  });
});
