// /docs: Scalar's API reference over /openapi.json, and a "Generate test token"
// control that makes a playground key and hands it to the reference as its
// bearer token, so each route's "Test Request" runs with it.
(function () {
  const root = document.getElementById('docs');
  const graphqlPath = root.dataset.graphql;
  const base = {
    url: root.dataset.openapi,
    // Scalar's defaults fetch fonts from its CDN; keyward serves nothing from elsewhere.
    withDefaultFonts: false,
    hideDarkModeToggle: true,
    telemetry: false,
    persistAuth: false,
    defaultOpenAllTags: true,
    // Its developer tools and "Ask AI" call scalar.com; this page calls keyward alone.
    showDeveloperTools: 'never',
    agent: { disabled: true },
  };
  let reference = null;
  function mount(token) {
    if (reference) reference.destroy();
    const auth = token ? { authentication: { preferredSecurityScheme: 'bearerAuth', securitySchemes: { bearerAuth: { token } } } } : {};
    reference = window.Scalar.createApiReference('#reference', { ...base, ...auth });
  }
  mount(null);

  const form = document.getElementById('kw-docs-token');
  const input = document.getElementById('kw-docs-credential');
  const status = document.getElementById('kw-docs-status');
  const alert = document.getElementById('kw-docs-alert');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    status.textContent = '';
    alert.textContent = '';
    try {
      const res = await fetch(graphqlPath, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${input.value.trim()}` },
        body: JSON.stringify({ query: 'mutation { createPlaygroundKey { secret apiKey { prefix expiresAt } } }' }),
      });
      const body = await res.json().catch(() => null);
      const error = body && body.errors && body.errors[0];
      if (error || !body || !body.data) throw new Error(error ? `${error.extensions?.code}: ${error.message}` : `HTTP ${res.status}`);
      const { secret, apiKey } = body.data.createPlaygroundKey;
      input.value = '';
      mount(secret);
      status.textContent = `Test key ${apiKey.prefix} expires at ${new Date(apiKey.expiresAt).toISOString()}: it is the bearer token of every request below.`;
    } catch (error) {
      alert.textContent = error.message;
    }
  });
})();
