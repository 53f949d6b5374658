// sirtkit serve: sign in and the patient list. Plain JavaScript, no framework,
// nothing loaded from the internet. Text from the server is always inserted
// with textContent (never innerHTML), so nothing it holds can run as HTML.
'use strict';

let csrf = '';

function $(id) { return document.getElementById(id); }

async function api(method, path, body) {
  const opts = { method, headers: {}, credentials: 'same-origin' };
  if (body !== undefined) {
    opts.headers['Content-Type'] = 'application/json';
    opts.headers['X-CSRF-Token'] = csrf;
    opts.body = JSON.stringify(body);
  }
  const r = await fetch(path, opts);
  let data = null;
  try { data = await r.json(); } catch (e) { data = null; }
  return { status: r.status, data };
}

function show(view) {
  $('login-view').hidden = view !== 'login';
  $('patients-view').hidden = view !== 'patients';
  $('logout').hidden = view === 'login';
}

function signedIn(me) {
  csrf = me.csrf_token;
  $('who').textContent = me.username + ' (' + me.role + ')';
  show('patients');
  loadPatients();
}

async function loadPatients() {
  const params = new URLSearchParams();
  for (const [k, v] of new FormData($('filter-form'))) if (v) params.set(k, v);
  const r = await api('GET', '/api/patients?' + params.toString());
  const tbody = $('patients').querySelector('tbody');
  tbody.replaceChildren();
  $('list-error').textContent = '';
  if (r.status === 401) { show('login'); return; }
  if (r.status !== 200) { $('list-error').textContent = (r.data && r.data.message) || ('error ' + r.status); return; }
  $('count').textContent = r.data.total + ' patients';
  for (const p of r.data.patients) {
    const tr = document.createElement('tr');
    for (const k of ['pseudonym', 'study', 'site', 'arm', 'sex', 'age_years', 'status']) {
      const td = document.createElement('td');
      td.textContent = p[k] === null || p[k] === undefined ? '' : String(p[k]);
      tr.appendChild(td);
    }
    tbody.appendChild(tr);
  }
}

document.addEventListener('DOMContentLoaded', async () => {
  $('login-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = new FormData(e.target);
    const body = { username: f.get('username'), password: f.get('password') };
    if (f.get('totp')) body.totp = f.get('totp');
    const r = await fetch('/api/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const data = await r.json().catch(() => null);
    if (r.status === 200) { e.target.reset(); $('login-error').textContent = ''; signedIn(data); }
    else $('login-error').textContent = (data && data.message) || ('error ' + r.status);
  });
  $('filter-form').addEventListener('submit', (e) => { e.preventDefault(); loadPatients(); });
  $('logout').addEventListener('click', async () => {
    await api('POST', '/api/logout', {});
    csrf = '';
    $('who').textContent = '';
    show('login');
  });
  const me = await api('GET', '/api/me');
  if (me.status === 200) signedIn(me.data); else show('login');
});
