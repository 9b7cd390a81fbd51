import { World } from './isolation.fixtures';
import { rowsOf, runRow } from './isolation.runner';
import { QUERIES } from './operations.table';

// One world for the whole file: reads change nothing, so every row can share it.
let world: World;
beforeAll(async () => {
  world = await World.build();
});
afterAll(() => world.stop());

describe.each(QUERIES.map((op) => ({ name: op.field, op })))('isolation: query $name', ({ op }) => {
  it.each(rowsOf(op))('$title', (row) => runRow(world, op, row));
});
