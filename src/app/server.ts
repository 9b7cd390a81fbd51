import 'reflect-metadata';
import { createServer, Server } from 'node:http';
import { AddressInfo, isIPv6 } from 'node:net';
import { DataSource, Logger as TypeOrmLogger } from 'typeorm';
import { NewAccount } from '../accounts/account.service';
import { IssuedKey } from '../api-keys/api-key-issuer.service';
import { Config } from '../config/config';
import { createDataSource, databaseKind, redactUrl } from '../db/data-source';
import { boundStatementTime } from '../db/timeouts';
import { createApp } from './app';
import { clientAddressReader } from '../http/exchange';
import { createLogger, Logger } from '../logging/logger';
import { keywardSchema } from './build-schema';
import { Clock } from '../shared/clock';
import { ApiKeyKind } from '../shared/api-key-kind';
import { GeneratedKey } from '../api-keys/key-material';
import { createServices, Services } from '../services/services';
import { ENTITIES } from '../services/entities';

export interface RunningServer {
  url: string;
  port: number;
  /** The listening node:http server (benchmarks attach their own request listeners). */
  httpServer: Server;
  dataSource: DataSource;
  services: Services;
  logger: Logger;
  /** Set when this start created the Default account (first start, empty embedded database). */
  bootstrap: NewAccount<IssuedKey> | null;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Receives every SQL statement (tests count them). */
  sqlLogger?: TypeOrmLogger;
  logger?: Logger;
  /** Where time rules read "now" (tests pass one they can move forward). */
  clock?: Clock;
  /** Where new key material comes from (tests draw a clashing prefix on purpose). */
  generateKey?: (kind: ApiKeyKind) => GeneratedKey;
}

export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const dataSource = await createDataSource(config.databaseUrl, { entities: ENTITIES, logger: options.sqlLogger });
  await dataSource.initialize();
  let services: Services | undefined;
  let httpServer: Server | undefined;
  try {
    await dataSource.runMigrations({ transaction: 'each' });
    boundStatementTime(dataSource, config.databaseTimeoutMs);
    services = createServices(dataSource, config, { logger, clock: options.clock, generateKey: options.generateKey });
    // Neither waits for a Redis that is down: both go on without it (see each).
    await Promise.all([services.keyChangeChannel?.start(), services.rateLimits.connected(), services.keyUses.connected()]);
    services.lastUsed.start();
    services.credits.start();
    services.usage.start();
    services.webhookDispatcher.start();
    httpServer = createServer();
    const { handle } = await createApp({
      schema: await keywardSchema(),
      services,
      dataSource,
      logger,
      httpServer,
      corsOrigins: config.corsOrigins,
      embedOrigins: config.embedOrigins,
      clientAddress: clientAddressReader(config.trustProxy),
    });
    httpServer.on('request', handle);
    const port = await listen(httpServer, config.port, config.host);
    // Only once the port is ours: a start that fails after making the account would lose its key, shown nowhere.
    const bootstrap = await bootstrapDefaultAccount(config, services);
    const url = `http://${urlHost(config.host)}:${port}`;
    return {
      url,
      port,
      httpServer,
      dataSource,
      services,
      logger,
      bootstrap,
      stop: () => stop(httpServer as Server, dataSource, services as Services),
    };
  } catch (error) {
    if (httpServer?.listening) await new Promise((resolve) => httpServer?.close(resolve));
    await services?.webhookDispatcher.stop();
    await services?.lastUsed.stop();
    await services?.credits.stop();
    await services?.keyUses.close();
    await services?.usage.stop();
    await services?.keyChangeChannel?.close();
    await services?.rateLimits.close();
    await dataSource.destroy();
    throw error;
  }
}

/**
 * On the first start with an empty embedded database, make a "Default"
 * account so a new user can make a request within a minute. Never on MySQL:
 * a shared production database gets its accounts from the operator.
 */
async function bootstrapDefaultAccount(config: Config, services: Services): Promise<NewAccount<IssuedKey> | null> {
  if (databaseKind(config.databaseUrl) !== 'sqlite' || (await services.accounts.count()) > 0) return null;
  return services.accounts.create({ principal: { kind: 'operator', via: 'bootstrap' }, ip: null, userAgent: null }, { name: 'Default' });
}

function listen(server: Server, port: number, host: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host }, () => resolve((server.address() as AddressInfo).port));
  });
}

/** The host for the URL printed on start: every interface is reached as localhost; an IPv6 address needs brackets. */
function urlHost(host: string | undefined): string {
  if (host === undefined || host === '0.0.0.0' || host === '::') return 'localhost';
  return isIPv6(host) ? `[${host}]` : host;
}

/** A request still running after this long is cut off, so a stuck client cannot hold a shutdown forever. */
const DRAIN_GRACE_MS = 10_000;

/**
 * Graceful shutdown, in the order that loses nothing: stop accepting and let
 * in-flight requests finish (their key uses land in the last-used buffer),
 * write the buffer, then close Redis and the database it was written to.
 */
async function stop(server: Server, dataSource: DataSource, services: Services): Promise<void> {
  await new Promise<void>((resolve) => {
    const cutOff = setTimeout(() => server.closeAllConnections(), DRAIN_GRACE_MS);
    cutOff.unref();
    server.close(() => {
      clearTimeout(cutOff);
      resolve();
    });
    server.closeIdleConnections();
  });
  // Attempts under way finish (each within its timeout), so their outcome is written before the database closes.
  await services.webhookDispatcher.stop();
  await services.lastUsed.stop();
  await services.credits.stop();
  await services.keyUses.close();
  await services.usage.stop();
  await services.keyChangeChannel?.close();
  await services.rateLimits.close();
  if (dataSource.isInitialized) await dataSource.destroy();
}

export function describeDatabase(config: Config): string {
  return redactUrl(config.databaseUrl);
}
