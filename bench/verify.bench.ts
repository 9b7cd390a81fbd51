import { createClient, createKey, expectValid, unthrottledAccount } from './support/api';
import { LoadSpec } from './support/load';
import { arg, numberArg } from './support/args';
import { printMachine } from './support/report';
import { alternate, graphqlSpec, printRatios, selectedSetups, Setup } from './support/rounds';
import { spawnServer } from './support/spawn';

/**
 * POST /v1/keys/verify as the platform's other services call it: a caller
 * holding keys:verify (the account's primary key) verifies another key of the
 * account, an admin key and a client key, and the GraphQL twin verifyApiKey
 * does the same, all against an anonymous `{ __typename }` on the same server
 * in alternating rounds. Each verification charges the verified key's pool,
 * which the account's plan limit keeps far from empty.
 *
 *   npm run bench:verify [-- --rounds 3 --seconds 8 --connections 10 --only sqlite|mysql]
 */

const ROUNDS = numberArg('rounds', 3);
const SECONDS = numberArg('seconds', 8);
const CONNECTIONS = numberArg('connections', 10);

async function main(): Promise<void> {
  printMachine('POST /v1/keys/verify (and verifyApiKey) against anonymous { __typename }, same server');
  console.log(`${ROUNDS} alternating rounds of ${SECONDS} s each, ${CONNECTIONS} connections, after a 2 s warm-up of each\n`);
  for (const setup of selectedSetups(arg('only', 'all'))) await benchmark(setup);
}

async function benchmark(setup: Setup): Promise<void> {
  const database = await setup.database();
  const server = await spawnServer({ DATABASE_URL: database.url, ...setup.env() });
  try {
    const account = await unthrottledAccount(server.url, server.operatorToken);
    const adminKey = await createKey(server.url, account.primaryKey, { name: 'Verified admin key', permissions: ['LEADS_READ'] });
    const clientId = await createClient(server.url, account.primaryKey, 'Bench client');
    const clientKey = await createKey(server.url, account.primaryKey, {
      name: 'Verified client key',
      clientId,
      permissions: ['LEADS_READ'],
    });
    const rest = (key: string) => restSpec(server.url, account.primaryKey, key);
    await expectValid(rest(adminKey));
    await expectValid(rest(clientKey));

    console.log(`${server.placement}\n`);
    console.log(`## ${setup.name}\n`);
    const contenders = [
      { name: '{ __typename } anonymous', spec: graphqlSpec(server.url, CONNECTIONS, '{ __typename }') },
      { name: 'POST /v1/keys/verify, admin key', spec: rest(adminKey) },
      { name: 'POST /v1/keys/verify, client key', spec: rest(clientKey) },
      {
        name: 'verifyApiKey (GraphQL), admin key',
        spec: graphqlSpec(
          server.url,
          CONNECTIONS,
          'query($key: String!) { verifyApiKey(key: $key) { valid code prefix permissions rateLimit { remaining } } }',
          account.primaryKey,
          { key: adminKey },
        ),
      },
    ];
    const summaries = await alternate(
      contenders.map((c) => ({ ...c, serverPid: server.pid })),
      { rounds: ROUNDS, seconds: SECONDS },
    );
    printRatios(summaries);
    console.log('');
  } finally {
    await server.stop();
    await database.drop();
  }
}

function restSpec(url: string, caller: string, key: string): LoadSpec {
  return {
    url,
    connections: CONNECTIONS,
    request: { path: '/v1/keys/verify', headers: { authorization: `Bearer ${caller}` }, body: JSON.stringify({ key }) },
  };
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
