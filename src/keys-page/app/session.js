/**
 * Who is signed in, held in memory only: never localStorage, sessionStorage or
 * a cookie, so closing the tab signs out and no other page of the origin can
 * read it.
 *
 * Standalone: `/keys#token=<jwt>` (a fragment never reaches a server or a log),
 * or the sign-in form. Embedded (README, "Embedding /keys"): the parent page,
 * on one of the EMBED_ORIGINS, answers these messages from the page
 *   { type: 'keyward:ready' }                         the page has loaded and needs a token
 *   { type: 'keyward:token-request', reason }         'expiring' (30 s before exp) or 'refused' (keyward answered 401)
 * with
 *   { type: 'keyward:token', token: '<jwt>' }
 * A message from any other origin, or from a window other than the parent, is ignored.
 */
export function takeFragmentToken() {
  const params = new URLSearchParams(window.location.hash.slice(1));
  const token = params.get('token');
  if (window.location.hash) window.history.replaceState(null, '', window.location.pathname + window.location.search);
  return token && token.trim() ? token.trim() : null;
}

export function isEmbedded(embedOrigins) {
  return window.parent !== window && embedOrigins.length > 0;
}

/** The parent's channel: `post` to the parent (only at an allowed origin), `onToken` for each token it hands over. */
export function embedChannel(embedOrigins, onToken) {
  const ancestor = window.location.ancestorOrigins && window.location.ancestorOrigins[0];
  let parentOrigin = ancestor && embedOrigins.includes(ancestor) ? ancestor : null;
  const listener = (event) => {
    if (event.source !== window.parent || !embedOrigins.includes(event.origin)) return;
    const data = event.data;
    if (!data || data.type !== 'keyward:token' || typeof data.token !== 'string' || data.token.trim() === '') return;
    parentOrigin = event.origin;
    onToken(data.token.trim());
  };
  window.addEventListener('message', listener);
  return {
    // Never '*': a token request names no secret, but only an allowed parent should learn the page is there.
    post(message) {
      for (const origin of parentOrigin ? [parentOrigin] : embedOrigins) window.parent.postMessage(message, origin);
    },
    close: () => window.removeEventListener('message', listener),
  };
}

/** A JWT's `exp` in milliseconds, or null for an admin key or a token without one. */
export function expiryOf(token) {
  const parts = (token || '').split('.');
  if (parts.length !== 3) return null;
  try {
    const payload = JSON.parse(atob(parts[1].replace(/-/g, '+').replace(/_/g, '/')));
    return typeof payload.exp === 'number' ? payload.exp * 1000 : null;
  } catch {
    return null;
  }
}
