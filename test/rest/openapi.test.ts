import { validate } from '@readme/openapi-parser';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { KEY_VERIFICATION_PATH } from '../../src/rest/key-verification.route';
import { OPENAPI_DOCUMENT } from '../../src/rest/openapi';
import { createRestRouter, REST_ROUTES } from '../../src/rest/rest.router';
import { SeededAccount } from '../support/seed';
import { useTestServer } from '../support/harness';
import { neverIssuedKey } from '../verify/verify.fixtures';
import { rest, RestRequest, RestResponse } from './rest-client';

type Doc = any;
/** What the operations that take no credential answer a request with nothing in it: the report needs a key, GitHub's alert a signature. */
const UNSECURED_EMPTY_ANSWER: Record<string, number> = {
  'POST /v1/keys/report-leak': 400,
  'POST /v1/secret-scanning/github': 401,
};
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

/** `METHOD /path/{param}` for every operation in the document. */
function documentedOperations(doc: Doc): string[] {
  return Object.entries<Record<string, unknown>>(doc.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((key) => METHODS.includes(key))
      .map((method) => `${method.toUpperCase()} ${path}`),
  );
}

/**
 * `METHOD /path/{param}` for every route registered on an express router and
 * the routers it mounts. An all-methods route (`_all`) is a 405/404 fallback,
 * not an operation.
 */
function routerOperations(router: { stack: any[] }, prefix = ''): string[] {
  return router.stack.flatMap((layer): string[] => {
    if (Array.isArray(layer.handle?.stack)) return routerOperations(layer.handle, layer.slash ? prefix : prefix + layer.rawPath);
    if (!layer.route) return [];
    const path = prefix + String(layer.route.path).replace(/:([A-Za-z_]+)/g, '{$1}');
    return Object.keys(layer.route.methods)
      .filter((method) => method !== '_all')
      .map((method) => `${method.toUpperCase()} ${path}`);
  });
}

function strictAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
  addFormats(ajv);
  return ajv;
}

/** A Schema Object with the document's component schemas at hand as $defs, refs rewritten to match. */
function withDefs(doc: Doc, schema: unknown): object {
  const local = (value: unknown) => JSON.parse(JSON.stringify(value).replaceAll('#/components/schemas/', '#/$defs/'));
  return { ...local(schema), $defs: local(doc.components.schemas) };
}

/** Every Schema Object of the document, with where it sits. */
function schemaObjects(doc: Doc): Array<[string, unknown]> {
  const found: Array<[string, unknown]> = Object.entries<unknown>(doc.components.schemas).map(([name, s]) => [`schema ${name}`, s]);
  const content = (where: string, holder: any) => {
    for (const [type, media] of Object.entries<any>(holder?.content ?? {})) found.push([`${where} ${type}`, media.schema]);
  };
  for (const [name, answer] of Object.entries<any>(doc.components.responses)) content(`response ${name}`, answer);
  for (const [path, item] of Object.entries<any>(doc.paths)) {
    for (const [method, operation] of Object.entries<any>(item).filter(([key]) => METHODS.includes(key))) {
      const where = `${method.toUpperCase()} ${path}`;
      for (const parameter of operation.parameters ?? []) found.push([`${where} parameter ${parameter.name}`, parameter.schema]);
      content(`${where} request`, operation.requestBody);
      for (const [status, answer] of Object.entries<any>(operation.responses)) content(`${where} ${status}`, answer);
    }
  }
  return found.filter(([, schema]) => schema !== undefined && !(schema as any).$ref);
}

describe('the OpenAPI document at /openapi.json', () => {
  const t = useTestServer({}, { account: false });
  let served: RestResponse<Doc>;

  beforeAll(async () => {
    served = await rest(t.url, { method: 'GET', path: '/openapi.json' });
  });

  it('is served without a credential, and is the document in the code', () => {
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toMatch(/^application\/json/);
    expect(served.body).toEqual(JSON.parse(JSON.stringify(OPENAPI_DOCUMENT)));
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    // validate() dereferences in place: hand it a copy.
    expect(await validate(structuredClone(served.body))).toMatchObject({ valid: true, specification: 'OpenAPI' });
    expect(served.body.openapi).toMatch(/^3\.1\./);
    const broken = structuredClone(served.body);
    delete broken.paths['/api/v1/client/api-key/{id}'].delete.parameters;
    expect(await validate(broken)).toMatchObject({ valid: false });
  });

  it('holds only valid, strict JSON Schema 2020-12 Schema Objects', () => {
    const schemas = schemaObjects(served.body);
    expect(schemas.length).toBeGreaterThan(20);
    const ajv = strictAjv();
    const problems = schemas.flatMap(([where, schema]) => {
      try {
        ajv.compile(withDefs(served.body, schema));
        return [];
      } catch (error) {
        return [`${where}: ${(error as Error).message}`];
      }
    });
    expect(problems).toEqual([]);
    expect(() => strictAjv().compile({ type: 'object', requierd: ['x'] })).toThrow(/unknown keyword/);
  });

  it('describes every route of the REST router, and no route the router lacks', () => {
    const router = createRestRouter({
      services: t.server.services,
      logger: t.server.logger,
      door: { authenticator: t.server.services.authenticator },
    });
    const onRouter = routerOperations(router as never).sort();
    expect(onRouter.length).toBeGreaterThan(REST_ROUTES.length);
    expect(onRouter).toContain(`POST ${KEY_VERIFICATION_PATH}`);
    expect(documentedOperations(served.body).sort()).toEqual(onRouter);
  });

  it('names, for each route, the permission the router enforces', () => {
    const documented = (method: string, path: string) => served.body.paths[path.replace(/:([A-Za-z_]+)/g, '{$1}')][method];
    const schemes = Object.keys(served.body.components.securitySchemes).sort();
    for (const route of REST_ROUTES) {
      const { permission, operatorToo } = route.requirement;
      const operation = documented(route.method, route.path);
      // Scopes are OAuth's: each credential scheme alone, with none, and the permission in an extension and in words.
      const offered = operation.security.map((requirement: object) => Object.entries(requirement));
      expect([route.path, offered.sort()]).toEqual([route.path, schemes.map((scheme) => [[scheme, []]])]);
      expect([route.path, operation['x-keyward-permission'], operation['x-keyward-operator'] ?? false]).toEqual([
        route.path,
        permission,
        operatorToo === true,
      ]);
      expect(operation.description).toContain(`Needs ${permission}${operatorToo ? ", or the platform operator's token" : ''}.`);
    }
    expect(served.body.paths['/openapi.json'].get.security).toEqual([]);
  });

  it('has every documented operation mounted on the running server', async () => {
    for (const operation of documentedOperations(served.body)) {
      const [method, path] = operation.split(' ');
      const res = await rest(t.url, { method: method as RestRequest['method'], path: path.replace(/\{[^}]+\}/g, '1') });
      const secured = served.body.paths[path][method.toLowerCase()].security.length > 0;
      expect([operation, res.status]).toEqual([operation, secured ? 401 : (UNSECURED_EMPTY_ANSWER[operation] ?? 200)]);
    }
  });

  describe('real answers match the documented schemas', () => {
    const ajv = strictAjv();
    let account: SeededAccount;
    let clientId: string;

    beforeAll(async () => {
      account = await t.seed.account();
      clientId = (await t.seed.client(account.primary.secret)).id;
    });

    function schemaOf(path: string, method: string, status: number): object {
      let answer = served.body.paths[path][method].responses[String(status)];
      expect(answer).toBeDefined();
      if (answer.$ref) answer = served.body.components.responses[answer.$ref.split('/').pop()];
      return withDefs(served.body, answer.content['application/json'].schema);
    }

    /** Makes the call, checks its status, and checks its body against what the document says for that status. */
    async function conforms(status: number, template: string, request: Omit<RestRequest, 'path'>, id = '') {
      const res = await rest(t.url, { ...request, path: template.replace('{id}', id) });
      expect([request.method, template, res.status]).toEqual([request.method, template, status]);
      const validate = ajv.compile(schemaOf(template, request.method.toLowerCase(), status));
      expect(validate(res.body) ? [] : validate.errors).toEqual([]);
      return res.body;
    }

    it('for every operation and every documented error status', async () => {
      const as = account.primary.secret;
      const op = t.operatorToken;
      const [base, one, reset] = ['/api/v1/client/api-key', '/api/v1/client/api-key/{id}', '/api/v1/client/api-key/reset/{id}'];
      const created = await conforms(200, base, { method: 'POST', as, body: { clientId, keyName: 'schema', permissions: ['leads:read'] } });
      const id = created.data.id;
      await conforms(400, base, { method: 'POST', as, raw: '{' });
      await conforms(401, base, { method: 'POST', body: { clientId, keyName: 'x' } });
      await conforms(403, base, { method: 'POST', as: op, body: { clientId, keyName: 'x' } });
      await conforms(404, base, { method: 'POST', as, body: { clientId: '999999', keyName: 'x' } });
      await conforms(422, base, { method: 'POST', as, body: { clientId, keyName: 'no!' } });
      await conforms(200, base, { method: 'GET', as });
      await conforms(401, base, { method: 'GET' });
      await conforms(403, base, { method: 'GET', as: op });
      await conforms(422, base, { method: 'GET', as, query: { status: 'gone' } });
      await conforms(200, reset, { method: 'PUT', as, body: { gracePeriodSeconds: 60 } }, id);
      await conforms(400, reset, { method: 'PUT', as, raw: '[' }, id);
      await conforms(401, reset, { method: 'PUT' }, id);
      await conforms(403, reset, { method: 'PUT', as: op }, id);
      await conforms(404, reset, { method: 'PUT', as }, '999999');
      await conforms(422, reset, { method: 'PUT', as, body: { gracePeriodSeconds: -1 } }, id);
      await conforms(401, one, { method: 'DELETE' }, id);
      await conforms(403, one, { method: 'DELETE', as: op }, id);
      await conforms(200, one, { method: 'DELETE', as }, id);
      await conforms(404, one, { method: 'DELETE', as }, id);
    });

    it('for a verification, valid or not, and every documented error status', async () => {
      const verify = KEY_VERIFICATION_PATH;
      const gateway = (await t.seed.key(account.primary.secret, { permissions: ['KEYS_VERIFY'] })).secret;
      const client = await t.seed.key(account.primary.secret, { clientId, permissions: ['LEADS_READ'] });
      const valid = await conforms(200, verify, { method: 'POST', as: gateway, body: { key: client.secret } });
      expect(valid.data).toMatchObject({ valid: true, code: 'VALID', kind: 'client', client: { id: Number(clientId) } });
      const byOperator = await conforms(200, verify, { method: 'POST', as: t.operatorToken, body: { key: account.primary.secret } });
      expect(byOperator.data).toMatchObject({ valid: true, code: 'VALID', kind: 'admin', client: null, expires_at: null });
      const unknown = await conforms(200, verify, { method: 'POST', as: gateway, body: { key: neverIssuedKey() } });
      expect(unknown.data).toMatchObject({ valid: false, code: 'NOT_FOUND', prefix: null, rate_limit: null });
      await conforms(400, verify, { method: 'POST', as: gateway, raw: '{"key":' });
      await conforms(401, verify, { method: 'POST', body: { key: client.secret } });
      await conforms(403, verify, { method: 'POST', as: client.secret, body: { key: client.secret } });
      await conforms(422, verify, { method: 'POST', as: gateway, body: { key: 42 } });
      // The path's other methods: 405 in the error shape, as the path's description says.
      const get = await rest(t.url, { method: 'GET', path: verify, as: gateway });
      expect([get.status, get.headers.get('allow')]).toEqual([405, 'POST']);
      const validate = ajv.compile(withDefs(served.body, { $ref: '#/components/schemas/Error' }));
      expect(validate(get.body) ? [] : validate.errors).toEqual([]);
      expect(served.body.paths[verify].description).toMatch(/405/);
    });
  });
});
