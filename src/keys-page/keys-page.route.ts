import express, { Router } from 'express';
import { compressed, loadOnce, sendAsset, sendVersionedAsset } from '../explorer/explorer.assets';
import { docsRouter } from './docs.route';
import { isBundleName, loadBundle } from './keys-page.bundle';
import { KEYS_ASSETS_PATH, KEYS_PAGE_PATH, keysPageCsp, renderKeysPage } from './keys-page.page';

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
  const loadPage = loadOnce(async () => compressed(Buffer.from(renderKeysPage(await loadBundle(), settings)), 'text/html; charset=utf-8'));

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
    sendAsset(req, res, await loadPage(), 'no-cache');
  });
  router.get(`${KEYS_ASSETS_PATH}/:name`, async (req, res, next) => {
    const { name } = req.params;
    if (!isBundleName(name)) return next();
    sendVersionedAsset(req, res, (await loadBundle()).get(name)!);
  });
  // The REST reference with its docs playground: the same kind of page, so it is mounted with /keys.
  router.use(docsRouter(settings.graphqlPath));
  return router;
}
