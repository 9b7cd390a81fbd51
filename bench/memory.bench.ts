import { readFileSync } from 'node:fs';
import { describeMysql, mysqlUrl } from './support/databases';
import { expectAll, load } from './support/load';
import { keywardArg, numberArg } from './support/args';
import { mib, printMachine, table } from './support/report';
import { verificationTiming } from './support/rounds';
import { BenchServer, spawnServer } from './support/spawn';
import { seeded } from './seed';

/**
 * The server's memory after verifying 100,000 distinct keys once each: the
 * verification cache must stay bounded (KEY_CACHE_MAX_ENTRIES, default
 * 100,000), whatever the number of keys presented. A database of 100,000 keys
 * (bench/seed.ts, reused when already seeded); the operator verifies every
 * one through POST /v1/keys/verify. Two servers, one after the other: the
 * default cache size, and a cache capped at 10,000 entries. RSS and heap from
 * the server's process.memoryUsage() (heap after a forced collection) and its
 * peak RSS from /proc/<pid>/status (VmHWM).
 *
 * The server is tsc's build by default, as `npm start` runs it (`npm run
 * build` first): the sources through @swc-node/register (--keyward source)
 * carry that compiler's memory too.
 *
 *   npm run bench:memory [-- --keys 100000 --passes 1 --keyward dist|source]
 */

const KEYS = numberArg('keys', 100_000);
const CONNECTIONS = 10;
/** A second pass presents every key again: a bounded cache holds its size, and so does the process. */
const PASSES = numberArg('passes', 1);
const KEYWARD = keywardArg('dist');

interface Snapshot {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  peakRss: number;
  cache: number;
}

async function main(): Promise<void> {
  printMachine(`Server memory after verifying ${KEYS} distinct keys`);
  const db = await seeded(`keyward_bench_${KEYS / 1000}k`, KEYS, KEYS);
  console.log(
    `database: ${db.database}, ${db.keys} keys (${db.seededAt}); ${await describeMysql()}; keyward from ${KEYWARD.description}\n`,
  );
  const rows = [];
  const verdicts: string[] = [];
  for (const cap of [undefined, 10_000]) {
    const server = await spawnServer({
      DATABASE_URL: mysqlUrl(db.database),
      ...KEYWARD.env,
      ...(cap ? { KEY_CACHE_MAX_ENTRIES: String(cap) } : {}),
    });
    try {
      const keys = db.sample;
      // Everything a verification touches (routes, TypeORM metadata, the pool) loaded before "before",
      // and its code compiled and optimized (V8 keeps that code on the heap too): 20,000 checks of 200 keys.
      await verifyAll(server, keys.slice(0, 200), 20_000);
      const before = await snapshot(server);
      rows.push(row(cap, 'start', before, before, 0));
      for (let pass = 1; pass <= PASSES; pass++) {
        const started = Date.now();
        const checks = await verificationTiming(server.url);
        await verifyAll(server, keys);
        const seconds = (Date.now() - started) / 1000;
        const valid = (await verificationTiming(server.url)).count - checks.count;
        if (valid < keys.length) throw new Error(`only ${valid} of ${keys.length} verifications found a valid key`);
        const after = await snapshot(server);
        rows.push(row(cap, `after pass ${pass} (${seconds.toFixed(0)} s)`, before, after, keys.length * pass));
        if (!cap) verdicts.push(verdict(pass, before, after));
      }
    } finally {
      await server.stop();
    }
  }
  console.log(
    table(
      [
        'cache',
        'when',
        'keys verified',
        'cache entries',
        'RSS MiB',
        'peak RSS MiB',
        'heap used MiB (after GC)',
        'heap total MiB',
        'heap bytes / entry',
      ],
      rows,
    ),
  );
  console.log(
    `\nIssue 12's targets, default settings (RSS under ${RSS_TARGET_MIB} MiB, at most ${HEAP_PER_ENTRY_TARGET} heap bytes per entry):`,
  );
  for (const line of verdicts) console.log(`- ${line}`);
}

const RSS_TARGET_MIB = 250;
const HEAP_PER_ENTRY_TARGET = 300;

function verdict(pass: number, before: Snapshot, after: Snapshot): string {
  const rss = after.rss / 2 ** 20;
  const perEntry = (after.heapUsed - before.heapUsed) / Math.max(1, after.cache - before.cache);
  const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
  return (
    `after pass ${pass}: RSS ${rss.toFixed(1)} MiB (${met(rss < RSS_TARGET_MIB)}), ` +
    `${perEntry.toFixed(0)} heap bytes per entry (${met(perEntry <= HEAP_PER_ENTRY_TARGET)})`
  );
}

function row(cap: number | undefined, when: string, before: Snapshot, now: Snapshot, verified: number) {
  return [
    cap ? `KEY_CACHE_MAX_ENTRIES=${cap}` : 'default (100,000)',
    when,
    verified,
    now.cache,
    mib(now.rss),
    mib(now.peakRss),
    mib(now.heapUsed),
    mib(now.heapTotal),
    now.cache > before.cache ? ((now.heapUsed - before.heapUsed) / (now.cache - before.cache)).toFixed(0) : '',
  ];
}

/** Every key verified once (or `amount` verifications, going round the keys), in order, by the operator. */
async function verifyAll(server: BenchServer, keys: string[], amount = keys.length): Promise<void> {
  let next = 0;
  const result = await load({
    url: server.url,
    connections: CONNECTIONS,
    amount,
    request: { path: '/v1/keys/verify', headers: { authorization: `Bearer ${server.operatorToken}` }, body: '{}' },
    vary: () => ({ body: JSON.stringify({ key: keys[next++ % keys.length] }) }),
  });
  expectAll(result, 200, 'verification');
}

async function snapshot(server: BenchServer): Promise<Snapshot> {
  const { memory, keyCacheSize } = await server.memory();
  const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
  const peakKb = Number(/VmHWM:\s*(\d+)/.exec(status)?.[1] ?? 0);
  return { rss: memory.rss, heapUsed: memory.heapUsed, heapTotal: memory.heapTotal, peakRss: peakKb * 1024, cache: keyCacheSize };
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
