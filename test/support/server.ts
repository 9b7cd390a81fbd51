import { randomBytes } from 'node:crypto';
import { AbstractLogger, LogLevel, LogMessage } from 'typeorm';
import { Config, configWith } from '../../src/config/config';
import { TestClock } from './clock';
import { createLogger, Logger } from '../../src/logging/logger';
import { RunningServer, startServer } from '../../src/app/server';
import { freshDatabase, TestDatabase } from './database';

/** Counts SQL statements, so tests can assert that a page costs a constant number of them. */
export class SqlCounter extends AbstractLogger {
  statements: string[] = [];

  // AbstractLogger drops every query unless its own options enable them.
  constructor() {
    super(['query']);
  }

  protected writeLog(level: LogLevel, message: LogMessage | LogMessage[]): void {
    for (const entry of Array.isArray(message) ? message : [message]) {
      if (level === 'query' && typeof entry.message === 'string') this.statements.push(entry.message);
    }
  }

  reset(): void {
    this.statements = [];
  }
}

export interface TestServer {
  url: string;
  operatorToken: string;
  database: TestDatabase;
  sql: SqlCounter;
  /** The server's clock: `clock.advance(ms)` instead of waiting. */
  clock: TestClock;
  server: RunningServer;
  stop(): Promise<void>;
}

/**
 * A real keyward on a free port with a fresh database, and with Redis when
 * TEST_REDIS_URL is set (under a prefix of its own, so test files running in
 * parallel never share rate-limit pools). `logger`: to capture its log lines.
 */
export async function startTestServer(overrides: Partial<Config> = {}, options: { logger?: Logger } = {}): Promise<TestServer> {
  const database = await freshDatabase();
  const operatorToken = `op_${randomBytes(16).toString('hex')}`;
  const sql = new SqlCounter();
  const clock = new TestClock();
  const server = await startServer(
    configWith({
      port: 0,
      databaseUrl: database.url,
      platformAdminToken: operatorToken,
      logLevel: 'silent',
      redisUrl: process.env.TEST_REDIS_URL || undefined,
      redisKeyPrefix: `keyward-test-${randomBytes(6).toString('hex')}`,
      // The write-behind last-used flush runs only when a test asks (or on stop), so its
      // statement never lands inside a request whose SQL a test is counting.
      lastUsedFlushMs: 60 * 60_000,
      ...overrides,
    }),
    { sqlLogger: sql, clock, logger: options.logger ?? createLogger(process.env.TEST_LOG_LEVEL ?? 'silent') },
  );
  return {
    url: server.url,
    operatorToken,
    clock,
    database,
    sql,
    server,
    stop: async () => {
      await server.stop();
      await database.drop();
    },
  };
}
