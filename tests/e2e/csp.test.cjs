// The release app under the strict Content-Security-Policy documented in README.md: no inline
// script (public/boot.js starts the app), no inline style attributes (styles are set through
// CSSOM). Serves dist/ with the policy header and asserts the app boots, the dashboard's panels
// render ok, and not a single violation is reported (securitypolicyviolation events + console).
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Processes, launchBrowser, binary, serveStatic, prepareSite } = require('./support.cjs');

const POLICY = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; " +
  "img-src 'self' data:; connect-src *";
const procs = new Processes();
let browser, site, work;

before(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'signalboard-csp-'));
  const demoUrl = (await procs.start(binary('signalboard-demo'), ['--listen', '127.0.0.1:0', '--rps', '30'],
    /listening on (http:\/\/\S+)/))[1];
  prepareSite(path.join(work, 'site'), demoUrl);
  site = await serveStatic(path.join(work, 'site'), { 'Content-Security-Policy': POLICY });
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (site) site.close();
  procs.stopAll();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('dist/ has no inline script', () => {
  const html = fs.readFileSync(path.join(work, 'site', 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.ok(scripts.length >= 1, 'the boot script tag');
  for (const [, attrs, body] of scripts) {
    assert.match(attrs, /\bsrc=/, `script without src: ${attrs}`);
    assert.equal(body.trim(), '', 'script tags carry no code');
  }
  assert.doesNotMatch(html, /\son[a-z]+=/i, 'no event-handler attributes');
  assert.doesNotMatch(html, /\sstyle=/i, 'no style attributes');
});

test('the app boots and renders its panels under a strict CSP without a violation', { timeout: 90000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, serviceWorkers: 'block' });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error' || /Content.Security.Policy/i.test(m.text())) problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber} ${e.sample}`);
    });
  });
  const response = await page.goto(site.url);
  assert.equal(response.headers()['content-security-policy'], POLICY);
  await page.waitForSelector('[data-panel-title="Request rate"][data-state="ok"]', { timeout: 30000 });
  await page.waitForSelector('[data-panel-title="p95 latency"][data-state="ok"]', { timeout: 30000 });
  await page.waitForTimeout(3000);
  // Hover a chart (tooltip with swatches: styles set at run time) and visit the other pages.
  const chart = await page.$('[data-panel-type="timeseries"] canvas');
  const box = chart && await chart.boundingBox();
  if (box) await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
  await page.waitForTimeout(500);
  const states = await page.$$eval('[data-panel-id][data-state]', (els) => els.map((e) => e.dataset.state));
  assert.ok(states.length >= 20, `panels rendered: ${states.length}`);
  assert.deepEqual(states.filter((s) => s === 'error' || s === 'unsupported'), []);
  // Styles set from Rust really apply (CSSOM, allowed by style-src 'self').
  const styled = await page.$$eval('.panel-cell', (els) => els.filter((e) => e.style.length > 0).length);
  assert.ok(styled >= 20, `panel cells carry their grid styles: ${styled}`);
  for (const hash of ['#/targets', '#/import']) {
    await page.evaluate((h) => { location.hash = h; }, hash);
    await page.waitForTimeout(1000);
    if (hash === '#/targets') {
      // The policy lets the scrape worker run (worker-src falls back to script-src 'self').
      assert.equal(await page.$eval('[data-ingest-mode]', (e) => e.dataset.ingestMode), 'worker');
    }
  }
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(problems, []);
  await context.close();
});
