// Time to the first rendered dose overlay of the demo patient in headless
// Chromium (issue 14, goal < 2 s; docs/server.md, Measured). Never fails the
// build: it only reports. Starts `sirtkit serve --demo` on loopback, signs in
// as the admin through the API, then RUNS times opens a fresh browser context
// (empty HTTP cache, new WebGL context) on #/plan/ID of the demo plan and waits
// for the page's `plan:overlay-drawn` mark (set after the first frame drawn
// with the dose overlay; the time reported) and `plan:overlay-presented` (that
// frame committed to the compositor), and the page's own 2-D preview before it
// (`plan:preview-presented`, web/plan_preview.js; reported on lines of its own): first visits. Run 1 finds the server cold (the study
// prepared and its volumes encoded on first use); the median and max are of
// runs 2..RUNS. Then RUNS visits of a returning user: one persistent browser
// profile (HTTP cache and compiled code kept on disk), visit 1 filling it.
// Per run it prints the page's `plan:*` marks (ms from navigation start) and
// each volume fetched (bytes over the wire, ms).
//
//   node bench/overlay_time.mjs --sirtkit build/sirtkit [--runs 5] [--chromium /usr/bin/chromium]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadChromium, startServer } from '../tests/browser/harness.mjs';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const sirtkit = path.resolve(args.sirtkit || 'build/sirtkit');
const runs = Math.max(2, Number(args.runs || 5));
const chromium = await loadChromium();
if (!chromium) { console.log('SKIP: playwright-core is not installed: run `npm ci` in tests/browser'); process.exit(0); }

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sirtkit-overlay-bench-'));
const server = startServer(sirtkit, tmp);
let browser;
try {
  const { port, password } = await server.ready;
  const base = `http://127.0.0.1:${port}`;
  const launchArgs = { executablePath: args.chromium || '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] };
  const viewport = { viewport: { width: 1200, height: 900 }, deviceScaleFactor: 1 };
  const waitForOverlay = `new Promise((resolve) => {
    const seen = (name) => performance.getEntriesByName(name).length > 0;
    const poll = () => (seen('plan:overlay-presented') || seen('plan:render-drawn') || document.getElementById('viewer-error') ? resolve(true) : setTimeout(poll, 50));
    poll();
  })`;
  // One visit of #/plan/ID in `context` (signed in): the page's marks and resources.
  const visit = async (context, run, label) => {
    const studies = (await (await context.request.get(base + '/api/plans')).json()).studies;
    const demo = studies.find((s) => s.folder === 'demo-patient' && s.plan_file === 'plan.toml');
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await page.goto(`${base}/#/plan/${demo.id}`);
    // Waits with one small expression over the DevTools protocol: playwright's
    // waitForFunction would first compile its injected script (about 0.1 s of
    // the page's main thread, after the load event: in the measured window).
    let timer;
    await Promise.race([cdp.send('Runtime.evaluate', { expression: waitForOverlay, awaitPromise: true }),
      new Promise((resolve, reject) => { timer = setTimeout(() => reject(new Error('no overlay in 300 s')), 300000); })]);
    clearTimeout(timer);
    await cdp.detach();
    const t = await page.evaluate(() => ({
      marks: performance.getEntriesByType('mark').filter((m) => m.name.startsWith('plan:')).map((m) => [m.name, Math.round(m.startTime)]),
      resources: performance.getEntriesByType('resource').filter((r) => r.name.includes('/api/plans/') || r.name.includes('niivue'))
        .map((r) => [r.name.replace(/^.*\/api\/plans\/[0-9a-f]+/, '').replace(/^.*\/vendor\//, 'vendor/') || '(plan JSON)', r.encodedBodySize, Math.round(r.startTime), Math.round(r.responseEnd)]),
      error: document.getElementById('viewer-error') ? document.getElementById('viewer-error').textContent : null,
    }));
    if (t.error) throw new Error(t.error);
    const overlay = t.marks.find(([n]) => n === 'plan:overlay-drawn')[1];
    const presented = t.marks.find(([n]) => n === 'plan:overlay-presented');
    if (presented) committed.push(presented[1]);
    const preview = t.marks.find(([n]) => n === 'plan:preview-presented');
    previews.push(preview ? preview[1] : NaN);
    console.log(`${label} ${run}: first dose overlay ${(overlay / 1000).toFixed(2)} s after navigation` + (presented ? `, its frame committed at ${(presented[1] / 1000).toFixed(2)} s` : ''));
    console.log('  marks (ms): ' + t.marks.map(([n, ms]) => `${n.slice(5)} ${ms}`).join(', '));
    for (const [name, bytes, start, end] of t.resources) console.log(`  ${name}: ${bytes} bytes, ${start}-${end} ms`);
    await page.close();
    return overlay;
  };
  const signIn = async (context) => {
    const login = await context.request.post(base + '/api/login', { data: { username: 'admin', password } });
    if (login.status() !== 200) throw new Error('login answered ' + login.status());
  };
  const committed = [];  // plan:overlay-presented of every visit, in order (pages that set it)
  const previews = [];  // plan:preview-presented of every visit (NaN when the page drew none)
  const summary = (times) => {
    const rest = times.slice(1).sort((a, b) => a - b);
    const median = rest.length % 2 ? rest[(rest.length - 1) / 2] : (rest[rest.length / 2 - 1] + rest[rest.length / 2]) / 2;
    return `median ${(median / 1000).toFixed(2)} s, max ${(rest[rest.length - 1] / 1000).toFixed(2)} s`;
  };
  // First visits: each run in a fresh context (empty HTTP cache, no compiled code kept).
  browser = await chromium.launch(launchArgs);
  const times = [];
  for (let run = 1; run <= runs; ++run) {
    const context = await browser.newContext(viewport);
    await signIn(context);
    times.push(await visit(context, run, 'first visit'));
    await context.close();
  }
  await browser.close();
  browser = null;
  // A returning user: one browser profile on disk (HTTP cache and V8's code
  // cache kept between visits, as a physicist's browser keeps them); visit 1
  // fills it, visits 2.. return.
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'sirtkit-overlay-profile-'));
  const returning = [];
  try {
    const persistent = await chromium.launchPersistentContext(profile, { ...launchArgs, ...viewport });
    await signIn(persistent);
    for (let run = 1; run <= runs; ++run) returning.push(await visit(persistent, run, 'returning visit'));
    await persistent.close();
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
  console.log(`time to first dose overlay, first visits (empty browser cache): cold server ${(times[0] / 1000).toFixed(2)} s; runs 2-${runs}: ${summary(times)} (goal < 2 s)`);
  console.log(`time to first dose overlay, returning visits (one browser profile): first ${(returning[0] / 1000).toFixed(2)} s; visits 2-${runs}: ${summary(returning)} (goal < 2 s)`);
  if (committed.length === 2 * runs) {
    console.log(`the first overlay's frame committed, first visits: cold server ${(committed[0] / 1000).toFixed(2)} s; runs 2-${runs}: ${summary(committed.slice(0, runs))}`);
    console.log(`the first overlay's frame committed, returning visits: first ${(committed[runs] / 1000).toFixed(2)} s; visits 2-${runs}: ${summary(committed.slice(runs))}`);
  }
  // The page's own 2-D first look (web/plan_preview.js), on screen before niivue's
  // frame: reported apart, never as the overlay time above.
  if (previews.every(Number.isFinite)) {
    console.log(`the page's 2-D preview (CT + dose wash) on screen, first visits: cold server ${(previews[0] / 1000).toFixed(2)} s; runs 2-${runs}: ${summary(previews.slice(0, runs))}`);
    console.log(`the page's 2-D preview on screen, returning visits: first ${(previews[runs] / 1000).toFixed(2)} s; visits 2-${runs}: ${summary(previews.slice(runs))}`);
  }
  console.log('load: ' + os.loadavg().map((x) => x.toFixed(2)).join(' '));
} catch (e) {
  console.log('overlay benchmark did not finish: ' + e.message);
} finally {
  if (browser) await browser.close().catch(() => {});
  server.child.kill('SIGTERM');
  fs.rmSync(tmp, { recursive: true, force: true });
}
