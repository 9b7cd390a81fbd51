import { World } from './isolation.fixtures';
import { rowsOf, runRow } from './isolation.runner';
import { KEY_MUTATIONS } from './operations.table';

// One world for the whole file: rows that change or destroy an object act on a throwaway copy of it.
let world: World;
beforeAll(async () => {
  world = await World.build();
});
afterAll(() => world.stop());

describe.each(KEY_MUTATIONS.map((op) => ({ name: op.field, op })))('isolation: key mutation $name', ({ op }) => {
  it.each(rowsOf(op))('$title', (row) => runRow(world, op, row));
});
