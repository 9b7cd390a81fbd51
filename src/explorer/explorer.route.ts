import express, { Request, Response, Router } from 'express';
import { Asset, compressed, Encoding, isAssetName, loadAssets } from './explorer.assets';
import { ASSETS_PATH, EXPLORER_CSP, EXPLORER_PATH, renderExplorerPage } from './explorer.page';

/** Best first: whichever of these the client accepts at all, it gets the smallest. */
const ENCODINGS: Encoding[] = ['br', 'gzip', 'identity'];
/** An asset URL carries its content hash (`?v=`), so a versioned response never changes. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * `GET /explorer`: GraphiQL, served entirely from this origin, pointed at the
 * GraphQL endpoint, with a pane that creates a playground key (see
 * public/explorer.js). Every response is pre-compressed once per process.
 */
export function explorerRouter(graphqlPath = '/graphql'): Router {
  const router = express.Router();
  let page: Promise<Asset> | undefined;
  const loadPage = () =>
    (page ??= loadAssets()
      .then((assets) => compressed(Buffer.from(renderExplorerPage(assets, graphqlPath)), 'text/html; charset=utf-8'))
      .catch((error) => {
        page = undefined;
        throw error;
      }));

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
    send(req, res, await loadPage(), 'no-cache');
  });
  router.get(`${ASSETS_PATH}/:name`, async (req, res, next) => {
    const { name } = req.params;
    if (!isAssetName(name)) return next();
    const asset = (await loadAssets()).get(name)!;
    send(req, res, asset, req.query.v === asset.version ? IMMUTABLE : 'no-cache');
  });
  return router;
}

function send(req: Request, res: Response, asset: Asset, cacheControl: string): void {
  const encoding = ENCODINGS.find((candidate) => req.acceptsEncodings(candidate)) ?? 'identity';
  res.vary('Accept-Encoding');
  res.set({ 'Content-Type': asset.contentType, 'Cache-Control': cacheControl, ETag: `"${asset.version}-${encoding}"` });
  if (encoding !== 'identity') res.set('Content-Encoding', encoding);
  // res.send answers a matching If-None-Match with 304 and a HEAD without the body.
  res.send(asset.bodies[encoding]);
}
