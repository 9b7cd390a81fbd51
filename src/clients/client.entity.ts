import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Auth } from '../shared/auth.decorators';
import { Timestamped } from '../db/timestamps';

@Entity('clients')
@Index('idx_clients_account', ['accountId', 'id'])
@Index('uq_clients_external_id', ['accountId', 'externalId'], { unique: true })
@ObjectType({ description: "A client sub-account of an account. Client keys act on their client's data only.", simpleResolvers: true })
@Auth()
export class Client extends Timestamped {
  @Field(() => ID)
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'integer', name: 'account_id' })
  accountId: number;

  @Field()
  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Field(() => String, {
    nullable: true,
    description:
      "The platform's own id for this customer: unique within the account (compared without case), 1–128 printable ASCII characters; null: none.",
  })
  @Column({ type: 'varchar', length: 128, name: 'external_id', nullable: true })
  externalId: string | null;
}
