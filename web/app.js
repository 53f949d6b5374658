// sirtkit serve: the shell of the browser workspace. Sign in, then pages chosen by
// the hash route (#/patients, #/patient/ID, ...). Every page is a module of its own
// exporting a show function; add a page by importing it and adding it to `pages`
// (and, if it has one, a link to `navigation`). Plain JavaScript modules, no
// framework, nothing loaded from the internet.
import { api, el, errorText, requestEarly, session, setSession } from './api.js';
import { showPatient, showPatients } from './patients.js';
import { showPlan, showPlans } from './plan.js';
import { showVerify } from './verify.js';
import { showAnalysis } from './analysis.js';
import { showEntry, showNewPatient } from './forms.js';
import { showAudit } from './audit.js';
import { showExport } from './export.js';

// Opening a plan (#/plan/ID): niivue's module (3.1 MB, its parse most of a
// second) is asked for now, while the session is checked and the page's own
// requests run; plan.js's import of it then finds it loaded or loading.
// Its plan JSON too (a GET: no CSRF token needed), one round trip before the
// session check would let plan.js ask for it.
if (location.hash.startsWith('#/plan/')) {
  import('./vendor/niivue/niivue.js').catch(() => {});
  const id = decodeURIComponent(location.hash.slice('#/plan/'.length).split('/')[0]);
  requestEarly('/api/plans/' + encodeURIComponent(id));
}

// route name -> show(root, param) for #/name/param
const pages = {
  patients: showPatients,
  patient: showPatient,
  plans: showPlans,
  plan: showPlan,
  verify: showVerify,
  analysis: showAnalysis,
  'new-patient': showNewPatient,
  enter: showEntry,
  audit: showAudit,
  export: showExport,
};

// [route, label, roles allowed or null for every role]
const navigation = [
  ['patients', 'Patients', null],
  ['plans', 'Planning', ['admin', 'physicist', 'investigator']],
  ['analysis', 'Analysis', ['admin', 'investigator', 'statistician']],
  ['new-patient', 'New patient', ['admin', 'investigator', 'data_manager']],
  ['audit', 'Audit trail', ['admin', 'monitor']],
  ['export', 'Downloads', ['admin', 'data_manager', 'statistician']],
];

function $(id) { return document.getElementById(id); }

function showLogin() {
  setSession(null);
  $('who').textContent = '';
  $('logout').hidden = true;
  $('nav').replaceChildren();
  $('page').replaceChildren();
  $('login-view').hidden = false;
}

function buildNavigation(me) {
  const links = navigation.filter(([, , roles]) => !roles || roles.includes(me.role))
    .map(([route, label]) => el('a', { href: '#/' + route }, label));
  $('nav').replaceChildren(...links);
}

async function route() {
  if (!session()) return;
  const [name, ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  const show = pages[name];
  if (!show) { location.hash = '#/patients'; return; }
  // Each visit renders into its own container: a page still loading when the
  // user (or a sign-in) moves on writes into a detached element, never over
  // the newer page.
  const root = el('div', { class: 'route' });
  $('page').replaceChildren(root);
  root.replaceChildren(el('p', { 'aria-busy': 'true' }, 'Loading…'));
  try { await show(root, rest.map(decodeURIComponent).join('/')); }
  catch (e) { root.replaceChildren(el('p', { role: 'alert' }, 'This page failed: ' + e.message)); }
}

function signedIn(me) {
  setSession(me);
  $('login-view').hidden = true;
  $('who').textContent = me.username + ' (' + me.role + ')';
  $('logout').hidden = false;
  buildNavigation(me);
  route();
}

document.addEventListener('DOMContentLoaded', async () => {
  $('login-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = new FormData(e.target);
    const body = { username: f.get('username'), password: f.get('password') };
    if (f.get('totp')) body.totp = f.get('totp');
    const r = await api('POST', '/api/login', body);
    if (r.status === 200) { e.target.reset(); $('login-error').textContent = ''; signedIn(r.data); }
    else $('login-error').textContent = errorText(r);
  });
  $('logout').addEventListener('click', async () => { await api('POST', '/api/logout', {}); showLogin(); });
  window.addEventListener('hashchange', route);
  window.addEventListener('sirtkit:signed-out', showLogin);
  const me = await api('GET', '/api/me');
  if (me.status === 200) signedIn(me.data); else showLogin();
});
