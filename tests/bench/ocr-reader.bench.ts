/**
 * Page turns in the reader while OCR reads scans in the background, against the same page turns with
 * the workstation idle, in the same run on the same host and browser.
 *
 * A 320-page born-digital dossier is open in the reader (through the loopback host, in Chromium);
 * page jumps (Enter in the page box → the target page painted) to far-apart pages are timed three
 * times: idle, then while realistic scanned dossiers imported into the campaign are being read by the
 * background OCR job (queued by the import itself, as in the desktop app), then idle again after
 * 暂停. Each run starts from a fresh page load on the same targets. Printed: p50/p95 of each run,
 * the pages OCR read during the busy run, and the ratio busy / idle (idle = both idle runs).
 * Targets (printed, not asserted): busy p95 ≤ 1.5× idle p95, and busy p95 ≤ 150 ms.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BenchPart } from './index.js';
import { ms, percentile, ratio, row } from './format.js';
import { firstPainted, jumpOurs, jumpTargets, login } from './reader.bench.js';
import { launchOffline, startTestHost } from '../support/browser.js';
import { setupAdmin, stage } from '../support/backend.js';
import { dossierFixture } from '../support/dossiers/index.js';
import { dossierPdf } from '../support/pdf-fixtures.js';
import { REPO_ROOT } from '../support/temp.js';

const JUMPS = Number(process.env.BENCH_OCR_JUMPS ?? 30);
const PAGES = 320;
/** Scanned dossiers queued for reading: far more pages than the busy run lasts. */
const SCAN_SEEDS = [2025, 2026];

const sorted = (xs: number[]): number[] => xs.filter((v) => v >= 0 && Number.isFinite(v)).sort((a, b) => a - b);

const part: BenchPart = {
  name: 'ocr-reader',
  description: 'page jumps in the reader while OCR reads scans in the background vs idle, same run',
  async run() {
    if (!fs.existsSync(path.join(REPO_ROOT, 'build', 'renderer', 'index.html'))) throw new Error('run `npm run build:renderer` first');
    console.log(`  generating a ${PAGES}-page dossier and ${SCAN_SEEDS.length} scanned dossiers …`);
    const dossier = await dossierPdf(PAGES);
    const scans = await Promise.all(SCAN_SEEDS.map((seed) => dossierFixture({ seed, scanned: true, caseType: 'penalty_general' })));
    const fx = await startTestHost();
    const net = await launchOffline();
    try {
      const be = fx.host.backend;
      const admin = await setupAdmin(be, 'bench');
      const campaignId = (await admin.call('campaign:create', { name: '基准测试', year: 2025, issuingBody: '某县司法局' })).id;
      const readerCase = (
        await admin.call('dossier:importSingle', {
          campaignId,
          sourceId: await stage(be, admin, 'dossier.pdf', dossier),
          caseNumber: 'B-1',
          unitName: '甲局',
          caseType: 'license',
        })
      ).id;

      const context = await net.browser.newContext({ locale: 'zh-CN', viewport: { width: 1600, height: 1000 } });
      await login(context, fx.host.url);
      const page = await context.newPage();
      const url = `${fx.host.origin}/#/case/${readerCase}`;
      const targets = jumpTargets(JUMPS, PAGES);
      /** Rounds of jumps over the targets from a fresh page load, until `enough()` says so after a round. */
      const jumps = async (enough: () => Promise<boolean> = async () => true): Promise<number[]> => {
        await page.goto('about:blank');
        await firstPainted(page, url);
        const out: number[] = [];
        do for (const n of targets) out.push(await jumpOurs(page, n));
        while (!(await enough()));
        return sorted(out);
      };
      // Warm-up: code caches, the file's bytes in the OS cache.
      await firstPainted(page, url);
      for (const n of targets.slice(0, 5)) await jumpOurs(page, n);

      const idleBefore = await jumps();

      // Scans arrive: the import queues them for reading by itself. Measure once reading is under way
      // (the models loaded and the first page committed).
      for (const [i, scan] of scans.entries()) {
        await admin.call('dossier:importSingle', {
          campaignId,
          sourceId: await stage(be, admin, scan.truth.fileName, scan.bytes),
          caseNumber: `${scan.truth.caseNumber}-${i}`,
          caseTitle: scan.truth.title,
          unitName: scan.truth.unitName,
          caseType: 'penalty_general',
        });
      }
      const deadline = Date.now() + 300_000;
      let status = await admin.call('ocr:status', { campaignId });
      while (!(status.running && status.pagesRead > 0) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 250));
        status = await admin.call('ocr:status', { campaignId });
      }
      if (!status.running) throw new Error(`OCR did not start reading the imported scans (${status.message})`);
      // Jumping goes on while OCR reads at least two pages (a page takes seconds), for at most two minutes.
      const readBefore = status.pagesRead;
      const busyStarted = Date.now();
      const busy = await jumps(async () => {
        status = await admin.call('ocr:status', { campaignId });
        return !status.running || status.pagesRead - readBefore >= 2 || Date.now() - busyStarted > 120_000;
      });
      const busySeconds = (Date.now() - busyStarted) / 1000;
      const readDuring = status.pagesRead - readBefore;
      const stillRunning = status.running;

      await admin.call('ocr:pause', { campaignId });
      const idleAfter = await jumps();
      await context.close();

      const idle = sorted([...idleBefore, ...idleAfter]);
      const [i50, i95, b50, b95] = [percentile(idle, 50), percentile(idle, 95), percentile(busy, 50), percentile(busy, 95)];
      row(
        `page jump, idle before p50 / p95 (${idleBefore.length})`,
        `${ms(percentile(idleBefore, 50))} / ${ms(percentile(idleBefore, 95))}`,
      );
      row(
        `page jump, idle after 暂停 p50 / p95 (${idleAfter.length})`,
        `${ms(percentile(idleAfter, 50))} / ${ms(percentile(idleAfter, 95))}`,
      );
      row(
        `page jump, OCR reading p50 / p95 (${busy.length})`,
        `${ms(b50)} / ${ms(b95)}`,
        `OCR read ${readDuring} page(s) in these ${busySeconds.toFixed(0)} s${stillRunning ? '' : ', then ran out of pages: figure flattered'}`,
      );
      row('  ratio OCR / idle, p50', ratio(b50, i50));
      row('  ratio OCR / idle, p95', ratio(b95, i95), `target ≤ 1.50× → ${b95 / i95 <= 1.5 ? 'met' : 'NOT met'}`);
      row('  OCR p95 against 150 ms', ms(b95), `target ≤ 150 ms → ${b95 <= 150 ? 'met' : 'NOT met'}`);
    } finally {
      await net.close();
      await fx.close();
    }
  },
};

export default part;
