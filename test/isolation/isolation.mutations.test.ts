import { World } from './isolation.fixtures';
import { rowsOf, runRow } from './isolation.runner';
import { OTHER_MUTATIONS } from './operations.table';

// One world for the whole file: rows that change or destroy an object act on a throwaway copy of it.
let world: World;
beforeAll(async () => {
  world = await World.build();
});
afterAll(() => world.stop());

describe.each(OTHER_MUTATIONS.map((op) => ({ name: op.field, op })))('isolation: mutation $name', ({ op }) => {
  it.each(rowsOf(op))('$title', (row) => runRow(world, op, row));
});
