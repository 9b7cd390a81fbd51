import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createKey, expectValid, graphql, unthrottledAccount } from './support/api';
import { arg, keywardArg, numberArg } from './support/args';
import { TempDatabase, tempSqlite } from './support/databases';
import { LoadSpec } from './support/load';
import { printMachine } from './support/report';
import { alternate, graphqlSpec, printRatios } from './support/rounds';
import { printPeersTable, printTargets } from './support/peers-report';
import { spawnPeer, spawnServer } from './support/spawn';

/**
 * keyward side by side with what it is measured against (issue 12): a raw
 * node:http answer (the ceiling), bare Apollo Server standalone (the GraphQL
 * engine keyward runs on, with nothing around it) and better-auth's api-key
 * verification on SQLite (the peer), each in a process of its own, then
 * keyward's verify route and two GraphQL requests, on embedded SQLite. Every
 * server is pinned to one core and autocannon to the other; the rounds run
 * every contender in turn, in an order rotated each round, and the figures
 * are medians, ratios of them, and paired ratios (the median of each round's
 * own ratio), which a shared machine moves least.
 *
 * The peers live in bench/peers, a package of their own (better-auth needs
 * jose 6, keyward runs on jose 5), installed here with `npm ci` when missing.
 *
 *   npm run bench:peers [-- --rounds 5 --seconds 8 --connections 50 --keyward source|dist --peer-journal wal|default]
 *
 * --keyward dist runs keyward's tsc build (dist/, as `npm start` does; run
 * `npm run build` first); source, the default, runs the TypeScript through
 * @swc-node/register like the other benches. --peer-journal default leaves
 * better-auth's SQLite file in SQLite's own rollback journal instead of the WAL
 * keyward opens its own in (each of its per-verification writes then waits
 * for several fsyncs: about 25 req/s on this machine).
 */

const ROUNDS = numberArg('rounds', 5);
const SECONDS = numberArg('seconds', 8);
const CONNECTIONS = numberArg('connections', 50);
const KEYWARD = keywardArg('source');
const PEER_JOURNAL = arg('peer-journal', 'wal');
const PEERS = join(__dirname, 'peers');

async function main(): Promise<void> {
  if (PEER_JOURNAL !== 'wal' && PEER_JOURNAL !== 'default') throw new Error('--peer-journal must be wal or default');
  installPeers();
  printMachine('keyward against a raw node:http answer, bare Apollo Server and better-auth api-key');
  console.log(
    `${ROUNDS} rounds of ${SECONDS} s each in rotated order, ${CONNECTIONS} connections, after a 2 s warm-up of each; ` +
      `NODE_ENV=production, LOG_LEVEL=warn; keyward from ${KEYWARD.description}; ` +
      `better-auth's SQLite journal: ${PEER_JOURNAL === 'wal' ? 'WAL, as keyward opens its own' : "SQLite's default (rollback)"}\n`,
  );
  const databases: TempDatabase[] = [];
  const stops: Array<() => Promise<void>> = [];
  try {
    const raw = await spawnPeer(join(PEERS, 'raw-node.ts'));
    stops.push(raw.stop);
    const apollo = await spawnPeer(join(PEERS, 'bare-apollo.ts'));
    stops.push(apollo.stop);
    const peerDb = tempSqlite();
    databases.push(peerDb);
    const betterAuth = await spawnPeer(join(PEERS, 'better-auth.ts'), {
      PEER_DB: peerDb.url.replace(/^sqlite:/, ''),
      PEER_JOURNAL,
    });
    stops.push(betterAuth.stop);
    const keywardDb = tempSqlite();
    databases.push(keywardDb);
    const keyward = await spawnServer({ DATABASE_URL: keywardDb.url, ...KEYWARD.env });
    stops.push(keyward.stop);

    const account = await unthrottledAccount(keyward.url, keyward.operatorToken);
    const verified = await createKey(keyward.url, account.primaryKey, { name: 'Verified key', permissions: ['LEADS_READ'] });
    const verify = post(keyward.url, '/v1/keys/verify', { key: verified }, { authorization: `Bearer ${account.primaryKey}` });
    await expectValid(verify);
    const viewer = await graphql(keyward.url, '{ viewer { prefix } }', { as: account.primaryKey });
    if (!viewer.viewer?.prefix) throw new Error(`{ viewer { prefix } } with the key answered ${JSON.stringify(viewer)}`);
    // Issue 14: a key using every per-key feature on the hot path must cost about what a plain one does.
    const featured = await createKey(keyward.url, account.primaryKey, FEATURED_KEY);
    const verifyFeatured = post(
      keyward.url,
      '/v1/keys/verify',
      { key: featured, ip: '127.0.0.1' },
      { authorization: `Bearer ${account.primaryKey}` },
    );
    await expectValid(verifyFeatured);
    const featuredViewer = await graphql(keyward.url, '{ viewer { prefix } }', { as: featured });
    if (!featuredViewer.viewer?.prefix)
      throw new Error(`{ viewer { prefix } } with the featured key answered ${JSON.stringify(featuredViewer)}`);

    console.log(`${keyward.placement} (every server alike)\n`);
    const contenders = [
      { name: 'raw node:http, small JSON answer', spec: post(raw.url, '/verify', { key: verified }), serverPid: raw.pid },
      {
        name: 'bare Apollo Server 5 standalone, { hello }',
        spec: graphqlSpec(apollo.url, CONNECTIONS, '{ hello }'),
        serverPid: apollo.pid,
      },
      {
        name: 'better-auth 1.7 api-key verifyApiKey, SQLite',
        spec: post(betterAuth.url, '/verify', { key: betterAuth.key }),
        serverPid: betterAuth.pid,
      },
      { name: 'keyward POST /v1/keys/verify', spec: verify, serverPid: keyward.pid },
      { name: 'keyward { __typename } anonymous', spec: graphqlSpec(keyward.url, CONNECTIONS, '{ __typename }'), serverPid: keyward.pid },
      {
        name: 'keyward { viewer { prefix } } with a key',
        spec: graphqlSpec(keyward.url, CONNECTIONS, '{ viewer { prefix } }', account.primaryKey),
        serverPid: keyward.pid,
      },
      { name: 'keyward POST /v1/keys/verify, featured key', spec: verifyFeatured, serverPid: keyward.pid },
      {
        name: 'keyward { viewer { prefix } } with the featured key',
        spec: graphqlSpec(keyward.url, CONNECTIONS, '{ viewer { prefix } }', featured),
        serverPid: keyward.pid,
      },
    ];
    const summaries = await alternate(contenders, { rounds: ROUNDS, seconds: SECONDS, rotate: true });
    printRatios(summaries);
    const [rawNode, bareApollo, peer, keywardVerify, anonymous, withKey, featuredVerify, withFeaturedKey] = summaries;
    printPeersTable(summaries);
    printTargets({ rawNode, bareApollo, peer, keywardVerify, anonymous, withKey, featuredVerify, withFeaturedKey });
  } finally {
    for (const stop of stops.reverse()) await stop();
    for (const database of databases) await database.drop();
  }
}

/**
 * The "featured key" of issue 14: usage credits (with a refill), two named
 * limits and an IP allowlist, every one charged or checked on each use, and
 * each set high enough that no round runs out.
 */
const FEATURED_KEY = {
  name: 'Featured key',
  permissions: ['LEADS_READ'],
  remaining: 1_000_000_000,
  refill: { amount: 1_000_000_000, interval: 'DAILY' },
  rateLimits: [
    { name: 'per-second', limit: 1_000_000, durationSeconds: 1 },
    { name: 'per-hour', limit: 1_000_000_000, durationSeconds: 3600 },
  ],
  allowedIps: ['127.0.0.1', '::1'],
};

/** A JSON POST, as a load spec. */
function post(url: string, path: string, body: object, headers: Record<string, string> = {}): LoadSpec {
  return { url, connections: CONNECTIONS, request: { path, headers, body: JSON.stringify(body) } };
}

/** better-auth and its plugin are a package of their own: installed from its lockfile the first time. */
function installPeers(): void {
  if (existsSync(join(PEERS, 'node_modules', 'better-auth'))) return;
  console.log('bench/peers/node_modules is missing: npm ci --prefix bench/peers');
  execFileSync('npm', ['ci', '--prefix', PEERS, '--no-audit', '--no-fund'], { stdio: 'inherit' });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
