// The verification view (issue 14 item 4): #/verify/ID runs `sirtkit verify` on
// a post-treatment image of the study folder (POST /api/plans/ID/verification)
// and shows planned and delivered dose side by side on the CT, their
// difference (delivered − planned: warm where more was delivered, cool where
// less), and the registration check (a checkerboard of the planning MAA SPECT
// and the delivered dose: broken edges mean misregistration), the four views
// moving together; then the per-VOI and paired statistics, the numbers of
// `sirtkit verify --json`. Element ids: docs/server.md.
import { api, el, errorText } from './api.js';

function fixed(x, digits) { return x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits); }

export async function showVerify(root, id) {
  const r = await api('GET', '/api/plans/' + encodeURIComponent(id));
  if (r.status !== 200) { root.replaceChildren(el('p', { role: 'alert' }, errorText(r))); return; }
  const study = r.data;
  const view = el('section', { id: 'verify-view', 'data-state': 'idle' });
  const delivered = el('select', { id: 'verify-delivered', name: 'delivered', required: true },
    ...study.post_images.map((n) => el('option', { value: n }, n)));
  const modality = el('select', { id: 'verify-modality', name: 'modality' }, el('option', { value: 'spect' }, 'Y-90 bremsstrahlung SPECT (self-calibrated)'), el('option', { value: 'pet' }, 'Y-90 PET (Bq/mL)'));
  const hours = el('input', { id: 'verify-hours', name: 'hours_after_injection', type: 'number', min: 0, max: 1000, step: 0.1 });
  const register = el('input', { id: 'verify-register', name: 'register', type: 'checkbox', checked: true });
  const run = el('button', { id: 'verify-run', type: 'submit' }, 'Verify');
  const error = el('p', { id: 'verify-error', role: 'alert' });
  const form = el('form', { id: 'verify-form' },
    el('label', {}, 'Post-treatment image ', delivered), ' ', el('label', {}, 'Modality ', modality), ' ',
    el('label', {}, 'PET: hours after injection ', hours), ' ', el('label', {}, register, ' register onto the planning SPECT'), ' ', run);
  const results = el('div', { id: 'verify-results' });
  view.append(el('h2', {}, `Verification of ${study.study.plan_file} — ${study.study.folder} (${study.plan.patient_id})`),
    el('p', {}, el('a', { href: '#/plan/' + study.study.id }, '← the plan')),
    study.post_images.length ? form : el('p', { id: 'verify-none' }, 'No post-treatment image in this study\'s folder (a NIfTI file or DICOM folder the plan does not name).'),
    error, results);
  root.replaceChildren(view);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.textContent = '';
    view.dataset.state = 'busy';
    run.disabled = true;
    const body = { delivered: delivered.value, modality: modality.value, register: register.checked };
    if (hours.value !== '') body.hours_after_injection = Number(hours.value);
    const v = await api('POST', `/api/plans/${study.study.id}/verification`, body);
    run.disabled = false;
    if (v.status !== 200) { error.textContent = errorText(v); view.dataset.state = 'idle'; return; }
    await showResults(results, study, v.data);
    view.dataset.state = 'ready';
  });
}

function numbersTable(id, caption, head, rows) {
  return el('table', { id }, el('caption', {}, caption), el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...rows.map((cells) => el('tr', {}, ...cells.map((c, i) => el('td', i ? { class: 'n' } : {}, c))))));
}

async function showResults(box, study, data) {
  const v = data.verification;
  const canvases = ['planned', 'delivered', 'difference', 'registration'].map((n) => el('canvas', { id: 'verify-' + n, width: 420, height: 360 }));
  const titles = ['Planned dose (Gy)', 'Delivered dose (Gy)', 'Delivered − planned (Gy)', 'Registration: planning SPECT / delivered dose'];
  const grid = el('div', { class: 'verify-grid' }, ...canvases.map((c, i) => el('figure', {}, el('figcaption', {}, titles[i]), el('div', { class: 'verify-canvas' }, c))));
  const voiRows = v.vois.map((x) => [x.name, fixed(x.planned_mean_gy, 2), fixed(x.delivered_mean_gy, 2), fixed(x.delivered_mean_gy - x.planned_mean_gy, 2), fixed(x.planned_d70_gy, 2), fixed(x.delivered_d70_gy, 2)]);
  const tnRows = v.tumour_to_normal.map((t) => [t.tumour + ' / ' + t.normal, fixed(t.planned, 2), fixed(t.delivered, 2)]);
  const agreement = (label, a) => (a ? el('li', {}, `${label}: n = ${a.n}, mean difference ${fixed(a.mean_difference, 2)} (95 % CI ${fixed(a.ci95[0], 2)} to ${fixed(a.ci95[1], 2)}), limits of agreement ${fixed(a.limits_of_agreement[0], 2)} to ${fixed(a.limits_of_agreement[1], 2)}`) : el('li', {}, label + ': fewer than 2 tumours'));
  box.replaceChildren(
    el('p', { id: 'verify-summary' }, `Administered ${v.administered_gbq.map((a) => fixed(a, 3)).join(' + ')} GBq; delivered in liver and lungs ${fixed(v.delivered.region_gbq, 3)} GBq (whole image ${fixed(v.delivered.total_gbq, 3)} GBq).`),
    grid,
    numbersTable('verify-vois', 'Planned and delivered dose per VOI (mass-weighted mean and D70, Gy)', ['VOI', 'planned mean', 'delivered mean', 'difference', 'planned D70', 'delivered D70'], voiRows),
    numbersTable('verify-tn', 'Tumour-to-normal ratios', ['tumour / normal', 'planned', 'delivered'], tnRows),
    el('ul', { id: 'verify-agreement' }, agreement('Tumour mean dose', v.tumour_dose_agreement), agreement('Tumour-to-normal ratio', v.tumour_to_normal_agreement)),
    el('ul', { id: 'verify-notes', class: 'small' }, ...v.notes.map((n) => el('li', {}, n))));
  let mod;
  try { mod = await import('./vendor/niivue/niivue.js'); } catch (e) {
    grid.replaceChildren(el('p', { role: 'alert', id: 'viewer-error' }, 'niivue is not installed in build/web/vendor (npm at build time)'));
    return;
  }
  const url = (name) => data.volumes.find((x) => x.name === name).url;
  const ct = study.volumes.find((x) => x.name === 'ct').url;
  const top = Math.max(...study.isodose_levels_gy, 100) * 1.25;
  const layers = [
    [{ url: ct, name: 'ct.nii.gz', colormap: 'gray', cal_min: -100, cal_max: 240 }, { url: url('planned_dose'), name: 'planned.nii.gz', colormap: 'jet', opacity: 0.5, cal_min: 10, cal_max: top, trustCalMinMax: true }],
    [{ url: ct, name: 'ct.nii.gz', colormap: 'gray', cal_min: -100, cal_max: 240 }, { url: url('delivered_dose'), name: 'delivered.nii.gz', colormap: 'jet', opacity: 0.5, cal_min: 10, cal_max: top, trustCalMinMax: true }],
    [{ url: ct, name: 'ct.nii.gz', colormap: 'gray', cal_min: -100, cal_max: 240 }, { url: url('dose_difference'), name: 'difference.nii.gz', colormap: 'warm', colormapNegative: 'winter', opacity: 0.7, cal_min: 5, cal_max: top / 2, cal_minNeg: -top / 2, cal_maxNeg: -5, trustCalMinMax: true }],
    [{ url: url('registration_check'), name: 'checkerboard.nii.gz', colormap: 'gray', cal_min: 0, cal_max: 1, trustCalMinMax: true }],
  ];
  const viewers = [];
  for (let i = 0; i < canvases.length; ++i) {
    const nv = new mod.Niivue({ backColor: [0, 0, 0, 1], dragAndDropEnabled: false, isColorbar: false });
    await nv.attachToCanvas(canvases[i]);
    await nv.loadVolumes(layers[i]);
    nv.setSliceType(0);
    viewers.push(nv);
  }
  // The four views move together (crosshair and slice).
  viewers.forEach((nv, i) => nv.broadcastTo(viewers.filter((_, k) => k !== i), { '2d': true, '3d': true }));
}
