import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Auth } from '../shared/auth.decorators';
import { Timestamped } from '../db/timestamps';

@Entity('clients')
@Index('idx_clients_account', ['accountId', 'id'])
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
}
