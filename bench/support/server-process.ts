import 'reflect-metadata';
import { loadConfig } from '../../src/config/config';
import { startServer } from '../../src/server';
import { ServerReply, ServerRequest } from './server-messages';

/**
 * A keyward server in a process of its own, started by bench/support/spawn.ts:
 * the load generator (autocannon) then never shares an event loop with it.
 * Configured from the environment exactly like `npm start` (loadConfig), and
 * answers its parent over IPC: where it listens, its memory, its cache size.
 */
async function main(): Promise<void> {
  const server = await startServer(loadConfig(process.env));
  const reply = (message: ServerReply) => process.send?.(message);

  process.on('message', async (request: ServerRequest) => {
    switch (request.type) {
      case 'memory': {
        // Exposed by spawn.ts (--expose-gc): heapUsed after a collection is what is really kept.
        (globalThis as { gc?: () => void }).gc?.();
        const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
        reply({ type: 'memory', memory: { rss, heapUsed, heapTotal, external, arrayBuffers }, keyCacheSize: server.services.keyCache.size });
        break;
      }
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

main().catch((error) => {
  process.stderr.write(`bench server failed to start: ${error?.stack ?? error}\n`);
  process.exit(1);
});
