// Benchmark (reported, not a pass/fail test): hovering over a 20-panel time series dashboard
// with the shared crosshair/tooltip. The mouse sweeps across every panel for a few seconds
// while the page records requestAnimationFrame deltas, PerformanceObserver long tasks, and the
// time each mousemove takes from its capture at `window` to its bubble back there (the
// panels' handlers plus the effects they trigger: crosshairs and tooltips of all panels).
// Goal: no frame over 16 ms (droppedFrames counts deltas over 25 ms: a missed vsync). The
// demo is scraped every second, so the 20 panels also re-query and redraw while hovering.
// Several builds given as arguments are measured in turn, round after round (each on its own
// origin, so each keeps its own stored data), and so share the machine's noise; prints one
// JSON line per build and graphTooltip mode with the medians over `--rounds` sweeps.
//
//   node scripts/bench-hover.cjs [--seconds 4] [--rounds 3] [DIST...]
// DIST defaults to SIGNALBOARD_DIST (or dist/). Needs target/release/signalboard-demo
// (SIGNALBOARD_BIN_DIR) and NODE_PATH with playwright-core (eval "$(scripts/setup-tools.sh --test)").
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { DIST, Processes, launchBrowser, waitFor, binary, serveStatic, prepareSite } = require('../tests/e2e/support.cjs');

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const SECONDS = arg('--seconds', 4);
const ROUNDS = arg('--rounds', 1);
const dists = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !(all[i - 1] || '').startsWith('--'));
if (dists.length === 0) dists.push(DIST);
const COLS = 4;
const ROWS = 5;

function dashboard(graphTooltip) {
  const panels = [];
  for (let i = 0; i < COLS * ROWS; i++) {
    panels.push({ type: 'timeseries', id: i + 1, title: `Panel ${i + 1}`,
      gridPos: { x: (i % COLS) * 6, y: Math.floor(i / COLS) * 7, w: 6, h: 7 },
      targets: [{ refId: 'A', expr: 'sum by (endpoint) (rate(http_requests_total{job="demo"}[10s]))', legendFormat: '{{endpoint}}' }],
      fieldConfig: { defaults: { unit: 'reqps' }, overrides: [] },
      options: { legend: { showLegend: true, displayMode: 'list', placement: 'bottom', calcs: [] }, tooltip: { mode: 'multi' } } });
  }
  return { title: `Hover ${graphTooltip}`, uid: `hover-${graphTooltip}`, schemaVersion: 39, graphTooltip,
    time: { from: 'now-5m', to: 'now' }, panels };
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : 0;
};
const round = (x) => Math.round(x * 100) / 100;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : NaN;
};

async function measure(page, url) {
  await page.goto(url);
  await page.waitForFunction((n) => document.querySelectorAll('[data-panel-type="timeseries"][data-drawn="true"]').length >= n,
    COLS * ROWS, { timeout: 60000 });
  await page.waitForTimeout(1500);
  const boxes = await page.$$eval('[data-panel-type="timeseries"] .chart-area', (els) => els.map((e) => {
    const r = e.getBoundingClientRect();
    return { x: r.x, y: r.y, w: r.width, h: r.height };
  }));
  await page.evaluate(() => {
    const m = { frames: [], longtasks: [], events: [] };
    window.__bench = m;
    let last = performance.now();
    const tick = (t) => { m.frames.push(t - last); last = t; if (!m.stop) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
    new PerformanceObserver((l) => { for (const e of l.getEntries()) m.longtasks.push(e.duration); }).observe({ type: 'longtask' });
    let start = 0;
    window.addEventListener('mousemove', () => { start = performance.now(); }, true);
    window.addEventListener('mousemove', () => { m.events.push(performance.now() - start); }, false);
  });
  const until = Date.now() + SECONDS * 1000;
  let moves = 0;
  while (Date.now() < until) {
    for (const b of boxes) {
      // Sweep each chart left to right along its middle.
      for (let k = 1; k <= 8; k++) {
        await page.mouse.move(b.x + (b.w * k) / 9, b.y + b.h / 2);
        moves++;
      }
      if (Date.now() >= until) break;
    }
  }
  await page.waitForTimeout(200);
  const m = await page.evaluate(() => { window.__bench.stop = true; return window.__bench; });
  const frames = m.frames.slice(1);
  return { moves, frames: frames.length, frameMaxMs: round(Math.max(...frames)), frameP99Ms: round(pct(frames, 0.99)),
    frameP50Ms: round(pct(frames, 0.5)), droppedFrames: frames.filter((f) => f > 25).length,
    longTasks: m.longtasks.length, longTaskMaxMs: round(Math.max(0, ...m.longtasks)),
    eventMaxMs: round(Math.max(...m.events)), eventP99Ms: round(pct(m.events, 0.99)), eventP50Ms: round(pct(m.events, 0.5)) };
}

(async () => {
  const procs = new Processes();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'signalboard-bench-hover-'));
  let browser;
  const sites = [];
  try {
    const demoUrl = (await procs.start(binary('signalboard-demo'), ['--listen', '127.0.0.1:0', '--rps', '30'],
      /listening on (http:\/\/\S+)/))[1];
    browser = await launchBrowser();
    const pages = [];
    for (const [i, dist] of dists.entries()) {
      const dir = path.join(work, `site${i}`);
      prepareSite(dir, demoUrl, dist);
      for (const mode of [0, 1, 2]) fs.writeFileSync(path.join(dir, `hover-${mode}.json`), JSON.stringify(dashboard(mode)));
      sites.push(await serveStatic(dir));
      const context = await browser.newContext({ viewport: { width: 1600, height: 1300 }, colorScheme: 'dark', serviceWorkers: 'block' });
      pages.push(await context.newPage());
    }
    // Every build scrapes (and stores) a minute of data at the same time.
    await Promise.all(pages.map(async (page, i) => {
      await page.goto(sites[i].url);
      await waitFor('a minute of data', () => page.evaluate(async () => {
        const r = await window.signalboard.query('count_over_time(up{job="demo"}[1m])');
        return r.data.result.length > 0 && Number(r.data.result[0].value[1]) >= 20;
      }), 90000, 1000);
    }));
    // Only the build being measured has a page open (the others reload their stored data).
    await Promise.all(pages.map((page) => page.goto('about:blank')));
    const runs = dists.map(() => [[], [], []]);
    for (let r = 0; r < ROUNDS; r++) {
      for (const mode of [0, 1, 2]) {
        for (const [i, page] of pages.entries()) {
          runs[i][mode].push(await measure(page, `${sites[i].url}?dashboard=hover-${mode}.json`));
          await page.goto('about:blank');
        }
      }
    }
    for (const [i, dist] of dists.entries()) {
      for (const mode of [0, 1, 2]) {
        const rs = runs[i][mode];
        const med = {};
        for (const k of Object.keys(rs[0])) med[k] = round(median(rs.map((x) => x[k])));
        console.log(JSON.stringify({ bench: 'hover', dist, panels: COLS * ROWS, graphTooltip: mode, seconds: SECONDS,
          rounds: ROUNDS, loadavg: os.loadavg().map(round), ...med,
          frameMaxAll: rs.map((x) => x.frameMaxMs), droppedAll: rs.map((x) => x.droppedFrames), longTasksAll: rs.map((x) => x.longTasks) }));
      }
    }
  } finally {
    if (browser) await browser.close();
    for (const site of sites) site.close();
    procs.stopAll();
    fs.rmSync(work, { recursive: true, force: true });
  }
})().catch((e) => { console.error(e); process.exit(1); });
