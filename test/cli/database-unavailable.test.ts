import { randomBytes } from 'node:crypto';
import { AddressInfo, createServer } from 'node:net';
import { runCliCaptured } from '../support/cli';

function cli(databaseUrl: string, ...argv: string[]) {
  return runCliCaptured(argv, { DATABASE_URL: databaseUrl });
}

/** A port on which nothing listens. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('the keyward CLI without its database', () => {
  it('says in one line that nothing answers, and what to fix', async () => {
    const port = await closedPort();
    const result = await cli(`mysql://keyward:secret@127.0.0.1:${port}/keyward`, 'account', 'list');
    expect(result.code).toBe(1);
    expect(result.err).toBe(
      `keyward: nothing answers at the MySQL server at 127.0.0.1:${port}: start the database there, or fix the host and port in DATABASE_URL\n`,
    );
  });

  (process.env.TEST_DATABASE_URL ? it : it.skip)('names an unknown MySQL database and how to create it', async () => {
    const url = new URL(process.env.TEST_DATABASE_URL!);
    const missing = `keyward_missing_${randomBytes(4).toString('hex')}`;
    url.pathname = `/${missing}`;
    const result = await cli(url.toString(), 'migrate');
    expect(result.code).toBe(1);
    expect(result.err).toMatch(new RegExp(`^keyward: database "${missing}" does not exist on .*CREATE DATABASE \`${missing}\`.*\\n$`));
  });
});
