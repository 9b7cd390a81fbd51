import express, { Router } from 'express';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Caller } from '../shared/caller';
import { BadUserInputError } from '../shared/errors';
import { ANONYMOUS } from '../shared/principal';
import { MAX_SOURCE_LENGTH } from '../leaks/leak-report.service';
import { AlertSignatureError } from '../leaks/github-keys';
import { readJsonBody } from '../http/json-body';
import { clientIp, sendJson } from '../http/exchange';
import { malformedTextRefusal } from '../http/request-text';
import { setRateLimitHeaders } from '../http/rate-limit.http';
import { MAX_BODY_BYTES } from '../http/responses';
import { answerError, sendKeywardError } from './rest.errors';
import { jsonObject } from './rest.input';
import { Door } from '../http/authenticate-request';
import { Logger } from '../logging/logger';
import { Services } from '../services/services';

export const LEAK_REPORT_PATH = '/v1/keys/report-leak';
export const GITHUB_SECRET_SCANNING_PATH = '/v1/secret-scanning/github';

/**
 * The answer to every well-formed report, word for word, whatever the key
 * was: live, revoked, unknown or no key at all. The reporter learns nothing
 * about which keys exist.
 */
export const LEAK_REPORT_ACCEPTED = {
  ok: true,
  data: {
    received: true,
    message: 'Thank you. If this is a live keyward key, it is handled as its owner chose, and its owner is told.',
  },
} as const;

const REPORT_FIELDS = ['key', 'source'];

/**
 * The two routes that take no credential: anyone who finds a key may report
 * it, and GitHub proves itself by signature, not by a key of ours. So they
 * skip the door (a stray Authorization header is neither checked nor a 401)
 * and the caller pools; the report route has a pool per client address instead.
 */
export function mountLeakRoutes(router: Router, deps: { services: Services; door: Door; logger: Logger }): void {
  const { services, door, logger } = deps;
  const callerOf = (req: IncomingMessage): Caller => ({
    principal: ANONYMOUS,
    ip: (door.clientAddress ?? clientIp)(req),
    userAgent: req.headers['user-agent'] ?? null,
  });

  router.post(LEAK_REPORT_PATH, (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const fail = (error: unknown) => answerError(logger, req, res, error);
    readJsonBody(req, res, { strict: false })
      .then(async (body) => {
        const caller = callerOf(req);
        const charge = await services.leakReportLimit.charge(caller.ip);
        setRateLimitHeaders(res, charge.state, charge.refusal !== null);
        if (charge.refusal) return sendKeywardError(res, charge.refusal);
        await services.leakReports.report(reportOf(body), 'leak-report', caller);
        sendJson(res, 202, LEAK_REPORT_ACCEPTED);
      })
      .catch(fail);
  });

  const rawBody = express.raw({ type: () => true, limit: MAX_BODY_BYTES });
  router.post(GITHUB_SECRET_SCANNING_PATH, rawBody, (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const body: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const headers = { identifier: req.get('github-public-key-identifier'), signature: req.get('github-public-key-signature') };
    services.gitHubSecretScanning.alert(headers, body, callerOf(req)).then(
      (labels) => sendJson(res, 200, labels),
      (error: unknown) =>
        error instanceof AlertSignatureError
          ? sendJson(res, 401, { success: false, error: { code: 'INVALID_SIGNATURE', message: error.message } })
          : answerError(logger, req, res, error),
    );
  });

  for (const path of [LEAK_REPORT_PATH, GITHUB_SECRET_SCANNING_PATH]) {
    router.all(path, (req: IncomingMessage, res: ServerResponse) => {
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Allow', 'POST');
      sendJson(res, 405, {
        success: false,
        error: { code: 'METHOD_NOT_ALLOWED', message: `${req.method} ${path} is not supported: POST` },
      });
    });
  }
}

/** The report's shape: a key as a string (which may be anything: that is judged without telling), and an optional source. */
function reportOf(body: unknown): { key: string; source: string | null } {
  const fields = jsonObject(body);
  const unknown = Object.keys(fields).find((name) => !REPORT_FIELDS.includes(name));
  if (unknown !== undefined) throw new BadUserInputError(unknown, `${unknown} is not a field of this request; it takes key, source`);
  const malformed = malformedTextRefusal(fields);
  if (malformed) throw malformed;
  const { key, source } = fields;
  if (typeof key !== 'string' || key.trim() === '') throw new BadUserInputError('key', 'key must be the key you found, as a string');
  if (source !== undefined && source !== null && typeof source !== 'string') {
    throw new BadUserInputError('source', 'source must be a string: where you found the key (a URL, a file, a paste)');
  }
  const where = typeof source === 'string' ? source.trim() : '';
  if (where.length > MAX_SOURCE_LENGTH) throw new BadUserInputError('source', `source must be at most ${MAX_SOURCE_LENGTH} characters`);
  return { key, source: where === '' ? null : where };
}
