import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express, { ErrorRequestHandler } from 'express';
import { GraphQLSchema } from 'graphql';
import { Server } from 'node:http';
import { DataSource } from 'typeorm';
import { explorerRouter } from '../explorer/explorer.route';
import { createErrorFormatter } from '../graphql/format-error';
import { createRequestContext, RequestContext } from '../graphql/context';
import { Logger, redactUrlCredentials } from '../logging/logger';
import { Services } from '../services/services';
import { authenticateRequests, graphqlRefusal } from '../http/authenticate.middleware';
import { legacyJsonRequestErrorsPlugin, refuseUnacceptable, sendBrowsersTo, sendGraphQLErrors } from '../http/graphql-over-http';
import { createRestRouter, REST_PATHS } from '../rest/rest.router';
import { countRequests, metricsRoute } from '../http/http-metrics';
import { graphqlMetricsPlugin } from '../graphql/graphql-metrics.plugin';
import { KnownOperationTypesRule } from '../graphql/known-operation-types.rule';
import { EXPLORER_PATH } from '../explorer/explorer.page';
import { requestLogger } from '../http/request-log';
import { rateLimitPlugin } from '../graphql/rate-limit.plugin';
import { abuseLimits } from '../http/abuse-limits';
import { bodyReadProblem, MAX_BODY_BYTES, noStore } from '../http/responses';
import { crossOriginRequests } from '../http/cors';
import { refuseMalformedText } from '../http/request-text';

const GRAPHQL_PATH = '/graphql';
const OPERATIONS_PATHS = { metrics: '/metrics', health: '/healthz', ready: '/readyz' } as const;
/** Every path the app mounts, for the request metrics' route labels. */
const MOUNTED_PATHS = [...REST_PATHS, GRAPHQL_PATH, EXPLORER_PATH, ...Object.values(OPERATIONS_PATHS)];

export interface AppDependencies {
  schema: GraphQLSchema;
  services: Services;
  dataSource: DataSource;
  logger: Logger;
  httpServer: Server;
  /** Browser origins allowed to call /graphql and the REST routes (none: no cross-origin access). */
  corsOrigins: readonly string[];
}

export async function createApp(deps: AppDependencies): Promise<{ app: express.Express; apollo: ApolloServer<RequestContext> }> {
  const armor = abuseLimits();
  const apollo = new ApolloServer<RequestContext>({
    schema: deps.schema,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    formatError: createErrorFormatter(deps.logger),
    // CSRF rides on credentials a browser attaches by itself (cookies, HTTP auth,
    // client certificates). keyward has none: every credential is a header, an
    // api_key parameter or an api_key body field, which a forging page would have
    // to know already. Cross-site form posts (text/plain, urlencoded, multipart)
    // are never parsed, so they reach Apollo bodiless and get 400, and GET runs
    // queries only (405 for a mutation). Apollo's check would refuse every plain
    // GET (`curl '/graphql?query=…'`, a cached link) unless it carries a custom
    // header, for no protection gained. Turn it back on if a cookie ever authenticates.
    csrfPrevention: false,
    // One operation per request: rate limits charge per root field of the one
    // operation a request runs (rateLimitPlugin), and a batch would be many.
    allowBatchedHttpRequests: false,
    validationRules: [...armor.validationRules, KnownOperationTypesRule],
    parseOptions: armor.parseOptions,
    plugins: [
      // Before rateLimitPlugin: an operation the abuse limits refuse is not charged.
      ...armor.plugins,
      rateLimitPlugin(deps.services.rateLimits),
      graphqlMetricsPlugin(deps.services.metrics),
      // Apollo's default landing page loads from a CDN; keyward serves nothing from elsewhere.
      ApolloServerPluginLandingPageDisabled(),
      // Cache hints would make every answer "no-store" anyway (each is one caller's view, and the
      // schema declares no hints), and the plugin instruments every field resolver to collect
      // them. The /graphql route sets the header itself.
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginDrainHttpServer({ httpServer: deps.httpServer }),
      legacyJsonRequestErrorsPlugin(),
    ],
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  app.use(requestLogger(deps.logger), countRequests(deps.services.metrics, MOUNTED_PATHS));
  // Before every route it serves, so preflights are answered and not refused as unknown methods.
  if (deps.corsOrigins.length > 0) app.use([GRAPHQL_PATH, ...REST_PATHS], crossOriginRequests(deps.corsOrigins));
  app.get(OPERATIONS_PATHS.metrics, metricsRoute(deps.services.metrics));
  app.get(OPERATIONS_PATHS.health, (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get(OPERATIONS_PATHS.ready, async (_req, res) => {
    try {
      await deps.dataSource.query('SELECT 1');
      res.json({ status: 'ready' });
    } catch (error) {
      deps.logger.warn({ err: error }, 'readiness check failed: database unreachable');
      res.status(503).json({ status: 'database unreachable' });
    }
  });
  app.use(
    GRAPHQL_PATH,
    noStore,
    express.json({ limit: MAX_BODY_BYTES }),
    refuseMalformedText(graphqlRefusal),
    authenticateRequests(deps.services.authenticator, graphqlRefusal, deps.services.metrics, deps.services.failedAuthentications),
    sendBrowsersTo(EXPLORER_PATH),
    // Here, not in Apollo, which negotiates only after executing.
    refuseUnacceptable,
    expressMiddleware(apollo, {
      context: async ({ res }) => createRequestContext(deps.services, res.locals.caller),
    }),
  );
  app.use(createRestRouter({ services: deps.services, logger: deps.logger, bodyLimit: MAX_BODY_BYTES }));
  app.use(explorerRouter(GRAPHQL_PATH));
  // A browser opening the server's address wants the explorer; API clients keep the 404.
  app.get('/', sendBrowsersTo(EXPLORER_PATH));
  app.use(bodyErrors(deps.logger));
  return { app, apollo };
}

/** Malformed or oversized bodies get a GraphQL-shaped 4xx, never a stack trace. */
function bodyErrors(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const unreadable = bodyReadProblem(error);
    if (!unreadable) logger.error({ err: error, url: redactUrlCredentials(req.originalUrl) }, 'unhandled HTTP error');
    const status = unreadable?.status ?? 500;
    const [message, code] = unreadable ? [unreadable.message, 'BAD_REQUEST'] : ['Internal server error', 'INTERNAL_SERVER_ERROR'];
    sendGraphQLErrors(req, res, status, [{ message, extensions: { code } }]);
  };
}
