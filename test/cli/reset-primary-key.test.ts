import { runCliCaptured } from '../support/cli';
import { freshDatabase, TestDatabase } from '../support/database';
import { dataOf } from '../support/graphql';
import { TestServer, withTestServer } from '../support/server';

function cli(database: TestDatabase, ...argv: string[]) {
  return runCliCaptured(argv, { DATABASE_URL: database.url });
}

/** Runs `work` against a server on the CLI's database, started after the CLI ran (so nothing is cached). */
const withServer = (database: TestDatabase, work: (server: TestServer) => Promise<void>) =>
  withTestServer({ databaseUrl: database.url }, work);

const VIEWER = '{ viewer { principal apiKey { id isPrimary } } }';

describe('keyward account reset-primary-key', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(() => database.drop());

  async function createAccount(name: string): Promise<{ id: string; primaryKey: string }> {
    const created = await cli(database, 'account', 'create', '--name', name, '--json');
    expect(created.code).toBe(0);
    return JSON.parse(created.out);
  }

  it('prints a new primary key once; the old value stops working, and the reset is audited as the operator (cli)', async () => {
    const { id, primaryKey: lost } = await createAccount('Lost key');

    const reset = await cli(database, 'account', 'reset-primary-key', id);
    expect(reset).toMatchObject({ code: 0, err: '' });
    const printed = reset.out.match(/sk_\w+_\w+/g) ?? [];
    expect(printed).toHaveLength(1);
    const fresh = printed[0]!;
    expect(fresh).not.toBe(lost);
    expect(reset.out).toContain('shown only this once');

    await withServer(database, async (server) => {
      expect((await server.call(lost, VIEWER)).status).toBe(401);
      const res = await server.call(fresh, VIEWER);
      expect(dataOf(res).viewer).toMatchObject({ principal: 'ADMIN_KEY', apiKey: { isPrimary: true } });
      const audit = await server.call(
        fresh,
        '{ auditEvents(filter: { action: API_KEY_RESET }) { edges { node { actor targetId targetPrefix details } } } }',
      );
      expect(dataOf(audit).auditEvents.edges).toEqual([
        {
          node: expect.objectContaining({
            actor: 'operator (cli)',
            targetId: dataOf(res).viewer.apiKey.id,
            targetPrefix: fresh.split('_').slice(0, 2).join('_'),
            details: expect.objectContaining({ previousPrefix: lost.split('_').slice(0, 2).join('_'), gracePeriodSeconds: 0 }),
          }),
        },
      ]);
    });
  });

  it('keeps the old value working through a grace period when asked, and prints JSON for scripts', async () => {
    const { id, primaryKey: old } = await createAccount('Rotating');

    const reset = await cli(database, 'account', 'reset-primary-key', id, '--grace-period', '3600', '--json');
    expect(reset.code).toBe(0);
    const answer = JSON.parse(reset.out);
    expect(answer).toEqual({
      accountId: id,
      prefix: expect.stringMatching(/^sk_/),
      primaryKey: expect.stringMatching(/^sk_/),
      oldValueUntil: expect.any(String),
    });
    expect(new Date(answer.oldValueUntil).getTime()).toBeGreaterThan(Date.now() + 3500_000);

    await withServer(database, async (server) => {
      expect((await server.call(old, VIEWER)).status).toBe(200);
      expect((await server.call(answer.primaryKey, VIEWER)).status).toBe(200);
    });
  });

  it("resets only the primary key: the account's other keys keep their values", async () => {
    const { id, primaryKey } = await createAccount('With other keys');
    let other = '';
    await withServer(database, async (server) => {
      const res = await server.call(
        primaryKey,
        'mutation { createApiKey(input: { name: "Partner", permissions: [LEADS_READ] }) { secret } }',
      );
      other = dataOf(res).createApiKey.secret;
    });

    expect((await cli(database, 'account', 'reset-primary-key', id)).code).toBe(0);

    await withServer(database, async (server) => {
      const res = await server.call(other, VIEWER);
      expect(dataOf(res).viewer.apiKey.isPrimary).toBe(false);
    });
  });

  it('fails with a message and a non-zero code for an unknown account or a bad grace period', async () => {
    expect(await cli(database, 'account', 'reset-primary-key', '999999')).toMatchObject({
      code: 1,
      err: expect.stringContaining('Account 999999 not found'),
    });
    expect(await cli(database, 'account', 'reset-primary-key', 'abc')).toMatchObject({
      code: 1,
      err: expect.stringContaining('not found'),
    });
    const { id } = await createAccount('Bad grace');
    expect(await cli(database, 'account', 'reset-primary-key', id, '--grace-period', '999999999')).toMatchObject({
      code: 1,
      err: expect.stringContaining('gracePeriodSeconds must be an integer from 0 to 604800'),
    });
    expect((await cli(database, 'account', 'reset-primary-key')).code).not.toBe(0);
  });
});
