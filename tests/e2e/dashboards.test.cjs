// End-to-end: dashboards as a Grafana user handles them — the real public dashboards of
// ../shared/fixtures/grafana/ imported in the browser, Node Exporter Full against a real
// prometheus-node-exporter with its variables filled from the scraped data, rows that
// collapse, repeats, full-screen panels and the dashboard library.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ROOT, DIST, binary, Processes, launchBrowser, newPage, freePort, withoutCorsFallback } = require('./helpers.cjs');

const FIXTURES = path.join(ROOT, '..', 'shared', 'fixtures', 'grafana');
const CLI = binary('signalboard-cli');
const procs = new Processes();
let browser, work, appUrl, nodeHost, demoHost;

before(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'signalboard-e2e-dash-'));
  const port = await freePort();
  nodeHost = `127.0.0.1:${port}`;
  await procs.start('prometheus-node-exporter', [`--web.listen-address=${nodeHost}`],
    /Listening on|msg="Listening/);
  const demo = await procs.start(binary('signalboard-demo'),
    ['--listen', '127.0.0.1:0', '--rps', '20'], /listening on (http:\/\/\S+)/);
  demoHost = new URL(demo[1]).host;
  const site = path.join(work, 'site');
  fs.cpSync(DIST, site, { recursive: true });
  fs.mkdirSync(path.join(site, 'fixtures'));
  for (const f of fs.readdirSync(FIXTURES).filter((n) => n.endsWith('.json'))) {
    fs.copyFileSync(path.join(FIXTURES, f), path.join(site, 'fixtures', f));
  }
  fs.writeFileSync(path.join(site, 'repeat.json'), JSON.stringify(repeatDashboard()));
  fs.writeFileSync(path.join(site, 'heatmap.json'), JSON.stringify({
    title: 'Heatmap', uid: 'heatmap', schemaVersion: 39, time: { from: 'now-2m', to: 'now' },
    panels: [{ type: 'heatmap', id: 1, title: 'Latency heatmap', gridPos: { x: 0, y: 0, w: 24, h: 10 },
      options: { calculate: false, color: { mode: 'scheme', scheme: 'Spectral', scale: 'exponential', exponent: 0.5 } },
      fieldConfig: { defaults: { unit: 's' }, overrides: [] },
      targets: [{ refId: 'A', format: 'heatmap', legendFormat: '{{le}}',
        expr: 'sum by (le) (rate(http_request_duration_seconds_bucket{job="demo"}[10s]))' }] }],
  }));
  const config = {
    global: { scrape_interval: '2s', scrape_timeout: '2s' },
    // node_exporter sends no CORS headers: `signalboard-cli serve` forwards its scrapes.
    scrape_configs: [
      { job_name: 'node', static_configs: [{ targets: [nodeHost] }], scrape_interval: '2s' },
      { job_name: 'demo', static_configs: [{ targets: [new URL(demo[1]).host] }], scrape_interval: '2s' },
    ],
    dashboards: ['dashboards/golden-signals.json'],
  };
  fs.writeFileSync(path.join(site, 'config.json'), JSON.stringify(config));
  const served = await procs.start(CLI, ['serve', '--dist', site, '--listen', '127.0.0.1:0'], /serve: (http:\/\/\S+\/)/);
  appUrl = served[1];
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  procs.stopAll();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

const unexpected = (problems) => withoutCorsFallback(problems, [`http://${nodeHost}/`]);

function repeatDashboard() {
  return {
    title: 'Repeats', uid: 'repeats', schemaVersion: 39, time: { from: 'now-5m', to: 'now' },
    templating: { list: [{ name: 'region', type: 'custom', query: 'eu,us,ap', multi: true, includeAll: true,
      current: { text: ['All'], value: ['$__all'] } },
    { name: 'box', type: 'textbox', query: 'hello', current: { text: 'hello', value: 'hello' } },
    { name: 'iv', type: 'interval', query: '1m,10m', auto: true, auto_count: 30, auto_min: '10s',
      current: { text: 'auto', value: '$__auto_interval_iv' } }] },
    panels: [
      { type: 'text', id: 1, title: 'Region $region', repeat: 'region', repeatDirection: 'h', maxPerRow: 4,
        gridPos: { x: 0, y: 0, w: 8, h: 3 }, options: { mode: 'markdown', content: 'hello' } },
      { type: 'row', id: 2, title: 'Row for $region', repeat: 'region', collapsed: false, gridPos: { x: 0, y: 3, w: 24, h: 1 }, panels: [] },
      { type: 'text', id: 3, title: 'In row', gridPos: { x: 0, y: 4, w: 12, h: 3 }, options: { mode: 'markdown', content: 'x' } },
      { type: 'text', id: 4, title: 'Box $box every $iv', gridPos: { x: 0, y: 8, w: 12, h: 3 }, options: { mode: 'markdown', content: 'y' } },
    ],
  };
}

// The CLI's own report for a fixture: `panels: N rendered, M placeholders, R rows`.
function cliReport(file) {
  const out = execFileSync(CLI, ['import', file], { encoding: 'utf8' });
  const m = out.match(/panels: (\d+) rendered, (\d+) placeholders, (\d+) rows/);
  return { rendered: Number(m[1]), placeholders: Number(m[2]), rows: Number(m[3]) };
}

// The panels of an expanded row or of the grid after full-screen mount over a few frames; wait
// (bounded) for the count instead of reading it once, then assert the exact number.
async function settledCount(page, expected) {
  await page.waitForFunction((n) => document.querySelectorAll('[data-panel-id][data-state]').length === n,
    expected, { timeout: 10000 }).catch(() => {});
  assert.equal((await states(page)).length, expected);
}

// The number of panels once it has stopped changing for half a second.
async function stableCount(page) {
  let last = -1;
  for (;;) {
    const n = (await states(page)).length;
    if (n === last) return n;
    last = n;
    await page.waitForTimeout(500);
  }
}

async function states(page) {
  return page.$$eval('[data-panel-id][data-state]', (els) => els.map((e) => ({ id: e.dataset.panelId,
    type: e.dataset.panelType, title: e.dataset.panelTitle, state: e.dataset.state })));
}

test('every public fixture imports in the browser: rows as in the CLI report, no panel dropped or failing', async () => {
  const page = await newPage(browser);
  for (const f of fs.readdirSync(FIXTURES).filter((n) => n.endsWith('.json'))) {
    const report = cliReport(path.join(FIXTURES, f));
    await page.goto(`${appUrl}?dashboard=fixtures/${f}`);
    await page.waitForSelector('[data-dashboard-title]', { timeout: 20000 });
    const title = JSON.parse(fs.readFileSync(path.join(FIXTURES, f), 'utf8')).title;
    assert.equal(await page.getAttribute('[data-dashboard-title]', 'data-dashboard-title'), title, f);
    const errors = await page.$$eval('.banner.error', (els) => els.map((e) => e.textContent));
    assert.deepEqual(errors, [], `${f}: error notices`);
    const rows = await page.$$eval('[data-panel-type="row"]', (els) => els.length);
    assert.equal(rows, report.rows, `${f}: rows`);
    const s = await states(page);
    assert.ok(s.length > 0, `${f}: panels shown`);
    assert.deepEqual(s.filter((p) => p.state === 'error').map((p) => p.title), [], `${f}: panels in error`);
    const unsupported = s.filter((p) => p.state === 'unsupported' && p.type !== 'heatmap');
    assert.ok(unsupported.length <= report.placeholders, `${f}: ${unsupported.length} placeholders`);
    await page.waitForTimeout(200);
  }
  assert.deepEqual(unexpected(page.problems), []);
});

test('Node Exporter Full against a real node_exporter: variables fill from the scrapes, panels show data', async () => {
  const page = await newPage(browser);
  await page.goto(`${appUrl}?dashboard=fixtures/node-exporter-full.json`);
  await page.waitForSelector('[data-variable="job"] option[value="node"]', { timeout: 30000, state: 'attached' });
  assert.equal(await page.$eval('[data-variable="job"] select', (e) => e.value), 'node');
  const nodename = os.hostname();
  await page.waitForSelector(`[data-variable="nodename"] option[value="${nodename}"]`, { timeout: 20000, state: 'attached' });
  await page.waitForSelector(`[data-variable="node"] option[value="${nodeHost}"]`, { timeout: 20000, state: 'attached' });
  // The first row's gauges (CPU busy, RAM used, …) compute from node_exporter's series.
  await page.waitForSelector('[data-panel-title="CPU Busy"][data-state="ok"]', { timeout: 30000 });
  await page.waitForSelector('[data-panel-title="RAM Used"][data-state="ok"]', { timeout: 30000 });
  const ram = Number(await page.getAttribute('[data-panel-title="RAM Used"] [data-value]', 'data-value'));
  assert.ok(ram > 0 && ram < 100, `RAM used ${ram}%`);
  // A lone gauge value has no title under it (Grafana's rule), not the series' label set.
  assert.equal(await page.$$eval('[data-panel-title="RAM Used"] .gauge-name', (e) => e.length), 0);
  // The smallest stats (2×2 grid units) show their whole value and unit inside the cell.
  for (const title of ['RAM Total', 'CPU Cores', 'Uptime', 'RootFS Total']) {
    await page.waitForSelector(`[data-panel-title="${title}"][data-state="ok"] .stat-value[data-value]`, { timeout: 30000 });
    const fit = await page.$eval(`[data-panel-title="${title}"]`, (p) => {
      const v = p.querySelector('.stat-value').getBoundingClientRect();
      const c = p.querySelector('.stat-cell').getBoundingClientRect();
      return { text: p.querySelector('.stat-value').textContent.trim(), inside: v.left >= c.left - 0.5
        && v.right <= c.right + 0.5 && v.top >= c.top - 0.5 && v.bottom <= c.bottom + 0.5,
        font: parseFloat(getComputedStyle(p.querySelector('.stat-value')).fontSize),
        titles: p.querySelectorAll('.stat-name').length };
    });
    assert.ok(fit.inside && fit.font >= 12, `${title}: value ${JSON.stringify(fit)} inside its cell`);
    assert.equal(fit.titles, 0, `${title}: a lone stat has no value title`);
    if (title === 'RAM Total') assert.match(fit.text, /^[\d.]+ [KMGT]iB$/, `RAM Total with its unit: ${fit.text}`);
  }
  // The browser's history starts after the 24 h range does: the dashboard says so once in
  // words; each panel only marks it (◷), so a small panel's title is not crowded out.
  assert.match(await page.textContent('[data-history-since]'), /holds data since \d\d:\d\d:\d\d/);
  const ramTotal = await page.$eval('[data-panel-title="RAM Total"]', (p) => ({
    partial: p.querySelector('[data-partial-range]').textContent.trim(),
    titleWhole: p.querySelector('.panel-title').scrollWidth <= p.querySelector('.panel-title').clientWidth }));
  assert.deepEqual(ramTotal, { partial: '◷', titleWhole: true });
  const ok = (await states(page)).filter((p) => p.state === 'ok').length;
  assert.ok(ok >= 10, `${ok} panels with data`);
  assert.deepEqual(unexpected(page.problems), []);
});

test('rows collapse and expand; a panel goes full-screen and comes back', async () => {
  const page = await newPage(browser);
  await page.goto(appUrl);
  await page.waitForSelector('[data-panel-title="Request rate"]', { timeout: 20000 });
  const before = await stableCount(page);
  await page.click('[data-panel-type="row"][data-panel-title="Traffic"]');
  await page.waitForSelector('[data-panel-type="row"][data-panel-title="Traffic"][data-collapsed="true"]');
  assert.equal(await page.$('[data-panel-title="Request rate"]'), null, 'collapsed row hides its panels');
  await settledCount(page, before - 3);
  await page.click('[data-panel-type="row"][data-panel-title="Traffic"]');
  await page.waitForSelector('[data-panel-title="Request rate"]');
  await settledCount(page, before);

  await page.hover('[data-panel-title="Request rate"]');
  await page.click('[data-panel-title="Request rate"] [data-testid="view-panel"]');
  await page.waitForSelector('[data-view-panel]');
  assert.equal((await states(page)).length, 1);
  assert.match(page.url(), /viewPanel=\d+/);
  await page.keyboard.press('Escape');
  await page.waitForSelector('[data-panel-title="p95 latency"]');
  await settledCount(page, before);
  assert.doesNotMatch(page.url(), /viewPanel/);
  assert.deepEqual(unexpected(page.problems), []);
});

test('repeats copy panels and rows per selected value', async () => {
  const page = await newPage(browser);
  await page.goto(`${appUrl}?dashboard=repeat.json`);
  await page.waitForSelector('[data-dashboard-title="Repeats"]');
  const titles = async () => page.$$eval('.panel-title', (els) => els.map((e) => e.textContent));
  await page.waitForFunction(() => document.querySelectorAll('.panel-title').length >= 3);
  let t = await titles();
  for (const r of ['eu', 'us', 'ap']) assert.ok(t.includes(`Region ${r}`), JSON.stringify(t));
  const rows = await page.$$eval('[data-panel-type="row"]', (els) => els.map((e) => e.textContent.trim()));
  assert.deepEqual(rows.map((r) => r.replace(/^[▸▾]\s*/, '')), ['Row for eu', 'Row for us', 'Row for ap']);
  // A textbox variable and an interval variable at "auto" (5 m / 30, at least 10 s).
  assert.ok(t.includes('Box hello every 10s'), JSON.stringify(t));
  await page.fill('[data-variable="box"] input', 'typed');
  await page.press('[data-variable="box"] input', 'Enter');
  await page.waitForFunction(() => [...document.querySelectorAll('.panel-title')].some((e) => e.textContent === 'Box typed every 10s'));
  assert.match(page.url(), /var-box=typed/);
  // Only "us" selected: one copy.
  await page.goto(`${appUrl}?dashboard=repeat.json&var-region=us`);
  await page.waitForSelector('[data-dashboard-title="Repeats"]');
  await page.waitForFunction(() => document.querySelectorAll('.panel-title').length >= 1);
  t = await titles();
  assert.deepEqual(t.filter((x) => x.startsWith('Region')), ['Region us']);
  assert.deepEqual(unexpected(page.problems), []);
});

test('the dashboard library keeps imports: open by URL, rename, delete', async () => {
  const page = await newPage(browser);
  await page.goto(`${appUrl}#/import`);
  const json = fs.readFileSync(path.join(FIXTURES, 'flask-webapp.json'), 'utf8');
  await page.fill('[data-testid="import-json"]', json);
  await page.click('[data-testid="import-button"]');
  await page.waitForSelector('[data-dashboard-title]');
  const uid = new URL(page.url()).searchParams.get('d');
  assert.ok(uid, `the URL names the library entry: ${page.url()}`);
  const title = JSON.parse(json).title;

  // The URL of the view reopens it, in a fresh page of the same browser profile.
  const again = await page.context().newPage();
  await again.goto(`${appUrl}?d=${encodeURIComponent(uid)}&from=now-1h&to=now`);
  await again.waitForSelector(`[data-dashboard-title="${title}"]`);
  assert.equal(await again.$eval('[data-testid="time-range"]', (e) => e.value), 'now-1h');

  await page.goto(`${appUrl}#/dashboards`);
  const row = `[data-library-uid="${uid}"]`;
  await page.waitForSelector(row);
  await page.fill(`${row} [data-testid="library-name"]`, 'Renamed in Signalboard');
  await page.click(`${row} [data-testid="library-rename"]`);
  await page.waitForSelector(`${row}[data-library-title="Renamed in Signalboard"]`);
  await page.click(`${row} [data-testid="library-open"]`);
  await page.waitForSelector('[data-dashboard-title="Renamed in Signalboard"]');

  await page.goto(`${appUrl}#/dashboards`);
  await page.waitForSelector(row);
  await page.click(`${row} [data-testid="library-delete"]`);
  await page.click(`${row} [data-testid="library-delete"]`);
  await page.waitForSelector(row, { state: 'detached' });
  assert.deepEqual(unexpected(page.problems), []);
});

test('the shared crosshair (graphTooltip 1) follows the mouse into the other time series panels', async () => {
  const page = await newPage(browser);
  await page.goto(appUrl);
  const a = '[data-panel-title="Requests per second by endpoint"]';
  const b = '[data-panel-title="Latency percentiles"]';
  await page.waitForSelector(`${a}[data-state="ok"]`, { timeout: 30000 });
  await page.waitForSelector(`${b}[data-state="ok"]`, { timeout: 30000 });
  // The crosshair element of a panel: shown (and inside its plot) or not; the chart is not redrawn.
  const crosshairShown = (sel) => page.$eval(sel, (panel) => {
    const x = panel.querySelector('.crosshair');
    return Boolean(x && !x.hidden && x.hasAttribute('data-crosshair') && x.getBoundingClientRect().height > 10);
  });
  assert.equal(await crosshairShown(b), false);
  const box = await page.$eval(`${a} canvas`, (c) => { const r = c.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; });
  await page.mouse.move(box.x + box.w * 0.6, box.y + box.h * 0.5);
  await page.waitForFunction((sel) => {
    const x = document.querySelector(sel).querySelector('.crosshair');
    return x && x.hasAttribute('data-crosshair') && x.getBoundingClientRect().height > 10;
  }, b, { timeout: 5000 });
  await page.mouse.move(5, 5);
  await page.waitForFunction((sel) => !document.querySelector(sel).querySelector('.crosshair').hasAttribute('data-crosshair'), b);
  assert.deepEqual(unexpected(page.problems), []);
});

test('a heatmap panel draws the demo latency buckets, one row per bucket', async () => {
  const page = await newPage(browser);
  await page.goto(`${appUrl}?dashboard=heatmap.json`);
  await page.waitForSelector('[data-panel-title="Latency heatmap"][data-state="ok"]', { timeout: 30000 });
  const le = (await (await fetch(`http://${demoHost}/metrics`)).text()).split('\n')
    .filter((l) => l.startsWith('http_request_duration_seconds_bucket{')).map((l) => l.match(/le="([^"]+)"/)[1]);
  const buckets = new Set(le).size;
  await page.waitForFunction(() => Number(document.querySelector('[data-heatmap-cells]')?.dataset.heatmapCells) > 0, null, { timeout: 20000 });
  assert.equal(Number(await page.getAttribute('[data-heatmap-rows]', 'data-heatmap-rows')), buckets);
  assert.deepEqual(unexpected(page.problems), []);
});
