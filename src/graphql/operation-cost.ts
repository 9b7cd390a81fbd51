import { DocumentNode, FragmentDefinitionNode, Kind, OperationDefinitionNode, SelectionSetNode } from 'graphql';

/**
 * Root fields that draw on another pool than the caller's: verifyApiKey
 * charges the pool of the key it verifies (see KeyVerificationService).
 */
export const FREE_ROOT_FIELDS: ReadonlySet<string> = new Set(['verifyApiKey']);

/**
 * What an operation costs the caller's pool: one point per root field it
 * selects, aliases counted one by one and fragments (named or inline)
 * expanded, so `{ a: apiKeys { … } b: apiKeys { … } }` costs two and a
 * hundred aliases cost a hundred. @skip/@include are not evaluated: a field
 * that might run is paid for.
 */
export function operationCost(document: DocumentNode, operation: OperationDefinitionNode): number {
  let cost = costs.get(operation);
  if (cost === undefined) {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    cost = countRootFields(operation.selectionSet, fragments, new Set());
    costs.set(operation, cost);
  }
  return cost;
}

/**
 * Apollo keeps each parsed document for as long as its text keeps coming
 * (its document store), so an operation is counted once, not per request.
 * A document's nodes are never changed after parsing; the cost depends on
 * nothing else.
 */
const costs = new WeakMap<OperationDefinitionNode, number>();

function countRootFields(selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, seen: Set<string>): number {
  let cost = 0;
  for (const selection of selectionSet.selections) {
    switch (selection.kind) {
      case Kind.FIELD:
        if (!FREE_ROOT_FIELDS.has(selection.name.value)) cost += 1;
        break;
      case Kind.INLINE_FRAGMENT:
        cost += countRootFields(selection.selectionSet, fragments, seen);
        break;
      case Kind.FRAGMENT_SPREAD: {
        // Validation refuses fragment cycles before this runs; `seen` only guards against them anyway.
        const fragment = fragments.get(selection.name.value);
        if (!fragment || seen.has(fragment.name.value)) break;
        cost += countRootFields(fragment.selectionSet, fragments, new Set(seen).add(fragment.name.value));
        break;
      }
    }
  }
  return cost;
}

/**
 * A bounded label for metrics: the operation type and its root field when it
 * selects one, "multiple" otherwise. Root field names come from the schema
 * (the document has validated), so the label set stays closed.
 */
export function operationLabel(operation: OperationDefinitionNode | undefined): string {
  if (!operation) return 'unresolved';
  // Worked out once per parsed operation, like its cost.
  let label = labels.get(operation);
  if (label === undefined) labels.set(operation, (label = labelOf(operation)));
  return label;
}

const labels = new WeakMap<OperationDefinitionNode, string>();

function labelOf(operation: OperationDefinitionNode): string {
  const names = new Set<string>();
  for (const selection of operation.selectionSet.selections) {
    names.add(selection.kind === Kind.FIELD ? selection.name.value : '(fragment)');
  }
  const [only] = names;
  return `${operation.operation} ${names.size === 1 && only !== '(fragment)' ? only : 'multiple'}`;
}
