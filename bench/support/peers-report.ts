import { median, ms, table } from './report';
import { Summary } from './rounds';

/** bench:peers' table, in the shape of issue 12's: medians over the rounds. */
export function printPeersTable(summaries: Summary[]): void {
  console.log('\nMedians over the rounds:\n');
  console.log(
    table(
      ['setup', 'req/s', 'p50 ms', 'p99 ms', 'server CPU µs/req'],
      summaries.map((s) => [s.name, s.rps.toFixed(0), ms(s.p50), ms(s.p99), s.cpuUs.toFixed(1)]),
    ),
  );
}

export interface PeerSummaries {
  rawNode: Summary;
  bareApollo: Summary;
  peer: Summary;
  keywardVerify: Summary;
  anonymous: Summary;
  withKey: Summary;
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
 * met when both say so.
 */
export function printTargets(s: PeerSummaries): void {
  const targets: Array<{ what: string; a: Summary; b: Summary; figure: Figure; atLeast?: number; atMost?: number }> = [
    { what: 'verify throughput / raw node:http', a: s.keywardVerify, b: s.rawNode, figure: 'rps', atLeast: 0.33 },
    { what: 'verify throughput / better-auth', a: s.keywardVerify, b: s.peer, figure: 'rps', atLeast: 20 },
    { what: 'verify p99 / better-auth p99', a: s.keywardVerify, b: s.peer, figure: 'p99', atMost: 0.1 },
    { what: 'anonymous { __typename } CPU/req / bare Apollo { hello }', a: s.anonymous, b: s.bareApollo, figure: 'cpu', atMost: 1.15 },
    { what: '{ viewer { prefix } } with a key / anonymous, throughput', a: s.withKey, b: s.anonymous, figure: 'rps', atLeast: 0.9 },
  ];
  const rows = targets.map(({ what, a, b, figure, atLeast, atMost }) => {
    const ofMedians = medianOf(a, figure) / medianOf(b, figure);
    const bRounds = perRound(b, figure);
    const paired = median(perRound(a, figure).map((x, round) => x / bRounds[round]));
    const meets = (ratio: number) => (atLeast !== undefined ? ratio >= atLeast : ratio <= (atMost as number));
    const verdict = meets(ofMedians) && meets(paired) ? 'met' : meets(ofMedians) || meets(paired) ? 'borderline' : 'NOT met';
    return [what, ofMedians.toFixed(3), paired.toFixed(3), atLeast !== undefined ? `>= ${atLeast}` : `<= ${atMost}`, verdict];
  });
  console.log('\nIssue 12 targets (ratio of medians, and paired: the median of each round’s own ratio):\n');
  console.log(table(['target', 'ratio of medians', 'ratio, paired', 'goal', 'verdict'], rows));
}
