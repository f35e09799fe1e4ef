// End-to-end: zero configuration. The page is pointed at the demo service's /metrics with
// `?target=` and nothing else; it must build the golden-signals dashboard itself, and each
// failure scenario of the demo must turn the right panels red and the right alarm on within
// a few scrape intervals.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ROOT, DIST, Processes, launchBrowser, newPage, waitFor } = require('./helpers.cjs');

const procs = new Processes();
const RED = '#f2495c';
let browser, work, appUrl, demoUrl, page;

before(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'signalboard-e2e-golden-'));
  const demo = await procs.start(path.join(ROOT, 'target/release/signalboard-demo'),
    ['--listen', '127.0.0.1:0', '--rps', '30'], /listening on (http:\/\/\S+)/);
  demoUrl = demo[1];
  const site = path.join(work, 'site');
  fs.cpSync(DIST, site, { recursive: true });
  // Only the scrape interval is configured: no targets, no dashboards.
  fs.writeFileSync(path.join(site, 'config.json'),
    JSON.stringify({ global: { scrape_interval: '1s', scrape_timeout: '1s' } }));
  const served = await procs.start(path.join(ROOT, 'target/release/signalboard-cli'),
    ['serve', '--dist', site, '--listen', '127.0.0.1:0'], /serve: (http:\/\/\S+\/)/);
  appUrl = served[1];
  browser = await launchBrowser();
  page = await newPage(browser);
  await page.goto(`${appUrl}?target=${encodeURIComponent(`${demoUrl}/metrics`)}`);
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

test('with only ?target=, the golden-signals dashboard is built from the scraped metrics', async () => {
  await page.waitForSelector('[data-dashboard-title="Golden signals"]', { timeout: 30000 });
  const rows = await page.$$eval('[data-panel-type="row"]', (els) => els.map((e) => e.dataset.panelTitle));
  assert.deepEqual(rows, ['Traffic', 'Errors', 'Latency', 'Saturation']);
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
    console.log(`# error burst: 5xx ratio red after ${redAfter.toFixed(1)} s`);
    if (process.env.GOLDEN_SCREENSHOT) await page.screenshot({ path: process.env.GOLDEN_SCREENSHOT });
  } finally {
    await scenario('normal');
  }
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
