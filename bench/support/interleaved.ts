import { expectAll, load, LoadRequest } from './load';
import { median, table } from './report';
import { BenchServer } from './spawn';

export interface InterleavedContender {
  name: string;
  request: LoadRequest;
}

export interface InterleavedSummary {
  name: string;
  /** Median over the rounds of the server's CPU per request. */
  cpuUs: number;
  /** Median over the rounds of the first contender's CPU per request over this one's: its share of the first's throughput. */
  pairedRatio: number;
}

/**
 * Server CPU per request of each contender, with their requests interleaved
 * in short runs on a single connection (a few anonymous, a few with a key, …),
 * so that a slow spell of the machine, which on a shared host moves every
 * figure by ±20% from one second to the next, falls on all of them alike.
 * The server times each request itself, from its arrival until its answer
 * is closed (bench/support/server-process.ts), and one at a time they never
 * overlap. A server busy with nothing else serves 1 / (CPU per request)
 * requests a second, so the ratio of two contenders' CPU is the ratio of
 * the throughput each allows; a little pessimistic, since the window leaves
 * out what every request costs before its arrival event (the socket read
 * and the HTTP parser), which would dilute any difference.
 */
export async function interleaved(
  server: BenchServer,
  contenders: InterleavedContender[],
  options: { rounds: number; requestsPerRound: number; block: number },
): Promise<InterleavedSummary[]> {
  // `block` of each in a row: a request right after one of another kind finds its code colder in the CPU's caches.
  const requests = contenders.flatMap(({ name, request }) =>
    Array.from({ length: options.block }, () => ({ ...request, headers: { ...request.headers, 'x-bench-tag': name } })),
  );
  const run = async (each: number) =>
    expectAll(
      await load({ url: server.url, request: requests[0], requests, connections: 1, amount: each * contenders.length }),
      200,
      'interleaved',
    );
  await run(Math.min(2000, options.requestsPerRound));
  await server.cpuByTag();
  const perRound: number[][] = contenders.map(() => []);
  for (let round = 0; round < options.rounds; round++) {
    await run(options.requestsPerRound);
    const tally = await server.cpuByTag();
    contenders.forEach(({ name }, i) => perRound[i].push(tally[name].microseconds / tally[name].requests));
  }
  console.log(
    table(
      ['', ...Array.from({ length: options.rounds }, (_, r) => `round ${r + 1} µs/req`)],
      contenders.map(({ name }, i) => [name, ...perRound[i].map((us) => us.toFixed(1))]),
    ),
  );
  return contenders.map(({ name }, i) => ({
    name,
    cpuUs: median(perRound[i]),
    pairedRatio: median(perRound[i].map((us, round) => perRound[0][round] / us)),
  }));
}

export function printInterleaved(summaries: InterleavedSummary[]): void {
  const [base] = summaries;
  console.log(`\nMedians over the rounds, and throughput ratios to ${base.name} (its CPU per request over theirs, round by round):\n`);
  console.log(
    table(
      ['', 'server CPU µs/req', 'throughput ratio, paired'],
      summaries.map((s) => [s.name, s.cpuUs.toFixed(1), s.pairedRatio.toFixed(3)]),
    ),
  );
}
