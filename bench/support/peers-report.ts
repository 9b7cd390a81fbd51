import { median, ms, table } from './report';
import { Summary } from './rounds';

/**
 * bench:peers' table, in the shape of issue 12's: medians over the rounds,
 * and how busy each server kept its core (requests a second times CPU per
 * request). Well under 100%, the load generator, not the server, set the
 * pace: on a shared machine autocannon's core is the first to run short.
 */
export function printPeersTable(summaries: Summary[]): void {
  console.log('\nMedians over the rounds:\n');
  console.log(
    table(
      ['setup', 'req/s', 'p50 ms', 'p99 ms', 'server CPU µs/req', 'server core busy'],
      summaries.map((s) => [s.name, s.rps.toFixed(0), ms(s.p50), ms(s.p99), s.cpuUs.toFixed(1), `${(busy(s) * 100).toFixed(0)}%`]),
    ),
  );
  const idle = summaries.filter((s) => busy(s) < 0.8).map((s) => s.name);
  if (idle.length > 0) {
    console.log(
      `\nUnder 80% of its core: ${idle.join('; ')}. The load generator set their pace, not the server: ` +
        'their req/s and p99 are its; compare them by server CPU.',
    );
  }
}

/** The median over the rounds of the share of its core the server used. */
function busy(s: Summary): number {
  return median(s.runs.map((run, round) => (run.rps * s.cpuRuns[round]) / 1e6));
}

export interface PeerSummaries {
  rawNode: Summary;
  bareApollo: Summary;
  peer: Summary;
  keywardVerify: Summary;
  anonymous: Summary;
  withKey: Summary;
  /** The same two with issue 14's featured key: credits, two named limits and an allowlist. */
  featuredVerify: Summary;
  withFeaturedKey: Summary;
}

type Figure = 'rps' | 'p99' | 'cpu';

/** One figure of each round, in round order. */
function perRound(s: Summary, figure: Figure): number[] {
  return figure === 'cpu' ? s.cpuRuns : s.runs.map((run) => (figure === 'rps' ? run.rps : run.p99));
}

function medianOf(s: Summary, figure: Figure): number {
  return figure === 'cpu' ? s.cpuUs : figure === 'rps' ? s.rps : s.p99;
}

/**
 * Issue 12's targets, each as a ratio of medians and as a paired ratio (the
 * median of each round's own ratio: the two ran minutes apart at most, so a
 * slow spell of the machine that spans the round cancels out). A target is
 * met when both say so. Throughput targets are also given by server CPU:
 * a server with its core to itself answers 1 / (CPU per request) requests a
 * second, so the inverse ratio of CPU per request (paired) is the ratio of
 * the throughputs each allows, which a load generator short of CPU does not
 * cap (see the "server core busy" column).
 */
export function printTargets(s: PeerSummaries): void {
  const targets: Array<{ what: string; a: Summary; b: Summary; figure: Figure; atLeast?: number; atMost?: number }> = [
    { what: 'verify throughput / raw node:http', a: s.keywardVerify, b: s.rawNode, figure: 'rps', atLeast: 0.33 },
    { what: 'verify throughput / better-auth', a: s.keywardVerify, b: s.peer, figure: 'rps', atLeast: 20 },
    { what: 'verify p99 / better-auth p99', a: s.keywardVerify, b: s.peer, figure: 'p99', atMost: 0.1 },
    { what: 'anonymous { __typename } CPU/req / bare Apollo { hello }', a: s.anonymous, b: s.bareApollo, figure: 'cpu', atMost: 1.15 },
    { what: '{ viewer { prefix } } with a key / anonymous, throughput', a: s.withKey, b: s.anonymous, figure: 'rps', atLeast: 0.9 },
    { what: 'featured key: verify throughput / raw node:http', a: s.featuredVerify, b: s.rawNode, figure: 'rps', atLeast: 0.33 },
    { what: 'featured key: verify throughput / better-auth', a: s.featuredVerify, b: s.peer, figure: 'rps', atLeast: 20 },
    { what: 'featured key: verify p99 / better-auth p99', a: s.featuredVerify, b: s.peer, figure: 'p99', atMost: 0.1 },
    {
      what: 'featured key: { viewer { prefix } } / anonymous, throughput',
      a: s.withFeaturedKey,
      b: s.anonymous,
      figure: 'rps',
      atLeast: 0.9,
    },
  ];
  const rows = targets.map(({ what, a, b, figure, atLeast, atMost }) => {
    const meets = (ratio: number) => (atLeast !== undefined ? ratio >= atLeast : ratio <= (atMost as number));
    const ofMedians = medianOf(a, figure) / medianOf(b, figure);
    const paired = pairedRatio(a, b, figure);
    const verdict = meets(ofMedians) && meets(paired) ? 'met' : meets(ofMedians) || meets(paired) ? 'borderline' : 'NOT met';
    // Throughput by CPU: b's CPU per request over a's, round by round.
    const byCpu = figure === 'rps' ? pairedRatio(b, a, 'cpu') : NaN;
    return [
      what,
      atLeast !== undefined ? `>= ${atLeast}` : `<= ${atMost}`,
      ofMedians.toFixed(3),
      paired.toFixed(3),
      verdict,
      Number.isNaN(byCpu) ? '' : byCpu.toFixed(3),
      Number.isNaN(byCpu) ? '' : meets(byCpu) ? 'met' : 'NOT met',
    ];
  });
  console.log(
    '\nIssue 12 targets (ratio of medians; paired: the median of each round’s own ratio; by server CPU: paired, CPU/req inverted):\n',
  );
  console.log(table(['target', 'goal', 'ratio of medians', 'ratio, paired', 'verdict', 'by server CPU', 'verdict by CPU'], rows));
}

function pairedRatio(a: Summary, b: Summary, figure: Figure): number {
  const bRounds = perRound(b, figure);
  return median(perRound(a, figure).map((x, round) => x / bRounds[round]));
}
