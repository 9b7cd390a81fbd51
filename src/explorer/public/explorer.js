// keyward explorer: GraphiQL (its own browser build, served by keyward) plus a
// "Generate test token" form that creates a playground key and puts it into
// the headers GraphiQL sends. The page's Content-Security-Policy allows no inline script,
// so all of the page's code lives in this file; its configuration arrives in
// data- attributes of #explorer (see src/explorer/explorer.page.ts).
/* global React, ReactDOM, GraphiQL -- the bundled browser builds, loaded by the page before this file */
(function () {
  'use strict';

  const h = React.createElement;
  const mount = document.getElementById('explorer');
  const endpoint = new URL(mount.dataset.endpoint, window.location.href).href;

  const CREATE_PLAYGROUND_KEY = 'mutation CreatePlaygroundKey { createPlaygroundKey { secret apiKey { prefix expiresAt } } }';
  const DEFAULT_QUERY = [
    '# Welcome to the keyward explorer.',
    '#',
    '# To call the API with a key: paste an admin key under the',
    '# response and press "Generate test token". A 1-hour key',
    '# with the leads permissions goes into the Authorization',
    '# header (Headers tab, below).',
    '#',
    '# The Docs pane (book icon, top left) shows the permission',
    '# each field needs.',
    '',
    '{',
    '  viewer { principal prefix permissions }',
    '  permissions { name description }',
    '}',
    '',
  ].join('\n');

  /** Calls createPlaygroundKey with the pasted credential; throws an Error whose message is what to show. */
  async function createPlaygroundKey(credential) {
    let response;
    try {
      response = await fetch(endpoint, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/graphql-response+json, application/json',
          Authorization: `Bearer ${credential}`,
        },
        body: JSON.stringify({ query: CREATE_PLAYGROUND_KEY }),
      });
    } catch (error) {
      throw new Error(`Could not reach ${endpoint}: ${error.message}`, { cause: error });
    }
    let body;
    try {
      body = await response.json();
    } catch {
      throw new Error(`HTTP ${response.status} from ${endpoint}, and not a GraphQL response`);
    }
    const error = body.errors && body.errors[0];
    if (error) {
      const code = error.extensions && error.extensions.code;
      throw new Error(code ? `${code}: ${error.message}` : error.message);
    }
    const created = body.data && body.data.createPlaygroundKey;
    if (!created) throw new Error(`HTTP ${response.status} from ${endpoint}, with no key in it`);
    return created;
  }

  /**
   * The headers editor's JSON with Authorization set to the new key. Any other
   * credential header goes: the server would otherwise have two to choose from.
   */
  function withAuthorization(headersText, secret) {
    let headers = {};
    try {
      const parsed = JSON.parse(headersText || '{}');
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) headers = parsed;
    } catch {
      // Unparseable headers could not have been sent anyway; start afresh.
    }
    for (const name of Object.keys(headers)) {
      if (/^(authorization|x-api-key)$/i.test(name)) delete headers[name];
    }
    headers.Authorization = `Bearer ${secret}`;
    return JSON.stringify(headers, null, 2);
  }

  function formatExpiry(iso) {
    const at = new Date(iso);
    return `${at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })} (${at.toISOString()})`;
  }

  /** Lives in GraphiQL's footer, under the response: always in view, and inside GraphiQL's editor context. */
  function TokenBar() {
    const editors = GraphiQL.React.useEditorContext({ nonNull: true });
    const [credential, setCredential] = React.useState('');
    const [busy, setBusy] = React.useState(false);
    const [outcome, setOutcome] = React.useState(null);

    async function generate(event) {
      event.preventDefault();
      const value = credential.trim().replace(/^bearer\s+/i, '');
      if (!value) {
        setOutcome({ error: 'Paste an admin key (sk_…) or a dashboard token first.' });
        return;
      }
      setBusy(true);
      setOutcome(null);
      try {
        const created = await createPlaygroundKey(value);
        const editor = editors.headerEditor;
        if (!editor) throw new Error('The headers editor is not ready yet; try again.');
        editor.setValue(withAuthorization(editor.getValue(), created.secret));
        // The admin key has done its job; don't leave it sitting in the page.
        setCredential('');
        setOutcome({ key: created.apiKey });
      } catch (error) {
        setOutcome({ error: error.message });
      } finally {
        setBusy(false);
      }
    }

    return h(
      'form',
      { className: 'kw-token', onSubmit: generate },
      h(
        'div',
        { className: 'kw-token-row' },
        h('label', { htmlFor: 'kw-credential' }, 'Admin key'),
        h('input', {
          id: 'kw-credential',
          className: 'kw-token-input',
          type: 'password',
          autoComplete: 'off',
          spellCheck: false,
          placeholder: 'sk_… or a dashboard JWT (needs keys:write and leads:*)',
          value: credential,
          onChange: (event) => setCredential(event.target.value),
        }),
        h(
          'button',
          { type: 'submit', className: 'graphiql-button kw-token-button', disabled: busy },
          busy ? 'Generating…' : 'Generate test token',
        ),
      ),
      outcome && outcome.error ? h('p', { className: 'kw-token-error', role: 'alert' }, outcome.error) : null,
      outcome && outcome.key
        ? h(
            'p',
            { className: 'kw-token-ok', role: 'status' },
            'Test key ',
            h('code', null, outcome.key.prefix),
            ` expires in an hour, at ${formatExpiry(outcome.key.expiresAt)}. It is in the Headers tab: this tab's requests now send it.`,
          )
        : null,
      outcome
        ? null
        : h(
            'p',
            { className: 'kw-token-hint' },
            'Makes a 1-hour key, “Docs playground (temp)”, holding ',
            h('code', null, 'leads:read/create/update/delete'),
            ', and puts it in the request headers. Neither key is stored by this page.',
          ),
    );
  }

  ReactDOM.createRoot(mount).render(
    h(
      GraphiQL,
      {
        fetcher: GraphiQL.createFetcher({ url: endpoint }),
        defaultQuery: DEFAULT_QUERY,
        defaultEditorToolsVisibility: 'headers',
        // Headers hold keys: never write them to localStorage.
        shouldPersistHeaders: false,
      },
      h(GraphiQL.Logo, null, 'keyward explorer'),
      h(GraphiQL.Footer, null, h(TokenBar)),
    ),
  );
})();
