// Hostile dashboards and scraped data (corpus: tests/e2e/hostile/*.json, plus label values
// served by signalboard-faultserver's /hostile/metrics): script in titles, descriptions,
// legends, table cells, text panels (HTML, markdown, SVG), variable values, link URLs with
// javascript:/data:/vbscript:. Each dashboard is loaded in Chromium and exercised (hover,
// variable pickers); the test fails on any dialog, any script execution (every payload sets
// window.__pwned), any navigation, popup or frame, and on any event-handler attribute or
// script-capable URL left in the DOM.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Processes, launchBrowser, binary, serveStatic, prepareSite } = require('./support.cjs');

const CORPUS = path.join(__dirname, 'hostile');
const procs = new Processes();
let browser, site, work, config;

before(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'signalboard-hostile-'));
  const demoUrl = (await procs.start(binary('signalboard-demo'), ['--listen', '127.0.0.1:0', '--rps', '10'],
    /listening on (http:\/\/\S+)/))[1];
  const faultUrl = (await procs.start(binary('signalboard-faultserver'), [], /listening on (http:\/\/\S+)/))[1];
  prepareSite(path.join(work, 'site'), demoUrl);
  fs.cpSync(CORPUS, path.join(work, 'site', 'hostile'), { recursive: true });
  site = await serveStatic(path.join(work, 'site'));
  config = `${faultUrl}/config.json?demo=${new URL(demoUrl).host}&interval=1s&jobs=hostile`;
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (site) site.close();
  procs.stopAll();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

/** Everything in the DOM that could run script if clicked, loaded or rendered. */
function scriptCapableDom() {
  const bad = [];
  const unsafeUrl = /^\s*(javascript|data|vbscript):/i;
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    if (['script', 'iframe', 'object', 'embed', 'base', 'meta', 'form', 'frame', 'link'].includes(tag) && !el.closest('head')) {
      bad.push(`<${tag}>`);
    }
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on')) bad.push(`<${tag} ${name}>`);
      if (['href', 'src', 'action', 'formaction', 'xlink:href', 'srcdoc', 'data'].includes(name) && unsafeUrl.test(attr.value)) {
        bad.push(`<${tag} ${name}="${attr.value.slice(0, 40)}">`);
      }
      if (name === 'srcdoc') bad.push(`<${tag} srcdoc>`);
    }
  }
  return bad;
}

for (const file of fs.readdirSync(CORPUS).filter((f) => f.endsWith('.json')).sort()) {
  test(`hostile corpus ${file}: runs nothing, navigates nowhere`, { timeout: 90000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, serviceWorkers: 'block' });
    const events = [];
    const page = await context.newPage();
    context.on('page', (p) => events.push(`popup: ${p.url()}`));
    page.on('dialog', (d) => { events.push(`dialog: ${d.message()}`); d.dismiss().catch(() => {}); });
    page.on('pageerror', (e) => events.push(`pageerror: ${e.message}`));
    page.on('frameattached', (f) => events.push(`frame attached: ${f.url()}`));
    await page.addInitScript(() => {
      sessionStorage.setItem('documentLoads', String(Number(sessionStorage.getItem('documentLoads') || 0) + 1));
    });
    const url = `${site.url}?config=${encodeURIComponent(config)}&dashboard=${encodeURIComponent(`${site.url}hostile/${file}`)}`;
    await page.goto(url);
    await page.waitForSelector('[data-dashboard-title]', { timeout: 30000 });
    await page.waitForFunction(() => window.signalboard.targets().some((t) => t.job === 'hostile' && t.health === 'up'),
      null, { timeout: 20000 });
    await page.waitForTimeout(3000);
    // Exercise: open variable pickers, hover every panel (tooltips, legends).
    // (DOM clicks: an opened picker overlays the next one.)
    for (const summary of await page.$$('.variables summary')) await summary.evaluate((el) => el.click());
    for (const select of await page.$$('.variables select')) {
      for (const value of await select.$$eval('option', (os) => os.map((o) => o.value))) {
        await select.selectOption(value).catch(() => {});
      }
    }
    for (const panel of await page.$$('[data-panel-id]')) {
      const box = await panel.boundingBox();
      if (box) await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 3 });
    }
    await page.waitForTimeout(1500);

    const pwned = await Promise.all(page.frames().map((f) => f.evaluate(() => window.__pwned).catch(() => undefined)));
    assert.deepEqual(pwned.filter((p) => p !== undefined), [], 'no payload ran');
    assert.deepEqual(events, [], 'no dialog, popup, frame or page error');
    assert.equal(page.frames().length, 1, 'no frame');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('documentLoads')), '1', 'no navigation');
    assert.equal(new URL(page.url()).origin + new URL(page.url()).pathname, site.url);
    assert.deepEqual(await page.evaluate(scriptCapableDom), [], 'nothing script-capable in the DOM');
    // The hostile text really reached the page, as text (links.json: the app does not render
    // dashboard, panel or data links at all, so its payloads never reach the DOM).
    if (file !== 'links.json') {
      const text = await page.evaluate(() => document.body.innerText);
      assert.match(text, /window\.__pwned|<script>|javascript:/, 'payloads are shown as text');
    }
    await context.close();
  });
}
