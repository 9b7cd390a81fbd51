import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** What an account's reported-leaked keys get (Account.leakResponse); every account so far gets the default, DEACTIVATE. */
export class LeakResponse1764000000041 implements MigrationInterface {
  name = 'LeakResponse1764000000041';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'accounts',
      new TableColumn({ name: 'leak_response', type: 'enum', enum: ['DEACTIVATE', 'REVOKE', 'NOTIFY'], default: "'DEACTIVATE'" }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('accounts', 'leak_response');
  }
}
