import { AUDIT, REVOKED } from './api.js';
import { actionLabel, exactTime, fromNow } from './format.js';
import { Pager, usePaged } from './usePaged.jsx';

const pickRevoked = (data) => data.revokedKeys;
const pickAudit = (data) => data.auditEvents;
const NO_VARIABLES = {};

function When({ iso }) {
  return (
    <time dateTime={iso} title={exactTime(iso)}>
      {fromNow(iso)}
    </time>
  );
}

export function RevokedKeys() {
  const paged = usePaged(REVOKED, NO_VARIABLES, pickRevoked);
  return (
    <section aria-label="Revoked keys">
      <p className="muted">Revoked keys never work again; they stay here for the audit.</p>
      {paged.error && <p role="alert">{paged.error}</p>}
      {paged.connection && (
        <div className="scroll" tabIndex={0} role="region" aria-label="Revoked keys table">
          <table aria-label="Revoked keys">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key</th>
                <th scope="col">Kind</th>
                <th scope="col">Revoked</th>
                <th scope="col">By</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {paged.connection.edges.length === 0 && (
                <tr>
                  <td colSpan={6}>No key has been revoked.</td>
                </tr>
              )}
              {paged.connection.edges.map(({ node }) => (
                <tr key={node.id}>
                  <th scope="row">{node.name}</th>
                  <td>
                    <code>{node.prefix}</code>
                  </td>
                  <td>{node.kind === 'CLIENT' ? `Client key${node.client ? ` (${node.client.name})` : ''}` : 'Admin key'}</td>
                  <td>
                    <When iso={node.revokedAt} />
                  </td>
                  <td>{node.revokedBy}</td>
                  <td>{node.reason || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager paged={paged} noun="Revoked keys" />
    </section>
  );
}

export function AuditLog() {
  const paged = usePaged(AUDIT, NO_VARIABLES, pickAudit);
  return (
    <section aria-label="Audit log">
      <p className="muted">Every change to a key, client or the account, newest first.</p>
      {paged.error && <p role="alert">{paged.error}</p>}
      {paged.connection && (
        <div className="scroll" tabIndex={0} role="region" aria-label="Audit log table">
          <table aria-label="Audit log">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Target</th>
              </tr>
            </thead>
            <tbody>
              {paged.connection.edges.map(({ node }) => (
                <tr key={node.id}>
                  <td>
                    <When iso={node.createdAt} />
                  </td>
                  <td>{node.actor}</td>
                  <th scope="row">{actionLabel(node.action)}</th>
                  <td>
                    {node.targetName || node.targetType.toLowerCase()}
                    {node.targetPrefix && (
                      <>
                        {' '}
                        <code>{node.targetPrefix}</code>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager paged={paged} noun="Audit log" />
    </section>
  );
}
