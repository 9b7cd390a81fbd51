import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/**
 * Usage analytics: per key, hour and outcome, how many uses. The primary key
 * (key, hour, outcome) is what the write-behind upsert adds to; the account
 * and client indexes serve their sums over a time range, and the one on the
 * hour alone serves pruning past USAGE_RETENTION_DAYS.
 */
export class UsageBuckets1764000000035 implements MigrationInterface {
  name = 'UsageBuckets1764000000035';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'usage_buckets',
        columns: [
          { name: 'key_id', type: 'integer', isPrimary: true },
          { name: 'bucket_start', type: 'datetime', precision: 6, isPrimary: true },
          {
            name: 'outcome',
            type: 'enum',
            isPrimary: true,
            enum: [
              'VALID',
              'RATE_LIMITED',
              'USAGE_EXCEEDED',
              'IP_NOT_ALLOWED',
              'INSUFFICIENT_SCOPE',
              'INACTIVE',
              'EXPIRED',
              'REVOKED',
              'DEVELOPER_API_DISABLED',
            ],
          },
          { name: 'account_id', type: 'integer' },
          { name: 'client_id', type: 'integer', isNullable: true },
          { name: 'count', type: 'integer' },
        ],
        indices: [
          new TableIndex({ name: 'idx_usage_buckets_account', columnNames: ['account_id', 'bucket_start'] }),
          new TableIndex({ name: 'idx_usage_buckets_client', columnNames: ['client_id', 'bucket_start'] }),
          new TableIndex({ name: 'idx_usage_buckets_start', columnNames: ['bucket_start'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('usage_buckets');
  }
}
