import { Command } from 'commander';
import { mintUserToken } from '../authentication/user-token';
import { parseId } from '../shared/ids';
import { loadConfig } from '../config/config';
import type { CliIo } from './cli-io';

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 60 * 60, d: 24 * 60 * 60 };

/**
 * `keyward token --account <id> --sub <sub> [--roles developer] [--ttl 1h]`:
 * prints a JWT that the server accepts as a dashboard user, signed with
 * AUTH_JWT_SECRET, the way a host platform's identity provider would sign
 * one. Needs no database: the server checks the account when the token is used.
 */
export function registerTokenCommand(program: Command, io: CliIo): void {
  program
    .command('token')
    .description('Print a development JWT for a dashboard user, signed HS256 with AUTH_JWT_SECRET')
    .requiredOption('--account <id>', 'the account the user acts in (the account_id claim)')
    .requiredOption('--sub <sub>', "the user's subject (the sub claim; the audit log shows user:<sub>)")
    .option('--roles <roles>', 'comma-separated roles; developer, admin or owner may manage keys (default: none)')
    .option(
      '--ttl <duration>',
      'lifetime: a number of seconds, or with a unit: 90s, 30m, 1h (at most AUTH_JWT_MAX_TTL, 24h by default)',
      '1h',
    )
    .action(async (options: { account: string; sub: string; roles?: string; ttl: string }) => {
      const config = loadConfig(io.env);
      if (!config.authJwtSecret) {
        throw new Error(
          'AUTH_JWT_SECRET is not set: keyward token signs with it (with AUTH_JWKS_URL alone, tokens come from your identity provider)',
        );
      }
      const accountId = parseId(options.account);
      if (accountId === null) throw new Error(`--account must be an account id, got "${options.account}"`);
      const sub = options.sub.trim();
      if (sub === '') throw new Error('--sub must not be empty');
      const roles = (options.roles ?? '')
        .split(',')
        .map((role) => role.trim())
        .filter((role) => role !== '');
      const token = await mintUserToken(config, { sub, accountId, roles }, parseTtl(options.ttl, config.authJwtMaxTtlSeconds));
      io.out(`${token}\n`);
    });
}

/** `max`: the server's AUTH_JWT_MAX_TTL, so the CLI never prints a token the server would refuse. */
export function parseTtl(raw: string, max: number): number {
  const match = /^(\d+)\s*([smhd]?)$/.exec(raw.trim());
  const seconds = match ? Number(match[1]) * UNIT_SECONDS[match[2] || 's'] : NaN;
  if (!(seconds >= 1 && seconds <= max)) {
    throw new Error(`--ttl must be a duration from 1s to ${max}s (AUTH_JWT_MAX_TTL), such as 30m or 1h; got "${raw}"`);
  }
  return seconds;
}
