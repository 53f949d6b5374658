// Browser test of `sirtkit serve` (issue 13): starts `sirtkit serve --demo` on a
// free loopback port over a fresh registry in a temporary folder, reads the
// one-time admin password from its stdout, and drives Debian's chromium headless
// through playwright-core: sign in, filter the patient list, open a patient,
// enter a new patient with a validation error and its correction, edit it with
// a reason and find the change in the audit trail, see the Kaplan-Meier plot
// (one curve per arm, the log-rank p-value the API gives); then, as a
// physicist, open the demo plan (the dose overlay drawn), move the activity
// and check the goals, constraints and lung dose equal `sirtkit plan
// --activity` for the same value, approve the plan with the password, and
// find the approval in the audit trail and the planned doses in the
// patient's treatment record; verify the plan on the demo's post-treatment
// SPECT (the page's per-VOI numbers are those of `sirtkit verify --json`); open the demo's plan of
// two injections and move both controls (the numbers of `sirtkit plan --activity A1 --activity A2`); upload a study through the
// browser (STOW-RS). A screenshot of every step goes to --out.
//
//   node tests/browser/run.mjs --sirtkit build/sirtkit --out build/test-artifacts/browser
//
// The dose overlay is compared with a kept reference image,
// tests/browser/plan-overlay.reference.png: the 640x480 viewer canvas in the axial view
// at its first slice (the volume's centre), crosshair hidden, device scale
// factor 1, 1200x900 viewport, at the planner's optimum, kept and compared at
// half resolution (each pixel the mean of 2x2 screen pixels). A pixel differs when
// one of its R, G, B values is more than OVERLAY_CHANNEL_TOLERANCE away; the
// test fails when more than OVERLAY_MAX_DIFFERING of the pixels differ, and then
// writes plan-overlay.actual.png and plan-overlay.diff.png (differing pixels in
// red) to --out. To regenerate the reference after an intended change of the
// viewer, run with SIRTKIT_UPDATE_REFERENCE=1 (it writes the reference instead
// of comparing) and look at the new image before committing it.
//
// Exit 0 when every check passed, 1 on the first failure (named on stderr),
// 77 (CTest's skip code) when playwright-core is not installed and
// SIRTKIT_REQUIRE_BROWSER is not set (scripts/test.sh sets it after `npm ci`).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { comparePixels, decodePng, encodePng, halve, loadChromium, startServer } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const sirtkit = path.resolve(args.sirtkit || 'build/sirtkit');
const outDir = path.resolve(args.out || 'build/test-artifacts/browser');
const chromiumPath = args.chromium || '/usr/bin/chromium';
const overlayReference = path.join(here, 'plan-overlay.reference.png');
// SwiftShader draws the same pixels run after run on one machine; the tolerance
// leaves room for another CPU or Chromium build (texture filtering, blending
// rounding: a few levels on edges) while a missing dose wash, another colour
// map or another activity changes far more pixels by far more.
const OVERLAY_CHANNEL_TOLERANCE = 24;  // of 255, per R, G, B value
const OVERLAY_MAX_DIFFERING = 0.01;    // fraction of the canvas's pixels

const chromium = await loadChromium();
if (!chromium) {
  const msg = 'playwright-core is not installed: run `npm ci` in tests/browser';
  if (process.env.SIRTKIT_REQUIRE_BROWSER) { console.error(msg); process.exit(1); }
  console.log('SKIP: ' + msg);
  process.exit(77);
}

fs.rmSync(outDir, { recursive: true, force: true });
fs.mkdirSync(outDir, { recursive: true });
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sirtkit-browser-'));

function fail(message) { throw new Error(message); }
function check(cond, message) { if (!cond) fail(message); }

const server = startServer(sirtkit, tmp);
let browser;
let step = 0;
let page;
// A screenshot `png` (kept as NAME.png in --out) holds colours on more than 1 %
// of its pixels: a dose wash (the CT alone is grey; a pixel is coloured when its
// R, G, B spread over more than 60 levels).
function expectColours(png, name, failure) {
  fs.writeFileSync(path.join(outDir, name + '.png'), png);
  const img = decodePng(png);
  let coloured = 0;
  for (let i = 0; i < img.data.length; i += 4) {
    const [r, g, b] = [img.data[i], img.data[i + 1], img.data[i + 2]];
    if (Math.max(r, g, b) - Math.min(r, g, b) > 60) ++coloured;
  }
  console.log(`${name} ${img.width}x${img.height}: ${coloured} coloured pixels`);
  check(coloured > 0.01 * img.width * img.height, `${failure} (${coloured} coloured pixels)`);
}

async function shot(name) {
  step += 1;
  await page.screenshot({ path: path.join(outDir, `${String(step).padStart(2, '0')}-${name}.png`), fullPage: true });
}

try {
  const { port, password } = await server.ready;
  const base = `http://127.0.0.1:${port}`;
  browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, deviceScaleFactor: 1 });
  page = await context.newPage();
  const consoleErrors = [];
  // Script errors (HTTP refusals the test provokes, e.g. the 401 of a wrong password, are not).
  page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  page.setDefaultTimeout(15000);
  // The API as the signed-in browser sees it (its cookie), to compare the page with.
  const apiGet = async (p) => {
    const r = await page.request.get(base + p);
    check(r.status() === 200, `GET ${p} answered ${r.status()}`);
    return r.json();
  };

  // 1. Sign in: a wrong password is refused with a message, the right one signs in.
  await page.goto(base + '/');
  await page.fill('input[name=username]', 'admin');
  await page.fill('input[name=password]', 'not the password at all');
  await page.click('#login-form button[type=submit]');
  await page.waitForFunction(() => document.getElementById('login-error').textContent.length > 0);
  await shot('login-refused');
  await page.fill('input[name=username]', 'admin');
  await page.fill('input[name=password]', password);
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#patients tbody tr');
  check((await page.textContent('#who')).startsWith('admin'), 'signed-in user not shown');
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === 'sirtkit_session');
  check(session && session.httpOnly && session.sameSite === 'Strict', 'session cookie not HttpOnly + SameSite=Strict');
  check(!(await page.evaluate(() => document.cookie)).includes('sirtkit_session'), 'session cookie readable by script');
  await shot('patient-list');

  // 2. Patient list and its filter: the count and rows are the API's.
  const all = await apiGet('/api/patients');
  check((await page.textContent('#count')).startsWith(`${all.total} patients`), 'patient count differs from the API');
  await page.selectOption('#filter-form select[name=status]', 'deceased');
  await page.click('#filter-form button[type=submit]');
  const deceased = await apiGet('/api/patients?status=deceased');
  check(deceased.total > 0 && deceased.total < all.total, 'demo cohort should have some deceased patients');
  await page.waitForFunction((n) => document.getElementById('count').textContent.startsWith(n + ' patients'), deceased.total);
  const rows = await page.$$eval('#patients tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
  check(rows.length === deceased.patients.length, 'filtered rows differ from the API');
  check(rows.every((r) => r[6] === 'deceased'), 'a row of the deceased filter is not deceased');
  await shot('patient-list-deceased');
  const target = deceased.patients[0];
  await page.fill('#filter-form input[name=search]', target.pseudonym.slice(-4));
  await page.click('#filter-form button[type=submit]');
  await page.waitForFunction((p) => [...document.querySelectorAll('#patients tbody tr td:first-child')].every((td) => td.textContent.includes(p)), target.pseudonym.slice(-4));

  // XSS: markup typed into the filters is never parsed as HTML (the list answers it as text).
  const payload = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>';
  await page.fill('#filter-form input[name=search]', payload);
  await page.fill('#filter-form input[name=site]', payload);
  await page.click('#filter-form button[type=submit]');
  await page.waitForFunction(() => document.getElementById('list-error').textContent.length > 0 || document.getElementById('count').textContent.startsWith('0 '));
  check(await page.evaluate(() => window.__xss === undefined && !document.querySelector('img[src=x]')), 'filter text ran as HTML');
  await page.fill('#filter-form input[name=site]', '');
  await page.fill('#filter-form input[name=search]', target.pseudonym.slice(-4));
  await page.click('#filter-form button[type=submit]');
  await page.waitForFunction((p) => [...document.querySelectorAll('#patients tbody tr td:first-child')].every((td) => td.textContent.includes(p)), target.pseudonym.slice(-4));

  // 3. Patient page: opened from the list, shows the patient's record.
  await page.click(`#patients a[href="#/patient/${target.id}"]`);
  await page.waitForSelector('#patient-title');
  check((await page.textContent('#patient-title')).includes(target.pseudonym), 'patient page shows another patient');
  const record = await apiGet('/api/patients/' + target.id);
  const followups = await page.$$('#followup-events tbody tr');
  check(followups.length === (record.followup_events || []).length, 'follow-up rows differ from the API');
  await shot('patient-page');

  // 3b. Data entry: an impossible age is refused naming the field and nothing is
  // saved; corrected, the patient is saved; an edit needs a reason; the audit
  // trail shows who, old -> new and why.
  const before = (await apiGet('/api/patients')).total;
  await page.goto(base + '/#/new-patient');
  await page.waitForSelector('#entry-form');
  const siteCodes = await page.$$eval('#f-site option', (os) => os.map((o) => o.value).filter((v) => v));
  check(siteCodes.length > 0, 'no site to choose in the new-patient form');
  const site = siteCodes[0];
  await page.selectOption('#f-site', site);
  await page.fill('#f-index_date', '2024-03-01');
  await page.fill('#f-age_years', '250');
  await page.click('#save');
  await page.waitForFunction(() => document.getElementById('err-age_years').textContent.length > 0);
  check((await page.textContent('#err-age_years')).includes('0 to 120'), 'the age error does not say the range');
  check((await page.getAttribute('#f-age_years', 'aria-invalid')) === 'true', 'the refused field is not marked invalid');
  await shot('entry-refused');
  check((await apiGet('/api/patients')).total === before, 'a refused patient was saved');
  await page.fill('#f-age_years', '67');
  await page.click('#save');
  await page.waitForSelector('#saved');
  const pseudonym = (await page.textContent('#new-pseudonym')).trim();
  const created = (await apiGet('/api/patients?search=' + encodeURIComponent(pseudonym))).patients[0];
  check(created && created.age_years === 67 && created.site === site, 'the saved patient differs from what was entered');
  await shot('entry-saved');
  await page.goto(base + `/#/enter/${created.id}/patient`);
  await page.waitForSelector('#entry-form #f-reason');
  await page.fill('#f-age_years', '68');
  await page.click('#save');
  await page.waitForFunction(() => document.getElementById('err-reason').textContent.length > 0);
  check((await apiGet('/api/patients/' + created.id)).age_years === 67, 'an edit without a reason was saved');
  const why = 'age transcribed wrong from the referral letter';
  await page.fill('#f-reason', why);
  await page.click('#save');
  await page.waitForSelector('#saved');
  check((await apiGet('/api/patients/' + created.id)).age_years === 68, 'the edit was not saved');
  await page.goto(base + '/#/audit');
  await page.waitForSelector('#audit-filter');
  await page.selectOption('#audit-table', 'patients');
  await page.fill('#audit-patient', String(created.id));
  await page.click('#audit-filter button[type=submit]');
  await page.waitForFunction((w) => [...document.querySelectorAll('#audit tbody tr')].some((tr) => tr.textContent.includes(w)), why);
  const auditRow = await page.$$eval('#audit tbody tr', (trs, w) => trs.map((tr) => tr.textContent).find((t) => t.includes(w)), why);
  check(auditRow.includes('admin') && auditRow.includes('age_years') && auditRow.includes('67') && auditRow.includes('68'), 'audit row lacks who or old -> new: ' + auditRow);
  await shot('audit-trail');

  // 4. Analysis: Kaplan-Meier plot with one curve per arm and the API's log-rank p.
  await page.goto(base + '/#/analysis');
  await page.waitForSelector('#km-plot .km-curve');
  const km = await apiGet('/api/analysis/km?endpoint=os&origin=index&group=arm');
  const arms = km.km.curves.filter((c) => c.strata !== 'all').map((c) => c.strata.replace(/^TRT01P=/, ''));
  check(arms.length >= 2, 'the demo cohort should have two arms');
  const drawn = await page.$$eval('#km-plot .km-curve', (gs) => gs.map((g) => g.getAttribute('data-group')));
  check(JSON.stringify(drawn) === JSON.stringify(arms), `curves drawn ${drawn} but arms ${arms}`);
  check(Number(await page.getAttribute('#logrank', 'data-p')) === km.logrank.p, 'log-rank p differs from the API');
  const shownP = await page.textContent('#logrank-p');
  const expectP = km.logrank.p < 0.001 ? km.logrank.p.toExponential(2) : km.logrank.p.toFixed(3);
  check(shownP === expectP, `log-rank p shown ${shownP}, API ${km.logrank.p}`);
  check((await page.textContent('#km-x-label')).includes('(months)'), 'time axis not labelled in months');
  const atRisk = await page.$$eval('#risk-table tbody tr', (trs) => trs.map((tr) => [...tr.cells].slice(1).map((c) => Number(c.textContent))));
  const apiAtRisk = km.km.curves.filter((c) => c.strata !== 'all').map((c) => c.at_times.map((a) => a.n_risk));
  check(JSON.stringify(atRisk) === JSON.stringify(apiAtRisk), 'number at risk differs from the API');
  await page.waitForSelector('#forest-plot .forest-row');
  await shot('analysis');
  check(consoleErrors.length === 0, 'browser console errors: ' + consoleErrors.join(' | '));

  // 5. Planning workspace as a physicist of the new patient's site.
  const me = await apiGet('/api/me');
  const physicist = { username: 'physicist1', password: 'a physicist password 4242' };
  const madeUser = await page.request.post(base + '/api/users', { headers: { 'X-CSRF-Token': me.csrf_token },
    data: { username: physicist.username, role: 'physicist', sites: [site], password: physicist.password } });
  check(madeUser.status() === 201, 'could not create the physicist: ' + madeUser.status());
  const signIn = async (who, pw) => {
    await page.click('#logout');
    await page.waitForSelector('#login-form', { state: 'visible' });
    await page.fill('input[name=username]', who);
    await page.fill('input[name=password]', pw);
    await page.click('#login-form button[type=submit]');
    await page.waitForFunction((u) => document.getElementById('who').textContent.startsWith(u), who);
  };
  await signIn(physicist.username, physicist.password);
  const studies = (await apiGet('/api/plans')).studies;
  const demo = studies.find((x) => x.folder === 'demo-patient' && x.plan_file === 'plan.toml');
  check(demo, 'the demo plan is not listed');
  const opened = Date.now();
  await page.goto(base + '/#/plans');
  await page.click(`#plan-list a[href="#/plan/${demo.id}"]`);
  await page.waitForSelector('#plan-view[data-state=ready]', { timeout: 240000 });
  const overlayS = (Date.now() - opened) / 1000;
  check(!(await page.$('#viewer-error')), 'the volume viewer did not start: ' + (await page.textContent('#viewer-error').catch(() => '')));
  // The dose overlay is drawn: the viewer's pixels (as composited on screen)
  // hold colours (the CT alone is grey), and they are those of the reference.
  expectColours(await page.locator('#plan-viewer').screenshot(), 'plan-viewer', 'the viewer shows no coloured overlay');
  // The deterministic view of the reference: a 640x480 canvas whatever the
  // page's fonts make of the grid (niivue follows its size), axial, crosshair
  // hidden, first slice.
  const setCanvasBox = (size) => page.$eval('#plan-view .plan-canvas', (box, [w, h]) => { box.style.width = w; box.style.height = h; }, size);
  await setCanvasBox(['640px', '480px']);  // CSSOM, which the CSP allows (a <style> it does not)
  await page.selectOption('#view-layout', '0');
  await page.uncheck('#show-crosshair');
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  check(JSON.stringify(await page.$eval('#plan-viewer', (c) => [c.width, c.height])) === '[640,480]', 'the viewer canvas is not 640x480 for the reference');
  const overlayPng = await page.locator('#plan-viewer').screenshot({ animations: 'disabled', caret: 'hide' });
  if (process.env.SIRTKIT_UPDATE_REFERENCE) {
    fs.writeFileSync(overlayReference, encodePng(halve(decodePng(overlayPng))));
    console.log(`wrote the overlay reference ${overlayReference}`);
  } else {
    check(fs.existsSync(overlayReference), `no overlay reference ${overlayReference} (run with SIRTKIT_UPDATE_REFERENCE=1 to write it)`);
    const cmp = comparePixels(halve(decodePng(overlayPng)), decodePng(fs.readFileSync(overlayReference)), OVERLAY_CHANNEL_TOLERANCE);
    console.log(`dose overlay vs reference: ${cmp.differing} pixels differ by more than ${OVERLAY_CHANNEL_TOLERANCE}/255 (${(100 * cmp.fraction).toFixed(3)} %, at most ${100 * OVERLAY_MAX_DIFFERING} % allowed)`);
    if (cmp.fraction > OVERLAY_MAX_DIFFERING) {
      fs.writeFileSync(path.join(outDir, 'plan-overlay.actual.png'), overlayPng);
      if (cmp.diff) fs.writeFileSync(path.join(outDir, 'plan-overlay.diff.png'), encodePng(cmp.diff));
      fail(cmp.sizeDiffers ? 'the dose overlay screenshot is not the size of the reference' :
        `the dose overlay differs from ${path.basename(overlayReference)}: ${(100 * cmp.fraction).toFixed(2)} % of the pixels (see plan-overlay.actual.png and plan-overlay.diff.png in ${outDir})`);
    }
  }
  await setCanvasBox(['', '']);
  await page.selectOption('#view-layout', '3');
  await page.check('#show-crosshair');
  await shot('plan-view');
  console.log(`time to the first dose overlay: ${overlayS.toFixed(1)} s`);

  // Move the activity; the page's numbers are those of `sirtkit plan --activity`.
  const activity = 2.5;
  const planFile = path.join(tmp, 'data', 'demo-patient', 'plan.toml');
  let cliText;
  try { cliText = execFileSync(sirtkit, ['plan', planFile, '--json', '--activity', String(activity)], { encoding: 'utf8' }); } catch (e) { cliText = e.stdout; }
  const cli = JSON.parse(cliText);
  await page.fill('input[name=activity-0-number]', String(activity));
  await page.$eval('input[name=activity-0-number]', (e) => e.dispatchEvent(new Event('change')));
  await page.waitForFunction((a) => document.getElementById('plan-view').dataset.whatIf === 'idle' &&
    document.getElementById('plan-status').textContent.includes(a.toFixed(3)), activity);
  // The goals, constraints and lung dose the page shows are those of the CLI's plan `cli`.
  const expectTheCliNumbers = async (cli, what) => {
    for (const [id, checks] of [['goals-table', cli.goals], ['constraints-table', cli.constraints]]) {
      const shown = await page.$$eval(`#${id} tbody tr`, (trs) => trs.map((tr) => [tr.dataset.label, tr.querySelector('td.value').textContent, tr.querySelector('td.met').textContent]));
      check(shown.length === checks.length, `${what}: ${id}: ${shown.length} rows, the CLI has ${checks.length}`);
      checks.forEach((c, i) => check(shown[i][0] === c.label && shown[i][1] === c.value_gy.toFixed(2) && shown[i][2] === (c.met ? 'yes' : 'NO'),
        `${what}: ${id} row ${i}: page ${shown[i]} vs CLI ${c.label} ${c.value_gy.toFixed(2)} ${c.met}`));
    }
    check((await page.textContent('#lung-dose')).includes(cli.lung.dose_gy.toFixed(2) + ' Gy'), `${what}: lung dose differs from the CLI`);
  };
  await expectTheCliNumbers(cli, 'plan.toml at ' + activity + ' GBq');
  const curves = await page.$$eval('#dvh .dvh-curve', (ps) => ps.map((p) => p.getAttribute('data-voi')));
  check(curves.length === cli.vois.length, `DVH has ${curves.length} curves, the plan ${cli.vois.length} VOIs`);
  // Every point of every DVH curve where the CLI's DVH puts it (the SVG holds 1 decimal): the page
  // rebuilt the curves from the what-if's voxel counts (sirtkit.what-if/1).
  const dvhDrawn = await page.$eval('#dvh', (svg) => {
    const box = svg.querySelector('rect');
    return { box: ['x', 'y', 'width', 'height'].map((a) => Number(box.getAttribute(a))),
      curves: [...svg.querySelectorAll('.dvh-curve')].map((p) => [p.getAttribute('data-voi'), p.getAttribute('d')]) };
  });
  const [bx, by, bw, bh] = dvhDrawn.box;
  let dvhMaxGy = 1;
  for (const v of cli.vois) if (v.dvh.dose_gy.length) dvhMaxGy = Math.max(dvhMaxGy, v.dvh.dose_gy[v.dvh.dose_gy.length - 1], v.max_gy);
  for (const [name, d] of dvhDrawn.curves) {
    const v = cli.vois.find((x) => x.name === name);
    const points = d.split(/[ML]/).filter((p) => p.trim()).map((p) => p.trim().split(' ').map(Number));
    check(v && points.length === v.dvh.dose_gy.length, `DVH of ${name}: ${points.length} points, the CLI has ${v ? v.dvh.dose_gy.length : 'no such VOI'}`);
    let worst = 0;
    points.forEach(([x, y], k) => {
      worst = Math.max(worst, Math.abs(x - (bx + bw * v.dvh.dose_gy[k] / dvhMaxGy)), Math.abs(y - (by + bh * (1 - v.dvh.volume_percent[k] / 100))));
    });
    check(worst <= 0.051, `DVH of ${name} is ${worst.toFixed(2)} SVG units away from the CLI's`);
  }
  await shot('plan-what-if');

  // Approve: the password re-entered; version 1; the treatment record gets the doses.
  check(cli.deliverable, 'the what-if should be deliverable');
  await page.selectOption('#approve-patient', String(created.id));
  await page.fill('#approve-day', '0');
  await page.fill('#approve-password', 'not my password');
  await page.click('#approve-plan');
  await page.waitForFunction(() => document.getElementById('approve-result').textContent.startsWith('Not approved'));
  check((await apiGet(`/api/plans/${demo.id}/approvals`)).approvals.length === 0, 'a wrong password approved the plan');
  await page.fill('#approve-password', physicist.password);
  await page.click('#approve-plan');
  await page.waitForFunction(() => document.getElementById('approve-result').textContent.startsWith('Approved: version 1'));
  await page.waitForSelector('#approvals-table tr[data-version="1"]');
  await shot('plan-approved');
  const approvals = (await apiGet(`/api/plans/${demo.id}/approvals`)).approvals;
  check(approvals.length === 1 && approvals[0].signed_by === physicist.username && approvals[0].activity_gbq[0] === activity, 'the approval differs');
  const treatments = (await apiGet('/api/patients/' + created.id)).treatments;
  const tumour = cli.vois.find((v) => v.role === 'tumour');
  check(treatments.length === 1 && treatments[0].kind === 'sirt' && treatments[0].planned_activity_gbq === activity &&
    Math.abs(treatments[0].planned_tumour_dose_gy - tumour.mean_gy) <= 1e-12 * tumour.mean_gy &&
    Math.abs(treatments[0].planned_lung_dose_gy - cli.lung.dose_gy) <= 1e-12 * cli.lung.dose_gy, 'the treatment record differs from the plan: ' + JSON.stringify(treatments));

  // Verification on the demo's post-treatment SPECT: the numbers of `sirtkit verify --json`.
  await page.goto(base + '/#/plan/' + demo.id);
  await page.waitForSelector('#plan-view[data-state=ready]', { timeout: 240000 });
  await page.click('#verify-link');
  await page.waitForSelector('#verify-form');
  await page.selectOption('#verify-delivered', 'post_spect.nii.gz');
  await page.click('#verify-run');
  await page.waitForSelector('#verify-view[data-state=ready]', { timeout: 240000 });
  const postSpect = path.join(tmp, 'data', 'demo-patient', 'post_spect.nii.gz');
  const verified = JSON.parse(execFileSync(sirtkit, ['verify', planFile, '--delivered', postSpect, '--register', '--json'], { encoding: 'utf8' }));
  const voiRows = await page.$$eval('#verify-vois tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
  check(voiRows.length === verified.vois.length, `verification shows ${voiRows.length} VOIs, sirtkit verify ${verified.vois.length}`);
  verified.vois.forEach((v, i) => check(voiRows[i][0] === v.name && voiRows[i][1] === v.planned_mean_gy.toFixed(2) && voiRows[i][2] === v.delivered_mean_gy.toFixed(2),
    `verification row ${i}: ${voiRows[i]} vs ${v.name} ${v.planned_mean_gy} ${v.delivered_mean_gy}`));
  await page.waitForTimeout(2000);  // the four viewers draw after the tables
  await shot('verification');

  // A plan of two injections (the demo's plan_two_injections.toml): one control per
  // injection; both moved, the page shows the numbers of `sirtkit plan --activity A1 --activity A2`.
  {
    const two = studies.find((x) => x.folder === 'demo-patient' && x.plan_file === 'plan_two_injections.toml');
    check(two, 'the two-injection demo plan is not listed');
    await page.goto(`${base}/#/plan/${two.id}`);
    await page.waitForSelector('#plan-view[data-state=ready]', { timeout: 240000 });
    check(!(await page.$('#viewer-error')), 'two injections: the volume viewer did not start');
    check((await page.$$('#plan-view input[type=range][name^=activity-]')).length === 2, 'the two-injection plan does not show two activity controls');
    const gbq = [1.9, 0.8];
    let text;
    try {
      text = execFileSync(sirtkit, ['plan', path.join(tmp, 'data', 'demo-patient', 'plan_two_injections.toml'), '--json',
        '--activity', String(gbq[0]), '--activity', String(gbq[1])], { encoding: 'utf8' });
    } catch (e) { text = e.stdout; }
    const cli2 = JSON.parse(text);
    check(cli2.injections.length === 2 && cli2.injections.every((inj, k) => inj.administered_gbq === gbq[k]), 'the CLI did not plan the two activities given');
    for (const k of [0, 1]) {
      await page.fill(`input[name=activity-${k}-number]`, String(gbq[k]));
      await page.$eval(`input[name=activity-${k}-number]`, (e) => e.dispatchEvent(new Event('change')));
    }
    const shownActivities = gbq.map((a) => a.toFixed(3)).join(' + ');
    await page.waitForFunction((a) => document.getElementById('plan-view').dataset.whatIf === 'idle' &&
      document.getElementById('plan-status').textContent.includes(a), shownActivities);
    await expectTheCliNumbers(cli2, `plan_two_injections.toml at ${shownActivities} GBq`);
    const curves2 = await page.$$eval('#dvh .dvh-curve', (ps) => ps.length);
    check(curves2 === cli2.vois.length, `two injections: DVH has ${curves2} curves, the plan ${cli2.vois.length} VOIs`);
    await shot('plan-two-injections');
  }

  // The page's own first look (web/plan_preview.js) while niivue starts: with
  // niivue's module held back, the CT with the dose wash is on screen (coloured
  // pixels in the preview), and once niivue has drawn the preview is gone.
  {
    const held = await context.newPage();
    await held.route('**/vendor/niivue/niivue.js', async (route) => { await new Promise((r) => setTimeout(r, 3000)); await route.continue(); });
    await held.goto(`${base}/#/plan/${demo.id}`);
    await held.waitForFunction(() => performance.getEntriesByName('plan:preview-presented').length > 0, null, { timeout: 120000 });
    check((await held.evaluate(() => performance.getEntriesByName('plan:overlay-drawn').length)) === 0, 'niivue drew before its module was let through');
    expectColours(await held.locator('#plan-view .plan-preview').screenshot(), 'plan-preview', 'the preview shows no dose wash');
    await held.waitForSelector('#plan-view[data-state=ready]', { timeout: 240000 });
    check((await held.$$('.plan-preview')).length === 0, 'the preview is still there after niivue drew');
    await held.close();
  }

  // A study uploaded through the browser (STOW-RS, issue 14 item 5): a CT object
  // (written by DCMTK's dump2dcm) is stored under a hashed study folder and listed;
  // a file that is not DICOM is refused with its reason, and nothing of it kept.
  let dump2dcm = true;
  try { execFileSync('dump2dcm', ['--version'], { stdio: 'ignore' }); } catch (e) { dump2dcm = false; }
  if (!dump2dcm) {
    console.log('upload step skipped: dump2dcm (Debian package dcmtk) is not installed');
  } else {
    const dump = path.join(tmp, 'ct.dump'), ctFile = path.join(tmp, 'upload_ct.dcm'), junkFile = path.join(tmp, 'notes.dcm');
    fs.writeFileSync(dump, ['(0008,0016) UI =CTImageStorage', '(0008,0018) UI [1.2.826.0.1.3680043.2.1125.99.3]', '(0008,0060) CS [CT]',
      '(0010,0010) PN [BROWSER^TEST]', '(0020,000d) UI [1.2.826.0.1.3680043.2.1125.99.1]', '(0020,000e) UI [1.2.826.0.1.3680043.2.1125.99.2]', ''].join('\n'));
    execFileSync('dump2dcm', ['-q', dump, ctFile]);
    fs.writeFileSync(junkFile, 'not a DICOM file at all');
    await page.goto(base + '/#/plans');
    await page.waitForSelector('#dicom-upload');
    await page.setInputFiles('#dicom-upload-files', [ctFile, junkFile]);
    await page.click('#dicom-upload-send');
    await page.waitForFunction(() => document.getElementById('dicom-upload-status').textContent.endsWith('refused.'));
    check((await page.textContent('#dicom-upload-status')) === '1 stored, 1 refused.', 'upload: ' + (await page.textContent('#dicom-upload-status')));
    check((await page.$$('#dicom-upload-refusals li')).length === 1, 'the refused file has no reason shown');
    await page.waitForSelector('#received-list tbody tr');
    const received = await page.$$eval('#received-list tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
    // Filed under the physicist's only site (docs/server.md "Sites").
    check(received.length === 1 && /^study-[0-9a-f]{16}$/.test(received[0][0]) && received[0][1] === site && received[0][2] === 'CT ×1',
      'received studies: ' + JSON.stringify(received));
    const stored = fs.readdirSync(path.join(tmp, 'data', received[0][0]), { recursive: true }).filter((f) => String(f).endsWith('.dcm'));
    check(stored.length === 1, 'upload stored ' + stored.length + ' files');
    await shot('upload');
  }

  // The approval in the audit trail, as the admin sees it.
  await signIn('admin', password);
  await page.goto(base + '/#/audit');
  await page.waitForSelector('#audit-filter');
  await page.selectOption('#audit-table', 'plan_approvals');
  await page.click('#audit-filter button[type=submit]');
  await page.waitForFunction((u) => [...document.querySelectorAll('#audit tbody tr')].some((tr) => tr.textContent.includes(u)), physicist.username);
  await shot('audit-approval');
  check(consoleErrors.length === 0, 'browser console errors: ' + consoleErrors.join(' | '));

  // 6. Sign out: the session ends on the server too.
  await page.click('#logout');
  await page.waitForSelector('#login-form', { state: 'visible' });
  const after = await page.request.get(base + '/api/me');
  check(after.status() === 401, 'session still alive after logout');
  console.log(`browser test passed: ${step} screenshots in ${outDir}`);
} catch (e) {
  console.error('browser test FAILED: ' + e.message);
  if (page) await shot('failure').catch(() => {});
  console.error(server.log());
  process.exitCode = 1;
} finally {
  if (browser) await browser.close().catch(() => {});
  server.child.kill('SIGTERM');
  fs.rmSync(tmp, { recursive: true, force: true });
}
