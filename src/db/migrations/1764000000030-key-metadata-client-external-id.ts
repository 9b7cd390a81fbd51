import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';

const externalIdIndex = () =>
  new TableIndex({ name: 'uq_clients_external_id', columnNames: ['account_id', 'external_id'], isUnique: true });

/**
 * Keys carry the platform's own data (`metadata`, JSON as text), and clients
 * the platform's own id for that customer (`external_id`), unique within the
 * account. NULLs do not clash in a unique index on either database, so
 * clients without one need nothing else. External ids compare without case
 * (they are ASCII): MariaDB's default collation already does; SQLite's
 * column gets NOCASE, so its unique index and lookups do the same.
 */
export class KeyMetadataClientExternalId1764000000030 implements MigrationInterface {
  name = 'KeyMetadataClientExternalId1764000000030';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('api_keys', new TableColumn({ name: 'metadata', type: 'text', isNullable: true }));
    const sqlite = queryRunner.connection.options.type === 'better-sqlite3';
    await queryRunner.addColumn(
      'clients',
      new TableColumn({
        name: 'external_id',
        type: 'varchar',
        length: '128',
        isNullable: true,
        ...(sqlite ? { collation: 'NOCASE' } : {}),
      }),
    );
    await queryRunner.createIndex('clients', externalIdIndex());
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('clients', 'uq_clients_external_id');
    await queryRunner.dropColumn('clients', 'external_id');
    await queryRunner.dropColumn('api_keys', 'metadata');
  }
}
