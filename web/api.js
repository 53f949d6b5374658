// The one way the pages talk to the server, and the one way they build DOM.
// Text from the server is only ever inserted with textContent (never innerHTML),
// so nothing a record holds can run as HTML.
let csrfToken = '';
let currentUser = null;

export function setSession(me) { currentUser = me; csrfToken = me ? me.csrf_token : ''; }
export function session() { return currentUser; }

// JSON request; state-changing requests carry the CSRF header. Answers {status, data}.
export async function api(method, path, body) {
  const opts = { method, headers: {}, credentials: 'same-origin' };
  if (body !== undefined) {
    opts.headers['Content-Type'] = 'application/json';
    opts.headers['X-CSRF-Token'] = csrfToken;
    opts.body = JSON.stringify(body);
  }
  const r = await fetch(path, opts);
  let data = null;
  try { data = await r.json(); } catch (e) { data = null; }
  if (r.status === 401 && path !== '/api/me' && path !== '/api/login') window.dispatchEvent(new Event('sirtkit:signed-out'));
  return { status: r.status, data };
}

// GET requests made before the page that needs them asks (app.js, while the
// session is checked): path -> Promise of {status, data}, each taken once.
const early = new Map();
export function requestEarly(path) {
  early.set(path, fetch(path, { credentials: 'same-origin' }).then(async (r) => {
    let data = null;
    try { data = await r.json(); } catch (e) { data = null; }
    return { status: r.status, data };
  }).catch(() => null));
}
// api('GET', path), answered by the early request when it succeeded (a 401 of
// a visitor who signed in since, or a failed fetch, is asked again).
export async function apiGet(path) {
  const pending = early.get(path);
  early.delete(path);
  const r = pending ? await pending : null;
  return r && r.status === 200 ? r : api('GET', path);
}

// The message of an API error answer, for a role="alert" element.
export function errorText(r) {
  if (r.data && r.data.message) return r.data.field ? r.data.message + ' (field ' + r.data.field + ')' : r.data.message;
  return 'error ' + r.status;
}

// el('td', {class: 'n'}, 'text', childNode, ...): an element with attributes and children;
// strings become text nodes.
export function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    e.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
  return e;
}

// A table of rows (objects) with the given columns [{key, label}].
export function table(columns, rows, attrs) {
  const head = el('tr', {}, ...columns.map((c) => el('th', { scope: 'col' }, c.label)));
  const body = rows.map((row) => el('tr', {}, ...columns.map((c) => {
    const v = row[c.key];
    return el('td', {}, v === null || v === undefined ? '' : String(v));
  })));
  return el('table', attrs || {}, el('thead', {}, head), el('tbody', {}, ...body));
}
