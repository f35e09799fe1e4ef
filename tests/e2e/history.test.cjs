// End-to-end: history survives a reload. The page scrapes the demo service, is reloaded, and
// every sample it had collected before is still there afterwards (IndexedDB persistence),
// with the new scrapes appended after a visible gap.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { DIST, binary, Processes, launchBrowser, newPage, waitFor } = require('./helpers.cjs');

const procs = new Processes();
let browser, work, appUrl, demoProc, demoUrl;

before(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'signalboard-e2e-history-'));
  const demo = await procs.start(binary('signalboard-demo'),
    ['--listen', '127.0.0.1:0', '--rps', '20'], /listening on (http:\/\/\S+)/);
  demoProc = procs.list[procs.list.length - 1];
  demoUrl = demo[1];
  const site = path.join(work, 'site');
  fs.cpSync(DIST, site, { recursive: true });
  fs.writeFileSync(path.join(site, 'config.json'), JSON.stringify({
    global: { scrape_interval: '1s', scrape_timeout: '1s' },
    scrape_configs: [{ job_name: 'demo', static_configs: [{ targets: [new URL(demo[1]).host] }] }],
    dashboards: ['dashboards/golden-signals.json'],
  }));
  const served = await procs.start(binary('signalboard-cli'),
    ['serve', '--dist', site, '--listen', '127.0.0.1:0'], /serve: (http:\/\/\S+\/)/);
  appUrl = served[1];
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  procs.stopAll();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

const upTimes = (page) => page.evaluate(async () => {
  const r = await window.signalboard.query('up{job="demo"}[1h]');
  return r.data.result.length ? r.data.result[0].values.map((v) => v[0]) : [];
});

test('every sample collected before a reload is still there after it', async () => {
  const page = await newPage(browser);
  await page.goto(appUrl);
  await waitFor('15 scrapes', async () => (await upTimes(page)).length >= 15, 40000, 500);
  const seriesBefore = await page.evaluate(async () =>
    (await window.signalboard.query('count({job="demo"})')).data.result[0].value[1]);
  const before = await upTimes(page);
  const reloadedAt = Date.now() / 1000;
  await page.reload();
  await waitFor('scrapes after the reload', async () => (await upTimes(page)).some((t) => t > reloadedAt + 1), 30000, 500);
  const after = await upTimes(page);
  const kept = before.filter((t) => after.includes(t));
  assert.deepEqual(kept, before, `lost ${before.length - kept.length} of ${before.length} samples`);
  const seriesAfter = await page.evaluate(async () =>
    (await window.signalboard.query('count({job="demo"})')).data.result[0].value[1]);
  assert.ok(Number(seriesAfter) >= Number(seriesBefore), `${seriesAfter} series after, ${seriesBefore} before`);
  // New scrapes continue after the restored ones: ascending, nothing duplicated.
  assert.ok(after.every((t, i) => i === 0 || t > after[i - 1]), 'timestamps ascend');
  assert.ok(after.some((t) => t > Math.max(...before)), 'scraping went on after the reload');
  assert.deepEqual(page.problems, []);
});

test('a target that stops: up goes to 0, its series go stale, the rest keeps its history', async () => {
  const page = await newPage(browser);
  await page.goto(appUrl);
  const q = (expr) => page.evaluate(async (e) => (await window.signalboard.query(e)).data.result, expr);
  const samplesOf = async (at) => Number((await q(`max(count_over_time(http_requests_total{job="demo"}[1h]${at}))`))[0]?.value[1] ?? 0);
  await waitFor('5 scrapes of the demo', async () => (await samplesOf('')) >= 5, 20000, 500);
  const before = await samplesOf('');
  demoProc.kill('SIGKILL');
  const stoppedAt = Date.now() / 1000;
  // Staleness markers: the instant vector is empty at once, not 5 minutes later.
  await waitFor('stale series', async () => (await q('http_requests_total{job="demo"}')).length === 0, 15000, 500);
  const up = await q('up{job="demo"}');
  assert.equal(up[0].value[1], '0');
  // The samples from before the stop are still there for range queries.
  const kept = await samplesOf(` @ ${stoppedAt.toFixed(3)}`);
  assert.ok(before > 0 && kept >= before, `${kept} samples kept of the ${before} seen before the stop`);
  await page.goto(`${appUrl}#/targets`);
  const row = `[data-target="${demoUrl}/metrics"]`;
  await page.waitForSelector(`${row}[data-health="down"]`, { timeout: 15000 });
  assert.match(await page.getAttribute(row, 'data-error'), /network error/);
  // Chromium logs the refused connections; they are what this test provokes.
  assert.deepEqual(page.problems.filter((p) => !/ERR_CONNECTION_(REFUSED|RESET)|status of 502/.test(p)), []);
});
