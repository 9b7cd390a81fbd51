import express, { Router } from 'express';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Asset, compressed, loadOnce, sendAsset, sendVersionedAsset } from '../explorer/explorer.assets';
import { OPENAPI_PATH } from '../rest/openapi';
import { BUILT_DIR } from './keys-page.bundle';

export const DOCS_PATH = '/docs';
const ASSETS = `${DOCS_PATH}/assets`;
const JS = 'text/javascript; charset=utf-8';

/**
 * `GET /docs`: the REST reference, Scalar's API reference over /openapi.json
 * (its browser build, which its publisher bundles), with keyward's "Generate
 * test token" bar (docs/docs.js). Scalar injects its styles as <style>
 * elements, hence 'unsafe-inline' for styles only; scripts stay 'self'.
 */
const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const FILES = {
  // npm run build copies Scalar's browser build to dist/keys-page/ (it is a devDependency).
  'scalar.js': { contentType: JS, file: () => builtOr('scalar.js', () => require.resolve('@scalar/api-reference/browser/standalone.js')) },
  'docs.js': { contentType: JS, file: () => sourceFile('docs.js') },
  'docs.css': { contentType: 'text/css; charset=utf-8', file: () => sourceFile('docs.css') },
};
type DocsAsset = keyof typeof FILES;

function builtOr(name: string, fallback: () => string): string {
  const built = join(BUILT_DIR, name);
  return !__filename.endsWith('.ts') && existsSync(built) ? built : fallback();
}

/** tsc copies no assets: from dist/ the bar's files are read from the source tree. */
function sourceFile(name: string): string {
  const here = join(__dirname, 'docs', name);
  return existsSync(here) ? here : join(__dirname, '../../../src/keys-page/docs', name);
}

const loadAssets = loadOnce(async (): Promise<Map<DocsAsset, Asset>> => {
  const entries = await Promise.all(
    (Object.keys(FILES) as DocsAsset[]).map(
      async (name) => [name, await compressed(await readFile(FILES[name].file()), FILES[name].contentType)] as const,
    ),
  );
  return new Map(entries);
});

function renderPage(assets: Map<DocsAsset, Asset>, graphqlPath: string): string {
  const url = (name: DocsAsset) => `${ASSETS}/${name}?v=${assets.get(name)!.version}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>keyward REST API</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${url('docs.css')}">
</head>
<body>
<form class="kw-docs-bar" id="kw-docs-token">
<label for="kw-docs-credential">Admin key or session token</label>
<input id="kw-docs-credential" type="password" autocomplete="off">
<button type="submit">Generate test token</button>
<span id="kw-docs-status" role="status"></span>
<span id="kw-docs-alert" role="alert"></span>
</form>
<main id="docs" data-openapi="${OPENAPI_PATH}" data-graphql="${graphqlPath}"><div id="reference"></div></main>
<script src="${url('scalar.js')}"></script>
<script src="${url('docs.js')}"></script>
</body>
</html>
`;
}

export function docsRouter(graphqlPath: string): Router {
  const router = express.Router();
  const loadPage = loadOnce(async () => compressed(Buffer.from(renderPage(await loadAssets(), graphqlPath)), 'text/html; charset=utf-8'));
  router.use(DOCS_PATH, (_req, res, next) => {
    res.set({
      'Content-Security-Policy': DOCS_CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'X-Frame-Options': 'DENY',
    });
    next();
  });
  router.get(DOCS_PATH, async (req, res) => sendAsset(req, res, await loadPage(), 'no-cache'));
  router.get(`${ASSETS}/:name`, async (req, res, next) => {
    const { name } = req.params;
    if (!Object.prototype.hasOwnProperty.call(FILES, name)) return next();
    sendVersionedAsset(req, res, (await loadAssets()).get(name as DocsAsset)!);
  });
  return router;
}
