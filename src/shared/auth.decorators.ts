import { Directive } from 'type-graphql';
import { Permission } from './permission';

/**
 * Declares who may resolve a field (or, on a type, every field of it that does
 * not declare its own rule). The directive is both the documentation — it is
 * printed in schema/schema.graphql and the explorer — and the enforcement:
 * `enforceAuthDirectives` wraps every resolver according to it, so a field
 * cannot show one rule and apply another.
 *
 * - `@Auth()`: any authenticated caller (operator, key, dashboard user).
 * - `@Auth(Permission.KEYS_READ)`: a caller holding that permission.
 * - `@Auth('operator')`: the platform operator only.
 * - `@Auth(Permission.KEYS_VERIFY, { orOperator: true })`: a caller holding
 *   that permission, or the platform operator.
 */
export function Auth(
  requirement?: Permission | 'operator',
  options: { orOperator?: boolean } = {},
): ClassDecorator & MethodDecorator & PropertyDecorator {
  return Directive(authDirectiveSdl(requirement, options.orOperator === true)) as ClassDecorator & MethodDecorator & PropertyDecorator;
}

/** Marks a field (or every field of a type) as readable without credentials. */
export function Public(): ClassDecorator & MethodDecorator & PropertyDecorator {
  return Directive('@public') as ClassDecorator & MethodDecorator & PropertyDecorator;
}

function authDirectiveSdl(requirement: Permission | 'operator' | undefined, orOperator: boolean): string {
  if (requirement === undefined) return '@auth';
  if (requirement === 'operator') return '@auth(operator: true)';
  const name = (Object.keys(Permission) as Array<keyof typeof Permission>).find((key) => Permission[key] === requirement);
  return orOperator ? `@auth(requires: ${name}, operator: true)` : `@auth(requires: ${name})`;
}
