import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { AddressInfo, createServer, Server } from 'node:net';
import { join } from 'node:path';
import { freshDatabase, TestDatabase } from '../support/database';

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real `keyward` (src/main.ts, as test/support/server-process.ts
 * does) until it exits: these starts are meant to fail.
 */
function runUntilExit(env: Record<string, string>): Promise<Exit> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'src/main.ts'], {
    cwd: join(__dirname, '..', '..'),
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

/** A failed start says what to do in one line, and never with a stack trace. */
function expectOneLine(exit: Exit, says: RegExp): void {
  expect(exit.code).toBe(1);
  expect(exit.stdout).not.toContain('keyward listening');
  const lines = exit.stderr.trimEnd().split('\n');
  expect(lines).toEqual([expect.stringMatching(/^keyward failed to start: /)]);
  expect(lines[0]).toMatch(says);
}

describe('a start that cannot succeed', () => {
  let database: TestDatabase;
  let squatter: Server;

  beforeAll(async () => {
    database = await freshDatabase();
    squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => squatter.close(resolve));
    await database.drop();
  });

  it('on a busy port says so and how to pick another', async () => {
    const port = (squatter.address() as AddressInfo).port;
    const exit = await runUntilExit({ PORT: String(port), DATABASE_URL: database.url });
    expectOneLine(exit, new RegExp(`port ${port} is already in use .*set PORT to a free port`));
  });

  (process.env.TEST_DATABASE_URL ? it : it.skip)('on an unknown MySQL database names it and how to create it', async () => {
    const url = new URL(process.env.TEST_DATABASE_URL!);
    const missing = `keyward_missing_${randomBytes(4).toString('hex')}`;
    url.pathname = `/${missing}`;
    const exit = await runUntilExit({ DATABASE_URL: url.toString() });
    expectOneLine(exit, new RegExp(`database "${missing}" does not exist .*CREATE DATABASE \`${missing}\``));
  });

  it('on a nonexistent MySQL server says nothing answers there', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const exit = await runUntilExit({ DATABASE_URL: `mysql://keyward:secret@127.0.0.1:${port}/keyward` });
    expectOneLine(exit, new RegExp(`nothing answers at the MySQL server at 127.0.0.1:${port}: .*DATABASE_URL`));
    expect(exit.stderr).not.toContain('secret');
  });

  it('with the placeholder operator token of an example file refuses to start', async () => {
    const exit = await runUntilExit({ DATABASE_URL: database.url, PLATFORM_ADMIN_TOKEN: 'change-me-to-a-long-random-string' });
    expectOneLine(exit, /PLATFORM_ADMIN_TOKEN is a placeholder .*long random string/);
  });

  it('with a HOST that is not an address to listen on says what HOST takes', async () => {
    const exit = await runUntilExit({ DATABASE_URL: database.url, HOST: 'http://0.0.0.0:4000' });
    expectOneLine(exit, /HOST must be an IP address or a host name/);
  });

  it('with a DATABASE_URL of another kind says which kinds there are', async () => {
    const exit = await runUntilExit({ DATABASE_URL: 'postgres://keyward:secret@127.0.0.1/keyward' });
    expectOneLine(exit, /DATABASE_URL must start with sqlite: or mysql:\/\//);
    expect(exit.stderr).not.toContain('secret');
  });
});
