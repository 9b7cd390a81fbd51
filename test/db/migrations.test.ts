import { createDataSource } from '../../src/db/data-source';
import { MIGRATIONS } from '../../src/db/migrations';
import { freshDatabase, TestDatabase } from '../support/database';
import { ENTITIES } from '../../src/services/entities';

describe('migrations', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(() => database.drop());

  it('build exactly the schema the entities describe', async () => {
    const dataSource = await createDataSource(database.url, { entities: ENTITIES });
    await dataSource.initialize();
    try {
      await dataSource.runMigrations();
      const pending = await dataSource.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });

  it('can be undone and applied again', async () => {
    const dataSource = await createDataSource(database.url, { entities: ENTITIES });
    await dataSource.initialize();
    try {
      await dataSource.runMigrations();
      for (const _ of MIGRATIONS) await dataSource.undoLastMigration();
      expect(await dataSource.createQueryRunner().hasTable('api_keys')).toBe(false);
      expect(await dataSource.runMigrations()).toHaveLength(MIGRATIONS.length);
    } finally {
      await dataSource.destroy();
    }
  });
});
