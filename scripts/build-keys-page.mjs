// `npm run build`, after tsc: bundles /keys' React app into dist/keys-page/ with
// the options the server itself would use (src/keys-page/keys-page.bundle.ts),
// and copies Scalar's browser build there for /docs (it is a devDependency).
import { copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const { BUILT_DIR, writeBundle } = require('../dist/src/keys-page/keys-page.bundle.js');
const outputs = await writeBundle();
copyFileSync(require.resolve('@scalar/api-reference/browser/standalone.js'), join(BUILT_DIR, 'scalar.js'));
console.log(`keys page: ${outputs.join(', ')}; docs: ${join(BUILT_DIR, 'scalar.js')}`);
