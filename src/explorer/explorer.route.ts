import express, { Router } from 'express';
import { compressed, isAssetName, loadAssets, loadOnce, sendAsset, sendVersionedAsset } from './explorer.assets';
import { ASSETS_PATH, EXPLORER_CSP, EXPLORER_PATH, renderExplorerPage } from './explorer.page';

/**
 * `GET /explorer`: GraphiQL, served entirely from this origin, pointed at the
 * GraphQL endpoint, with a pane that creates a playground key (see
 * public/explorer.js). Every response is pre-compressed once per process.
 */
export function explorerRouter(graphqlPath = '/graphql'): Router {
  const router = express.Router();
  const loadPage = loadOnce(async () =>
    compressed(Buffer.from(renderExplorerPage(await loadAssets(), graphqlPath)), 'text/html; charset=utf-8'),
  );

  router.use(EXPLORER_PATH, (_req, res, next) => {
    res.set({
      'Content-Security-Policy': EXPLORER_CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'X-Frame-Options': 'DENY',
    });
    next();
  });
  router.get(EXPLORER_PATH, async (req, res) => {
    sendAsset(req, res, await loadPage(), 'no-cache');
  });
  router.get(`${ASSETS_PATH}/:name`, async (req, res, next) => {
    const { name } = req.params;
    if (!isAssetName(name)) return next();
    sendVersionedAsset(req, res, (await loadAssets()).get(name)!);
  });
  return router;
}
