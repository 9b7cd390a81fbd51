import express, { Request, Response, Router } from 'express';
import { Asset, compressed, Encoding } from '../explorer/explorer.assets';
import { isBundleName, loadBundle } from './keys-page.bundle';
import { KEYS_ASSETS_PATH, KEYS_PAGE_PATH, keysPageCsp, renderKeysPage } from './keys-page.page';

const ENCODINGS: Encoding[] = ['br', 'gzip', 'identity'];
/** An asset URL carries its content hash (`?v=`), so a versioned response never changes. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

export interface KeysPageSettings {
  graphqlPath: string;
  /** Origins whose pages may frame /keys and post it a token (EMBED_ORIGINS). */
  embedOrigins: readonly string[];
}

/**
 * `GET /keys`: the key-management page (app/), from this origin alone. The
 * page and its two bundle files are compressed once per process.
 */
export function keysPageRouter(settings: KeysPageSettings): Router {
  const router = express.Router();
  const csp = keysPageCsp(settings.embedOrigins);
  let page: Promise<Asset> | undefined;
  const loadPage = () =>
    (page ??= loadBundle()
      .then((bundle) => compressed(Buffer.from(renderKeysPage(bundle, settings)), 'text/html; charset=utf-8'))
      .catch((error) => {
        page = undefined;
        throw error;
      }));

  router.use(KEYS_PAGE_PATH, (_req, res, next) => {
    res.set({
      'Content-Security-Policy': csp,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Resource-Policy': 'same-origin',
    });
    // X-Frame-Options has no list of origins: frame-ancestors alone decides when some may frame the page.
    if (settings.embedOrigins.length === 0) res.set('X-Frame-Options', 'DENY');
    next();
  });
  router.get(KEYS_PAGE_PATH, async (req, res) => {
    send(req, res, await loadPage(), 'no-cache');
  });
  router.get(`${KEYS_ASSETS_PATH}/:name`, async (req, res, next) => {
    const { name } = req.params;
    if (!isBundleName(name)) return next();
    const asset = (await loadBundle()).get(name)!;
    send(req, res, asset, req.query.v === asset.version ? IMMUTABLE : 'no-cache');
  });
  return router;
}

function send(req: Request, res: Response, asset: Asset, cacheControl: string): void {
  const encoding = ENCODINGS.find((candidate) => req.acceptsEncodings(candidate)) ?? 'identity';
  res.vary('Accept-Encoding');
  res.set({ 'Content-Type': asset.contentType, 'Cache-Control': cacheControl, ETag: `"${asset.version}-${encoding}"` });
  if (encoding !== 'identity') res.set('Content-Encoding', encoding);
  res.send(asset.bodies[encoding]);
}
