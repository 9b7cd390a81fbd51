import {
  ApolloServerPlugin,
  BaseContext,
  GraphQLRequestContextDidResolveOperation,
  GraphQLRequestContextWillSendResponse,
  GraphQLRequestListener,
} from '@apollo/server';

/** What one of keyward's request policies does at the two moments it acts: the operation known, the answer about to go. */
export interface RequestHooks<C extends BaseContext> {
  /** Throws (or rejects) to end the request with that error; sets response.http.status for its status. */
  didResolveOperation?(context: GraphQLRequestContextDidResolveOperation<C>): void | Promise<void>;
  willSendResponse?(context: GraphQLRequestContextWillSendResponse<C>): void | Promise<void>;
}

type Hook<T> = (context: T) => void | Promise<void>;

/**
 * keyward's own request hooks (abuse limits, the rate-limit charge,
 * metrics, the legacy status of request errors) as one Apollo plugin with
 * one listener, made once. Apollo calls every plugin's requestDidStart on
 * every request, and every listener at every stage of it (a promise each,
 * some awaited one listener after another): one plugin per policy cost each
 * request that four times over, and a request with a key once more than an
 * anonymous one. The hooks run in the order given, each after the one before
 * has settled, so a later one sees what an earlier one set (the abuse
 * limits' 400 before the charge); one that throws ends the request, and the
 * rest do not run.
 */
export function requestHooksPlugin<C extends BaseContext>(all: ReadonlyArray<RequestHooks<C>>): ApolloServerPlugin<C> {
  const resolved: Array<Hook<GraphQLRequestContextDidResolveOperation<C>>> = all.flatMap((hooks) =>
    hooks.didResolveOperation ? [hooks.didResolveOperation.bind(hooks)] : [],
  );
  const sending: Array<Hook<GraphQLRequestContextWillSendResponse<C>>> = all.flatMap((hooks) =>
    hooks.willSendResponse ? [hooks.willSendResponse.bind(hooks)] : [],
  );
  // Apollo awaits these through Promise.all, which takes a plain value as well: a hook with
  // nothing to wait for answers at once instead of making a promise (hence the casts).
  const listener = {
    didResolveOperation: (context: GraphQLRequestContextDidResolveOperation<C>) => inTurn(resolved, context, 0),
    willSendResponse: (context: GraphQLRequestContextWillSendResponse<C>) => inTurn(sending, context, 0),
  } as GraphQLRequestListener<C>;
  return { requestDidStart: (() => listener) as unknown as ApolloServerPlugin<C>['requestDidStart'] };
}

function inTurn<T>(hooks: ReadonlyArray<Hook<T>>, context: T, from: number): void | Promise<void> {
  for (let i = from; i < hooks.length; i++) {
    const result = hooks[i](context);
    if (result instanceof Promise) return result.then(() => inTurn(hooks, context, i + 1));
  }
}
