import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { PendingCounts } from './pending-metrics';
import { BucketedHistogram } from './bucketed-histogram';

type HttpLabel = 'method' | 'route' | 'status';
type OperationLabel = 'operation' | 'status';
type ResultLabel = 'result';

/**
 * What keyward tells Prometheus (GET /metrics). One registry per server, not
 * prom-client's global one, so several servers in one process (the tests)
 * never share or double-register series.
 *
 * Label values come from closed sets only (route patterns, schema root
 * fields, error codes), never from what a client typed, so a caller cannot
 * grow the number of series.
 */
export class Metrics {
  readonly registry = new Registry();

  // Per-request counts wait in plain numbers until a scrape (pending-metrics.ts); the key check's timing is
  // bucketed as it is observed (bucketed-histogram.ts).
  private readonly pendingHttpRequests = new PendingCounts<HttpLabel>(() => this.httpRequests, ['method', 'route', 'status']);
  private readonly pendingGraphqlOperations = new PendingCounts<OperationLabel>(() => this.graphqlOperations, ['operation', 'status']);
  private readonly pendingCacheLookups = new PendingCounts<ResultLabel>(() => this.cacheLookups, ['result']);

  private readonly httpRequests: Counter<HttpLabel> = new Counter({
    name: 'keyward_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
    collect: (): void => this.pendingHttpRequests.drain(),
  });

  private readonly graphqlOperations: Counter<OperationLabel> = new Counter({
    name: 'keyward_graphql_operations_total',
    help: 'GraphQL operations that reached Apollo, by operation (type and root field) and HTTP status',
    labelNames: ['operation', 'status'] as const,
    registers: [this.registry],
    collect: (): void => this.pendingGraphqlOperations.drain(),
  });

  private readonly authFailures = new Counter({
    name: 'keyward_authentication_failures_total',
    help: 'Presented credentials that were refused, by reason (a key check code, INVALID_JWT, DEVELOPER_API_DISABLED, UNAUTHENTICATED)',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  private readonly rateLimited = new Counter({
    name: 'keyward_rate_limited_total',
    help: 'Requests and key verifications refused because their pool was empty, by pool kind',
    labelNames: ['pool'] as const,
    registers: [this.registry],
  });

  private readonly rateLimitMemoryCounts = new Counter({
    name: 'keyward_rate_limit_memory_counts_total',
    help: 'Rate-limit counter calls made in process memory because Redis was not ready or had just failed',
    registers: [this.registry],
  });

  private readonly rateLimitStoreErrors = new Counter({
    name: 'keyward_rate_limit_store_errors_total',
    help: 'Rate-limit counter operations that failed in Redis and were counted in process memory instead',
    registers: [this.registry],
  });

  private readonly verificationSeconds = new BucketedHistogram(
    'keyward_key_verification_duration_seconds',
    'Time to check one presented API key (format, cache or database, status), by result',
    'result',
    [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    this.registry,
  );

  private readonly cacheLookups: Counter<ResultLabel> = new Counter({
    name: 'keyward_key_cache_lookups_total',
    help: 'Lookups in the verified-key cache, by result (hit or miss)',
    labelNames: ['result'] as const,
    registers: [this.registry],
    collect: (): void => this.pendingCacheLookups.drain(),
  });

  constructor() {
    const lookups = this.cacheLookups;
    new Gauge({
      name: 'keyward_key_cache_hit_ratio',
      help: 'Hits over all lookups in the verified-key cache since the server started (0 before the first lookup)',
      registers: [this.registry],
      async collect() {
        const { values } = await lookups.get();
        const count = (result: string) => values.find((v) => v.labels.result === result)?.value ?? 0;
        const total = count('hit') + count('miss');
        this.set(total === 0 ? 0 : count('hit') / total);
      },
    });
    collectDefaultMetrics({ register: this.registry });
  }

  httpRequest(method: string, route: string, status: number): void {
    this.pendingHttpRequests.add(method, route, status);
  }

  graphqlOperation(operation: string, status: number): void {
    this.pendingGraphqlOperations.add(operation, status);
  }

  authenticationFailed(code: string): void {
    this.authFailures.inc({ code });
  }

  rateLimitRefused(pool: string): void {
    this.rateLimited.inc({ pool });
  }

  rateLimitCountedInMemory(): void {
    this.rateLimitMemoryCounts.inc();
  }

  rateLimitStoreFailed(): void {
    this.rateLimitStoreErrors.inc();
  }

  /** One key check took `seconds` and ended with `result` (a key check code). */
  keyVerified(result: string, seconds: number): void {
    this.verificationSeconds.observe(result, seconds);
  }

  /** The verified-key cache reports each lookup here (one call per lookup). */
  cacheLookup(hit: boolean): void {
    this.pendingCacheLookups.add(hit ? 'hit' : 'miss');
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
