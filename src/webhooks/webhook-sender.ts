import { request as httpRequest, IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { LookupFunction } from 'node:net';
import { resolveWebhookTarget, WebhookUrlError } from './webhook-url';

/** An attempt takes at most this long, the host's DNS lookup and the answer's body included; a slow receiver delays only its own deliveries. */
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
    const signal = AbortSignal.timeout(DELIVERY_TIMEOUT_MS);
    let target;
    try {
      target = await beforeAbort(resolveWebhookTarget(url, allowPrivate), signal);
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

/** The lookup cannot be cancelled, but the attempt stops waiting for it at the deadline (so its lease outlives it). */
function beforeAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timedOut = () => reject(new WebhookUrlError(`url: the host did not resolve within ${DELIVERY_TIMEOUT_MS / 1000} s`));
    if (signal.aborted) return timedOut();
    signal.addEventListener('abort', timedOut, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', timedOut));
  });
}
