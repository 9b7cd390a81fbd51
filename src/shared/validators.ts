import { registerDecorator, ValidationError, ValidationOptions } from 'class-validator';
import { BadUserInputError } from './errors';
import { hasControlCharacters, hasFormatCharacters } from './text';

export const NAME_MAX_LENGTH = 100;

/**
 * The shape every name obeys: 1–100 characters after trimming and NFC
 * normalisation, no control characters, and no invisible format characters
 * (a bidi override would make `txt.exe` read as `exe.txt` in a key list).
 */
export function nameProblem(value: unknown): string | null {
  if (typeof value !== 'string') return 'must be a string';
  return textProblem(value.trim().normalize('NFC'), NAME_MAX_LENGTH) ?? null;
}

function textProblem(text: string, maxLength: number): string | null {
  if (text.length === 0) return 'must not be empty';
  if ([...text].length > maxLength) return `must be at most ${maxLength} characters`;
  if (hasControlCharacters(text)) return 'must not contain control characters';
  if (hasFormatCharacters(text)) return 'must not contain invisible formatting characters (bidi overrides, zero-width characters)';
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
  return value.trim().normalize('NFC');
}

export function normalizeOptionalText(value: string | null | undefined, field: string, maxLength: number): string | null {
  const text = value?.trim().normalize('NFC') ?? '';
  if (text === '') return null;
  const problem = textProblem(text, maxLength);
  if (problem) throw new BadUserInputError(field, `${field} ${problem}`);
  return text;
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
