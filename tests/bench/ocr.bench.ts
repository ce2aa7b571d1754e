/**
 * OCR: the app's engine (PP-OCRv4 on onnxruntime, one thread, in its worker) against Tesseract 5
 * `chi_sim` on the same scanned pages in the same run.
 *
 * Pages: a 询问笔录, a 行政处罚决定书 and a 送达回证 (born-digital, known text), scanned at 150 and
 * 200 dpi: ±1° askew, grey paper, noise, JPEG, a red seal over text (tests/support/ocr-fixtures.ts).
 * Both sides start from the image-only PDF: ours renders it with pdf.js in its worker; Tesseract's
 * side includes poppler rendering the page at its scan resolution. Tesseract runs with one OpenMP
 * thread, like our engine. Figures: pages per minute (after each side's start-up, which is printed
 * apart), character error rate per page and per set (edit distance over the known text, whitespace
 * ignored, full-width forms folded), and the peak RSS of the process hosting our OCR worker.
 * Targets (printed, not asserted): CER ≤ 2 % on the 150-dpi set and at most half of Tesseract's;
 * throughput ≥ 0.7× Tesseract's; worker peak RSS ≤ 1.5 GB.
 *
 * BENCH_OCR_ROUNDS (default 1) repeats the page set, for steadier timings.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { BenchPart } from './index.js';
import { mb, ratio, row } from './format.js';
import { characterErrorRate, dossierFixturePages, knownText, scanFixture } from '../support/ocr-fixtures.js';
import { REPO_ROOT, tempDir } from '../support/temp.js';

const ROUNDS = Number(process.env.BENCH_OCR_ROUNDS ?? 1);
/** Where the seal lands on each page (over the last lines of text), in PDF points. */
const SEALS = [
  { x: 330, y: 330 },
  { x: 330, y: 420 },
  { x: 330, y: 420 },
];

interface Scan {
  name: string;
  dpi: number;
  file: string;
  expected: string;
}

interface EngineRun {
  warmMs: number;
  totalMs: number;
  baseRss: number;
  peakRss: number;
  pages: { file: string; text: string; ms: number; status: string }[];
}

async function makeScans(dir: string): Promise<Scan[]> {
  const docs = await dossierFixturePages();
  const scans: Scan[] = [];
  for (const dpi of [150, 200]) {
    for (const [i, doc] of docs.entries()) {
      const pdf = await scanFixture(
        doc.pdf,
        { dpi, rotation: i % 2 ? -1 : 1, paper: 224 + i * 4, noise: 12, seal: SEALS[i]!, seed: dpi * 10 + i },
        dir,
      );
      const file = path.join(dir, `${doc.name}-${dpi}dpi.pdf`);
      fs.writeFileSync(file, pdf);
      scans.push({ name: doc.name, dpi, file, expected: knownText(doc) });
    }
  }
  return scans;
}

function runEngine(files: string[]): EngineRun {
  const out = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'tests', 'bench', 'ocr-engine-run.ts'), ...files], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 ** 2,
  });
  if (out.status !== 0) throw new Error(`OCR engine run failed: ${out.stderr}`);
  return JSON.parse(out.stdout) as EngineRun;
}

/**
 * Tesseract over the same PDFs: poppler renders each page at its scan resolution, then one
 * tesseract process reads the list (its models loaded once, as ours are); pages come back
 * separated by form feeds.
 */
function runTesseract(queue: Scan[], dir: string): { texts: string[]; ms: number } {
  const started = performance.now();
  const images = queue.map((scan, i) => {
    const base = path.join(dir, `tesseract-${i}`);
    execFileSync('pdftoppm', ['-png', '-r', String(scan.dpi), '-singlefile', scan.file, base]);
    return `${base}.png`;
  });
  const list = path.join(dir, 'tesseract-pages.txt');
  fs.writeFileSync(list, images.join('\n') + '\n');
  const out = execFileSync('tesseract', [list, 'stdout', '-l', 'chi_sim', '--psm', '3'], {
    encoding: 'utf8',
    env: { ...process.env, OMP_THREAD_LIMIT: '1' },
    stdio: ['ignore', 'pipe', 'ignore'],
    maxBuffer: 64 * 1024 ** 2,
  });
  const texts = out.split('\f').slice(0, queue.length);
  if (texts.length !== queue.length) throw new Error(`tesseract returned ${texts.length} pages for ${queue.length}`);
  return { texts, ms: performance.now() - started };
}

/** Overall CER of a set: all edits over all known characters. */
function setCer(rows: { scan: Scan; text: string }[]): number {
  let edits = 0;
  let chars = 0;
  for (const r of rows) {
    const n = [...r.scan.expected.normalize('NFKC')].length;
    edits += characterErrorRate(r.scan.expected, r.text) * n;
    chars += n;
  }
  return edits / chars;
}

const pct = (n: number): string => `${(n * 100).toFixed(2)} %`;
const perMinute = (pages: number, msTotal: number): string => `${((pages * 60_000) / msTotal).toFixed(2)} p/min`;

const part: BenchPart = {
  name: 'ocr',
  description: 'offline OCR (PP-OCRv4, onnxruntime, 1 thread) vs Tesseract 5 chi_sim on the same scanned dossier pages',
  async run() {
    const work = tempDir('pingcha-bench-ocr-');
    try {
      const scans = await makeScans(work.dir);
      const queue = Array.from({ length: ROUNDS }, () => scans).flat();
      row('pages', `${queue.length}`, `${scans.length} scans (3 documents × 150/200 dpi) × ${ROUNDS} round(s)`);

      const engine = runEngine(queue.map((s) => s.file));
      const ours = engine.pages.map((p, i) => ({ scan: queue[i]!, text: p.text, ms: p.ms, status: p.status }));

      const tesseract = runTesseract(queue, work.dir);
      const theirs = queue.map((scan, i) => ({ scan, text: tesseract.texts[i]! }));
      const tessMs = tesseract.ms;

      console.log('  per page (first round)                              ours: CER   time   |   Tesseract: CER');
      for (const [i, scan] of scans.entries()) {
        const a = ours[i]!;
        const b = theirs[i]!;
        row(
          `${scan.name} ${scan.dpi} dpi`,
          pct(characterErrorRate(scan.expected, a.text)),
          `${(a.ms / 1000).toFixed(1)} s   |   ${pct(characterErrorRate(scan.expected, b.text))}${a.status === 'text' ? '' : `  (ours: ${a.status})`}`,
        );
      }
      for (const dpi of [150, 200]) {
        const oursCer = setCer(ours.filter((r) => r.scan.dpi === dpi));
        const theirCer = setCer(theirs.filter((r) => r.scan.dpi === dpi));
        row(`CER, ${dpi}-dpi set: ours`, pct(oursCer), dpi === 150 ? 'target ≤ 2 %' : '');
        row(`CER, ${dpi}-dpi set: Tesseract (baseline)`, pct(theirCer));
        row(`CER ours / Tesseract, ${dpi} dpi`, ratio(oursCer, theirCer), dpi === 150 ? 'target ≤ 0.50×' : '');
      }
      const oursRate = queue.length / engine.totalMs;
      const theirRate = queue.length / tessMs;
      row(
        'throughput: ours',
        perMinute(queue.length, engine.totalMs),
        `render + read, after start-up (${(engine.warmMs / 1000).toFixed(1)} s: thread, pdf.js, models)`,
      );
      row(
        'throughput: Tesseract (baseline)',
        perMinute(queue.length, tessMs),
        'pdftoppm per page + one tesseract over the list, one thread, its start-up included',
      );
      row('throughput ours / Tesseract', ratio(oursRate, theirRate), 'target ≥ 0.70×');
      row(
        'peak RSS of the OCR worker process',
        mb(engine.peakRss),
        `target ≤ 1.5 GB (main thread alone before the worker: ${mb(engine.baseRss)})`,
      );
    } finally {
      work.cleanup();
    }
  },
};
export default part;
