import { request as httpRequest, IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { LookupFunction } from 'node:net';
import { resolveWebhookTarget, WebhookUrlError } from './webhook-url';

/** A receiver has this long to answer, body included; a slow one delays only its own deliveries. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** What of a receiver's answer is read: enough to know it answered, never a reason to hold memory. */
const MAX_RESPONSE_BYTES = 64 * 1024;

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** An answer (any status), or none (timeout, refused connection, blocked address). */
export interface WebhookOutcome {
  status: number | null;
  error: string | null;
}

export type WebhookSend = (request: WebhookRequest) => Promise<WebhookOutcome>;

/**
 * POSTs one delivery. The host is resolved and checked here, right before
 * connecting, and the connection goes to the address that was checked (the
 * socket's lookup answers with it), so DNS rebinding between the check and
 * the connection cannot reach a private address. Redirects are not followed.
 */
export function webhookSender(allowPrivate: boolean): WebhookSend {
  return async ({ url: raw, headers, body }) => {
    const url = new URL(raw);
    let target;
    try {
      target = await resolveWebhookTarget(url, allowPrivate);
    } catch (error) {
      if (error instanceof WebhookUrlError) return { status: null, error: error.message };
      throw error;
    }
    const pinned: LookupFunction = (_host, options, callback) => {
      if ((options as { all?: boolean }).all) callback(null, [{ address: target.address, family: target.family }]);
      else callback(null, target.address, target.family);
    };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<WebhookOutcome>((resolve) => {
      const signal = AbortSignal.timeout(DELIVERY_TIMEOUT_MS);
      const req = send(
        url,
        {
          method: 'POST',
          headers: {
            ...headers,
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(body)),
            'user-agent': 'keyward-webhooks',
          },
          lookup: pinned,
          signal,
        },
        (res: IncomingMessage) => {
          let read = 0;
          res.on('data', (chunk: Buffer) => {
            read += chunk.length;
            if (read > MAX_RESPONSE_BYTES) res.destroy();
          });
          const done = () => resolve({ status: res.statusCode ?? null, error: null });
          res.on('end', done);
          res.on('close', done);
          res.on('error', done);
        },
      );
      req.on('error', (error) =>
        resolve({ status: null, error: signal.aborted ? `no answer within ${DELIVERY_TIMEOUT_MS / 1000} s` : error.message.slice(0, 500) }),
      );
      req.end(body);
    });
  };
}
