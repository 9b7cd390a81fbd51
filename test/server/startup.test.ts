import { createLogger } from '../../src/logging/logger';
import { startServer } from '../../src/app/server';
import { freshDatabase, TestDatabase } from '../support/database';
import { dataOf, graphql } from '../support/graphql';
import { configWith } from '../../src/config/config';

describe('starting the server', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(() => database.drop());

  const start = () =>
    startServer(configWith({ port: 0, databaseUrl: database.url, logLevel: 'silent' }), { logger: createLogger('silent') });

  it('migrates, and on an empty embedded database makes a "Default" account whose key works at once', async () => {
    const server = await start();
    try {
      if (database.kind === 'mysql') {
        // A shared production database gets its accounts from the operator, never from a start.
        expect(server.bootstrap).toBeNull();
        return;
      }
      expect(server.bootstrap?.account.name).toBe('Default');
      const res = await graphql(server.url, {
        as: server.bootstrap!.primaryKey.secret,
        query: '{ account { name } viewer { principal apiKey { isPrimary } } }',
      });
      expect(dataOf(res)).toEqual({ account: { name: 'Default' }, viewer: { principal: 'ADMIN_KEY', apiKey: { isPrimary: true } } });
    } finally {
      await server.stop();
    }
  });

  it('does not make another account on the next start', async () => {
    const server = await start();
    try {
      expect(server.bootstrap).toBeNull();
    } finally {
      await server.stop();
    }
  });

  it('answers /healthz and /readyz', async () => {
    const server = await start();
    try {
      expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok' });
      const ready = await fetch(`${server.url}/readyz`);
      expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready' }]);
    } finally {
      await server.stop();
    }
  });
});
