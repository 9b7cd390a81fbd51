import { useState } from 'react';
import { CREATE, DELETE, RENAME, RESET, REVOKE, SET_PERMISSIONS } from './api.js';
import { useApi } from './useApi.js';
import { described, Dialog, Field } from './Dialog.jsx';
import { PermissionPicker } from './PermissionPicker.jsx';

/** Runs one mutation for a dialog: busy while it runs; the API's error goes beside the field it names, or above the buttons. */
function useSubmit() {
  const { call } = useApi();
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState({});
  const run = async (event, query, variables, then) => {
    if (event) event.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      const data = await call(query, variables);
      setBusy(false);
      then(data);
    } catch (error) {
      setBusy(false);
      setErrors(error.field ? { [error.field]: error.message } : { form: error.code ? `${error.message}` : String(error) });
    }
  };
  return { busy, errors, setErrors, run };
}

function Buttons({ busy, errors, onClose, submit, danger }) {
  return (
    <>
      {errors.form && (
        <p role="alert" className="field-error">
          {errors.form}
        </p>
      )}
      <div className="actions end">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className={danger ? 'danger' : 'primary'} disabled={busy}>
          {submit}
        </button>
      </div>
    </>
  );
}

export function NewKeyDialog({ scope, catalogue, onClose, onDone }) {
  const [name, setName] = useState('');
  const [permissions, setPermissions] = useState([]);
  const [expires, setExpires] = useState('');
  const { busy, errors, setErrors, run } = useSubmit();
  const client = scope.kind === 'CLIENT';
  const submit = (event) => {
    if (!name.trim()) {
      event.preventDefault();
      setErrors({ name: 'Give the key a name: 1 to 100 characters.' });
      return;
    }
    const input = { name, permissions, ...(client ? { clientId: scope.clientId } : {}) };
    // A date means the end of that day in UTC, so "expires 5 March" works all of 5 March.
    if (expires) input.expiresAt = new Date(`${expires}T23:59:59.999Z`).toISOString();
    run(event, CREATE, { input }, (data) => onDone(data.createApiKey));
  };
  return (
    <Dialog title="New key" onClose={onClose} className="wide">
      <form onSubmit={submit} noValidate>
        <Field
          id="kw-new-name"
          label="Key name"
          error={errors.name}
          hint={client ? 'Letters, digits, spaces, hyphens and underscores.' : null}
        >
          <input
            id="kw-new-name"
            value={name}
            maxLength={100}
            onChange={(e) => setName(e.target.value)}
            {...described('kw-new-name', errors.name, client)}
          />
        </Field>
        <PermissionPicker
          catalogue={catalogue}
          clientOnly={client}
          value={permissions}
          onChange={setPermissions}
          error={errors.permissions}
        />
        <Field
          id="kw-new-expires"
          label="Expires (optional)"
          error={errors.expiresAt}
          hint="The key stops working at the end of this day (UTC). It cannot be changed later."
        >
          <input
            id="kw-new-expires"
            type="date"
            value={expires}
            onChange={(e) => setExpires(e.target.value)}
            {...described('kw-new-expires', errors.expiresAt, true)}
          />
        </Field>
        <Buttons busy={busy} errors={errors} onClose={onClose} submit="Create key" />
      </form>
    </Dialog>
  );
}

export function RenameDialog({ apiKey, onClose, onDone }) {
  const [name, setName] = useState(apiKey.name);
  const { busy, errors, run } = useSubmit();
  return (
    <Dialog title="Rename key" onClose={onClose}>
      <form onSubmit={(e) => run(e, RENAME, { id: apiKey.id, name }, () => onDone(name.trim()))} noValidate>
        <p>The key&apos;s value stays the same.</p>
        <Field id="kw-rename" label="Key name" error={errors.name}>
          <input
            id="kw-rename"
            value={name}
            maxLength={100}
            onChange={(e) => setName(e.target.value)}
            {...described('kw-rename', errors.name)}
          />
        </Field>
        <Buttons busy={busy} errors={errors} onClose={onClose} submit="Save" />
      </form>
    </Dialog>
  );
}

export function EditPermissionsDialog({ apiKey, catalogue, onClose, onDone }) {
  const [permissions, setPermissions] = useState(apiKey.permissions);
  const { busy, errors, run } = useSubmit();
  return (
    <Dialog title="Edit permissions" onClose={onClose} className="wide">
      <form onSubmit={(e) => run(e, SET_PERMISSIONS, { id: apiKey.id, permissions }, onDone)} noValidate>
        <p>
          {apiKey.name} (<code>{apiKey.prefix}</code>) keeps its value; the new permissions apply to its next request.
        </p>
        <PermissionPicker
          catalogue={catalogue}
          clientOnly={apiKey.kind === 'CLIENT'}
          value={permissions}
          onChange={setPermissions}
          error={errors.permissions}
        />
        <Buttons busy={busy} errors={errors} onClose={onClose} submit="Save" />
      </form>
    </Dialog>
  );
}

const GRACE = [
  ['0', 'None: the current value stops at once'],
  ['3600', '1 hour'],
  ['86400', '24 hours'],
  ['604800', '7 days'],
];

export function ResetDialog({ apiKey, onClose, onDone }) {
  const [grace, setGrace] = useState('0');
  const { busy, errors, run } = useSubmit();
  return (
    <Dialog title="Reset key" onClose={onClose}>
      <form onSubmit={(e) => run(e, RESET, { id: apiKey.id, grace: Number(grace) }, (data) => onDone(data.resetApiKey))}>
        <p>
          {apiKey.name} gets a new value and a new prefix. The current value (<code>{apiKey.prefix}</code>…) stops working, at once or at
          the end of the grace period, and every integration using it must switch to the new one.
        </p>
        <fieldset>
          <legend>Grace period</legend>
          {GRACE.map(([value, label]) => (
            <label key={value} className="choice">
              <input type="radio" name="kw-grace" value={value} checked={grace === value} onChange={() => setGrace(value)} />
              {label}
            </label>
          ))}
        </fieldset>
        <Buttons busy={busy} errors={errors} onClose={onClose} submit="Reset key" danger />
      </form>
    </Dialog>
  );
}

export function RevokeDialog({ apiKey, onClose, onDone }) {
  const [reason, setReason] = useState('');
  const { busy, errors, run } = useSubmit();
  const submit = (e) => run(e, REVOKE, { id: apiKey.id, reason: reason.trim() || null }, onDone);
  return (
    <Dialog title="Revoke key" onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <p>
          Revoking {apiKey.name} (<code>{apiKey.prefix}</code>) is permanent: every request with it gets 401, and it can never be activated
          again. It moves to Revoked keys, with the reason, for the audit.
        </p>
        <Field id="kw-revoke-reason" label="Reason (optional)" error={errors.reason}>
          <textarea
            id="kw-revoke-reason"
            value={reason}
            rows={2}
            onChange={(e) => setReason(e.target.value)}
            {...described('kw-revoke-reason', errors.reason)}
          />
        </Field>
        <Buttons busy={busy} errors={errors} onClose={onClose} submit="Revoke key" danger />
      </form>
    </Dialog>
  );
}

export function DeleteDialog({ apiKey, onClose, onDone }) {
  const { busy, errors, run } = useSubmit();
  return (
    <Dialog title="Delete key" onClose={onClose}>
      <form onSubmit={(e) => run(e, DELETE, { id: apiKey.id }, onDone)}>
        <p>
          Deleting {apiKey.name} (<code>{apiKey.prefix}</code>) is permanent: the key stops working and is gone, with no history but its
          audit events. Revoke it instead to keep a record.
        </p>
        <Buttons busy={busy} errors={errors} onClose={onClose} submit="Delete key" danger />
      </form>
    </Dialog>
  );
}
