// Studies that arrived from PACS (issue 14 item 5, docs/server.md "Studies from
// PACS"), shown under the planning studies: the received studies of the data root
// with their series, their plans and a plan file to start from, and, for the roles
// that plan, an upload of DICOM files from this computer through STOW-RS
// (POST /dicomweb/studies, the files sent as they are, in batches).
import { api, el, errorText, session } from './api.js';

const BATCH_FILES = 50;                 // files per request
const BATCH_BYTES = 200 * 1024 * 1024;  // bytes per request (the server takes up to 1 GiB)

function boundary() {
  const b = new Uint8Array(12);
  crypto.getRandomValues(b);
  return 'sirtkit-' + Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

// One STOW-RS request with these files, filed under `site` ('' = the server's
// choice: the user's only site, or none for an admin); answers {stored, failed: [reason], status}.
async function stow(files, site) {
  const bnd = boundary();
  const parts = [];
  for (const f of files) {
    parts.push('--' + bnd + '\r\nContent-Type: application/dicom\r\n\r\n', f, '\r\n');
  }
  parts.push('--' + bnd + '--\r\n');
  const r = await fetch('/dicomweb/studies' + (site ? '?site=' + encodeURIComponent(site) : ''), {
    method: 'POST',
    credentials: 'same-origin',
    headers: {
      'Content-Type': 'multipart/related; type="application/dicom"; boundary=' + bnd,
      'X-CSRF-Token': session() ? session().csrf_token : '',
    },
    body: new Blob(parts),
  });
  let data = null;
  try { data = await r.json(); } catch (e) { data = null; }
  if (r.status !== 200 && r.status !== 202 && r.status !== 409) {
    return { stored: 0, failed: files.map(() => errorText({ status: r.status, data })), status: r.status };
  }
  const seq = (tag) => (data && data[tag] && data[tag].Value) || [];
  // The reason in words: sirtkit's private attribute (0009,1001); else the DICOM FailureReason code.
  const failed = seq('00081198').map((item) => (item['00091001'] && item['00091001'].Value ? item['00091001'].Value[0]
    : 'refused (FailureReason ' + ((item['00081197'] && item['00081197'].Value) || ['?'])[0] + ')'));
  return { stored: seq('00081199').length, failed, status: r.status };
}

function batches(files) {
  const out = [];
  let cur = [], bytes = 0;
  for (const f of files) {
    if (cur.length && (cur.length >= BATCH_FILES || bytes + f.size > BATCH_BYTES)) { out.push(cur); cur = []; bytes = 0; }
    cur.push(f);
    bytes += f.size;
  }
  if (cur.length) out.push(cur);
  return out;
}

// The site an upload is filed under (docs/server.md "Sites"): a choice for a
// user of several sites, a code field for an admin (empty: every site sees it);
// nothing for a user of one site (the server files it there).
function siteChooser() {
  const me = session() || {};
  const codes = [...new Set((me.sites || []).map((x) => x.code))];
  if (me.all_sites) {
    const input = el('input', { type: 'text', id: 'dicom-upload-site', size: 12, placeholder: 'none' });
    return { node: el('label', { for: 'dicom-upload-site' }, ' Site code (empty: every site sees the study) ', input), value: () => input.value.trim() };
  }
  if (codes.length < 2) return { node: null, value: () => '' };
  const select = el('select', { id: 'dicom-upload-site', required: true },
    el('option', { value: '' }, 'choose'), ...codes.map((c) => el('option', { value: c }, c)));
  return { node: el('label', { for: 'dicom-upload-site' }, ' Site ', select), value: () => select.value };
}

function uploadForm(onDone) {
  const site = siteChooser();
  const input = el('input', { type: 'file', id: 'dicom-upload-files', multiple: true, accept: '.dcm,application/dicom' });
  const status = el('p', { id: 'dicom-upload-status', role: 'status' });
  const reasons = el('ul', { id: 'dicom-upload-refusals' });
  const button = el('button', { type: 'submit', id: 'dicom-upload-send' }, 'Upload');
  const form = el('form', { id: 'dicom-upload' },
    el('label', { for: 'dicom-upload-files' }, 'DICOM files of a planning study (CT, NM/PET, RTSTRUCT, SEG, RTDOSE) '),
    input, site.node || '', ' ', button, status, reasons);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const files = Array.from(input.files || []);
    if (!files.length) { status.textContent = 'Choose the files first.'; return; }
    button.disabled = true;
    reasons.replaceChildren();
    let stored = 0, failed = 0;
    const list = batches(files);
    for (let i = 0; i < list.length; ++i) {
      status.textContent = 'Sending ' + (i + 1) + ' of ' + list.length + ' … (' + stored + ' stored so far)';
      const r = await stow(list[i], site.value());
      stored += r.stored;
      failed += r.failed.length;
      for (const why of r.failed) reasons.appendChild(el('li', {}, why));
    }
    status.textContent = stored + ' stored, ' + failed + ' refused.';
    button.disabled = false;
    onDone();
  });
  return form;
}

function studyRow(s, mayPlan) {
  const series = s.series.map((x) => x.kind.toUpperCase() + ' ×' + x.objects).join(', ');
  const plans = s.plans.length
    ? el('span', {}, ...s.plans.map((p) => el('a', { href: '#/plan/' + p.id }, p.plan_file + ' ')))
    : el('span', {}, 'no plan file yet');
  const template = mayPlan
    ? el('a', { href: '/api/dicom/studies/' + encodeURIComponent(s.folder) + '/plan-template', download: 'plan.toml' }, 'plan file to start from')
    : null;
  return el('tr', {}, el('td', {}, s.folder), el('td', {}, s.site || 'every site'), el('td', {}, series), el('td', {}, s.last_received), el('td', {}, plans, ' ', template));
}

// The section: a table of the received studies and, for physicists and admins, the upload.
export function receivedSection() {
  const box = el('section', { id: 'received-studies' }, el('h2', {}, 'Received studies'));
  const body = el('div', {});
  const role = session() ? session().role : '';
  const mayPlan = role === 'physicist' || role === 'admin';
  const load = async () => {
    const r = await api('GET', '/api/dicom/studies');
    if (r.status !== 200) { body.replaceChildren(el('p', { role: 'alert' }, errorText(r))); return; }
    const how = r.data.dicom_port
      ? 'DICOM C-STORE to AE title ' + r.data.dicom_ae + ' on port ' + r.data.dicom_port + ', or upload here.'
      : 'Upload here (the server has no DICOM port).';
    const rows = r.data.studies.map((s) => studyRow(s, mayPlan));
    body.replaceChildren(el('p', {}, how),
      rows.length
        ? el('table', { id: 'received-list' },
          el('thead', {}, el('tr', {}, ...['Study folder', 'Site', 'Series', 'Last received (UTC)', 'Plans'].map((h) => el('th', { scope: 'col' }, h)))),
          el('tbody', {}, ...rows))
        : el('p', { id: 'received-list' }, 'No study received yet.'));
  };
  box.appendChild(body);
  if (mayPlan) box.appendChild(uploadForm(load));
  load();
  return box;
}
