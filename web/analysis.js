// The analysis page (#/analysis): Kaplan-Meier curves by group with the number
// at risk, medians and the log-rank test, and a Cox model as a forest plot,
// drawn here as SVG from the numbers of GET /api/analysis/km and /api/analysis/cox
// (the server's survival engines; the same numbers as `sirtkit analyze`).
// SVG is built with createElementNS and text with textContent only.
import { api, el, errorText, table } from './api.js';

const SVG = 'http://www.w3.org/2000/svg';

// s('line', {x1: 0, ...}, child or text, ...): an SVG element.
function s(tag, attrs, ...children) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== undefined && v !== null) e.setAttribute(k, String(v));
  for (const c of children) {
    if (c === null || c === undefined) continue;
    e.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
  return e;
}

// Curves are told apart by dash pattern as well as colour (not by colour alone).
const styles = [
  { stroke: '#1f5fa8', dash: null }, { stroke: '#c2410c', dash: '8 4' }, { stroke: '#15803d', dash: '2 3' },
  { stroke: '#7e22ce', dash: '10 3 2 3' }, { stroke: '#444444', dash: '4 4' },
];

const endpoints = { os: 'Overall survival', pfs: 'Progression-free survival', ttp: 'Freedom from progression' };

// A number for reading: 3 significant digits, p-values as journals print them.
export function formatNumber(v, digits = 3) {
  if (v === null || v === undefined || !Number.isFinite(v)) return 'NA';
  return Number(v.toPrecision(digits)).toString();
}
export function formatP(p) {
  if (p === null || p === undefined || !Number.isFinite(p)) return 'NA';
  return p < 0.001 ? p.toExponential(2) : p.toFixed(3);
}

function label(strata) { return strata.includes('=') ? strata.slice(strata.indexOf('=') + 1) : strata; }

// Ticks for [0, max]: 0, step, 2 step, ... with a step of 1, 2 or 5 times a power of 10.
function ticks(max, count) {
  const raw = max / Math.max(1, count);
  const p = 10 ** Math.floor(Math.log10(raw || 1));
  const step = [1, 2, 5, 10].map((m) => m * p).find((x) => x >= raw) || raw;
  const out = [];
  for (let x = 0; x <= max + 1e-9; x += step) out.push(Number(x.toPrecision(12)));
  return out;
}

function kmPlot(data) {
  const W = 720, H = 380, left = 64, right = 150, top = 16, bottom = 52;
  const grouped = data.group_column !== '';
  const curves = data.km.curves.filter((c) => (grouped ? c.strata !== 'all' : c.strata === 'all'));
  let xmax = Math.max(...data.risk_times, ...curves.map((c) => (c.table.length ? c.table[c.table.length - 1].time : 0)), 1e-9);
  const x = (t) => left + (t / xmax) * (W - left - right);
  const y = (p) => top + (1 - p) * (H - top - bottom);
  const title = endpoints[data.derived.paramcd.toLowerCase()] || data.derived.paramcd;
  const svgEl = s('svg', { id: 'km-plot', viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'aria-labelledby': 'km-plot-title' },
    s('title', { id: 'km-plot-title' }, `Kaplan-Meier estimate of ${title.toLowerCase()} by ${data.group}`));
  // Axes, ticks and labels.
  const axes = s('g', { class: 'axes', stroke: '#222', 'font-size': 12 });
  axes.append(s('line', { x1: left, y1: y(0), x2: W - right, y2: y(0) }), s('line', { x1: left, y1: y(0), x2: left, y2: y(1) }));
  for (const t of data.risk_times.length ? data.risk_times : ticks(xmax, 6)) {
    axes.append(s('line', { x1: x(t), y1: y(0), x2: x(t), y2: y(0) + 5 }),
      s('text', { x: x(t), y: y(0) + 18, 'text-anchor': 'middle', stroke: 'none', class: 'x-tick' }, formatNumber(t)));
  }
  for (const p of [0, 0.25, 0.5, 0.75, 1]) {
    axes.append(s('line', { x1: left - 5, y1: y(p), x2: left, y2: y(p) }),
      s('text', { x: left - 8, y: y(p) + 4, 'text-anchor': 'end', stroke: 'none' }, p.toFixed(2)));
  }
  const origin = data.derived.origin === 'index' ? 'the index date' : 'the first treatment';
  axes.append(s('text', { id: 'km-x-label', x: (left + W - right) / 2, y: H - 8, 'text-anchor': 'middle', stroke: 'none' },
    `Time since ${origin} (${data.derived.time_unit})`));
  axes.append(s('text', { x: 14, y: (top + H - bottom) / 2, transform: `rotate(-90 14 ${(top + H - bottom) / 2})`, 'text-anchor': 'middle', stroke: 'none' },
    title + ' probability'));
  svgEl.append(axes);
  // One step function per curve, with a tick at each censoring time.
  curves.forEach((c, i) => {
    const st = styles[i % styles.length];
    let d = `M${x(0)},${y(1)}`;
    let surv = 1;
    const marks = [];
    for (const row of c.table) {
      d += ` H${x(row.time)}`;
      if (row.n_event > 0 && row.surv !== null) { surv = row.surv; d += ` V${y(surv)}`; }
      if (row.n_censor > 0) marks.push(`M${x(row.time)},${y(surv) - 4} v8`);
    }
    const g = s('g', { class: 'km-curve', 'data-group': label(c.strata) },
      s('path', { d, fill: 'none', stroke: st.stroke, 'stroke-width': 2, 'stroke-dasharray': st.dash }),
      s('path', { d: marks.join(' '), stroke: st.stroke, 'stroke-width': 1.5, class: 'censor-marks' }),
      s('title', {}, `${label(c.strata)}: n = ${c.n}, ${c.events} events`));
    svgEl.append(g);
    const ly = top + 12 + i * 20;
    svgEl.append(s('g', { class: 'legend' },
      s('line', { x1: W - right + 10, y1: ly, x2: W - right + 40, y2: ly, stroke: st.stroke, 'stroke-width': 2, 'stroke-dasharray': st.dash }),
      s('text', { x: W - right + 46, y: ly + 4, 'font-size': 12 }, label(c.strata))));
  });
  return { svg: svgEl, curves };
}

function riskTable(data, curves) {
  const head = el('tr', {}, el('th', { scope: 'col' }, `At risk (${data.derived.time_unit})`),
    ...data.risk_times.map((t) => el('th', { scope: 'col' }, formatNumber(t))));
  const rows = curves.map((c) => el('tr', {}, el('th', { scope: 'row' }, label(c.strata)),
    ...c.at_times.map((a) => el('td', {}, String(a.n_risk)))));
  return el('table', { id: 'risk-table' }, el('caption', {}, 'Number at risk'), el('thead', {}, head), el('tbody', {}, ...rows));
}

function mediansTable(data, curves) {
  const level = Math.round(data.km.conf_level * 100);
  const rows = curves.map((c) => ({
    group: label(c.strata), n: c.n, events: c.events,
    median: formatNumber(c.median.median), ci: `${formatNumber(c.median.lower)} – ${formatNumber(c.median.upper)}`,
  }));
  return table([{ key: 'group', label: 'Group' }, { key: 'n', label: 'n' }, { key: 'events', label: 'Events' },
    { key: 'median', label: `Median (${data.derived.time_unit})` }, { key: 'ci', label: `${level}% CI` }], rows, { id: 'km-medians' });
}

function logRankText(data) {
  if (data.logrank) {
    const lr = data.logrank;
    return el('p', { id: 'logrank', 'data-p': String(lr.p) },
      `Log-rank test: χ² = ${formatNumber(lr.chisq, 4)} on ${lr.df} df, p = `, el('span', { id: 'logrank-p' }, formatP(lr.p)));
  }
  return el('p', { id: 'logrank' }, data.logrank_refused ? 'No log-rank test: ' + data.logrank_refused : 'No log-rank test (no grouping).');
}

function forestPlot(cox) {
  const n = cox.terms.length;
  const W = 720, rowH = 28, top = 24, bottom = 44, left = 180, right = 40;
  const H = top + bottom + n * rowH;
  const finite = [...cox.hr_lower, ...cox.hr_upper, 1].filter((v) => v !== null && Number.isFinite(v) && v > 0);
  const lo = Math.min(...finite) / 1.1, hi = Math.max(...finite) * 1.1;
  const x = (v) => left + (Math.log(v) - Math.log(lo)) / (Math.log(hi) - Math.log(lo)) * (W - left - right);
  const svgEl = s('svg', { id: 'forest-plot', viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'aria-labelledby': 'forest-title' },
    s('title', { id: 'forest-title' }, 'Hazard ratios with confidence intervals (log scale)'));
  svgEl.append(s('line', { x1: x(1), y1: top - 8, x2: x(1), y2: H - bottom, stroke: '#888', 'stroke-dasharray': '4 3' }));
  cox.terms.forEach((term, i) => {
    const cy = top + rowH * i + rowH / 2;
    const g = s('g', { class: 'forest-row', 'data-term': term }, s('text', { x: left - 10, y: cy + 4, 'text-anchor': 'end', 'font-size': 12 }, term));
    const hr = cox.hr[i], l = cox.hr_lower[i], u = cox.hr_upper[i];
    if ([hr, l, u].every((v) => v !== null && Number.isFinite(v) && v > 0)) {
      g.append(s('line', { x1: x(l), y1: cy, x2: x(u), y2: cy, stroke: '#1f5fa8', 'stroke-width': 2 }),
        s('rect', { x: x(hr) - 5, y: cy - 5, width: 10, height: 10, fill: '#1f5fa8' }));
    }
    svgEl.append(g);
  });
  const axis = s('g', { 'font-size': 12 }, s('line', { x1: left, y1: H - bottom, x2: W - right, y2: H - bottom, stroke: '#222' }));
  for (const v of [0.1, 0.2, 0.5, 1, 2, 5, 10, 20].filter((t) => t >= lo && t <= hi)) {
    axis.append(s('line', { x1: x(v), y1: H - bottom, x2: x(v), y2: H - bottom + 5, stroke: '#222' }),
      s('text', { x: x(v), y: H - bottom + 18, 'text-anchor': 'middle' }, String(v)));
  }
  axis.append(s('text', { x: (left + W - right) / 2, y: H - 6, 'text-anchor': 'middle' },
    `Hazard ratio (${Math.round(cox.conf_level * 100)}% CI), log scale`));
  svgEl.append(axis);
  return svgEl;
}

function coxTable(cox) {
  const level = Math.round(cox.conf_level * 100);
  const rows = cox.terms.map((t, i) => ({
    term: t, hr: formatNumber(cox.hr[i]), ci: `${formatNumber(cox.hr_lower[i])} – ${formatNumber(cox.hr_upper[i])}`, p: formatP(cox.p[i]),
  }));
  return table([{ key: 'term', label: 'Term' }, { key: 'hr', label: 'Hazard ratio' }, { key: 'ci', label: `${level}% CI` },
    { key: 'p', label: 'p' }], rows, { id: 'cox-terms' });
}

function select(name, options, value) {
  return el('select', { name }, ...options.map(([v, text]) => el('option', { value: v, selected: v === value }, text)));
}

export async function showAnalysis(root) {
  const form = el('form', { id: 'analysis-form' },
    el('label', {}, 'Endpoint ', select('endpoint', [['os', 'Overall survival'], ['pfs', 'Progression-free survival'], ['ttp', 'Time to progression']], 'os')),
    el('label', {}, 'Origin ', select('origin', [['index', 'index date'], ['first-treatment', 'first treatment']], 'index')),
    el('label', {}, 'Group by ', select('group', [['arm', 'arm'], ['site', 'site'], ['dose', 'tumour dose'], ['none', 'none']], 'arm')),
    el('label', {}, 'Dose threshold (Gy) ', el('input', { name: 'dose_threshold', inputmode: 'decimal', size: 6 })),
    el('label', {}, 'At-risk times (months) ', el('input', { name: 'times', placeholder: '0,6,12,18,24', size: 16 })),
    el('label', {}, 'Cox covariates ', el('input', { name: 'covariates', placeholder: 'arm,age,ecog', size: 20 })),
    el('button', { type: 'submit' }, 'Analyse'));
  const kmHolder = el('section', { id: 'km-section', 'aria-labelledby': 'km-title' });
  const coxHolder = el('section', { id: 'cox-section', 'aria-labelledby': 'cox-title' });
  root.replaceChildren(el('h2', { id: 'analysis-title' }, 'Survival analysis'),
    el('p', {}, 'Patients of your sites; times in months. Numbers as `sirtkit analyze` prints them.'), form, kmHolder, coxHolder);

  async function load() {
    const params = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (v && k !== 'covariates') params.set(k, String(v).replace(/\s+/g, ''));
    const coxParams = new URLSearchParams(params);
    coxParams.delete('times');
    const cov = new FormData(form).get('covariates');
    if (cov) coxParams.set('covariates', String(cov).replace(/\s+/g, ''));
    const [km, cox] = await Promise.all([api('GET', '/api/analysis/km?' + params), api('GET', '/api/analysis/cox?' + coxParams)]);
    if (km.status !== 200) {
      kmHolder.replaceChildren(el('h3', { id: 'km-title' }, 'Kaplan-Meier'), el('p', { role: 'alert' }, errorText(km)));
    } else {
      const d = km.data;
      const plot = kmPlot(d);
      kmHolder.replaceChildren(el('h3', { id: 'km-title' }, 'Kaplan-Meier'),
        el('p', {}, `${d.derived.paramcd}: ${d.derived.subjects} patients, ${d.derived.events} events, ${d.derived.censored} censored` +
          (d.derived.excluded ? `, ${d.derived.excluded} excluded` : '')),
        plot.svg, riskTable(d, plot.curves), mediansTable(d, plot.curves), logRankText(d));
    }
    if (cox.status !== 200) {
      coxHolder.replaceChildren(el('h3', { id: 'cox-title' }, 'Cox model'), el('p', { role: 'alert' }, errorText(cox)));
    } else {
      const c = cox.data.cox;
      coxHolder.replaceChildren(el('h3', { id: 'cox-title' }, 'Cox model'),
        el('p', {}, `n = ${c.n}, ${c.nevent} events; ties: ${c.ties}; concordance ${formatNumber(c.concordance)}`),
        forestPlot(c), coxTable(c));
    }
  }
  form.addEventListener('submit', (e) => { e.preventDefault(); load(); });
  await load();
}
