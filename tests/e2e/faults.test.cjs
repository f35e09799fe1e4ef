// Fault injection end to end: the release app scrapes every misbehaving target of
// signalboard-faultserver (refused, slow, hanging, HTTP 500/503, HTML, garbage, parse error,
// 200 MB body, a million series, no CORS, flapping, hostile label values) next to the healthy
// demo service, at a 1 s interval, for FAULTS_DURATION_S seconds (default 60). Asserts: no
// main-thread task over 200 ms once booted (boot tasks are reported, not bounded), healthy targets keep updating, each bad target's error names
// its reason, memory stays under the bounds below, and no collected sample is lost.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Processes, launchBrowser, binary, serveStatic, prepareSite } = require('./support.cjs');

const DURATION_S = Number(process.env.FAULTS_DURATION_S || 60);
const MAX_LONG_TASK_MS = 200;
// Bounds: the JS heap (glue code, DOM wrappers) and the wasm linear memory (store, scrape
// buffers: the largest body read is the 8 MB body_size_limit of the "big" target).
const MAX_JS_HEAP_BYTES = 64 << 20;
const MAX_WASM_BYTES = 128 << 20;

// Job → what its target's `error` must say (null: must be up).
const EXPECTED = {
  demo: null,
  good: null,
  hostile: null,
  refused: /network error or CORS refusal/,
  slow: /timeout: no complete answer within 800 ms/,
  hang: /timeout: no complete answer within 800 ms/,
  http500: /: HTTP 500$/,
  http503: /: HTTP 503$/,
  html: /answered an HTML page \(content-type text\/html/,
  garbage: /body is not UTF-8 \(invalid byte at offset 0\)/,
  parse_error: /parse error at 3:\d+: /,
  big: /body_size_limit exceeded: response is larger than 8388608 bytes/,
  bomb: /sample_limit exceeded: more than 10000 samples/,
  nocors: /network error or CORS refusal/,
};

const procs = new Processes();
let browser, site, work, demoUrl, faultUrl;

before(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'signalboard-faults-'));
  demoUrl = (await procs.start(binary('signalboard-demo'), ['--listen', '127.0.0.1:0', '--rps', '30'],
    /listening on (http:\/\/\S+)/))[1];
  faultUrl = (await procs.start(binary('signalboard-faultserver'), [], /listening on (http:\/\/\S+)/))[1];
  prepareSite(path.join(work, 'site'), demoUrl);
  site = await serveStatic(path.join(work, 'site'));
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (site) site.close();
  procs.stopAll();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

// Evaluated at a fixed time a few seconds back, so every scrape started before it is complete
// and successive queries see the same samples.
async function instant(page, expr, at) {
  const res = await page.evaluate(([e, t]) => window.signalboard.query(e, t), [expr, at]);
  assert.equal(res.status, 'success', `${expr}: ${JSON.stringify(res)}`);
  return res.data.result.map((r) => Number(r.value[1]));
}

async function one(page, expr) {
  const values = await instant(page, expr, page.evalAt);
  assert.equal(values.length, 1, `${expr} should give one series, got ${JSON.stringify(values)}`);
  return values[0];
}

test(`${DURATION_S} s of faulty targets next to healthy ones`, { timeout: (DURATION_S + 180) * 1000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, serviceWorkers: 'block' });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('dialog', (d) => { pageErrors.push(`dialog: ${d.message()}`); d.dismiss().catch(() => {}); });
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
    // Every distinct error of every target, polled often enough to see each failed scrape.
    window.__errorsSeen = {};
    setInterval(() => {
      for (const t of (window.signalboard ? window.signalboard.targets() : [])) {
        if (!t.error) continue;
        const seen = window.__errorsSeen[t.job] = window.__errorsSeen[t.job] || [];
        if (!seen.includes(t.error)) seen.push(t.error);
      }
    }, 200);
  });
  const cdp = await context.newCDPSession(page);
  const demoHost = new URL(demoUrl).host;
  const config = `${faultUrl}/config.json?demo=${demoHost}&interval=1s`;
  await page.goto(`${site.url}?config=${encodeURIComponent(config)}`);
  await page.waitForFunction(() => window.signalboard && window.signalboard.targets()
    .filter((t) => t.kind === 'scrape' && t.lastScrape).length >= 15, null, { timeout: 30000 });
  const jobs = (await page.evaluate(() => window.signalboard.targets())).map((t) => t.job);
  for (const job of Object.keys(EXPECTED).concat('flap')) assert.ok(jobs.includes(job), `job ${job} configured: ${jobs}`);

  // Sample state every 2 s for the whole run. Long tasks before this point (wasm start, the
  // dashboard's first render) are reported separately as boot tasks.
  const runStartMs = await page.evaluate(() => performance.now());
  const start = Date.now();
  const timeline = [];
  while (Date.now() - start < DURATION_S * 1000) {
    await page.waitForTimeout(2000);
    const [targets, memory] = await page.evaluate(() => [window.signalboard.targets(), window.signalboard.memory()]);
    const heap = await cdp.send('Runtime.getHeapUsage');
    timeline.push({ t: (Date.now() - start) / 1000, targets, memory, jsHeap: heap.usedSize });
  }
  const elapsedS = Math.ceil((Date.now() - start) / 1000);
  page.evalAt = Date.now() / 1000 - 5;
  const window = `${elapsedS + 60}s`; // covers the whole page lifetime

  // Gather everything first, report, then assert.
  const last = Object.fromEntries(timeline.at(-1).targets.filter((t) => t.kind === 'scrape').map((t) => [t.job, t]));
  const reasons = Object.fromEntries(Object.keys(EXPECTED).map((job) => [job, last[job].error || last[job].health]));
  const errorsSeen = await page.evaluate(() => window.__errorsSeen);
  const flapUpRatio = await one(page, `avg_over_time(up{job="flap"}[${window}])`);
  const history = {};
  for (const job of ['good', 'demo', 'hostile']) {
    history[job] = {
      scrapes: await one(page, `count_over_time(up{job="${job}"}[${window}])`),
      successes: await one(page, `sum_over_time(up{job="${job}"}[${window}])`),
      samples: await one(page, `count_over_time(scrape_samples_scraped{job="${job}"}[${window}])`),
    };
  }
  history.good.metricSamples = await one(page, `count_over_time(faultserver_scrapes_total{job="good"}[${window}])`);
  history.good.servedByTarget = await one(page, `max_over_time(faultserver_scrapes_total{job="good"}[${window}]) - min_over_time(faultserver_scrapes_total{job="good"}[${window}]) + 1`);
  const memory = await page.evaluate(() => window.signalboard.memory());
  const allLongTasks = await page.evaluate(() => window.__longTasks);
  const bootTasks = allLongTasks.filter((t) => t.start < runStartMs);
  const longTasks = allLongTasks.filter((t) => t.start >= runStartMs);
  const maxLongTask = Math.max(0, ...longTasks.map((t) => t.duration));
  const maxJsHeap = Math.max(...timeline.map((s) => s.jsHeap));
  const maxWasm = Math.max(...timeline.map((s) => s.memory.wasmBytes));
  const third = timeline[Math.floor(timeline.length / 3)];
  const mib = (b) => +(b / 2 ** 20).toFixed(1);
  const figures = {
    durationS: elapsedS, longTasks: longTasks.length, maxLongTaskMs: Math.round(maxLongTask),
    bootLongTasks: bootTasks.length, maxBootTaskMs: Math.round(Math.max(0, ...bootTasks.map((t) => t.duration))),
    jsHeapMiB: { atThird: mib(third.jsHeap), max: mib(maxJsHeap), end: mib(timeline.at(-1).jsHeap) },
    wasmMiB: { atThird: mib(third.memory.wasmBytes), max: mib(maxWasm), end: mib(timeline.at(-1).memory.wasmBytes) },
    store: memory, history, flapUpRatio, reasons, errorsSeen,
  };
  console.log(`faults figures: ${JSON.stringify(figures, null, 1)}`);

  // Each bad target names its reason; flap was seen both ways.
  for (const [job, reason] of Object.entries(EXPECTED)) {
    if (reason === null) assert.equal(last[job].error, '', `${job} should be healthy`);
    else assert.match(last[job].error, reason, job);
  }
  assert.ok(errorsSeen.flap && errorsSeen.flap.some((e) => /: HTTP 503$/.test(e)), 'flap was seen down with HTTP 503');
  assert.ok(flapUpRatio > 0.3 && flapUpRatio < 0.7, `flap up ratio ${flapUpRatio} should be near 0.5`);

  // Healthy targets kept updating, never failed.
  for (const job of ['demo', 'good', 'hostile']) assert.deepEqual(errorsSeen[job], undefined, `${job} never failed`);
  const firstScrape = timeline[0].targets.find((t) => t.job === 'good').lastScrape;
  const lastScrape = timeline.at(-1).targets.find((t) => t.job === 'good').lastScrape;
  assert.ok(lastScrape - firstScrape >= (DURATION_S - 4) * 1000, `good target scraped until the end (${firstScrape} → ${lastScrape})`);

  // No history lost: every successful scrape left its samples, none was dropped later.
  for (const [job, h] of Object.entries(history)) {
    assert.equal(h.successes, h.scrapes, `${job}: every scrape succeeded`);
    assert.equal(h.samples, h.scrapes, `${job}: one scrape_samples_scraped sample per scrape`);
    assert.ok(h.scrapes >= DURATION_S * 0.8, `${job}: ${h.scrapes} scrapes in ${DURATION_S}s at 1 s interval`);
  }
  assert.equal(history.good.metricSamples, history.good.successes, 'good: one stored sample per successful scrape');
  assert.equal(history.good.metricSamples, history.good.servedByTarget, 'good: every scrape the target served is stored');
  assert.equal(memory.droppedSamples, 0, 'no sample dropped by retention or the memory bound');

  // Responsiveness and memory.
  assert.ok(maxLongTask <= MAX_LONG_TASK_MS, `longest main-thread task ${maxLongTask} ms: ${JSON.stringify(longTasks)}`);
  assert.ok(maxJsHeap < MAX_JS_HEAP_BYTES, `JS heap ${maxJsHeap} B`);
  assert.ok(maxWasm < MAX_WASM_BYTES, `wasm memory ${maxWasm} B`);
  assert.deepEqual(pageErrors, []);

  // The targets page shows the same reasons.
  await page.goto(`${site.url}?config=${encodeURIComponent(config)}#/targets`);
  await page.waitForSelector('[data-target][data-health="down"]', { timeout: 15000 });
  await page.waitForFunction(() => document.querySelectorAll('[data-target][data-error*="sample_limit"]').length === 1, null, { timeout: 15000 });
  await context.close();
});
