import { Counter, Histogram, LabelValues } from 'prom-client';

/**
 * Counts and observations kept in plain numbers on the request path and
 * handed to prom-client when the registry is read (each metric's `collect`
 * hook drains them), or sooner when many pile up between scrapes.
 *
 * Why: prom-client checks and hashes the labels of every inc() and
 * observe(), and allocates for each; on the authentication path that was a
 * measurable share of the cost of a request (bench/README.md). Here a call
 * is a Map lookup and an increment; prom-client does its work once per
 * label set per scrape. What a scrape reports is unchanged.
 */

/** Label values of one series, joined into the key that identifies it here. */
type SeriesKey = string;

export class PendingCounts<L extends string> {
  private pending = new Map<SeriesKey, { labels: LabelValues<L>; count: number }>();

  constructor(private readonly counter: () => Counter<L>) {}

  /** `labels` is only called the first time a series is seen between two drains. */
  add(key: SeriesKey, labels: () => LabelValues<L>): void {
    const tally = this.pending.get(key);
    if (tally) tally.count++;
    else this.pending.set(key, { labels: labels(), count: 1 });
  }

  drain(): void {
    if (this.pending.size === 0) return;
    const counter = this.counter();
    for (const { labels, count } of this.pending.values()) counter.inc(labels, count);
    this.pending.clear();
  }
}

/** Observations waiting for the histogram; drained at this many so memory stays bounded between scrapes. */
const MAX_PENDING_OBSERVATIONS = 4096;

export class PendingObservations<L extends string> {
  private pending = new Map<SeriesKey, { labels: LabelValues<L>; values: number[] }>();
  private size = 0;

  constructor(private readonly histogram: () => Histogram<L>) {}

  observe(key: SeriesKey, labels: () => LabelValues<L>, value: number): void {
    const series = this.pending.get(key);
    if (series) series.values.push(value);
    else this.pending.set(key, { labels: labels(), values: [value] });
    if (++this.size >= MAX_PENDING_OBSERVATIONS) this.drain();
  }

  drain(): void {
    if (this.size === 0) return;
    const histogram = this.histogram();
    for (const { labels, values } of this.pending.values()) {
      const series = histogram.labels(labels);
      for (const value of values) series.observe(value);
    }
    this.pending.clear();
    this.size = 0;
  }
}
