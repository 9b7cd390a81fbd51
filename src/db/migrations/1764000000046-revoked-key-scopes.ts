import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * A revoked key keeps the platform scopes it held, beside its permissions:
 * the record says what the key could do. Stored as api_keys.scopes is
 * (sorted names joined by commas, NULL for none); keys revoked before this
 * column read as holding none, which is what they were shown with.
 */
export class RevokedKeyScopes1764000000046 implements MigrationInterface {
  name = 'RevokedKeyScopes1764000000046';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('revoked_keys', new TableColumn({ name: 'scopes', type: 'text', isNullable: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('revoked_keys', 'scopes');
  }
}
