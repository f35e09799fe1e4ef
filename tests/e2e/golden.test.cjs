// End-to-end: zero configuration. The config names the demo service's /metrics and its
// /health probe but no dashboard; the page must build the golden-signals dashboard itself,
// and each failure scenario of the demo must turn the right panels red and the right alarm on
// within a few scrape intervals. A health endpoint that checks nothing is flagged.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { DIST, binary, Processes, launchBrowser, newPage, waitFor } = require('./helpers.cjs');

const procs = new Processes();
const RED = '#f2495c';
let browser, work, appUrl, demoUrl, page, cdnUrl, faultUrl;

before(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'signalboard-e2e-golden-'));
  const demo = await procs.start(binary('signalboard-demo'),
    ['--listen', '127.0.0.1:0', '--rps', '30'], /listening on (http:\/\/\S+)/);
  demoUrl = demo[1];
  faultUrl = (await procs.start(binary('signalboard-faultserver'), [], /listening on (http:\/\/\S+)/))[1];
  const site = path.join(work, 'site');
  fs.cpSync(DIST, site, { recursive: true });
  // A health endpoint that always says "ok" and checks nothing (served next to the app).
  fs.writeFileSync(path.join(site, 'theater.json'), JSON.stringify({ status: 'ok' }));
  const served = await procs.start(binary('signalboard-cli'),
    ['serve', '--dist', site, '--listen', '127.0.0.1:0'], /serve: (http:\/\/\S+\/)/);
  appUrl = served[1];
  // Targets and probes, no dashboards.
  fs.writeFileSync(path.join(site, 'config.json'), JSON.stringify({
    global: { scrape_interval: '1s', scrape_timeout: '1s' },
    scrape_configs: [{ job_name: 'demo', static_configs: [{ targets: [new URL(demoUrl).host] }] }],
    probes: [{ name: 'demo-health', url: `${demoUrl}/health`, interval: '1s' },
      { name: 'theater', url: `${appUrl}theater.json`, interval: '1s' }],
    // A rule of the user's own, next to the defaults: fires at once (no `for`).
    alerting_rules: [{ alert: 'ManyServerErrors', for: '0s',
      expr: 'sum(rate(http_requests_total{job="demo",status=~"5.."}[5s])) > 1',
      labels: { severity: 'page' }, annotations: { summary: 'over 1 server error per second' } }],
  }));
  // The same build on a plain static host with an empty config (a CDN with nothing set up).
  const cdn = path.join(work, 'cdn');
  fs.cpSync(DIST, cdn, { recursive: true });
  fs.writeFileSync(path.join(cdn, 'config.json'), '{}');
  const plain = await procs.start('python3', ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1',
    '--directory', cdn], /Serving HTTP on \S+ port (\d+)/);
  cdnUrl = `http://127.0.0.1:${plain[1]}/`;
  browser = await launchBrowser();
  page = await newPage(browser);
  await page.goto(appUrl);
});

after(async () => {
  if (browser) await browser.close();
  procs.stopAll();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

const scenario = (name) => fetch(`${demoUrl}/admin/scenario/${name}`, { method: 'POST' });
const valueOf = (title) => `[data-panel-title="${title}"] [data-value]`;

async function colorOf(title) {
  return page.getAttribute(valueOf(title), 'data-color').catch(() => null);
}

async function alertState(name) {
  return page.$eval(`[data-alert="${name}"]`, (e) => e.dataset.alertState).catch(() => null);
}

test('without a dashboard, the golden-signals dashboard is built from the scraped metrics', async () => {
  await page.waitForSelector('[data-dashboard-title="Golden signals"]', { timeout: 30000 });
  const rows = await page.$$eval('[data-panel-type="row"]', (els) => els.map((e) => e.dataset.panelTitle));
  assert.deepEqual(rows, ['Traffic', 'Errors', 'Latency', 'Saturation', 'Availability']);
  for (const t of ['Request rate', '5xx error ratio (server\'s fault)', 'p95 latency',
    'db_connections_in_use / db_connection_pool_size']) {
    await page.waitForSelector(`[data-panel-title="${t}"][data-state="ok"]`, { timeout: 30000 });
  }
  // The first rule evaluation follows the first scrapes.
  const rules = await waitFor('the default rules', async () => Number(await page.getAttribute(
    '[data-panel-type="alertlist"] [data-alert-rules]', 'data-alert-rules').catch(() => 0)), 20000);
  assert.ok(rules >= 5, `${rules} default rules for the demo job`);
  const evalMs = Number(await page.getAttribute('[data-panel-type="alertlist"] [data-eval-ms]', 'data-eval-ms'));
  console.log(`# ${rules} rules evaluated in ${evalMs} ms`);
  assert.equal(await colorOf('5xx error ratio (server\'s fault)'), '#73bf69', 'normal traffic: errors green');
  assert.equal(await page.getAttribute('[data-firing]', 'data-firing'), '0');
});

test('an error burst turns the 5xx ratio red and raises HighErrorRatio', async () => {
  await scenario('error-burst');
  try {
    const started = Date.now();
    await waitFor('5xx ratio red', async () => (await colorOf('5xx error ratio (server\'s fault)')) === RED, 20000, 250);
    const redAfter = (Date.now() - started) / 1000;
    await waitFor('HighErrorRatio pending or firing', async () => ['pending', 'firing'].includes(await alertState('HighErrorRatio')), 20000, 250);
    // The user's rule fires without delay: the count shows in the top bar and the tab title.
    await waitFor('ManyServerErrors firing', async () => (await alertState('ManyServerErrors')) === 'firing', 20000, 250);
    assert.ok(Number(await page.getAttribute('[data-firing]', 'data-firing')) >= 1);
    assert.match(await page.title(), /^\(\d+\) Signalboard$/);
    console.log(`# error burst: 5xx ratio red after ${redAfter.toFixed(1)} s`);
    if (process.env.GOLDEN_SCREENSHOT) await page.screenshot({ path: process.env.GOLDEN_SCREENSHOT });
  } finally {
    await scenario('normal');
  }
});

test('a dependency going down turns the health probe and its failing check red', async () => {
  // Panels are queried only near the viewport (lazy drawing): bring the Availability row in.
  const probes = await page.waitForSelector('[data-panel-title="Health probes"]', { state: 'attached', timeout: 30000 });
  await probes.scrollIntoViewIfNeeded();
  await page.waitForSelector('[data-panel-title="Health probes"] [data-stat-name="demo-health"] [data-value="1"]', { timeout: 20000 });
  await scenario('dependency-down');
  try {
    const probe = '[data-panel-title="Health probes"] [data-stat-name="demo-health"] [data-value]';
    await waitFor('health probe red', async () => (await page.getAttribute(probe, 'data-color').catch(() => null)) === RED, 20000, 250);
    const failing = async () => (await page.$$eval('[data-panel-title="Dependency checks"] [data-stat-name]',
      (els) => els.map((e) => [e.dataset.statName, e.querySelector('[data-value]')?.dataset.value])))
      .filter(([, v]) => v === '0').map(([name]) => name);
    const down = await waitFor('a failing dependency check', async () => (await failing()).length > 0 && failing(), 20000, 250);
    assert.deepEqual(down, ['demo-health: database']);
  } finally {
    await scenario('normal');
  }
});

test('a health endpoint that answers 200 without checks is flagged as checking nothing', async () => {
  const p = await newPage(browser);
  await p.goto(`${appUrl}#/targets`);
  const row = `[data-target="${appUrl}theater.json"]`;
  await p.waitForSelector(`${row}[data-health="up"]`, { timeout: 20000 }).catch(async (e) => {
    const rows = await p.$$eval('[data-target]', (els) => els.map((x) => [x.dataset.target, x.dataset.health, x.dataset.error]));
    throw new Error(`${e.message}: ${JSON.stringify(rows)}`);
  });
  assert.match(await p.getAttribute(row, 'data-warning'), /checks nothing/);
  assert.equal(await p.getAttribute(`[data-target="${demoUrl}/health"]`, 'data-warning'), '');
  // The lint view of the demo's own metrics.
  await p.click(`[data-target="${demoUrl}/metrics"] [data-testid="lint"]`);
  await p.waitForSelector(`[data-lint="${demoUrl}/metrics"]`, { timeout: 20000 });
  assert.ok(await p.getAttribute(`[data-lint="${demoUrl}/metrics"]`, 'data-findings') !== null);
  await p.close();
});

test('a latency spike turns p95 red; pool saturation turns the pool gauge red and raises Saturation', async () => {
  await scenario('latency-spike');
  try {
    await waitFor('p95 red', async () => (await colorOf('p95 latency')) === RED, 25000, 250);
  } finally {
    await scenario('normal');
  }
  await scenario('pool-saturation');
  try {
    const gauge = 'db_connections_in_use / db_connection_pool_size';
    await waitFor('pool gauge red', async () => (await colorOf(gauge)) === RED, 25000, 250);
    await waitFor('Saturation alarm', async () => ['pending', 'firing'].includes(await alertState('Saturation')), 20000, 250);
  } finally {
    await scenario('normal');
  }
  // Chromium logs the 5xx responses it sees through the proxy; those are the point here.
  assert.deepEqual(page.problems.filter((p) => !/status of 50[03]/.test(p)), []);
});

test('from a static host with nothing configured, the in-page demo service shows live golden signals', async () => {
  const p = await newPage(browser);
  await p.goto(cdnUrl);
  await p.waitForSelector('[data-dashboard-title="Golden signals"]', { timeout: 40000 });
  await p.waitForSelector('[data-panel-title="Request rate"][data-state="ok"]', { timeout: 40000 });
  // rate() underestimates while the series are young (Prometheus's extrapolation stops at the
  // series start): wait for the simulated ~25 req/s to show.
  const rateNow = async () => Number(await p.getAttribute('[data-panel-title="Request rate"] [data-value]', 'data-value'));
  await waitFor('the simulated request rate', async () => { const r = await rateNow(); return r > 15 && r < 40; }, 60000, 1000)
    .catch(async (e) => { throw new Error(`${e.message}: ${await rateNow()}`); });
  await p.waitForSelector('[data-panel-title="p95 latency"][data-state="ok"]', { timeout: 20000 });
  const notices = await p.$$eval('[data-notice]', (els) => els.map((e) => e.textContent));
  assert.ok(notices.some((n) => /simulated service/.test(n)), notices.join(' | '));
  assert.deepEqual(p.problems, []);
  await p.close();
});

test('while a named target\'s first scrape is pending, the page says the dashboard is being built', async () => {
  const p = await newPage(browser);
  // The fault server's /slow/metrics answers after 3 s.
  await p.goto(`${cdnUrl}?target=${encodeURIComponent(`${faultUrl}/slow/metrics`)}`);
  const building = '.panel-message[data-state="loading"]';
  await p.waitForSelector(building, { timeout: 3000 });
  assert.match(await p.textContent(building), /Building the golden-signals dashboard from the targets' first scrapes/);
  await p.waitForSelector('[data-dashboard-title="Golden signals"]', { timeout: 30000 });
  assert.equal(await p.$(building), null);
  assert.deepEqual(p.problems, []);
  await p.close();
});
