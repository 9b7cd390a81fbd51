// `npm run build`, after tsc: bundles /keys' React app into dist/keys-page/ with
// the options the server itself would use (src/keys-page/keys-page.bundle.ts).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { writeBundle } = require('../dist/src/keys-page/keys-page.bundle.js');
const outputs = await writeBundle();
console.log(`keys page: ${outputs.join(', ')}`);
