import { useTestServer } from '../support/harness';
import { TEST_JWT_SECRET } from '../support/user-tokens';
import { World } from './isolation.fixtures';
import { rowsOf, runRow } from './isolation.runner';
import { ISOLATION_FILES, KEY_MUTATIONS, OPERATIONS } from './operations.table';

/**
 * One file of the matrix (operations.table.ts, ISOLATION_FILES): every
 * principal against every target of each of its operations. One server and
 * one world for the file: rows that change or destroy an object act on a
 * throwaway copy of it.
 */
export function describeIsolation(file: keyof typeof ISOLATION_FILES): void {
  // Private URLs: the world's webhook endpoints point at a closed local port (isolation.fixtures.ts).
  const t = useTestServer({ authJwtSecret: TEST_JWT_SECRET, webhookAllowPrivateUrls: true }, { account: false });
  let world: World;
  beforeAll(async () => {
    world = await World.build(t);
  });

  const operations = ISOLATION_FILES[file].map((key) => OPERATIONS.get(key)!);
  for (const op of operations) {
    const kind = op.root === 'Query' ? 'query' : KEY_MUTATIONS.includes(op) ? 'key mutation' : 'mutation';
    describe(`isolation: ${kind} ${op.field}`, () => {
      it.each(rowsOf(op))('$title', (row) => runRow(world, op, row));
    });
  }
}
