import { DataSource } from 'typeorm';
import { AccountService } from '../accounts/account.service';
import { ApiKeyIssuer, IssuedKey } from '../api-keys/api-key-issuer.service';
import { ApiKeyLifecycle } from '../api-keys/api-key-lifecycle.service';
import { ApiKeyQueries } from '../api-keys/api-key-query.service';
import { AuditService } from '../audit/audit.service';
import { Authenticator } from '../authentication/authenticator';
import { KeyChangeNotifier } from '../shared/key-changes';
import { KeyCacheInvalidator } from '../authentication/key-cache-invalidator';
import { RedisKeyChangeChannel } from '../authentication/redis-key-changes';
import { DEFAULT_CACHE_SETTINGS, VerificationCache } from '../authentication/verification-cache';
import { KeyVerifier } from '../authentication/key-verifier';
import { UserTokenVerifier, UserTokenSettings } from '../authentication/user-token';
import { ClientService } from '../clients/client.service';
import { Config } from '../config/config';
import { Transactor } from '../db/transactions';
import { KeyVerificationService } from '../authentication/key-verification.service';
import { LeadService } from '../leads/lead.service';
import { createLogger, Logger } from '../logging/logger';
import { Metrics } from '../observability/metrics';
import { RateLimitService } from '../rate-limits/rate-limit.service';
import { LastUsedRecorder } from '../usage/last-used.recorder';

/** Every domain service, wired once per server. GraphQL, the CLI and REST all call these. */
export interface Services {
  authenticator: Authenticator;
  accounts: AccountService<IssuedKey>;
  clients: ClientService;
  apiKeyIssuer: ApiKeyIssuer;
  apiKeyLifecycle: ApiKeyLifecycle;
  apiKeyQueries: ApiKeyQueries;
  audit: AuditService;
  leads: LeadService;
  metrics: Metrics;
  rateLimits: RateLimitService;
  keyVerification: KeyVerificationService;
  /** Verified keys by hash, in front of the database on every authentication. */
  keyCache: VerificationCache;
  /** What services call after a commit that changes how a key authenticates. */
  keyChanges: KeyChangeNotifier;
  /** Other instances' key changes (and ours to them) when REDIS_URL is set; the server starts and closes it. */
  keyChangeChannel: RedisKeyChangeChannel | null;
  /** lastUsedAt/lastUsedIp, written behind; the server starts its timer and flushes it on stop. */
  lastUsed: LastUsedRecorder;
}

export function createServices(
  dataSource: DataSource,
  options: { platformAdminToken?: string } & UserTokenSettings &
    Partial<Pick<Config, 'redisUrl' | 'redisKeyPrefix' | 'rateLimitWindowSeconds' | 'keyCacheTtlMs' | 'keyCacheMaxEntries' | 'lastUsedFlushMs'>> & {
      logger?: Logger;
    },
): Services {
  const logger = options.logger ?? createLogger('silent');
  const transactor = new Transactor(dataSource);
  const audit = new AuditService(dataSource);
  const metrics = new Metrics();
  const keyCache = new VerificationCache(
    {
      ...DEFAULT_CACHE_SETTINGS,
      ttlMs: options.keyCacheTtlMs ?? DEFAULT_CACHE_SETTINGS.ttlMs,
      maxEntries: options.keyCacheMaxEntries ?? DEFAULT_CACHE_SETTINGS.maxEntries,
    },
    (hit) => metrics.cacheLookup(hit),
  );
  const keyChangeChannel = options.redisUrl
    ? new RedisKeyChangeChannel(options.redisUrl, options.redisKeyPrefix ?? 'keyward', keyCache, logger)
    : null;
  const keyChanges = new KeyCacheInvalidator(keyCache, keyChangeChannel);
  const apiKeyIssuer = new ApiKeyIssuer(transactor, audit, keyChanges);
  const lastUsed = new LastUsedRecorder(dataSource, transactor, logger, options.lastUsedFlushMs);
  const keyVerifier = new KeyVerifier(dataSource, keyCache, metrics);
  const rateLimits = new RateLimitService(
    {
      redisUrl: options.redisUrl,
      keyPrefix: options.redisKeyPrefix ?? 'keyward',
      windowSeconds: options.rateLimitWindowSeconds ?? 60,
    },
    metrics,
  );
  return {
    authenticator: new Authenticator(
      keyVerifier,
      options.platformAdminToken,
      new UserTokenVerifier(dataSource, options),
      lastUsed,
    ),
    accounts: new AccountService(dataSource, transactor, audit, apiKeyIssuer, keyChanges),
    clients: new ClientService(dataSource, transactor, audit, keyChanges),
    apiKeyIssuer,
    apiKeyLifecycle: new ApiKeyLifecycle(transactor, audit, keyChanges),
    apiKeyQueries: new ApiKeyQueries(dataSource),
    audit,
    leads: new LeadService(dataSource, transactor),
    metrics,
    rateLimits,
    keyVerification: new KeyVerificationService(dataSource, keyVerifier, rateLimits),
    keyCache,
    keyChanges,
    keyChangeChannel,
    lastUsed,
  };
}
