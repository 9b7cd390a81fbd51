import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** Marks the keys createPlaygroundKey makes: they draw on an allowance of their own, not the account's 25. */
export class PlaygroundKeys1764000000010 implements MigrationInterface {
  name = 'PlaygroundKeys1764000000010';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('api_keys', new TableColumn({ name: 'is_playground', type: 'boolean', default: 0 }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('api_keys', 'is_playground');
  }
}
