import { runCliCaptured } from '../support/cli';
import { freshDatabase, TestDatabase } from '../support/database';
import { dataOf } from '../support/graphql';
import { PERMISSION_NAMES } from '../support/seed';
import { withTestServer } from '../support/server';

function cli(database: TestDatabase, ...argv: string[]) {
  return runCliCaptured(argv, { DATABASE_URL: database.url });
}

describe('the keyward CLI', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(() => database.drop());

  it('migrates an empty database, then reports it up to date', async () => {
    expect(await cli(database, 'migrate')).toMatchObject({ code: 0, out: expect.stringContaining('Applied Initial') });
    expect(await cli(database, 'migrate')).toMatchObject({ code: 0, out: 'Database is up to date\n' });
  });

  it('creates an account and prints a primary key that works against the server', async () => {
    const created = await cli(database, 'account', 'create', '--name', 'Northwind', '--json');
    expect(created.code).toBe(0);
    const { id, name, primaryKey } = JSON.parse(created.out);
    expect(name).toBe('Northwind');
    expect(primaryKey).toMatch(/^sk_/);

    await withTestServer({ databaseUrl: database.url }, async (server) => {
      const res = await server.call(primaryKey, '{ account { id name } viewer { permissions } }');
      expect(dataOf(res).account).toEqual({ id, name: 'Northwind' });
      expect(dataOf(res).viewer.permissions).toEqual(PERMISSION_NAMES);
      const audit = await server.call(primaryKey, '{ auditEvents(filter: { action: ACCOUNT_CREATED }) { edges { node { actor } } } }');
      expect(dataOf(audit).auditEvents.edges[0].node.actor).toBe('operator (cli)');
    });
  });

  it('lists and renames accounts', async () => {
    await cli(database, 'account', 'create', '--name', 'Second');
    const listed = await cli(database, 'account', 'list', '--json');
    const names = JSON.parse(listed.out).accounts.map((a: { name: string }) => a.name);
    expect(names).toEqual(['Second', 'Northwind']);

    const id = JSON.parse(listed.out).accounts[0].id;
    expect(await cli(database, 'account', 'update', id, '--name', 'Renamed', '--rate-limit', '50', '--developer-api', 'off')).toMatchObject(
      {
        code: 0,
        out: `Account ${id}: "Renamed", 50 requests/minute (fixed window), Developer API off\n`,
      },
    );
    expect((await cli(database, 'account', 'update', id, '--developer-api', 'maybe')).code).toBe(1);
  });

  it('fails with a message and a non-zero code on bad input', async () => {
    expect(await cli(database, 'account', 'create', '--name', '   ')).toMatchObject({
      code: 1,
      err: expect.stringContaining('name must not be empty'),
    });
    expect(await cli(database, 'account', 'update', '999999', '--name', 'x')).toMatchObject({
      code: 1,
      err: expect.stringContaining('Account 999999 not found'),
    });
    expect((await cli(database, 'account', 'list', '--first', '500')).code).toBe(1);
    expect((await cli(database, 'account', 'create')).code).not.toBe(0);
  });
});
