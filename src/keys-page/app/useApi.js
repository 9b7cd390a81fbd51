import { createContext, useContext } from 'react';

export const ApiContext = createContext(null);

/** `{ call(query, variables), embedded, signOut }`: operations as the signed-in user. */
export function useApi() {
  return useContext(ApiContext);
}
