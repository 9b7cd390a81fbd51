import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { useTestServer } from '../support/harness';
import { brokenChecksum, checksummed } from './leaks.fixtures';

const SCRIPT = join(__dirname, '..', '..', 'scripts', 'check-key.mjs');

function run(args: string[], input = '') {
  const result = spawnSync(process.execPath, [SCRIPT, ...args], { input, encoding: 'utf8' });
  return { status: result.status, out: result.stdout.trim().split('\n').filter(Boolean), err: result.stderr.trim() };
}

/* scripts/check-key.mjs: the format and checksum checked offline, with no dependency, as scanners would. */
describe('scripts/check-key.mjs', () => {
  const t = useTestServer();
  let admin: { prefix: string; secret: string };
  let client: { prefix: string; secret: string };

  beforeAll(async () => {
    admin = await t.seed.key(t.account.primary.secret, { name: 'scanned' });
    client = await t.seed.key(t.account.primary.secret, { clientId: (await t.seed.client(t.account.primary.secret)).id });
  });

  it('says valid, with the prefix and type, for keys the server issued', () => {
    expect(run([admin.secret, client.secret])).toEqual({
      status: 0,
      out: [`valid ${admin.prefix} admin key`, `valid ${client.prefix} client key`],
      err: '',
    });
  });

  it('says why a candidate is not a key, and exits 1', () => {
    const { status, out } = run([admin.secret, brokenChecksum(client.secret), 'sk_short', `xx${admin.secret.slice(2)}`]);
    expect(status).toBe(1);
    expect(out).toEqual([
      `valid ${admin.prefix} admin key`,
      `invalid checksum (a typo, or not a keyward key): ${client.prefix}`,
      expect.stringMatching(/^invalid not in the keyward key format/),
      expect.stringMatching(/^invalid not in the keyward key format/),
    ]);
  });

  it('reads candidates from stdin, one a line', () => {
    expect(run([], `${admin.secret}\n\n${checksummed('cl_00000000_' + 'z'.repeat(32))}\n`).out).toEqual([
      `valid ${admin.prefix} admin key`,
      'valid cl_00000000 client key',
    ]);
  });

  it('--scan finds the valid keys anywhere in a text, and exits 1 when there are none', () => {
    const text = `API_KEY="${client.secret}"\nother=${brokenChecksum(admin.secret)}\n  Authorization: Bearer ${admin.secret}`;
    expect(run(['--scan'], text)).toEqual({
      status: 0,
      out: [`valid ${admin.prefix} admin key`, `valid ${client.prefix} client key`],
      err: '',
    });
    expect(run(['--scan'], 'nothing to see').status).toBe(1);
  });

  it('exits 2 with its usage for no candidate or an unknown option', () => {
    expect(run([]).status).toBe(2);
    expect(run(['--frobnicate'])).toMatchObject({ status: 2, err: expect.stringMatching(/^usage: /) });
  });
});
