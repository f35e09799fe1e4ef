// Shared plumbing for the end-to-end tests: child processes that print their address when
// ready, Chromium launched the way this machine needs, pages that record every console error,
// page error and dialog (a test asserts that list is empty).
'use strict';
const { spawn } = require('node:child_process');
const net = require('node:net');
const path = require('node:path');
const { chromium } = require('playwright-core');

const ROOT = path.resolve(__dirname, '..', '..');
const DIST = process.env.SIGNALBOARD_DIST || path.join(ROOT, 'dist');

/** A native binary of this workspace (release build, or `SIGNALBOARD_BIN_DIR`). */
function binary(name) {
  return path.join(process.env.SIGNALBOARD_BIN_DIR || path.join(ROOT, 'target', 'release'), name);
}

// Playwright gives every launch a fresh temporary profile itself.
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

class Processes {
  constructor() { this.list = []; }

  // Starts `cmd` and resolves with the first match of `readyRe` in its output.
  start(cmd, args, readyRe, opts = {}) {
    return new Promise((resolve, reject) => {
      const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
      this.list.push(p);
      let out = '';
      const onData = (d) => {
        out += d.toString();
        const m = out.match(readyRe);
        if (m) resolve(m);
      };
      p.stdout.on('data', onData);
      p.stderr.on('data', onData);
      p.on('exit', (code) => reject(new Error(`${cmd} exited with ${code}: ${out.slice(-2000)}`)));
      setTimeout(() => reject(new Error(`${cmd} not ready after 30s: ${out.slice(-2000)}`)), 30000);
    });
  }

  stopAll() { for (const p of this.list) p.kill('SIGTERM'); }
}

function launchBrowser() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

// The app follows the OS colour scheme until the user picks one; pages pin Grafana's dark
// default (Playwright would emulate light) so threshold colours are the dark theme's.
async function newPage(browser, opts = {}) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, serviceWorkers: 'block',
    colorScheme: 'dark', ...opts });
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (m) => { if (m.type() === 'error') page.problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => { page.problems.push(`dialog: ${d.message()}`); d.dismiss().catch(() => {}); });
  return page;
}

// A TCP port nothing listens on right now.
function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

async function waitFor(what, fn, timeoutMs = 30000, everyMs = 250) {
  const until = Date.now() + timeoutMs;
  let last;
  while (Date.now() < until) {
    try { last = await fn(); if (last) return last; } catch (e) { last = e; }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}; last: ${last}`);
}

// Page problems minus Chromium's log of the page's first, refused direct scrape of a target
// without CORS headers (the app then scrapes it through `signalboard-cli serve`).
function withoutCorsFallback(problems, targetPrefixes) {
  return problems.filter((p) => p !== 'console: Failed to load resource: net::ERR_FAILED'
    && !targetPrefixes.some((t) => p.startsWith(`console: Access to fetch at '${t}`) && p.includes('blocked by CORS policy')));
}

module.exports = { ROOT, DIST, binary, CHROMIUM_ARGS, Processes, launchBrowser, newPage, freePort, waitFor, withoutCorsFallback };
