import { DataSource } from 'typeorm';
import { AccountService } from '../accounts/account.service';
import { AccountSettingsService } from '../accounts/account-settings.service';
import { ApiKeyIssuer, IssuedKey } from '../api-keys/api-key-issuer.service';
import { ApiKeyLifecycle } from '../api-keys/api-key-lifecycle.service';
import { ApiKeyUpdater } from '../api-keys/api-key-update.service';
import { ApiKeyQueries } from '../api-keys/api-key-query.service';
import { AuditService } from '../audit/audit.service';
import { Authenticator } from '../authentication/authenticator';
import { KeyChangeNotifier } from '../shared/key-changes';
import { KeyCacheInvalidator } from '../authentication/key-cache-invalidator';
import { RedisKeyChangeChannel } from '../authentication/redis-key-changes';
import { NEGATIVE_TTL_MS, VerificationCache } from '../authentication/verification-cache';
import { Clock, systemClock } from '../shared/clock';
import { ApiKeyKind } from '../shared/api-key-kind';
import { GeneratedKey } from '../api-keys/key-material';
import { KeyVerifier } from '../authentication/key-verifier';
import { UserTokenVerifier } from '../authentication/user-token';
import { ClientService } from '../clients/client.service';
import { Config } from '../config/config';
import { Transactor } from '../db/transactions';
import { KeyVerificationService } from '../authentication/key-verification.service';
import { LeadService } from '../leads/lead.service';
import { GitHubPublicKeys } from '../leaks/github-keys';
import { GitHubSecretScanning } from '../leaks/github-secret-scanning';
import { LeakReportLimit } from '../leaks/leak-report-limit';
import { LeakReports } from '../leaks/leak-report.service';
import { ScopeService } from '../scopes/scope.service';
import { Logger } from '../logging/logger';
import { Metrics } from '../observability/metrics';
import { RateLimitService } from '../rate-limits/rate-limit.service';
import { FailedAuthentications } from '../rate-limits/failed-authentications';
import { LastUsedRecorder } from '../usage/last-used.recorder';
import { KeyUseService } from '../rate-limits/key-use.service';
import { CreditWriter } from '../credits/credit-writer';
import { UsageRecorder } from '../usage/usage.recorder';
import { UsageQueries } from '../usage/usage-query.service';
import { EventRecorder } from '../shared/events';
import { KeyExpiryScan } from '../webhooks/key-expiry-scan';
import { OutboxRecorder } from '../webhooks/outbox.recorder';
import { WebhookDispatcher } from '../webhooks/webhook-dispatcher';
import { WebhookEndpointService } from '../webhooks/webhook-endpoint.service';
import { webhookSender } from '../webhooks/webhook-sender';
import { usageExhaustedRecorder } from '../webhooks/usage-exhausted';

/** Every domain service, wired once per server. GraphQL, the CLI and REST all call these. */
export interface Services {
  /** Where every time rule reads "now": the system's, or a test's. */
  clock: Clock;
  authenticator: Authenticator;
  accounts: AccountService<IssuedKey>;
  /** The account's own settings (leakResponse), changed by its developers. */
  accountSettings: AccountSettingsService;
  clients: ClientService;
  apiKeyIssuer: ApiKeyIssuer;
  apiKeyLifecycle: ApiKeyLifecycle;
  /** updateApiKey: one change of any of a key's settings. */
  apiKeyUpdater: ApiKeyUpdater;
  apiKeyQueries: ApiKeyQueries;
  audit: AuditService;
  leads: LeadService;
  /** The platform scope catalogue: defined by the operator, read by anyone. */
  scopes: ScopeService;
  metrics: Metrics;
  rateLimits: RateLimitService;
  /** Failed authentications per client address: the authentication middleware counts and refuses them. */
  failedAuthentications: FailedAuthentications;
  keyVerification: KeyVerificationService;
  /** Verified keys by hash, in front of the database on every authentication. */
  keyCache: VerificationCache;
  /** What services call after a commit that changes how a key authenticates. */
  keyChanges: KeyChangeNotifier;
  /** Other instances' key changes (and ours to them) when REDIS_URL is set; the server starts and closes it. */
  keyChangeChannel: RedisKeyChangeChannel | null;
  /** lastUsedAt/lastUsedIp, written behind; the server starts its timer and flushes it on stop. */
  lastUsed: LastUsedRecorder;
  /** Keys' usage credits and named limits, charged with their pools (chargeKeyUse); the server closes it. */
  keyUses: KeyUseService;
  /** api_keys.remaining, written behind like lastUsed; the server starts its timer and flushes it on stop. */
  credits: CreditWriter;
  /** Usage analytics: counts per key, hour and outcome, written behind like lastUsed; the server starts and stops it. */
  usage: UsageRecorder;
  /** ApiKey.usage, Account.usage and Client.usage: the counts over a time range, within the caller's scope. */
  usageQueries: UsageQueries;
  /** Where services write the events their changes cause (the webhook outbox), in the change's transaction. */
  events: EventRecorder;
  /** The account's webhook endpoints and deliveries. */
  webhooks: WebhookEndpointService;
  /** Delivers the outbox; the server starts it and stops it (the CLI never does). */
  webhookDispatcher: WebhookDispatcher;
  /** Reports of leaked keys, each handled by its account's leakResponse. */
  leakReports: LeakReports;
  /** Leak reports per client address (LEAK_REPORTS_PER_MINUTE): the public endpoint needs no credential. */
  leakReportLimit: LeakReportLimit;
  /** GitHub's signed secret scanning alerts (GITHUB_SECRET_SCANNING_KEYS), answered as leak reports. */
  gitHubSecretScanning: GitHubSecretScanning;
}

/**
 * `config`: resolved once by loadConfig (or configWith); nothing here
 * re-defaults it. `clock`: where every time rule reads "now".
 */
export function createServices(
  dataSource: DataSource,
  config: Config,
  wiring: { logger: Logger; clock?: Clock; generateKey?: (kind: ApiKeyKind) => GeneratedKey },
): Services {
  const { logger } = wiring;
  const clock = wiring.clock ?? systemClock;
  const transactor = new Transactor(dataSource);
  const audit = new AuditService(dataSource);
  const metrics = new Metrics();
  const keyCache = new VerificationCache(
    { ttlMs: config.keyCacheTtlMs, negativeTtlMs: NEGATIVE_TTL_MS, maxEntries: config.keyCacheMaxEntries },
    (hit) => metrics.cacheLookup(hit),
    clock,
  );
  const keyChangeChannel = config.redisUrl ? new RedisKeyChangeChannel(config.redisUrl, config.redisKeyPrefix, keyCache, logger) : null;
  const keyChanges = new KeyCacheInvalidator(keyCache, keyChangeChannel);
  // The recorder wakes the dispatcher, which is made after it: the closure reads it when an event comes.
  const events = new OutboxRecorder(clock, () => webhookDispatcher.wake());
  const webhookDispatcher = new WebhookDispatcher(
    dataSource,
    transactor,
    audit,
    new KeyExpiryScan(dataSource, transactor, events, clock),
    clock,
    logger,
    { pollMs: config.webhookPollMs, send: webhookSender(config.webhookAllowPrivateUrls) },
  );
  const apiKeyIssuer = new ApiKeyIssuer(transactor, audit, keyChanges, events, clock, wiring.generateKey);
  const lastUsed = new LastUsedRecorder(dataSource, transactor, logger, config.lastUsedFlushMs);
  const usage = new UsageRecorder(dataSource, transactor, logger, clock, {
    flushIntervalMs: config.lastUsedFlushMs,
    retentionDays: config.usageRetentionDays,
  });
  const keyVerifier = new KeyVerifier(dataSource, keyCache, clock, metrics);
  const rateLimits = new RateLimitService(
    { redisUrl: config.redisUrl, keyPrefix: config.redisKeyPrefix, windowSeconds: config.rateLimitWindowSeconds },
    metrics,
    clock,
  );
  const credits = new CreditWriter(dataSource, (work) => transactor.run(work), logger, config.lastUsedFlushMs);
  const keyUses = new KeyUseService(
    {
      redisUrl: config.redisUrl,
      keyPrefix: config.redisKeyPrefix,
      credits,
      onExhausted: usageExhaustedRecorder(transactor, events, logger),
    },
    clock,
  );
  const apiKeyLifecycle = new ApiKeyLifecycle(transactor, audit, keyChanges, events);
  const leakReports = new LeakReports(transactor, apiKeyLifecycle, audit, events, keyChanges, clock);
  return {
    clock,
    authenticator: new Authenticator(keyVerifier, config.platformAdminToken, new UserTokenVerifier(dataSource, config), lastUsed, usage),
    accounts: new AccountService(dataSource, transactor, audit, apiKeyIssuer, keyChanges),
    accountSettings: new AccountSettingsService(transactor, audit),
    clients: new ClientService(dataSource, transactor, audit, keyChanges, events),
    apiKeyIssuer,
    apiKeyLifecycle,
    apiKeyUpdater: new ApiKeyUpdater(transactor, audit, keyChanges, events, clock),
    apiKeyQueries: new ApiKeyQueries(dataSource, clock),
    audit,
    leads: new LeadService(dataSource, transactor),
    scopes: new ScopeService(dataSource, transactor),
    metrics,
    rateLimits,
    failedAuthentications: new FailedAuthentications(rateLimits, config.authFailuresPerMinute),
    keyVerification: new KeyVerificationService(keyVerifier, { rateLimits, keyUses }, usage),
    keyUses,
    credits,
    keyCache,
    keyChanges,
    keyChangeChannel,
    lastUsed,
    usage,
    usageQueries: new UsageQueries(dataSource, { retentionDays: config.usageRetentionDays }),
    events,
    webhooks: new WebhookEndpointService(dataSource, transactor, audit, clock, config.webhookAllowPrivateUrls, () =>
      webhookDispatcher.wake(),
    ),
    webhookDispatcher,
    leakReports,
    leakReportLimit: new LeakReportLimit(rateLimits, config.leakReportsPerMinute),
    gitHubSecretScanning: new GitHubSecretScanning(new GitHubPublicKeys(config.githubSecretScanningKeys), leakReports),
  };
}
