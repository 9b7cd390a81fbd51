import { OperationSpec } from './isolation.runner';
import { KEY_MUTATIONS } from './operations.keys';
import { OTHER_MUTATIONS } from './operations.mutations';
import { QUERIES } from './operations.queries';

/**
 * One row set per query and mutation of the schema, keyed `Query.field` /
 * `Mutation.field`. isolation.coverage.test.ts fails when the schema has an
 * operation this table lacks (or the other way round), so a new operation
 * cannot ship without being tried by every principal on every target.
 */
export const OPERATIONS: ReadonlyMap<string, OperationSpec> = new Map(
  [...QUERIES, ...KEY_MUTATIONS, ...OTHER_MUTATIONS].map((op) => [`${op.root}.${op.field}`, op]),
);

export { QUERIES, KEY_MUTATIONS, OTHER_MUTATIONS };
