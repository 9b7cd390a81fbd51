import { useCallback, useEffect, useRef, useState } from 'react';
import { VIEWER } from './api.js';
import { useApi } from './useApi.js';
import { ClientKeys, KeyList } from './KeyList.jsx';
import { AuditLog, RevokedKeys } from './History.jsx';
import { exactTime } from './format.js';

const TABS = [
  ['admin', 'Admin keys'],
  ['client', 'Client keys'],
  ['revoked', 'Revoked keys'],
  ['audit', 'Audit log'],
];

export function Home() {
  const { call, embedded, signOut } = useApi();
  const [state, setState] = useState({ viewer: null, catalogue: [], error: null });
  const [tab, setTab] = useState('admin');
  const tabRefs = useRef({});

  const refresh = useCallback(async () => {
    try {
      const data = await call(VIEWER);
      setState({ viewer: data.viewer, catalogue: data.permissions || [], error: null });
    } catch (error) {
      setState((s) => ({ ...s, error: error.message }));
    }
  }, [call]);
  useEffect(() => {
    refresh();
  }, [refresh]);

  const { viewer, catalogue, error } = state;
  if (!viewer) {
    return (
      <main className="page">
        <h1>API keys</h1>
        <p role={error ? 'alert' : 'status'}>{error || 'Loading…'}</p>
      </main>
    );
  }
  const account = viewer.account;
  const enabled = !account || account.developerApiEnabled;
  const can = (permission) => viewer.permissions.includes(permission);
  const context = { viewer, catalogue, canWrite: enabled && can('KEYS_WRITE'), onChanged: refresh };

  const onTabKey = (event, index) => {
    const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    const to = event.key === 'Home' ? 0 : event.key === 'End' ? TABS.length - 1 : step ? (index + step + TABS.length) % TABS.length : null;
    if (to === null) return;
    event.preventDefault();
    setTab(TABS[to][0]);
    tabRefs.current[TABS[to][0]].focus();
  };

  return (
    <main className="page">
      <header className="top">
        <div>
          <h1>API keys</h1>
          <p className="muted">
            {account ? account.name : 'No account'}
            {viewer.subject ? ` · signed in as ${viewer.subject}` : viewer.prefix ? ` · signed in with ${viewer.prefix}` : ''}
          </p>
        </div>
        {viewer.rateLimit && (
          <p className="pool" title={`Resets at ${exactTime(viewer.rateLimit.resetAt)}`}>
            Rate limit: {viewer.rateLimit.remaining} of {viewer.rateLimit.limit} requests left this minute
          </p>
        )}
        {!embedded && (
          <button type="button" onClick={() => signOut(null)}>
            Sign out
          </button>
        )}
      </header>
      {!enabled && (
        <p role="alert" className="banner">
          The Developer API is turned off for this account: its keys are refused (403 DEVELOPER_API_DISABLED) and no key can be created. The
          platform operator can turn it back on.
        </p>
      )}
      {!can('KEYS_READ') ? (
        <section className="card" aria-labelledby="kw-no-role">
          <h2 id="kw-no-role">You cannot manage API keys</h2>
          <p>
            {viewer.principal === 'USER'
              ? 'Managing keys needs the developer role (or admin or owner), and your session has none of them. Ask an owner of this account to give you the developer role.'
              : 'This credential lacks the keys:read permission. Sign in with a session token that has the developer role, or with a key that holds keys:read.'}
          </p>
        </section>
      ) : (
        <>
          <div role="tablist" aria-label="Key views" className="tabs">
            {TABS.map(([id, label], index) => (
              <button
                key={id}
                type="button"
                role="tab"
                id={`kw-tab-${id}`}
                aria-selected={tab === id}
                aria-controls={`kw-panel-${id}`}
                tabIndex={tab === id ? 0 : -1}
                ref={(el) => {
                  tabRefs.current[id] = el;
                }}
                onClick={() => setTab(id)}
                onKeyDown={(e) => onTabKey(e, index)}
              >
                {label}
              </button>
            ))}
          </div>
          <div role="tabpanel" id={`kw-panel-${tab}`} aria-labelledby={`kw-tab-${tab}`} tabIndex={-1} className="panel" data-focus-fallback>
            {tab === 'admin' && <KeyList scope={{ kind: 'ADMIN' }} label="Admin keys" {...context} />}
            {tab === 'client' && <ClientKeys {...context} />}
            {tab === 'revoked' && <RevokedKeys />}
            {tab === 'audit' && <AuditLog />}
          </div>
        </>
      )}
    </main>
  );
}
