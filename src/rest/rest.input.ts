import { validate } from 'class-validator';
import { ClassType } from 'type-graphql';
import { BadUserInputError } from '../shared/errors';
import { firstValidationProblem } from '../shared/validators';
import { parsePermission, Permission } from '../shared/permission';
import { MalformedRequestError } from './rest.errors';

export type JsonObject = Record<string, unknown>;

/**
 * The JSON object a route reads. Anything else is unreadable (400): the body
 * parser only reads `application/json`, so another content type arrives as no
 * body at all. `optional`: no body means `{}`.
 */
export function jsonObject(body: unknown, options: { optional?: boolean } = {}): JsonObject {
  if (body === undefined && options.optional) return {};
  if (body === undefined) throw new MalformedRequestError('Send a JSON object with Content-Type: application/json');
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new MalformedRequestError('The request body must be a JSON object');
  }
  return body as JsonObject;
}

/** One query-string value; an empty value counts as absent, a repeated one is refused. */
export function queryValue(query: unknown, name: string): string | undefined {
  const value = (query as JsonObject)[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new BadUserInputError(name, `${name} must be given once, as a plain value`);
  return value;
}

/** An id as a string or a JSON integer; ids that match nothing are the service's 404. */
export function optionalId(body: JsonObject, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if ((typeof value === 'string' && value.trim() !== '') || Number.isSafeInteger(value)) return String(value).trim();
  throw new BadUserInputError(field, `${field} must be an id (a string or an integer)`);
}

/** `resource:action` values from the one permission list. */
export function permissionList(body: JsonObject, field: string): Permission[] {
  const value = body[field];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new BadUserInputError(field, `${field} must be an array such as ["leads:read"]`);
  return value.map((item) => {
    const permission = typeof item === 'string' ? parsePermission(item) : undefined;
    if (!permission) throw new BadUserInputError(field, `${field} holds ${JSON.stringify(item)}, which is not a permission`);
    return permission;
  });
}

export function optionalDate(body: JsonObject, field: string): Date | null {
  const value = body[field];
  if (value === undefined || value === null) return null;
  const date = typeof value === 'string' ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) throw new BadUserInputError(field, `${field} must be an ISO 8601 date-time`);
  return date;
}

export function optionalInteger(body: JsonObject, field: string): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new BadUserInputError(field, `${field} must be an integer`);
  return value;
}

/**
 * Builds one of the GraphQL input classes and runs its class-validator
 * decorators with the options type-graphql applies to arguments, so REST and
 * GraphQL refuse the same inputs with the same words.
 */
export async function validated<T extends object>(type: ClassType<T>, values: { [K in keyof T]?: unknown }): Promise<T> {
  const input = Object.assign(new type(), values);
  const problems = await validate(input, { skipMissingProperties: true, forbidUnknownValues: false });
  if (problems.length > 0) {
    const { field, message } = firstValidationProblem(problems);
    throw new BadUserInputError(field, message);
  }
  return input;
}
