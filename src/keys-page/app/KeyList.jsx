import { useEffect, useState } from 'react';
import { ACTIVATE, CLIENTS, DEACTIVATE, KEY_LIMIT, KEYS } from './api.js';
import { useApi } from './useApi.js';
import { ActionsMenu } from './ActionsMenu.jsx';
import { KeyDialogs } from './KeyDialogs.jsx';
import { exactTime, fromNow, shortDate, STATUS_LABELS } from './format.js';
import { Pager, usePaged } from './usePaged.jsx';

/** Keys of one scope (the account's admin keys, or one client's keys): filters, table, paging, the create and row dialogs. */
export function KeyList({ scope, label, catalogue, canWrite, onChanged }) {
  const { call } = useApi();
  const [name, setName] = useState('');
  const [appliedName, setAppliedName] = useState('');
  const [status, setStatus] = useState('');
  const [dialog, setDialog] = useState(null);
  const [notice, setNotice] = useState(null);

  useEffect(() => {
    const timer = setTimeout(() => setAppliedName(name.trim()), 200);
    return () => clearTimeout(timer);
  }, [name]);
  const filter = { ...scope, ...(appliedName ? { name: appliedName } : {}), ...(status ? { status } : {}) };
  const paged = usePaged(KEYS, { filter, scope }, (data) => data.apiKeys);
  const used = paged.data && paged.data.used;
  const usedCount = used ? used.totalCount - used.edges.filter((e) => e.node.isPlayground).length : null;
  const names = Object.fromEntries(catalogue.map((p) => [p.permission, p.name]));

  const changed = (message) => {
    setNotice(message);
    paged.reload();
    onChanged();
  };
  const onAction = async (action, key) => {
    if (action === 'Deactivate' || action === 'Activate') {
      try {
        await call(action === 'Activate' ? ACTIVATE : DEACTIVATE, { id: key.id });
        changed(`${key.name} is ${action === 'Activate' ? 'active' : 'inactive'}.`);
      } catch (error) {
        setNotice(`${action} failed: ${error.message}`);
      }
      return;
    }
    setDialog({ action, key });
  };

  return (
    <section aria-label={label}>
      <div className="toolbar">
        <div className="field inline">
          <label htmlFor={`kw-filter-${label}`}>Filter by name</label>
          <input id={`kw-filter-${label}`} type="search" value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field inline">
          <label htmlFor={`kw-status-${label}`}>Status</label>
          <select id={`kw-status-${label}`} value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">All</option>
            <option value="ACTIVE">Active</option>
            <option value="INACTIVE">Inactive</option>
            <option value="EXPIRED">Expired</option>
          </select>
        </div>
        {usedCount !== null && (
          <p className="muted used">
            {usedCount} of {KEY_LIMIT} keys used
          </p>
        )}
        {canWrite && (
          <button type="button" className="primary" onClick={() => setDialog({ action: 'New key' })}>
            New key
          </button>
        )}
      </div>
      <p role="status" className="notice">
        {notice}
      </p>
      {paged.error && <p role="alert">{paged.error}</p>}
      {paged.connection && (
        <div className="scroll" tabIndex={0} role="region" aria-label={`${label} table`}>
          <table aria-label={label}>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key</th>
                <th scope="col">Status</th>
                <th scope="col">Permissions</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Expires</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {paged.connection.edges.length === 0 && (
                <tr>
                  <td colSpan={8}>{appliedName || status ? 'No key matches.' : 'No keys yet.'}</td>
                </tr>
              )}
              {paged.connection.edges.map(({ node }) => (
                <tr key={node.id}>
                  <th scope="row" className="name">
                    {node.name}
                    {node.isPrimary && <span className="badge">Primary</span>}
                    {node.isPlayground && <span className="badge">Playground</span>}
                  </th>
                  <td>
                    <code>{node.prefix}</code>
                  </td>
                  <td>
                    <span className={`status ${node.status.toLowerCase()}`}>{STATUS_LABELS[node.status]}</span>
                  </td>
                  <td className="perms">{node.permissions.length ? node.permissions.map((p) => names[p] || p).join(', ') : 'None'}</td>
                  <td>
                    <time dateTime={node.createdAt} title={exactTime(node.createdAt)}>
                      {shortDate(node.createdAt)}
                    </time>
                  </td>
                  <td>{node.lastUsedAt ? <When iso={node.lastUsedAt} /> : 'Never used'}</td>
                  <td>{node.expiresAt ? <When iso={node.expiresAt} /> : 'Never'}</td>
                  <td>{canWrite && <ActionsMenu apiKey={node} onAction={onAction} />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager paged={paged} noun={label} />
      {dialog && <KeyDialogs dialog={dialog} scope={scope} catalogue={catalogue} onClose={() => setDialog(null)} onChanged={changed} />}
    </section>
  );
}

function When({ iso }) {
  return (
    <time dateTime={iso} title={exactTime(iso)}>
      {fromNow(iso)}
    </time>
  );
}

export function ClientKeys(context) {
  const { call } = useApi();
  const [clients, setClients] = useState(null);
  const [error, setError] = useState(null);
  const [clientId, setClientId] = useState('');
  useEffect(() => {
    call(CLIENTS)
      .then((data) => {
        const list = data.clients.edges.map((e) => e.node);
        setClients(list);
        if (list.length) setClientId((current) => current || list[0].id);
      })
      .catch((e) => setError(e.message));
  }, [call]);
  if (error) return <p role="alert">{error}</p>;
  if (!clients) return <p role="status">Loading clients…</p>;
  if (!clients.length) return <p>This account has no clients yet: create one with the createClient mutation, then give it keys here.</p>;
  return (
    <>
      <div className="field inline">
        <label htmlFor="kw-client">Client</label>
        <select id="kw-client" value={clientId} onChange={(e) => setClientId(e.target.value)}>
          {clients.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
      <KeyList key={clientId} scope={{ kind: 'CLIENT', clientId }} label="Client keys" {...context} />
    </>
  );
}
