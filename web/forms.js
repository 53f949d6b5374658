// Data entry (#/new-patient, #/enter/PATIENT/FORM, #/enter/PATIENT/FORM/RECORD):
// forms generated from the field definitions the server serves (GET /api/forms,
// built from the registry's field catalogue), checked as typed with the same
// rules (required, integer/number, range, length, vocabulary), and the server's
// refusal shown with the field named. Editing saved data asks for a reason and
// sends the record's version; a 409 says someone else saved in between.
// Stable ids for tests: every input is #f-NAME (name NAME), its message #err-NAME,
// the form #entry-form, the refusal #form-error (role=alert), the result #form-result.
import { api, el, errorText } from './api.js';

let schemaCache = null;
async function schema() {
  if (!schemaCache) {
    const r = await api('GET', '/api/forms');
    if (r.status !== 200) throw new Error(errorText(r));
    schemaCache = r.data;
  }
  return schemaCache;
}

const titles = {
  patient: 'Patient', baseline: 'Baseline', treatment: 'Treatment', lesion_measurement: 'Lesion measurement',
  lab: 'Laboratory value', adverse_event: 'Adverse event', followup: 'Follow-up event',
};
// The patient record's list of each form's records (GET /api/patients/ID).
const recordLists = {
  treatment: 'treatments', lesion_measurement: 'lesion_measurements', lab: 'labs', adverse_event: 'adverse_events', followup: 'followup_events',
};

function label(f) {
  let t = f.name.replaceAll('_', ' ');
  if (f.kind === 'day') t += ' (study day, day 0 = index date)';
  if (f.unit) t += ' [' + f.unit + ']';
  return t + (f.required ? ' *' : '');
}

// The problem with a typed value by the schema's rules, or '' when it is fine.
export function checkValue(f, text, s) {
  const v = text.trim();
  if (v === '') return f.required ? 'a value (required)' : '';
  if (f.kind === 'integer' || f.kind === 'day') {
    if (!/^[+-]?\d{1,18}$/.test(v)) return f.kind === 'day' ? 'a study day: a whole number of days from the index date' : 'an integer';
    const n = Number(v);
    if (n < f.min || n > f.max) return (f.kind === 'day' ? 'a study day from ' : 'an integer from ') + f.min + ' to ' + f.max;
  }
  if (f.kind === 'real') {
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v)) return 'a number';
    const n = Number(v);
    if (!Number.isFinite(n) || n < f.min || n > f.max) return 'a value from ' + f.min + ' to ' + f.max + ' (registry plausibility range)';
  }
  if (f.kind === 'text' && v.length > f.max_length) return 'short coded text of at most ' + f.max_length + ' characters';
  if (f.kind === 'choice' && !f.values.includes(v)) return 'one of ' + f.values.join(', ');
  if (f.kind === 'flag' && v !== '0' && v !== '1') return '0 (no) or 1 (yes)';
  if (f.kind === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(v)) return 'a calendar date YYYY-MM-DD';
  if (f.name === 'unit' && s && s.test && s.lab_units[s.test] && !s.lab_units[s.test].includes(v.toLowerCase())) {
    return 'a unit of ' + s.test + ': ' + s.lab_units[s.test].map((u) => u || '(none)').join(', ');
  }
  return '';
}

// The JSON value of a typed text for the field's kind.
function jsonValue(f, text) {
  const v = text.trim();
  if (v === '') return null;
  if (f.kind === 'integer' || f.kind === 'day' || f.kind === 'flag') return Number.parseInt(v, 10);
  if (f.kind === 'real') return Number(v);
  return v;
}

function input(f, s, value) {
  const attrs = { id: 'f-' + f.name, name: f.name, 'aria-describedby': 'err-' + f.name };
  if (f.required) attrs['aria-required'] = 'true';
  let e;
  if (f.kind === 'choice' || f.kind === 'flag') {
    const options = f.kind === 'flag' ? [['1', 'yes'], ['0', 'no']] : f.values.map((v) => [v, v]);
    e = el('select', attrs, el('option', { value: '' }, '—'), ...options.map(([v, t]) => el('option', { value: v }, t)));
  } else if ((f.name === 'site' || f.name === 'arm') && s.sites) {
    // The user's sites and the study arms, as the server lists them.
    const codes = [...new Set((f.name === 'site' ? s.sites : s.arms).map((x) => x.code))];
    e = el('select', attrs, el('option', { value: '' }, '—'), ...codes.map((c) => el('option', { value: c }, c)));
  } else if (f.name === 'unit' && s.lab_units) {
    e = el('input', { ...attrs, list: 'lab-units', autocomplete: 'off' });
  } else {
    e = el('input', { ...attrs, type: f.kind === 'date' ? 'date' : 'text', inputmode: f.kind === 'text' || f.kind === 'date' ? null : 'decimal', maxlength: f.max_length || null });
  }
  if (value !== null && value !== undefined) e.value = String(value);
  return e;
}

// The form: title, fields, (edit) reason, submit. `record` = the saved record when editing.
function buildForm(root, s, formName, record, submit) {
  const def = s.forms[formName];
  const editing = !!record;
  const fields = def.fields.filter((f) => !(editing && f.create_only) && !(formName === 'patient' && f.name === 'study'));
  const original = {};
  const rows = [];
  const labUnits = el('datalist', { id: 'lab-units' });
  const state = { test: record ? record.test : '', lab_units: s.lab_units };
  for (const f of fields) {
    let v = record ? record[f.name] : null;
    if (record && formName === 'patient' && (f.name === 'site' || f.name === 'arm')) v = record[f.name];
    original[f.name] = v === undefined || v === null ? '' : String(v);
    const i = input(f, s, v);
    const msg = el('span', { id: 'err-' + f.name, class: 'field-error', 'aria-live': 'polite' });
    const check = () => {
      if (f.name === 'test') { state.test = i.value; fillUnits(); }
      const problem = checkValue(f, i.value, state);
      msg.textContent = problem ? 'expected ' + problem : '';
      if (problem) i.setAttribute('aria-invalid', 'true'); else i.removeAttribute('aria-invalid');
      return !problem;
    };
    i.addEventListener('input', check);
    i.addEventListener('change', check);
    rows.push({ f, i, msg, check });
  }
  function fillUnits() {
    const units = (s.lab_units[state.test] || []).filter((u) => u);
    labUnits.replaceChildren(...units.map((u) => el('option', { value: u })));
  }
  fillUnits();
  const reason = editing ? el('textarea', { id: 'f-reason', name: 'reason', rows: 2, maxlength: s.reason_max_length, 'aria-describedby': 'err-reason', 'aria-required': 'true' }) : null;
  const reasonMsg = el('span', { id: 'err-reason', class: 'field-error', 'aria-live': 'polite' });
  const error = el('p', { id: 'form-error', role: 'alert' });
  const result = el('div', { id: 'form-result', role: 'status' });
  const button = el('button', { type: 'submit', id: 'save' }, editing ? 'Save change' : 'Save');
  const form = el('form', { id: 'entry-form', novalidate: true, 'data-form': formName },
    ...rows.map(({ f, i, msg }) => el('p', {}, el('label', { for: 'f-' + f.name }, label(f)), ' ', i, ' ', msg)),
    editing ? el('p', {}, el('label', { for: 'f-reason' }, 'Reason for the change *'), ' ', reason, ' ', reasonMsg) : null,
    labUnits, el('p', {}, button), error, result);

  function markServerProblems(data) {
    for (const p of (data && data.problems) || []) {
      const row = rows.find((r) => r.f.name === p.field);
      const target = row ? row.msg : p.field === 'reason' ? reasonMsg : null;
      if (target) target.textContent = 'expected ' + p.message;
      if (row) row.i.setAttribute('aria-invalid', 'true');
    }
    if (data && data.field === 'reason') reasonMsg.textContent = 'expected ' + data.message;
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    result.replaceChildren();
    let ok = true;
    for (const r of rows) ok = r.check() && ok;
    const body = {};
    for (const { f, i } of rows) {
      if (editing && i.value.trim() === original[f.name]) continue;  // only what changed
      const v = jsonValue(f, i.value);
      if (v === null && !editing) continue;
      body[f.name] = v;
    }
    if (editing) {
      const why = reason.value.trim();
      reasonMsg.textContent = why ? '' : 'expected a reason for changing saved data';
      if (!why) ok = false;
      body.reason = why;
      body.version = record.version;
    }
    if (!ok) { error.textContent = 'Please correct the fields marked above.'; return; }
    button.disabled = true;
    try {
      const r = await submit(body);
      if (r.status === 200 || r.status === 201) showSaved(result, r.data);
      else {
        if (r.status === 409 && r.data && r.data.current !== undefined) {
          error.textContent = 'Someone else saved this record since you opened it (your version ' + r.data.yours +
            ', current version ' + r.data.current + '). Reload the record and apply your change again.';
        } else error.textContent = errorText(r);
        markServerProblems(r.data);
      }
    } finally { button.disabled = false; }
  });
  return form;
}

// What the server answered on save, including what it computed.
function showSaved(result, d) {
  const parts = [el('p', { id: 'saved' }, (d.created ? 'Saved ' : 'Changed ') + titles[d.form].toLowerCase() + ' #' + d.id +
    ' (version ' + d.version + ')' + (d.changed && d.changed.length ? ': ' + d.changed.join(', ') : ''))];
  if (d.pseudonym) parts.push(el('p', {}, 'Pseudonym ', el('strong', { id: 'new-pseudonym' }, d.pseudonym), '; index date stored shifted as ' + d.record.index_date_shifted));
  if (d.ctcae) {
    parts.push(el('p', { id: 'ctcae-grade' }, d.ctcae.grade === null ? 'CTCAE v5.0: not gradable (' + d.ctcae.reason + ')'
      : 'CTCAE v5.0 ' + d.ctcae.term + ': grade ' + d.ctcae.grade));
  }
  if (d.response) {
    for (const key of ['recist', 'mrecist']) {
      const c = d.response[key];
      if (!c) continue;
      const tp = c.timepoints.map((t) => t.visit + ' ' + t.response).join(', ');
      parts.push(el('p', { id: 'response-' + key }, c.criteria + ': ' + (c.not_evaluable ? 'not evaluable (' + c.not_evaluable + ')'
        : (tp || 'no follow-up scan yet') + (c.best_response ? '; best overall response ' + c.best_response : ''))));
    }
  }
  parts.push(el('p', {}, el('a', { href: '#/patient/' + d.patient_id, id: 'back-to-patient' }, 'Back to the patient')));
  result.replaceChildren(...parts);
}

// #/new-patient
export async function showNewPatient(root) {
  const s = await schema();
  const form = buildForm(root, s, 'patient', null, (body) => api('POST', '/api/patients', body));
  root.replaceChildren(el('h2', { id: 'form-title' }, 'New patient'),
    el('p', {}, 'The index date is stored moved by a random number of days (never the real date); all other dates are study days from it.'),
    form);
}

// #/enter/PATIENT/FORM[/RECORD]
export async function showEntry(root, param) {
  const [patientId, formName, recordId] = param.split('/');
  const s = await schema();
  if (!s.forms[formName]) { root.replaceChildren(el('p', { role: 'alert' }, 'No such form.')); return; }
  const pr = await api('GET', '/api/patients/' + encodeURIComponent(patientId));
  if (pr.status !== 200) { root.replaceChildren(el('p', { role: 'alert' }, errorText(pr))); return; }
  const p = pr.data;
  let record = null;
  let submit;
  const base = '/api/patients/' + encodeURIComponent(patientId);
  if (formName === 'patient') {
    record = p;
    submit = (body) => api('PATCH', base, body);
  } else if (formName === 'baseline') {
    record = p.baseline;
    submit = (body) => api('PUT', base + '/baseline', body);
  } else if (recordId) {
    record = (p[recordLists[formName]] || []).find((r) => String(r.id) === recordId) || null;
    if (!record) { root.replaceChildren(el('p', { role: 'alert' }, 'No such record of this patient.')); return; }
    if (formName === 'lesion_measurement') {
      const lesion = (p.lesions || []).find((l) => l.id === record.lesion_id);
      if (lesion) record = { ...record, label: lesion.label, organ: lesion.organ, kind: lesion.kind };
    }
    submit = (body) => api('PATCH', base + '/' + s.forms[formName].collection + '/' + encodeURIComponent(recordId), body);
  } else {
    submit = (body) => api('POST', base + '/' + s.forms[formName].collection, body);
  }
  const form = buildForm(root, s, formName, record, submit);
  root.replaceChildren(el('h2', { id: 'form-title' }, (record ? 'Edit ' : 'New ') + titles[formName].toLowerCase() + ' — ' + p.pseudonym),
    el('p', {}, el('a', { href: '#/patient/' + encodeURIComponent(patientId) }, '← back to the patient')), form);
}

// Links to the forms for a patient page (for roles that may write).
export function entryLinks(patient, role) {
  if (!['admin', 'investigator', 'data_manager'].includes(role)) return null;
  const id = encodeURIComponent(patient.id);
  const links = [['patient', 'Edit patient'], ['baseline', patient.baseline ? 'Edit baseline' : 'Enter baseline'], ['treatment', 'Add treatment'],
    ['lesion_measurement', 'Add lesion measurement'], ['lab', 'Add lab value'], ['adverse_event', 'Add adverse event'], ['followup', 'Add follow-up event']];
  return el('p', { id: 'entry-links' }, ...links.flatMap(([f, t]) => [el('a', { href: '#/enter/' + id + '/' + f, id: 'add-' + f }, t), ' ']));
}

// The edit link of one saved record (for the record tables of the patient page).
export function editLink(patientId, formName, recordId) {
  return el('a', { href: '#/enter/' + encodeURIComponent(patientId) + '/' + formName + '/' + encodeURIComponent(recordId), class: 'edit' }, 'edit');
}
