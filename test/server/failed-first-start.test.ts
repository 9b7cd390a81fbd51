import { createServer, Server } from 'node:net';
import { AddressInfo } from 'node:net';
import { configWith } from '../../src/config/config';
import { createLogger } from '../../src/logging/logger';
import { startServer } from '../../src/app/server';
import { freshDatabase, TestDatabase } from '../support/database';
import { dataOf, graphql } from '../support/graphql';

/** Another program holding a port, as a new user's machine often has. */
function occupyPort(): Promise<Server> {
  const squatter = createServer();
  return new Promise((resolve) => squatter.listen(0, () => resolve(squatter)));
}

// The "Default" account is made only on an empty embedded database (never on MySQL).
const onSqlite = process.env.TEST_DATABASE_URL ? describe.skip : describe;

onSqlite('a first start that fails', () => {
  let database: TestDatabase;
  let squatter: Server;

  beforeAll(async () => {
    database = await freshDatabase();
    squatter = await occupyPort();
  });
  afterAll(async () => {
    await new Promise((resolve) => squatter.close(resolve));
    await database.drop();
  });

  const start = (port: number) =>
    startServer(configWith({ port, databaseUrl: database.url, logLevel: 'silent' }), { logger: createLogger('silent') });

  it('on a busy port makes no account, so the next start still shows the Default account its primary key', async () => {
    const busyPort = (squatter.address() as AddressInfo).port;
    await expect(start(busyPort)).rejects.toMatchObject({ code: 'EADDRINUSE' });

    const server = await start(0);
    try {
      expect(server.bootstrap?.account.name).toBe('Default');
      const res = await graphql(server.url, { as: server.bootstrap!.primaryKey.secret, query: '{ account { name } }' });
      expect(dataOf(res).account).toEqual({ name: 'Default' });
    } finally {
      await server.stop();
    }
  });
});
