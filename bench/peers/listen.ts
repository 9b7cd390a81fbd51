import { IncomingMessage, RequestListener, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo } from 'node:net';

/** What a peer tells bench:peers once it listens (the same shape as keyward's bench server's "ready"). */
export interface PeerReady {
  type: 'ready';
  url: string;
  pid: number;
  /** A secret the peer made for the bench to send (better-auth's api key). */
  key?: string;
}

/**
 * Tells the parent (bench/support/spawn.ts, spawnPeer) where a peer listens,
 * over IPC, and ends the peer when the parent goes away: a crashed bench
 * leaves no server behind.
 */
export function announce(server: Server, extra: Pick<PeerReady, 'key'> = {}): void {
  const { port } = server.address() as AddressInfo;
  const ready: PeerReady = { type: 'ready', url: `http://127.0.0.1:${port}`, pid: process.pid, ...extra };
  process.send?.(ready);
  process.on('disconnect', () => process.exit(0));
}

/** A node:http server on a free loopback port, announced when it listens. */
export function serve(handler: RequestListener, extra: Pick<PeerReady, 'key'> = {}): void {
  const server = createServer(handler);
  server.listen(0, '127.0.0.1', () => announce(server, extra));
}

/** The request's body, whole: every peer reads what it is sent, as a real route must. */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** One JSON answer, written in one piece with its length (no chunked encoding). */
export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
