import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * A key's own named rate limits: at most 10 { name, limit, durationSeconds }
 * as JSON (under 1.2 KB: text). NULL for a key without, every key so far.
 * Their counts live in Redis or in memory, never here.
 */
export class KeyRateLimits1764000000033 implements MigrationInterface {
  name = 'KeyRateLimits1764000000033';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('api_keys', new TableColumn({ name: 'rate_limits', type: 'text', isNullable: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('api_keys', 'rate_limits');
  }
}
