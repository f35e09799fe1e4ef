// Scrape ingestion through the scrape worker: a 20,000-series target (a tiny node server,
// values changing every scrape) at 1 s is fetched and parsed in the worker and every series
// lands in the store; sample timestamps sit on the target's schedule (offset + k * interval);
// a memory bound too small for a target with cardinality churn evicts the oldest series and
// the targets page says so; and
// when a Content-Security-Policy forbids workers, scraping falls back to the main thread and
// says why. (The 100k-series long-task benchmark is tests/e2e/ingest.bench.cjs.)
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { launchBrowser, serveStatic, newPage, waitFor, DIST } = require('./support.cjs');

const SERIES = 20000;
let browser, work, target;

function body(scrape) {
  const lines = ['# TYPE wide_total counter'];
  for (let i = 0; i < SERIES; i++) lines.push(`wide_total{shard="${i}",pod="p${i % 40}"} ${i + scrape}`);
  return lines.join('\n') + '\n';
}

// Cardinality churn: 1,000 new series every scrape (the old ones go stale, then get evicted).
function churn(generation) {
  const lines = [];
  for (let i = 0; i < 1000; i++) lines.push(`churn{generation="${generation}",i="${i}"} ${i}`);
  return lines.join('\n') + '\n';
}

before(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'signalboard-ingest-'));
  let scrapes = 0;
  let generation = 0;
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4', 'access-control-allow-origin': '*' });
    res.end(req.url.startsWith('/churn') ? churn(generation++) : body(scrapes++));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  target = { host: `127.0.0.1:${server.address().port}`, close: () => server.close() };
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (target) target.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

async function site(name, storage, headers = {}, metricsPath = '/metrics') {
  const dir = path.join(work, name);
  fs.cpSync(DIST, dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({
    scrape_configs: [{
      job_name: 'wide', static_configs: [{ targets: [target.host] }], metrics_path: metricsPath,
      scrape_interval: '1s', sample_limit: 50000,
    }],
    dashboards: [],
    storage,
  }));
  return serveStatic(dir, headers);
}

async function instant(page, expr) {
  const res = await page.evaluate((e) => window.signalboard.query(e), expr);
  assert.equal(res.status, 'success', `${expr}: ${JSON.stringify(res)}`);
  return res.data.result.map((r) => Number(r.value[1]));
}

async function ingestMode(page) {
  return page.$eval('[data-ingest-mode]', (e) => [e.dataset.ingestMode, e.textContent]);
}

test('a 20k-series target is parsed in the worker, stored whole, on its schedule', { timeout: 90000 }, async () => {
  const server = await site('worker', { retention: '1h', memory_limit: '256MB' });
  const page = await newPage(browser);
  await page.goto(`${server.url}#/targets`);
  await waitFor('three scrapes', async () => (await instant(page, 'count(wide_total)'))[0] === SERIES
    && (await instant(page, 'count_over_time(up[1m])'))[0] >= 3, 30000);
  assert.deepEqual((await ingestMode(page))[0], 'worker');
  assert.deepEqual(await instant(page, 'up'), [1]);
  assert.deepEqual(await instant(page, 'scrape_samples_scraped'), [SERIES]);
  // Every series has every scrape's sample: the values of shard 7 went up by one per scrape.
  const [increase] = await instant(page, 'max_over_time(wide_total{shard="7"}[1m]) - min_over_time(wide_total{shard="7"}[1m])');
  const [scrapes] = await instant(page, 'count_over_time(wide_total{shard="7"}[1m])');
  assert.equal(increase, scrapes - 1);
  // Timestamps on the schedule: all scrapes share one phase within the 1 s interval, and the
  // wide series carry the same timestamp as `up`.
  const phases = new Set();
  for (let i = 0; i < 3; i++) {
    const [t] = await instant(page, 'timestamp(up)');
    const [tw] = await instant(page, 'timestamp(wide_total{shard="7"})');
    assert.equal(tw, t);
    phases.add(Math.round(t * 1000) % 1000);
    await page.waitForTimeout(1100);
  }
  assert.equal(phases.size, 1, `scrape phases ${[...phases]}`);
  assert.deepEqual(page.problems, []);
  await page.context().close();
  server.close();
});

test('evictions by the memory bound are shown on the targets page', { timeout: 90000 }, async () => {
  const server = await site('small', { retention: '1h', memory_limit: '1MB' }, {}, '/churn');
  const page = await newPage(browser);
  await page.goto(`${server.url}#/targets`);
  const banner = await page.waitForSelector('[data-memory-evicted]', { timeout: 45000 });
  const evicted = Number(await banner.getAttribute('data-memory-evicted'));
  assert.ok(evicted > 0, `evicted ${evicted}`);
  assert.match(await banner.textContent(), /Memory bound reached: the oldest \d+ samples were evicted.*storage\.memory_limit = 1MB/);
  const memory = await page.evaluate(() => window.signalboard.memory());
  assert.ok(memory.evictedByMemory >= evicted, JSON.stringify(memory));
  // The bound is applied every 2 s: in between, up to two scrapes of 1,000 new series can sit above it.
  assert.ok(memory.storeBytes <= 2 * 1024 * 1024, `store ${memory.storeBytes} bytes`);
  assert.deepEqual(await instant(page, 'up'), [1]);
  const [live] = await instant(page, 'count(churn)');
  assert.ok(live >= 1000, `the newest scrape is kept whole: ${live} live series`);
  assert.deepEqual(page.problems, []);
  await page.context().close();
  server.close();
});

test('a policy without workers falls back to the main thread and says so', { timeout: 90000 }, async () => {
  const policy = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'none'; style-src 'self'; connect-src *";
  const server = await site('noworker', { retention: '1h', memory_limit: '256MB' }, { 'Content-Security-Policy': policy });
  const page = await newPage(browser);
  await page.goto(`${server.url}#/targets`);
  await waitFor('data on the main thread', async () => (await instant(page, 'count(wide_total)'))[0] === SERIES, 45000);
  await waitFor('the fallback shown', async () => (await ingestMode(page))[0] === 'main-thread', 5000);
  const [, text] = await ingestMode(page);
  assert.match(text, /parsed on the page's main thread.*scrape worker failed: it could not be loaded/);
  assert.deepEqual(await instant(page, 'up'), [1]);
  // The only problems: the policy's refusal of the worker, reported once.
  assert.ok(page.problems.every((p) => /Refused to create a worker|worker-src/.test(p)), page.problems.join('\n'));
  await page.context().close();
  server.close();
});
