// Additions to helpers.cjs for the hardening tests (faults, CSP, hostile): the workspace's
// native binaries, a tiny static file server with optional extra headers (the CSP header),
// and a copy of dist/ configured for a given demo service.
'use strict';
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const helpers = require('./helpers.cjs');

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml' };

/** Serves `dir` on 127.0.0.1 with `headers` on every answer; resolves with `{url, close}`. */
function serveStatic(dir, headers = {}) {
  const server = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url, 'http://x').pathname).replace(/^\/+/, '') || 'index.html';
    const file = path.join(dir, rel);
    if (!file.startsWith(dir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404, headers).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream', ...headers });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    resolve({ url: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() });
  }));
}

/** Copies `dist` (default dist/) to `site` with a config.json scraping the demo service at
 * `demoUrl` every second. */
function prepareSite(site, demoUrl, dist = helpers.DIST) {
  fs.cpSync(dist, site, { recursive: true });
  const config = JSON.parse(fs.readFileSync(path.join(site, 'config.json'), 'utf8'));
  config.scrape_configs[0].static_configs[0].targets = [new URL(demoUrl).host];
  config.scrape_configs[0].scrape_interval = '1s';
  config.probes = [{ name: 'demo-health', url: `${demoUrl}/health`, interval: '1s' }];
  fs.writeFileSync(path.join(site, 'config.json'), JSON.stringify(config));
}

module.exports = { ...helpers, serveStatic, prepareSite };
