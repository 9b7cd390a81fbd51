import { Request, Response } from 'express';
import { Asset, Encoding } from '../explorer/explorer.assets';

/** Best first: whichever of these the client accepts at all, it gets the smallest. */
const ENCODINGS: Encoding[] = ['br', 'gzip', 'identity'];

/** One pre-compressed asset; res.send answers a matching If-None-Match with 304. */
export function send(req: Request, res: Response, asset: Asset, cacheControl: string): void {
  const encoding = ENCODINGS.find((candidate) => req.acceptsEncodings(candidate)) ?? 'identity';
  res.vary('Accept-Encoding');
  res.set({ 'Content-Type': asset.contentType, 'Cache-Control': cacheControl, ETag: `"${asset.version}-${encoding}"` });
  if (encoding !== 'identity') res.set('Content-Encoding', encoding);
  res.send(asset.bodies[encoding]);
}
