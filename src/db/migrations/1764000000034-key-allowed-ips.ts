import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * A key's allowedIps: its normalised addresses and CIDR ranges joined by
 * commas (at most 100 of them, about 4.4 KB at the longest: text, not
 * varchar). NULL for a key without a list, which is every key so far.
 */
export class KeyAllowedIps1764000000034 implements MigrationInterface {
  name = 'KeyAllowedIps1764000000034';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('api_keys', new TableColumn({ name: 'allowed_ips', type: 'text', isNullable: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('api_keys', 'allowed_ips');
  }
}
