import { BaseContext } from '@apollo/server';
import { GraphQLFormattedError } from 'graphql';
import Negotiator from 'negotiator';
import { IncomingMessage, ServerResponse } from 'node:http';
import { queryOf, redirect, sendText, varyOn } from './exchange';
import { RequestHooks } from './request-hooks';

/**
 * The two media types of the GraphQL over HTTP spec. `application/json` is the
 * legacy one every client understands; `application/graphql-response+json`
 * lets the status code say whether the request ran at all.
 */
export const APPLICATION_JSON = 'application/json';
export const GRAPHQL_RESPONSE_JSON = 'application/graphql-response+json';
export type GraphQLMediaType = typeof APPLICATION_JSON | typeof GRAPHQL_RESPONSE_JSON;

/**
 * The media type a GraphQL answer goes out in, negotiated as Apollo does it:
 * application/json wins ties, so a wildcard or missing Accept gets the legacy
 * type. Null when the client accepts neither.
 */
export function graphqlMediaType(accept: string | undefined): GraphQLMediaType | null {
  if (!accept) return APPLICATION_JSON;
  let chosen = NEGOTIATED.get(accept);
  if (chosen !== undefined) return chosen;
  chosen =
    (new Negotiator({ headers: { accept } }).mediaType([APPLICATION_JSON, GRAPHQL_RESPONSE_JSON]) as GraphQLMediaType | undefined) ?? null;
  // A client sends the same Accept every time, and clients use a handful: remember them, up to a bound.
  if (NEGOTIATED.size >= MAX_NEGOTIATED) NEGOTIATED.clear();
  NEGOTIATED.set(accept, chosen);
  return chosen;
}

const NEGOTIATED = new Map<string, GraphQLMediaType | null>();
const MAX_NEGOTIATED = 256;

/**
 * A person opening the endpoint in a browser, not an API client: a GET that
 * prefers HTML to both GraphQL types and asks no query. (A browser's Accept
 * lists text/html ahead of its catch-all; an API client lists JSON, or nothing.)
 */
function browserNavigation(req: IncomingMessage): boolean {
  const accept = req.headers.accept;
  if (req.method !== 'GET' || !accept || queryOf(req).query !== undefined) return false;
  return new Negotiator({ headers: { accept } }).mediaType([APPLICATION_JSON, GRAPHQL_RESPONSE_JSON, 'text/html']) === 'text/html';
}

/** Sends a browser that opens this path to the explorer (true when it did); API clients go on to their usual answer. */
export function redirectedBrowser(req: IncomingMessage, res: ServerResponse, explorerPath: string): boolean {
  // The answer depends on Accept: no cache may hand a browser's redirect to an API client.
  varyOn(res, 'Accept');
  if (!browserNavigation(req)) return false;
  redirect(res, 303, explorerPath);
  return true;
}

/**
 * The media type the answer goes out in; or, for a request whose Accept takes
 * neither GraphQL type, null, and it is refused (406) before it reaches
 * Apollo, which negotiates only after executing: a mutation would run, and a
 * secret it created would be lost with the refused answer.
 */
export function answerMediaType(req: IncomingMessage, res: ServerResponse): GraphQLMediaType | null {
  const mediaType = graphqlMediaType(req.headers.accept);
  if (mediaType !== null) return mediaType;
  const message = `The Accept header takes neither ${APPLICATION_JSON} nor ${GRAPHQL_RESPONSE_JSON}, the types a GraphQL answer comes in`;
  sendGraphQLErrors(req, res, 406, [{ message, extensions: { code: 'BAD_REQUEST' } }]);
  return null;
}

/**
 * Sends errors that stopped a request before GraphQL ran (a refused credential,
 * a body that is not JSON) in GraphQL's shape and in the media type the client
 * asked for; a client that accepts neither still gets JSON rather than nothing.
 */
export function sendGraphQLErrors(req: IncomingMessage, res: ServerResponse, status: number, errors: GraphQLFormattedError[]): void {
  const mediaType = graphqlMediaType(req.headers.accept) ?? APPLICATION_JSON;
  sendText(res, status, `${mediaType}; charset=utf-8`, JSON.stringify({ errors }));
}

/**
 * Errors that mean the document never ran: it did not parse, did not validate,
 * its variables did not coerce, or it names no operation that exists.
 */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * Apollo answers request errors with 400 whatever the client accepts. The spec
 * asks for that only with application/graphql-response+json; under
 * application/json a 4xx may come from any proxy in between, so a client
 * cannot tell it holds a GraphQL response, and the spec wants 200 there.
 * Requests that are not well-formed GraphQL-over-HTTP (no query, a mutation
 * over GET) keep their 4xx under both types.
 */
export function legacyJsonRequestErrorsHooks(): RequestHooks<BaseContext & { mediaType: GraphQLMediaType }> {
  return {
    willSendResponse({ contextValue, response, errors }) {
      if (response.http.status !== 400 || response.body.kind !== 'single') return;
      if (response.body.singleResult.data !== undefined || !errors?.length) return;
      if (contextValue.mediaType !== APPLICATION_JSON) return;
      if (errors.every((error) => REQUEST_ERROR_CODES.has(String(error.extensions.code)))) response.http.status = 200;
    },
  };
}
