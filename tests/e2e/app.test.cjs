// End-to-end: the release build (dist/) served from a sub-path by a plain static file server,
// the real demo service scraped by the page, driven by playwright-core on Debian's Chromium.
// Run by scripts/test.sh: `node --test tests/e2e/`. Needs NODE_PATH with playwright-core,
// the release binaries (target/release or SIGNALBOARD_BIN_DIR) and dist/ built first.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ROOT, DIST, binary, Processes, launchBrowser, newPage: openPage } = require('./helpers.cjs');

const SUBPATH = '/some/where/';
const procs = new Processes();
let browser, demoUrl, appUrl, work;

const startProcess = (cmd, args, readyRe) => procs.start(cmd, args, readyRe);
const newPage = (opts = {}) => openPage(browser, opts);

async function scrapeDemo(metric) {
  const body = await (await fetch(`${demoUrl}/metrics`)).text();
  const values = body.split('\n').filter((l) => l.startsWith(metric + ' ') || l.startsWith(metric + '{'))
    .map((l) => Number(l.trim().split(/\s+/)[1]));
  return values;
}

before(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'signalboard-e2e-'));
  const m = await startProcess(binary('signalboard-demo'),
    ['--listen', '127.0.0.1:0', '--rps', '30'], /listening on (http:\/\/\S+)/);
  demoUrl = m[1];
  const host = new URL(demoUrl).host;
  // dist/ copied under a sub-path, with a config pointing at this run's demo service.
  const site = path.join(work, 'site', ...SUBPATH.split('/').filter(Boolean));
  fs.mkdirSync(site, { recursive: true });
  fs.cpSync(DIST, site, { recursive: true });
  const config = JSON.parse(fs.readFileSync(path.join(site, 'config.json'), 'utf8'));
  config.scrape_configs[0].static_configs[0].targets = [host];
  config.scrape_configs[0].scrape_interval = '1s';
  config.probes = [{ name: 'demo-health', url: `${demoUrl}/health`, interval: '1s' }];
  fs.writeFileSync(path.join(site, 'config.json'), JSON.stringify(config));
  const s = await startProcess('python3', ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1',
    '--directory', path.join(work, 'site')], /Serving HTTP on \S+ port (\d+)/);
  appUrl = `http://127.0.0.1:${s[1]}${SUBPATH}`;
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  procs.stopAll();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('boots from a sub-path and fills the golden-signals panels from the demo service', async () => {
  const page = await newPage();
  await page.goto(appUrl);
  await page.waitForSelector('[data-panel-title="Request rate"][data-state="ok"]', { timeout: 30000 });
  await page.waitForSelector('[data-panel-title="p95 latency"][data-state="ok"]', { timeout: 30000 });
  const states = await page.$$eval('[data-panel-id][data-state]', (els) => els.map((e) => [e.dataset.panelTitle, e.dataset.state]));
  assert.ok(states.length >= 20, `expected the dashboard's panels, got ${states.length}`);
  const bad = states.filter(([, s]) => s === 'error' || s === 'unsupported');
  assert.deepEqual(bad, [], 'no panel in error or unsupported');
  // rate() of series a few scrapes old underestimates (Prometheus's extrapolation stops near
  // the series start), so give the first seconds time to fill the window.
  const sel = '[data-panel-title="Request rate"] [data-value]';
  const settled = await page.waitForFunction((s) => {
    const v = Number(document.querySelector(s)?.dataset.value);
    return v > 5 && v < 100;
  }, sel, { timeout: 20000 }).then(() => true, () => false);
  const rate = Number(await page.getAttribute(sel, 'data-value'));
  assert.ok(settled, `request rate ${rate} should be near the load generator's 30 rps`);
  if (process.env.SCREENSHOT) {
    await page.waitForTimeout(8000);
    await page.screenshot({ path: process.env.SCREENSHOT, fullPage: false });
  }
  assert.deepEqual(page.problems, []);
});

test("a stat panel shows exactly the value in the demo service's /metrics", async () => {
  const page = await newPage();
  const [poolSize] = await scrapeDemo('db_connection_pool_size');
  assert.ok(poolSize > 0);
  const dash = {
    title: 'e2e', schemaVersion: 39, time: { from: 'now-5m', to: 'now' },
    panels: [{ type: 'stat', id: 1, title: 'pool', gridPos: { x: 0, y: 0, w: 6, h: 4 },
      targets: [{ refId: 'A', expr: 'db_connection_pool_size' }],
      fieldConfig: { defaults: { thresholds: { mode: 'absolute', steps: [{ value: null, color: 'green' }, { value: 5, color: 'red' }] } }, overrides: [] } }],
  };
  const url = `${appUrl}?dashboard=${encodeURIComponent('data:application/json,' + JSON.stringify(dash))}`;
  // data: URLs are refused for ?dashboard= (untrusted URL schemes); load it by paste instead.
  await page.goto(url);
  await page.waitForSelector('[data-notice]', { timeout: 15000 });
  const notice = await page.textContent('[data-notice]');
  assert.match(notice, /dashboard ignored|only http and https/);
  await page.goto(`${appUrl}#/import`);
  await page.fill('[data-testid="import-json"]', JSON.stringify(dash));
  await page.click('[data-testid="import-button"]');
  await page.waitForSelector('[data-panel-title="pool"][data-state="ok"]', { timeout: 20000 });
  const value = Number(await page.getAttribute('[data-panel-title="pool"] [data-value]', 'data-value'));
  assert.equal(value, poolSize);
  assert.equal(await page.getAttribute('[data-panel-title="pool"] [data-value]', 'data-color'), poolSize >= 5 ? '#f2495c' : '#73bf69');
  // The in-page engine answers like the Prometheus API.
  const res = await page.evaluate(() => window.signalboard.query('db_connection_pool_size'));
  assert.equal(res.status, 'success');
  assert.equal(res.data.resultType, 'vector');
  assert.equal(Number(res.data.result[0].value[1]), poolSize);
  const before = (await scrapeDemo('http_requests_total')).reduce((a, b) => a + b, 0);
  await page.waitForTimeout(3000);
  const inPage = await page.evaluate(() => window.signalboard.query('sum(http_requests_total)'));
  const after = (await scrapeDemo('http_requests_total')).reduce((a, b) => a + b, 0);
  const seen = Number(inPage.data.result[0].value[1]);
  assert.ok(seen >= before && seen <= after, `in-page counter ${seen} within scraped [${before}, ${after}]`);
  assert.deepEqual(page.problems, []);
});

test('export downloads Grafana JSON that matches the dashboard shown', async () => {
  const page = await newPage({ acceptDownloads: true });
  await page.goto(appUrl);
  await page.waitForSelector('[data-panel-title="Request rate"]', { timeout: 30000 });
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export"]')]);
  const exported = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
  const original = JSON.parse(fs.readFileSync(path.join(ROOT, 'public/dashboards/golden-signals.json'), 'utf8'));
  assert.equal(exported.title, original.title);
  assert.equal(exported.panels.length, original.panels.length);
  // Export orders panels by position; compare them by id.
  const grid = (g) => [g.x, g.y, g.w, g.h].join(",");
  const byId = (d) => Object.fromEntries(d.panels.map((p) => [p.id, [p.type, p.title, grid(p.gridPos),
    (p.targets || []).map((t) => t.expr)]]));
  assert.deepEqual(byId(exported), byId(original));
});

test('targets page shows the demo target and health probe up', async () => {
  const page = await newPage();
  await page.goto(`${appUrl}#/targets`);
  await page.waitForSelector(`[data-target="${demoUrl}/metrics"][data-health="up"]`, { timeout: 20000 });
  await page.waitForSelector(`[data-target="${demoUrl}/health"][data-health="up"]`, { timeout: 20000 });
  const targets = await page.evaluate(() => window.signalboard.targets());
  const scrape = targets.find((t) => t.url === `${demoUrl}/metrics`);
  assert.equal(scrape.health, 'up');
  assert.equal(scrape.error, '');
  assert.ok(scrape.samples > 50, `samples ${scrape.samples}`);
  assert.deepEqual(page.problems, []);
});

test('an error burst turns the 5xx ratio red and the health probe down', async () => {
  const page = await newPage();
  await page.goto(appUrl);
  const sel = '[data-panel-title="5xx error ratio (server\'s fault)"] [data-value]';
  await page.waitForSelector(sel, { timeout: 30000 });
  await fetch(`${demoUrl}/admin/scenario/error-burst`, { method: 'POST' });
  try {
    await page.waitForFunction((s) => {
      const el = document.querySelector(s);
      return el && el.dataset.thresholdIndex === '2' && el.dataset.color === '#f2495c';
    }, sel, { timeout: 45000 });
    await fetch(`${demoUrl}/admin/scenario/dependency-down`, { method: 'POST' });
    await page.goto(`${appUrl}#/targets`);
    await page.waitForSelector(`[data-target="${demoUrl}/health"][data-health="down"]`, { timeout: 20000 });
    const err = await page.getAttribute(`[data-target="${demoUrl}/health"]`, 'data-error');
    assert.match(err, /HTTP 503/);
  } finally {
    await fetch(`${demoUrl}/admin/scenario/normal`, { method: 'POST' });
  }
  // Chromium itself logs every 5xx response it receives; those are the point of this test.
  assert.deepEqual(page.problems.filter((p) => !/status of 50[03]/.test(p)), []);
});

test('a broken dashboard import is refused and the current dashboard stays', async () => {
  const page = await newPage();
  await page.goto(appUrl);
  await page.waitForSelector('[data-panel-title="Request rate"]', { timeout: 30000 });
  await page.goto(`${appUrl}#/import`);
  await page.fill('[data-testid="import-json"]', '{\n  "title": "x",\n  "panels": [ }');
  await page.click('[data-testid="import-button"]');
  await page.waitForSelector('[data-notice]', { timeout: 10000 });
  const notices = await page.$$eval('[data-notice]', (els) => els.map((e) => e.textContent));
  assert.ok(notices.some((n) => /JSON error at line 3/.test(n)), notices.join(' | '));
  await page.goto(`${appUrl}#/`);
  await page.waitForSelector('[data-panel-title="Request rate"]', { timeout: 10000 });
});

test('hostile dashboard content runs nothing', async () => {
  const page = await newPage();
  await page.goto(`${appUrl}#/import`);
  const x = '<img src=x onerror=alert(1)><script>alert(2)</script>';
  const dash = {
    title: `T ${x}`, schemaVersion: 39,
    panels: [
      { type: 'text', id: 1, title: `text ${x}`, gridPos: { x: 0, y: 0, w: 12, h: 6 },
        options: { mode: 'html', content: `<p>hi</p>${x}<a href="javascript:alert(3)">a</a><svg onload=alert(4)></svg>` } },
      { type: 'text', id: 2, title: 'md', gridPos: { x: 12, y: 0, w: 12, h: 6 },
        options: { mode: 'markdown', content: `[x](javascript:alert(5)) ${x}` } },
      { type: 'stat', id: 3, title: `stat ${x}`, description: x, gridPos: { x: 0, y: 6, w: 6, h: 4 },
        targets: [{ refId: 'A', expr: 'up', legendFormat: x }] },
      { type: `evil${x}`, id: 4, title: 'unknown', gridPos: { x: 6, y: 6, w: 6, h: 4 } },
    ],
  };
  await page.fill('[data-testid="import-json"]', JSON.stringify(dash));
  await page.click('[data-testid="import-button"]');
  await page.waitForSelector('[data-panel-title="md"]', { timeout: 10000 });
  await page.waitForTimeout(3000);
  assert.equal(await page.$$eval('main script, main img, main svg:not(.gauge)', (e) => e.length), 0);
  assert.equal(await page.$$eval('a[href^="javascript"]', (e) => e.length), 0);
  assert.equal(await page.getAttribute('[data-panel-id="4"]', 'data-state'), 'unsupported');
  assert.deepEqual(page.problems.filter((p) => p.startsWith('dialog')), []);
});

test('a target without CORS headers: down with a CORS hint on a plain host, up through signalboard-cli serve', async () => {
  // A metrics endpoint that sends no CORS headers: python's static file server.
  const metricsDir = path.join(work, 'nocors');
  fs.mkdirSync(metricsDir, { recursive: true });
  fs.writeFileSync(path.join(metricsDir, 'metrics'), '# TYPE nocors_value gauge\nnocors_value 42\n');
  const m = await startProcess('python3', ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1', '--directory', metricsDir],
    /Serving HTTP on \S+ port (\d+)/);
  const target = `127.0.0.1:${m[1]}`;
  const site = path.join(work, 'served');
  fs.cpSync(DIST, site, { recursive: true });
  const config = { global: { scrape_interval: '1s', scrape_timeout: '1s' },
    scrape_configs: [{ job_name: 'nocors', static_configs: [{ targets: [target] }] }], dashboards: [] };
  fs.writeFileSync(path.join(site, 'config.json'), JSON.stringify(config));
  const url = `http://${target}/metrics`;

  // Plain static hosting (another origin): the browser refuses the response.
  const plain = await startProcess('python3', ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1', '--directory', site],
    /Serving HTTP on \S+ port (\d+)/);
  let page = await newPage();
  await page.goto(`http://127.0.0.1:${plain[1]}/#/targets`);
  await page.waitForSelector(`[data-target="${url}"][data-health="down"]`, { timeout: 20000 });
  const err = await page.getAttribute(`[data-target="${url}"]`, 'data-error');
  assert.match(err, /CORS/);
  assert.match(err, /signalboard-cli serve/);

  // Served by signalboard-cli serve: scrapes go through its proxy.
  const served = await startProcess(binary('signalboard-cli'),
    ['serve', '--dist', site, '--listen', '127.0.0.1:0'], /serve: http:\/\/(\S+)\//);
  page = await newPage();
  await page.goto(`http://${served[1]}/#/targets`);
  await page.waitForSelector(`[data-target="${url}"][data-health="up"]`, { timeout: 20000 });
  const res = await page.evaluate(() => window.signalboard.query('nocors_value'));
  assert.equal(Number(res.data.result[0].value[1]), 42);
  // The proxy refuses anything that is not a configured target.
  const open = await fetch(`http://${served[1]}/proxy?url=${encodeURIComponent('http://127.0.0.1:9/other')}`);
  assert.equal(open.status, 403);
  // A `?target=` the config does not list: the target's row says why, not a bare "HTTP 403".
  const other = `http://${target}/other/metrics`;
  page = await newPage();
  await page.goto(`http://${served[1]}/?target=${encodeURIComponent(other)}#/targets`);
  await page.waitForSelector(`[data-target="${other}"][data-health="down"]`, { timeout: 20000 });
  const refused = await page.getAttribute(`[data-target="${other}"]`, 'data-error');
  assert.match(refused, /not a target in signalboard-cli serve's --config/);
  assert.match(refused, /HTTP 403 from signalboard-cli serve/);
});
