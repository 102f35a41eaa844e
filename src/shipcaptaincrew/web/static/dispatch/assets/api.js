// The one way the board talks to the server: apiFetch adds the token, sends JSON, and turns every
// failure into an ApiError {status, code, message, field}. A 401 forgets the token and calls the
// handler set with whenSignedOut, wherever the request came from.

const SESSION = 'scc.session';
let signedOut = () => {};

export class ApiError extends Error {
  constructor(status, code, message, field = null, retryAfter = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
    this.retryAfter = retryAfter;
  }
}

export function whenSignedOut(handler) {
  signedOut = handler;
}

export function token() {
  let session = null;
  try {
    session = JSON.parse(localStorage.getItem(SESSION));
  } catch {
    return null;
  }
  if (!session || !(Date.parse(session.expires_at) > Date.now())) return null;
  return session.token;
}

export function forgetToken() {
  localStorage.removeItem(SESSION);
}

// A random key for Idempotency-Key; crypto.randomUUID needs a secure context, getRandomValues does not.
export function newKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function apiFetch(path, { method = 'GET', body, idempotencyKey } = {}) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
  const response = await send(path, method, headers, body);
  if (response.status === 204) return null;
  return answer(response, path);
}

// A GET that sends back the ETag it got last: {data, etag, headers}, with data null while nothing changed (304).
export async function apiPoll(path, etag) {
  const response = await send(path, 'GET', etag ? { 'If-None-Match': etag } : {});
  if (response.status === 304) return { data: null, etag, headers: response.headers };
  return { data: await answer(response, path), etag: response.headers.get('ETag'), headers: response.headers };
}

async function send(path, method, headers, body) {
  const bearer = token();
  const sent = { Accept: 'application/json', ...headers, ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}) };
  try {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return await fetch(`/api${path}`, { method, headers: sent, body: payload, cache: 'no-store' });
  } catch {
    throw new ApiError(0, 'network', 'The server could not be reached. Check the connection and try again.');
  }
}

async function answer(response, path) {
  const data = await response.json().catch(() => null);
  if (response.ok) return data;
  throw failure(response, data, path);
}

function failure(response, data, path) {
  const error = data?.error ?? {};
  const message = error.message || `The server answered ${response.status}; nothing was changed.`;
  const result = new ApiError(response.status, error.code || 'error', message, error.field || null,
    response.headers.get('Retry-After'));
  result.conflicts = data?.conflicts ?? []; // a 409 from PUT /events/{slug}/assignment lists them
  if (response.status === 401 && path !== '/login') {
    forgetToken();
    signedOut(result);
  }
  return result;
}

export async function logIn(password) {
  const session = await apiFetch('/login', { method: 'POST', body: { password } });
  localStorage.setItem(SESSION, JSON.stringify(session));
}

export async function logOut() {
  try {
    if (token()) await apiFetch('/logout', { method: 'POST' });
  } finally {
    forgetToken();
  }
}
