import { expectDenied, GraphQLResponse } from '../support/graphql';
import { ObjectRecord, World } from './isolation.fixtures';
import { describeExpected, Expected, gate, PRINCIPALS, PrincipalSpec, Rule, TargetSpec } from './isolation.model';

/** An id no object has: what "does not exist at all" looks like. */
export const MISSING_ID = '987654321';

export interface RowContext {
  world: World;
  p: PrincipalSpec;
  target: TargetSpec;
  variant: string;
  /** What the row acted on: the world's object, or a throwaway copy of it when the row is expected to change it. */
  object: ObjectRecord | null;
  /** The value the request named the target by (an id, a key, a filter value). */
  value: string | null;
  res: GraphQLResponse;
  /** Objects the operation made; discarded after the row, so the key limits never fill up. */
  made: ObjectRecord[];
}

/** One query or mutation of the schema and everything the matrix needs to try it. */
export interface OperationSpec {
  root: 'Query' | 'Mutation';
  field: string;
  /** The rule the schema must declare for the field (checked against the built schema). */
  rule: Rule;
  targets: readonly TargetSpec[];
  /** Which of the world's objects a target's ref names. */
  objects?: 'keys' | 'clients' | 'leads' | 'accounts' | 'webhooks' | 'deliveries';
  /** How the request names an object; the id unless said otherwise. */
  nameOf?: (object: ObjectRecord) => string;
  /** How the request names something that does not exist. */
  missingValue?: (world: World) => string;
  /** Further requests per principal and target, e.g. asking for permissions within or beyond the caller's. */
  variants?: (p: PrincipalSpec, target: TargetSpec) => string[];
  /** What a caller that passes the field's rule must get. */
  expect(p: PrincipalSpec, target: TargetSpec, variant: string): Expected;
  document: string;
  variables(world: World, p: PrincipalSpec, target: TargetSpec, variant: string, value: string | null): Record<string, unknown>;
  /** A fresh copy of the target for a row that is expected to change or destroy it; null to act on the target itself. */
  throwaway?(world: World, target: TargetSpec): Promise<ObjectRecord | null>;
  verify(ctx: RowContext): void | Promise<void>;
  /** How "as if nothing were there" looks for this field; by default null or an empty connection. */
  hidden?(res: GraphQLResponse): void;
}

export interface Row {
  title: string;
  principal: PrincipalSpec;
  target: TargetSpec;
  variant: string;
  expected: Expected;
}

/** Every principal against every target (and variant) of an operation, with what each must answer. */
export function rowsOf(op: OperationSpec): Row[] {
  return PRINCIPALS.flatMap((principal) =>
    op.targets.flatMap((target) =>
      (op.variants?.(principal, target) ?? ['']).map((variant) => {
        const expected = gate(principal, op.rule) ?? op.expect(principal, target, variant);
        const aim = `${target.label}${variant ? ` (${variant})` : ''}`;
        return { title: `as ${principal.name} on ${aim}: ${describeExpected(expected)}`, principal, target, variant, expected };
      }),
    ),
  );
}

export function expectHidden(res: GraphQLResponse, field: string): void {
  expect(res.errors).toBeUndefined();
  const answer = res.data[field];
  if (answer !== null) expect({ edges: answer.edges, totalCount: answer.totalCount }).toEqual({ edges: [], totalCount: 0 });
}

/** Nothing of a scope the caller may not reach: no marker of its names, emails or users, no prefix of its keys. */
export function expectNothingForeign(world: World, p: PrincipalSpec, res: GraphQLResponse): void {
  const body = JSON.stringify({ data: res.data, errors: res.errors });
  const leaked = world.foreignTo(p).filter(({ text }) => body.includes(text));
  expect(leaked).toEqual([]);
}

const twins = new WeakMap<World, Map<string, GraphQLResponse>>();

/** The same request aimed at nothing; cached, since many rows of a principal share it. */
async function askForNothing(world: World, p: PrincipalSpec, document: string, variables: Record<string, unknown>) {
  const cache = twins.get(world) ?? new Map<string, GraphQLResponse>();
  twins.set(world, cache);
  const key = `${p.name} ${document} ${JSON.stringify(variables)}`;
  if (!cache.has(key)) cache.set(key, await world.call(p.name, document, variables));
  return cache.get(key)!;
}

/** The parts of an answer a caller can read, with the value it named the target by blanked out. */
function comparable(res: GraphQLResponse, value: string) {
  const pattern = new RegExp(`(?<![\\w-])${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`, 'g');
  return {
    status: res.status,
    data: res.data,
    errors: res.errors?.map((e) => ({ ...e, message: e.message.replace(pattern, '<target>') })),
  };
}

export async function runRow(world: World, op: OperationSpec, row: Row): Promise<void> {
  const { principal: p, target, variant, expected } = row;
  const ref = target.self ? p.name : target.ref;
  const fixture = ref && op.objects ? ((world[op.objects] as Map<string, ObjectRecord>).get(ref) ?? null) : null;
  if (target.ref && op.objects && !fixture) throw new Error(`the world has no ${op.objects} ${target.ref}`);
  const throwaway = expected.kind === 'ok' && fixture && op.throwaway ? await op.throwaway(world, target) : null;
  const object = throwaway ?? fixture;
  const missing = op.missingValue?.(world) ?? MISSING_ID;
  const nothing = target.missing || (target.self && !object);
  const value = target.literal ?? (nothing ? missing : object ? (op.nameOf?.(object) ?? object.id) : null);
  const made: ObjectRecord[] = [];
  try {
    const res = await world.call(p.name, op.document, op.variables(world, p, target, variant, value));
    expectNothingForeign(world, p, res);
    if (expected.kind === 'ok') {
      await op.verify({ world, p, target, variant, object, value, res, made });
      if (fixture && !throwaway && op.root === 'Mutation') await world.snapshot(fixture);
    } else if (expected.kind === 'hidden') {
      (op.hidden ?? ((r) => expectHidden(r, op.field)))(res);
    } else {
      expectDenied(res, expected.code, op.field);
      // A gate refusal happens before any resolver runs; past the gate, prove the service changed nothing.
      if (fixture && op.root === 'Mutation' && expected.cause !== 'gate') await world.expectUnchanged(fixture);
    }
    // Out of reach must read exactly like not there at all: same status, data, codes and words.
    const outOfReach = expected.kind === 'hidden' || (expected.kind === 'denied' && expected.cause !== 'rule');
    if (outOfReach && fixture && value !== null) {
      const twin = await askForNothing(world, p, op.document, op.variables(world, p, target, variant, missing));
      expect(comparable(res, value)).toEqual(comparable(twin, missing));
    }
  } finally {
    for (const leftover of [...made, ...(throwaway ? [throwaway] : [])]) await world.discard(leftover);
  }
}
