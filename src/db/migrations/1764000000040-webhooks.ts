import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

const EXPIRY_INDEX = 'idx_api_keys_expires_at';

const datetime = (name: string, isNullable = false) => ({ name, type: 'datetime', precision: 6, isNullable });

/**
 * Webhooks: the account's endpoints, the outbox of events, one delivery per
 * event and endpoint (with its lease), and the expiry notices each key has had.
 */
export class Webhooks1764000000040 implements MigrationInterface {
  name = 'Webhooks1764000000040';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'webhook_endpoints',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'account_id', type: 'integer' },
          { name: 'url', type: 'varchar', length: '2048' },
          { name: 'events', type: 'varchar', length: '1000' },
          { name: 'description', type: 'varchar', length: '500', isNullable: true },
          { name: 'status', type: 'varchar', length: '16', default: "'ACTIVE'" },
          { name: 'secret', type: 'varchar', length: '64' },
          { name: 'previous_secret', type: 'varchar', length: '64', isNullable: true },
          datetime('previous_secret_expires_at', true),
          datetime('created_at'),
          datetime('updated_at'),
        ],
        indices: [new TableIndex({ name: 'idx_webhook_endpoints_account', columnNames: ['account_id', 'id'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'webhook_events',
        columns: [
          { name: 'id', type: 'varchar', length: '32', isPrimary: true },
          { name: 'account_id', type: 'integer' },
          { name: 'type', type: 'varchar', length: '64' },
          { name: 'body', type: 'text' },
          datetime('created_at'),
        ],
        indices: [new TableIndex({ name: 'idx_webhook_events_account', columnNames: ['account_id', 'created_at'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'webhook_deliveries',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'event_id', type: 'varchar', length: '32' },
          { name: 'endpoint_id', type: 'integer' },
          { name: 'account_id', type: 'integer' },
          { name: 'event_type', type: 'varchar', length: '64' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'attempts', type: 'integer', default: 0 },
          datetime('next_attempt_at'),
          { name: 'last_response_code', type: 'integer', isNullable: true },
          datetime('last_attempt_at', true),
          { name: 'last_error', type: 'varchar', length: '500', isNullable: true },
          { name: 'lease_owner', type: 'varchar', length: '64', isNullable: true },
          datetime('lease_until', true),
          datetime('created_at'),
        ],
        indices: [
          new TableIndex({ name: 'idx_webhook_deliveries_due', columnNames: ['status', 'next_attempt_at'] }),
          new TableIndex({ name: 'idx_webhook_deliveries_endpoint', columnNames: ['endpoint_id', 'id'] }),
          // The retention's "is any delivery still naming this event".
          new TableIndex({ name: 'idx_webhook_deliveries_event', columnNames: ['event_id'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'webhook_key_notices',
        columns: [
          { name: 'key_id', type: 'integer', isPrimary: true },
          { ...datetime('expires_at'), isPrimary: true },
          { name: 'stage', type: 'integer' },
        ],
      }),
    );
    // The expiry scan's range, every minute on every instance.
    await queryRunner.createIndex('api_keys', new TableIndex({ name: EXPIRY_INDEX, columnNames: ['expires_at'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('api_keys', EXPIRY_INDEX);
    await queryRunner.dropTable('webhook_key_notices');
    await queryRunner.dropTable('webhook_deliveries');
    await queryRunner.dropTable('webhook_events');
    await queryRunner.dropTable('webhook_endpoints');
  }
}
