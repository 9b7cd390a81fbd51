import { BaseContext } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { DocumentNode, GraphQLError, GraphQLSchema, ValidationContext } from 'graphql';
import { ComplexityEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { RequestHooks } from './request-hooks';

/**
 * What one GraphQL document may ask for, checked before anything runs; each
 * limit refuses with its own message and code GRAPHQL_VALIDATION_FAILED (the
 * token limit: GRAPHQL_PARSE_FAILED). Bodies over MAX_BODY_BYTES are refused
 * before parsing (app.ts).
 *
 * - depth 10: the deepest useful path (`clients → edges → node → apiKeys →
 *   client → …`) is 6; the schema's cycles (client ↔ keys) make more pointless.
 * - aliases 20: aliases exist to ask for one field twice, not a hundred times
 *   (each aliased root field also costs a rate-limit point).
 * - directives 50.
 * - tokens 1000: bounds the parser's work; the explorer's introspection query
 *   has under 200. graphql-js's own parser option: Armor's token plugin
 *   re-parses in a hook where a plain syntax error becomes a 500.
 * - complexity 50,000: every field costs 1, and a list multiplies what it
 *   holds by its size (`first`, variables and defaults included, or the
 *   list's known bound), so the cost tracks the rows an answer can hold. A
 *   page of 100 clients each with all 25 of its keys costs about 36,000;
 *   nesting keys → client → keys again multiplies past the limit. Armor's own
 *   cost rule reads `first` only when it is a literal, so it is off.
 *
 * Field suggestions ("Did you mean …?") stay on: introspection is public
 * here, so hiding them would hide nothing.
 */
export const ABUSE_LIMITS = {
  maxDepth: 10,
  maxAliases: 20,
  maxDirectives: 50,
  maxTokens: 1000,
  maxComplexity: 50_000,
} as const;

/** Lists without a `first` argument, and the most they can hold. */
const LIST_BOUNDS: Record<string, number> = {
  'Client.apiKeys': 25, // the per-client key limit
};

/**
 * Armor words each refusal "Syntax Error: …", though the document parsed
 * fine and only broke a limit: report it as the validation error it is,
 * without that prefix (GraphQL's own code, GRAPHQL_VALIDATION_FAILED, follows).
 */
const AS_VALIDATION_ERROR = {
  propagateOnRejection: false,
  onReject: [
    (context: ValidationContext | null, error: GraphQLError) =>
      context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ''))),
  ],
};

export function abuseLimits() {
  const { plugins, validationRules } = new ApolloArmor({
    blockFieldSuggestion: { enabled: false },
    costLimit: { enabled: false },
    maxTokens: { enabled: false },
    maxDepth: { n: ABUSE_LIMITS.maxDepth, flattenFragments: true, ...AS_VALIDATION_ERROR },
    maxAliases: { n: ABUSE_LIMITS.maxAliases, ...AS_VALIDATION_ERROR },
    maxDirectives: { n: ABUSE_LIMITS.maxDirectives, ...AS_VALIDATION_ERROR },
  }).protect();
  return {
    plugins,
    /** For requestHooksPlugin, first: an operation refused here runs nothing and is not charged. */
    hooks: complexityLimitHooks(ABUSE_LIMITS.maxComplexity),
    validationRules,
    parseOptions: { maxTokens: ABUSE_LIMITS.maxTokens },
  };
}

const listEstimator: ComplexityEstimator = ({ args, childComplexity, type, field }) => {
  const size = typeof args.first === 'number' ? Math.max(args.first, 1) : LIST_BOUNDS[`${type.name}.${field.name}`];
  return size === undefined ? undefined : 1 + childComplexity * size;
};

const ESTIMATORS = [listEstimator, simpleEstimator({ defaultComplexity: 1 })];

/**
 * Variable sets remembered per document, and the longest remembered:
 * clients send the same few small ones, and neither a flood of others nor
 * large payloads can make the memo grow past 32 kB per document.
 */
const MAX_VARIABLE_SETS = 32;
const MAX_KEY_LENGTH = 1024;

/**
 * Apollo keeps each parsed document while its text keeps coming (its
 * document store), so the same document object returns request after
 * request; its complexity depends only on it, the operation picked and the
 * variables, and is measured once for each.
 */
const complexities = new WeakMap<DocumentNode, Map<string, number | null>>();

function complexityOf(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | undefined,
): number | null {
  const key = memoKey(operationName, variables);
  let known = complexities.get(document);
  const remembered = key === null ? undefined : known?.get(key);
  if (remembered !== undefined) return remembered;
  let complexity: number | null;
  try {
    complexity = getComplexity({ schema, query: document, variables, operationName: operationName ?? undefined, estimators: ESTIMATORS });
  } catch {
    complexity = null;
  }
  if (key === null) return complexity;
  if (!known) complexities.set(document, (known = new Map()));
  if (known.size >= MAX_VARIABLE_SETS) known.clear();
  known.set(key, complexity);
  return complexity;
}

/** Null when the variables are too large to remember (or too deep to serialise). */
function memoKey(operationName: string | null | undefined, variables: Record<string, unknown> | undefined): string | null {
  let serialised = '';
  try {
    if (variables) serialised = JSON.stringify(variables);
  } catch {
    return null;
  }
  const key = `${operationName ?? ''}\u0000${serialised}`;
  return key.length > MAX_KEY_LENGTH ? null : key;
}

/**
 * Measured once the operation is known, with its variables (a validation
 * rule never sees them, so `first: $n` would look free).
 */
function complexityLimitHooks(maximum: number): RequestHooks<BaseContext> {
  return {
    didResolveOperation({ schema, document, request, response }) {
      const complexity = complexityOf(schema, document, request.operationName, request.variables);
      // Variables that do not coerce, an operation name that names nothing: nothing will
      // run, and Apollo answers with the precise request error itself.
      if (complexity === null || complexity <= maximum) return;
      response.http.status = 400;
      throw new GraphQLError(
        `Query complexity limit of ${maximum} exceeded, found ${complexity}: ask for fewer rows or fields per request.`,
        {
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        },
      );
    },
  };
}
