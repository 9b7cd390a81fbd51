import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The benchmarks' few options, `--name value` after `npm run bench:x --`. */

/** `--name value` from the command line, or the fallback. */
export function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1] : fallback;
}

export function numberArg(name: string, fallback: number): number {
  const value = Number(arg(name, String(fallback)));
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

/**
 * `--keyward source|dist`: which keyward a benchmark starts, the TypeScript
 * sources (through @swc-node/register) or tsc's build in dist/ as
 * `npm start` runs it (`npm run build` first). `env`: what spawnServer takes
 * for it; `description`: what the report says was measured.
 */
export function keywardArg(fallback: 'source' | 'dist'): { env: Record<string, string>; description: string } {
  const choice = arg('keyward', fallback);
  if (choice === 'source') return { env: {}, description: 'its TypeScript sources (@swc-node/register)' };
  if (choice !== 'dist') throw new Error('--keyward must be source or dist');
  const main = join(__dirname, '..', '..', 'dist', 'src', 'main.js');
  if (!existsSync(main)) throw new Error('--keyward dist: no dist/src/main.js; run `npm run build` first');
  return { env: { BENCH_KEYWARD_BUILD: 'dist' }, description: `its tsc build, dist/ (built ${statSync(main).mtime.toISOString()})` };
}
