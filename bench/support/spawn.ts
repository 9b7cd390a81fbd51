import { ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { transformSync } from 'esbuild';
import { pinApart } from './cpu';
import { CpuTally, MemoryFigures, ServerReply, ServerRequest } from './server-messages';

export interface BenchServer {
  /** http://127.0.0.1:<port>: load stays on the loopback interface. */
  url: string;
  pid: number;
  /** Where the server and the load generator run (see pinApart). */
  placement: string;
  operatorToken: string;
  memory(): Promise<{ memory: MemoryFigures; keyCacheSize: number }>;
  /** Writes the last-used buffer now instead of at the next tick of its timer. */
  flushLastUsed(): Promise<void>;
  /** CPU per X-Bench-Tag since the last call (see server-process.ts). */
  cpuByTag(): Promise<CpuTally>;
  stop(): Promise<void>;
}

/**
 * Starts keyward in a child process with the given environment on top of a
 * quiet, operator-enabled default. PORT=0: a free port, reported over IPC.
 * From the TypeScript sources through @swc-node/register, as the bench
 * scripts themselves run, or with BENCH_KEYWARD_BUILD=dist from tsc's build
 * in a process as plain as `npm start`'s (serverProcessForBuild).
 */
export async function spawnServer(env: Record<string, string | undefined>): Promise<BenchServer> {
  const operatorToken = `op_${randomBytes(16).toString('hex')}`;
  const build = env.BENCH_KEYWARD_BUILD === 'dist';
  const child = fork(build ? serverProcessForBuild() : join(__dirname, 'server-process.ts'), [], {
    // BENCH_SERVER_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof": node flags NODE_OPTIONS may not carry.
    execArgv: [
      ...(build ? [] : ['-r', '@swc-node/register']),
      '--expose-gc',
      ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
    ],
    env: {
      ...process.env,
      BENCH_KEYWARD_ROOT: join(__dirname, '..', '..', build ? 'dist/src' : 'src'),
      PORT: '0',
      PLATFORM_ADMIN_TOKEN: operatorToken,
      // One JSON line per request would measure pino and the terminal, not keyward's hot path.
      LOG_LEVEL: 'warn',
      // As the Docker image runs it: graphql-js and express drop their development-time checks
      // (graphql's instanceOf guard against two copies of the library costs every field resolved).
      NODE_ENV: 'production',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await nextReply(child, 'ready', 120_000);
  return {
    url: ready.url,
    pid: ready.pid,
    placement: pinApart(ready.pid),
    operatorToken,
    memory: async () => {
      const reply = await ask(child, { type: 'memory' }, 'memory');
      return { memory: reply.memory, keyCacheSize: reply.keyCacheSize };
    },
    flushLastUsed: async () => {
      await ask(child, { type: 'flush' }, 'flushed');
    },
    cpuByTag: async () => (await ask(child, { type: 'cpu' }, 'cpu')).tally,
    stop: async () => {
      if (!child.connected) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await ask(child, { type: 'stop' }, 'stopped');
      await exited;
    },
  };
}

/**
 * server-process.ts as JavaScript (esbuild strips the types; its imports of
 * keyward are types only), in bench/.data/: a server of the build then runs
 * without @swc-node/register, whose native compiler and hook would add
 * about 70 MiB to its RSS and a require hook to its start, neither of which
 * `npm start` has.
 */
function serverProcessForBuild(): string {
  const dir = join(__dirname, '..', '.data');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'server-process.js');
  const source = readFileSync(join(__dirname, 'server-process.ts'), 'utf8');
  writeFileSync(file, transformSync(source, { loader: 'ts', format: 'cjs', target: 'node20' }).code);
  return file;
}

export interface PeerServer {
  url: string;
  pid: number;
  placement: string;
  /** What the peer made for the load to send, if anything (better-auth's api key). */
  key?: string;
  stop(): Promise<void>;
}

/**
 * Starts one of bench:peers' peer servers (bench/peers/*.ts) in a child
 * process, with the bench servers' environment (production, logs at warn),
 * and pins it as spawnServer pins keyward. It announces itself over IPC and
 * ends when the parent disconnects.
 */
export async function spawnPeer(file: string, env: Record<string, string> = {}): Promise<PeerServer> {
  const child = fork(file, [], {
    execArgv: ['-r', '@swc-node/register'],
    env: { ...process.env, LOG_LEVEL: 'warn', NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await nextReply(child, 'ready', 120_000);
  return {
    url: ready.url,
    pid: ready.pid,
    key: ready.key,
    placement: pinApart(ready.pid),
    stop: async () => {
      if (!child.connected) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.disconnect();
      await exited;
    },
  };
}

type ReplyOf<T extends ServerReply['type']> = Extract<ServerReply, { type: T }>;

function ask<T extends ServerReply['type']>(child: ChildProcess, request: ServerRequest, expect: T): Promise<ReplyOf<T>> {
  const reply = nextReply(child, expect, 60_000);
  child.send(request);
  return reply;
}

function nextReply<T extends ServerReply['type']>(child: ChildProcess, expect: T, timeoutMs: number): Promise<ReplyOf<T>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`bench server: no "${expect}" within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message: ServerReply) => {
      if (message.type === expect) finish(null, message as ReplyOf<T>);
    };
    const onExit = (code: number | null) => finish(new Error(`bench server exited (code ${code}) before "${expect}"`));
    function finish(error: Error | null, value?: ReplyOf<T>) {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(value as ReplyOf<T>);
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}
