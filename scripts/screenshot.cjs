// Takes a screenshot of a running Signalboard page: node scripts/screenshot.cjs URL OUT.png [waitMs]
// (NODE_PATH must contain playwright-core; see scripts/setup-tools.sh --test).
'use strict';
const { chromium } = require('playwright-core');
const os = require('node:os');
const fs = require('node:fs');
const path = require('node:path');

(async () => {
  const [url, out, wait = '8000', width = '1400', height = '1000'] = process.argv.slice(2);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-shot-'));
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage({ viewport: { width: Number(width), height: Number(height) } });
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') console.error(`console.${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => console.error(`pageerror: ${e.message}`));
  await page.goto(url);
  await page.waitForTimeout(Number(wait));
  await page.screenshot({ path: out, fullPage: process.env.FULL === '1' });
  const states = await page.$$eval('[data-panel-id][data-state]', (els) => els.map((e) => `${e.dataset.panelTitle}=${e.dataset.state}`));
  console.log(states.join('\n'));
  await browser.close();
  fs.rmSync(dir, { recursive: true, force: true });
})().catch((e) => { console.error(e); process.exit(1); });
