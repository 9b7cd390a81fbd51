import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Document, Spectral } from '@stoplight/spectral-core';
import { Json } from '@stoplight/spectral-parsers';
import { oas } from '@stoplight/spectral-rulesets';
import { useTestServer } from '../support/harness';

interface Problem {
  rule: string;
  severity: string;
  message: string;
  at?: string;
}

/** Redocly's `recommended` ruleset on `source`, run in a child node (see redocly-lint.mjs). */
function redocly(source: string): Promise<Problem[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, 'redocly-lint.mjs')], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`redocly-lint.mjs exited with ${code}`))));
    child.stdin.end(source);
  });
}

/** Spectral's `oas` ruleset on `source`, every severity (error, warning, information, hint). */
async function spectral(source: string): Promise<Problem[]> {
  const linter = new Spectral();
  linter.setRuleset(oas as never);
  const results = await linter.run(new Document(source, Json, 'openapi.json'));
  return results.map((r) => ({ rule: String(r.code), severity: String(r.severity), message: r.message, at: r.path.join('.') }));
}

describe('the served OpenAPI document passes the linters integrators run on it', () => {
  const t = useTestServer({}, { account: false });
  let source: string;

  beforeAll(async () => {
    const res = await fetch(new URL('/openapi.json', t.url));
    expect(res.status).toBe(200);
    source = await res.text();
  });

  it("passes Redocly's recommended ruleset with no error and no warning", async () => {
    expect(await redocly(source)).toEqual([]);
  });

  it("passes Spectral's oas ruleset with no error and no warning", async () => {
    expect(await spectral(source)).toEqual([]);
  });

  it('is checked by linters that do find problems', async () => {
    const broken = JSON.parse(source);
    delete broken.servers;
    delete broken.paths['/v1/keys/verify'].post.operationId;
    const text = JSON.stringify(broken);
    expect((await redocly(text)).map((p) => p.rule)).toEqual(expect.arrayContaining(['no-empty-servers', 'operation-operationId']));
    expect((await spectral(text)).map((p) => p.rule)).toEqual(expect.arrayContaining(['oas3-api-servers', 'operation-operationId']));
  });
});
