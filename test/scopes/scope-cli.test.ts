import { runCliCaptured } from '../support/cli';
import { freshDatabase, TestDatabase } from '../support/database';
import { dataOf } from '../support/graphql';
import { withTestServer } from '../support/server';
import { SCOPES } from './scopes.fixtures';

/* `keyward scope define|list`: the operator's catalogue from the server's host, the same as defineScope. */
describe('keyward scope define and list', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(() => database.drop());

  const cli = (...argv: string[]) => runCliCaptured(argv, { DATABASE_URL: database.url });

  it('says so when nothing is defined, then defines, redefines and lists scopes by name', async () => {
    expect(await cli('scope', 'list')).toMatchObject({ code: 0, out: expect.stringContaining('No scopes defined yet') });
    expect(await cli('scope', 'define', 'invoices:read', '--description', 'Read invoices', '--client-assignable')).toMatchObject({
      code: 0,
      out: 'Defined invoices:read (client-assignable): Read invoices\n',
    });
    expect(await cli('scope', 'define', 'billing:*', '--description', 'Everything billing')).toMatchObject({
      code: 0,
      out: 'Defined billing:*: Everything billing\n',
    });
    const redefined = await cli('scope', 'define', 'billing:*', '--description', 'All of billing', '--json');
    expect(JSON.parse(redefined.out)).toEqual({ name: 'billing:*', description: 'All of billing', clientAssignable: false });

    expect((await cli('scope', 'list')).out).toBe(
      'billing:*\tadmin keys only\tAll of billing\ninvoices:read\tclient-assignable\tRead invoices\n',
    );
    expect(JSON.parse((await cli('scope', 'list', '--json')).out)).toEqual({
      scopes: [
        { name: 'billing:*', description: 'All of billing', clientAssignable: false },
        { name: 'invoices:read', description: 'Read invoices', clientAssignable: true },
      ],
    });
  });

  it('serves what it defined through the scopes query', async () => {
    await withTestServer({ databaseUrl: database.url }, async (server) => {
      const listed = dataOf(await server.call(undefined, SCOPES)).scopes;
      expect(listed.map((s: { name: string }) => s.name)).toEqual(['billing:*', 'invoices:read']);
    });
  });

  it('fails with a message and a non-zero code on a bad name or a missing description', async () => {
    expect(await cli('scope', 'define', 'Invoices', '--description', 'x')).toMatchObject({
      code: 1,
      err: expect.stringContaining('resource:action'),
    });
    expect((await cli('scope', 'define', 'invoices:write')).code).not.toBe(0);
    expect(JSON.parse((await cli('scope', 'list', '--json')).out).scopes).toHaveLength(2);
  });
});
