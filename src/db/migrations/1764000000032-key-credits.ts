import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * A key's usage credits: what is left (NULL: unlimited, every key so far),
 * its refill (amount and interval, both NULL: none) and when remaining was
 * last set whole. Counting itself happens in Redis or in memory and is
 * written behind to `remaining` (src/credits/credit-writer.ts).
 */
export class KeyCredits1764000000032 implements MigrationInterface {
  name = 'KeyCredits1764000000032';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('api_keys', [
      new TableColumn({ name: 'remaining', type: 'integer', isNullable: true }),
      new TableColumn({ name: 'refill_amount', type: 'integer', isNullable: true }),
      new TableColumn({ name: 'refill_interval', type: 'enum', enum: ['DAILY', 'MONTHLY'], isNullable: true }),
      new TableColumn({ name: 'last_refill_at', type: 'datetime', precision: 6, isNullable: true }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of ['last_refill_at', 'refill_interval', 'refill_amount', 'remaining']) await queryRunner.dropColumn('api_keys', name);
  }
}
