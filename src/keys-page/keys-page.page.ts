import { Asset } from '../explorer/explorer.assets';
import { BundleName } from './keys-page.bundle';

export const KEYS_PAGE_PATH = '/keys';
export const KEYS_ASSETS_PATH = `${KEYS_PAGE_PATH}/assets`;

/**
 * The explorer's policy, except for who may frame the page: only the
 * EMBED_ORIGINS (none: nobody). The page's scripts talk to /graphql alone;
 * the parent's token arrives by postMessage, which CSP does not govern.
 */
export function keysPageCsp(embedOrigins: readonly string[]): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${embedOrigins.length > 0 ? embedOrigins.join(' ') : "'none'"}`,
  ].join('; ');
}

export function bundleUrl(name: BundleName, asset: Asset): string {
  return `${KEYS_ASSETS_PATH}/${name}?v=${asset.version}`;
}

/** Static markup: the app reads its settings from data- attributes (no inline script is allowed). */
export function renderKeysPage(assets: Map<BundleName, Asset>, settings: { graphqlPath: string; embedOrigins: readonly string[] }): string {
  const url = (name: BundleName) => escapeHtml(bundleUrl(name, assets.get(name)!));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>API keys</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${url('keys.css')}">
</head>
<body>
<div id="keys" data-graphql="${escapeHtml(settings.graphqlPath)}" data-embed-origins="${escapeHtml(settings.embedOrigins.join(' '))}">
<noscript>The key-management page needs JavaScript. The API itself is at ${escapeHtml(settings.graphqlPath)}.</noscript>
</div>
<script src="${url('keys.js')}"></script>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
