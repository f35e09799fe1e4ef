// End-to-end: the panel UI of issue 7 against the real demo service — the theme (dark by
// default, the OS setting until the user chooses, Grafana's dashboard `style`, the toggle kept
// across reloads), the time series legend in table mode (calcs checked against the engine's
// own query_range, sorting), the dashboard's shared crosshair/tooltip (`graphTooltip` 1 and 2),
// lazy drawing (panels far below the viewport are not queried until scrolled to), and the table
// panel's Grafana frames (Time/labels/Value, organize, applyToRow row colours).
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Processes, launchBrowser, newPage, waitFor, binary, serveStatic, prepareSite } = require('./support.cjs');

const procs = new Processes();
let browser, site, work, siteDir;

const RATE = 'sum by (endpoint) (rate(http_requests_total{job="demo"}[5s]))';

function timeseries(id, title, gridPos, extra = {}) {
  return { type: 'timeseries', id, title, gridPos, interval: '1s',
    targets: [{ refId: 'A', expr: RATE, legendFormat: '{{endpoint}}' }],
    fieldConfig: { defaults: { unit: 'reqps' }, overrides: [] }, ...extra };
}

function writeDashboard(name, dashboard) {
  fs.writeFileSync(path.join(siteDir, name), JSON.stringify({ schemaVersion: 39, uid: name, ...dashboard }));
}

before(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'signalboard-panels-ui-'));
  const demoUrl = (await procs.start(binary('signalboard-demo'), ['--listen', '127.0.0.1:0', '--rps', '30'],
    /listening on (http:\/\/\S+)/))[1];
  siteDir = path.join(work, 'site');
  prepareSite(siteDir, demoUrl);
  const stat = { type: 'stat', id: 9, title: 'Always one', gridPos: { x: 0, y: 0, w: 6, h: 4 },
    targets: [{ refId: 'A', expr: 'vector(1)' }],
    fieldConfig: { defaults: { thresholds: { mode: 'absolute', steps: [{ value: null, color: 'green' }] } }, overrides: [] } };
  writeDashboard('light.json', { title: 'Light', style: 'light', time: { from: 'now-1m', to: 'now' }, panels: [stat] });
  const three = [0, 8, 16].map((x, i) => timeseries(i + 1, `Rate ${i + 1}`, { x, y: 0, w: 8, h: 9 }));
  writeDashboard('shared2.json', { title: 'Shared tooltip', graphTooltip: 2, time: { from: 'now-1m', to: 'now' }, panels: three });
  writeDashboard('shared1.json', { title: 'Shared crosshair', graphTooltip: 1, time: { from: 'now-1m', to: 'now' }, panels: three });
  // The third panel ends below a 1000 px viewport.
  const cut = [timeseries(1, 'Rate 1', { x: 0, y: 0, w: 12, h: 9 }), timeseries(2, 'Rate 2', { x: 12, y: 0, w: 12, h: 9 }),
    timeseries(3, 'Below', { x: 0, y: 9, w: 24, h: 20 })];
  writeDashboard('shared2cut.json', { title: 'Shared tooltip, one panel below', graphTooltip: 2, time: { from: 'now-1m', to: 'now' }, panels: cut });
  const tall = Array.from({ length: 30 }, (_, i) => timeseries(i + 1, `Tall ${i + 1}`, { x: 0, y: i * 9, w: 24, h: 9 }));
  const kinds = 'label_replace(vector(1), "kind", "a", "", "") or label_replace(vector(2), "kind", "b", "", "")';
  const table = (id, title, x, extra) => ({ type: 'table', id, title, gridPos: { x, y: 0, w: 12, h: 8 },
    targets: [{ refId: 'A', expr: kinds, format: 'table', instant: true }], ...extra });
  writeDashboard('tables.json', { title: 'Tables', time: { from: 'now-1m', to: 'now' }, panels: [
    table(1, 'Plain', 0, { fieldConfig: { defaults: {}, overrides: [] } }),
    table(2, 'Organized', 12, {
      transformations: [{ id: 'organize', options: { excludeByName: { Time: true }, renameByName: { Value: 'Count' } } }],
      fieldConfig: { defaults: { thresholds: { mode: 'absolute', steps: [{ value: null, color: 'red' }, { value: 2, color: 'green' }] } },
        overrides: [{ matcher: { id: 'byName', options: 'Count' },
          properties: [{ id: 'custom.cellOptions', value: { type: 'color-background', mode: 'basic', applyToRow: true } }] }] } }),
    { ...table(3, 'Sorted', 0, {
      fieldConfig: { defaults: {}, overrides: [{ matcher: { id: 'byName', options: 'Time' }, properties: [{ id: 'custom.width', value: 200 }] }] },
      options: { cellHeight: 'sm', sortBy: [{ displayName: 'Value', desc: true }] } }), gridPos: { x: 0, y: 8, w: 12, h: 8 } },
  ] });
  writeDashboard('transparent.json', { title: 'Transparent', time: { from: 'now-1m', to: 'now' }, panels: [
    timeseries(1, 'Plain chart', { x: 0, y: 0, w: 12, h: 8 }),
    timeseries(2, 'Transparent chart', { x: 12, y: 0, w: 12, h: 8 }, { transparent: true }),
  ] });
  writeDashboard('tall.json', { title: 'Tall', time: { from: 'now-1m', to: 'now' }, panels: tall });
  site = await serveStatic(siteDir);
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (site) site.close();
  procs.stopAll();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

const rootTheme = (page) => page.getAttribute('html', 'data-theme');
const bodyBackground = (page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

test('theme: follows the OS until chosen; the toggle is kept; a light dashboard starts light', { timeout: 90000 }, async () => {
  const dark = await newPage(browser, { colorScheme: 'dark' });
  await dark.goto(site.url);
  await waitFor('dark theme', async () => (await rootTheme(dark)) === 'dark');
  assert.equal(await bodyBackground(dark), 'rgb(17, 18, 23)', "Grafana's dark canvas");

  const light = await newPage(browser, { colorScheme: 'light' });
  await light.goto(site.url);
  await waitFor('OS light theme', async () => (await rootTheme(light)) === 'light');
  assert.equal(await bodyBackground(light), 'rgb(244, 245, 245)', "Grafana's light canvas");
  await light.click('[data-testid="theme-toggle"]');
  assert.equal(await rootTheme(light), 'dark', 'the toggle switches at once');
  await light.reload();
  await light.waitForSelector('[data-testid="theme-toggle"]');
  assert.equal(await rootTheme(light), 'dark', 'the choice outlives a reload and beats the OS');

  // A dashboard saved with `style: "light"` starts light for a user who has not chosen, and
  // its threshold colours are the light theme's.
  const fresh = await newPage(browser, { colorScheme: 'dark' });
  await fresh.goto(`${site.url}?dashboard=light.json`);
  const value = '[data-panel-title="Always one"] [data-value]';
  await waitFor('light dashboard', async () => (await rootTheme(fresh)) === 'light');
  await waitFor('stat green (light)', async () => (await fresh.getAttribute(value, 'data-color').catch(() => null)) === '#56a64b');
  await fresh.click('[data-testid="theme-toggle"]');
  await waitFor('stat green (dark)', async () => (await fresh.getAttribute(value, 'data-color').catch(() => null)) === '#73bf69');
  assert.equal(await rootTheme(fresh), 'dark');
  for (const p of [dark, light, fresh]) assert.deepEqual(p.problems, []);
});

test('legend table: calcs equal the engine\'s query_range over the same range, sortable by header', { timeout: 90000 }, async () => {
  const page = await newPage(browser, { colorScheme: 'dark' });
  await page.goto(site.url);
  // A fixed past range, so the panel and query_range see the very same samples.
  await waitFor('20 s of scrapes', () => page.evaluate(async () => {
    const r = await window.signalboard.query('count_over_time(up{job="demo"}[30s])');
    return r.data.result.length > 0 && Number(r.data.result[0].value[1]) >= 20;
  }), 60000, 1000);
  const to = Math.floor(Date.now() / 1000) - 2;
  const from = to - 20;
  writeDashboard('legend.json', { title: 'Legend', time: { from: String(from * 1000), to: String(to * 1000) },
    panels: [timeseries(1, 'Rate', { x: 0, y: 0, w: 24, h: 12 }, { options: {
      legend: { showLegend: true, displayMode: 'table', placement: 'right', calcs: ['mean', 'max', 'lastNotNull'], sortBy: 'Max', sortDesc: true },
      tooltip: { mode: 'multi' } } })] });
  await page.goto(`${site.url}?dashboard=legend.json`);
  await page.waitForSelector('[data-panel-title="Rate"][data-state="ok"] [data-legend-table] tbody tr');
  const headers = await page.$$eval('[data-legend-table] thead th', (els) => els.map((e) => e.textContent.trim()));
  assert.deepEqual(headers, ['', 'Mean', 'Max ↓', 'Last *']);
  const rows = () => page.$$eval('[data-legend-table] tbody tr', (trs) => trs.map((tr) => ({
    name: tr.dataset.legend,
    ...Object.fromEntries([...tr.querySelectorAll('td[data-calc]')].map((td) => [td.dataset.calc, Number(td.dataset.value)])),
  })));
  const shown = await rows();
  assert.ok(shown.length >= 2, `series per endpoint: ${JSON.stringify(shown)}`);
  const expected = await page.evaluate(async ([expr, s, e]) => {
    const r = await window.signalboard.queryRange(expr, s, e, 1);
    return r.data.result.map((x) => {
      const vs = x.values.map((v) => Number(v[1]));
      return { name: x.metric.endpoint, max: Math.max(...vs), mean: vs.reduce((a, b) => a + b, 0) / vs.length, last: vs[vs.length - 1] };
    });
  }, [RATE, from, to]);
  for (const row of shown) {
    const want = expected.find((x) => x.name === row.name);
    assert.ok(want, `${row.name} in query_range`);
    for (const [calc, key] of [['max', 'max'], ['mean', 'mean'], ['lastNotNull', 'last']]) {
      assert.ok(Math.abs(row[calc] - want[key]) <= 1e-9 * Math.max(1, Math.abs(want[key])), `${row.name} ${calc}: legend ${row[calc]} vs query_range ${want[key]}`);
    }
  }
  const maxes = shown.map((r) => r.max);
  assert.deepEqual(maxes, [...maxes].sort((a, b) => b - a), 'sorted by Max, descending (sortBy/sortDesc)');
  // A header click sorts by that column (descending), a second click reverses.
  await page.click('[data-legend-table] th[data-sort-key="Mean"]');
  await page.click('[data-legend-table] th[data-sort-key="Mean"]');
  const means = (await rows()).map((r) => r.mean);
  assert.deepEqual(means, [...means].sort((a, b) => a - b), 'sorted by Mean, ascending');
  // Click isolates a series; the others are marked hidden.
  const first = (await rows())[0].name;
  await page.click(`[data-legend-table] tr[data-legend="${first}"]`);
  const hidden = await page.$$eval('[data-legend-table] tr.hidden', (trs) => trs.map((t) => t.dataset.legend));
  assert.equal(hidden.length, shown.length - 1);
  assert.ok(!hidden.includes(first));
  assert.deepEqual(page.problems, []);
});

// Whether each time series panel shows its crosshair (a visible 1 px element inside the plot).
const crosshairs = (page) => page.$$eval('[data-panel-type="timeseries"] .chart-area', (areas) => areas.map((a) => {
  const x = a.querySelector('.crosshair');
  if (!x || x.hidden || !x.hasAttribute('data-crosshair')) return false;
  const r = x.getBoundingClientRect();
  const area = a.getBoundingClientRect();
  return r.width >= 1 && r.height > 10 && r.left > area.left && r.right < area.right;
}));

async function hoverFirstChart(page) {
  await page.waitForSelector('[data-panel-title="Rate 3"][data-state="ok"]');
  await page.waitForTimeout(500);
  const box = await (await page.$('[data-panel-title="Rate 1"] .chart-area canvas')).boundingBox();
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 4 });
  await page.waitForTimeout(300);
}

test('graphTooltip 2: hovering one panel shows the crosshair and a tooltip on every time series panel', { timeout: 60000 }, async () => {
  const page = await newPage(browser, { colorScheme: 'dark' });
  await page.goto(`${site.url}?dashboard=shared2.json`);
  await hoverFirstChart(page);
  assert.deepEqual(await crosshairs(page), [true, true, true]);
  const tooltips = await page.$$eval('[data-panel-type="timeseries"]', (ps) => ps.map((p) => p.querySelectorAll('[data-tooltip]').length));
  assert.deepEqual(tooltips, [1, 1, 1]);
  const texts = await page.$$eval('[data-tooltip]', (ts) => ts.map((t) => t.textContent));
  for (const t of texts) assert.match(t, /\/api\/\S+: [\d.]+/, "every series with its value at the hovered time");
  // Grafana's header: the hovered sample's date and time, first in the tooltip.
  const heads = await page.$$eval('[data-tooltip]', (ts) => ts.map((t) => t.firstElementChild.hasAttribute('data-tooltip-time') && t.firstElementChild.textContent));
  assert.equal(heads.length, 3);
  for (const h of heads) assert.match(String(h), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/, `time header: ${h}`);
  // Moving on updates the same tooltip elements in place (no DOM rebuilt per mousemove).
  await page.$$eval('[data-tooltip], [data-tooltip] [data-row], [data-tooltip-time]', (els) => els.forEach((e) => { e.dataset.mark = 'kept'; }));
  // The demo's rare `unmatched` endpoint can appear between the two moves and add a row.
  const markedRows = await page.$$eval('[data-tooltip]', (ts) => ts.map((t) => t.querySelectorAll('[data-row]').length));
  const box = await (await page.$('[data-panel-title="Rate 1"] .chart-area canvas')).boundingBox();
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2, { steps: 4 });
  await page.waitForTimeout(300);
  // Each tooltip's box and its panel's crosshair x (the tooltip is placed by transform).
  const placed = () => page.$$eval('[data-tooltip]', (ts) => ts.map((t) => {
    const r = t.getBoundingClientRect();
    const x = t.closest('.chart-area').querySelector('.crosshair').getBoundingClientRect().x;
    return { kept: t.dataset.mark === 'kept', rows: [...t.querySelectorAll('[data-row]')].map((row) => row.dataset.mark === 'kept'),
      time: t.querySelector('[data-tooltip-time]').dataset.mark === 'kept', left: r.left, right: r.right, crosshair: x };
  }));
  const after = await placed();
  assert.equal(after.length, 3);
  for (const [i, t] of after.entries()) {
    const reused = t.rows.filter(Boolean).length;
    assert.ok(t.kept && t.time && reused > 0 && reused === markedRows[i], `tooltip nodes reused: ${JSON.stringify(t)} of ${markedRows[i]} rows`);
    assert.ok(t.left > t.crosshair + 5, `left half: placed right of the cursor: ${JSON.stringify(t)}`);
  }
  await page.mouse.move(box.x + box.width * 0.8, box.y + box.height / 2, { steps: 4 });
  await page.waitForTimeout(300);
  for (const t of await placed()) {
    assert.ok(t.right < t.crosshair - 5 && t.right > t.crosshair - 20, `right half: placed left of the cursor: ${JSON.stringify(t)}`);
  }
  await page.mouse.move(5, 5);
  await page.waitForTimeout(200);
  assert.equal(await page.$$eval('[data-tooltip]', (ts) => ts.length), 0, 'leaving hides them all');
  assert.deepEqual(await crosshairs(page), [false, false, false]);
  assert.deepEqual(page.problems, []);
});

test('graphTooltip 2: like Grafana, a panel not wholly in view shows the crosshair but no tooltip', { timeout: 60000 }, async () => {
  const page = await newPage(browser, { colorScheme: 'dark' });
  await page.goto(`${site.url}?dashboard=shared2cut.json`);
  await page.waitForSelector('[data-panel-title="Below"][data-drawn="true"]');
  await page.waitForSelector('[data-panel-title="Rate 2"][data-state="ok"]');
  const below = await (await page.$('[data-panel-title="Below"] .chart-area')).boundingBox();
  assert.ok(below.y + below.height > 1000, `the third chart is not wholly in the viewport: ${JSON.stringify(below)}`);
  const box = await (await page.$('[data-panel-title="Rate 1"] .chart-area canvas')).boundingBox();
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 4 });
  await page.waitForTimeout(300);
  assert.deepEqual(await crosshairs(page), [true, true, true]);
  const tooltips = await page.$$eval('[data-panel-type="timeseries"]', (ps) => ps.map((p) => p.querySelectorAll('[data-tooltip]').length));
  assert.deepEqual(tooltips, [1, 1, 0]);
  assert.deepEqual(page.problems, []);
});

test('graphTooltip 1: the crosshair is shared, the tooltip only on the hovered panel', { timeout: 60000 }, async () => {
  const page = await newPage(browser, { colorScheme: 'dark' });
  await page.goto(`${site.url}?dashboard=shared1.json`);
  await hoverFirstChart(page);
  assert.deepEqual(await crosshairs(page), [true, true, true]);
  const tooltips = await page.$$eval('[data-panel-type="timeseries"]', (ps) => ps.map((p) => p.querySelectorAll('[data-tooltip]').length));
  assert.deepEqual(tooltips, [1, 0, 0]);
  assert.deepEqual(page.problems, []);
});

test('lazy drawing: panels far below the viewport are not queried until scrolled into view', { timeout: 60000 }, async () => {
  const page = await newPage(browser, { colorScheme: 'dark' });
  await page.goto(`${site.url}?dashboard=tall.json`);
  await page.waitForSelector('[data-panel-title="Tall 1"][data-drawn="true"]');
  await page.waitForTimeout(3000); // several scrapes: anything eager would have drawn by now
  const drawn = () => page.$$eval('[data-panel-id]', (els) => els.map((e) => e.dataset.drawn === 'true'));
  const first = await drawn();
  assert.equal(first.length, 30);
  const count = first.filter(Boolean).length;
  assert.ok(count >= 2 && count <= 8, `panels drawn near a 1000 px viewport: ${count}`);
  assert.equal(await page.getAttribute('[data-panel-title="Tall 30"]', 'data-state'), 'loading');
  // Before its first data a panel draws nothing (Grafana's skipFirstRender) and shows a loading bar.
  const firstLoad = () => page.$eval('[data-panel-title="Tall 30"]', (p) => ({
    bar: p.querySelectorAll('[data-loading]').length,
    hidden: [...p.querySelector('.panel-body').children].every((c) => getComputedStyle(c).visibility === 'hidden'),
  }));
  assert.deepEqual(await firstLoad(), { bar: 1, hidden: true });
  const log = await page.evaluate(() => window.signalboard.drawLog());
  assert.ok(!log.panels.some((p) => p.id === 30), 'the last panel was never drawn');
  await page.$eval('[data-panel-title="Tall 30"]', (e) => e.scrollIntoView());
  await page.waitForSelector('[data-panel-title="Tall 30"][data-drawn="true"][data-state="ok"]', { timeout: 10000 });
  assert.deepEqual(await firstLoad(), { bar: 0, hidden: false });
  const after = await page.evaluate(() => window.signalboard.drawLog());
  assert.ok(after.panels.some((p) => p.id === 30 && p.drawnAt > 0), 'drawn after scrolling');
  assert.equal(await page.getAttribute('[data-panel-title="Tall 15"]', 'data-drawn'), 'false', 'panels scrolled past are skipped');
  assert.deepEqual(page.problems, []);
});

test('a chart keeps its drawn size when its box grows, and fills the box again at the redraw a window resize queues', { timeout: 60000 }, async () => {
  const page = await newPage(browser, { colorScheme: 'dark' });
  await page.goto(`${site.url}?dashboard=shared2.json`);
  await page.waitForSelector('[data-panel-title="Rate 1"][data-state="ok"]');
  const area = '[data-panel-title="Rate 1"] .chart-area';
  await waitFor('the chart drawn', () => page.$eval(`${area} canvas`, (c) => c.style.width !== ''), 10000, 50);
  const sizes = () => page.$eval(area, (a) => ({ area: a.clientWidth, canvas: a.querySelector('canvas').getBoundingClientRect().width }));
  const before = await sizes();
  assert.equal(before.canvas, before.area, 'drawn to fill its box');
  // The box grows without a redraw (as between a window resize and the queued redraw): the
  // old picture stays at its drawn size, as uPlot's canvas does, instead of being stretched.
  // (Grown and measured in one task: a scrape's redraw may come at any frame.)
  const grown = await page.$eval(area, (a) => {
    a.style.width = `${a.clientWidth + 120}px`;
    return { area: a.clientWidth, canvas: a.querySelector('canvas').getBoundingClientRect().width };
  });
  assert.equal(grown.area, before.area + 120);
  assert.equal(grown.canvas, before.canvas, 'not stretched before its redraw');
  await page.evaluate(() => window.dispatchEvent(new Event('resize')));
  await waitFor('the redraw to fill the grown box', async () => {
    const s = await sizes();
    return s.canvas === s.area;
  }, 5000, 50);
  assert.deepEqual(page.problems, []);
});

test('dragging across a time series chart shows the selection and zooms the dashboard to it', { timeout: 60000 }, async () => {
  const page = await newPage(browser, { colorScheme: 'dark' });
  await page.goto(`${site.url}?dashboard=shared1.json`);
  await hoverFirstChart(page);
  const box = await (await page.$('[data-panel-title="Rate 1"] .chart-area canvas')).boundingBox();
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * 0.3, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.6, y, { steps: 4 });
  await page.waitForTimeout(200);
  const shown = await page.$eval('[data-panel-title="Rate 1"] .selection', (s) => ({ hidden: s.hidden, width: s.getBoundingClientRect().width }));
  assert.equal(shown.hidden, false);
  assert.ok(Math.abs(shown.width - box.width * 0.3) < 3, `selection spans the drag: ${JSON.stringify(shown)} of ${box.width}`);
  await page.mouse.up();
  await page.waitForFunction(() => /[?&]from=\d+/.test(location.href) && /[?&]to=\d+/.test(location.href));
  const url = new URL(page.url());
  const span = Number(url.searchParams.get('to')) - Number(url.searchParams.get('from'));
  // 30% of the chart's width, of which the plot (without the y axis) is most: a part of the 1 min range.
  assert.ok(span > 10000 && span < 30000, `zoomed to ${span} ms`);
  assert.equal(await page.$eval('[data-panel-title="Rate 1"] .selection', (s) => s.hidden), true, 'selection hidden after the drag');
  assert.deepEqual(page.problems, []);
});

test('transparent: true panels have no background or border, and their chart shows the page through', { timeout: 60000 }, async () => {
  const page = await newPage(browser, { colorScheme: 'dark' });
  await page.goto(`${site.url}?dashboard=transparent.json`);
  const look = (title) => page.$eval(`[data-panel-title="${title}"]`, (panel) => {
    const canvas = panel.querySelector('.chart-area canvas');
    const pixel = [...canvas.getContext('2d').getImageData(canvas.width - 2, 1, 1, 1).data];
    const style = getComputedStyle(panel);
    return { drawn: panel.dataset.drawn, background: style.backgroundColor, border: style.borderTopColor, pixel };
  });
  await waitFor('both charts drawn', async () => (await look('Plain chart')).drawn === 'true'
    && (await look('Transparent chart')).drawn === 'true', 30000);
  const plain = await look('Plain chart');
  const clear = await look('Transparent chart');
  assert.equal(plain.background, 'rgb(24, 27, 31)', 'a plain panel has the panel colour');
  assert.deepEqual(plain.pixel, [24, 27, 31, 255], 'a plain chart paints the panel colour (opaque canvas)');
  assert.equal(clear.background, 'rgba(0, 0, 0, 0)');
  assert.equal(clear.border, 'rgba(0, 0, 0, 0)');
  assert.equal(clear.pixel[3], 0, `the transparent chart leaves its background unpainted: ${clear.pixel}`);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('table: a format-table query shows Time, labels and Value; organize hides and renames; applyToRow colours rows', { timeout: 60000 }, async () => {
  const page = await newPage(browser);
  await page.goto(`${site.url}?dashboard=tables.json`);
  const cells = (title) => page.$$eval(`[data-panel-title="${title}"] tbody tr`, (trs) => trs.map((tr) => ({
    style: tr.getAttribute('style') || '', cells: [...tr.querySelectorAll('td')].map((td) => td.textContent.trim()) })));
  const headers = (title) => page.$$eval(`[data-panel-title="${title}"] thead th`, (ths) => ths.map((t) => t.textContent.trim()));
  await waitFor('plain table rows', async () => (await cells('Plain')).length === 2, 30000);
  assert.deepEqual(await headers('Plain'), ['Time', 'kind', 'Value']);
  const plain = await cells('Plain');
  assert.match(plain[0].cells[0], /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/, 'Time in the dashboard time format');
  assert.deepEqual(plain.map((r) => r.cells.slice(1)), [['a', '1'], ['b', '2']]);
  await waitFor('organized table rows', async () => (await cells('Organized')).length === 2, 30000);
  assert.deepEqual(await headers('Organized'), ['kind', 'Count']);
  const rows = await cells('Organized');
  assert.deepEqual(rows.map((r) => r.cells), [['a', '1'], ['b', '2']]);
  assert.match(rows[0].style, /background:\s*rgb\(242, 73, 92\)/, 'below 2: the whole row red');
  assert.match(rows[1].style, /background:\s*rgb\(115, 191, 105\)/, '2: the whole row green');
  await page.close();
});

test('table: options.sortBy sorts on open, header clicks cycle the sort; custom.width and the shared rest; the sm row pitch', { timeout: 60000 }, async () => {
  const page = await newPage(browser);
  await page.goto(`${site.url}?dashboard=tables.json`);
  const kinds = () => page.$$eval('[data-panel-title="Sorted"] tbody tr', (trs) => trs.map((tr) => tr.querySelectorAll('td')[1].textContent));
  await waitFor('sorted table rows', async () => (await kinds()).length === 2, 30000);
  assert.deepEqual(await kinds(), ['b', 'a'], 'sortBy Value descending');
  assert.equal(await page.textContent('[data-panel-title="Sorted"] thead th:nth-child(3) .sort-arrow'), '\u2193');
  const value = '[data-panel-title="Sorted"] thead th:nth-child(3)';
  await page.click(value);
  assert.deepEqual(await kinds(), ['a', 'b'], 'descending → unsorted: frame order');
  assert.equal(await page.$(`${value} .sort-arrow`), null);
  await page.click(value);
  assert.deepEqual(await kinds(), ['a', 'b'], 'ascending');
  await page.click(value);
  assert.deepEqual(await kinds(), ['b', 'a'], 'descending');
  const geometry = await page.$eval('[data-panel-title="Sorted"] .table-scroll', (el) => ({
    available: el.clientWidth,
    widths: [...el.querySelectorAll('tbody tr:first-child td')].map((td) => td.getBoundingClientRect().width),
    rows: [...el.querySelectorAll('tbody tr')].map((tr) => tr.getBoundingClientRect().height),
    header: el.querySelector('thead tr').getBoundingClientRect().height,
  }));
  const share = (geometry.available - 200) / 2;
  assert.ok(share > 150, `the panel is wide enough to share: ${JSON.stringify(geometry)}`);
  assert.ok(Math.abs(geometry.widths[0] - 200) < 1, `Time is custom.width 200: ${geometry.widths}`);
  for (const w of geometry.widths.slice(1)) assert.ok(Math.abs(w - share) < 1, `the rest share ${share}: ${geometry.widths}`);
  assert.ok(Math.abs(geometry.rows[0] - 35) < 0.5, `sm rows are 35 px apart: ${geometry.rows}`);
  assert.ok(Math.abs(geometry.header - 28) < 0.5, `28 px header: ${geometry.header}`);
  assert.deepEqual(page.problems, []);
  await page.close();
});
