// What the browser flows (flows.mjs, cases_flows.mjs) share: arguments, the pass/fail tally,
// Debian's chromium through playwright-core (resolved from web/node_modules), logging in, and
// reading what ECharts painted.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, '../..');
const require = createRequire(path.join(repo, 'web/package.json'));
const { chromium } = require('playwright-core');

/// `--name value` pairs of the command line.
export function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    if (!argv[i].startsWith('--')) continue;
    out[argv[i].slice(2)] = argv[i + 1];
    i++;
  }
  return out;
}

const tally = { passed: 0, failed: 0, failures: [] };

/// Records one check; returns `condition`.
export function check(name, condition, detail = '') {
  if (condition) {
    tally.passed++;
    console.log(`ok   ${name}`);
  } else {
    tally.failed++;
    tally.failures.push(name);
    console.log(`FAIL ${name}${detail ? ` — ${detail}` : ''}`);
  }
  return condition;
}

/// Runs `fn`; an exception is a failed check named `name`.
export async function step(name, fn) {
  try {
    await fn();
  } catch (e) {
    check(name, false, e instanceof Error ? e.message.split('\n')[0] : String(e));
  }
}

/// Prints "N passed, N failed" and exits (non-zero on failure).
export function finish() {
  if (tally.failures.length) console.log(`failed: ${tally.failures.join('; ')}`);
  console.log(`${tally.passed} passed, ${tally.failed} failed`);
  process.exit(tally.failed === 0 ? 0 : 1);
}

/// Headless chromium with a fresh profile under a temporary directory named `prefix…`;
/// `pageErrors` collects uncaught page errors.
export async function launch(chromiumPath, prefix) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const context = await chromium.launchPersistentContext(path.join(work, 'profile'), {
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    acceptDownloads: true,
  });
  context.setDefaultTimeout(20_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return { work, context, page, pageErrors };
}

/// Logs in through the login page and waits to leave it.
export async function login(page, baseUrl, username, password) {
  await page.goto(`${baseUrl}/login`);
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', password);
  await Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/v1/auth/login')),
    page.click('[data-test="login-submit"]'),
  ]);
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

/// Counts painted pixels of every canvas inside `selector` (ECharts draws on 2D canvases).
export async function paintedPixels(page, selector) {
  return page.evaluate((sel) => {
    let total = 0;
    for (const canvas of document.querySelectorAll(`${sel} canvas`)) {
      const ctx = canvas.getContext('2d');
      if (!ctx || canvas.width === 0 || canvas.height === 0) continue;
      const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 3; i < pixels.length; i += 16) if (pixels[i] !== 0) total++;
    }
    return total;
  }, selector);
}

/// Waits (up to 15 s) until the canvases inside `selector` have at least `min` painted pixels.
export async function waitPainted(page, selector, min = 200) {
  await page.waitForSelector(`${selector} canvas`);
  const deadline = Date.now() + 15_000;
  let n = 0;
  while (Date.now() < deadline) {
    n = await paintedPixels(page, selector);
    if (n >= min) return n;
    await page.waitForTimeout(250);
  }
  return n;
}

/// Picks `label` in the Element Plus select marked data-test=`test`.
export async function pickOption(page, test, label) {
  await page.click(`[data-test="${test}"]`);
  await page.locator('.el-select-dropdown__item:visible', { hasText: label }).first().click();
}
