import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express, { ErrorRequestHandler } from 'express';
import { GraphQLSchema } from 'graphql';
import { Server } from 'node:http';
import { DataSource } from 'typeorm';
import { createErrorFormatter } from '../graphql/format-error';
import { createRequestContext, RequestContext } from '../graphql/context';
import { Logger, redactUrlCredentials } from '../logging/logger';
import { Services } from '../services';
import { authenticateRequests, graphqlRefusal } from './authenticate.middleware';

export interface AppDependencies {
  schema: GraphQLSchema;
  services: Services;
  dataSource: DataSource;
  logger: Logger;
  httpServer: Server;
}

export const MAX_BODY_BYTES = '256kb';

export async function createApp(deps: AppDependencies): Promise<{ app: express.Express; apollo: ApolloServer<RequestContext> }> {
  const apollo = new ApolloServer<RequestContext>({
    schema: deps.schema,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    formatError: createErrorFormatter(deps.logger),
    // Apollo's default landing page loads from a CDN; keyward serves nothing from elsewhere.
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginDrainHttpServer({ httpServer: deps.httpServer })],
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await deps.dataSource.query('SELECT 1');
      res.json({ status: 'ready' });
    } catch (error) {
      deps.logger.warn({ err: error }, 'readiness check failed: database unreachable');
      res.status(503).json({ status: 'database unreachable' });
    }
  });
  app.use(
    '/graphql',
    express.json({ limit: MAX_BODY_BYTES }),
    authenticateRequests(deps.services.authenticator, graphqlRefusal),
    expressMiddleware(apollo, {
      context: async ({ res }) => createRequestContext(deps.services, res.locals.caller),
    }),
  );
  app.use(bodyErrors(deps.logger));
  return { app, apollo };
}

/** Malformed or oversized bodies get a GraphQL-shaped 4xx, never a stack trace. */
function bodyErrors(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const status = typeof error?.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) logger.error({ err: error, url: redactUrlCredentials(req.originalUrl) }, 'unhandled HTTP error');
    const message =
      error?.type === 'entity.parse.failed'
        ? 'The request body is not valid JSON'
        : error?.type === 'entity.too.large'
          ? `The request body is larger than ${MAX_BODY_BYTES}`
          : status === 500
            ? 'Internal server error'
            : 'Bad request';
    res.status(status).json({ errors: [{ message, extensions: { code: status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST' } }] });
  };
}
