import { describeMysql, mysqlUrl } from './support/databases';
import { tableFootprint, warmLookupPages, withBufferPool } from './support/buffer-pool';
import { load, LoadSpec } from './support/load';
import { arg, numberArg } from './support/args';
import { change, ms, printMachine, table } from './support/report';
import { alternate, Summary } from './support/rounds';
import { BenchServer, spawnServer } from './support/spawn';
import { seeded, SeededDatabase } from './seed';

/**
 * Verification latency with a million keys in the table against a thousand
 * (target: within 10%), on MySQL/MariaDB. Both databases are made by
 * bench/seed.ts (reused when already seeded). The platform operator verifies
 * keys through POST /v1/keys/verify:
 *
 * - not cached: servers with KEY_CACHE_TTL_SECONDS=0, each request a key not
 *   asked for before in the run (the million-key database: 50,000 keys spread
 *   over the table, never repeated; the thousand-key one: its 1,000 in turn);
 * - cached: servers whose cache outlives the run (KEY_CACHE_TTL_SECONDS=3600),
 *   1,000 keys of each database verified once beforehand, then in turn.
 *
 * Each at one connection (latency without queueing) and ten (throughput).
 * "check µs" is the server's own mean time for one key check (its
 * keyward_key_verification_duration_seconds histogram): parse, hash, cache or
 * database, without HTTP.
 *
 * With --buffer-pool-mib N, InnoDB's buffer pool is resized to N MiB for
 * the run (a server-wide setting, put back afterwards): the million-key
 * table is larger than MariaDB's default 128 MiB, and whether its pages are
 * in memory, not keyward, then decides the uncached figures.
 *
 *   npm run bench:scale [-- --rounds 7 --seconds 5 --buffer-pool-mib 1024]
 */

const ROUNDS = numberArg('rounds', 7);
const SECONDS = numberArg('seconds', 5);
const SAMPLE = 50_000;
const CACHED_KEYS = 1_000;
const BUFFER_POOL_MIB = arg('buffer-pool-mib', '') === '' ? null : numberArg('buffer-pool-mib', 1);

async function main(): Promise<void> {
  printMachine('Key verification at 1,000,000 keys against 1,000 keys (MySQL/MariaDB)');
  const small = await seeded('keyward_bench_1k', 1_000, 1_000);
  const large = await seeded('keyward_bench', 1_000_000, SAMPLE);
  await withBufferPool(BUFFER_POOL_MIB, () => measure(small, large));
}

async function measure(small: SeededDatabase, large: SeededDatabase): Promise<void> {
  console.log(`database: ${await describeMysql()}`);
  console.log(`seeded: ${small.database} ${small.keys} keys (${small.seededAt}); ${large.database} ${large.keys} keys (${large.seededAt})`);
  const footprint = await tableFootprint(large.database, 'api_keys');
  console.log(`${large.database}.api_keys: ${footprint.dataMib.toFixed(0)} MiB of rows, ${footprint.indexMib.toFixed(0)} MiB of indexes`);
  for (const db of [small, large])
    console.log(`read ${db.database}'s lookup pages once: ${(await warmLookupPages(db.database)).toFixed(1)} s`);
  console.log(`${ROUNDS} alternating rounds of ${SECONDS} s each, after a 2 s warm-up of each\n`);

  const servers: BenchServer[] = [];
  const start = async (db: SeededDatabase, cached: boolean) => {
    // Cached: a TTL longer than the whole run, so its figures are all hits rather than 30 s expiries mixed in.
    const server = await spawnServer({ DATABASE_URL: mysqlUrl(db.database), KEY_CACHE_TTL_SECONDS: cached ? '3600' : '0' });
    servers.push(server);
    return server;
  };
  try {
    const uncached = { small: await start(small, false), large: await start(large, false) };
    const cached = { small: await start(small, true), large: await start(large, true) };
    const keys = {
      uncached: { small: small.sample, large: large.sample },
      cached: { small: small.sample.slice(0, CACHED_KEYS), large: large.sample.slice(0, CACHED_KEYS) },
    };
    for (const size of ['small', 'large'] as const) {
      await load({ ...verifySpec(cached[size], keys.cached[size], 10), amount: CACHED_KEYS });
    }

    const contenders = [];
    for (const connections of [1, 10]) {
      for (const mode of ['uncached', 'cached'] as const) {
        for (const size of ['small', 'large'] as const) {
          const server = (mode === 'cached' ? cached : uncached)[size];
          contenders.push({
            name: `${mode === 'cached' ? 'cached' : 'not cached'}, ${size === 'small' ? '1k' : '1M'} keys, ${connections} conn`,
            spec: verifySpec(server, keys[mode][size], connections),
            serverUrl: server.url,
          });
        }
      }
    }
    const summaries = await alternate(contenders, { rounds: ROUNDS, seconds: SECONDS });
    printComparison(summaries);
  } finally {
    for (const server of servers) await server.stop();
  }
}

/** Operator-verified keys, in turn across runs: a key is asked for again only once all the others were. */
function verifySpec(server: BenchServer, keys: string[], connections: number): LoadSpec {
  let next = 0;
  return {
    url: server.url,
    connections,
    request: {
      path: '/v1/keys/verify',
      headers: { authorization: `Bearer ${server.operatorToken}` },
      body: JSON.stringify({ key: keys[0] }),
    },
    vary: () => ({ body: JSON.stringify({ key: keys[next++ % keys.length] }) }),
  };
}

/** Pairs (1k, 1M) of each mode and load: the 1M figure against the 1k one. */
function printComparison(summaries: Summary[]): void {
  const rows = [];
  for (let i = 0; i < summaries.length; i += 2) {
    const [small, large] = [summaries[i], summaries[i + 1]];
    const label = small.name.replace(', 1k keys', '');
    rows.push([
      label,
      `${ms(small.p50)} / ${ms(large.p50)}`,
      change(large.p50, small.p50),
      `${ms(small.p99)} / ${ms(large.p99)}`,
      change(large.p99, small.p99),
      `${small.rps.toFixed(0)} / ${large.rps.toFixed(0)}`,
      change(large.rps, small.rps),
      `${(small.checkMs * 1000).toFixed(0)} / ${(large.checkMs * 1000).toFixed(0)}`,
      change(large.checkMs, small.checkMs),
    ]);
  }
  console.log('\nMedians over the rounds, 1k keys / 1M keys, and the 1M figure against the 1k one (target: latency within +10%):\n');
  console.log(table(['', 'p50 ms', 'p50 Δ', 'p99 ms', 'p99 Δ', 'req/s', 'req/s Δ', 'check µs', 'check Δ'], rows));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
