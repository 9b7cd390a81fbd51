import { generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiKeyKind } from '../../src/shared/api-key-kind';
import { REVOKE } from '../api-keys/lifecycle.fixtures';
import { useTestServer } from '../support/harness';
import { startTestServer } from '../support/server';
import { neverIssuedKey } from '../verify/verify.fixtures';
import { brokenChecksum, leakHelpers } from './leaks.fixtures';

const PATH = '/v1/secret-scanning/github';

/** A signing key as GitHub holds one, and its entry in the key list GitHub publishes. */
function gitHubKey(identifier: string, isCurrent = true) {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    identifier,
    privateKey,
    entry: { key_identifier: identifier, key: publicKey.export({ type: 'spki', format: 'pem' }), is_current: isCurrent },
  };
}

const directory = mkdtempSync(join(tmpdir(), 'keyward-github-keys-'));
const keyFile = join(directory, 'secret_scanning.json');
const current = gitHubKey('f9525bf080f75b3506ca1ead061add62b8633a346606dc5fe544e29231c6ee0d');
const retired = gitHubKey('90a421169f0a406205f1563a953312f0be898d3c7b6c06b681aa86a874555f4a', false);
writeFileSync(keyFile, JSON.stringify({ public_keys: [retired.entry, current.entry] }));

/** What GitHub sends: the raw body, its signature (base64 of DER ECDSA over exactly these bytes) and the key's identifier. */
function alert(url: string, raw: string, signer: { identifier: string; privateKey: KeyObject } = current, signed = raw) {
  return fetch(new URL(PATH, url), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'Github-Public-Key-Identifier': signer.identifier,
      'Github-Public-Key-Signature': sign('sha256', Buffer.from(signed), signer.privateKey).toString('base64'),
    },
    body: raw,
  });
}

const match = (token: string, type = 'keyward_admin_key') => ({
  token,
  type,
  url: `https://github.com/octocat/app/blob/abc/config-${token.slice(0, 11)}.env`,
  source: 'content',
});

/*
 * GitHub's secret scanning partner alerts: signed with keys the operator
 * saved from GitHub's key list, answered with a label per token, and each live
 * key handled as a leak report.
 */
describe('POST /v1/secret-scanning/github', () => {
  const t = useTestServer({ githubSecretScanningKeys: keyFile });
  const { admin, trail, status } = leakHelpers(t);
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('labels live keys true_positive and handles them as leak reports; revoked, unknown and malformed ones false_positive', async () => {
    const live = await t.seed.key(admin(), { name: 'found on github' });
    const client = await t.seed.client(admin());
    const liveClient = await t.seed.key(admin(), { name: 'client one', clientId: client.id });
    const revoked = await t.seed.key(admin(), { name: 'gone' });
    await t.data(admin(), REVOKE, { id: revoked.id, reason: null });
    const unknown = neverIssuedKey(ApiKeyKind.CLIENT);
    const matches = [
      match(live.secret),
      match(liveClient.secret, 'keyward_client_key'),
      match(revoked.secret),
      match(unknown, 'keyward_client_key'),
      match(brokenChecksum(live.secret)),
      match(live.secret),
    ];
    const res = await alert(t.url, JSON.stringify(matches));
    expect([res.status, res.headers.get('content-type')]).toEqual([200, 'application/json; charset=utf-8']);
    expect(await res.json()).toEqual([
      { token_raw: live.secret, token_type: 'keyward_admin_key', label: 'true_positive' },
      { token_raw: liveClient.secret, token_type: 'keyward_client_key', label: 'true_positive' },
      { token_raw: revoked.secret, token_type: 'keyward_admin_key', label: 'false_positive' },
      { token_raw: unknown, token_type: 'keyward_client_key', label: 'false_positive' },
      { token_raw: brokenChecksum(live.secret), token_type: 'keyward_admin_key', label: 'false_positive' },
      // Twice in one alert is one leak, labelled the same both times.
      { token_raw: live.secret, token_type: 'keyward_admin_key', label: 'true_positive' },
    ]);
    expect(await status(live.id)).toBe('INACTIVE');
    expect(await status(liveClient.id)).toBe('INACTIVE');
    const [reported, deactivated, created] = await trail(live.id);
    expect([reported.action, deactivated.action, created.action]).toEqual([
      'API_KEY_LEAK_REPORTED',
      'API_KEY_DEACTIVATED',
      'API_KEY_CREATED',
    ]);
    expect(reported).toMatchObject({
      actor: 'github-secret-scanning',
      details: { source: matches[0].url, reporter: 'github-secret-scanning', outcome: 'DEACTIVATED' },
    });
  });

  it('verifies a signature by a key GitHub has retired but still lists', async () => {
    const res = await alert(t.url, JSON.stringify([match(neverIssuedKey())]), retired);
    expect(res.status).toBe(200);
  });

  it.each([
    ['no identifier', { 'Github-Public-Key-Signature': 'MEUCIQ==' }, /Github-Public-Key-Identifier header is missing/],
    ['no signature', { 'Github-Public-Key-Identifier': current.identifier }, /Github-Public-Key-Signature header is missing/],
    [
      'an identifier of no listed key',
      { 'Github-Public-Key-Identifier': 'deadbeef', 'Github-Public-Key-Signature': 'MEUCIQ==' },
      /No GitHub public key has the identifier .*deadbeef/,
    ],
    [
      'a signature that is not DER',
      { 'Github-Public-Key-Identifier': current.identifier, 'Github-Public-Key-Signature': 'bm90IGEgc2lnbmF0dXJl' },
      /is not the signature of this body/,
    ],
  ])('refuses an alert with %s, with 401 and a clear error', async (_case, headers, message) => {
    const key = await t.seed.key(admin());
    const res = await fetch(new URL(PATH, t.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify([match(key.secret)]),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ success: false, error: { code: 'INVALID_SIGNATURE', message: expect.stringMatching(message) } });
    expect(await status(key.id)).toBe('ACTIVE');
  });

  it('refuses a body signed by another key, or other bytes than those signed, touching no key', async () => {
    const key = await t.seed.key(admin());
    const raw = JSON.stringify([match(key.secret)]);
    const impostor = { identifier: current.identifier, privateKey: gitHubKey('x').privateKey };
    for (const res of [
      await alert(t.url, raw, impostor),
      // The same JSON, re-spaced: not the bytes GitHub signed.
      await alert(t.url, JSON.stringify([match(key.secret)], null, 1), current, raw),
    ]) {
      expect(res.status).toBe(401);
      expect(((await res.json()) as any).error).toEqual({
        code: 'INVALID_SIGNATURE',
        message: expect.stringMatching(/not the signature of this body/),
      });
    }
    expect(await status(key.id)).toBe('ACTIVE');
  });

  it('refuses a signed body that is not a list of matches with 422 naming the entry', async () => {
    for (const [raw, field] of [
      ['{"token": "x"}', 'body'],
      ['not json', 'body'],
      ['[{"type": "keyward_admin_key"}]', '[0].token'],
      ['[{"token": "x", "type": "t"}, 7]', '[1]'],
    ]) {
      const res = await alert(t.url, raw);
      expect([raw, res.status, ((await res.json()) as any).error.field]).toEqual([raw, 422, field]);
    }
  });

  it('refuses a body over 256 KB with 413', async () => {
    const res = await alert(t.url, JSON.stringify([match('x'.repeat(300_000))]));
    expect([res.status, ((await res.json()) as any).error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
  });

  it('picks up a key GitHub rotated in, once the operator saves the new list, without a restart', async () => {
    const next = gitHubKey('a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90');
    const raw = JSON.stringify([match(neverIssuedKey())]);
    expect((await alert(t.url, raw, next)).status).toBe(401);
    writeFileSync(keyFile, JSON.stringify({ public_keys: [current.entry, next.entry] }));
    // A second later than the first write, however fast this machine writes.
    const later = new Date(Date.now() + 2000);
    utimesSync(keyFile, later, later);
    expect((await alert(t.url, raw, next)).status).toBe(200);
    expect((await alert(t.url, raw, current)).status).toBe(200);
  });
});

describe('POST /v1/secret-scanning/github without GITHUB_SECRET_SCANNING_KEYS', () => {
  const t = useTestServer();

  it('refuses every alert, saying why', async () => {
    const res = await alert(t.url, '[]');
    expect(res.status).toBe(401);
    expect(((await res.json()) as any).error.message).toMatch(/not set up on this server \(GITHUB_SECRET_SCANNING_KEYS\)/);
  });

  it('a key file that is not a key list stops the start, naming the setting', async () => {
    const bad = join(mkdtempSync(join(tmpdir(), 'keyward-github-keys-')), 'keys.json');
    writeFileSync(bad, JSON.stringify({ keys: [] }));
    await expect(startTestServer({ githubSecretScanningKeys: bad })).rejects.toThrow(/GITHUB_SECRET_SCANNING_KEYS: .* must hold/);
    await expect(startTestServer({ githubSecretScanningKeys: `${bad}.missing` })).rejects.toThrow(/does not exist/);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' });
    writeFileSync(bad, JSON.stringify({ public_keys: [{ key_identifier: 'abc', key: rsa, is_current: true }] }));
    await expect(startTestServer({ githubSecretScanningKeys: bad })).rejects.toThrow(/the key abc .* is not an ECDSA P-256 key/);
  });
});
