import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import express from 'express';
import { GraphQLSchema } from 'graphql';
import { IncomingMessage, Server, ServerResponse } from 'node:http';
import { DataSource } from 'typeorm';
import { explorerRouter } from '../explorer/explorer.route';
import { keysPageRouter } from '../keys-page/keys-page.route';
import { KEYS_PAGE_PATH } from '../keys-page/keys-page.page';
import { DOCS_PATH } from '../keys-page/docs.route';
import { createErrorFormatter } from '../graphql/format-error';
import { RequestContext } from '../graphql/context';
import { graphqlEndpoint } from '../graphql/graphql.endpoint';
import { Logger, redactUrlCredentials } from '../logging/logger';
import { Services } from '../services/services';
import { Door } from '../http/authenticate-request';
import { legacyJsonRequestErrorsHooks, redirectedBrowser, sendGraphQLErrors } from '../http/graphql-over-http';
import { createRestRouter, REST_PATHS, restRoute } from '../rest/rest.router';
import { KEY_VERIFICATION_ROUTE } from '../rest/key-verification.route';
import { metricsRoute } from '../http/http-metrics';
import { graphqlMetricsHooks } from '../graphql/graphql-metrics.plugin';
import { KnownOperationTypesRule } from '../graphql/known-operation-types.rule';
import { EXPLORER_PATH } from '../explorer/explorer.page';
import { observeRequests } from '../http/request-log';
import { rateLimitHooks } from '../graphql/rate-limit.plugin';
import { requestHooksPlugin } from '../http/request-hooks';
import { abuseLimits } from '../http/abuse-limits';
import { crossOriginRequests } from '../http/cors';
import { ClientAddressReader, pathOf } from '../http/exchange';

const GRAPHQL_PATH = '/graphql';
const OPERATIONS_PATHS = { metrics: '/metrics', health: '/healthz', ready: '/readyz' } as const;
/** Every path the app mounts, for the request metrics' route labels. */
const MOUNTED_PATHS = [...REST_PATHS, GRAPHQL_PATH, EXPLORER_PATH, KEYS_PAGE_PATH, DOCS_PATH, ...Object.values(OPERATIONS_PATHS)];

export interface AppDependencies {
  schema: GraphQLSchema;
  services: Services;
  dataSource: DataSource;
  logger: Logger;
  httpServer: Server;
  /** Browser origins allowed to call /graphql and the REST routes (none: no cross-origin access). */
  corsOrigins: readonly string[];
  /** Origins whose pages may frame /keys (none: /keys only standalone). */
  embedOrigins?: readonly string[];
  /** Reads each request's client address (TRUST_PROXY); default: the socket's peer. */
  clientAddress?: ClientAddressReader;
}

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

export async function createApp(deps: AppDependencies): Promise<{ handle: RequestListener; apollo: ApolloServer<RequestContext> }> {
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
    // operation a request runs (rateLimitHooks), and a batch would be many.
    allowBatchedHttpRequests: false,
    validationRules: [...armor.validationRules, KnownOperationTypesRule],
    parseOptions: armor.parseOptions,
    plugins: [
      ...armor.plugins,
      // In this order: an operation the abuse limits refuse is not charged; the metrics count the
      // status Apollo chose, before the legacy JSON status is applied to a request error.
      requestHooksPlugin<RequestContext>([
        armor.hooks,
        rateLimitHooks(deps.services, deps.services.usage),
        graphqlMetricsHooks(deps.services.metrics),
        legacyJsonRequestErrorsHooks(),
      ]),
      // Apollo's default landing page loads from a CDN; keyward serves nothing from elsewhere.
      ApolloServerPluginLandingPageDisabled(),
      // Cache hints would make every answer "no-store" anyway (each is one caller's view, and the
      // schema declares no hints), and the plugin instruments every field resolver to collect
      // them. The /graphql route sets the header itself.
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginDrainHttpServer({ httpServer: deps.httpServer }),
    ],
  });
  await apollo.start();

  const door: Door = {
    authenticator: deps.services.authenticator,
    metrics: deps.services.metrics,
    failures: deps.services.failedAuthentications,
    clientAddress: deps.clientAddress,
  };
  const graphql = graphqlEndpoint({ apollo, services: deps.services, door, logger: deps.logger, explorerPath: EXPLORER_PATH });
  const rest = { services: deps.services, door, logger: deps.logger };

  const app = express();
  app.disable('x-powered-by');
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
  app.use(GRAPHQL_PATH, (req, res) => graphql(req, res));
  app.use(createRestRouter(rest));
  app.use(explorerRouter(GRAPHQL_PATH));
  app.use(keysPageRouter({ graphqlPath: GRAPHQL_PATH, embedOrigins: deps.embedOrigins ?? [] }));
  // A browser opening the server's address wants the explorer; API clients keep the 404.
  app.get('/', (req, res, next) => redirectedBrowser(req, res, EXPLORER_PATH) || next());
  // A fault of ours anywhere else: logged, and answered without a stack trace.
  app.use(((error, req, res, _next) => {
    deps.logger.error({ err: error, url: redactUrlCredentials(req.originalUrl) }, 'unhandled HTTP error');
    sendGraphQLErrors(req, res, 500, [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
  }) as express.ErrorRequestHandler);

  // The hot routes, by method and exact path, answered without express: its router and response
  // helpers cost more than the rest of a verification (bench/README.md, bench:peers). Every other
  // spelling of them (`/graphql/`, HEAD, another case) reaches the same handlers through express.
  const verify = restRoute(KEY_VERIFICATION_ROUTE, rest);
  // By method, then path: no key is joined from the two per request (a fresh string is hashed on every lookup).
  const graphqlRoute = { label: GRAPHQL_PATH, answer: graphql };
  const hot = new Map<string | undefined, Map<string, { label: string; answer: RequestListener }>>([
    [
      'POST',
      new Map([
        [GRAPHQL_PATH, graphqlRoute],
        [KEY_VERIFICATION_ROUTE.path, { label: KEY_VERIFICATION_ROUTE.path, answer: (req, res) => verify(req, res) }],
      ]),
    ],
    ['GET', new Map([[GRAPHQL_PATH, graphqlRoute]])],
  ]);
  const observe = observeRequests(deps.logger, deps.services.metrics, MOUNTED_PATHS);
  const cors = deps.corsOrigins.length > 0 ? crossOriginRequests(deps.corsOrigins) : null;
  const corsPaths = [GRAPHQL_PATH, ...REST_PATHS].map((path) => path.toLowerCase());

  const handle: RequestListener = (req, res) => {
    const path = pathOf(req);
    const found = hot.get(req.method)?.get(path);
    observe(req, res, found?.label);
    const route = found?.answer ?? app;
    // Before every route it serves, so preflights are answered and not refused as unknown methods.
    if (cors && underAny(path.toLowerCase(), corsPaths)) cors(req, res, () => route(req, res));
    else route(req, res);
  };
  return { handle, apollo };
}

/** express's mount matching: the path itself or anything below it. */
function underAny(path: string, mounts: readonly string[]): boolean {
  return mounts.some((mount) => path === mount || path.startsWith(`${mount}/`));
}
