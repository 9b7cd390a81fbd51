import { useState } from 'react';
import { DeleteDialog, EditPermissionsDialog, NewKeyDialog, RenameDialog, ResetDialog, RevokeDialog } from './KeyForms.jsx';
import { YourNewKey } from './YourNewKey.jsx';

/** The dialog a row's menu item (or "New key") opened; create and reset go on to "Your new key". */
export function KeyDialogs({ dialog, scope, catalogue, onClose, onChanged }) {
  const [created, setCreated] = useState(null);
  if (created) return <YourNewKey created={created} onClose={onClose} />;
  const props = { apiKey: dialog.key, scope, catalogue, onClose };
  const done = (message) => {
    onChanged(message);
    onClose();
  };
  const showSecret = (result, message) => {
    onChanged(message);
    setCreated(result);
  };
  switch (dialog.action) {
    case 'New key':
      return <NewKeyDialog {...props} onDone={(r) => showSecret(r, `Created ${r.apiKey.name} (${r.apiKey.prefix}).`)} />;
    case 'Reset':
      return <ResetDialog {...props} onDone={(r) => showSecret(r, `Reset ${r.apiKey.name}: its prefix is now ${r.apiKey.prefix}.`)} />;
    case 'Rename':
      return <RenameDialog {...props} onDone={(name) => done(`Renamed to ${name}.`)} />;
    case 'Edit permissions':
      return <EditPermissionsDialog {...props} onDone={() => done(`Updated the permissions of ${dialog.key.name}.`)} />;
    case 'Revoke':
      return <RevokeDialog {...props} onDone={() => done(`Revoked ${dialog.key.name}: it is under Revoked keys.`)} />;
    case 'Delete':
      return <DeleteDialog {...props} onDone={() => done(`Deleted ${dialog.key.name}.`)} />;
    default:
      return null;
  }
}
