import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Asset, compressed, loadOnce } from '../explorer/explorer.assets';

/**
 * The key-management page's two files: the React app (app/main.jsx and what it
 * imports, React included) bundled by esbuild into one script, and its styles.
 */
export const BUNDLE_FILES = { 'keys.js': 'text/javascript; charset=utf-8', 'keys.css': 'text/css; charset=utf-8' } as const;
export type BundleName = keyof typeof BUNDLE_FILES;

export function isBundleName(name: string): name is BundleName {
  return Object.prototype.hasOwnProperty.call(BUNDLE_FILES, name);
}

/** Where `npm run build` (scripts/build-keys-page.mjs) writes the bundle: dist/keys-page/, beside dist/src/. */
export const BUILT_DIR = join(__dirname, '../../keys-page');
/** The app's source: beside this file, or (from dist/src/keys-page/, as tsc copies no .jsx) in the source tree. */
function appDir(): string {
  const here = join(__dirname, 'app');
  return existsSync(here) ? here : join(__dirname, '../../../src/keys-page/app');
}

/**
 * esbuild's options, in one place for the build script and for the in-memory
 * build. Everything ends up in the two files: no chunk, font or image to fetch.
 */
function buildOptions(outdir: string) {
  return {
    entryPoints: { keys: join(appDir(), 'main.jsx') },
    bundle: true,
    minify: true,
    format: 'iife' as const,
    target: ['chrome109', 'firefox115', 'safari16'],
    define: { 'process.env.NODE_ENV': '"production"' },
    legalComments: 'none' as const,
    jsx: 'automatic' as const,
    outdir,
    logLevel: 'silent' as const,
  };
}

/** `npm run build`: writes dist/keys-page/keys.js and keys.css. */
export async function writeBundle(outdir = BUILT_DIR): Promise<string[]> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({ ...buildOptions(outdir), write: true, metafile: true });
  return Object.keys(result.metafile.outputs);
}

async function bundleInMemory(): Promise<Record<BundleName, Buffer>> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({ ...buildOptions('/keys-page'), write: false });
  const file = (name: BundleName) => result.outputFiles.find((out) => out.path.endsWith(`/${name}`));
  const js = file('keys.js');
  const css = file('keys.css');
  if (!js || !css) throw new Error('esbuild made no keys.js and keys.css from src/keys-page/app/main.jsx');
  return { 'keys.js': Buffer.from(js.contents), 'keys.css': Buffer.from(css.contents) };
}

async function readBuilt(): Promise<Record<BundleName, Buffer>> {
  const [js, css] = await Promise.all([readFile(join(BUILT_DIR, 'keys.js')), readFile(join(BUILT_DIR, 'keys.css'))]);
  return { 'keys.js': js, 'keys.css': css };
}

/**
 * The built bundle when there is one and this is the built server (dist/);
 * otherwise, i.e. running from TypeScript source (jest, development) or a
 * dist/ without the bundle, esbuild (a devDependency) builds it in memory, on
 * the first request, once per process. From source a dist/ bundle is never
 * used: it may be older than the app's source the tests are checking.
 */
async function sources(): Promise<Record<BundleName, Buffer>> {
  const fromSource = __filename.endsWith('.ts');
  if (!fromSource && existsSync(join(BUILT_DIR, 'keys.js'))) return readBuilt();
  try {
    return await bundleInMemory();
  } catch (error) {
    throw new Error(`the /keys bundle is not built (npm run build) and esbuild could not build it: ${String(error)}`, { cause: error });
  }
}

/** Built (or read) and compressed once per process, on first use; a failure is retried by the next request. */
export const loadBundle = loadOnce(async (): Promise<Map<BundleName, Asset>> => {
  const files = await sources();
  const names = Object.keys(BUNDLE_FILES) as BundleName[];
  return new Map(await Promise.all(names.map(async (name) => [name, await compressed(files[name], BUNDLE_FILES[name])] as const)));
});
