import { graphql, unthrottledAccount } from './support/api';
import { arg, numberArg } from './support/args';
import { printMachine } from './support/report';
import { alternate, graphqlSpec, printRatios, selectedSetups, Setup } from './support/rounds';
import { spawnServer } from './support/spawn';

/**
 * What authentication, rate limiting and last-used cost a request: the same
 * server answers an anonymous `{ __typename }` and an authenticated
 * `{ viewer { prefix } }` in alternating rounds, and the ratio of the two
 * throughputs is the figure (target: the authenticated one within 10%).
 *
 *   npm run bench:auth [-- --rounds 3 --seconds 8 --connections 10 --only sqlite|mysql]
 */

const ROUNDS = numberArg('rounds', 3);
const SECONDS = numberArg('seconds', 8);
const CONNECTIONS = numberArg('connections', 10);

async function main(): Promise<void> {
  printMachine('Authenticated { viewer { prefix } } against anonymous { __typename }, same server');
  console.log(`${ROUNDS} alternating rounds of ${SECONDS} s each, ${CONNECTIONS} connections, after a 2 s warm-up of each\n`);
  for (const setup of selectedSetups(arg('only', 'all'))) await benchmark(setup);
}

async function benchmark(setup: Setup): Promise<void> {
  const database = await setup.database();
  const server = await spawnServer({ DATABASE_URL: database.url, ...setup.env() });
  try {
    const account = await unthrottledAccount(server.url, server.operatorToken);
    await sanityCheck(server.url, account.primaryKey);

    console.log(`## ${setup.name}\n`);
    const [anonymous, authenticated] = await alternate(
      [
        { name: '{ __typename } anonymous', spec: graphqlSpec(server.url, CONNECTIONS, '{ __typename }') },
        { name: '{ viewer { prefix } } with a key', spec: graphqlSpec(server.url, CONNECTIONS, '{ viewer { prefix } }', account.primaryKey) },
      ],
      { rounds: ROUNDS, seconds: SECONDS },
    );
    printRatios([anonymous, authenticated]);
    const cost = (1 - authenticated.rps / anonymous.rps) * 100;
    console.log(
      `\nauthentication + rate limit + last-used cost ${cost.toFixed(1)}% of throughput (target: under 10%): ${cost < 10 ? 'met' : 'NOT met'}`,
    );

    await server.flushLastUsed();
    const lastUsed = await graphql(server.url, '{ apiKeys(first: 1) { edges { node { prefix lastUsedAt } } } }', { as: account.primaryKey });
    console.log(`last-used, written behind: ${JSON.stringify(lastUsed.apiKeys.edges[0].node)}\n`);
  } finally {
    await server.stop();
    await database.drop();
  }
}

/** Both answer what they should, and the authenticated request really passes the rate limiter. */
async function sanityCheck(url: string, key: string): Promise<void> {
  const response = await fetch(new URL('/graphql', url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query: '{ viewer { prefix } }' }),
  });
  const body = (await response.json()) as { data?: { viewer?: { prefix?: string } } };
  if (!body.data?.viewer?.prefix || !response.headers.get('ratelimit-limit')) {
    throw new Error(`the authenticated request did not authenticate, or was not rate-limited: ${JSON.stringify(body)}`);
  }
  const anonymous = await graphql(url, '{ __typename }');
  if (anonymous.__typename !== 'Query') throw new Error('anonymous { __typename } failed');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
