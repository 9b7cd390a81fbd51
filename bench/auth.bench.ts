import { graphql, unthrottledAccount } from './support/api';
import { arg, numberArg } from './support/args';
import { printMachine } from './support/report';
import { interleaved, printInterleaved } from './support/interleaved';
import { alternate, graphqlSpec, printRatios, selectedSetups, Setup } from './support/rounds';
import { spawnServer } from './support/spawn';

/**
 * What authentication, rate limiting and last-used cost a request: the same
 * server answers an anonymous `{ __typename }` and an authenticated
 * `{ viewer { prefix } }`, and the ratio of the two throughputs is the
 * figure (target: the authenticated one within 10%). Two more contenders
 * split that cost: `{ __typename }` with the key (the key's path alone, no
 * field resolved) and `{ viewer { prefix } }` anonymously (resolving the
 * field, no key).
 *
 * Measured twice: throughput under load (10 connections, alternating
 * rounds, with the server's CPU per request from /proc), and the server's
 * CPU per request with the four interleaved request by request
 * (bench/support/interleaved.ts), which a noisy machine cannot skew.
 *
 *   npm run bench:auth [-- --rounds 7 --seconds 5 --connections 10
 *                         --interleaved-rounds 7 --interleaved 5000 --block 10 --only sqlite|mysql]
 */

const ROUNDS = numberArg('rounds', 7);
const SECONDS = numberArg('seconds', 5);
const CONNECTIONS = numberArg('connections', 10);
const INTERLEAVED_ROUNDS = numberArg('interleaved-rounds', 7);
const INTERLEAVED_REQUESTS = numberArg('interleaved', 5000);
const BLOCK = numberArg('block', 10);

async function main(): Promise<void> {
  printMachine('Authenticated { viewer { prefix } } against anonymous { __typename }, same server');
  for (const setup of selectedSetups(arg('only', 'all'))) await benchmark(setup);
}

async function benchmark(setup: Setup): Promise<void> {
  const database = await setup.database();
  const server = await spawnServer({ DATABASE_URL: database.url, ...setup.env() });
  try {
    const account = await unthrottledAccount(server.url, server.operatorToken);
    await sanityCheck(server.url, account.primaryKey);

    console.log(`${server.placement}\n`);
    console.log(`## ${setup.name}\n`);
    const contenders = [
      { name: '{ __typename } anonymous', spec: graphqlSpec(server.url, CONNECTIONS, '{ __typename }') },
      { name: '{ viewer { prefix } } with a key', spec: graphqlSpec(server.url, CONNECTIONS, '{ viewer { prefix } }', account.primaryKey) },
      { name: '{ __typename } with a key', spec: graphqlSpec(server.url, CONNECTIONS, '{ __typename }', account.primaryKey) },
      { name: '{ viewer { prefix } } anonymous', spec: graphqlSpec(server.url, CONNECTIONS, '{ viewer { prefix } }') },
    ];

    console.log(`### Throughput, ${ROUNDS} alternating rounds of ${SECONDS} s, ${CONNECTIONS} connections\n`);
    const loaded = await alternate(
      contenders.map((c) => ({ ...c, serverPid: server.pid })),
      { rounds: ROUNDS, seconds: SECONDS },
    );
    printRatios(loaded);

    console.log(
      `\n### Server CPU per request, interleaved: ${INTERLEAVED_ROUNDS} rounds of ${INTERLEAVED_REQUESTS} requests of each, ${BLOCK} of a kind in a row, one connection\n`,
    );
    const cpu = await interleaved(
      server,
      contenders.map(({ name, spec }) => ({ name, request: spec.request })),
      { rounds: INTERLEAVED_ROUNDS, requestsPerRound: INTERLEAVED_REQUESTS, block: BLOCK },
    );
    printInterleaved(cpu);

    const verdict = (what: string, ratio: number) => {
      const cost = (1 - ratio) * 100;
      console.log(
        `authentication + rate limit + last-used: ${cost.toFixed(1)}% of throughput by ${what} (target: under 10%): ${cost < 10 ? 'met' : 'NOT met'}`,
      );
    };
    console.log('');
    verdict('the loaded rounds (paired median)', loaded[1].pairedRpsRatio);
    verdict('server CPU, interleaved', cpu[1].pairedRatio);
    // The named pair also resolves a field that { __typename } does not; the key on { __typename } is the key's cost alone.
    verdict('server CPU, interleaved, the key alone ({ __typename } with a key)', cpu[2].pairedRatio);

    await server.flushLastUsed();
    const lastUsed = await graphql(server.url, '{ apiKeys(first: 1) { edges { node { prefix lastUsedAt } } } }', {
      as: account.primaryKey,
    });
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
