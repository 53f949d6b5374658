// The planning workspace (issue 14): #/plans lists the planning studies of the
// server's data root; #/plan/ID shows one: CT with the MAA SPECT fused, the dose
// as a colour wash with isodose lines at the plan's goal and limit levels, VOI
// outlines (niivue, build/web/vendor/niivue), the DVH of every VOI (SVG), the goals
// and constraints, and one activity control per injection. Moving a control asks
// the server for the what-if (the numbers of `sirtkit plan --activity`) and
// redraws everything; the dose map is summed here from the doses per GBq of each
// injection (the engine is linear in activity). Element ids: docs/server.md.
import { api, apiGet, el, errorText } from './api.js';
import { receivedSection } from './received.js';
import { fetchBytes, niftiFloats, niftiVoxels } from './nifti.js';
import { drawPreview } from './plan_preview.js';

const SVG = 'http://www.w3.org/2000/svg';
const ROLE_COLOURS = { liver: '#c8a165', tumour: '#ff4d4d', lungs: '#5fa8ff', territory: '#9be37a', other: '#d0d0d0' };
const ISODOSE_COLOURS = ['#00e5ff', '#ffe600', '#ff00e6', '#ffffff', '#ff8c00'];
const CT_WINDOWS = { liver: [60, 160], 'soft tissue': [40, 400], lung: [-600, 1500], bone: [400, 1800] };

function svg(tag, attrs, ...children) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  for (const c of children) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  return e;
}

function fixed(x, digits) { return x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits); }

// ---------------------------------------------------------------- study list
export async function showPlans(root) {
  const r = await api('GET', '/api/plans');
  if (r.status !== 200) { root.replaceChildren(el('p', { role: 'alert' }, errorText(r))); return; }
  const rows = r.data.studies.map((s) => el('li', {}, el('a', { href: '#/plan/' + s.id }, s.folder + ' / ' + s.plan_file)));
  root.replaceChildren(el('section', { id: 'plan-list-view' },
    el('h2', {}, 'Planning studies'),
    rows.length ? el('ul', { id: 'plan-list' }, ...rows) : el('p', { id: 'plan-list' }, 'No plan file under the server\'s data root (--data).')),
    receivedSection());
}

// ---------------------------------------------------------------- DVH
function dvhSvg(plan, readout) {
  const W = 560, H = 300, L = 48, R = 12, T = 12, B = 36;
  const vois = plan.vois.filter((v) => v.dvh && v.dvh.dose_gy.length);
  let maxGy = 1;
  for (const v of vois) maxGy = Math.max(maxGy, v.dvh.dose_gy[v.dvh.dose_gy.length - 1], v.max_gy);
  const x = (gy) => L + (W - L - R) * gy / maxGy;
  const y = (pc) => T + (H - T - B) * (1 - pc / 100);
  const root = svg('svg', { id: 'dvh', viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'aria-label': 'Cumulative dose-volume histogram of every VOI' });
  root.appendChild(svg('rect', { x: L, y: T, width: W - L - R, height: H - T - B, fill: 'none', stroke: '#888' }));
  for (let pc = 0; pc <= 100; pc += 25) {
    root.appendChild(svg('text', { x: L - 6, y: y(pc) + 4, 'text-anchor': 'end', 'font-size': 11 }, String(pc)));
    root.appendChild(svg('line', { x1: L, x2: W - R, y1: y(pc), y2: y(pc), stroke: '#ddd' }));
  }
  const step = Math.pow(10, Math.floor(Math.log10(maxGy))) * (maxGy / Math.pow(10, Math.floor(Math.log10(maxGy))) > 5 ? 2 : 1) / 2;
  for (let gy = 0; gy <= maxGy; gy += step) root.appendChild(svg('text', { x: x(gy), y: H - B + 14, 'text-anchor': 'middle', 'font-size': 11 }, String(Math.round(gy))));
  root.appendChild(svg('text', { x: (L + W - R) / 2, y: H - 4, 'text-anchor': 'middle', 'font-size': 12 }, 'dose (Gy)'));
  root.appendChild(svg('text', { x: 12, y: (T + H - B) / 2, 'text-anchor': 'middle', 'font-size': 12, transform: `rotate(-90 12 ${(T + H - B) / 2})` }, 'volume (%)'));
  for (const level of plan.__levels || []) root.appendChild(svg('line', { x1: x(level), x2: x(level), y1: T, y2: H - B, stroke: '#999', 'stroke-dasharray': '3 3' }));
  vois.forEach((v, i) => {
    const d = v.dvh.dose_gy.map((gy, k) => (k ? 'L' : 'M') + x(gy).toFixed(1) + ' ' + y(v.dvh.volume_percent[k]).toFixed(1)).join(' ');
    const colour = ROLE_COLOURS[v.role] || ROLE_COLOURS.other;
    root.appendChild(svg('path', { d, class: 'dvh-curve', 'data-voi': v.name, fill: 'none', stroke: colour, 'stroke-width': 2, 'stroke-dasharray': i % 2 && v.role !== 'tumour' ? '6 3' : 'none' }));
  });
  const cursor = svg('line', { y1: T, y2: H - B, stroke: '#333', visibility: 'hidden' });
  root.appendChild(cursor);
  // Hover: V(d) at the pointer's dose and D(v) at the pointer's volume, for every VOI.
  root.addEventListener('mousemove', (ev) => {
    const box = root.getBoundingClientRect();
    const px = (ev.clientX - box.left) * W / box.width, py = (ev.clientY - box.top) * H / box.height;
    const gy = Math.max(0, Math.min(maxGy, (px - L) / (W - L - R) * maxGy));
    const pc = Math.max(0, Math.min(100, (1 - (py - T) / (H - T - B)) * 100));
    cursor.setAttribute('x1', x(gy)); cursor.setAttribute('x2', x(gy)); cursor.setAttribute('visibility', 'visible');
    showDvhReadout(readout, vois, gy, pc);
  });
  root.addEventListener('mouseleave', () => cursor.setAttribute('visibility', 'hidden'));
  return root;
}

// Linear interpolation along the cumulative DVH (dose ascending, volume descending).
function volumeAt(v, gy) {
  const d = v.dvh.dose_gy, p = v.dvh.volume_percent;
  if (gy <= d[0]) return p[0];
  for (let k = 1; k < d.length; ++k) if (gy <= d[k]) return p[k - 1] + (p[k] - p[k - 1]) * (gy - d[k - 1]) / (d[k] - d[k - 1] || 1);
  return 0;
}
function doseAt(v, pc) {
  const d = v.dvh.dose_gy, p = v.dvh.volume_percent;
  for (let k = 1; k < d.length; ++k) if (p[k] <= pc) return d[k - 1] + (d[k] - d[k - 1]) * (p[k - 1] - pc) / (p[k - 1] - p[k] || 1);
  return d[d.length - 1];
}

function showDvhReadout(readout, vois, gy, pc) {
  const head = el('tr', {}, el('th', { scope: 'col' }, 'VOI'), el('th', { scope: 'col' }, `V${gy.toFixed(0)} Gy (%)`), el('th', { scope: 'col' }, `D${pc.toFixed(0)} % (Gy)`));
  const rows = vois.map((v) => el('tr', { 'data-voi': v.name }, el('td', {}, v.name), el('td', { class: 'n' }, fixed(volumeAt(v, gy), 1)), el('td', { class: 'n' }, fixed(doseAt(v, pc), 1))));
  readout.replaceChildren(el('table', {}, el('thead', {}, head), el('tbody', {}, ...rows)));
}

// ---------------------------------------------------------------- tables
function checksTable(id, checks, kind) {
  const head = el('tr', {}, ...['check', 'value (Gy)', kind === 'goal' ? 'minimum (Gy)' : 'limit (Gy)', 'margin (Gy)', 'met', kind === 'goal' ? 'aim (Gy)' : 'binding'].map((h) => el('th', { scope: 'col' }, h)));
  const rows = checks.map((c) => el('tr', { class: c.met ? 'met' : 'not-met', 'data-label': c.label },
    el('td', {}, c.label + (c.active ? '' : ' (not active)')),
    el('td', { class: 'n value' }, fixed(c.value_gy, 2)),
    el('td', { class: 'n' }, fixed(c.limit_gy, 2)),
    el('td', { class: 'n margin' }, fixed(c.margin_gy, 2)),
    el('td', { class: 'met' }, c.met ? 'yes' : 'NO'),
    el('td', { class: 'n' }, kind === 'goal' ? fixed(c.aim_gy, 0) : (c.binding ? 'binding (' + fixed(c.goal_gy_per_limit_gy, 2) + ' Gy/Gy)' : ''))));
  return el('table', { id }, el('caption', {}, kind === 'goal' ? 'Goals' : 'Constraints'), el('thead', {}, head), el('tbody', {}, ...rows));
}

function vialsText(plan) {
  return plan.injections.map((inj) => {
    const c = inj.vial.chosen;
    return inj.name + ': ' + (c ? `${c.vial_gbq} GBq vial, injected ${c.injection_time} (${fixed(c.vial_activity_at_injection_gbq, 3)} GBq then)` : 'no vial chosen') + '; needs ' + fixed(inj.vial.needed_vial_activity_gbq, 3) + ' GBq in the vial';
  }).join(' · ');
}

// ---------------------------------------------------------------- what-if answers
// The plan on the page after a what-if: the server answers only what the
// activities change (sirtkit.what-if/1: status, findings, injections and vials,
// lung dose, goals, constraints, each VOI's dose metrics and DVH; not the VOIs'
// radiobiology); the rest stays the first plan document's. The DVH comes as
// voxel counts at or above each dose step: b·step and 100·count/voxels are the
// numbers the plan document holds, to the last bit (the same double arithmetic).
function planAfterWhatIf(optimum, changes) {
  const vois = changes.vois.map((v) => {
    const d = v.dvh;
    const dvh = d.voxels_at_or_above
      ? { dose_gy: d.voxels_at_or_above.map((_, b) => b * d.step_gy), volume_percent: d.voxels_at_or_above.map((c) => 100 * c / v.voxels) }
      : d;
    return { ...v, dvh };
  });
  return { ...optimum, ...changes, schema: optimum.schema, vois };
}

// ---------------------------------------------------------------- the plan page
// Time to the first dose overlay (bench/overlay_time.mjs reads these marks):
// niivue's module is asked for by plan_preload.js while the HTML is parsed and
// compiled off the page's thread; the volumes are fetched in parallel as soon
// as their names are known (the CT, SPECT, label map and the dose per GBq of
// each injection; the dose itself is their sum, computed here as soon as they
// arrive, without niivue; the VOI outlines and isodose lines after the first
// frame); the page draws its own first look at them (web/plan_preview.js: the
// CT and the dose wash on a 2-D canvas, on screen before niivue holds the page's
// thread); niivue starts (shader compilation) and parses the CT and dose while
// its images decode; the first frame draws the CT and the dose wash as 2-D slices
// (the preview removed), the next task adds the SPECT, VOI outlines and isodose lines, the one after the
// 3-D render.
export async function showPlan(root, id) {
  performance.mark('plan:page-start');
  const niivue = import('./vendor/niivue/niivue.js');
  niivue.then(() => performance.mark('plan:module-ready'), () => {});  // a failure is reported by startViewer
  const r = await apiGet('/api/plans/' + encodeURIComponent(id));  // asked for early by app.js
  if (r.status !== 200) { root.replaceChildren(el('p', { role: 'alert' }, errorText(r))); return; }
  const study = r.data;
  performance.mark('plan:json-received');
  const prepared = fetchVolumes(study).then((buffers) => {
    const layers = pageLayers(study, buffers);
    layers.sumDose(study.optimum_gbq);
    performance.mark('plan:dose-summed');
    return { buffers, layers };
  });
  prepared.catch(() => {});  // reported by startViewer
  const optimum = study.plan;
  const levels = study.isodose_levels_gy;
  const injections = optimum.injections;
  const [minGbq, maxGbq] = study.activity_range_gbq;

  const view = el('section', { id: 'plan-view', 'data-state': 'loading', 'data-what-if': 'idle' });
  const status = el('p', { id: 'plan-status', role: 'status' });
  const canvasBox = el('div', { class: 'plan-canvas' }, el('canvas', { id: 'plan-viewer', width: 640, height: 480 }),
    el('canvas', { class: 'plan-preview', 'aria-hidden': 'true' }));
  const cursor = el('p', { id: 'cursor-readout', 'aria-live': 'polite' }, 'Click in the images for HU, counts and dose.');
  const layout = el('select', { id: 'view-layout', 'aria-label': 'View' },
    ...[['3', 'axial, coronal, sagittal, 3-D'], ['0', 'axial'], ['1', 'coronal'], ['2', 'sagittal'], ['4', '3-D']].map(([v, t]) => el('option', { value: v }, t)));
  const ctWindow = el('select', { id: 'ct-window', 'aria-label': 'CT window' }, ...Object.keys(CT_WINDOWS).map((k) => el('option', { value: k }, k)));
  const spectOpacity = el('input', { id: 'spect-opacity', type: 'range', min: 0, max: 1, step: 0.05, value: 0.35 });
  const spectMax = el('input', { id: 'spect-window', type: 'range', min: 5, max: 100, step: 5, value: 60 });
  const doseOpacity = el('input', { id: 'dose-opacity', type: 'range', min: 0, max: 1, step: 0.05, value: 0.5 });
  const crosshair = el('input', { id: 'show-crosshair', type: 'checkbox', checked: true });
  const controls = el('div', { class: 'plan-controls' },
    el('label', {}, 'View ', layout), el('label', {}, 'CT window ', ctWindow),
    el('label', {}, 'SPECT opacity ', spectOpacity), el('label', {}, 'SPECT window (% of max) ', spectMax),
    el('label', {}, 'Dose opacity ', doseOpacity), el('label', {}, crosshair, ' crosshair'));
  const legend = el('p', { id: 'plan-legend' },
    'Isodose lines: ', ...levels.map((g, i) => el('span', { class: `swatch iso-${i % ISODOSE_COLOURS.length}` }, ` ${g} Gy `)),
    ' · VOI outlines: ', ...study.label_map.map((l) => el('span', { class: `swatch role-${ROLE_COLOURS[l.role] ? l.role : 'other'}` }, ` ${l.name} `)));

  // Activity controls, one per injection.
  const activityInputs = injections.map((inj, k) => {
    const range = el('input', { type: 'range', name: `activity-${k}`, min: minGbq, max: Math.min(maxGbq, Math.max(3 * study.optimum_gbq[k], 1)), step: 0.001, value: study.optimum_gbq[k], 'aria-label': `activity of ${inj.name} (GBq)`, disabled: !study.may_plan });
    const number = el('input', { type: 'number', name: `activity-${k}-number`, min: minGbq, max: maxGbq, step: 0.001, value: study.optimum_gbq[k], 'aria-label': `activity of ${inj.name} (GBq), number`, disabled: !study.may_plan });
    return { range, number };
  });
  const restore = el('button', { id: 'restore-optimum', type: 'button', disabled: !study.may_plan }, 'Restore the planner\'s optimum');
  const bounds = injections.map((inj, k) => el('li', {}, `${inj.name}: optimum ${fixed(study.optimum_gbq[k], 3)} GBq; every goal met from ${fixed(inj.meets_goals_from_gbq, 3)} GBq; every constraint kept up to ${fixed(inj.keeps_constraints_up_to_gbq, 3)} GBq` + (inj.keeps_constraints_set_by ? ` (set by ${inj.keeps_constraints_set_by})` : '')));
  const binding = optimum.constraints.filter((c) => c.binding).map((c) => c.label);
  const activityBox = el('fieldset', { class: 'plan-activities' }, el('legend', {}, 'Activity per injection (GBq)'),
    ...injections.map((inj, k) => el('label', {}, inj.name + ' ', activityInputs[k].range, activityInputs[k].number)),
    restore,
    study.may_plan ? null : el('p', {}, 'View only: your role may not plan (what-if needs a physicist or an admin).'),
    el('ul', { id: 'optimum-bounds' }, ...bounds),
    el('p', { id: 'binding-constraints' }, binding.length ? 'Binding at the optimum: ' + binding.join('; ') + (optimum.scale.binding_constraint ? ' (limits most: ' + optimum.scale.binding_constraint + ')' : '') : 'No constraint binds at the optimum: ' + optimum.status));
  const lung = el('p', { id: 'lung-dose' });
  const vials = el('p', { id: 'vials' });
  const tables = el('div', { id: 'plan-tables' });
  const dvhBox = el('div', { id: 'dvh-box' });
  const dvhReadout = el('div', { id: 'dvh-readout', 'aria-live': 'polite' }, 'Point at the DVH for Dx and Vx.');
  const whatIfError = el('p', { id: 'what-if-error', role: 'alert' });
  const signoff = el('section', { id: 'signoff' });

  const verifyLink = study.post_images && study.post_images.length ? el('p', {}, el('a', { id: 'verify-link', href: '#/verify/' + study.study.id }, 'Verification on the post-treatment image')) : null;
  view.append(el('h2', {}, `Plan ${study.study.plan_file} — ${study.study.folder} (${optimum.patient_id})`), status, verifyLink,
    el('div', { class: 'plan-grid' },
      el('div', {}, canvasBox, controls, legend, cursor),
      el('div', {}, activityBox, whatIfError, lung, vials, dvhBox, dvhReadout)),
    tables, signoff);
  root.replaceChildren(view);

  let shown = optimum;  // the plan whose numbers are on the page (approve signs these activities)
  const showPlanNumbers = (plan) => {
    shown = plan;
    if (signoff.refresh) signoff.refresh();
    status.textContent = `${plan.status}${plan.deliverable ? '' : ' — not deliverable'} · activities ${plan.injections.map((i) => fixed(i.administered_gbq, 3)).join(' + ')} GBq`;
    status.className = plan.deliverable ? 'ok' : 'not-ok';
    lung.textContent = `Lung dose ${fixed(plan.lung.dose_gy, 2)} Gy this session, ${fixed(plan.lung.cumulative_gy, 2)} Gy cumulative (shunt ${fixed(100 * plan.quantification.lung_shunt_fraction, 1)} %)`;
    vials.textContent = 'Vials: ' + vialsText(plan);
    tables.replaceChildren(checksTable('goals-table', plan.goals, 'goal'), checksTable('constraints-table', plan.constraints, 'constraint'));
    plan.__levels = levels;
    dvhBox.replaceChildren(dvhSvg(plan, dvhReadout));
  };
  showPlanNumbers(optimum);

  // ---- the viewer
  // The first look while niivue starts (web/plan_preview.js): drawn and on
  // screen before niivue compiles its programs (which holds the page's thread),
  // removed once niivue has drawn.
  const preview = canvasBox.querySelector('.plan-preview');
  const previewed = prepared.then(async ({ buffers, layers }) => {
    if (!drawPreview(preview, buffers, layers.dose, firstFrameLook(levels))) return;
    performance.mark('plan:preview-drawn');
    await nextCommit();
    performance.mark('plan:preview-presented');
  }).catch(() => {});  // no preview: niivue's frame is the first
  // The sign-off's requests run while the viewer starts.
  const signoffShown = showSignoff(signoff, study, () => shown);
  let viewer = null;
  try { viewer = await startViewer(study, canvasBox.firstChild, cursor, niivue, prepared, previewed, preview); } catch (e) {
    canvasBox.replaceChildren(el('p', { role: 'alert', id: 'viewer-error' }, 'The volume viewer could not start: ' + e.message));
  }
  if (viewer) {
    layout.addEventListener('change', () => viewer.nv.setSliceType(Number(layout.value)));
    ctWindow.addEventListener('change', () => viewer.ctWindow(...CT_WINDOWS[ctWindow.value]));
    spectOpacity.addEventListener('input', () => viewer.nv.setOpacity(1, Number(spectOpacity.value)));
    spectMax.addEventListener('input', () => viewer.spectWindow(Number(spectMax.value) / 100));
    doseOpacity.addEventListener('input', () => { viewer.nv.setOpacity(2, Number(doseOpacity.value)); });
    crosshair.addEventListener('change', () => viewer.nv.setCrosshairWidth(crosshair.checked ? 1 : 0));
  }
  await signoffShown;
  view.dataset.state = 'ready';

  // ---- what-if: the latest values win; one request in flight at a time.
  let wanted = null, busy = false;
  const current = () => activityInputs.map((a) => Number(a.number.value));
  const send = async () => {
    if (busy || !wanted) return;
    busy = true;
    const activities = wanted;
    wanted = null;
    view.dataset.whatIf = 'busy';
    const answer = await api('POST', `/api/plans/${study.study.id}/what-if`, { activity_gbq: activities });
    if (answer.status === 200) {
      whatIfError.textContent = '';
      showPlanNumbers(planAfterWhatIf(optimum, answer.data.what_if));
      if (viewer) viewer.setActivities(activities);
    } else {
      whatIfError.textContent = errorText(answer);
    }
    busy = false;
    if (wanted) send(); else view.dataset.whatIf = 'idle';
  };
  const request = () => { wanted = current(); send(); };
  activityInputs.forEach(({ range, number }) => {
    range.addEventListener('input', () => { number.value = Number(range.value).toFixed(3); request(); });
    number.addEventListener('change', () => { if (Number(number.value) <= Number(range.max)) range.value = number.value; request(); });
  });
  restore.addEventListener('click', () => {
    activityInputs.forEach(({ range, number }, k) => { range.value = study.optimum_gbq[k]; number.value = study.optimum_gbq[k]; });
    wanted = null;
    whatIfError.textContent = '';
    showPlanNumbers(optimum);
    if (viewer) viewer.setActivities(study.optimum_gbq);
  });
}

// ---------------------------------------------------------------- sign-off
// Approved versions (everyone who may see the plan) and, for a physicist, the
// approval of the activities on the page: registry patient, treatment day,
// password re-entered (an electronic signature, meaning "approved").
async function showSignoff(box, study, shownPlan) {
  const id = study.study.id;
  const versions = el('div', { id: 'approvals' });
  const loadVersions = async () => {
    const r = await api('GET', `/api/plans/${id}/approvals`);
    if (r.status !== 200) { versions.replaceChildren(el('p', { role: 'alert' }, errorText(r))); return; }
    const list = r.data.approvals;
    if (!list.length) { versions.replaceChildren(el('p', {}, 'No approved version yet.')); return; }
    const head = el('tr', {}, ...['version', 'approved by', 'signed (UTC)', 'patient', 'activities (GBq)', 'index tumour (Gy)', 'normal liver (Gy)', 'lung (Gy)', 'plan SHA-256', 'documents'].map((h) => el('th', { scope: 'col' }, h)));
    const rows = list.map((a) => el('tr', { 'data-version': a.version },
      el('td', { class: 'n' }, String(a.version)), el('td', {}, a.signed_by), el('td', {}, a.signed_at),
      el('td', {}, el('a', { href: '#/patient/' + a.patient_id }, '#' + a.patient_id)),
      el('td', { class: 'n' }, a.activity_gbq.map((x) => fixed(x, 3)).join(' + ')),
      el('td', { class: 'n' }, fixed(a.summary.planned_tumour_dose_gy, 1)),
      el('td', { class: 'n' }, fixed(a.summary.planned_normal_liver_dose_gy, 1)),
      el('td', { class: 'n' }, fixed(a.summary.planned_lung_dose_gy, 2)),
      el('td', { class: 'hash' }, a.plan_sha256),
      el('td', {}, el('a', { href: a.documents.report_pdf }, 'PDF'), ' ', el('a', { href: a.documents.report_html }, 'HTML'), ' ', el('a', { href: a.documents.plan_json }, 'JSON'))));
    versions.replaceChildren(el('table', { id: 'approvals-table' }, el('caption', {}, 'Approved versions'), el('thead', {}, head), el('tbody', {}, ...rows)));
  };
  box.replaceChildren(el('h3', {}, 'Sign-off'), versions);
  await loadVersions();
  if (!study.may_approve) {
    box.append(el('p', {}, 'Only a physicist approves plans.'));
    return;
  }
  const patients = await api('GET', '/api/patients?limit=1000');
  const patient = el('select', { id: 'approve-patient', name: 'patient_id', required: true },
    el('option', { value: '' }, '— registry patient —'),
    ...(patients.status === 200 ? patients.data.patients : []).map((p) => el('option', { value: p.id }, `${p.pseudonym} (${p.site || 'no site'})`)));
  const day = el('input', { id: 'approve-day', name: 'treatment_day', type: 'number', step: 1, required: true, 'aria-describedby': 'approve-day-help' });
  const password = el('input', { id: 'approve-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const button = el('button', { id: 'approve-plan', type: 'submit' }, 'Approve this plan');
  const what = el('p', { id: 'approve-what' });
  const result = el('p', { id: 'approve-result', role: 'status' });
  const form = el('form', { id: 'approve-form' },
    what,
    el('label', {}, 'Registry patient ', patient),
    el('label', {}, 'Treatment day ', day), el('span', { id: 'approve-day-help', class: 'small' }, ' (study day; day 0 = the patient\'s index date)'),
    el('label', {}, 'Your password (electronic signature: meaning "approved") ', password),
    button, result);
  box.refresh = () => {
    const plan = shownPlan();
    what.textContent = `Approve ${plan.injections.map((i) => fixed(i.administered_gbq, 3)).join(' + ')} GBq (${plan.status}).`;
    button.disabled = !plan.deliverable;
    if (!plan.deliverable) what.textContent += ' Not deliverable: it cannot be approved.';
    const short = plan.goals.filter((g) => g.active && !g.met);
    if (plan.deliverable && short.length) what.textContent += ' Goals not met: ' + short.map((g) => `${g.label} (${fixed(g.value_gy, 2)} Gy)`).join('; ') + '.';
  };
  box.refresh();
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const plan = shownPlan();
    button.disabled = true;
    result.textContent = 'Signing…';
    const r = await api('POST', `/api/plans/${id}/approve`, {
      password: password.value, activity_gbq: plan.injections.map((i) => i.administered_gbq),
      patient_id: Number(patient.value), treatment_day: day.value === '' ? null : Number(day.value),
    });
    password.value = '';
    button.disabled = !shownPlan().deliverable;
    if (r.status === 201) {
      result.textContent = `Approved: version ${r.data.approval.version}, signed by ${r.data.approval.signed_by} at ${r.data.approval.signed_at}; written to the treatment record of patient #${r.data.approval.patient_id}.`;
      await loadVersions();
    } else {
      result.textContent = 'Not approved: ' + errorText(r);
    }
  });
  box.append(form);
}

// The volumes the viewer needs, fetched in parallel and gunzipped: name -> ArrayBuffer
// (the dose at the prescription is not fetched: the page sums it).
async function fetchVolumes(study) {
  const names = ['ct', 'spect', 'labels', ...study.plan.injections.map((_, k) => `dose_per_gbq_${k + 1}`)];
  const url = (name) => study.volumes.find((v) => v.name === name).url;
  const bytes = await Promise.all(names.map(async (name) => {
    const buf = await fetchBytes(url(name));
    performance.mark(`plan:volume-${name}`, { detail: { bytes: buf.byteLength } });
    return buf;
  }));
  return Object.fromEntries(names.map((n, i) => [n, bytes[i]]));
}

// The layers the page computes itself, without niivue: each injection's dose
// per GBq, the dose at the activities (float32, exact: the crosshair reads
// these voxels; sumDose, as soon as the volumes arrive: the first frame shows
// it), the VOI outlines and the isodose lines (outline, after the first frame:
// two passes over every voxel, 0.1 s of the page's thread before it). Outlines:
// only the voxels of a region that touch another value keep their label
// (6-neighbourhood), so the slices show the VOI contours and isodose lines.
function pageLayers(study, b) {
  const levels = study.isodose_levels_gy;
  const units = study.plan.injections.map((_, k) => niftiFloats(b[`dose_per_gbq_${k + 1}`], `dose_per_gbq_${k + 1}`));
  const { dims: [nx, ny, nz], voxels: labelVoxels } = niftiVoxels(b.labels, 'labels');
  if (labelVoxels.length !== units[0].length) throw new Error('labels: not on the dose grid');
  const outline = (src, dst) => {
    const sxy = nx * ny;
    for (let z = 0, i = 0; z < nz; ++z) for (let y = 0; y < ny; ++y) for (let x = 0; x < nx; ++x, ++i) {
      const v = src[i];
      dst[i] = v && ((x > 0 && src[i - 1] !== v) || (x < nx - 1 && src[i + 1] !== v) || (y > 0 && src[i - nx] !== v) ||
        (y < ny - 1 && src[i + nx] !== v) || (z > 0 && src[i - sxy] !== v) || (z < nz - 1 && src[i + sxy] !== v)) ? v : 0;
    }
  };
  const labels = new Int32Array(labelVoxels.length);
  let labelsOutlined = false;
  const dose = new Float32Array(units[0].length);
  const bands = new Int32Array(dose.length);
  const isodose = new Int32Array(dose.length);
  const sumDose = (activities) => {
    dose.fill(0);
    units.forEach((u, k) => { const a = activities[k]; for (let i = 0; i < dose.length; ++i) dose[i] += a * u[i]; });
  };
  // The VOI outlines (once) and the isodose lines of the dose summed last.
  const outlineAll = () => {
    if (!labelsOutlined) { outline(labelVoxels, labels); labelsOutlined = true; }
    for (let i = 0; i < bands.length; ++i) {
      let band = 0;
      while (band < levels.length && dose[i] >= levels[band]) ++band;
      bands[i] = band;
    }
    outline(bands, isodose);
  };
  return { dose, labels, isodose, sumDose, outline: outlineAll, sum: (activities) => { sumDose(activities); outlineAll(); } };
}

// niivue: CT (background), SPECT, dose wash, VOI outlines, isodose lines.
// `prepared` resolves {buffers, layers} (fetchVolumes, then pageLayers summed
// at the optimum); the volumes are parsed by niivue while it loads its font
// and matcap images (attachToCanvas waits for their decoding).
// The look of the viewer's first frame (and of the preview before it): the CT
// in the liver window, the dose in "jet" at half opacity from a quarter of the
// lowest level (at most 12.5 Gy) to 1.25 times the highest (niivue's
// cal_min/cal_max; transparent below).
function firstFrameLook(levels) {
  const [level, width] = CT_WINDOWS.liver;
  return { ctWindow: [level - width / 2, level + width / 2], doseRange: [Math.min(...levels, 50) * 0.25, Math.max(...levels, 1) * 1.25], opacity: 0.5 };
}

// Resolves after the frame holding what was drawn is committed: a canvas drawn
// (WebGL's gl.finish, or a 2-D putImageData) reaches the compositor only with the
// next frame (headless Chromium reads a WebGL canvas back then, 0.1-1 s under
// load with SwiftShader); a task after the next animation frame runs after that commit.
function nextCommit() {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

async function startViewer(study, canvas, cursor, niivue, prepared, previewed, preview) {
  let mod;
  try { mod = await niivue; } catch (e) { throw new Error('niivue is not installed in build/web/vendor (npm at build time)'); }
  const levels = study.isodose_levels_gy;
  const { ctWindow: [ctLowest, ctHighest], doseRange: [doseMinGy, topGy], opacity: doseOpacity } = firstFrameLook(levels);
  await previewed;  // on screen before niivue's programs compile
  // The first frame: the 2-D slices only (SHOW_RENDER.NEVER); the 3-D render after it.
  const nv = new mod.Niivue({ backColor: [0, 0, 0, 1], show3Dcrosshair: true, dragAndDropEnabled: false, isColorbar: false, loadingText: 'loading the plan',
    multiplanarShowRender: mod.SHOW_RENDER.NEVER });
  performance.mark('plan:viewer-start');
  const attached = nv.attachToCanvas(canvas);
  attached.catch(() => {});  // awaited below
  const { buffers: b, layers } = await prepared;
  performance.mark('plan:volumes-fetched');
  const image = (name, buf, colormap, opacity, calMin = NaN, calMax = NaN) => mod.NVImage.new(buf.slice(0), name, colormap, opacity, null, calMin, calMax, !Number.isNaN(calMin));
  // First the CT and the dose wash (the first overlay), then the SPECT, the VOI
  // outlines and the isodose lines in the next task: niivue parses and uploads
  // two volumes before the first frame instead of five.
  const [ct, dose] = await Promise.all([
    image('ct.nii', b.ct, 'gray', 1, ctLowest, ctHighest),
    image('dose.nii', b.dose_per_gbq_1, 'jet', doseOpacity, doseMinGy, topGy),  // its voxels: the page's sum
  ]);
  performance.mark('plan:volumes-parsed');
  if (!(dose.img instanceof Float32Array) || dose.img.length !== layers.dose.length) throw new Error('the dose volume is not float32 on the dose grid');
  dose.hdr.scl_slope = 1; dose.hdr.scl_inter = 0;  // its voxels are Gy (niftiFloats applied the unit doses' scaling)
  dose.img.set(layers.dose);
  dose.cal_min = doseMinGy; dose.cal_max = topGy;
  await attached;
  performance.mark('plan:viewer-attached');
  nv.volumes = [ct, dose];
  nv.opts.sliceType = mod.SLICE_TYPE.MULTIPLANAR;
  nv.setVolume(ct, 0);  // updateGLVolume, then drawScene (which ends with gl.finish)
  performance.mark('plan:overlay-drawn');
  preview.remove();  // niivue's frame, not the preview, in the next commit
  await nextCommit();
  performance.mark('plan:overlay-presented');

  const [spect, labels, isodose] = await Promise.all([
    image('spect.nii', b.spect, 'hot', 0.35),
    image('labels.nii', b.labels, 'gray', 1),
    image('isodose.nii', b.labels, 'gray', 1),
  ]);
  if (labels.img.length !== layers.labels.length) throw new Error('the label map is not on the dose grid');
  layers.outline();
  labels.img.set(layers.labels);
  const show = () => {
    dose.img.set(layers.dose);
    isodose.img.set(layers.isodose);
    dose.cal_min = doseMinGy; dose.cal_max = topGy;
  };
  show();
  const rgb = (hex) => [parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16)];
  const lut = (entries) => ({
    R: [0, ...entries.map((e) => rgb(e.colour)[0])], G: [0, ...entries.map((e) => rgb(e.colour)[1])], B: [0, ...entries.map((e) => rgb(e.colour)[2])],
    A: [0, ...entries.map(() => 255)], I: [0, ...entries.map((e, i) => i + 1)], labels: ['', ...entries.map((e) => e.name)],
  });
  labels.setColormapLabel(lut(study.label_map.map((l) => ({ name: l.name, colour: ROLE_COLOURS[l.role] || ROLE_COLOURS.other }))));
  isodose.setColormapLabel(lut(levels.map((g, i) => ({ name: `${g} Gy`, colour: ISODOSE_COLOURS[i % ISODOSE_COLOURS.length] }))));
  // The five layers in one upload and one draw.
  nv.volumes = [ct, spect, dose, labels, isodose];
  nv.setVolume(ct, 0);
  performance.mark('plan:layers-drawn');
  await new Promise((resolve) => setTimeout(resolve, 0));
  nv.opts.multiplanarShowRender = mod.SHOW_RENDER.AUTO;
  nv.drawScene();
  performance.mark('plan:render-drawn');

  nv.onLocationChange = (loc) => {
    const v = loc.values || [];
    const at = (i) => (v[i] && Number.isFinite(v[i].value) ? v[i].value : NaN);
    const voi = study.label_map.find((l) => l.value === Math.round(at(3)));
    cursor.textContent = `(${loc.mm.slice(0, 3).map((m) => m.toFixed(1)).join(', ')}) mm · CT ${fixed(at(0), 0)} HU · SPECT ${fixed(at(1), 1)} counts · dose ${fixed(at(2), 1)} Gy` + (voi ? ' · ' + voi.name : '');
  };
  return {
    nv,
    setActivities: (activities) => { layers.sum(activities); show(); nv.updateGLVolume(); },
    ctWindow: (level, width) => { ct.cal_min = level - width / 2; ct.cal_max = level + width / 2; nv.updateGLVolume(); },
    spectWindow: (fraction) => { spect.cal_max = spect.robust_max !== undefined ? spect.global_max * fraction : spect.cal_max; nv.updateGLVolume(); },
  };
}
