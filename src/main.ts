import 'reflect-metadata';
import { Config, loadConfig } from './config/config';
import { describeDatabase, startServer } from './app/server';
import { explainStartupFailure } from './app/startup-failure';

async function main(config: Config): Promise<void> {
  const server = await startServer(config);
  const { logger } = server;
  if (server.bootstrap) {
    const { account, primaryKey } = server.bootstrap;
    // Printed to stdout once, deliberately not logged: logs are kept, this key must not be.
    process.stdout.write(
      `\nCreated account "${account.name}" (id ${account.id}). Its primary admin key, shown only this once:\n\n` +
        `  ${primaryKey.secret}\n\nTry: curl -s ${server.url}/graphql -H 'Authorization: Bearer ${primaryKey.secret}' ` +
        `-H 'content-type: application/json' -d '{"query":"{ viewer { principal prefix permissions } }"}'\n\n`,
    );
  }
  process.stdout.write(
    `keyward listening on ${server.url}/graphql (explorer: ${server.url}/explorer; keys: ${server.url}/keys; database: ${describeDatabase(config)})\n`,
  );

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    server.stop().then(
      () => process.exit(0),
      (error) => {
        logger.error({ err: error }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

/** One line that says what to do when we know; the stack trace only for a failure nobody foresaw. */
function failedToStart(error: unknown, config?: Config): never {
  const explained = explainStartupFailure(error, config);
  process.stderr.write(`keyward failed to start: ${explained ?? (error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
}

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  failedToStart(error);
}
main(config).catch((error) => failedToStart(error, config));
