import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Auth } from '../shared/auth.decorators';
import { Timestamped } from '../db/timestamps';

/**
 * A sales lead: the data partner integrations hold keys to reach. It belongs
 * to an account, and optionally to one of its clients; a client key sees only
 * its client's leads. Emails are stored trimmed and lower-cased, so the unique
 * index on (account, email) is what makes "one lead per email" hold even
 * between concurrent creations.
 */
@Entity('leads')
@Index('idx_leads_account', ['accountId', 'id'])
@Index('idx_leads_client', ['clientId', 'id'])
@Index('uq_leads_account_email', ['accountId', 'email'], { unique: true })
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

  @Field({ description: 'Lower-cased; unique within the account.' })
  @Column({ type: 'varchar', length: 254 })
  email: string;

  @Field()
  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 200, nullable: true })
  company: string | null;
}
