import { BeforeInsert, BeforeUpdate, Column } from 'typeorm';
import { Field, ObjectType } from 'type-graphql';
import { DATETIME } from './columns';

/**
 * createdAt/updatedAt set by the application, not by a database default:
 * default expressions differ between SQLite and MySQL, and keeping them out
 * lets one migration serve both.
 */
@ObjectType({ simpleResolvers: true })
export abstract class Timestamped {
  @Field()
  @Column({ ...DATETIME, name: 'created_at' })
  createdAt: Date;

  @Field()
  @Column({ ...DATETIME, name: 'updated_at' })
  updatedAt: Date;

  @BeforeInsert()
  protected stampCreation(): void {
    const now = new Date();
    this.createdAt ??= now;
    this.updatedAt ??= now;
  }

  @BeforeUpdate()
  protected stampUpdate(): void {
    this.updatedAt = new Date();
  }
}
