import { Registry } from 'prom-client';

/** One label's series: cumulative export is done at scrape time, so an observation is one increment. */
interface Series {
  labelValue: string;
  counts: number[];
  sum: number;
  count: number;
}

type ExportedValue = {
  metricName: string;
  labels: Record<string, string | number>;
  sharedLabels: Record<string, string>;
  value: number;
};

/**
 * A histogram with one label, in the shape prom-client's Histogram scrapes
 * as (the same lines, in the same order), whose observe() is a Map lookup,
 * a bucket search and three additions.
 *
 * Why not prom-client's own: its observe() checks and hashes the labels and
 * allocates on every call, and the key check observes once per request with
 * a key (twice for a verification), which made it the costliest metric on
 * the hot path even when the observations were queued and handed over at
 * scrape time (bench/README.md, 2026-12-06).
 */
export class BucketedHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly series = new Map<string, Series>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelName: string,
    private readonly upperBounds: readonly number[],
    registry: Registry,
  ) {
    registry.registerMetric(this as never);
  }

  observe(labelValue: string, value: number): void {
    let series = this.series.get(labelValue);
    if (!series) {
      series = { labelValue, counts: this.upperBounds.map(() => 0), sum: 0, count: 0 };
      this.series.set(labelValue, series);
    }
    const bounds = this.upperBounds;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= bounds[i]) {
        series.counts[i]++;
        break;
      }
    }
    series.sum += value;
    series.count++;
  }

  /** What the registry formats: for each series, its buckets (cumulative), +Inf, sum and count. */
  async getForPromString(): Promise<{ name: string; help: string; type: string; aggregator: string; values: ExportedValue[] }> {
    const values: ExportedValue[] = [];
    for (const series of this.series.values()) {
      const shared = { [this.labelName]: series.labelValue };
      let cumulative = 0;
      this.upperBounds.forEach((le, i) => {
        cumulative += series.counts[i];
        values.push({ metricName: `${this.name}_bucket`, labels: { le }, sharedLabels: shared, value: cumulative });
      });
      values.push({ metricName: `${this.name}_bucket`, labels: { le: '+Inf' }, sharedLabels: shared, value: series.count });
      values.push({ metricName: `${this.name}_sum`, labels: {}, sharedLabels: shared, value: series.sum });
      values.push({ metricName: `${this.name}_count`, labels: {}, sharedLabels: shared, value: series.count });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  /** The JSON form (registry.getMetricsAsJSON): each value's labels with the series' own merged in. */
  async get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: object[] }> {
    const data = await this.getForPromString();
    return {
      ...data,
      values: data.values.map(({ sharedLabels, labels, ...rest }) => ({ ...rest, labels: { ...labels, ...sharedLabels } })),
    };
  }

  reset(): void {
    this.series.clear();
  }
}
