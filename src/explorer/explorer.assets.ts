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

let loading: Promise<Map<AssetName, Asset>> | undefined;

/**
 * Read and compress every asset once per process, on first use: brotli over
 * about 1.5 MB costs a second of CPU, which a server that never shows the
 * explorer (or a test that never opens it) should not pay at start.
 */
export function loadAssets(): Promise<Map<AssetName, Asset>> {
  loading ??= Promise.all(
    (Object.keys(SOURCES) as AssetName[]).map(async (name) => {
      const { file, contentType } = SOURCES[name];
      return [name, await compressed(await readFile(file()), contentType)] as const;
    }),
  ).then(
    (entries) => new Map(entries),
    (error) => {
      loading = undefined; // a missing file is a broken install, not a permanent state: let the next request retry
      throw error;
    },
  );
  return loading;
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
