/** Permission checkboxes grouped by resource (keys, clients, leads, audit), each named by its permission, e.g. "leads:read". */
export function PermissionPicker({ catalogue, clientOnly, value, onChange, error }) {
  const offered = catalogue.filter((p) => !clientOnly || p.clientScoped);
  const groups = [];
  for (const p of offered) {
    const resource = p.name.split(':')[0];
    const group = groups.find((g) => g.resource === resource);
    if (group) group.items.push(p);
    else groups.push({ resource, items: [p] });
  }
  const toggle = (permission, on) => onChange(on ? [...value, permission] : value.filter((p) => p !== permission));
  return (
    <fieldset className="permissions" aria-describedby={error ? 'kw-permissions-error' : undefined}>
      <legend>Permissions</legend>
      <p className="hint">None is ticked: give the key only what it needs.</p>
      <div className="groups">
        {groups.map((group) => (
          <fieldset key={group.resource}>
            <legend>{group.resource}</legend>
            {group.items.map((p) => (
              <div key={p.permission} className="choice">
                <input
                  type="checkbox"
                  id={`kw-perm-${p.permission}`}
                  checked={value.includes(p.permission)}
                  onChange={(e) => toggle(p.permission, e.target.checked)}
                  aria-describedby={`kw-perm-${p.permission}-about`}
                />
                <label htmlFor={`kw-perm-${p.permission}`}>{p.name}</label>
                <span className="hint" id={`kw-perm-${p.permission}-about`}>
                  {p.description}
                </span>
              </div>
            ))}
          </fieldset>
        ))}
      </div>
      {error && (
        <p className="field-error" id="kw-permissions-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}
