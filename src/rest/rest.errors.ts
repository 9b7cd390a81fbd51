import { ErrorRequestHandler } from 'express';
import { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode, KeywardError } from '../shared/errors';
import { Logger, redactUrlCredentials } from '../logging/logger';
import { bodyReadProblem } from '../http/responses';
import { sendJson, urlOf } from '../http/exchange';

/** The REST contract's 401 body, fixed word for word: integrations match on it. */
export const UNAUTHORIZED_BODY = {
  success: false,
  error: { code: 'UNAUTHORIZED', message: 'Invalid or missing API key' },
} as const;

/**
 * Each KeywardError carries its own HTTP status; these are the codes whose
 * REST status differs from it. The REST contract answers a failed validation
 * with 422, where GraphQL-over-HTTP uses 400.
 */
const REST_STATUS: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.BAD_USER_INPUT]: 422,
};

/** A request that cannot be read at all (not JSON, not an object): 400, before any validation. */
export class MalformedRequestError extends Error {}

/** How a route's clients name the fields the services report, e.g. the service's `name` is the body's `keyName`. */
export type FieldNames = Readonly<Record<string, string>>;

export interface ErrorBody {
  success: false;
  error: { code: string; message: string; [extra: string]: unknown };
}

export function restStatus(error: KeywardError): number {
  return REST_STATUS[error.code] ?? error.httpStatus;
}

/**
 * Answers a KeywardError in the REST shape. `presented`: the request carried a
 * credential that failed, so WWW-Authenticate says why (RFC 6750) while the
 * body stays the contract's fixed one.
 */
export function sendKeywardError(res: ServerResponse, error: KeywardError, fieldNames: FieldNames = {}, presented = false): void {
  const status = restStatus(error);
  if (typeof error.extensions.retryAfter === 'number') res.setHeader('Retry-After', String(error.extensions.retryAfter));
  if (status === 401) {
    res.setHeader(
      'WWW-Authenticate',
      presented ? `Bearer error="invalid_token", error_description="${headerSafe(error.message)}"` : 'Bearer',
    );
    sendJson(res, 401, UNAUTHORIZED_BODY);
    return;
  }
  const { code, field, ...extra } = error.extensions as { code: string; field?: string };
  if (typeof field !== 'string') {
    sendJson(res, status, { success: false, error: { code, message: error.message, ...extra } } satisfies ErrorBody);
    return;
  }
  // Messages start with the field they blame ("name must not be empty"): name it as the client wrote it.
  const renamed = fieldNames[field] ?? field;
  const message = error.message.startsWith(`${field} `) ? renamed + error.message.slice(field.length) : error.message;
  sendJson(res, status, { success: false, error: { code, message, field: renamed, ...extra } } satisfies ErrorBody);
}

/** The refusal of authenticateRequest for REST routes: a presented credential failed (or was throttled). */
export function restRefusal(res: ServerResponse, error: KeywardError): void {
  sendKeywardError(res, error, {}, true);
}

/**
 * Everything else a REST route can end in: a malformed or oversized body, or
 * a fault of ours, which is logged (URL with api_key masked) and masked.
 */
export function answerError(logger: Logger, req: IncomingMessage, res: ServerResponse, error: unknown, fieldNames: FieldNames = {}): void {
  if (error instanceof KeywardError) return sendKeywardError(res, error, fieldNames);
  if (error instanceof MalformedRequestError) return sendBody(res, 400, 'BAD_REQUEST', error.message);
  const unreadable = bodyReadProblem(error);
  if (unreadable) return sendBody(res, unreadable.status, unreadable.tooLarge ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST', unreadable.message);
  logger.error({ err: error, url: redactUrlCredentials(urlOf(req)) }, 'unhandled error in REST request');
  sendBody(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
}

export function restErrors(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => answerError(logger, req, res, error);
}

export function sendBody(res: ServerResponse, status: number, code: string, message: string): void {
  const body: ErrorBody = { success: false, error: { code, message } };
  sendJson(res, status, body);
}

/** A header quoted-string holds printable ASCII only; messages name prefixes, never keys. */
function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').replace(/["\\]/g, "'");
}
