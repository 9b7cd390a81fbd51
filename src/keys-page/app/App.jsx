import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { graphql } from './api.js';
import { Home } from './Home.jsx';
import { embedChannel, expiryOf, isEmbedded, takeFragmentToken } from './session.js';
import { ApiContext } from './useApi.js';

/** How long an embedded page waits for the parent to answer a token request before showing the refusal. */
const PARENT_ANSWER_MS = 15_000;
/** An embedded page asks for the next token this long before its token expires. */
const RENEW_BEFORE_MS = 30_000;

export function App({ settings, initialToken }) {
  const embedded = isEmbedded(settings.embedOrigins);
  const [token, setToken] = useState(initialToken);
  const [notice, setNotice] = useState(null);
  // A new sign-in (not a renewed token of the same session) starts the page over.
  const [signIns, setSignIns] = useState(0);
  const tokenRef = useRef(initialToken);
  const waiters = useRef([]);
  const channel = useRef(null);

  const accept = useCallback((next) => {
    tokenRef.current = next;
    setToken(next);
    setNotice(null);
    for (const resolve of waiters.current.splice(0)) resolve(next);
  }, []);
  const signIn = useCallback(
    (next) => {
      accept(next);
      setSignIns((n) => n + 1);
    },
    [accept],
  );
  const signOut = useCallback((message) => {
    tokenRef.current = null;
    setToken(null);
    setNotice(message);
  }, []);

  // A #token= link opened in a tab already on /keys changes only the fragment: no new page load.
  useEffect(() => {
    const onHash = () => {
      const next = takeFragmentToken();
      if (next) signIn(next);
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [signIn]);

  useEffect(() => {
    if (!embedded) return undefined;
    channel.current = embedChannel(settings.embedOrigins, accept);
    channel.current.post({ type: 'keyward:ready' });
    return () => channel.current.close();
  }, [embedded, settings.embedOrigins, accept]);

  /** The parent's next token, or null if it does not answer in time. */
  const askParent = useCallback(
    (reason) =>
      new Promise((resolve) => {
        waiters.current.push(resolve);
        channel.current.post({ type: 'keyward:token-request', reason });
        setTimeout(() => resolve(null), PARENT_ANSWER_MS);
      }),
    [],
  );

  useEffect(() => {
    const expiry = expiryOf(token);
    if (expiry === null) return undefined;
    const timer = setTimeout(
      () => (embedded ? askParent('expiring') : signOut('Your session has expired: sign in again.')),
      Math.max(0, expiry - Date.now() - (embedded ? RENEW_BEFORE_MS : 0)),
    );
    return () => clearTimeout(timer);
  }, [token, embedded, askParent, signOut]);

  const call = useCallback(
    async (query, variables) => {
      try {
        return await graphql(settings.graphqlPath, tokenRef.current, query, variables);
      } catch (error) {
        if (error.status !== 401) throw error;
        const fresh = embedded ? await askParent('refused') : null;
        if (fresh === null) {
          signOut(`keyward refused this sign-in: ${error.message}`);
          throw error;
        }
        return graphql(settings.graphqlPath, fresh, query, variables);
      }
    },
    [settings.graphqlPath, embedded, askParent, signOut],
  );
  const api = useMemo(() => ({ call, embedded, signOut }), [call, embedded, signOut]);

  if (!token) {
    return embedded ? (
      <main className="page">
        <h1>API keys</h1>
        <p role="status">{notice || 'Waiting for the settings page to sign you in…'}</p>
      </main>
    ) : (
      <SignIn notice={notice} onSignIn={signIn} />
    );
  }
  return (
    <ApiContext.Provider value={api}>
      <Home key={signIns} />
    </ApiContext.Provider>
  );
}

function SignIn({ notice, onSignIn }) {
  const [value, setValue] = useState('');
  const submit = (event) => {
    event.preventDefault();
    if (value.trim()) onSignIn(value.trim());
  };
  return (
    <main className="page narrow">
      <h1>API keys</h1>
      {notice && (
        <p role="alert" className="banner">
          {notice}
        </p>
      )}
      <form onSubmit={submit} className="card">
        <h2>Sign in</h2>
        <p>
          Paste your session token (a JWT from your platform; for a local trial,{' '}
          <code>npx keyward token --account 1 --sub you --roles developer</code>) or an admin key. It stays in this tab&apos;s memory only.
        </p>
        <label htmlFor="kw-credential">Session token or admin key</label>
        <input
          id="kw-credential"
          type="password"
          autoComplete="off"
          spellCheck="false"
          value={value}
          onChange={(e) => setValue(e.target.value)}
        />
        <button type="submit" className="primary">
          Sign in
        </button>
      </form>
    </main>
  );
}
