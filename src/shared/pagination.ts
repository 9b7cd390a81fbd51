import { ArgsType, ClassType, Field, Int, ObjectType } from 'type-graphql';
import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { Public } from './auth.decorators';
import { BadUserInputError } from './errors';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 50;

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, defaultValue: 50, description: `Page size, 0 to ${MAX_PAGE_SIZE}.` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  after?: string | null;
}

@ObjectType({ simpleResolvers: true })
@Public()
export class PageInfo {
  @Field()
  hasNextPage: boolean;

  @Field()
  hasPreviousPage: boolean;

  @Field(() => String, { nullable: true })
  startCursor: string | null;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

export interface Page<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: PageInfo;
  /** Counted only when the client asks for totalCount. */
  countTotal: () => Promise<number>;
}

/**
 * A Relay connection type for `node`. The wrapper types are public: they hold
 * nothing of their own, and every field that returns one declares its rule.
 */
export function ConnectionType<T extends object>(node: ClassType<T>, name = node.name) {
  @ObjectType(`${name}Edge`, { simpleResolvers: true })
  @Public()
  class Edge {
    @Field({ description: 'Opaque; pass as `after` to continue after this node.' })
    cursor: string;

    @Field(() => node)
    node: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${name} objects, newest first.`, simpleResolvers: true })
  @Public()
  class Connection {
    @Field(() => [Edge])
    edges: Edge[];

    @Field(() => PageInfo)
    pageInfo: PageInfo;

    countTotal: () => Promise<number>;

    @Field(() => Int, { description: 'How many match the filter, over all pages.' })
    totalCount(): Promise<number> {
      return this.countTotal();
    }
  }
  return Connection;
}

export function toConnection<T, C extends object>(connectionClass: ClassType<C>, page: Page<T>): C {
  return Object.assign(new connectionClass(), page) as C;
}

const CURSOR_PREFIX = 'id:';

function encodeCursor(id: number): string {
  return Buffer.from(CURSOR_PREFIX + id).toString('base64url');
}

/**
 * Only a cursor exactly as encodeCursor wrote it. Number() and the base64
 * decoder are both lenient ("id:" is 0, "id:0x10" is 16, stray characters are
 * skipped), and a mangled cursor must fail loudly, not quietly end the list.
 */
function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const digits = text.startsWith(CURSOR_PREFIX) ? text.slice(CURSOR_PREFIX.length) : '';
  const id = /^[0-9]{1,16}$/.test(digits) ? Number(digits) : NaN;
  if (!Number.isSafeInteger(id) || encodeCursor(id) !== cursor) {
    throw new BadUserInputError('after', 'after is not a cursor from this list');
  }
  return id;
}

/**
 * Keyset pagination on the integer primary key, newest (highest id) first:
 * every page is one index range scan, however deep, and rows inserted while
 * a client pages never shift what it sees.
 */
export async function paginate<T extends ObjectLiteral & { id: number }>(query: SelectQueryBuilder<T>, args: PageArgs): Promise<Page<T>> {
  const alias = query.alias;
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw new BadUserInputError('first', `first must be an integer from 0 to ${MAX_PAGE_SIZE}`);
  }
  const counter = query.clone();
  const rows = await pageQuery(query, alias, first, args.after).getMany();
  const nodes = rows.slice(0, first);
  const edges = nodes.map((node) => ({ cursor: encodeCursor(node.id), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: Boolean(args.after),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    countTotal: () => counter.getCount(),
  };
}

function pageQuery<T extends ObjectLiteral>(query: SelectQueryBuilder<T>, alias: string, first: number, after: string | null | undefined) {
  if (after) query.andWhere(`${alias}.id < :afterId`, { afterId: decodeCursor(after) });
  return query.orderBy(`${alias}.id`, 'DESC').limit(first + 1);
}
