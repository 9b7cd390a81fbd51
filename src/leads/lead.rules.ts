import { isEmail, registerDecorator, ValidationOptions } from 'class-validator';
import { BadUserInputError } from '../shared/errors';

/** RFC 5321's limit on a forward path, and the column's length. */
export const EMAIL_MAX_LENGTH = 254;
export const COMPANY_MAX_LENGTH = 200;

/**
 * Surrounding whitespace is forgiven (pasted addresses carry it); the rest is
 * class-validator's isEmail. Lengths count characters, as MySQL's varchar does.
 */
export function emailProblem(value: unknown): string | null {
  if (typeof value !== 'string') return 'must be a string';
  const trimmed = value.trim();
  if (trimmed.length === 0) return 'must not be empty';
  if ([...trimmed].length > EMAIL_MAX_LENGTH) return `must be at most ${EMAIL_MAX_LENGTH} characters`;
  if (!isEmail(trimmed)) return 'must be an email address';
  return null;
}

export function IsLeadEmail(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isLeadEmail',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: (value: unknown) => emailProblem(value) === null,
        defaultMessage: (args) => `${args?.property} ${emailProblem(args?.value)}`,
      },
    });
  };
}

/**
 * The stored form: trimmed and lower-cased, so that Ada@Example.com and
 * ada@example.com are one lead on SQLite as on MySQL. Checked again here
 * because services are also called from outside GraphQL.
 */
export function normalizeEmail(value: string): string {
  const problem = emailProblem(value);
  if (problem) throw new BadUserInputError('email', `email ${problem}`);
  return value.trim().toLowerCase();
}
