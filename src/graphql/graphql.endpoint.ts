import { ApolloServer, HeaderMap, HTTPGraphQLRequest } from '@apollo/server';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Caller } from '../shared/caller';
import { KeywardError } from '../shared/errors';
import { Logger, redactUrlCredentials } from '../logging/logger';
import { Services } from '../services/services';
import { authenticateRequest, Door, graphqlRefusal } from '../http/authenticate-request';
import { answerMediaType, redirectedBrowser, sendGraphQLErrors } from '../http/graphql-over-http';
import { readJsonBody } from '../http/json-body';
import { addField, admitCaller, searchOf, urlOf, writeAnswerHead } from '../http/exchange';
import { bodyReadProblem } from '../http/responses';
import { malformedTextRefusal } from '../http/request-text';
import { createRequestContext, RequestContext } from './context';
import { writeRateLimitHeaders } from './rate-limit.plugin';

export interface GraphQLEndpointDependencies {
  apollo: ApolloServer<RequestContext>;
  services: Services;
  door: Door;
  logger: Logger;
  /** Where a browser that opens the endpoint is sent. */
  explorerPath: string;
}

/**
 * /graphql on node:http's request and answer, in the order that refuses
 * early: no-store; the body (JSON only); half characters refused; the
 * credential checked (a failed one is 401 and nothing else runs); a
 * browser's visit sent to the explorer; an Accept that takes no GraphQL type
 * refused before anything executes; then Apollo. express mounts the same
 * handler for the endpoint's other spellings (`/graphql/`, HEAD, OPTIONS).
 */
export function graphqlEndpoint(deps: GraphQLEndpointDependencies): (req: IncomingMessage, res: ServerResponse) => void {
  const { apollo, services, door } = deps;
  const fail = (req: IncomingMessage, res: ServerResponse, error: unknown): void => {
    if (error instanceof KeywardError) return graphqlRefusal(res, error);
    const unreadable = bodyReadProblem(error);
    if (!unreadable) deps.logger.error({ err: error, url: redactUrlCredentials(urlOf(req)) }, 'unhandled HTTP error');
    const [message, code] = unreadable ? [unreadable.message, 'BAD_REQUEST'] : ['Internal server error', 'INTERNAL_SERVER_ERROR'];
    sendGraphQLErrors(req, res, unreadable?.status ?? 500, [{ message, extensions: { code } }]);
  };

  const execute = async (req: IncomingMessage, res: ServerResponse, body: unknown, caller: Caller): Promise<void> => {
    admitCaller(res, caller);
    if (redirectedBrowser(req, res, deps.explorerPath)) return;
    const mediaType = answerMediaType(req, res);
    if (mediaType === null) return;
    // Apollo reads two of a request's headers: the body's type, and Accept for the answer's (its CSRF
    // prevention reads more, and is off: app.ts). It is not given Accept: it would negotiate it twice a
    // request (4-8 µs in process), and answerMediaType has, once per header value. The answer's type
    // is set from that below (and read by the legacy-status hook from the context); without Accept,
    // Apollo chooses no other.
    const headers = new HeaderMap();
    const contentType = req.headers['content-type'];
    if (contentType !== undefined) headers.set('content-type', contentType);
    const request: HTTPGraphQLRequest = { method: (req.method ?? 'GET').toUpperCase(), headers, search: searchOf(req), body };
    const context = createRequestContext(services, caller, mediaType);
    const answer = await apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest: request, context: async () => context });
    const headersWritten = writeRateLimitHeaders(services.rateLimits, context, res);
    if (headersWritten) await headersWritten;
    if (answer.body.kind === 'complete') {
      answer.headers.set('content-type', `${mediaType}; charset=utf-8`);
      const text = answer.body.string;
      writeAnswerHead(res, answer.status ?? 200, answer.headers, Buffer.byteLength(text));
      res.end(text);
      return;
    }
    writeAnswerHead(res, answer.status ?? 200, answer.headers);
    for await (const chunk of answer.body.asyncIterator) res.write(chunk);
    res.end();
  };

  const withBody = (req: IncomingMessage, res: ServerResponse, body: unknown): void => {
    const malformed = malformedTextRefusal(body);
    if (malformed) return graphqlRefusal(res, malformed);
    const outcome = authenticateRequest(door, req, body);
    if (outcome instanceof Promise) {
      outcome.then((caller) => execute(req, res, body, caller)).catch((error) => fail(req, res, error));
      return;
    }
    execute(req, res, body, outcome).catch((error) => fail(req, res, error));
  };

  return (req, res) => {
    // Answers can carry a raw key, and every answer is one caller's view at one moment.
    // Added, not set: every answer from here ends in sendText or writeAnswerHead, which write it.
    addField(res, 'Cache-Control', 'no-store');
    readJsonBody(req, res, { strict: true }).then(
      (body) => withBody(req, res, body),
      (error) => fail(req, res, error),
    );
  };
}
