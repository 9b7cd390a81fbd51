import { useCallback, useEffect, useState } from 'react';
import { useApi } from './useApi.js';

export const PAGE_SIZE = 20;

/**
 * One page of a connection at a time: the cursors of the pages before this
 * one are kept, so "Previous page" goes back without a backward cursor.
 * `pick(data)` returns the connection; `reload()` re-reads the current page.
 */
export function usePaged(query, variables, pick) {
  const { call } = useApi();
  const [cursors, setCursors] = useState([null]);
  const [state, setState] = useState({ data: null, error: null, loading: true });
  const [version, setVersion] = useState(0);
  const key = JSON.stringify(variables);
  const after = cursors[cursors.length - 1];

  useEffect(() => setCursors([null]), [key]);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    call(query, { ...JSON.parse(key), first: PAGE_SIZE, after })
      .then((data) => live && setState({ data, error: null, loading: false }))
      .catch((error) => live && setState({ data: null, error: error.message, loading: false }));
    return () => {
      live = false;
    };
  }, [call, query, key, after, version]);

  const connection = state.data ? pick(state.data) : null;
  return {
    ...state,
    connection,
    page: cursors.length,
    next: () => connection && connection.pageInfo.endCursor && setCursors((c) => [...c, connection.pageInfo.endCursor]),
    previous: () => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)),
    reload: useCallback(() => setVersion((v) => v + 1), []),
  };
}

export function Pager({ paged, noun }) {
  const { connection, page } = paged;
  if (!connection) return null;
  const from = connection.edges.length === 0 ? 0 : (page - 1) * PAGE_SIZE + 1;
  const to = (page - 1) * PAGE_SIZE + connection.edges.length;
  return (
    <nav className="pager" aria-label={`${noun} pages`}>
      <span>
        {from}–{to} of {connection.totalCount}
      </span>
      <button type="button" onClick={paged.previous} disabled={page === 1}>
        Previous page
      </button>
      <button type="button" onClick={paged.next} disabled={!connection.pageInfo.hasNextPage}>
        Next page
      </button>
    </nav>
  );
}
