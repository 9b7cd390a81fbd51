import autocannon from 'autocannon';

export interface LoadRequest {
  method?: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadSpec {
  /** http://127.0.0.1:<port>: loopback only. */
  url: string;
  request: LoadRequest;
  /** Several requests instead: each connection sends them in turn, over and over (`request` is then ignored). */
  requests?: LoadRequest[];
  /** Varies each request (e.g. a distinct key each time); called with a running counter. */
  vary?: (n: number) => Partial<LoadRequest>;
  connections: number;
  /** Stops after this long… */
  durationSeconds?: number;
  /** …or after exactly this many requests (takes precedence, like autocannon's `amount`). */
  amount?: number;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  /** Responses per second over the whole run. */
  rps: number;
  /** Latencies in milliseconds, from each response's own high-resolution timing. */
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  statuses: Record<string, number>;
  /** Connection errors and timeouts. */
  errors: number;
}

/**
 * One bounded autocannon run. autocannon's own histogram keeps whole
 * milliseconds, too coarse for a 2 ms request, so latencies are taken from
 * its per-response event (process.hrtime, sub-millisecond) and the
 * percentiles computed here.
 */
export async function load(spec: LoadSpec): Promise<LoadResult> {
  if (spec.durationSeconds === undefined && spec.amount === undefined) throw new Error('a load must be bounded: durationSeconds or amount');
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let n = 0;
  const vary = spec.vary;
  const options: autocannon.Options = {
    url: spec.url,
    connections: spec.connections,
    duration: spec.durationSeconds ?? 3600,
    amount: spec.amount,
    timeout: 30,
    requests: (spec.requests ?? [spec.request]).map(({ method = 'POST', path, headers = {}, body }) => ({
      method,
      path,
      headers: { 'content-type': 'application/json', ...headers },
      body,
      // autocannon treats a present-but-undefined setupRequest as one to call.
      ...(vary && {
        setupRequest: (request: autocannon.Request) => {
          const change = vary(n++);
          return { ...request, ...change, headers: { ...request.headers, ...change.headers } } as autocannon.Request;
        },
      }),
    })),
  };
  const started = process.hrtime.bigint();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options, (error, finished) => (error ? reject(error) : resolve(finished)));
    instance.on('response', (_client, statusCode: number, _bytes: number, responseTime: number) => {
      latencies.push(responseTime);
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    });
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    seconds,
    rps: latencies.length / seconds,
    p50: percentile(latencies, 0.5),
    p90: percentile(latencies, 0.9),
    p99: percentile(latencies, 0.99),
    mean: latencies.reduce((sum, x) => sum + x, 0) / Math.max(1, latencies.length),
    statuses,
    errors: result.errors,
  };
}

/** Throws unless every response of the run had this status: a throttled or failing run measures nothing. */
export function expectAll(result: LoadResult, status: number, what: string): LoadResult {
  const other = Object.entries(result.statuses).filter(([code]) => Number(code) !== status);
  if (other.length > 0 || result.errors > 0 || result.requests === 0) {
    throw new Error(`${what}: expected every response to be ${status}, got ${JSON.stringify(result.statuses)} and ${result.errors} errors`);
  }
  return result;
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
