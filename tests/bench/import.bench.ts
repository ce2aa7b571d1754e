/**
 * Import throughput: ~1 GB of generated dossier PDFs (scans made of real JPEG pages, some with a
 * Chinese text layer), uploaded into staging as the UI would, then imported through `import:start`
 * (hash, page count, text layer and page text in worker threads, blob store, one transaction per
 * file). The baseline is `sha256sum` over the same staged files in the same run, both reading from
 * the page cache. Target: import ≥ 70% of sha256sum's throughput. Peak memory is the process RSS
 * (worker threads included) sampled during the import.
 *
 * Memory of a 24-file import, in processes of their own (this one also made the PDFs, and its heap
 * holds what pdf-lib left behind): a fresh back end stages 24 of the files, previews, starts its
 * threads and imports them; its peak RSS is judged against 500 MB, and printed beside the baseline,
 * a bare Node process that reads and hashes the same files. Paired samples, medians.
 *
 * Size: BENCH_IMPORT_MB (default 1024).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb } from 'pdf-lib';
import type { BenchPart } from './index.js';
import { mb, percentile, ratio, row } from './format.js';
import type { ImportMemoryReport, MemoryBreakdown } from '../support/import-memory-child.js';
import { openTestBackend, setupAdmin, stage } from '../support/backend.js';
import { REPO_ROOT, RESOURCES_DIR, tempDir } from '../support/temp.js';

const TARGET_BYTES = Number(process.env.BENCH_IMPORT_MB ?? 1024) * 1024 ** 2;
const PAGES_PER_FILE = 30;
const MEMORY_FILES = 24;
const MEMORY_SAMPLES = Number(process.env.BENCH_IMPORT_MEMORY_SAMPLES ?? 3);
const MEMORY_CHILD = path.join(REPO_ROOT, 'tests', 'support', 'import-memory-child.ts');

function memoryChild(mode: 'backend' | 'bare', files: string[]): ImportMemoryReport {
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', MEMORY_CHILD, mode, ...files], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as ImportMemoryReport;
}

const median = (xs: number[]): number =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );
const heapRow = (label: string, m: MemoryBreakdown): void =>
  row(
    label,
    mb(m.rss),
    `JS heap ${mb(m.heapUsed)} of ${mb(m.heapTotal)}, external ${mb(m.external)} (ArrayBuffers ${mb(m.arrayBuffers)}), rest (code, threads' heaps, native) ${mb(m.rss - m.heapTotal - m.external)}${m.threads ? `, ${m.threads} OS threads` : ''}`,
  );

/**
 * Real JPEG "scans" of the size scanners produce (200–300 KB a grey A4 page): a page with paper
 * texture and lines of "text", drawn with pdf-lib and rendered by poppler at 150 and 200 dpi.
 */
async function scans(dir: string): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (let variant = 1; variant <= 4; variant++) {
    const doc = await PDFDocument.create();
    const page = doc.addPage([595.28, 841.89]);
    let seed = variant;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    page.drawRectangle({ x: 0, y: 0, width: 595.28, height: 841.89, color: rgb(0.93, 0.92, 0.88) });
    for (let i = 0; i < 30_000; i++) {
      const g = 0.55 + rnd() * 0.4;
      page.drawRectangle({ x: rnd() * 595, y: rnd() * 842, width: 0.3 + rnd() * 1.2, height: 0.3 + rnd() * 1.2, color: rgb(g, g, g) });
    }
    for (let l = 0; l < 30; l++)
      page.drawRectangle({ x: 70, y: 760 - l * 22, width: 300 + rnd() * 150, height: 7, color: rgb(0.25, 0.25, 0.25) });
    const src = path.join(dir, `page${variant}.pdf`);
    fs.writeFileSync(src, await doc.save());
    for (const dpi of [150, 200]) {
      const base = path.join(dir, `scan${variant}-${dpi}`);
      execFileSync('pdftoppm', ['-jpeg', '-gray', '-jpegopt', 'quality=80', '-r', String(dpi), '-singlefile', src, base]);
      out.push(fs.readFileSync(`${base}.jpg`));
    }
  }
  return out;
}

async function dossier(index: number, jpegs: Buffer[], font: Buffer | null): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`案卷 ${index}`);
  const cjk = font ? (doc.registerFontkit(fontkit), await doc.embedFont(font, { subset: true })) : null;
  for (let p = 0; p < PAGES_PER_FILE; p++) {
    const page = doc.addPage([595.28, 841.89]);
    if (cjk && p < 5) {
      // A typed first part (cover, list, decision) with a text layer, then scanned pages.
      for (let l = 0; l < 20; l++)
        page.drawText(`第${index}卷 第${p + 1}页 第${l + 1}行 当事人某某有限公司 违法事实调查询问笔录`, {
          x: 60,
          y: 780 - l * 30,
          size: 12,
          font: cjk,
          color: rgb(0, 0, 0),
        });
      continue;
    }
    const img = await doc.embedJpg(jpegs[(index * 7 + p) % jpegs.length]!);
    page.drawImage(img, { x: 0, y: 0, width: 595.28, height: 841.89 });
  }
  return doc.save();
}

const part: BenchPart = {
  name: 'import',
  description: `import ~${(TARGET_BYTES / 1024 ** 3).toFixed(2)} GB of dossier PDFs vs sha256sum over the same files`,
  async run() {
    const work = tempDir('pingcha-bench-import-');
    const t = openTestBackend();
    try {
      // 1. Make the PDFs (not timed).
      const jpegs = await scans(work.dir);
      const font = fs.readFileSync(path.join(RESOURCES_DIR, 'fonts', 'gbsn00lp.ttf'));
      const admin = await setupAdmin(t.backend);
      const campaignId = (await admin.call('campaign:create', { name: '性能测试', year: 2025, issuingBody: '某县司法局' })).id;
      const sourceIds: string[] = [];
      const memoryFiles: string[] = [];
      let bytes = 0;
      let made = 0;
      const genStart = performance.now();
      while (bytes < TARGET_BYTES) {
        made++;
        const pdf = await dossier(made, jpegs, made % 5 === 0 ? font : null);
        if (memoryFiles.length < MEMORY_FILES) {
          memoryFiles.push(path.join(work.dir, `memory-${made}.pdf`));
          fs.writeFileSync(memoryFiles.at(-1)!, pdf);
        }
        // 2. Upload into staging as the UI does (a PUT per file; not timed).
        sourceIds.push(await stage(t.backend, admin, `案卷/某罚〔2025〕${made}号/卷宗.pdf`, pdf));
        bytes += pdf.length;
      }
      row(
        'generated and staged',
        `${made} files`,
        `${mb(bytes)}, ${PAGES_PER_FILE} pages each, ${((performance.now() - genStart) / 1000).toFixed(0)} s`,
      );
      execFileSync('sync');
      const staged = fs.readdirSync(path.join(t.dir, 'staging')).map((f) => path.join(t.dir, 'staging', f));

      // 3. Baseline: sha256sum over the same files (warm the cache first, as the import will find it).
      execFileSync('cat', staged, { stdio: ['ignore', 'ignore', 'ignore'], maxBuffer: 1 });
      let s = performance.now();
      execFileSync('sha256sum', staged, { stdio: ['ignore', 'ignore', 'inherit'] });
      const shaSeconds = (performance.now() - s) / 1000;

      // 4. The wizard's preview (which also starts the inspection threads while a person reviews it),
      //    then the import through the channel until the job ends.
      const request = { campaignId, sourceIds, defaults: { unitName: '某局', caseType: 'penalty_general' as const } };
      s = performance.now();
      await admin.call('import:preview', request);
      await t.backend.services.imports.warm();
      const previewSeconds = (performance.now() - s) / 1000;
      const beforeUsage = process.memoryUsage();
      const before = beforeUsage.rss;
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
      s = performance.now();
      const { jobId, batchId } = await admin.call('import:start', request);
      const job = await t.backend.services.jobs.wait(jobId);
      const importSeconds = (performance.now() - s) / 1000;
      clearInterval(sampler);
      const summary = await admin.call('import:result', { batchId });

      const shaRate = bytes / shaSeconds;
      const importRate = bytes / importSeconds;
      row(
        'preview + thread start-up (before the import)',
        `${previewSeconds.toFixed(2)} s`,
        'not in the import figure: the user is on the review screen',
      );
      row('sha256sum (baseline)', `${mb(shaRate)}/s`, `${shaSeconds.toFixed(2)} s`);
      row(
        'import (hash + pages + text + store + db)',
        `${mb(importRate)}/s`,
        `${importSeconds.toFixed(2)} s, job ${job.status}, ${summary.counts.documents} files, ${summary.counts.pages} pages`,
      );
      row('import / sha256sum throughput', ratio(importRate, shaRate), 'target ≥ 0.70×');
      const inspected = summary.items.filter((i) => i.ms !== null);
      const inspectMs = inspected.reduce((n, i) => n + i.ms!, 0);
      row(
        'time in worker threads per file (mean)',
        `${(inspectMs / Math.max(1, inspected.length)).toFixed(0)} ms`,
        'hash + parse + page text, from hand-over to answer',
      );
      row('peak RSS during import', mb(peak), `process RSS, worker threads included (${mb(before)} before it started)`);
      heapRow('  of which before it started', {
        rss: before,
        heapUsed: beforeUsage.heapUsed,
        heapTotal: beforeUsage.heapTotal,
        external: beforeUsage.external,
        arrayBuffers: beforeUsage.arrayBuffers,
        threads: 0,
      });
      row('', '', 'this process also generated and uploaded the PDFs (pdf-lib); the figures below are the back end alone');

      // 5. A 24-file import's memory, the back end alone in a process of its own, paired with the baseline.
      const bareRuns: ImportMemoryReport[] = [];
      const ourRuns: ImportMemoryReport[] = [];
      for (let i = 0; i < MEMORY_SAMPLES; i++) {
        bareRuns.push(memoryChild('bare', memoryFiles));
        ourRuns.push(memoryChild('backend', memoryFiles));
      }
      const memBytes = ourRuns[0]!.bytes;
      const barePeak = median(bareRuns.map((r) => r.peakRss));
      const ourPeak = median(ourRuns.map((r) => r.peakRss));
      const ourBefore = ourRuns.find((r) => r.peakRss === ourPeak)!.before;
      row(
        `${MEMORY_FILES}-file import (${mb(memBytes)}): bare node reading them`,
        mb(barePeak),
        `peak RSS (baseline), runs: ${bareRuns.map((r) => (r.peakRss / 1024 ** 2).toFixed(0)).join(' ')} MB`,
      );
      row(
        `${MEMORY_FILES}-file import: back end, peak RSS`,
        mb(ourPeak),
        `runs: ${ourRuns.map((r) => (r.peakRss / 1024 ** 2).toFixed(0)).join(' ')} MB; target ≤ 500 MB → ${ourPeak <= 500 * 1024 ** 2 ? 'met' : 'NOT met'}`,
      );
      heapRow('  back end before the import', ourBefore);
      row(
        '  peak − before (the import itself)',
        mb(ourPeak - ourBefore.rss),
        `${ourRuns.map((r) => r.imported).join('/')} of ${MEMORY_FILES} imported, ${median(ourRuns.map((r) => r.seconds)).toFixed(1)} s`,
      );
      row('  ratio back end / bare (peak RSS)', ratio(ourPeak, barePeak));
      if (summary.counts.documents !== made)
        row(
          'WARNING',
          `${made - summary.counts.documents} files not imported`,
          summary.reasons.map((r) => `${r.label} ${r.count}`).join(', '),
        );
    } finally {
      t.close();
      work.cleanup();
    }
  },
};
export default part;
