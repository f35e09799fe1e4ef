// End-to-end: the same dashboards on a real Prometheus server (Debian's `prometheus`) through
// its HTTP API, compared with the in-browser engine over the very same samples.
//
// Prometheus scrapes the demo service every 2 s. The page scrapes Prometheus's /federate
// endpoint every 1 s (honor_labels, through `signalboard-cli serve`, since /federate sends no
// CORS headers), so its store holds exactly Prometheus's samples with Prometheus's timestamps.
// A small in-process server plays broken, failing, hanging and request-counting Prometheus
// servers for the error, timeout, deduplication and cancellation checks.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { ROOT, DIST, binary, Processes, launchBrowser, newPage, freePort, waitFor, withoutCorsFallback } = require('./helpers.cjs');

const procs = new Processes();
const GOLDEN = JSON.parse(fs.readFileSync(path.join(ROOT, 'public/dashboards/golden-signals.json'), 'utf8'));
let browser, work, appUrl, promUrl, fakeUrl, fakeServer;
// What the fake servers saw: every request path, and the requests the client gave up on.
const seen = { requests: [], aborted: [] };

function startFakePrometheus() {
  fakeServer = http.createServer((req, res) => {
    const started = Date.now();
    seen.requests.push({ url: req.url, at: started });
    const cors = { 'Access-Control-Allow-Origin': '*' };
    const [, kind, ...rest] = req.url.split('/');
    if (kind === 'bad') {
      res.writeHead(400, { ...cors, 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ status: 'error', errorType: 'bad_data', error: '1:5: parse error: unexpected <by>' }));
    } else if (kind === 'down') {
      res.writeHead(503, { ...cors, 'Content-Type': 'text/plain' });
      res.end('Service Unavailable');
    } else if (kind === 'slow') {
      // Never answers; records when the client hangs up.
      res.on('close', () => seen.aborted.push({ url: req.url, afterMs: Date.now() - started }));
    } else if (kind === 'count') {
      fetch(`${promUrl}/${rest.join('/')}`).then(async (r) => {
        res.writeHead(r.status, { ...cors, 'Content-Type': 'application/json' });
        res.end(await r.text());
      }, (e) => { res.writeHead(502, cors); res.end(String(e)); });
    } else {
      res.writeHead(404, cors);
      res.end();
    }
  });
  return new Promise((resolve) => fakeServer.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${fakeServer.address().port}`)));
}

async function startPrometheus(demoHost) {
  const port = await freePort();
  const dir = path.join(work, 'prometheus');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'prometheus.yml'),
    `global:\n  scrape_interval: 2s\nscrape_configs:\n  - job_name: demo\n    static_configs:\n      - targets: ['${demoHost}']\n`);
  await procs.start('prometheus', [`--config.file=${dir}/prometheus.yml`, `--storage.tsdb.path=${dir}/data`,
    `--web.listen-address=127.0.0.1:${port}`], /Server is ready to receive web requests/);
  const url = `http://127.0.0.1:${port}`;
  await waitFor('Prometheus to have scraped the demo', async () => {
    const r = await (await fetch(`${url}/api/v1/query?query=up{job="demo"}`)).json();
    return r.data.result.length === 1 && r.data.result[0].value[1] === '1';
  });
  return url;
}

// A dashboard with two identical panels (one request) and a third with another query.
function dedupDashboard() {
  const stat = (id, x, expr) => ({ type: 'stat', id, title: `panel ${id}`, gridPos: { x, y: 0, w: 6, h: 4 },
    targets: [{ refId: 'A', expr }] });
  return { title: 'dedup', schemaVersion: 39, time: { from: 'now-5m', to: 'now' }, refresh: '1h',
    panels: [stat(1, 0, 'sum(up)'), stat(2, 6, 'sum(up)'), stat(3, 12, 'count(up)')] };
}

before(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'signalboard-e2e-api-'));
  const demo = await procs.start(binary('signalboard-demo'),
    ['--listen', '127.0.0.1:0', '--rps', '30'], /listening on (http:\/\/\S+)/);
  promUrl = await startPrometheus(new URL(demo[1]).host);
  fakeUrl = await startFakePrometheus();
  const site = path.join(work, 'site');
  fs.cpSync(DIST, site, { recursive: true });
  const config = {
    global: { scrape_interval: '5s', scrape_timeout: '4s' },
    scrape_configs: [{ job_name: 'federate', metrics_path: '/federate', honor_labels: true,
      params: { 'match[]': ['{job="demo"}'] }, scrape_interval: '1s',
      static_configs: [{ targets: [new URL(promUrl).host] }] }],
    datasources: [
      { name: 'prometheus', uid: 'prom', url: promUrl, scrape_interval: '2s' },
      { name: 'broken', url: `${fakeUrl}/bad` },
      { name: 'down', url: `${fakeUrl}/down` },
      { name: 'hanging', url: `${fakeUrl}/slow`, timeout: '2s' },
      { name: 'slow', url: `${fakeUrl}/slow`, timeout: '60s' },
      { name: 'counted', url: `${fakeUrl}/count` },
    ],
    dashboards: ['dashboards/golden-signals.json'],
  };
  fs.writeFileSync(path.join(site, 'config.json'), JSON.stringify(config));
  fs.writeFileSync(path.join(site, 'dedup.json'), JSON.stringify(dedupDashboard()));
  const served = await procs.start(binary('signalboard-cli'),
    ['serve', '--dist', site, '--listen', '127.0.0.1:0'], /serve: (http:\/\/\S+\/)/);
  appUrl = served[1];
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (fakeServer) fakeServer.closeAllConnections?.(), fakeServer.close();
  procs.stopAll();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

function panelsOf(dashboard) {
  const out = [];
  const walk = (ps) => { for (const p of ps) { out.push(p); walk(p.panels || []); } };
  walk(dashboard.panels);
  return out;
}

async function panelStates(page) {
  return page.$$eval('[data-panel-id][data-state]', (els) => els.map((e) => ({
    title: e.dataset.panelTitle, state: e.dataset.state,
    error: e.querySelector('[data-panel-error]')?.textContent || '',
  })));
}

async function settledStates(page) {
  return waitFor('every panel to finish loading', async () => {
    const s = await panelStates(page);
    return s.length > 0 && s.every((p) => p.state !== 'loading') && s;
  }, 30000);
}

test('the golden-signals dashboard runs on Prometheus: every panel shows its data', async () => {
  const page = await newPage(browser);
  const apiCalls = [];
  page.on('request', (r) => { if (r.url().startsWith(`${promUrl}/api/v1/`)) apiCalls.push(r.url()); });
  await page.goto(`${appUrl}?datasource=prometheus`);
  await page.waitForSelector('[data-panel-title="Request rate"][data-state="ok"]', { timeout: 30000 });
  await page.waitForSelector('[data-panel-title="p95 latency"][data-state="ok"]', { timeout: 30000 });
  const states = await settledStates(page);
  // Probes are the page's own (blackbox-style) series: Prometheus has none of them.
  const probeOnly = new Set(panelsOf(GOLDEN)
    .filter((p) => (p.targets || []).length && p.targets.every((t) => /probe_/.test(t.expr)))
    .map((p) => p.title));
  // The demo raises no application errors unless a scenario says so.
  const quiet = new Set(['Application errors by type']);
  for (const s of states) {
    if (probeOnly.has(s.title)) assert.equal(s.state, 'nodata', s.title);
    else if (!quiet.has(s.title)) assert.equal(s.state, 'ok', `${s.title}: ${s.state} ${s.error}`);
  }
  assert.equal(await page.$eval('[data-datasource-picker]', (e) => e.value), 'prometheus');
  assert.ok(apiCalls.some((u) => u.includes('/api/v1/query_range?')), 'panels asked Prometheus');
  assert.ok(apiCalls.some((u) => u.includes('/api/v1/label/endpoint/values?')), 'the endpoint variable asked Prometheus');
  const rate = Number(await page.getAttribute('[data-panel-title="Request rate"] [data-value]', 'data-value'));
  assert.ok(rate > 5 && rate < 100, `request rate ${rate} should be near the load generator's 30 rps`);
  // The endpoint variable's options came from /api/v1/label/endpoint/values.
  const options = await page.$$eval('[data-variable="endpoint"] input[type=checkbox]', (els) => els.length);
  assert.ok(options >= 3, `endpoint options from Prometheus: ${options}`);
  assert.deepEqual(withoutFederateCors(page.problems), []);
});

// The page's first scrape of /federate is refused by CORS (Chromium logs it) and then goes
// through `signalboard-cli serve`; nothing else may show up in the console.
const withoutFederateCors = (problems) => withoutCorsFallback(problems, [`${promUrl}/federate`]);

// The golden dashboard's queries with variables at "All" and every range at 20 s (the page's
// store only holds what it federated since it opened).
function goldenQueries() {
  const exprs = new Set();
  for (const p of panelsOf(GOLDEN)) {
    for (const t of p.targets || []) {
      if (!t.expr || /probe_/.test(t.expr)) continue;
      exprs.add(t.expr.replaceAll('$endpoint', '.*').replace(/\[[^\]]+\]/g, '[20s]'));
    }
  }
  return [...exprs];
}

function seriesKey(metric) {
  const m = { ...metric };
  if ('le' in m) m.le = String(Number(m.le));
  return JSON.stringify(Object.keys(m).sort().map((k) => [k, m[k]]));
}

function sameNumber(a, b) {
  const x = Number(a); const y = Number(b);
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) && Number.isNaN(y);
  if (x === y) return true;
  return Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y));
}

// The page holds every sample Prometheus stored since `first`; the range to compare: at least
// 10 s, ending at the newest sample both have. Evaluation times sit off the samples' 2 s grid so
// that no sample is on a window's left edge, where Prometheus 2.x (Debian bookworm's 2.42:
// closed) and 3.x (and this engine: open) differ; a late scrape moves a sample off the grid, so
// the real sample times are checked.
async function comparableRange(up, first) {
  const raw = await (await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent('up{job="demo"}[10m]')}`)).json();
  const promTimes = raw.data.result[0].values.map((v) => v[0]);
  const mine = (await up()).data.result[0].values.map((v) => v[0]);
  const common = promTimes.filter((t) => t >= first && t <= mine[mine.length - 1]);
  assert.deepEqual(mine.filter((t) => t >= first && t <= common[common.length - 1]), common,
    'the page federated every sample Prometheus stored');
  const anchor = common.find((t) => t >= first + 25);
  const last = common[common.length - 1];
  const offset = [0.5, 0.25, 0.75, 0.375, 0.625, 0.125, 0.875]
    .find((o) => !onWindowEdge(promTimes, anchor + o, last - 2 + o, 2, [20]));
  assert.ok(offset !== undefined, 'an evaluation grid with no sample on a window edge');
  return { start: anchor + offset, end: last - 2 + offset };
}

// Prometheus 2.x and 3.x extrapolate a counter's rate differently when it starts inside the
// window: 2.x limits the extrapolation at the counter's zero point before applying the "series
// starts here, extrapolate half an interval" rule, 3.x after it (prometheus/prometheus#13725).
// The demo creates series late (a method/endpoint's first request with some status), so a
// differing point is accepted only if some series read by one of the query's `[20s]` windows
// gives another extrapolation under the two rules at that time; this engine follows 3.x.
async function versionsDifferAt(expr, t) {
  for (const m of expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^}]*\})?)\[20s\]/g)) {
    const q = new URLSearchParams({ query: `${m[1]}[20s]`, time: String(t) });
    const r = await (await fetch(`${promUrl}/api/v1/query?${q}`)).json();
    for (const s of r.data.result) {
      const [old, current] = startExtrapolations(s.values.map(([ts, v]) => [ts, Number(v)]), t - 20);
      if (Math.abs(old - current) > 1e-9) return true;
    }
  }
  return false;
}

// Seconds of extrapolation before the first sample under 2.x's and 3.x's rules.
function startExtrapolations(samples, windowStart) {
  if (samples.length < 2) return [0, 0];
  let result = samples[samples.length - 1][1] - samples[0][1];
  for (let i = 1; i < samples.length; i += 1) {
    if (samples[i][1] < samples[i - 1][1]) result += samples[i - 1][1];
  }
  const [t0, v0] = samples[0];
  const sampled = samples[samples.length - 1][0] - t0;
  const avg = sampled / (samples.length - 1);
  const threshold = avg * 1.1;
  const toZero = result > 0 && v0 >= 0 ? sampled * (v0 / result) : Infinity;
  const old = Math.min(t0 - windowStart, toZero);
  const v2 = old < threshold ? old : avg / 2;
  const v3 = Math.min(t0 - windowStart >= threshold ? avg / 2 : t0 - windowStart, toZero);
  return [v2, v3];
}

// Whether a sample (times in seconds, ms precision) sits exactly on the left edge of the window
// of some evaluation time start, start + step, … ≤ end, for any of the window lengths.
function onWindowEdge(sampleTimes, start, end, step, windows) {
  const samples = new Set(sampleTimes.map((t) => Math.round(t * 1000)));
  for (let t = Math.round(start * 1000); t <= Math.round(end * 1000); t += step * 1000) {
    if (windows.some((w) => samples.has(t - w * 1000))) return true;
  }
  return false;
}

// Which raw samples behind a differing point differ: the selector's samples over the window
// (plus a margin) at `t`, side by side, so a failure says whether the data or the engine differs.
async function rawDifference(page, expr, t) {
  const name = (expr.match(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{/) || [])[1];
  if (!name) return 'no selector to compare';
  const sel = `${name}{job="demo"}[40s]`;
  const q = new URLSearchParams({ query: sel, time: String(t) });
  const theirs = (await (await fetch(`${promUrl}/api/v1/query?${q}`)).json()).data.result;
  const ours = (await page.evaluate(([e, at]) => window.signalboard.query(e, at), [sel, t])).data.result;
  const mine = new Map(ours.map((s) => [seriesKey(s.metric), s.values]));
  const diffs = [];
  for (const s of theirs) {
    const key = seriesKey(s.metric);
    const a = JSON.stringify(s.values);
    const b = JSON.stringify(mine.get(key) || null);
    if (a !== b) diffs.push(`${key}: Prometheus ${a} browser ${b}`);
    mine.delete(key);
  }
  for (const [key, v] of mine) diffs.push(`${key}: only in the browser ${JSON.stringify(v)}`);
  return diffs.length ? `raw ${sel} differs: ${diffs.join('; ')}` : `raw ${sel} is identical on both sides`;
}

test('the 2.x/3.x extrapolation check tells the two rules apart', () => {
  // Born 10 s into a 20 s window at 1, up to 6: the zero point lies 2 s before the first sample,
  // inside 2.x's 1.1-interval threshold, but beyond 3.x's half interval (1 s).
  const born = [[10, 1], [12, 2], [14, 3], [16, 4], [18, 5], [20, 6]];
  assert.deepEqual(startExtrapolations(born, 0), [2, 1]);
  // A series present all along: both extrapolate to the window start.
  const steady = [[1.5, 100], [3.5, 102], [5.5, 104], [7.5, 106]];
  assert.deepEqual(startExtrapolations(steady, 0), [1.5, 1.5]);
});

test('Prometheus and the in-browser engine give the same values for the same samples', async () => {
  const page = await newPage(browser);
  await page.goto(appUrl);
  const up = () => page.evaluate(() => window.signalboard.query('up{job="demo"}[10m]'));
  const first = await waitFor('federated samples in the page', async () => {
    const r = await up();
    return r.data.result.length === 1 && r.data.result[0].values.length > 0 && r.data.result[0].values[0][0];
  });
  // 25 s of window history after the first federated sample, then 20 s of query range.
  await waitFor('45 s of federated history', async () => Date.now() / 1000 > first + 48, 70000, 1000);
  const { start, end } = await comparableRange(up, first);
  assert.ok(end - start >= 10, `query range ${start}..${end}`);
  let compared = 0;
  let versionDifferences = 0;
  for (const expr of goldenQueries()) {
    const q = new URLSearchParams({ query: expr, start: String(start), end: String(end), step: '2' });
    const theirs = await (await fetch(`${promUrl}/api/v1/query_range?${q}`)).json();
    const ours = await page.evaluate(([e, s, t]) => window.signalboard.queryRange(e, s, t, 2), [expr, start, end]);
    assert.equal(theirs.status, 'success', expr);
    assert.equal(ours.status, 'success', `${expr}: ${ours.error}`);
    // The page's own synthetic series for its /federate target (up, scrape_*) are not in Prometheus.
    const own = ours.data.result.filter((s) => s.metric.job !== 'federate');
    const byKey = new Map(own.map((s) => [seriesKey(s.metric), s.values]));
    assert.equal(own.length, theirs.data.result.length, `${expr}: series count`);
    for (const s of theirs.data.result) {
      const values = byKey.get(seriesKey(s.metric));
      assert.ok(values, `${expr}: series ${JSON.stringify(s.metric)} missing in the browser`);
      assert.deepEqual(values.map((v) => v[0]), s.values.map((v) => v[0]), `${expr}: timestamps`);
      for (const [i, [t, v]] of s.values.entries()) {
        if (sameNumber(values[i][1], v)) {
          compared += 1;
        } else if (await versionsDifferAt(expr, t)) {
          versionDifferences += 1;
        } else {
          assert.fail(`${expr} at ${t}: browser ${values[i][1]} vs Prometheus ${v}; ${await rawDifference(page, expr, t)}`);
        }
      }
    }
  }
  assert.ok(compared > 200, `compared ${compared} points`);
  assert.ok(versionDifferences <= compared / 10, `${versionDifferences} points differ as Prometheus 2.x and 3.x do`);
  assert.deepEqual(withoutFederateCors(page.problems), []);
});

test('server errors and timeouts are shown on the panels, with the reason', async () => {
  const cases = [
    ['broken', /broken: HTTP 400 bad_data: 1:5: parse error/],
    ['down', /down: HTTP 503 Service Unavailable/],
    ['hanging', /hanging: timeout: no answer within 2000 ms/],
  ];
  for (const [ds, reason] of cases) {
    const page = await newPage(browser);
    await page.goto(`${appUrl}?datasource=${ds}`);
    await page.waitForSelector('[data-panel-title="Request rate"][data-state="error"]', { timeout: 20000 });
    const text = await page.textContent('[data-panel-title="Request rate"] [data-panel-error]');
    assert.match(text, reason, ds);
    // The page itself keeps working: the targets page still shows the federated target up.
    await page.goto(`${appUrl}?datasource=${ds}#/targets`);
    await page.waitForSelector('[data-health="up"]', { timeout: 20000 });
    await page.close();
  }
});

test('identical queries from several panels are sent once; a superseded request is cancelled', async () => {
  const page = await newPage(browser);
  seen.requests.length = 0;
  await page.goto(`${appUrl}?datasource=counted&dashboard=dedup.json`);
  for (const id of [1, 2, 3]) await page.waitForSelector(`[data-panel-id="${id}"][data-state="ok"]`, { timeout: 20000 });
  const ranges = seen.requests.filter((r) => r.url.startsWith('/count/api/v1/query_range?'));
  const sumUp = ranges.filter((r) => new URL(r.url, fakeUrl).searchParams.get('query') === 'sum(up)');
  const countUp = ranges.filter((r) => new URL(r.url, fakeUrl).searchParams.get('query') === 'count(up)');
  assert.equal(sumUp.length, 1, `sum(up) asked ${sumUp.length} times for two panels`);
  assert.equal(countUp.length, 1);
  assert.equal(await page.getAttribute('[data-panel-id="1"] [data-value]', 'data-value'),
    await page.getAttribute('[data-panel-id="2"] [data-value]', 'data-value'));

  seen.requests.length = 0;
  seen.aborted.length = 0;
  await page.goto(`${appUrl}?datasource=slow&dashboard=dedup.json`);
  await waitFor('the hanging server to get the first requests', async () => seen.requests.filter((r) => r.url.startsWith('/slow/api/v1/query_range')).length >= 2);
  const before = seen.requests.length;
  await page.selectOption('[data-testid="time-range"]', 'now-15m');
  await waitFor('the superseded requests to be aborted', async () => seen.aborted.length >= 2, 10000);
  assert.ok(seen.aborted.every((a) => a.afterMs < 30000), 'aborted by the page, not by its 60 s timeout');
  assert.ok(seen.requests.length > before, 'the new time range was asked for');
  assert.ok(seen.requests.slice(before).some((r) => decodeURIComponent(r.url).includes('query_range')));
  await page.close();
});
