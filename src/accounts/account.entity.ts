import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Auth } from '../auth/auth.decorators';
import { Timestamped } from '../db/timestamps';

@Entity('accounts')
@ObjectType({ description: 'An organisation of the platform. Its keys, clients and audit log belong to it.' })
@Auth()
export class Account extends Timestamped {
  @Field(() => ID)
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Field()
  @Column({ type: 'varchar', length: 100 })
  name: string;
}
