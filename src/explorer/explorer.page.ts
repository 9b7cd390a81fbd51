import { Asset, AssetName, SCRIPTS, STYLES } from './explorer.assets';

export const EXPLORER_PATH = '/explorer';
export const ASSETS_PATH = `${EXPLORER_PATH}/assets`;

/**
 * Everything the page may load comes from keyward itself. No inline script or
 * style at all: the page is static markup, its configuration travels in data-
 * attributes, and GraphiQL's inline fonts and icons are data: URLs.
 */
export const EXPLORER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function assetUrl(name: AssetName, asset: Asset): string {
  return `${ASSETS_PATH}/${name}?v=${asset.version}`;
}

export function renderExplorerPage(assets: Map<AssetName, Asset>, graphqlPath: string): string {
  const url = (name: AssetName) => escapeHtml(assetUrl(name, assets.get(name)!));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>keyward explorer</title>
<link rel="icon" href="data:,">
${STYLES.map((name) => `<link rel="stylesheet" href="${url(name)}">`).join('\n')}
</head>
<body>
<div id="explorer" data-endpoint="${escapeHtml(graphqlPath)}">
<noscript>The keyward explorer needs JavaScript. The API itself is at ${escapeHtml(graphqlPath)}.</noscript>
</div>
${SCRIPTS.map((name) => `<script src="${url(name)}"></script>`).join('\n')}
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
