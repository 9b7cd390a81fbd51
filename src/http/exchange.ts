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

/** Header fields added for the answer's head and not yet on it (addField), as a flat [name, value, …] list. */
const FIELDS = Symbol('keyward.fields');
type WithFields = ServerResponse & { [FIELDS]?: string[] };

/**
 * Adds a header field to the answer's head, written with it in one
 * writeHead (sendText, writeAnswerHead). Cheaper than setHeader, which
 * checks, lowercases and stores each field in an object the head is then
 * built from: about 0.2 µs a field, and an answer to a key carries eight.
 * writeHead given a list checks each field once and builds the head from
 * it. For fields nothing reads back before the answer goes (getHeader
 * does not see them); every answer of a handler that adds one must end in
 * sendText or writeAnswerHead.
 */
export function addField(res: ServerResponse, name: string, value: string): void {
  const fields = (res as WithFields)[FIELDS];
  if (fields === undefined) (res as WithFields)[FIELDS] = [name, value];
  else fields.push(name, value);
}

/** The value of an added field, or undefined. */
function addedField(res: ServerResponse, name: string): string | undefined {
  const fields = (res as WithFields)[FIELDS];
  const at = fields === undefined ? -1 : fieldAt(fields, name);
  return at === -1 ? undefined : (fields as string[])[at + 1];
}

/** Where a field's name is in a [name, value, …] list (names compared without case), or -1. */
function fieldAt(fields: string[], name: string): number {
  const lower = name.toLowerCase();
  for (let i = 0; i < fields.length; i += 2) if (fields[i].toLowerCase() === lower) return i;
  return -1;
}

/**
 * Writes the answer's head now: its status, the fields set with setHeader,
 * the added ones, and `more` (Apollo's, which replace an added field of the
 * same name), with Content-Length when the body's length is given. The body
 * follows with write() or end(). With nothing set by setHeader (the hot
 * answers), node builds the head straight from the list.
 */
export function writeAnswerHead(res: ServerResponse, status: number, more?: Iterable<[string, string]>, contentLength?: number): void {
  // A copy: should node refuse a field, the added ones are still there for the error's answer, and nothing of this one.
  const fields = (res as WithFields)[FIELDS]?.slice() ?? [];
  if (more) for (const [name, value] of more) replaceField(fields, name, value);
  if (contentLength !== undefined) fields.push('Content-Length', String(contentLength));
  res.writeHead(status, fields);
  (res as WithFields)[FIELDS] = undefined;
}

function replaceField(fields: string[], name: string, value: string): void {
  const at = fieldAt(fields, name);
  if (at === -1) fields.push(name, value);
  else fields[at + 1] = value;
}

/**
 * Sends `text` as the whole answer in one write: node puts the head and a
 * string body in one buffer. No ETag: every answer here is no-store, so
 * nothing would ever revalidate one.
 */
export function sendText(res: ServerResponse, status: number, contentType: string, text: string): void {
  if ((res as WithFields)[FIELDS] === undefined) {
    // Nothing added: node sets Content-Length itself.
    res.statusCode = status;
    res.setHeader('Content-Type', contentType);
    res.end(text);
    return;
  }
  writeAnswerHead(res, status, [['Content-Type', contentType]], Buffer.byteLength(text));
  res.end(text);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  sendText(res, status, JSON_UTF8, JSON.stringify(body));
}

/** Adds `field` to the answer's Vary header, keeping what is there (CORS varies on Origin). */
export function varyOn(res: ServerResponse, field: string): void {
  const set = res.getHeader('Vary');
  const current = set === undefined ? addedField(res, 'Vary') : String(set);
  if (current === undefined) {
    addField(res, 'Vary', field);
    return;
  }
  const fields = current.split(',').map((name) => name.trim().toLowerCase());
  if (fields.includes(field.toLowerCase())) return;
  if (set === undefined) replaceField((res as WithFields)[FIELDS] as string[], 'Vary', `${current}, ${field}`);
  else res.setHeader('Vary', `${current}, ${field}`);
}

/** A redirect with a one-line body for whoever reads it. */
export function redirect(res: ServerResponse, status: number, location: string): void {
  res.setHeader('Location', location);
  sendText(res, status, 'text/plain; charset=utf-8', `Redirecting to ${location}`);
}
