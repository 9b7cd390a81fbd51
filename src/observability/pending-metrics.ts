import { Counter, LabelValues } from 'prom-client';

/**
 * Counts kept in plain numbers on the request path and handed to prom-client
 * when the registry is read (the counter's `collect` hook drains them).
 *
 * Why: prom-client checks and hashes the labels of every inc() and
 * allocates for each; on the request path that was a measurable share of
 * its cost (bench/README.md). Here a call is one Map lookup per label, on
 * the label values themselves: no key is joined from them per call (a fresh
 * string is hashed on every lookup; the constant route names and codes
 * callers pass are hashed once). prom-client does its work once per series
 * per scrape. What a scrape reports is unchanged.
 */

type LabelValue = string | number;
/** One level per label, in the counter's label order; the last level holds the counts. */
type Level = Map<LabelValue, Level | Tally>;
interface Tally {
  count: number;
}

export class PendingCounts<L extends string> {
  private pending: Level = new Map();

  constructor(
    private readonly counter: () => Counter<L>,
    private readonly labelNames: readonly L[],
  ) {}

  /** One event of the series with these label values, one per label name, in order (numbers are reported as strings). */
  add(first: LabelValue, second?: LabelValue, third?: LabelValue): void {
    const depth = this.labelNames.length;
    let level = this.pending;
    let last = first;
    if (depth > 1) {
      level = this.child(level, first);
      last = second as LabelValue;
    }
    if (depth > 2) {
      level = this.child(level, second as LabelValue);
      last = third as LabelValue;
    }
    const tally = level.get(last) as Tally | undefined;
    if (tally) tally.count++;
    else level.set(last, { count: 1 });
  }

  drain(): void {
    if (this.pending.size === 0) return;
    const counter = this.counter();
    const walk = (level: Level, depth: number, labels: Partial<Record<L, string>>): void => {
      const name = this.labelNames[depth];
      for (const [value, next] of level) {
        const here = { ...labels, [name]: String(value) };
        if (depth === this.labelNames.length - 1) counter.inc(here as LabelValues<L>, (next as Tally).count);
        else walk(next as Level, depth + 1, here);
      }
    };
    walk(this.pending, 0, {});
    this.pending = new Map();
  }

  private child(level: Level, value: LabelValue): Level {
    let next = level.get(value) as Level | undefined;
    if (!next) {
      next = new Map();
      level.set(value, next);
    }
    return next;
  }
}
