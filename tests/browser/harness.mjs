// What the real-browser checks share: Debian's chromium through playwright-core, the "ok:" / "timing:" /
// PASS / FAIL lines the .NET tests read, and the watch for script errors, CSP violations, failed requests
// and requests to other origins, any of which fails a run.
import { chromium } from 'playwright-core';

export const STEP_TIMEOUT = 15_000;

export class CheckFailed extends Error {}

export function ok(message) {
  console.log(`ok: ${message}`);
}

export function timing(message) {
  console.log(`timing: ${message}`);
}

export function check(condition, message) {
  if (!condition) throw new CheckFailed(message);
}

export async function text(locator) {
  return ((await locator.textContent({ timeout: STEP_TIMEOUT })) ?? '').trim();
}

/** Exits with 2 and the usage line when a required option is missing. */
export function requireOptions(opts, names) {
  for (const name of names) {
    if (!opts[name]) {
      console.error(`usage: missing --${name}`);
      process.exit(2);
    }
  }
}

export async function launch(executablePath) {
  // Root in a container: no sandbox. The rest keeps chromium off a network it cannot reach.
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * Collects what must not happen on the page: console errors (a CSP violation is one), uncaught errors,
 * requests and WebSockets to another origin, and HTTP errors other than those `expected(status, path)` allows
 * (the console's "Failed to load resource" line for those is left to that check). Check the list at the end.
 */
export function watchProblems(page, origin, expected = () => false) {
  const problems = [];
  const host = new URL(origin).host;
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(`${origin}/`) && !url.startsWith(`blob:${origin}/`)) problems.push(`request to another origin: ${url}`);
  });
  page.on('websocket', (ws) => {
    if (new URL(ws.url()).host !== host) problems.push(`WebSocket to another origin: ${ws.url()}`);
  });
  page.on('response', (r) => {
    const path = new URL(r.url()).pathname;
    if (r.status() >= 400 && !expected(r.status(), path)) problems.push(`HTTP ${r.status()} for ${r.request().method()} ${path}`);
  });
  return problems;
}

/**
 * Runs the checks: PASS and exit 0 when `body` returns, FAIL (with a screenshot of the page, when asked for)
 * and exit 1 when it throws. `body` gets a context to register the browser and page in as it opens them.
 */
export async function run(screenshot, body) {
  const opened = { browser: undefined, page: undefined };
  try {
    await body(opened);
    console.log('PASS');
    await opened.browser?.close();
    process.exit(0);
  } catch (error) {
    const message = error instanceof CheckFailed ? error.message : (error && error.stack) || String(error);
    console.log(`FAIL: ${message}`);
    if (opened.page && screenshot) {
      await opened.page.screenshot({ path: screenshot, fullPage: true }).catch(() => {});
      console.log(`screenshot: ${screenshot}`);
    }
    if (opened.browser) await opened.browser.close().catch(() => {});
    process.exit(1);
  }
}
