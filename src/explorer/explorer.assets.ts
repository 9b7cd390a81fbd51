import { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';

/**
 * The explorer's files, all served from keyward's own origin: GraphiQL's and
 * React's browser builds straight from node_modules (bundled by their
 * publishers, no build step here) and keyward's own page script and styles.
 */
export type Encoding = 'br' | 'gzip' | 'identity';

export interface Asset {
  contentType: string;
  /** SHA-256 prefix of the content: the URL's `?v=` and the ETag. */
  version: string;
  bodies: Record<Encoding, Buffer>;
}

export type AssetName = keyof typeof SOURCES;

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

const SOURCES = {
  'react.js': { file: () => packageFile('react', 'umd/react.production.min.js'), contentType: JS },
  'react-dom.js': { file: () => packageFile('react-dom', 'umd/react-dom.production.min.js'), contentType: JS },
  'graphiql.js': { file: () => packageFile('graphiql', 'graphiql.min.js'), contentType: JS },
  'graphiql.css': { file: () => packageFile('graphiql', 'graphiql.min.css'), contentType: CSS },
  'explorer.js': { file: () => join(publicDir(), 'explorer.js'), contentType: JS },
  'explorer.css': { file: () => join(publicDir(), 'explorer.css'), contentType: CSS },
};

/** In page order: the scripts run in this order, React before GraphiQL before keyward's. */
export const STYLES: AssetName[] = ['graphiql.css', 'explorer.css'];
export const SCRIPTS: AssetName[] = ['react.js', 'react-dom.js', 'graphiql.js', 'explorer.js'];

export function isAssetName(name: string): name is AssetName {
  return Object.prototype.hasOwnProperty.call(SOURCES, name);
}

/**
 * `load`, run on first use and shared by every caller after; a failure is not
 * kept (a missing file is a broken install, not a permanent state), so the
 * next call tries again.
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () =>
    (loading ??= load().catch((error) => {
      loading = undefined;
      throw error;
    }));
}

/**
 * Read and compress every asset once per process, on first use: brotli over
 * about 1.5 MB costs a second of CPU, which a server that never shows the
 * explorer (or a test that never opens it) should not pay at start.
 */
export const loadAssets = loadOnce(async (): Promise<Map<AssetName, Asset>> => {
  const entries = await Promise.all(
    (Object.keys(SOURCES) as AssetName[]).map(async (name) => {
      const { file, contentType } = SOURCES[name];
      return [name, await compressed(await readFile(file()), contentType)] as const;
    }),
  );
  return new Map(entries);
});

/** Best first: whichever of these the client accepts at all, it gets the smallest. */
const ENCODINGS: Encoding[] = ['br', 'gzip', 'identity'];
/** An asset URL carries its content hash (`?v=`), so a versioned response never changes. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** One pre-compressed asset in the best encoding the client takes; res.send answers a matching If-None-Match with 304 and a HEAD without the body. */
export function sendAsset(req: Request, res: Response, asset: Asset, cacheControl: string): void {
  const encoding = ENCODINGS.find((candidate) => req.acceptsEncodings(candidate)) ?? 'identity';
  res.vary('Accept-Encoding');
  res.set({ 'Content-Type': asset.contentType, 'Cache-Control': cacheControl, ETag: `"${asset.version}-${encoding}"` });
  if (encoding !== 'identity') res.set('Content-Encoding', encoding);
  res.send(asset.bodies[encoding]);
}

/** A page's script or style: cached for good under the URL of its own version (`?v=`), revalidated under any other. */
export function sendVersionedAsset(req: Request, res: Response, asset: Asset): void {
  sendAsset(req, res, asset, req.query.v === asset.version ? IMMUTABLE : 'no-cache');
}

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

export async function compressed(content: Buffer, contentType: string): Promise<Asset> {
  const [br, gz] = await Promise.all([
    // Quality 9 keeps within ~10% of 11's size at a fifth of its CPU time.
    brotli(content, { params: { [zlib.BROTLI_PARAM_QUALITY]: 9, [zlib.BROTLI_PARAM_SIZE_HINT]: content.length } }),
    gzipAsync(content, { level: 9 }),
  ]);
  const version = createHash('sha256').update(content).digest('hex').slice(0, 16);
  return { contentType, version, bodies: { br, gzip: gz, identity: content } };
}

function packageFile(pkg: string, file: string): string {
  return join(dirname(require.resolve(`${pkg}/package.json`)), file);
}

/**
 * tsc copies no assets: from dist/src/explorer/ the page's own files are read
 * from the source tree, which every install (and the image) ships.
 */
function publicDir(): string {
  const candidates = [join(__dirname, 'public'), join(__dirname, '../../../src/explorer/public')];
  const found = candidates.find((dir) => existsSync(join(dir, 'explorer.js')));
  if (!found) throw new Error(`explorer assets not found in ${candidates.join(' or ')}`);
  return found;
}
