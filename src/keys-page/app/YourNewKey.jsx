import { useState } from 'react';
import { Dialog } from './Dialog.jsx';
import { exactTime } from './format.js';

/** The raw key, this once: masked until revealed, copied with the Clipboard API; closing before a copy asks first. */
export function YourNewKey({ created, onClose }) {
  const { secret, apiKey, previousKeyExpiresAt } = created;
  const [revealed, setRevealed] = useState(false);
  const [copied, setCopied] = useState(null);
  const [confirming, setConfirming] = useState(false);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('Copied');
    } catch {
      setRevealed(true);
      setCopied('The browser did not allow copying: select the key and copy it yourself.');
    }
  };
  const close = () => (copied === 'Copied' || confirming ? onClose() : setConfirming(true));
  const masked = `${apiKey.prefix}_${'•'.repeat(Math.max(8, secret.length - apiKey.prefix.length - 1))}`;

  return (
    <Dialog title="Your new key" onClose={close} className="wide">
      <p className="warning">Copy this key now and keep it somewhere safe: it will not be shown again.</p>
      <p className="muted">
        {apiKey.name} · <code>{apiKey.prefix}</code>
      </p>
      <div className="secret">
        <code data-secret={revealed ? 'revealed' : 'masked'}>{revealed ? secret : masked}</code>
      </div>
      <div className="actions">
        <button type="button" aria-pressed={revealed} onClick={() => setRevealed((r) => !r)}>
          Reveal
        </button>
        <button type="button" className="primary" onClick={copy}>
          Copy
        </button>
        <span role="status" className="copied">
          {copied}
        </span>
      </div>
      {previousKeyExpiresAt && (
        <p>
          The previous value keeps working until <time dateTime={previousKeyExpiresAt}>{exactTime(previousKeyExpiresAt)}</time>: switch your
          integration over before then.
        </p>
      )}
      {confirming && (
        <div role="alert" className="banner">
          <p>You have not copied the key. Once this dialog closes it cannot be shown again.</p>
          <button type="button" className="danger" onClick={onClose}>
            Close without copying
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            Keep it open
          </button>
        </div>
      )}
      <div className="actions end">
        <button type="button" onClick={close}>
          Done
        </button>
      </div>
    </Dialog>
  );
}
