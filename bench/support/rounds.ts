import { randomBytes } from 'node:crypto';
import { REDIS_URL, TempDatabase, tempMysql, tempSqlite } from './databases';
import { cpuMicros } from './cpu';
import { expectAll, load, LoadResult, LoadSpec } from './load';
import { LOAD_HEADERS, loadRow, median, ms, table } from './report';

/** A server configuration a benchmark runs against: its database and environment. */
export interface Setup {
  name: string;
  short: 'sqlite' | 'mysql';
  database: () => Promise<TempDatabase>;
  env: () => Record<string, string>;
}

export const SETUPS: Setup[] = [
  { name: 'SQLite (embedded default), rate limits in memory', short: 'sqlite', database: async () => tempSqlite(), env: () => ({}) },
  {
    name: 'MariaDB + Redis (shared rate limits, cache invalidation over pub/sub)',
    short: 'mysql',
    database: () => tempMysql('http'),
    // A prefix of its own: the run's pools start empty and never meet another run's.
    env: () => ({ REDIS_URL, REDIS_KEY_PREFIX: `keyward-bench-${randomBytes(4).toString('hex')}` }),
  },
];

/** `--only sqlite|mysql` narrows the setups; anything else runs both. */
export function selectedSetups(only: string): Setup[] {
  return SETUPS.filter((s) => only === 'all' || s.short === only);
}

export interface Contender {
  name: string;
  spec: LoadSpec;
  /** Every response must have it: a throttled or refused run measures nothing. */
  status?: number;
  /** The server's own verification timing (see verificationTiming), read before and after each run. */
  serverUrl?: string;
  /** The server's process: its CPU time is read before and after each run (see cpuMicros). */
  serverPid?: number;
}

export interface Summary {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  /** Mean time of one key check inside the server, from its metrics; NaN when not measured. */
  checkMs: number;
  /** Server CPU time per response, in microseconds; NaN when not measured. */
  cpuUs: number;
  /**
   * The median over the rounds of this contender's throughput over the
   * first contender's in the same round: runs side by side in time, so a
   * slow spell of the machine that spans a round cancels out.
   */
  pairedRpsRatio: number;
  runs: LoadResult[];
  /** Server CPU per response of each round, in round order (NaN where not measured). */
  cpuRuns: number[];
}

/**
 * Warms each contender up, then runs them in turn, round after round, so a
 * burst of other work on the machine falls on all of them rather than one.
 * Prints every run and returns each contender's medians.
 */
export async function alternate(
  contenders: Contender[],
  options: { rounds: number; seconds: number; warmupSeconds?: number; rotate?: boolean },
): Promise<Summary[]> {
  for (const c of contenders) await load({ ...c.spec, durationSeconds: options.warmupSeconds ?? 2 });
  const runs = contenders.map(() => [] as LoadResult[]);
  const checks = contenders.map(() => [] as number[]);
  const cpus = contenders.map(() => [] as number[]);
  const timed = contenders.some((c) => c.serverUrl);
  const costed = contenders.some((c) => c.serverPid);
  const rows: Array<Array<string | number>> = [];
  for (let round = 1; round <= options.rounds; round++) {
    // rotate: round r starts with contender r, so no contender always runs right after the same one.
    const order = contenders.map((_, i) => (options.rotate ? (i + round - 1) % contenders.length : i));
    for (const i of order) {
      const c = contenders[i];
      const before = c.serverUrl ? await verificationTiming(c.serverUrl) : null;
      const cpuBefore = c.serverPid ? cpuMicros(c.serverPid) : null;
      const result = expectAll(await load({ ...c.spec, durationSeconds: options.seconds }), c.status ?? 200, c.name);
      const cpuAfter = c.serverPid ? cpuMicros(c.serverPid) : null;
      const after = c.serverUrl ? await verificationTiming(c.serverUrl) : null;
      const cpuUs = cpuBefore !== null && cpuAfter !== null ? (cpuAfter - cpuBefore) / result.requests : NaN;
      // Verification answers 200 whatever the verdict: the server's count of VALID checks shows every key passed.
      if (before && after && after.count - before.count < result.requests) {
        throw new Error(`${c.name}: ${result.requests} answers but only ${after.count - before.count} valid keys`);
      }
      const checkMs = before && after ? ((after.sum - before.sum) / (after.count - before.count)) * 1000 : NaN;
      runs[i].push(result);
      checks[i].push(checkMs);
      cpus[i].push(cpuUs);
      rows.push([
        ...loadRow(`${round}: ${c.name}`, result),
        ...(timed ? [Number.isNaN(checkMs) ? '' : (checkMs * 1000).toFixed(0)] : []),
        ...(costed ? [Number.isNaN(cpuUs) ? '' : cpuUs.toFixed(1)] : []),
      ]);
    }
  }
  console.log(table([...LOAD_HEADERS, ...(timed ? ['check µs'] : []), ...(costed ? ['server CPU µs/req'] : [])], rows));
  return contenders.map((c, i) => ({
    name: c.name,
    rps: median(runs[i].map((r) => r.rps)),
    p50: median(runs[i].map((r) => r.p50)),
    p99: median(runs[i].map((r) => r.p99)),
    checkMs: median(checks[i]),
    cpuUs: median(cpus[i]),
    pairedRpsRatio: median(runs[i].map((run, round) => run.rps / runs[0][round].rps)),
    runs: runs[i],
    cpuRuns: cpus[i],
  }));
}

/**
 * The server's keyward_key_verification_duration_seconds histogram for valid
 * keys (GET /metrics): the time one key check takes inside the process —
 * parse, hash, cache or database — without HTTP, GraphQL or queueing.
 */
export async function verificationTiming(url: string): Promise<{ sum: number; count: number }> {
  const text = await (await fetch(new URL('/metrics', url))).text();
  const value = (suffix: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`keyward_key_verification_duration_seconds_${suffix}{result="VALID"}`));
    return line ? Number(line.split(' ').pop()) : 0;
  };
  return { sum: value('sum'), count: value('count') };
}

/** Medians of each contender, and each one's ratios to the first (the baseline). */
export function printRatios(summaries: Summary[]): void {
  const [base] = summaries;
  const costed = summaries.every((s) => !Number.isNaN(s.cpuUs));
  console.log(`\nMedians over the rounds, and ratios to ${base.name}:\n`);
  console.log(
    table(
      [
        '',
        'req/s',
        'p50 ms',
        'p99 ms',
        'req/s ratio',
        'req/s ratio, paired',
        'p50 ratio',
        'p99 ratio',
        ...(costed ? ['server CPU µs/req', 'CPU ratio'] : []),
      ],
      summaries.map((s) => [
        s.name,
        s.rps.toFixed(0),
        ms(s.p50),
        ms(s.p99),
        (s.rps / base.rps).toFixed(3),
        s.pairedRpsRatio.toFixed(3),
        (s.p50 / base.p50).toFixed(3),
        (s.p99 / base.p99).toFixed(3),
        ...(costed ? [s.cpuUs.toFixed(1), (s.cpuUs / base.cpuUs).toFixed(3)] : []),
      ]),
    ),
  );
}

/** A GraphQL POST, as a load spec. */
export function graphqlSpec(url: string, connections: number, query: string, key?: string, variables?: object): LoadSpec {
  return {
    url,
    connections,
    request: { path: '/graphql', headers: key ? { authorization: `Bearer ${key}` } : {}, body: JSON.stringify({ query, variables }) },
  };
}
