import express from 'express';
import { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_BODY_BYTES, MAX_BODY_LENGTH } from './responses';

export interface JsonBodyOptions {
  /** As body-parser's: only an object or an array at the top (GraphQL); off, any JSON value (REST, which says what it wants). */
  strict: boolean;
}

/** What body-parser calls its errors: bodyReadProblem (responses.ts) reads these. */
function parseFailed(): Error {
  return Object.assign(new SyntaxError('The request body is not valid JSON'), { status: 400, type: 'entity.parse.failed' });
}

/**
 * The request's JSON body, or undefined when it has none of type
 * application/json: exactly what express.json() leaves in req.body.
 *
 * Nearly every API request is plain JSON, its length declared, uncompressed,
 * in UTF-8: those are read here in a few lines (on the hot path body-parser's
 * generality cost as much as checking a key). Anything else (compressed, other
 * charsets, chunked, +json types, over the limit) goes to body-parser itself,
 * so every unusual body is answered exactly as express answers it.
 */
export function readJsonBody(req: IncomingMessage, res: ServerResponse, options: JsonBodyOptions): Promise<unknown> {
  const { headers } = req;
  // As type-is decides: a request without a body is one without a length or a chunked encoding (most GETs).
  if (headers['content-length'] === undefined && headers['transfer-encoding'] === undefined) return Promise.resolve(undefined);
  if (!readHere(req)) return viaBodyParser(req, res, options);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('error', reject);
    req.once('end', () => {
      try {
        resolve(parse(chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8'), options));
      } catch (error) {
        reject(error);
      }
    });
  });
}

/** A body this module reads itself; the rest are body-parser's. */
function readHere(req: IncomingMessage): boolean {
  const { headers } = req;
  const type = headers['content-type'];
  if (type === undefined || headers['transfer-encoding'] !== undefined || !isPlainJsonType(type)) return false;
  if (headers['content-encoding'] !== undefined && headers['content-encoding'].toLowerCase() !== 'identity') return false;
  const declared = headers['content-length'];
  return declared !== undefined && /^[0-9]{1,9}$/.test(declared) && Number(declared) <= MAX_BODY_LENGTH;
}

/** `application/json`, optionally `; charset=utf-8`, in any case and spacing. */
function isPlainJsonType(type: string): boolean {
  const semicolon = type.indexOf(';');
  const media = (semicolon === -1 ? type : type.slice(0, semicolon)).trim().toLowerCase();
  if (media !== 'application/json') return false;
  if (semicolon === -1) return true;
  return /^\s*charset\s*=\s*"?utf-8"?\s*$/i.test(type.slice(semicolon + 1));
}

function parse(text: string, options: JsonBodyOptions): unknown {
  // body-parser's decoder drops a byte-order mark; JSON.parse would refuse it.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // body-parser's forgiveness for an empty body, kept so both paths agree.
  if (body.length === 0) return {};
  if (options.strict) {
    const first = body.trimStart()[0];
    if (first !== '{' && first !== '[') throw parseFailed();
  }
  try {
    return JSON.parse(body);
  } catch {
    throw parseFailed();
  }
}

const PARSERS = {
  strict: express.json({ limit: MAX_BODY_BYTES }),
  lenient: express.json({ limit: MAX_BODY_BYTES, strict: false }),
};

function viaBodyParser(req: IncomingMessage, res: ServerResponse, options: JsonBodyOptions): Promise<unknown> {
  const parser = options.strict ? PARSERS.strict : PARSERS.lenient;
  return new Promise((resolve, reject) => {
    // body-parser uses only node's request (headers, stream) and writes nothing to the answer.
    parser(req as express.Request, res as express.Response, (error?: unknown) => {
      if (error) reject(error);
      else resolve((req as { body?: unknown }).body);
    });
  });
}
