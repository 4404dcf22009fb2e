// The Ironic REST API as the page calls it: the server's base URL, the user's HTTP basic
// credentials (kept in sessionStorage, for this tab only), the microversion header, and Ironic's
// double-encoded error bodies turned into a readable message.

const VERSION = 'latest';
const STORE_API = 'ironlog.api';
const STORE_AUTH = 'ironlog.auth';

/** A refused or failed request: `status` is the HTTP status, `message` the server's faultstring. */
export class ApiError extends Error {
  constructor(status, message, requestId) {
    super(message);
    this.status = status;
    this.requestId = requestId;
  }
}

/** The server the page talks to: `?api=` in the page URL, the login form's choice, or the page's own origin. */
export function apiBase() {
  const given = new URLSearchParams(location.search).get('api') || sessionStorage.getItem(STORE_API);
  return (given || location.origin).replace(/\/+$/, '');
}

/** Remembers the server and the credentials for this tab; an empty user forgets them. */
export function setLogin(base, user, password) {
  if (base) {
    sessionStorage.setItem(STORE_API, base.replace(/\/+$/, ''));
    // The page's `?api=` wins over the stored choice, so keep it in step with the form.
    const url = new URL(location.href);
    if (url.searchParams.has('api')) {
      url.searchParams.set('api', base);
      history.replaceState(null, '', url);
    }
  }
  if (user) sessionStorage.setItem(STORE_AUTH, btoa(unescape(encodeURIComponent(`${user}:${password}`))));
  else sessionStorage.removeItem(STORE_AUTH);
}

/** The user name of the stored credentials, or null. */
export function loggedInUser() {
  const token = sessionStorage.getItem(STORE_AUTH);
  if (!token) return null;
  const clear = decodeURIComponent(escape(atob(token)));
  return clear.slice(0, clear.indexOf(':'));
}

/** The headers every API call sends. */
export function headers(extra = {}) {
  const result = { 'X-OpenStack-Ironic-API-Version': VERSION, Accept: 'application/json', ...extra };
  const token = sessionStorage.getItem(STORE_AUTH);
  if (token) result.Authorization = `Basic ${token}`;
  return result;
}

/** The faultstring inside Ironic's `{"error_message": "{\"faultstring\": …}"}`, or the raw text. */
export function faultString(text, status) {
  try {
    const outer = JSON.parse(text);
    const inner = typeof outer.error_message === 'string' ? JSON.parse(outer.error_message) : outer.error_message;
    if (inner && inner.faultstring) return inner.faultstring;
  } catch (_) { /* not Ironic's shape */ }
  return text || `HTTP ${status}`;
}

/** Calls `method path` (a path under the server, or an absolute URL) and answers the decoded JSON, or null. */
export async function request(method, path, body) {
  const url = path.startsWith('http') ? path : apiBase() + path;
  const init = { method, headers: headers(body === undefined ? {} : { 'Content-Type': 'application/json' }) };
  if (body !== undefined) init.body = JSON.stringify(body);
  let response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    throw new ApiError(0, `The server at ${apiBase()} cannot be reached (${error.message}).`);
  }
  const text = await response.text();
  if (!response.ok) {
    const error = new ApiError(response.status, faultString(text, response.status), response.headers.get('Openstack-Request-Id'));
    if (response.status === 401) document.dispatchEvent(new CustomEvent('ironlog:unauthorized', { detail: error }));
    throw error;
  }
  return text ? JSON.parse(text) : null;
}

/** Every item of a paged collection (`key` in each page), following `next` links. */
export async function collect(path, key) {
  const items = [];
  let next = path;
  while (next) {
    const page = await request('GET', next);
    items.push(...(page[key] || []));
    next = page.next || null;
  }
  return items;
}
