import { Config, ConfigError } from '../config/config';
import { explainDatabaseFailure } from '../db/connection-errors';

interface ListenError {
  code?: unknown;
  syscall?: unknown;
  port?: unknown;
  hostname?: unknown;
}

/**
 * What a failed start prints: one line that says what to change (a setting,
 * a port, a database), or null when the failure is not a known one: a bug,
 * whose stack trace is then the useful thing to print. `config` is missing
 * when reading the configuration was what failed.
 */
export function explainStartupFailure(error: unknown, config: Config | undefined): string | null {
  if (error instanceof ConfigError) return error.message;
  if (!config) return null;
  return explainListenFailure(error as ListenError, config) ?? explainDatabaseFailure(error, config.databaseUrl);
}

function explainListenFailure(error: ListenError, config: Config): string | null {
  if (!error || typeof error !== 'object') return null;
  if (error.code === 'ENOTFOUND' && config.host !== undefined && error.hostname === config.host) {
    return `HOST ${config.host} does not resolve to an address: set HOST to an address of this machine, or unset it to listen on all`;
  }
  if (error.syscall !== 'listen') return null;
  const port = typeof error.port === 'number' ? error.port : config.port;
  const on = config.host === undefined ? '' : ` on ${config.host}`;
  switch (error.code) {
    case 'EADDRINUSE':
      return `port ${port}${on} is already in use (another keyward?): stop what holds it, or set PORT to a free port (PORT=0 picks one)`;
    case 'EACCES':
      return `this user may not listen on port ${port}${on}: set PORT to 1024 or above, or give the process the privilege`;
    case 'EADDRNOTAVAIL':
      return `HOST ${config.host} is not an address of this machine: set HOST to one of its addresses, or unset it to listen on all`;
    default:
      return null;
  }
}
