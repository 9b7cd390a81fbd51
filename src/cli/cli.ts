import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { DataSource } from 'typeorm';
import { Caller } from '../shared/caller';
import { loadConfig } from '../config/config';
import { createDataSource, redactUrl } from '../db/data-source';
import { explainDatabaseFailure } from '../db/connection-errors';
import packageJson from '../../package.json';
import { createServices, Services } from '../services/services';
import { CliIo } from './cli-io';
import { registerTokenCommand } from './token.command';
import { registerScopeCommand } from './scope.command';

export type { CliIo } from './cli-io';
import { ENTITIES } from '../services/entities';
import { createLogger } from '../logging/logger';
import { RateLimitWindow, rateLimitWindowNamed } from '../shared/rate-limit-window';

/** The CLI acts as the platform operator: whoever can run it on the host already holds the database. */
const CLI_CALLER: Caller = { principal: { kind: 'operator', via: 'cli' }, ip: null, userAgent: 'keyward-cli' };

/**
 * `keyward account create|list|update|reset-primary-key`, `keyward scope define|list`, `keyward migrate` and `keyward token`, over the same
 * services as the GraphQL API. Returns the exit code instead of exiting, so
 * tests can drive it in-process.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    io.err(`keyward: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

function buildProgram(io: CliIo): Command {
  const program = new Command('keyward')
    .description(
      'Operate a keyward server: accounts, migrations and development user tokens. Reads DATABASE_URL and AUTH_JWT_* like the server.',
    )
    .version(packageJson.version, '-V, --version', 'print the version of keyward')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });

  program
    .command('migrate')
    .description('Apply pending database migrations')
    .action(() =>
      withDatabase(io, async (dataSource) => {
        const applied = await dataSource.runMigrations({ transaction: 'each' });
        io.out(applied.length ? `Applied ${applied.map((m) => m.name).join(', ')}\n` : 'Database is up to date\n');
      }),
    );

  const account = program.command('account').description("Create, list and update accounts, and reset an account's primary key");
  account
    .command('create')
    .description('Create an account and print its primary admin key (shown only this once)')
    .requiredOption('--name <name>', 'account name')
    .option('--rate-limit <n>', 'requests per minute per pool (default 1000)')
    .option('--rate-limit-window <fixed|sliding>', 'how the limit counts its window (default fixed)')
    .option('--developer-api <on|off>', 'the Developer API flag (default on)')
    .option('--json', 'print JSON')
    .action((options: { name: string; rateLimit?: string; rateLimitWindow?: string; developerApi?: string; json?: boolean }) =>
      withServices(io, async (services) => {
        const { account: created, primaryKey } = await services.accounts.create(CLI_CALLER, {
          name: options.name,
          rateLimitPerMinute: optionalInteger(options.rateLimit),
          rateLimitWindow: optionalWindow(options.rateLimitWindow),
          developerApiEnabled: optionalFlag(options.developerApi),
        });
        if (options.json) {
          io.out(JSON.stringify({ id: String(created.id), name: created.name, primaryKey: primaryKey.secret }) + '\n');
          return;
        }
        io.out(`Created account "${created.name}" (id ${created.id}).\n`);
        io.out(`Primary admin key (shown only this once; store it now):\n\n  ${primaryKey.secret}\n\n`);
      }),
    );

  account
    .command('list')
    .description('List accounts, newest first')
    .option('--first <n>', 'how many (at most 100)', '100')
    .option('--after <cursor>', 'continue after this cursor')
    .option('--json', 'print JSON')
    .action((options: { first: string; after?: string; json?: boolean }) =>
      withServices(io, async (services) => {
        const page = await services.accounts.list(CLI_CALLER, { first: Number(options.first), after: options.after });
        const rows = page.edges.map(({ node }) => ({
          id: String(node.id),
          name: node.name,
          rateLimitPerMinute: node.rateLimitPerMinute,
          rateLimitWindow: node.rateLimitWindow,
          developerApi: node.developerApiEnabled ? 'on' : 'off',
          createdAt: node.createdAt,
        }));
        if (options.json) {
          io.out(JSON.stringify({ accounts: rows, endCursor: page.pageInfo.endCursor }) + '\n');
          return;
        }
        for (const row of rows) {
          io.out(
            `${row.id}\t${row.name}\t${row.rateLimitPerMinute}/min ${row.rateLimitWindow.toLowerCase()}\tDeveloper API ${row.developerApi}\t${row.createdAt.toISOString()}\n`,
          );
        }
        if (page.pageInfo.hasNextPage) io.out(`(more: --after ${page.pageInfo.endCursor})\n`);
      }),
    );

  account
    .command('update')
    .description('Change an account')
    .argument('<id>', 'account id')
    .option('--name <name>', 'new name')
    .option('--rate-limit <n>', 'requests per minute per pool')
    .option('--rate-limit-window <fixed|sliding>', 'how the limit counts its window')
    .option('--developer-api <on|off>', 'the Developer API flag')
    .action((id: string, options: { name?: string; rateLimit?: string; rateLimitWindow?: string; developerApi?: string }) =>
      withServices(io, async (services) => {
        const updated = await services.accounts.update(CLI_CALLER, id, {
          name: options.name,
          rateLimitPerMinute: optionalInteger(options.rateLimit),
          rateLimitWindow: optionalWindow(options.rateLimitWindow),
          developerApiEnabled: optionalFlag(options.developerApi),
        });
        io.out(
          `Account ${updated.id}: "${updated.name}", ${updated.rateLimitPerMinute} requests/minute ` +
            `(${updated.rateLimitWindow.toLowerCase()} window), ` +
            `Developer API ${updated.developerApiEnabled ? 'on' : 'off'}\n`,
        );
      }),
    );

  account
    .command('reset-primary-key')
    .description("Reset an account's primary admin key and print the new value (shown only this once); the old value stops working")
    .argument('<id>', 'account id')
    .option('--grace-period <seconds>', 'keep the old value working this long (at most 7 days)', '0')
    .option('--json', 'print JSON')
    .action((id: string, options: { gracePeriod: string; json?: boolean }) =>
      withServices(io, async (services) => {
        const gracePeriodSeconds = optionalInteger(options.gracePeriod) ?? 0;
        const { apiKey, secret } = await services.apiKeyIssuer.resetPrimary(CLI_CALLER, id, gracePeriodSeconds);
        const oldValueUntil = gracePeriodSeconds > 0 ? (apiKey.previousKeyExpiresAt?.toISOString() ?? null) : null;
        if (options.json) {
          io.out(JSON.stringify({ accountId: String(apiKey.accountId), prefix: apiKey.prefix, primaryKey: secret, oldValueUntil }) + '\n');
          return;
        }
        io.out(`Reset the primary admin key of account ${apiKey.accountId}: ${apiKey.previousPrefix} is now ${apiKey.prefix}.\n`);
        if (oldValueUntil) io.out(`The old value keeps working until ${oldValueUntil}.\n`);
        io.out(`Primary admin key (shown only this once; store it now):\n\n  ${secret}\n\n`);
      }),
    );

  registerScopeCommand(program, io, CLI_CALLER, withServices);
  registerTokenCommand(program, io);

  return program;
}

async function withDatabase(io: CliIo, work: (dataSource: DataSource) => Promise<void>): Promise<void> {
  const config = loadConfig(io.env);
  let dataSource: DataSource;
  try {
    dataSource = await createDataSource(config.databaseUrl, { entities: ENTITIES });
    await dataSource.initialize();
  } catch (error) {
    const explained = explainDatabaseFailure(error, config.databaseUrl);
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(explained ?? `cannot open ${redactUrl(config.databaseUrl)}: ${reason}`, { cause: error });
  }
  try {
    await work(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

/**
 * Services over a migrated database: the CLI works on a fresh machine before
 * the server ever ran. With REDIS_URL it publishes its key and account
 * changes, so running servers drop their cached copies at once.
 */
function withServices(io: CliIo, work: (services: Services) => Promise<void>): Promise<void> {
  const config = loadConfig(io.env);
  return withDatabase(io, async (dataSource) => {
    await dataSource.runMigrations({ transaction: 'each' });
    const services = createServices(dataSource, config, { logger: createLogger('silent') });
    try {
      await work(services);
    } finally {
      await services.keyChangeChannel?.close();
      await services.rateLimits.close();
    }
  });
}

function optionalInteger(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new Error(`expected a whole number, got "${value}"`);
  return Number(value);
}

function optionalWindow(value: string | undefined): RateLimitWindow | undefined {
  if (value === undefined) return undefined;
  const window = rateLimitWindowNamed(value);
  if (window === null) throw new Error(`expected fixed or sliding, got "${value}"`);
  return window;
}

function optionalFlag(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === 'on' || value === 'off') return value === 'on';
  throw new Error(`expected on or off, got "${value}"`);
}
