import { useEffect, useId, useRef, useState } from 'react';

/** The primary key can only be renamed and reset; every other key has the whole list. */
export function actionsFor(key) {
  if (key.isPrimary) return ['Rename', 'Reset'];
  return ['Rename', 'Edit permissions', 'Reset', key.status === 'INACTIVE' ? 'Activate' : 'Deactivate', 'Revoke', 'Delete'];
}

/** A menu button (WAI-ARIA menu button pattern): arrows move, Escape and Tab close, focus returns to the button. */
export function ActionsMenu({ apiKey, onAction }) {
  const [open, setOpen] = useState(false);
  const button = useRef(null);
  const menu = useRef(null);
  const id = useId();
  const items = actionsFor(apiKey);
  const label = `Actions for ${apiKey.name}`;

  useEffect(() => {
    if (!open) return undefined;
    menu.current.querySelector('[role=menuitem]').focus();
    const outside = (event) => {
      if (!menu.current.contains(event.target) && !button.current.contains(event.target)) setOpen(false);
    };
    document.addEventListener('mousedown', outside);
    return () => document.removeEventListener('mousedown', outside);
  }, [open]);

  const close = () => {
    setOpen(false);
    button.current.focus();
  };
  const choose = (item) => {
    close(); // focus is on the button before a dialog opens: the dialog gives it back there
    onAction(item, apiKey);
  };
  const onKeyDown = (event) => {
    const all = [...menu.current.querySelectorAll('[role=menuitem]')];
    const at = all.indexOf(document.activeElement);
    const to = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: all.length - 1 }[event.key];
    if (to !== undefined) {
      event.preventDefault();
      all[(to + all.length) % all.length].focus();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      close();
    } else if (event.key === 'Tab') {
      setOpen(false);
    }
  };

  return (
    <div className="menu-wrap">
      <button
        type="button"
        ref={button}
        className="menu-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        onClick={() => setOpen((o) => !o)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setOpen(true);
          }
        }}
      >
        <span aria-hidden="true">⋯</span>
        <span className="sr-only">{label}</span>
      </button>
      {open && (
        <ul role="menu" id={id} aria-label={label} ref={menu} className="menu" onKeyDown={onKeyDown}>
          {items.map((item) => (
            <li role="none" key={item}>
              <button
                type="button"
                role="menuitem"
                tabIndex={-1}
                className={item === 'Revoke' || item === 'Delete' ? 'danger-text' : ''}
                onClick={() => choose(item)}
              >
                {item}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
