/**
 * The one place that reads the environment. Everything else receives a typed
 * `Config`, so tests can start servers with their own settings side by side.
 */
export interface Config {
  port: number;
  databaseUrl: string;
  redisUrl?: string;
  platformAdminToken?: string;
  logLevel: string;
}

export const DEFAULT_DATABASE_URL = 'sqlite:./data/keyward.sqlite';

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: parsePort(env.PORT ?? '4000'),
    databaseUrl: nonEmpty(env.DATABASE_URL) ?? DEFAULT_DATABASE_URL,
    redisUrl: nonEmpty(env.REDIS_URL),
    platformAdminToken: parseAdminToken(env.PLATFORM_ADMIN_TOKEN),
    logLevel: nonEmpty(env.LOG_LEVEL) ?? 'info',
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function parsePort(raw: string): number {
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be an integer from 0 to 65535, got "${raw}"`);
  }
  return port;
}

// A short operator token is guessable; refuse to start rather than run open.
function parseAdminToken(raw: string | undefined): string | undefined {
  const token = nonEmpty(raw);
  if (token !== undefined && token.length < 16) {
    throw new ConfigError('PLATFORM_ADMIN_TOKEN must be at least 16 characters');
  }
  return token;
}
