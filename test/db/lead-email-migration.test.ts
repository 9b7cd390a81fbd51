import { DataSource } from 'typeorm';
import { createDataSource } from '../../src/db/data-source';
import { MIGRATIONS } from '../../src/db/migrations';
import { LeadEmailPerClient1764000000020 } from '../../src/db/migrations/1764000000020-lead-email-per-client';
import { ENTITIES } from '../../src/services/entities';
import { freshDatabase, TestDatabase } from '../support/database';

/** The move from one email per account to one per client keeps the leads a database already has, in their scopes. */
describe('migration to lead emails per client', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await freshDatabase();
    dataSource = await createDataSource(database.url, { entities: ENTITIES });
    await dataSource.initialize();
  });
  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  /** A lead row as the old schema had it, or, with `scope`, as the server writes it now. */
  function insert(clientId: number | null, email: string, scope?: number) {
    const columns = [
      'account_id',
      'client_id',
      'email',
      'name',
      'created_at',
      'updated_at',
      ...(scope === undefined ? [] : ['email_scope']),
    ];
    const values = [1, clientId, email, 'Lead', '2026-12-01 00:00:00', '2026-12-01 00:00:00', ...(scope === undefined ? [] : [scope])];
    return dataSource.query(`INSERT INTO leads (${columns.join(', ')}) VALUES (${values.map(() => '?').join(', ')})`, values);
  }

  it("gives existing leads their client's scope, so an email is then taken only within it", async () => {
    await dataSource.runMigrations();
    // Back to just before this migration, with leads made under one email per account.
    const later = MIGRATIONS.length - MIGRATIONS.indexOf(LeadEmailPerClient1764000000020);
    for (let i = 0; i < later; i++) await dataSource.undoLastMigration();
    await insert(null, 'ada@example.com');
    await insert(7, 'grace@example.com');
    await insert(8, 'linus@example.com');

    await dataSource.runMigrations();
    const rows = await dataSource.query('SELECT client_id, email, email_scope FROM leads ORDER BY id');
    expect(rows.map((r: Record<string, unknown>) => [r.client_id, r.email, Number(r.email_scope)])).toEqual([
      [null, 'ada@example.com', 0],
      [7, 'grace@example.com', 7],
      [8, 'linus@example.com', 8],
    ]);
    await expect(insert(7, 'grace@example.com', 7)).rejects.toThrow();
    await insert(8, 'grace@example.com', 8);
    await insert(null, 'grace@example.com', 0);
  });
});
