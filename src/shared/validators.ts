import { registerDecorator, ValidationError, ValidationOptions } from 'class-validator';
import { BadUserInputError } from './errors';
import { hasControlCharacters } from './text';

export const NAME_MAX_LENGTH = 100;

/** The shape every name obeys: 1–100 characters after trimming, no control characters. */
export function nameProblem(value: unknown): string | null {
  if (typeof value !== 'string') return 'must be a string';
  const trimmed = value.trim();
  if (trimmed.length === 0) return 'must not be empty';
  if ([...trimmed].length > NAME_MAX_LENGTH) return `must be at most ${NAME_MAX_LENGTH} characters`;
  if (hasControlCharacters(trimmed)) return 'must not contain control characters';
  return null;
}

export function IsName(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isName',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: (value: unknown) => nameProblem(value) === null,
        defaultMessage: (args) => `${args?.property} ${nameProblem(args?.value)}`,
      },
    });
  };
}

/**
 * Trims and checks a name in the service, for names that arrive as plain
 * arguments (class-validator sees only input objects) and as a second guard
 * for those that arrive in inputs.
 */
export function normalizeName(value: string, field = 'name'): string {
  const problem = nameProblem(value);
  if (problem) throw new BadUserInputError(field, `${field} ${problem}`);
  return value.trim();
}

export function normalizeOptionalText(value: string | null | undefined, field: string, maxLength: number): string | null {
  const trimmed = value?.trim() ?? '';
  if (trimmed === '') return null;
  if ([...trimmed].length > maxLength) throw new BadUserInputError(field, `${field} must be at most ${maxLength} characters`);
  if (hasControlCharacters(trimmed)) throw new BadUserInputError(field, `${field} must not contain control characters`);
  return trimmed;
}

/**
 * The first thing class-validator found wrong, as the client is told it:
 * the field's path (`input.name`) and a sentence that names it. GraphQL's
 * BAD_USER_INPUT and REST's 422 both say it this way.
 */
export function firstValidationProblem(errors: readonly ValidationError[], parent = ''): { field: string; message: string } {
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) {
      const message = Object.values(error.constraints)[0];
      return { field, message: message.startsWith(error.property) ? message : `${field}: ${message}` };
    }
    if (error.children?.length) return firstValidationProblem(error.children, field);
  }
  return { field: parent || 'input', message: 'Invalid input' };
}
