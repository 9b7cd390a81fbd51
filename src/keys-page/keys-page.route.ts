import express, { Router } from 'express';
import { Asset, compressed } from '../explorer/explorer.assets';
import { docsRouter } from './docs.route';
import { send } from './keys-page.send';
import { isBundleName, loadBundle } from './keys-page.bundle';
import { KEYS_ASSETS_PATH, KEYS_PAGE_PATH, keysPageCsp, renderKeysPage } from './keys-page.page';

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
  // The REST reference with its docs playground: the same kind of page, so it is mounted with /keys.
  router.use(docsRouter(settings.graphqlPath));
  return router;
}
