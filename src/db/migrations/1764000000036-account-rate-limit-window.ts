import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** How an account's pools count their window (Account.rateLimitWindow); every account so far keeps FIXED. */
export class AccountRateLimitWindow1764000000036 implements MigrationInterface {
  name = 'AccountRateLimitWindow1764000000036';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'accounts',
      new TableColumn({ name: 'rate_limit_window', type: 'enum', enum: ['FIXED', 'SLIDING'], default: "'FIXED'" }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('accounts', 'rate_limit_window');
  }
}
