/**
 * The reader against pdf.js's own viewer, in the same Chromium in the same run.
 *
 * Baseline: a bare page (served here from 127.0.0.1, everything local) that shows the same PDF with
 * pdfjs-dist's PDFViewer and the same document options (range requests of 256 KB, no auto-fetch,
 * local cMaps/fonts/wasm), in a viewer box the size of our reader's. Figures:
 *   - first page painted: from navigation start to the first page's canvas done (median of runs,
 *     each a fresh page load; our side includes start-up, login check, case and document calls —
 *     the case reopens its last-read file, so its document call goes out with the case call). Judged
 *     in a browser profile kept on disk like Electron's (V8 keeps compiled code there); the same in a
 *     throwaway context (no code cache) is printed for reference;
 *   - another file opened in a running viewer: from the request (ours: going to another case in the
 *     app; bare: loading another PDF into its PDFViewer) to that file's first page painted — what a
 *     reviewer waits for between files all day, where the cold figure is paid once;
 *   - page jump: from Enter in the page box (ours) / setting the page number (bare) to the target
 *     page painted, p50/p95 over jumps to far-apart pages of a 320-page dossier;
 *   - renderer memory while paging through a 500-page scan page by page (peak RSS of the renderer
 *     process the viewer's own browser context started — page, pdf.js worker, canvases — and JS heap).
 * Targets (printed, not asserted): first page ≤ 1.2× baseline, jump p95 ≤ 100 ms, memory ≤ 600 MB.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { serveFile } from '../../electron/services/core/bytes.js';
import { serveStatic } from '../../electron/transport/static-files.js';
import { launchOffline, launchOfflineProfile, startTestHost } from '../support/browser.js';
import { ADMIN, setupAdmin, stage } from '../support/backend.js';
import { dossierPdf, scannedPdf } from '../support/pdf-fixtures.js';
import { REPO_ROOT, tempDir } from '../support/temp.js';
import { mb, ms, percentile, ratio, row } from './format.js';
import type { BenchPart } from './index.js';

const FIRST_PAGE_RUNS = 15;
const WARM_UP_LOADS = 3;
const WARM_OPENS = 10;
const JUMPS = 40;
const SCAN_PAGES = 500;

const BARE_HTML = `<!doctype html><meta charset="utf-8"><title>pdf.js baseline</title>
<link rel="stylesheet" href="/pdfjs/web/pdf_viewer.css"><link rel="stylesheet" href="/bare.css">
<div id="c"><div id="v" class="pdfViewer"></div></div><script type="module" src="/bare.mjs"></script>`;

/** The bare viewer: pdfjs-dist's PDFViewer as its README shows, nothing of ours. */
const BARE_JS = `
const params = new URLSearchParams(location.search);
const pdfjsLib = await import('/pdfjs/build/pdf.min.mjs');
globalThis.pdfjsLib = pdfjsLib;
pdfjsLib.GlobalWorkerOptions.workerSrc = '/pdfjs/build/pdf.worker.min.mjs';
const { EventBus, PDFLinkService, PDFViewer } = await import('/pdfjs/web/pdf_viewer.mjs');
const container = document.getElementById('c');
container.style.width = params.get('w') + 'px';
container.style.height = params.get('h') + 'px';
const eventBus = new EventBus();
const linkService = new PDFLinkService({ eventBus });
const viewer = new PDFViewer({ container, eventBus, linkService, textLayerMode: 1, annotationMode: pdfjsLib.AnnotationMode.ENABLE });
linkService.setViewer(viewer);
let first = false;
eventBus.on('pagesinit', () => { viewer.currentScaleValue = 'page-width'; });
const options = { cMapUrl: '/pdfjs/cmaps/', cMapPacked: true, standardFontDataUrl: '/pdfjs/standard_fonts/',
  wasmUrl: '/pdfjs/wasm/', iccUrl: '/pdfjs/iccs/', isEvalSupported: false, enableXfa: false,
  disableAutoFetch: true, disableStream: true, rangeChunkSize: 262144, useSystemFonts: false };
eventBus.on('pagerendered', (e) => {
  if (!first && !e.error) { first = true; performance.mark('pc:first-page-painted'); }
  container.dispatchEvent(new CustomEvent('pc-pagerendered', { detail: { pageNumber: e.pageNumber } }));
});
let doc = await pdfjsLib.getDocument({ url: params.get('pdf'), ...options }).promise;
viewer.setDocument(doc);
linkService.setDocument(doc, null);
window.benchGoTo = (n) => { viewer.currentPageNumber = n; };
// Another file in the same viewer, as the pdf.js viewer app opens one.
window.benchOpen = async (url) => {
  const next = await pdfjsLib.getDocument({ url, ...options }).promise;
  first = false;
  viewer.setDocument(next);
  linkService.setDocument(next, null);
  void doc.destroy();
  doc = next;
};
`;

/** A static server for the baseline: the bare page, pdfjs-dist's own files, and the PDFs with Range. */
async function startBareServer(pdfs: Record<string, string>): Promise<{ origin: string; close(): Promise<void> }> {
  const pdfjsRoot = path.join(REPO_ROOT, 'node_modules', 'pdfjs-dist');
  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
      const request = new Request(url, { method: req.method ?? 'GET', headers });
      let response: Response;
      if (url.pathname === '/') response = new Response(BARE_HTML, { headers: { 'content-type': 'text/html; charset=utf-8' } });
      else if (url.pathname === '/bare.mjs')
        response = new Response(BARE_JS, { headers: { 'content-type': 'text/javascript; charset=utf-8' } });
      else if (url.pathname === '/bare.css')
        response = new Response('html,body{margin:0}#c{position:absolute;overflow:auto;background:#525659}', {
          headers: { 'content-type': 'text/css' },
        });
      else if (pdfs[url.pathname]) response = await serveFile(request, pdfs[url.pathname]!, { 'content-type': 'application/pdf' });
      else if (url.pathname.startsWith('/pdfjs/'))
        response = await serveStatic(pdfjsRoot, new Request(new URL(url.pathname.slice('/pdfjs'.length), url), { headers }));
      else response = new Response('not found', { status: 404 });
      const out: Record<string, string> = {};
      response.headers.forEach((v, k) => (out[k] = v));
      res.writeHead(response.status, out);
      if (!response.body) return void res.end();
      Readable.fromWeb(response.body as NodeReadableStream).pipe(res);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(() => r())) };
}

export async function login(context: BrowserContext, url: string): Promise<void> {
  const page = await context.newPage();
  await page.goto(url);
  await page.getByLabel('登录名').fill(ADMIN.username);
  await page.getByLabel('密码', { exact: true }).fill(ADMIN.password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('button', { name: '退出登录' }).waitFor();
  await page.close();
}

/**
 * In a page already showing a file: runs `open` (in the page) and returns the ms from then to the next
 * `pc:first-page-painted` mark, the first page of the file it opened.
 */
async function nextPainted(page: Page, open: string): Promise<number> {
  const before = await page.evaluate(() => performance.getEntriesByName('pc:first-page-painted').length);
  const started = (await page.evaluate(`(() => { const t = performance.now(); ${open}; return t; })()`)) as number;
  await page.waitForFunction((n) => performance.getEntriesByName('pc:first-page-painted').length > n, before, {
    timeout: 60_000,
    polling: 10,
  });
  return page.evaluate((t) => performance.getEntriesByName('pc:first-page-painted').at(-1)!.startTime - t, started);
}

export async function firstPainted(page: Page, url: string): Promise<number> {
  await page.goto(url);
  await page.waitForFunction(() => performance.getEntriesByName('pc:first-page-painted').length > 0, null, {
    timeout: 60_000,
    polling: 10,
  });
  return page.evaluate(() => performance.getEntriesByName('pc:first-page-painted')[0]!.startTime);
}

/**
 * Where a cold load's time went, from the page's own Resource Timing (ms from navigation start): the
 * last script received (responseEnd of the last .js/.mjs), pdf.js's worker script fetched, our
 * API calls before the first page (count and end of the last), the PDF's first byte asked for and
 * its first response done, cMaps/standard fonts fetched (count and end).
 */
interface ColdPhases {
  scriptsEnd: number;
  workerEnd: number;
  apiCalls: number;
  apiEnd: number;
  pdfStart: number;
  pdfFirstEnd: number;
  assets: number;
  assetsEnd: number;
  /** Our API calls before the first page: channel, and when it was done. */
  apiList: string;
}

/** In-page (plain JavaScript, as written: tsx's helpers must not reach the page). */
const PHASES_JS = String.raw`(() => {
  const painted = performance.getEntriesByName('pc:first-page-painted')[0].startTime;
  const before = performance.getEntriesByType('resource').filter((e) => e.startTime <= painted);
  const end = (xs) => xs.reduce((m, e) => Math.max(m, e.responseEnd), 0);
  const scripts = before.filter((e) => /\.m?js(\?|$)/.test(e.name) && !/pdf\.worker/.test(e.name));
  const worker = before.filter((e) => /pdf\.worker/.test(e.name));
  const api = before.filter((e) => /\/api\//.test(e.name));
  const pdf = before.filter((e) => /\.pdf(\?|$)|\/doc\//.test(e.name));
  const assets = before.filter((e) => /cmaps|standard_fonts|wasm|iccs/.test(e.name));
  return { scriptsEnd: end(scripts), workerEnd: end(worker), apiCalls: api.length, apiEnd: end(api),
    pdfStart: pdf.length ? Math.min(...pdf.map((e) => e.startTime)) : NaN,
    pdfFirstEnd: pdf.length ? Math.min(...pdf.map((e) => e.responseEnd)) : NaN,
    assets: assets.length, assetsEnd: end(assets),
    apiList: api.map((e) => decodeURIComponent(e.name.split('/api/')[1]) + ' ' + e.startTime.toFixed(0) + '–' + e.responseEnd.toFixed(0)).join(', ') };
})()`;

const phasesOf = async (page: Page): Promise<ColdPhases> => (await page.evaluate(PHASES_JS)) as ColdPhases;

/**
 * A fresh page load timed from navigation start to the first page painted, watched without touching
 * the page while it loads: playwright's waitForFunction would first inject its own ~200 KB script into
 * the page, in the middle of the start-up being measured (and cost the busier page more). A bare CDP
 * evaluation of one expression every 25 ms is all the watching there is.
 */
async function coldFirstPainted(page: Page, url: string): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await page.goto(url, { waitUntil: 'commit' });
    const deadline = Date.now() + 60_000;
    for (;;) {
      const r = (await cdp.send('Runtime.evaluate', {
        expression: "performance.getEntriesByName('pc:first-page-painted')[0]?.startTime ?? -1",
        returnByValue: true,
      })) as { result: { value: number } };
      if (r.result.value >= 0) return r.result.value;
      if (Date.now() > deadline) throw new Error(`no page painted within 60 s: ${url}`);
      await new Promise((res) => setTimeout(res, 25));
    }
  } finally {
    await cdp.detach();
  }
}

/**
 * Cold first-page figures in one browser context: warm-up loads first (not counted), then `runs` loads
 * of each, alternating so drift in the machine's load hits both alike.
 */
interface ColdRuns {
  ours: number[];
  bare: number[];
  oursPhases: ColdPhases[];
  barePhases: ColdPhases[];
}

async function coldFirstPages(context: BrowserContext, oursUrl: string, bareUrl: string, runs: number): Promise<ColdRuns> {
  const out: ColdRuns = { ours: [], bare: [], oursPhases: [], barePhases: [] };
  for (let i = 0; i < WARM_UP_LOADS + runs; i++) {
    for (const [list, phases, url] of [
      [out.ours, out.oursPhases, oursUrl],
      [out.bare, out.barePhases, bareUrl],
    ] as const) {
      const page = await context.newPage();
      const t = await coldFirstPainted(page, url);
      // A warm-up page stays open a moment: Chromium writes a script's compiled code to its cache in an
      // idle moment after running it, and a page closed at once may never have had one.
      if (i < WARM_UP_LOADS) await page.waitForTimeout(1500);
      else {
        list.push(t);
        phases.push(await phasesOf(page));
      }
      await page.close();
    }
  }
  return out;
}

/** The phases' medians, ours beside bare, so the extra time shows where it is spent. */
function phaseRows(label: string, { oursPhases, barePhases }: ColdRuns): void {
  const m = (xs: ColdPhases[], k: Exclude<keyof ColdPhases, 'apiList'>): number =>
    median(xs.map((x) => x[k]).filter((v) => Number.isFinite(v)));
  const pair = (k: Exclude<keyof ColdPhases, 'apiList'>, unit: 'ms' | 'n'): string =>
    unit === 'ms' ? `${m(oursPhases, k).toFixed(0)} / ${m(barePhases, k).toFixed(0)} ms` : `${m(oursPhases, k)} / ${m(barePhases, k)}`;
  row(`  ${label}, where it goes (ours / bare, medians):`, '', 'ms from navigation start');
  row('    scripts loaded (last .js response)', pair('scriptsEnd', 'ms'));
  row('    pdf.js worker script loaded', pair('workerEnd', 'ms'));
  row(
    '    our API calls before the first page',
    pair('apiCalls', 'n'),
    `last done at ${m(oursPhases, 'apiEnd').toFixed(0)} ms; first run: ${oursPhases[0]?.apiList ?? ''} ms`,
  );
  row('    PDF: first request sent', pair('pdfStart', 'ms'));
  row('    PDF: first response done', pair('pdfFirstEnd', 'ms'));
  row(
    '    cMaps / fonts fetched (count)',
    pair('assets', 'n'),
    `last done at ${m(oursPhases, 'assetsEnd').toFixed(0)} / ${m(barePhases, 'assetsEnd').toFixed(0)} ms`,
  );
}

function coldRows(label: string, runs: ColdRuns, judged: boolean): void {
  const { ours, bare } = runs;
  const fo = median(ours);
  const fb = median(bare);
  const paired = median(ours.map((o, i) => o / bare[i]!));
  row(`first page painted, ${label}: ours (median)`, ms(fo), `runs: ${ours.map((v) => v.toFixed(0)).join(' ')}`);
  row(`first page painted, ${label}: bare pdf.js (median)`, ms(fb), `runs: ${bare.map((v) => v.toFixed(0)).join(' ')}`);
  row(`  ratio ours / bare (medians)`, ratio(fo, fb), judged ? `target ≤ 1.20× → ${fo / fb <= 1.2 ? 'met' : 'NOT met'}` : 'for reference');
  row(`  ratio ours / bare (median of paired runs)`, `${paired.toFixed(2)}×`, 'each run against the bare run next to it');
  phaseRows(label, runs);
}

/** Far-apart targets: none within reach of pdf.js's page buffer of the previous few jumps. */
export function jumpTargets(count: number, pages: number): number[] {
  let seed = 20250601;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const out: number[] = [];
  while (out.length < count) {
    const n = 2 + Math.floor(rand() * (pages - 2));
    if (out.slice(-5).every((p) => Math.abs(p - n) > 12)) out.push(n);
  }
  return out;
}

/**
 * In-page timer (plain JavaScript: it runs in the browser as written): `__jump` resolves with the ms
 * from the start (Enter in the page box, or now) to page n painted, -1 if it already was, NaN after 10 s.
 */
const ARM_JUMP = `(n, start) => {
  const c = document.querySelector('.pc-viewer-scroll, #c');
  const target = c.querySelector('.page[data-page-number="' + n + '"]');
  if (target && target.hasAttribute('data-loaded') && !target.classList.contains('loadingIcon')) {
    window.__jump = Promise.resolve(-1);
    return;
  }
  window.__jump = new Promise((resolve) => {
    let t0 = start === 'now' ? performance.now() : 0;
    const onKey = (e) => { if (e.key === 'Enter') t0 = performance.now(); };
    const timeout = setTimeout(() => resolve(NaN), 10000);
    const onPainted = (e) => {
      if (e.detail.pageNumber !== n) return;
      clearTimeout(timeout);
      c.removeEventListener('pc-pagerendered', onPainted);
      window.removeEventListener('keydown', onKey, true);
      resolve(performance.now() - t0);
    };
    window.addEventListener('keydown', onKey, true);
    c.addEventListener('pc-pagerendered', onPainted);
  });
}`;

async function armJump(page: Page, n: number, start: 'enter' | 'now'): Promise<void> {
  await page.evaluate(`(${ARM_JUMP})(${n}, '${start}')`);
}

const jumpResult = (page: Page): Promise<number> => page.evaluate('window.__jump') as Promise<number>;

export async function jumpOurs(page: Page, n: number): Promise<number> {
  await armJump(page, n, 'enter');
  const input = page.getByLabel('页码', { exact: true });
  await input.fill(String(n));
  await input.press('Enter');
  return jumpResult(page);
}

async function jumpBare(page: Page, n: number): Promise<number> {
  await armJump(page, n, 'now');
  await page.evaluate(`window.benchGoTo(${n})`);
  return jumpResult(page);
}

async function rendererPids(browser: Browser): Promise<number[]> {
  const cdp = await browser.newBrowserCDPSession();
  const info = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: Array<{ type: string; id: number }> };
  await cdp.detach();
  return info.processInfo.filter((x) => x.type === 'renderer').map((x) => x.id);
}

const rss = (pid: number): number => {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
  } catch {
    return 0; // the process has gone
  }
};

/**
 * Opens `url` in a browser context of its own and pages through every page, one at a time, waiting
 * for each to be painted. Measures the renderer process that context started for the page (its
 * pdf.js worker and its canvases live there too), at its peak.
 */
async function pageThrough(
  browser: Browser,
  url: string,
  pages: number,
  prepare: (context: BrowserContext) => Promise<void>,
  goTo: (page: Page, n: number) => Promise<void>,
): Promise<{ firstRss: number; peakRss: number; peakHeap: number; missed: number }> {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1600, height: 1000 } });
  await prepare(context);
  const before = new Set(await rendererPids(browser));
  const page = await context.newPage();
  await firstPainted(page, url);
  // New renderer processes: the page's own, and the spare one Chromium keeps warm for the next tab.
  // The page's is by far the largest; that is the figure.
  const mine = (await rendererPids(browser)).filter((pid) => !before.has(pid));
  const measure = () => Math.max(0, ...mine.map(rss));
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const firstRss = measure();
  let peakRss = firstRss;
  let peakHeap = 0;
  let missed = 0;
  for (let n = 1; n <= pages; n++) {
    await armJump(page, n, 'now');
    await goTo(page, n);
    if (Number.isNaN(await jumpResult(page))) missed++;
    if (n % 10 === 0 || n === pages) {
      peakRss = Math.max(peakRss, measure());
      const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
      peakHeap = Math.max(peakHeap, metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0);
    }
  }
  await context.close();
  return { firstRss, peakRss, peakHeap, missed };
}

const median = (xs: number[]): number =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );

const part: BenchPart = {
  name: 'reader',
  description: 'our reader vs a bare pdfjs-dist PDFViewer page, same Chromium, same run',
  async run() {
    if (!fs.existsSync(path.join(REPO_ROOT, 'build', 'renderer', 'index.html'))) throw new Error('run `npm run build:renderer` first');
    const files = tempDir('pingcha-bench-reader-');
    console.log('  generating a 320-page dossier and a 500-page scan …');
    const dossierFile = path.join(files.dir, 'dossier.pdf');
    const otherFile = path.join(files.dir, 'other.pdf');
    const scanFile = path.join(files.dir, 'scan.pdf');
    fs.writeFileSync(dossierFile, await dossierPdf(320));
    fs.writeFileSync(otherFile, await dossierPdf(300, '行政许可案卷'));
    fs.writeFileSync(scanFile, await scannedPdf(SCAN_PAGES));
    // The reader alone: what reading scans in the background costs it is the ocr-reader part.
    const fx = await startTestHost(undefined, { ocr: { afterImport: false } });
    const net = await launchOffline();
    const bare = await startBareServer({ '/dossier.pdf': dossierFile, '/other.pdf': otherFile, '/scan.pdf': scanFile });
    try {
      const be = fx.host.backend;
      const admin = await setupAdmin(be, 'bench');
      const campaignId = (await admin.call('campaign:create', { name: '基准测试', year: 2025, issuingBody: '某县司法局' })).id;
      const put = async (file: string, caseNumber: string) =>
        (
          await admin.call('dossier:importSingle', {
            campaignId,
            sourceId: await stage(be, admin, path.basename(file), fs.readFileSync(file)),
            caseNumber,
            unitName: '甲局',
            caseType: 'license',
          })
        ).id;
      const dossierCase = await put(dossierFile, 'B-1');
      const scanCase = await put(scanFile, 'B-2');
      const otherCase = await put(otherFile, 'B-3');

      const context = await net.browser.newContext({ locale: 'zh-CN', viewport: { width: 1600, height: 1000 } });
      await login(context, fx.host.url);
      const ours = (caseId: string) => `${fx.host.origin}/#/case/${caseId}`;

      // The bare viewer gets a box the size of our reader's.
      const probe = await context.newPage();
      await firstPainted(probe, ours(dossierCase));
      const box = await probe.evaluate(() => {
        const c = document.querySelector('.pc-viewer-scroll')!;
        return { w: c.clientWidth, h: c.clientHeight };
      });
      await probe.close();
      const bareUrl = (pdf: string) => `${bare.origin}/?pdf=${pdf}&w=${box.w}&h=${box.h}`;
      row('viewer box (both)', `${box.w} × ${box.h} px`);

      // First page painted. Judged in a browser profile kept on disk, as Electron's session is: there
      // Chromium keeps V8's compiled code for both pages' scripts, as it does on a reviewer's PC. For
      // reference, the same in a throwaway (off-the-record) context, where it keeps none.
      const profile = tempDir('pingcha-bench-profile-');
      const kept = await launchOfflineProfile(profile.dir);
      try {
        await login(kept.context, fx.host.url);
        coldRows('kept profile', await coldFirstPages(kept.context, ours(dossierCase), bareUrl('/dossier.pdf'), FIRST_PAGE_RUNS), true);
      } finally {
        await kept.close().finally(() => profile.cleanup());
      }
      coldRows('throwaway context', await coldFirstPages(context, ours(dossierCase), bareUrl('/dossier.pdf'), FIRST_PAGE_RUNS), false);
      // BENCH_READER_FIRST_PAGE_ONLY=1: the first-page figures alone (a quicker run while working on them).
      if (process.env.BENCH_READER_FIRST_PAGE_ONLY === '1') return void (await context.close());

      // Another file opened in a running viewer, back and forth between two files.
      const oursWarm: number[] = [];
      const bareWarm: number[] = [];
      const oursTab = await context.newPage();
      await firstPainted(oursTab, ours(dossierCase));
      for (let i = 0; i < WARM_OPENS; i++)
        oursWarm.push(await nextPainted(oursTab, `location.hash = '#/case/${i % 2 ? dossierCase : otherCase}'`));
      await oursTab.close();
      const bareTab = await context.newPage();
      await firstPainted(bareTab, bareUrl('/dossier.pdf'));
      for (let i = 0; i < WARM_OPENS; i++)
        bareWarm.push(await nextPainted(bareTab, `void window.benchOpen('${i % 2 ? '/dossier.pdf' : '/other.pdf'}')`));
      await bareTab.close();
      const wo = median(oursWarm);
      const wb = median(bareWarm);
      row('another file opened, ours (median)', ms(wo), `runs: ${oursWarm.map((v) => v.toFixed(0)).join(' ')}`);
      row('another file opened, bare pdf.js (median)', ms(wb), `runs: ${bareWarm.map((v) => v.toFixed(0)).join(' ')}`);
      row('ratio ours / bare (medians)', ratio(wo, wb), `target ≤ 1.20× → ${wo / wb <= 1.2 ? 'met' : 'NOT met'}`);

      // Page jumps on the 320-page dossier.
      const targets = jumpTargets(JUMPS, 320);
      const oursPage = await context.newPage();
      await firstPainted(oursPage, ours(dossierCase));
      const barePage = await context.newPage();
      await firstPainted(barePage, bareUrl('/dossier.pdf'));
      const oursJumps: number[] = [];
      const bareJumps: number[] = [];
      // One tab at a time in front: Chromium throttles background tabs.
      await oursPage.bringToFront();
      for (const n of targets) oursJumps.push(await jumpOurs(oursPage, n));
      await barePage.bringToFront();
      for (const n of targets) bareJumps.push(await jumpBare(barePage, n));
      await oursPage.close();
      await barePage.close();
      const okOurs = oursJumps.filter((v) => v >= 0).sort((a, b) => a - b);
      const okBare = bareJumps.filter((v) => v >= 0).sort((a, b) => a - b);
      const p95 = percentile(okOurs, 95);
      row(
        `page jump, ours p50 / p95 (${okOurs.length} jumps)`,
        `${ms(percentile(okOurs, 50))} / ${ms(p95)}`,
        `target p95 ≤ 100 ms → ${p95 <= 100 ? 'met' : 'NOT met'}`,
      );
      row(`page jump, bare pdf.js p50 / p95 (${okBare.length} jumps)`, `${ms(percentile(okBare, 50))} / ${ms(percentile(okBare, 95))}`);
      row('ratio p95 ours / bare', ratio(p95, percentile(okBare, 95)));

      // Memory while paging through a 500-page scan, one viewer at a time, each in its own context.
      const o = await pageThrough(
        net.browser,
        ours(scanCase),
        SCAN_PAGES,
        (c) => login(c, fx.host.url),
        async (page, n) => {
          const input = page.getByLabel('页码', { exact: true });
          await input.fill(String(n));
          await input.press('Enter');
        },
      );
      const b = await pageThrough(
        net.browser,
        bareUrl('/scan.pdf'),
        SCAN_PAGES,
        async () => undefined,
        async (page, n) => {
          await page.evaluate(`window.benchGoTo(${n})`);
        },
      );
      row(
        `renderer RSS paging a ${SCAN_PAGES}-page scan, ours (peak)`,
        mb(o.peakRss),
        `first page ${mb(o.firstRss)}; target ≤ 600 MB → ${o.peakRss <= 600 * 1024 ** 2 ? 'met' : 'NOT met'}`,
      );
      row(`renderer RSS paging a ${SCAN_PAGES}-page scan, bare (peak)`, mb(b.peakRss), `first page ${mb(b.firstRss)}`);
      row('ratio ours / bare (peak RSS)', ratio(o.peakRss, b.peakRss));
      row('JS heap used, ours / bare (peak)', `${mb(o.peakHeap)} / ${mb(b.peakHeap)}`);
      if (o.missed || b.missed) row('pages not painted within 10 s (ours / bare)', `${o.missed} / ${b.missed}`);
      await context.close();
    } finally {
      await bare.close();
      await net.close();
      await fx.close();
      files.cleanup();
    }
  },
};
export default part;
