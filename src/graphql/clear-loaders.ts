import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { defaultFieldResolver, GraphQLSchema } from 'graphql';
import { clearLoaders, RequestContext } from './context';

/**
 * Mutations run one after another; whatever a loader cached before one may
 * be stale after it, so each Mutation field starts the request's loaders
 * afresh once it has resolved.
 *
 * A schema transform on the Mutation type only, not a type-graphql global
 * middleware: a global middleware wraps every field of every type in an async
 * chain, and would put that cost on each field of each query.
 */
export function clearLoadersAfterMutations(schema: GraphQLSchema): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.MUTATION_ROOT_FIELD]: (field) => {
      const resolve = field.resolve ?? defaultFieldResolver;
      return {
        ...field,
        async resolve(source, args, context: RequestContext, info) {
          const result = await resolve(source, args, context, info);
          clearLoaders(context);
          return result;
        },
      };
    },
  });
}
