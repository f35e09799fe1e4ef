// Benchmark (reported, not a pass/fail test): a full refresh of Node Exporter Full
// (../shared/fixtures/grafana/node-exporter-full.json) against a real prometheus-node-exporter
// scraped by the app through `signalboard-cli serve`. For each new scrape the app records when
// the data arrived and when every panel finished drawing it (`window.signalboard.drawLog()`,
// performance.now() ms, stamped at the first animation frame after the panel's view updated),
// and this script reports the time from data ready to the last panel drawn:
//   visible — the panels in (or near) a 1400×1000 viewport, as a user sees the dashboard;
//   all     — every row expanded and a viewport as tall as the whole dashboard, so every
//             panel is in view and redraws on each scrape.
// Prints one JSON line per case: median and max over several refreshes, and the panel count.
//
//   node scripts/bench-refresh.cjs [--refreshes 5]
// Needs dist/ (SIGNALBOARD_DIST), target/release/signalboard-cli (SIGNALBOARD_BIN_DIR),
// prometheus-node-exporter on PATH and NODE_PATH with playwright-core.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ROOT, DIST, Processes, launchBrowser, freePort, waitFor, binary } = require('../tests/e2e/support.cjs');

const FIXTURE = path.join(ROOT, '..', 'shared', 'fixtures', 'grafana', 'node-exporter-full.json');
const REFRESHES = Number(process.argv[process.argv.indexOf('--refreshes') + 1]) || 5;
const SCRAPE_S = 5;

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const round = (x) => Math.round(x * 10) / 10;

// Waits for the next scrape's data, then (before the scrape after it) for the drawing to
// settle; returns {ms, panels}: data ready → last panel drawn of that version.
async function oneRefresh(page) {
  const before = await page.evaluate(() => window.signalboard.drawLog().dataVersion);
  await waitFor('a new scrape', () => page.evaluate((v) => window.signalboard.drawLog().dataVersion > v, before), 20000, 50);
  await page.waitForTimeout((SCRAPE_S - 1.5) * 1000);
  return page.evaluate(() => {
    const log = window.signalboard.drawLog();
    const drawn = log.panels.filter((p) => p.version === log.dataVersion);
    return { ms: Math.max(0, ...drawn.map((p) => p.drawnAt - log.dataAt)), panels: drawn.length };
  });
}

async function refreshes(page, label) {
  const runs = [];
  for (let i = 0; i < REFRESHES; i++) runs.push(await oneRefresh(page));
  const shown = await page.$$eval('[data-panel-id]:not([data-panel-type="row"])', (els) => els.length);
  console.log(JSON.stringify({ bench: 'refresh', dashboard: 'node-exporter-full', case: label,
    panelsOnPage: shown, panelsRedrawn: median(runs.map((r) => r.panels)),
    medianMs: round(median(runs.map((r) => r.ms))), maxMs: round(Math.max(...runs.map((r) => r.ms))),
    runsMs: runs.map((r) => round(r.ms)) }));
}

(async () => {
  const procs = new Processes();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'signalboard-bench-refresh-'));
  let browser;
  try {
    const nodeHost = `127.0.0.1:${await freePort()}`;
    await procs.start('prometheus-node-exporter', [`--web.listen-address=${nodeHost}`], /Listening on|msg="Listening/);
    const site = path.join(work, 'site');
    fs.cpSync(DIST, site, { recursive: true });
    fs.copyFileSync(FIXTURE, path.join(site, 'node-exporter-full.json'));
    fs.writeFileSync(path.join(site, 'config.json'), JSON.stringify({
      global: { scrape_interval: `${SCRAPE_S}s`, scrape_timeout: '4s' },
      scrape_configs: [{ job_name: 'node', static_configs: [{ targets: [nodeHost] }] }],
    }));
    const appUrl = (await procs.start(binary('signalboard-cli'), ['serve', '--dist', site, '--listen', '127.0.0.1:0'],
      /serve: (http:\/\/\S+\/)/))[1];
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, colorScheme: 'dark', serviceWorkers: 'block' });
    const page = await context.newPage();
    await page.goto(`${appUrl}?dashboard=node-exporter-full.json`);
    await page.waitForSelector('[data-panel-title="CPU Busy"][data-state="ok"]', { timeout: 60000 });
    await page.waitForTimeout(2 * SCRAPE_S * 1000); // variables settled, a few scrapes stored
    await refreshes(page, 'visible');

    // Every row expanded, the viewport as tall as the page: every panel redraws per scrape.
    for (let i = 0; i < 40; i++) {
      const row = await page.$('[data-panel-type="row"][data-collapsed="true"]');
      if (!row) break;
      await row.click();
      await page.waitForTimeout(100);
    }
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width: 1400, height: Math.min(height + 200, 32000) });
    await waitFor('every panel drawn', () => page.$$eval('[data-panel-id]:not([data-panel-type="row"])',
      (els) => els.every((e) => e.dataset.drawn === 'true')), 60000, 500);
    await refreshes(page, 'all');
  } finally {
    if (browser) await browser.close();
    procs.stopAll();
    fs.rmSync(work, { recursive: true, force: true });
  }
})().catch((e) => { console.error(e); process.exit(1); });
