/**
 * keyward's layers (README, "Code"). Each may import only the layers below it:
 *   shared    src/shared: the vocabulary (principal, caller, permissions, errors, ids, pagination)
 *   infra     src/config, src/logging, src/db, src/observability
 *   domain    src/audit, accounts, clients, api-keys, leads, leaks, rate-limits, usage, authentication, webhooks, scopes, credits
 *   services  src/services: the domain services wired into one object
 *   adapters  src/http, graphql, rest, explorer, keys-page, cli
 *   app       src/app and src/main.ts: the server's wiring
 */
const SHARED = '^src/shared/';
const INFRA = '^src/(config|logging|db|observability)/';
const DOMAIN = '^src/(audit|accounts|clients|api-keys|leads|leaks|rate-limits|usage|authentication|webhooks|scopes|credits)/';
const SERVICES = '^src/services/';
const ADAPTERS = '^src/(http|graphql|rest|explorer|keys-page|cli)/';
const APP = '^src/(app/|main\\.ts$)';

/** A rule that keeps `layer` from importing anything in `above`. */
function below(name, layer, above, comment) {
  return { name, severity: 'error', comment, from: { path: layer }, to: { path: above } };
}

module.exports = {
  forbidden: [
    below(
      'shared-imports-nothing-of-ours',
      SHARED,
      `${INFRA}|${DOMAIN}|${SERVICES}|${ADAPTERS}|${APP}`,
      'The shared vocabulary is the bottom layer: every other layer speaks it, so it may import none of them.',
    ),
    below(
      'infra-below-domain',
      INFRA,
      `${DOMAIN}|${SERVICES}|${ADAPTERS}|${APP}`,
      'Configuration, logging, the database and metrics serve the domains; they never know about one.',
    ),
    below(
      'domain-below-adapters',
      DOMAIN,
      `${SERVICES}|${ADAPTERS}|${APP}`,
      'Domain folders own the rules; GraphQL, REST, HTTP, the CLI and the wiring call them, never the reverse.',
    ),
    below(
      'services-below-adapters',
      SERVICES,
      `${ADAPTERS}|${APP}`,
      'The wired services are what every adapter receives; they know no adapter.',
    ),
    below('adapters-below-app', ADAPTERS, APP, 'Adapters are composed by the app; they never import it.'),
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import circle makes load order matter and hides which module owns what.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-folders-importing-each-other',
      severity: 'error',
      comment: 'Two folders that import each other are one concept split in two, or a layer pointing up.',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-orphans',
      severity: 'error',
      comment: 'A module nothing imports is dead code (entry points excepted).',
      from: {
        orphan: true,
        path: '^src/',
        pathNot: [
          '^src/main\\.ts$',
          '^src/app/emit-schema\\.ts$',
          '^src/cli/main\\.ts$',
          '\\.d\\.ts$',
          '^src/explorer/public/',
          '^src/keys-page/(app|docs)/',
        ],
      },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.build.json' },
    includeOnly: '^src/',
    reporterOptions: { text: { highlightFocused: true } },
  },
};
