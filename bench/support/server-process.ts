import 'reflect-metadata';
import { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { loadConfig } from '../../src/config/config';
import type { startServer } from '../../src/app/server';
import { CpuTally, ServerReply, ServerRequest } from './server-messages';

/**
 * A keyward server in a process of its own, started by bench/support/spawn.ts:
 * the load generator (autocannon) then never shares an event loop with it.
 * Configured from the environment exactly like `npm start` (loadConfig), and
 * answers its parent over IPC: where it listens, its memory, its cache size.
 */
async function main(): Promise<void> {
  const { loadConfig, startServer } = keyward();
  const server = await startServer(loadConfig(process.env));
  const reply = (message: ServerReply) => process.send?.(message);
  let tally: CpuTally = {};
  tallyCpuByTag(server.httpServer, (tag, microseconds) => {
    const entry = (tally[tag] ??= { requests: 0, microseconds: 0 });
    entry.requests++;
    entry.microseconds += microseconds;
  });

  process.on('message', async (request: ServerRequest) => {
    switch (request.type) {
      case 'memory': {
        // Exposed by spawn.ts (--expose-gc): heapUsed after a collection is what is really kept.
        (globalThis as { gc?: () => void }).gc?.();
        const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
        reply({
          type: 'memory',
          memory: { rss, heapUsed, heapTotal, external, arrayBuffers },
          keyCacheSize: server.services.keyCache.size,
        });
        break;
      }
      case 'cpu':
        reply({ type: 'cpu', tally });
        tally = {};
        break;
      case 'flush':
        await server.services.lastUsed.flush();
        reply({ type: 'flushed' });
        break;
      case 'stop':
        await stop();
        reply({ type: 'stopped' });
        process.disconnect?.();
        break;
    }
  });
  let stopping: Promise<void> | null = null;
  const stop = () => (stopping ??= server.stop());
  // The parent going away (a crash, ^C) must not leave a server behind.
  process.on('disconnect', () => void stop().finally(() => process.exit(0)));
  reply({ type: 'ready', url: `http://127.0.0.1:${server.port}`, pid: process.pid });
}

/**
 * BENCH_KEYWARD_ROOT (set by spawn.ts): dist/src, keyward as `npm start` runs
 * it, tsc's build (as current as the last `npm run build`), the same two calls
 * as dist/src/main.js; or src, the TypeScript sources through @swc-node/register.
 */
function keyward(): { loadConfig: typeof loadConfig; startServer: typeof startServer } {
  // Required, not imported: the sources and the build both loaded would register every resolver twice.
  const root = process.env.BENCH_KEYWARD_ROOT ?? '../../src';
  /* eslint-disable @typescript-eslint/no-require-imports */
  return { loadConfig: require(`${root}/config/config`).loadConfig, startServer: require(`${root}/app/server`).startServer };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/**
 * The CPU time (process.cpuUsage, all threads) from a request's arrival
 * until its response is closed, for requests with an X-Bench-Tag header:
 * exact when requests arrive one at a time, as in bench:auth's interleaved
 * run (one connection), where requests of every kind alternate, so whatever
 * slows the machine for a while slows all of them alike. Runs before
 * keyward's own listener, and costs untagged requests one header lookup.
 */
function tallyCpuByTag(httpServer: Server, add: (tag: string, microseconds: number) => void): void {
  httpServer.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    const tag = req.headers['x-bench-tag'];
    if (typeof tag !== 'string') return;
    const started = process.cpuUsage();
    res.once('close', () => {
      const used = process.cpuUsage(started);
      add(tag, used.user + used.system);
    });
  });
}

main().catch((error) => {
  process.stderr.write(`bench server failed to start: ${error?.stack ?? error}\n`);
  process.exit(1);
});
