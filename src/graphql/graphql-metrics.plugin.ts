import { BaseContext } from '@apollo/server';
import { RequestHooks } from '../http/request-hooks';
import { Metrics } from '../observability/metrics';
import { operationLabel } from './operation-cost';

/**
 * Counts GraphQL operations by what they ran (`query apiKeys`, `mutation
 * multiple`, `unresolved` when the document did not parse or validate) and
 * the HTTP status of their answer.
 */
export function graphqlMetricsHooks(metrics: Metrics): RequestHooks<BaseContext> {
  return {
    willSendResponse({ operation, response }) {
      metrics.graphqlOperation(operationLabel(operation), response.http.status ?? 200);
    },
  };
}
