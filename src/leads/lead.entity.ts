import { Field, ID, ObjectType } from 'type-graphql';
import { BeforeInsert, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Auth } from '../shared/auth.decorators';
import { Timestamped } from '../db/timestamps';

/**
 * A sales lead: the data partner integrations hold keys to reach. It belongs
 * to an account, and optionally to one of its clients; a client key sees only
 * its client's leads. Emails are unique per client, and the account's own
 * leads (no client) among themselves: a client key must not learn, from a
 * refused duplicate, what another client or the account holds. They are
 * stored trimmed and lower-cased, so the unique index on (account, email
 * scope, email) is what makes the rule hold even between concurrent creations.
 */
@Entity('leads')
@Index('idx_leads_account', ['accountId', 'id'])
@Index('idx_leads_client', ['clientId', 'id'])
@Index('uq_leads_client_email', ['accountId', 'emailScope', 'email'], { unique: true })
@ObjectType({ description: 'A lead of the account, or of one of its clients.', simpleResolvers: true })
@Auth()
export class Lead extends Timestamped {
  @Field(() => ID)
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'integer', name: 'account_id' })
  accountId: number;

  @Column({ type: 'integer', name: 'client_id', nullable: true })
  clientId: number | null;

  /**
   * The client an email is unique within: the lead's client, or 0 for the
   * account's own leads. Both databases let a unique index hold any number
   * of NULLs, so client_id itself cannot carry the rule for those. A lead's
   * client is fixed at creation, and so is this.
   */
  @Column({ type: 'integer', name: 'email_scope', default: 0 })
  emailScope: number;

  @Field({ description: "Lower-cased; unique within the lead's client (the account's own leads: among themselves)." })
  @Column({ type: 'varchar', length: 254 })
  email: string;

  @Field()
  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 200, nullable: true })
  company: string | null;

  @BeforeInsert()
  protected setEmailScope(): void {
    this.emailScope = this.clientId ?? 0;
  }
}
