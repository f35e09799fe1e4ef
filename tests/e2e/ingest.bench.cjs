// Ingest benchmark (reported, not a pass/fail test; not run by `make test`): the release app
// scrapes one target exposing INGEST_SERIES series (default 100,000; counters whose values
// change every scrape) every INGEST_INTERVAL (default 5s) for INGEST_SCRAPES scrapes (default 6),
// on the Targets page (no panels querying). Every main-thread long task is recorded with
// PerformanceObserver('longtask'); each is attributed to the scrape whose interval it starts in.
// Prints per scrape: long tasks (count, max, total ms), the scrape duration the app reports
// (fetch + parse + store), samples; then the store's bytes and the JS heap.
//
//   eval "$(scripts/setup-tools.sh --test)" && trunk build --release && node tests/e2e/ingest.bench.cjs
// INGEST_NO_IDB=1 hides IndexedDB from the page (no saving: the cost of persistence shows as the
// difference).
'use strict';
const http = require('node:http');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { launchBrowser, serveStatic, DIST, waitFor } = require('./support.cjs');

const SERIES = Number(process.env.INGEST_SERIES || 100000);
const INTERVAL = process.env.INGEST_INTERVAL || '5s';
const SCRAPES = Number(process.env.INGEST_SCRAPES || 6);

// 100k series in families of 1,000 like a big exporter: 100 metric names × 1,000 label sets.
function body(scrape) {
  const lines = [];
  const perFamily = 1000;
  for (let f = 0; f * perFamily < SERIES; f++) {
    lines.push(`# HELP bench_family_${f}_total Requests of family ${f}.`, `# TYPE bench_family_${f}_total counter`);
    for (let i = 0; i < perFamily && f * perFamily + i < SERIES; i++) {
      const n = f * perFamily + i;
      lines.push(`bench_family_${f}_total{pod="pod-${i % 50}",shard="${i}",zone="z${n % 3}"} ${n * 3 + scrape * (n % 7)}`);
    }
  }
  return lines.join('\n') + '\n';
}

function startTarget() {
  let scrapes = 0;
  const server = http.createServer((req, res) => {
    const text = body(scrapes++);
    res.writeHead(200, {
      'content-type': 'text/plain; version=0.0.4',
      'access-control-allow-origin': '*',
    });
    res.end(text);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    host: `127.0.0.1:${server.address().port}`, close: () => server.close(),
  })));
}

async function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'signalboard-ingest-'));
  const target = await startTarget();
  const site = path.join(work, 'site');
  fs.cpSync(DIST, site, { recursive: true });
  fs.writeFileSync(path.join(site, 'config.json'), JSON.stringify({
    global: { scrape_interval: INTERVAL, scrape_timeout: '4s' },
    scrape_configs: [{
      job_name: 'bench', static_configs: [{ targets: [target.host] }], scrape_interval: INTERVAL,
      sample_limit: SERIES + 1000, body_size_limit: '64MB',
    }],
    dashboards: [],
    storage: { retention: '1h', memory_limit: '512MB' },
  }));
  const server = await serveStatic(site);
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, serviceWorkers: 'block' });
    const page = await context.newPage();
    page.on('pageerror', (e) => console.log(`pageerror: ${e.message}`));
    if (process.env.INGEST_NO_IDB) {
      // Without IndexedDB (no history across reloads): isolates the cost of saving.
      await page.addInitScript(() => { Object.defineProperty(window, 'indexedDB', { value: undefined }); });
    }
    await page.addInitScript(() => {
      window.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          window.__longTasks.push({ start: performance.timeOrigin + e.startTime, ms: e.duration });
        }
      }).observe({ type: 'longtask', buffered: true });
    });
    await page.goto(`${server.url}#/targets`);
    await waitFor('window.signalboard', () => page.evaluate(() => !!window.signalboard), 30000);
    const bootedAt = await page.evaluate(() => Date.now());
    const scrapes = [];
    let last = null;
    const deadline = Date.now() + (SCRAPES + 4) * 20000;
    while (scrapes.length < SCRAPES && Date.now() < deadline) {
      const t = await page.evaluate(() => window.signalboard.targets().find((x) => x.job === 'bench'));
      if (t && t.lastScrape && t.lastScrape !== last && t.samples > 0 && (t.health === 'up' || t.error)) {
        // The status is written when the scrape finished: duration includes fetch, parse, store.
        last = t.lastScrape;
        scrapes.push({ start: t.lastScrape, seconds: t.durationSeconds, samples: t.samples, error: t.error });
      } else if (t && t.error) {
        throw new Error(`target failed: ${t.error}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 1500));
    const tasks = await page.evaluate(() => window.__longTasks);
    const memory = await page.evaluate(() => window.signalboard.memory());
    const heap = await page.evaluate(() => performance.memory && performance.memory.usedJSHeapSize);
    const mode = await page.evaluate(() => document.querySelector('[data-ingest-mode]')?.getAttribute('data-ingest-mode') || 'main-thread');
    console.log(`ingest benchmark: ${SERIES} series every ${INTERVAL}, ingest mode ${mode}`);
    console.log(`boot long tasks (before the first scrape): ${summary(tasks.filter((t) => t.start < (scrapes[0]?.start ?? bootedAt)))}`);
    let worstMax = 0; let sumTotal = 0;
    scrapes.forEach((s, i) => {
      const end = scrapes[i + 1]?.start ?? Infinity;
      const mine = tasks.filter((t) => t.start >= s.start && t.start < end);
      const max = Math.max(0, ...mine.map((t) => t.ms));
      worstMax = Math.max(worstMax, max);
      sumTotal += mine.reduce((a, t) => a + t.ms, 0);
      console.log(`scrape ${i + 1}: ${s.samples} samples, scrape duration ${(s.seconds * 1000).toFixed(0)} ms, long tasks ${summary(mine)}`);
    });
    console.log(`max long task over scrapes: ${worstMax.toFixed(0)} ms; mean long-task total per scrape: ${(sumTotal / Math.max(1, scrapes.length)).toFixed(0)} ms`);
    console.log(`store: ${memory.series} series, ${memory.samples} samples, ${memory.storeBytes} bytes; wasm memory ${memory.wasmBytes} bytes; JS heap ${heap} bytes`);
  } finally {
    await browser.close();
    server.close();
    target.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function summary(tasks) {
  if (tasks.length === 0) return 'none';
  const total = tasks.reduce((a, t) => a + t.ms, 0);
  return `${tasks.length}, max ${Math.max(...tasks.map((t) => t.ms)).toFixed(0)} ms, total ${total.toFixed(0)} ms`;
}

main().catch((e) => { console.error(e); process.exit(1); });
