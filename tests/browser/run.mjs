// Browser test of `sirtkit serve` (issue 13): starts `sirtkit serve --demo` on a
// free loopback port over a fresh registry in a temporary folder, reads the
// one-time admin password from its stdout, and drives Debian's chromium headless
// through playwright-core: sign in, filter the patient list, open a patient,
// see the Kaplan-Meier plot (one curve per arm, the
// log-rank p-value the API gives). A screenshot of every step goes to --out.
//
//   node tests/browser/run.mjs --sirtkit build/sirtkit --out build/test-artifacts/browser
//
// Exit 0 when every check passed, 1 on the first failure (named on stderr),
// 77 (CTest's skip code) when playwright-core is not installed and
// SIRTKIT_REQUIRE_BROWSER is not set (scripts/test.sh sets it after `npm ci`).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const sirtkit = path.resolve(args.sirtkit || 'build/sirtkit');
const outDir = path.resolve(args.out || 'build/test-artifacts/browser');
const chromiumPath = args.chromium || '/usr/bin/chromium';

let chromium;
try {
  ({ chromium } = await import(path.join(here, 'node_modules', 'playwright-core', 'index.mjs')));
} catch (e) {
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

// Starts the server and resolves {port, password} from its stdout.
function startServer() {
  const child = spawn(sirtkit, ['serve', '--db', path.join(tmp, 'demo.sqlite'), '--demo', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '', err = '';
  child.stderr.on('data', (d) => { err += d; });
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('sirtkit serve did not start in 30 s: ' + out + err)), 30000);
    child.stdout.on('data', (d) => {
      out += d;
      const port = out.match(/listening on http:\/\/127\.0\.0\.1:(\d+)\//);
      const pw = out.match(/password\s+(\S{20})/);
      if (port && pw) { clearTimeout(timer); resolve({ port: Number(port[1]), password: pw[1] }); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`sirtkit serve exited (${code}): ${out}${err}`)); });
  });
  return { child, ready, log: () => err };
}

const server = startServer();
let browser;
let step = 0;
let page;
async function shot(name) {
  step += 1;
  await page.screenshot({ path: path.join(outDir, `${String(step).padStart(2, '0')}-${name}.png`), fullPage: true });
}

try {
  const { port, password } = await server.ready;
  const base = `http://127.0.0.1:${port}`;
  browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
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
