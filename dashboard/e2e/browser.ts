/**
 * The headless Chromium every browser test drives (Debian's, at /usr/bin/chromium: browser builds
 * downloaded by npm do not install here), with the console watched: a test fails on any error the
 * page logs, which also catches hydration mismatches.
 */
import { chromium, type Browser, type Page } from 'playwright-core';

const CHROMIUM = process.env.SIGHTLINE_CHROMIUM ?? '/usr/bin/chromium';
// No background networking: this machine's network is closed and Chromium would retry forever.
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface WatchedPage {
  browser: Browser;
  page: Page;
  /** The console errors and page errors since the last call. */
  takeErrors(): string[];
}

/** `ignoreFavicon`: a page without an icon makes the browser request /favicon.ico by itself; its 404 is not the page's error. */
export async function openWatchedPage(opts: { ignoreFavicon?: boolean } = {}): Promise<WatchedPage> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(20_000);
  let errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    if (opts.ignoreFavicon && msg.location().url.endsWith('/favicon.ico')) return;
    errors.push(`${msg.text()} (${msg.location().url})`);
  });
  page.on('pageerror', (err) => errors.push(err.message));
  return {
    browser,
    page,
    takeErrors: () => {
      const taken = errors;
      errors = [];
      return taken;
    },
  };
}
