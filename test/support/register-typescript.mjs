// Loads TypeScript in the light runner's workers: @swc-node/register compiles
// `.ts` as tsconfig.json says (decorators and their metadata, CommonJS), and a
// loader hook hands the runner's `import()` of a test file to that CommonJS
// loader, so the test and everything it requires share one module cache per
// worker.
import { createRequire, register } from 'node:module';

const require = createRequire(import.meta.url);
require('@swc-node/register');
require('reflect-metadata');
register('./typescript-as-commonjs.mjs', import.meta.url);
