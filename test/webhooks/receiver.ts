import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Webhook } from 'standardwebhooks';
import { Clock } from '../../src/shared/clock';

export interface Delivery {
  id: string;
  timestamp: number;
  signatures: string[];
  headers: IncomingMessage['headers'];
  raw: string;
  body: { type: string; timestamp: string; data: any };
  /** The URL's path and query: which endpoint it was sent to, when several point here. */
  path: string;
  /** What the receiver answered; 0 while it has not. */
  status: number;
}

/**
 * A platform's webhook receiver, as its README tells it to be written: a
 * node:http server that reads the raw body and checks it with
 * standardwebhooks' Webhook.verify. `answer` picks the status of each request
 * (default 204). The timestamp check runs against `clock` (the keyward
 * server's, which a test moves), so a delivery made "three days later" is
 * judged at that time, as a receiver then would.
 */
export class Receiver {
  readonly deliveries: Delivery[] = [];
  answer: (delivery: Delivery, index: number) => number | Promise<number> = () => 204;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<Receiver> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const receiver = new Receiver(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const seen: Delivery = {
          id: String(req.headers['webhook-id']),
          timestamp: Number(req.headers['webhook-timestamp']),
          signatures: String(req.headers['webhook-signature'] ?? '').split(' '),
          headers: req.headers,
          raw,
          body: JSON.parse(raw),
          path: req.url ?? '',
          status: 0,
        };
        // Recorded on arrival: a request the receiver never answers (the sender was killed) was still received.
        receiver.deliveries.push(seen);
        void Promise.resolve(receiver.answer(seen, receiver.deliveries.length - 1)).then((status) => {
          seen.status = status;
          res.writeHead(status).end();
        });
      });
    });
    return receiver;
  }

  /** The deliveries the receiver accepted (2xx). */
  accepted(): Delivery[] {
    return this.deliveries.filter((d) => d.status >= 200 && d.status < 300);
  }

  /** Waits (in real time: delivery is asynchronous) until `done` holds, for at most `ms`. */
  async until<T>(done: () => T | undefined | false, ms = 10_000): Promise<T> {
    const started = Date.now();
    for (;;) {
      const value = done();
      if (value) return value;
      if (Date.now() - started > ms) throw new Error(`the receiver did not get what was expected within ${ms} ms; got ${this.describe()}`);
      await sleep(10);
    }
  }

  /** The first accepted delivery of this type whose data matches. */
  async event(type: string, match: (data: any) => boolean = () => true, ms?: number): Promise<Delivery> {
    return this.until(() => this.accepted().find((d) => d.body.type === type && match(d.body.data)), ms);
  }

  describe(): string {
    return JSON.stringify(this.deliveries.map((d) => ({ id: d.id, type: d.body.type, status: d.status })));
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Webhook.verify as a receiver runs it, at the time `clock` says (its timestamp tolerance is five minutes). */
export function verify(delivery: Delivery, secret: string, clock: Clock = { now: () => Date.now() }): unknown {
  const at = clock.now();
  const realNow = Date.now;
  Date.now = () => at;
  try {
    return new Webhook(secret).verify(delivery.raw, {
      'webhook-id': String(delivery.headers['webhook-id']),
      'webhook-timestamp': String(delivery.headers['webhook-timestamp']),
      'webhook-signature': String(delivery.headers['webhook-signature']),
    });
  } finally {
    Date.now = realNow;
  }
}
