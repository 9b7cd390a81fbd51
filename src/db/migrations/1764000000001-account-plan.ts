import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** The operator's controls on an account: its plan's rate limit and the Developer API flag. */
export class AccountPlan1764000000001 implements MigrationInterface {
  name = 'AccountPlan1764000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('accounts', [
      new TableColumn({ name: 'rate_limit_per_minute', type: 'integer', default: 1000 }),
      new TableColumn({ name: 'developer_api_enabled', type: 'boolean', default: 1 }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('accounts', 'developer_api_enabled');
    await queryRunner.dropColumn('accounts', 'rate_limit_per_minute');
  }
}
