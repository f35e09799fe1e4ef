// Takes the README's screenshots from the real app: docs/golden-signals[-light].png (the demo
// service's golden-signals dashboard) and docs/fixture-node-exporter-full[-light].png (the
// public Node Exporter Full dashboard against a real prometheus-node-exporter), in Grafana's
// dark and light themes. Run through scripts/docs-screenshots.sh, which builds what is needed.
//
//   node scripts/docs-screenshots.cjs [--warmup SECONDS] [--out DIR]
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ROOT, DIST, Processes, launchBrowser, freePort, waitFor, binary } = require('../tests/e2e/support.cjs');

const arg = (name, dflt) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : dflt; };
const WARMUP_S = Number(arg('--warmup', '150'));
// The range shown: whole minutes the warm-up filled.
const RANGE = `from=now-${Math.max(1, Math.floor(WARMUP_S / 60))}m&to=now`;
const OUT = path.resolve(arg('--out', path.join(ROOT, 'docs')));
const FIXTURE = path.join(ROOT, '..', 'shared', 'fixtures', 'grafana', 'node-exporter-full.json');

// Opens `url`, waits for `ready`, and shoots it in both themes (the app follows the emulated
// OS setting live, as no theme was chosen in this profile).
async function shoot(page, url, name, ready) {
  await page.goto(url);
  await page.waitForSelector(ready, { timeout: 60000 });
  await page.waitForTimeout(4000); // a couple of scrapes: every visible panel drawn
  await page.mouse.move(5, 995); // no hover effects in the picture
  for (const [theme, suffix] of [['dark', ''], ['light', '-light']]) {
    await page.emulateMedia({ colorScheme: theme });
    await waitFor(`${theme} theme`, async () => (await page.getAttribute('html', 'data-theme')) === theme, 5000, 100);
    await page.waitForTimeout(1000);
    const file = `${name}${suffix}.png`;
    await page.screenshot({ path: path.join(OUT, file) });
    const states = await page.$$eval('[data-panel-id][data-drawn="true"]', (els) => els.map((e) => e.dataset.state));
    console.log(`${file}: ${states.length} panels drawn (${states.filter((s) => s !== 'ok').length} not ok)`);
  }
}

(async () => {
  const procs = new Processes();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'signalboard-docs-shots-'));
  let browser;
  try {
    const nodeHost = `127.0.0.1:${await freePort()}`;
    await procs.start('prometheus-node-exporter', [`--web.listen-address=${nodeHost}`], /Listening on|msg="Listening/);
    const demo = (await procs.start(binary('signalboard-demo'), ['--listen', '127.0.0.1:0', '--rps', '40'],
      /listening on (http:\/\/\S+)/))[1];
    const site = path.join(work, 'site');
    fs.cpSync(DIST, site, { recursive: true });
    fs.copyFileSync(FIXTURE, path.join(site, 'node-exporter-full.json'));
    fs.writeFileSync(path.join(site, 'config.json'), JSON.stringify({
      global: { scrape_interval: '2s', scrape_timeout: '2s' },
      scrape_configs: [
        { job_name: 'demo', static_configs: [{ targets: [new URL(demo).host] }] },
        { job_name: 'node', static_configs: [{ targets: [nodeHost] }] },
      ],
      probes: [{ name: 'demo-health', url: `${demo}/health`, interval: '5s' }],
      dashboards: ['dashboards/golden-signals.json'],
    }));
    const appUrl = (await procs.start(binary('signalboard-cli'), ['serve', '--dist', site, '--listen', '127.0.0.1:0'],
      /serve: (http:\/\/\S+\/)/))[1];
    browser = await launchBrowser();
    // One profile throughout: the history scraped during the warm-up is reloaded with each page.
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, colorScheme: 'dark', serviceWorkers: 'block' });
    const page = await context.newPage();
    await page.goto(appUrl);
    console.log(`warming up for ${WARMUP_S}s of scrapes...`);
    await page.waitForTimeout(WARMUP_S * 1000);
    fs.mkdirSync(OUT, { recursive: true });
    await shoot(page, `${appUrl}?${RANGE}`, 'golden-signals', '[data-panel-title="Request rate"][data-state="ok"]');
    await shoot(page, `${appUrl}?dashboard=node-exporter-full.json&${RANGE}`, 'fixture-node-exporter-full',
      '[data-panel-title="CPU Busy"][data-state="ok"]');
  } finally {
    if (browser) await browser.close();
    procs.stopAll();
    fs.rmSync(work, { recursive: true, force: true });
  }
})().catch((e) => { console.error(e); process.exit(1); });
