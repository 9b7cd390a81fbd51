import { MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm';

/**
 * Platform scopes: the operator's catalogue (platform_scopes, one row a
 * name, global) and the scopes each key holds (api_keys.scopes: sorted names
 * joined by commas, at most 50 of 129 characters, so text; NULL for a key
 * with none, which is every key so far).
 */
export class PlatformScopes1764000000031 implements MigrationInterface {
  name = 'PlatformScopes1764000000031';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'platform_scopes',
        columns: [
          { name: 'name', type: 'varchar', length: '129', isPrimary: true },
          { name: 'description', type: 'varchar', length: '500' },
          { name: 'client_assignable', type: 'boolean', default: 0 },
          { name: 'created_at', type: 'datetime', precision: 6 },
          { name: 'updated_at', type: 'datetime', precision: 6 },
        ],
      }),
    );
    await queryRunner.addColumn('api_keys', new TableColumn({ name: 'scopes', type: 'text', isNullable: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('api_keys', 'scopes');
    await queryRunner.dropTable('platform_scopes');
  }
}
