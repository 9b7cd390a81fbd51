import { ApolloServerPlugin } from '@apollo/server';
import { Metrics } from '../observability/metrics';
import { operationLabel } from './operation-cost';

/**
 * Counts GraphQL operations by what they ran (`query apiKeys`, `mutation
 * multiple`, `unresolved` when the document did not parse or validate) and
 * the HTTP status of their answer.
 */
export function graphqlMetricsPlugin(metrics: Metrics): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ operation, response }) {
          metrics.graphqlOperation(operationLabel(operation), response.http.status ?? 200);
        },
      };
    },
  };
}
