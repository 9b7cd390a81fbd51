import { useEffect, useId, useRef } from 'react';

/**
 * A modal <dialog>: the browser moves focus into it, keeps it there and makes
 * the page behind inert; Escape asks `onClose` (which may refuse, as the
 * new-key dialog does before its key is copied); on close focus returns to
 * what had it before, or to the tab panel when that element is gone.
 */
export function Dialog({ title, onClose, children, className }) {
  const ref = useRef(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement;
    const cancel = (event) => {
      event.preventDefault();
      onCloseRef.current();
    };
    dialog.addEventListener('cancel', cancel);
    dialog.showModal();
    return () => {
      dialog.removeEventListener('cancel', cancel);
      if (dialog.open) dialog.close();
      const back = opener && opener.isConnected ? opener : document.querySelector('[data-focus-fallback]');
      if (back) back.focus();
    };
  }, []);

  return (
    <dialog ref={ref} aria-labelledby={titleId} className={className}>
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  );
}

/** A form's field with its label and, when the API named it, the error beside it. */
export function Field({ id, label, error, hint, children }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {children}
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** aria- attributes tying an input to its hint and error. */
export function described(id, error, hint) {
  const ids = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ');
  return { 'aria-invalid': error ? true : undefined, 'aria-describedby': ids || undefined };
}
