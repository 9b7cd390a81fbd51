import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/** Leads, one email per account (the unique index is what holds it under concurrent creation). */
export class Leads1764000000002 implements MigrationInterface {
  name = 'Leads1764000000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'leads',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'account_id', type: 'integer' },
          { name: 'client_id', type: 'integer', isNullable: true },
          { name: 'email', type: 'varchar', length: '254' },
          { name: 'name', type: 'varchar', length: '100' },
          { name: 'company', type: 'varchar', length: '200', isNullable: true },
          { name: 'created_at', type: 'datetime', precision: 6 },
          { name: 'updated_at', type: 'datetime', precision: 6 },
        ],
        indices: [
          new TableIndex({ name: 'idx_leads_account', columnNames: ['account_id', 'id'] }),
          new TableIndex({ name: 'idx_leads_client', columnNames: ['client_id', 'id'] }),
          new TableIndex({ name: 'uq_leads_account_email', columnNames: ['account_id', 'email'], isUnique: true }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('leads');
  }
}
