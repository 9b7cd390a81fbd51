import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableIndex } from 'typeorm';

const id: TableColumnOptions = {
  name: 'id',
  type: 'integer',
  isPrimary: true,
  isGenerated: true,
  generationStrategy: 'increment',
};
const datetime = (name: string, isNullable = false): TableColumnOptions => ({
  name,
  type: 'datetime',
  precision: 6,
  isNullable,
});
const varchar = (name: string, length: number, isNullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable,
});
const integer = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'integer', isNullable });
const kind: TableColumnOptions = { name: 'kind', type: 'enum', enum: ['ADMIN', 'CLIENT'] };
const timestamps = [datetime('created_at'), datetime('updated_at')];

/** The first schema. Portable QueryRunner API only: it runs on SQLite and MySQL/MariaDB alike. */
export class Initial1764000000000 implements MigrationInterface {
  name = 'Initial1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(new Table({ name: 'accounts', columns: [id, varchar('name', 100), ...timestamps] }));

    await queryRunner.createTable(
      new Table({
        name: 'clients',
        columns: [id, integer('account_id'), varchar('name', 100), ...timestamps],
        indices: [new TableIndex({ name: 'idx_clients_account', columnNames: ['account_id', 'id'] })],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'api_keys',
        columns: [
          id,
          integer('account_id'),
          integer('client_id', true),
          kind,
          varchar('name', 100),
          varchar('prefix', 16),
          varchar('key_hash', 64),
          varchar('previous_key_hash', 64, true),
          varchar('previous_prefix', 16, true),
          datetime('previous_key_expires_at', true),
          varchar('permissions', 255),
          { name: 'is_primary', type: 'boolean', default: 0 },
          { name: 'active', type: 'boolean', default: 1 },
          datetime('expires_at', true),
          datetime('last_used_at', true),
          varchar('last_used_ip', 45, true),
          ...timestamps,
        ],
        indices: [
          new TableIndex({ name: 'idx_api_keys_account', columnNames: ['account_id', 'id'] }),
          new TableIndex({ name: 'idx_api_keys_client', columnNames: ['client_id', 'id'] }),
          new TableIndex({ name: 'uq_api_keys_prefix', columnNames: ['prefix'], isUnique: true }),
          new TableIndex({ name: 'uq_api_keys_hash', columnNames: ['key_hash'], isUnique: true }),
          new TableIndex({ name: 'uq_api_keys_previous_hash', columnNames: ['previous_key_hash'], isUnique: true }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'revoked_keys',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true },
          integer('account_id'),
          integer('client_id', true),
          kind,
          varchar('name', 100),
          varchar('prefix', 16),
          varchar('key_hash', 64),
          varchar('previous_key_hash', 64, true),
          varchar('permissions', 255),
          datetime('created_at'),
          datetime('last_used_at', true),
          datetime('revoked_at'),
          varchar('revoked_by', 200),
          varchar('reason', 500, true),
        ],
        indices: [
          new TableIndex({ name: 'idx_revoked_keys_account', columnNames: ['account_id', 'id'] }),
          new TableIndex({ name: 'idx_revoked_keys_client', columnNames: ['client_id', 'id'] }),
          new TableIndex({ name: 'uq_revoked_keys_hash', columnNames: ['key_hash'], isUnique: true }),
          new TableIndex({ name: 'uq_revoked_keys_previous_hash', columnNames: ['previous_key_hash'], isUnique: true }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'audit_events',
        columns: [
          id,
          integer('account_id'),
          integer('client_id', true),
          varchar('actor', 200),
          varchar('action', 64),
          varchar('target_type', 32),
          varchar('target_id', 64),
          varchar('target_prefix', 16, true),
          varchar('target_name', 100, true),
          { name: 'details', type: 'text' },
          varchar('ip', 45, true),
          varchar('user_agent', 255, true),
          datetime('created_at'),
        ],
        indices: [
          new TableIndex({ name: 'idx_audit_events_account', columnNames: ['account_id', 'id'] }),
          new TableIndex({ name: 'idx_audit_events_client', columnNames: ['client_id', 'id'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['audit_events', 'revoked_keys', 'api_keys', 'clients', 'accounts']) {
      await queryRunner.dropTable(table);
    }
  }
}
