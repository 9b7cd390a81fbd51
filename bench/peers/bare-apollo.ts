import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { PeerReady } from './listen';

/**
 * Apollo Server 5 as its README starts it: startStandaloneServer, one field,
 * defaults (in production: no introspection, no landing page), no plugins.
 * What keyward's `{ __typename }` costs above this is keyward's own.
 */
async function main(): Promise<void> {
  const server = new ApolloServer({ typeDefs: 'type Query { hello: String }', resolvers: { Query: { hello: () => 'world' } } });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  const ready: PeerReady = { type: 'ready', url: url.replace(/\/$/, ''), pid: process.pid };
  process.send?.(ready);
  process.on('disconnect', () => process.exit(0));
}

main().catch((error) => {
  process.stderr.write(`bare Apollo failed to start: ${error?.stack ?? error}\n`);
  process.exit(1);
});
