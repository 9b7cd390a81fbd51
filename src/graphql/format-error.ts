import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import { ValidationError } from 'class-validator';
import { ErrorCode, KeywardError } from '../shared/errors';
import { firstValidationProblem } from '../shared/validators';
import { Logger } from '../logging/logger';

/** Codes Apollo and graphql-js produce for a request that is wrong, not for a fault of ours. */
const CLIENT_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * Request errors Apollo raises without a code (and answers 400): the codes
 * they get here, so a client can tell them apart and they are not logged as
 * faults. Apollo Client's persisted-query link stops sending hashes on
 * PERSISTED_QUERY_NOT_SUPPORTED, which is what an unknown version calls for.
 */
const UNCODED_APOLLO_ERRORS: ReadonlyMap<string, string> = new Map([
  ['provided sha does not match query', 'BAD_REQUEST'],
  ['Unsupported persisted query version', 'PERSISTED_QUERY_NOT_SUPPORTED'],
]);

/**
 * Every error leaves through here: our own errors keep their code and message;
 * validation failures become BAD_USER_INPUT naming the field; anything else is
 * logged in full and reaches the client only as "Internal server error".
 */
export function createErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof KeywardError) {
      return { message: original.message, locations: formatted.locations, path: formatted.path, extensions: original.extensions };
    }
    if (original instanceof ArgumentValidationError) {
      const { field, message } = firstValidationProblem(original.extensions.validationErrors as ValidationError[]);
      return {
        message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: ErrorCode.BAD_USER_INPUT, field },
      };
    }
    // Apollo has already filled in INTERNAL_SERVER_ERROR for an error raised without a code.
    const uncoded = original instanceof GraphQLError && original.extensions.code === undefined;
    const code = (uncoded && UNCODED_APOLLO_ERRORS.get(original.message)) || formatted.extensions?.code;
    if (typeof code === 'string' && CLIENT_ERROR_CODES.has(code)) {
      return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code } };
    }
    logger.error({ err: original, path: formatted.path }, 'unexpected error in GraphQL request');
    return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}
