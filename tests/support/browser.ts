/**
 * Debian's Chromium driven by playwright-core, kept off the network two ways: the flags that stop
 * its background traffic, and a proxy on loopback that every non-loopback request is sent to — the
 * proxy refuses and counts them, so a test can assert that nothing tried to leave the machine.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startHost, type HostOptions, type RunningHost } from '../../electron/host/host.js';
import { outputDir, REPO_ROOT, RESOURCES_DIR, tempDir } from './temp.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface OffNetworkBrowser {
  browser: Browser;
  /** Everything Chromium tried to send outside loopback; the proxy refused all of it. */
  escaped: string[];
  /** The part of `escaped` that is not Chromium's own start-up services (must stay empty). */
  escapedByApp(): string[];
  close(): Promise<void>;
}

/**
 * Debian's Chromium contacts its update, sign-in and autofill services at start-up whatever the page
 * does (no command-line switch stops all of them). Those requests carry no page origin; the CDP
 * request log shows the page never made them. They are refused here like everything else.
 */
const CHROMIUM_SERVICE_HOSTS =
  /^(CONNECT |[A-Z]+ https?:\/\/)(update\.googleapis\.com|accounts\.google\.com|content-autofill\.googleapis\.com|passwordsleakcheck-pa\.googleapis\.com|clients\d*\.google\.com|optimizationguide-pa\.googleapis\.com|www\.google\.com|redirector\.gvt1\.com)[:/]/;

/** The loopback proxy every non-loopback request goes to; it refuses them and keeps the list. */
async function startRefusingProxy(): Promise<{ port: number; escaped: string[]; close(): void }> {
  const escaped: string[] = [];
  const proxy = http.createServer((req, res) => {
    escaped.push(`${req.method} ${req.url}`);
    res.writeHead(403).end();
  });
  proxy.on('connect', (req, socket) => {
    // Chromium may drop the connection first (at shutdown): a reset is expected, not a test failure.
    socket.on('error', () => undefined);
    escaped.push(`CONNECT ${req.url}`);
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
  return { port: (proxy.address() as AddressInfo).port, escaped, close: () => proxy.close() };
}

const offlineArgs = (proxyPort: number): string[] => [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-domain-reliability',
  '--metrics-recording-only',
  `--proxy-server=http://127.0.0.1:${proxyPort}`,
  '--lang=zh-CN',
];

export async function launchOffline(): Promise<OffNetworkBrowser> {
  const proxy = await startRefusingProxy();
  // playwright gives every launch a fresh, empty profile of its own.
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: offlineArgs(proxy.port) });
  return {
    browser,
    escaped: proxy.escaped,
    escapedByApp: () => proxy.escaped.filter((r) => !CHROMIUM_SERVICE_HOSTS.test(r)),
    close: async () => {
      await browser.close();
      proxy.close();
    },
  };
}

/**
 * The same Chromium, off the network the same way, with a profile kept on disk in `profileDir` — as
 * Electron's session is. Unlike the throwaway contexts of launchOffline, it keeps V8's compiled code
 * for the scripts it has run (Chromium keeps no code cache off the record), which is what the app's
 * start-up costs on a reviewer's PC. For benchmarks; tests use launchOffline.
 */
export async function launchOfflineProfile(profileDir: string): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const proxy = await startRefusingProxy();
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: offlineArgs(proxy.port),
    locale: 'zh-CN',
    viewport: { width: 1600, height: 1000 },
  });
  return {
    context,
    close: async () => {
      try {
        await context.close();
      } finally {
        proxy.close();
      }
      const byApp = proxy.escaped.filter((r) => !CHROMIUM_SERVICE_HOSTS.test(r));
      if (byApp.length) throw new Error(`requests tried to leave the machine: ${byApp.join(', ')}`);
    },
  };
}

export interface HostFixture {
  host: RunningHost;
  dataDir: string;
  close(): Promise<void>;
}

/** The real loopback host on a fresh data folder, serving the built renderer. */
export async function startTestHost(dataDir?: string, options: Pick<HostOptions, 'ocr'> = {}): Promise<HostFixture> {
  const t = dataDir ? { dir: dataDir, cleanup: () => undefined } : tempDir('pingcha-e2e-');
  const rendererDir = path.join(REPO_ROOT, 'build', 'renderer');
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) throw new Error('build/renderer is missing: run `npm run build` first');
  const host = await startHost({ dataDir: t.dir, rendererDir, resourcesDir: RESOURCES_DIR, appVersion: '0.0.0-e2e', ...options });
  return {
    host,
    dataDir: t.dir,
    close: async () => {
      await host.close();
      t.cleanup();
    },
  };
}

/** Records every request of a context and every console error / CSP violation of its pages. */
export function watch(context: BrowserContext, origin: string) {
  const requests: string[] = [];
  const problems: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  context.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url()}`);
  });
  const attach = (page: Page): void => {
    page.on('console', (m) => {
      if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  };
  context.pages().forEach(attach);
  context.on('page', attach);
  return {
    requests,
    problems,
    outside: () => requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')),
  };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(outputDir('e2e'), `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}
