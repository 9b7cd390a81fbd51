import { GraphQLError, ValidationRule } from 'graphql';

/**
 * An operation whose type the schema has no root for (keyward has no
 * Subscription type) is a validation error, as graphql-js 17's rule of the
 * same name makes it. graphql-js 16 validates such a document and fails only
 * while executing, with an uncoded error that would be masked and logged as
 * our fault.
 */
export const KnownOperationTypesRule: ValidationRule = (context) => ({
  OperationDefinition(node) {
    if (context.getSchema().getRootType(node.operation)) return;
    context.reportError(new GraphQLError(`The ${node.operation} operation is not supported by this server.`, { nodes: node }));
  },
});
