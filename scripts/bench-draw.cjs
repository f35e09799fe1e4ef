// Benchmark (reported, not a pass/fail test): one time series chart of 3 series x 100,000
// points drawn by `window.signalboard.bench.draw` (issue 7's goal: under 25 ms). Each page
// load draws it `--draws` times: the first draw is "cold" (the first chart the page draws
// with these data; the app's idle start-up warm-up, `warm_up_when_idle`, has drawn one small
// chart to get the drawing code compiled, as it does for every user), the median of the
// others "warm". Several builds given as arguments are loaded in
// turn, load after load, so they share the machine's noise; prints one JSON line per build
// with the medians over `--loads` page loads.
//
//   node scripts/bench-draw.cjs [--loads 7] [--draws 5] [--size 800x300] DIST [DIST...]
// DIST defaults to SIGNALBOARD_DIST (or dist/). BENCH_JS_FLAGS passes V8 flags to Chromium
// (e.g. `--no-liftoff` to see what baseline-compiled wasm costs). Needs NODE_PATH with
// playwright-core (eval "$(scripts/setup-tools.sh --test)").
'use strict';
const { chromium } = require('playwright-core');
const { CHROMIUM_ARGS, DIST, serveStatic } = require('../tests/e2e/support.cjs');

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const LOADS = Number(arg('--loads', 7));
const DRAWS = Number(arg('--draws', 5));
const [W, H] = arg('--size', '800x300').split('x').map(Number);
const dists = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !(all[i - 1] || '').startsWith('--'));
if (dists.length === 0) dists.push(DIST);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : NaN;
};
const round = (x) => Math.round(x * 10) / 10;

(async () => {
  const args = [...CHROMIUM_ARGS];
  if (process.env.BENCH_JS_FLAGS) args.push(`--js-flags=${process.env.BENCH_JS_FLAGS}`);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args });
  const sites = await Promise.all(dists.map((d) => serveStatic(d)));
  const results = dists.map(() => ({ cold: [], warm: [] }));
  try {
    for (let load = 0; load < LOADS; load++) {
      for (const [i, site] of sites.entries()) {
        const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, serviceWorkers: 'block', colorScheme: 'dark' });
        const page = await context.newPage();
        await page.goto(`${site.url}#/targets`);
        await page.waitForFunction(() => window.signalboard && window.signalboard.bench, null, { timeout: 30000 });
        await page.waitForTimeout(1000); // start-up work (config, first scrape attempt) done
        const ms = await page.evaluate(async ([draws, w, h]) => {
          const out = [];
          for (let k = 0; k < draws; k++) {
            out.push(await window.signalboard.bench.draw(3, 100000, w, h));
            await new Promise((r) => setTimeout(r, 50));
          }
          return out;
        }, [DRAWS, W, H]);
        results[i].cold.push(ms[0]);
        results[i].warm.push(median(ms.slice(1)));
        await context.close();
      }
    }
  } finally {
    await browser.close();
    for (const s of sites) s.close();
  }
  for (const [i, r] of results.entries()) {
    console.log(JSON.stringify({ bench: 'draw', dist: dists[i], series: 3, points: 100000, size: `${W}x${H}`, loads: LOADS,
      coldMedianMs: round(median(r.cold)), warmMedianMs: round(median(r.warm)),
      cold: r.cold.map(round), warm: r.warm.map(round), jsFlags: process.env.BENCH_JS_FLAGS || '' }));
  }
})().catch((e) => { console.error(e); process.exit(1); });
