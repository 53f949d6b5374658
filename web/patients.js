// The patient list (#/patients) and one patient's record (#/patient/ID), read-only.
import { api, el, errorText, session, table } from './api.js';
import { editLink, entryLinks } from './forms.js';

const listColumns = [
  { key: 'pseudonym', label: 'Pseudonym' }, { key: 'study', label: 'Study' }, { key: 'site', label: 'Site' },
  { key: 'arm', label: 'Arm' }, { key: 'sex', label: 'Sex' }, { key: 'age_years', label: 'Age' }, { key: 'status', label: 'Status' },
];

export async function showPatients(root) {
  const filter = el('form', { id: 'filter-form' },
    el('label', {}, 'Search pseudonym ', el('input', { name: 'search' })),
    el('label', {}, 'Site ', el('input', { name: 'site' })),
    el('label', {}, 'Arm ', el('input', { name: 'arm' })),
    el('label', {}, 'Status ', el('select', { name: 'status' }, el('option', { value: '' }, 'any'), el('option', {}, 'alive'), el('option', {}, 'deceased'))),
    el('button', { type: 'submit' }, 'Filter'));
  const count = el('p', { id: 'count' });
  const holder = el('div', {});
  const error = el('p', { id: 'list-error', role: 'alert' });
  root.replaceChildren(el('h2', { id: 'patients-title' }, 'Patients'), filter, count, holder, error);

  async function load() {
    const params = new URLSearchParams();
    for (const [k, v] of new FormData(filter)) if (v) params.set(k, v);
    const r = await api('GET', '/api/patients?' + params.toString());
    error.textContent = '';
    if (r.status !== 200) { error.textContent = errorText(r); holder.replaceChildren(); return; }
    count.textContent = r.data.total + ' patients';
    const t = table(listColumns, r.data.patients, { id: 'patients' });
    // Each pseudonym opens the patient's page.
    t.querySelectorAll('tbody tr').forEach((tr, i) => {
      const cell = tr.firstChild;
      const name = cell.textContent;
      cell.replaceChildren(el('a', { href: '#/patient/' + encodeURIComponent(r.data.patients[i].id) }, name));
    });
    holder.replaceChildren(t);
  }
  filter.addEventListener('submit', (e) => { e.preventDefault(); load(); });
  await load();
}

// The columns of a record section: every key of its rows except the bookkeeping ones.
function columnsOf(rows) {
  const skip = new Set(['patient_id']);
  const keys = [];
  for (const row of rows) for (const k of Object.keys(row)) if (!skip.has(k) && !keys.includes(k)) keys.push(k);
  return keys.map((k) => ({ key: k, label: k.replaceAll('_', ' ') }));
}

const sections = [
  ['treatments', 'Treatments'], ['lesions', 'Lesions'], ['lesion_measurements', 'Lesion measurements'],
  ['labs', 'Laboratory values'], ['adverse_events', 'Adverse events'], ['followup_events', 'Follow-up'],
];

// The form that edits a record of each section (forms.js).
const editForms = {
  treatments: 'treatment', lesion_measurements: 'lesion_measurement', labs: 'lab', adverse_events: 'adverse_event', followup_events: 'followup',
};

export async function showPatient(root, id) {
  const r = await api('GET', '/api/patients/' + encodeURIComponent(id));
  if (r.status !== 200) { root.replaceChildren(el('p', { role: 'alert' }, errorText(r))); return; }
  const p = r.data;
  const parts = [el('h2', { id: 'patient-title' }, 'Patient ' + p.pseudonym),
    el('p', {}, el('a', { href: '#/patients' }, '← all patients')), entryLinks(p, session().role)];
  const summary = Object.fromEntries(Object.entries(p).filter(([, v]) => v === null || typeof v !== 'object'));
  parts.push(table(columnsOf([summary]), [summary], { id: 'patient-summary' }));
  if (p.baseline) parts.push(el('h3', {}, 'Baseline'), table(columnsOf([p.baseline]), [p.baseline], { id: 'baseline' }));
  for (const [key, title] of sections) {
    const rows = p[key] || [];
    parts.push(el('h3', {}, title + ' (' + rows.length + ')'));
    if (!rows.length) continue;
    const t = table(columnsOf(rows), rows, { id: key.replaceAll('_', '-') });
    const form = editForms[key];
    if (form && entryLinks(p, session().role)) {
      t.querySelector('thead tr').appendChild(el('th', { scope: 'col' }, ''));
      t.querySelectorAll('tbody tr').forEach((tr, i) => tr.appendChild(el('td', {}, editLink(p.id, form, rows[i].id))));
    }
    parts.push(t);
  }
  parts.push(await eligibilitySection(p.id));
  root.replaceChildren(...parts);
}

// The verdict under each randomisation scheme's eligibility rules, from the registry record.
async function eligibilitySection(id) {
  const box = el('section', { id: 'eligibility' }, el('h3', {}, 'Eligibility'));
  const r = await api('GET', '/api/patients/' + encodeURIComponent(id) + '/eligibility');
  if (r.status !== 200) { box.append(el('p', { role: 'alert' }, errorText(r))); return box; }
  if (!r.data.schemes.length) { box.append(el('p', {}, 'No randomisation scheme (with its eligibility rules) for this patient\'s study.')); return box; }
  for (const s of r.data.schemes) {
    box.append(el('p', { class: 'eligibility-verdict', 'data-scheme': s.scheme }, `Scheme ${s.scheme} (${s.rules}): `, el('strong', {}, s.verdict)));
    box.append(table([{ key: 'id', label: 'criterion' }, { key: 'verdict', label: 'verdict' }, { key: 'required', label: 'required' }, { key: 'reason', label: 'reason' }],
      s.criteria.map((c) => ({ ...c, required: c.required ? 'yes' : 'no' })), { class: 'eligibility-criteria', 'data-scheme': s.scheme }));
  }
  return box;
}
