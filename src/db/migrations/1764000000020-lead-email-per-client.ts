import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';

const oldIndex = () => new TableIndex({ name: 'uq_leads_account_email', columnNames: ['account_id', 'email'], isUnique: true });
const newIndex = () =>
  new TableIndex({ name: 'uq_leads_client_email', columnNames: ['account_id', 'email_scope', 'email'], isUnique: true });

/**
 * Lead emails unique per client, and the account's own leads among
 * themselves, instead of per account: a refused duplicate told a client key
 * that the email existed in another client. `email_scope` is the lead's
 * client id, or 0 for account-level leads, because a unique index would let
 * any number of NULL client ids share an email.
 */
export class LeadEmailPerClient1764000000020 implements MigrationInterface {
  name = 'LeadEmailPerClient1764000000020';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('leads', new TableColumn({ name: 'email_scope', type: 'integer', default: 0 }));
    // Plain SQL that both dialects read alike: a migration must not go through the entities, which move on after it.
    await queryRunner.query('UPDATE leads SET email_scope = client_id WHERE client_id IS NOT NULL');
    await queryRunner.dropIndex('leads', 'uq_leads_account_email');
    await queryRunner.createIndex('leads', newIndex());
  }

  /** Fails while an email is used by two leads of one account: choose which to keep first. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('leads', 'uq_leads_client_email');
    await queryRunner.createIndex('leads', oldIndex());
    await queryRunner.dropColumn('leads', 'email_scope');
  }
}
