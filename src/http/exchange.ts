import { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { parse as parseQueryString, ParsedUrlQuery } from 'node:querystring';
import proxyaddr from 'proxy-addr';
import { TrustProxy } from '../config/config';
import { Caller } from '../shared/caller';

/**
 * One request and its answer on node:http's own objects, which express's
 * request and response extend: the hot routes (/graphql, POST
 * /v1/keys/verify) are answered without express, and every helper here
 * serves them and express's routes alike.
 */
export type Query = ParsedUrlQuery;

/** The path of the request's URL, without its query string. */
export function pathOf(req: IncomingMessage): string {
  const url = req.url ?? '';
  const question = url.indexOf('?');
  return question === -1 ? url : url.slice(0, question);
}

/** The URL as the client sent it: express rewrites `req.url` under a mount and keeps the original beside it. */
export function urlOf(req: IncomingMessage): string {
  return (req as { originalUrl?: string }).originalUrl ?? req.url ?? '';
}

/** `?…` of the request's URL, or ''. */
export function searchOf(req: IncomingMessage): string {
  const url = req.url ?? '';
  const question = url.indexOf('?');
  return question === -1 ? '' : url.slice(question);
}

const QUERIES = new WeakMap<IncomingMessage, Query>();
/** What a URL without a query string has: most API calls. Frozen, since every such request shares it. */
const NO_QUERY: Query = Object.freeze(Object.create(null));

/**
 * The query string's parameters, parsed as express's "simple" parser does
 * (node:querystring: a repeated name gives an array), once per request.
 */
export function queryOf(req: IncomingMessage): Query {
  const known = (req as { query?: Query }).query ?? QUERIES.get(req);
  if (known) return known;
  const search = searchOf(req);
  if (search.length <= 1) return NO_QUERY;
  const query = parseQueryString(search.slice(1));
  QUERIES.set(req, query);
  return query;
}

/** The client's address as express reports it with `trust proxy` off: the socket's peer. */
export function clientIp(req: IncomingMessage): string | null {
  return req.socket.remoteAddress ?? null;
}

/** Reads a request's client address: the one reader, so logs, last use, failure pools and allowlists agree. */
export type ClientAddressReader = (req: IncomingMessage) => string | null;

/**
 * The reader for a TRUST_PROXY setting, compiled once at startup. Untrusted
 * (the default): clientIp itself, so a request pays nothing for the setting.
 * Otherwise proxy-addr walks X-Forwarded-For back from the socket as express's
 * `trust proxy` does. A trusted hop that handed on something that is not an
 * address (a proxy misconfigured, or one that passes a client's own header
 * through) gets its own address instead: the one that can be vouched for.
 */
export function clientAddressReader(trust: TrustProxy): ClientAddressReader {
  if (trust === false || (Array.isArray(trust) && trust.length === 0)) return clientIp;
  const trusted: (address: string, hop: number) => boolean =
    trust === true ? () => true : typeof trust === 'number' ? (_address, hop) => hop < trust : proxyaddr.compile([...(trust as string[])]);
  return (req) => {
    const socket = req.socket.remoteAddress;
    if (socket === undefined) return null;
    const forwarded = proxyaddr(req, trusted);
    return forwarded === socket || isIP(forwarded) !== 0 ? forwarded : socket;
  };
}

/** A property of the answer object rather than a WeakMap entry: one store on an object that dies with the request. */
const CALLER = Symbol('keyward.caller');
type WithCaller = ServerResponse & { [CALLER]?: Caller };

/** Who the request was authenticated as, for everything that runs after the door (routes, logs). */
export function admitCaller(res: ServerResponse, caller: Caller): void {
  (res as WithCaller)[CALLER] = caller;
}

export function callerOf(res: ServerResponse): Caller | undefined {
  return (res as WithCaller)[CALLER];
}

export const JSON_UTF8 = 'application/json; charset=utf-8';

/**
 * Sends `text` as the whole answer in one write: node puts the head and a
 * string body in one buffer and sets Content-Length itself. No ETag: every
 * answer here is no-store, so nothing would ever revalidate one.
 */
export function sendText(res: ServerResponse, status: number, contentType: string, text: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', contentType);
  res.end(text);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  sendText(res, status, JSON_UTF8, JSON.stringify(body));
}

/** Adds `field` to the answer's Vary header, keeping what is there (CORS varies on Origin). */
export function varyOn(res: ServerResponse, field: string): void {
  const current = res.getHeader('Vary');
  if (current === undefined) {
    res.setHeader('Vary', field);
    return;
  }
  const fields = String(current)
    .split(',')
    .map((name) => name.trim().toLowerCase());
  if (!fields.includes(field.toLowerCase())) res.setHeader('Vary', `${String(current)}, ${field}`);
}

/** A redirect with a one-line body for whoever reads it. */
export function redirect(res: ServerResponse, status: number, location: string): void {
  res.setHeader('Location', location);
  sendText(res, status, 'text/plain; charset=utf-8', `Redirecting to ${location}`);
}
