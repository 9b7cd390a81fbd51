import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

const targetIndex = () => new TableIndex({ name: 'idx_audit_events_target', columnNames: ['target_type', 'target_id', 'id'] });

/**
 * A key's (or client's) own trail, `auditEvents(filter: { targetId })`, read
 * the account's whole trail to find it: fine for a young account, a scan of
 * millions of rows for an old one. With `id` last the newest-first page is
 * read in index order.
 */
export class AuditTargetIndex1764000000045 implements MigrationInterface {
  name = 'AuditTargetIndex1764000000045';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('audit_events', targetIndex());
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('audit_events', 'idx_audit_events_target');
  }
}
