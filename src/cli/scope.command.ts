import { Command } from 'commander';
import { Caller } from '../shared/caller';
import { Services } from '../services/services';
import type { CliIo } from './cli-io';

/**
 * `keyward scope define <name> --description … [--client-assignable]` and
 * `keyward scope list`: the platform scope catalogue, as the operator (the
 * same ScopeService as defineScope and the `scopes` query). `withServices`
 * is the CLI's own: a migrated database and the wired services.
 */
export function registerScopeCommand(
  program: Command,
  io: CliIo,
  caller: Caller,
  withServices: (io: CliIo, work: (services: Services) => Promise<void>) => Promise<void>,
): void {
  const scope = program.command('scope').description("Define and list platform scopes: your own API's permissions that keys can hold");
  scope
    .command('define')
    .description('Declare a scope for every account, or redefine one (keys that hold it keep it)')
    .argument('<name>', 'resource:action in lower case, e.g. invoices:read (the action may be *)')
    .requiredOption('--description <text>', 'what holding the scope lets a key do')
    .option('--client-assignable', 'client keys may hold it (default: admin keys only)')
    .option('--json', 'print JSON')
    .action((name: string, options: { description: string; clientAssignable?: boolean; json?: boolean }) =>
      withServices(io, async (services) => {
        const defined = await services.scopes.define(caller, {
          name,
          description: options.description,
          clientAssignable: options.clientAssignable === true,
        });
        if (options.json) {
          io.out(JSON.stringify(present(defined)) + '\n');
          return;
        }
        io.out(`Defined ${defined.name}${defined.clientAssignable ? ' (client-assignable)' : ''}: ${defined.description}\n`);
      }),
    );

  scope
    .command('list')
    .description('List the defined scopes, by name')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) =>
      withServices(io, async (services) => {
        const scopes = (await services.scopes.list()).map(present);
        if (options.json) {
          io.out(JSON.stringify({ scopes }) + '\n');
          return;
        }
        if (scopes.length === 0) io.out('No scopes defined yet: keyward scope define <resource:action> --description …\n');
        for (const s of scopes) io.out(`${s.name}\t${s.clientAssignable ? 'client-assignable' : 'admin keys only'}\t${s.description}\n`);
      }),
    );
}

function present(scope: { name: string; description: string; clientAssignable: boolean }) {
  return { name: scope.name, description: scope.description, clientAssignable: scope.clientAssignable };
}
