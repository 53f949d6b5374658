// The audit trail (#/audit, admin and monitor): who, when, what (old -> new) and
// why, newest first, filterable by user, table, patient and date range
// (GET /api/audit). Everything the trail holds is shown with textContent.
// Stable ids for tests: #audit-filter (inputs user, table, patient, from, to),
// #audit (the table), #audit-count, #audit-error (role=alert), #audit-more.
import { api, el, errorText } from './api.js';

const tables = ['', 'patients', 'baseline', 'treatments', 'lesions', 'lesion_measurements', 'labs', 'adverse_events', 'followup_events',
  'studies', 'sites', 'arms', 'plan_approvals', 'randomisation_schemes', 'randomisation_allocations', 'users', 'user_sites', 'auth_events'];

function shown(v) {
  if (v === null || v === undefined) return '∅';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function changesCell(entry) {
  const list = el('ul', { class: 'changes' });
  for (const c of entry.changes || []) {
    list.appendChild(el('li', {}, el('code', {}, c.field), ': ', el('span', { class: 'old' }, shown(c.old)), ' → ', el('span', { class: 'new' }, shown(c.new))));
  }
  return list;
}

function row(e) {
  return el('tr', {},
    el('td', {}, e.at), el('td', {}, e.actor), el('td', {}, e.action), el('td', {}, e.table_name),
    el('td', {}, e.row_id === null ? '' : String(e.row_id)), el('td', {}, changesCell(e)), el('td', { class: 'reason' }, e.reason || ''));
}

export async function showAudit(root, param) {
  const q = new URLSearchParams(param || '');
  const filter = el('form', { id: 'audit-filter' },
    el('label', {}, 'User ', el('input', { name: 'user', id: 'audit-user', value: q.get('user') || '' })),
    el('label', {}, 'Table ', el('select', { name: 'table', id: 'audit-table' }, ...tables.map((t) => el('option', { value: t }, t || 'any')))),
    el('label', {}, 'Patient id ', el('input', { name: 'patient', id: 'audit-patient', inputmode: 'numeric', value: q.get('patient') || '' })),
    el('label', {}, 'From ', el('input', { name: 'from', id: 'audit-from', type: 'date' })),
    el('label', {}, 'To ', el('input', { name: 'to', id: 'audit-to', type: 'date' })),
    el('button', { type: 'submit' }, 'Filter'));
  filter.elements.table.value = q.get('table') || '';
  const count = el('p', { id: 'audit-count' });
  const error = el('p', { id: 'audit-error', role: 'alert' });
  const body = el('tbody', {});
  const head = el('tr', {}, ...['When (UTC)', 'Who', 'Action', 'Table', 'Record', 'What (old → new)', 'Why'].map((h) => el('th', { scope: 'col' }, h)));
  const more = el('button', { type: 'button', id: 'audit-more', hidden: true }, 'More');
  root.replaceChildren(el('h2', { id: 'audit-title' }, 'Audit trail'), filter, count, error,
    el('table', { id: 'audit' }, el('thead', {}, head), body), more);
  let offset = 0;
  const limit = 100;

  async function load(append) {
    const params = new URLSearchParams();
    for (const [k, v] of new FormData(filter)) if (v) params.set(k, v);
    params.set('limit', limit);
    params.set('offset', offset);
    const r = await api('GET', '/api/audit?' + params.toString());
    error.textContent = '';
    if (r.status !== 200) { error.textContent = errorText(r); if (!append) body.replaceChildren(); more.hidden = true; return; }
    const rows = r.data.entries.map(row);
    if (append) rows.forEach((tr) => body.appendChild(tr)); else body.replaceChildren(...rows);
    count.textContent = r.data.total + ' entries';
    more.hidden = offset + r.data.entries.length >= r.data.total;
  }
  filter.addEventListener('submit', (e) => { e.preventDefault(); offset = 0; load(false); });
  more.addEventListener('click', () => { offset += limit; load(true); });
  await load(false);
}
