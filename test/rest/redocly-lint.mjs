// Redocly's openapi-core is ESM only, which jest's CommonJS runtime cannot load:
// openapi-lint.test.ts runs it here, in plain node. Reads a document on stdin,
// prints the problems of Redocly's `recommended` ruleset as JSON.
import { createConfig, lintFromString } from '@redocly/openapi-core';

let source = '';
for await (const chunk of process.stdin) source += chunk;
const config = await createConfig({ extends: ['recommended'] });
const problems = await lintFromString({ source, absoluteRef: 'openapi.json', config });
const shown = problems.map((p) => ({ rule: p.ruleId, severity: p.severity, message: p.message, at: p.location[0]?.pointer }));
process.stdout.write(JSON.stringify(shown));
