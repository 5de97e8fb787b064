// The one place that talks HTTP to the server. Errors come back as ApiError carrying the problem details
// (`code`, `detail`, `errors`, `triesLeft`, `lockedUntil`, …); `message` is what to show a person.

export class ApiError extends Error {
  constructor(status, problem) {
    const p = problem && typeof problem === 'object' ? problem : {};
    super(p.detail || p.title || `The request failed (HTTP ${status}).`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = p;
    this.code = p.code ?? (status === 404 ? 'not_found' : undefined);
  }
}

let unauthorizedHandler = null;

/** Called when a request comes back 401 (the cookie expired or was signed out elsewhere). */
export function onUnauthorized(fn) {
  unauthorizedHandler = fn;
}

export function newIdempotencyKey() {
  if (globalThis.crypto?.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

// State-changing calls on jobs carry an Idempotency-Key; a request whose answer was lost on the network is
// retried once with the same key, so it can never take effect twice (docs/ARCHITECTURE.md, "The HTTP contract").
const IDEMPOTENT_PREFIXES = ['/api/jobs', '/api/offers', '/api/price-proposals', '/api/threads'];

/**
 * Options: quiet401 (don't report a 401 as a sign-out), headers (extra request headers), cache (fetch cache mode),
 * withResponse (resolve to { status, data, headers } instead of the data; a 304 resolves instead of throwing).
 */
export async function api(method, path, body, { quiet401 = false, headers: extra, cache, withResponse = false } = {}) {
  const headers = { Accept: 'application/json, application/problem+json', ...(extra ?? {}) };
  const init = { method, headers, credentials: 'same-origin' };
  if (cache) init.cache = cache;
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const idempotent = method === 'POST' && IDEMPOTENT_PREFIXES.some((p) => path.startsWith(p));
  if (idempotent) headers['Idempotency-Key'] = newIdempotencyKey();

  let res;
  try {
    res = await fetch(path, init);
  } catch {
    if (idempotent) {
      try {
        res = await fetch(path, init);
      } catch {
        res = null;
      }
    }
    if (!res) {
      throw new ApiError(0, {
        title: 'Network error',
        detail: 'Could not reach Hustle. Check your connection and try again.',
        code: 'network_error',
      });
    }
  }

  const text = res.status === 204 ? '' : await res.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  if (res.status === 401) {
    if (!quiet401 && unauthorizedHandler) unauthorizedHandler();
    throw new ApiError(401, typeof data === 'object' && data ? data : { detail: 'Please sign in.', code: 'unauthorized' });
  }
  if (withResponse && res.status === 304) return { status: 304, data: null, headers: res.headers };
  if (!res.ok) {
    throw new ApiError(res.status, typeof data === 'object' && data ? data : { detail: typeof data === 'string' && data.length < 300 ? data : undefined });
  }
  return withResponse ? { status: res.status, data, headers: res.headers } : data;
}

export const get = (path, opts) => api('GET', path, undefined, opts);
export const post = (path, body, opts) => api('POST', path, body, opts);
export const put = (path, body, opts) => api('PUT', path, body, opts);
export const patch = (path, body, opts) => api('PATCH', path, body, opts);

/** The next page of a list, from its `Link: <…>; rel="next"` header (every paged list sends one), or null. */
export function nextPage(headers) {
  const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(headers?.get('Link') ?? '');
  return match ? match[1] : null;
}

/** Every item of a paged list, following its next links (at most `maxPages` pages: a list cannot keep us busy forever). */
export async function getAll(path, { maxPages = 50 } = {}) {
  let items = [];
  for (let url = path, page = 0; url && page < maxPages; page++) {
    const res = await api('GET', url, undefined, { withResponse: true });
    items = items.concat(Array.isArray(res.data) ? res.data : []);
    url = nextPage(res.headers);
  }
  return items;
}
