import {
  ConfigError,
  flag,
  nonEmpty,
  parseAdminToken,
  parseHost,
  parseJwksUrl,
  parseJwtSecret,
  parseOrigins,
  parsePort,
  parseTrustProxy,
  seconds,
  TrustProxy,
  wholeNumber,
} from './env-values';

export { ConfigError };
export type { TrustProxy };

/**
 * The one place that reads the environment. Everything else receives a typed
 * `Config`, so tests can start servers with their own settings side by side.
 */
export interface Config {
  port: number;
  /** The address to listen on (HOST): an IP address or a host name; unset, every interface, IPv6 and IPv4. */
  host?: string;
  databaseUrl: string;
  redisUrl?: string;
  /**
   * Namespaces everything keyward keeps in Redis (REDIS_KEY_PREFIX, default
   * "keyward"): instances that should act as one share it; deployments that
   * share a Redis but not a database must not.
   */
  redisKeyPrefix: string;
  /** The window a plan's per-minute limit applies to: 60 s. Only tests shorten it; no variable sets it. */
  rateLimitWindowSeconds: number;
  /** Failed authentications a client address may have per window before its credentials get 429 (AUTH_FAILURES_PER_MINUTE, default 100). */
  authFailuresPerMinute: number;
  /** Leak reports (POST /v1/keys/report-leak) one client address may make per window (LEAK_REPORTS_PER_MINUTE, default 10). */
  leakReportsPerMinute: number;
  /** GitHub's secret scanning keys, a file as api.github.com/meta/public_keys/secret_scanning serves them (GITHUB_SECRET_SCANNING_KEYS). */
  githubSecretScanningKeys?: string;
  /** How long a database call may take before the request is answered 503 (DATABASE_TIMEOUT_SECONDS, default 5 s). */
  databaseTimeoutMs: number;
  platformAdminToken?: string;
  /** Dashboard-user JWTs signed HS256 with this shared secret (AUTH_JWT_SECRET). */
  authJwtSecret?: string;
  /** Dashboard-user JWTs signed RS256/ES256 by a key this JWK Set publishes (AUTH_JWKS_URL). */
  authJwksUrl?: string;
  /** When set, a user JWT must carry exactly this `iss` (AUTH_JWT_ISSUER). */
  authJwtIssuer?: string;
  /** When set, a user JWT's `aud` must include this (AUTH_JWT_AUDIENCE). */
  authJwtAudience?: string;
  /** The longest a user JWT may live, exp minus iat (AUTH_JWT_MAX_TTL, in seconds, default 86400: 24 h). */
  authJwtMaxTtlSeconds: number;
  logLevel: string;
  /**
   * Browser origins (scheme://host[:port]) whose pages may call the API
   * (CORS_ORIGINS, comma-separated; default none: no cross-origin access).
   */
  corsOrigins: readonly string[];
  /**
   * Origins whose pages may frame `/keys` and hand it a user's token by
   * postMessage (EMBED_ORIGINS, comma-separated; default none: `/keys` only standalone).
   */
  embedOrigins: readonly string[];
  /** How long a verified key is trusted without the database (KEY_CACHE_TTL_SECONDS, default 30 s; 0: no cache). */
  keyCacheTtlMs: number;
  /** At most this many key hashes in the verification cache (KEY_CACHE_MAX_ENTRIES, default 100000). */
  keyCacheMaxEntries: number;
  /** How often buffered lastUsedAt/lastUsedIp are written (LAST_USED_FLUSH_SECONDS, default 5 s). */
  lastUsedFlushMs: number;
  /** How long usage analytics (hourly counts per key and outcome) are kept (USAGE_RETENTION_DAYS, default 90). */
  usageRetentionDays: number;
  /** Which forwarded addresses to believe (TRUST_PROXY, default false: the socket's peer is the client). */
  trustProxy: TrustProxy;
  /**
   * Webhook endpoints may be http and resolve to loopback, private,
   * link-local and metadata addresses (WEBHOOK_ALLOW_PRIVATE_URLS, default
   * false): for development and tests only, since a tenant picks the URL.
   */
  webhookAllowPrivateUrls: boolean;
  /** How often the webhook dispatcher looks for due deliveries (WEBHOOK_POLL_SECONDS, default 1 s); a new event wakes it at once. */
  webhookPollMs: number;
}

export const DEFAULT_DATABASE_URL = 'sqlite:./data/keyward.sqlite';

/** Every default, in one place: loadConfig falls back to these, and so does configWith. */
export const DEFAULT_CONFIG: Readonly<Config> = Object.freeze({
  port: 4000,
  databaseUrl: DEFAULT_DATABASE_URL,
  redisKeyPrefix: 'keyward',
  rateLimitWindowSeconds: 60,
  authFailuresPerMinute: 100,
  leakReportsPerMinute: 10,
  databaseTimeoutMs: 5_000,
  logLevel: 'info',
  corsOrigins: [],
  embedOrigins: [],
  authJwtMaxTtlSeconds: 24 * 60 * 60,
  keyCacheTtlMs: 30_000,
  keyCacheMaxEntries: 100_000,
  lastUsedFlushMs: 5_000,
  usageRetentionDays: 90,
  trustProxy: false,
  webhookAllowPrivateUrls: false,
  webhookPollMs: 1_000,
});

/** A whole configuration from the defaults and a few settings: for servers started in code (tests, benchmarks). */
export function configWith(settings: Partial<Config>): Config {
  // A setting given as undefined means "not set": it keeps its default.
  const given = Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined));
  return { ...DEFAULT_CONFIG, ...given };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    ...DEFAULT_CONFIG,
    port: parsePort(env.PORT ?? String(DEFAULT_CONFIG.port)),
    host: parseHost(env.HOST),
    databaseUrl: nonEmpty(env.DATABASE_URL) ?? DEFAULT_CONFIG.databaseUrl,
    redisUrl: nonEmpty(env.REDIS_URL),
    redisKeyPrefix: nonEmpty(env.REDIS_KEY_PREFIX) ?? DEFAULT_CONFIG.redisKeyPrefix,
    authFailuresPerMinute: wholeNumber(env, 'AUTH_FAILURES_PER_MINUTE', DEFAULT_CONFIG.authFailuresPerMinute, { min: 1, max: 1_000_000 }),
    leakReportsPerMinute: wholeNumber(env, 'LEAK_REPORTS_PER_MINUTE', DEFAULT_CONFIG.leakReportsPerMinute, { min: 1, max: 1_000_000 }),
    githubSecretScanningKeys: nonEmpty(env.GITHUB_SECRET_SCANNING_KEYS),
    databaseTimeoutMs: seconds(env, 'DATABASE_TIMEOUT_SECONDS', DEFAULT_CONFIG.databaseTimeoutMs, { min: 0.1, max: 600 }),
    platformAdminToken: parseAdminToken(env.PLATFORM_ADMIN_TOKEN),
    authJwtSecret: parseJwtSecret(env.AUTH_JWT_SECRET),
    authJwksUrl: parseJwksUrl(env.AUTH_JWKS_URL),
    authJwtIssuer: nonEmpty(env.AUTH_JWT_ISSUER),
    authJwtAudience: nonEmpty(env.AUTH_JWT_AUDIENCE),
    authJwtMaxTtlSeconds: wholeNumber(env, 'AUTH_JWT_MAX_TTL', DEFAULT_CONFIG.authJwtMaxTtlSeconds, { min: 60, max: 366 * 24 * 60 * 60 }),
    logLevel: nonEmpty(env.LOG_LEVEL) ?? DEFAULT_CONFIG.logLevel,
    corsOrigins: parseOrigins(env.CORS_ORIGINS),
    embedOrigins: parseOrigins(env.EMBED_ORIGINS, 'EMBED_ORIGINS'),
    keyCacheTtlMs: seconds(env, 'KEY_CACHE_TTL_SECONDS', DEFAULT_CONFIG.keyCacheTtlMs, { min: 0, max: 3600 }),
    keyCacheMaxEntries: wholeNumber(env, 'KEY_CACHE_MAX_ENTRIES', DEFAULT_CONFIG.keyCacheMaxEntries, { min: 1, max: 10_000_000 }),
    lastUsedFlushMs: seconds(env, 'LAST_USED_FLUSH_SECONDS', DEFAULT_CONFIG.lastUsedFlushMs, { min: 0.05, max: 3600 }),
    usageRetentionDays: wholeNumber(env, 'USAGE_RETENTION_DAYS', DEFAULT_CONFIG.usageRetentionDays, { min: 1, max: 3660 }),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    webhookAllowPrivateUrls: flag(env, 'WEBHOOK_ALLOW_PRIVATE_URLS'),
    webhookPollMs: seconds(env, 'WEBHOOK_POLL_SECONDS', DEFAULT_CONFIG.webhookPollMs, { min: 0.01, max: 3600 }),
  };
}
