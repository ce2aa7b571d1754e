/**
 * A large scan is imported without ever sitting in memory whole: it is uploaded as a stream, hashed
 * while streaming and parsed by pdf.js from byte ranges. Measured in a back end of its own process
 * (tests/support/import-memory-child.ts) with a small JS heap: its RSS may not grow by anything near
 * the file's size while the file is imported.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import type { ImportMemoryReport } from '../support/import-memory-child.js';
import { REPO_ROOT, tempDir } from '../support/temp.js';

const CHILD = path.join(REPO_ROOT, 'tests', 'support', 'import-memory-child.ts');
const FILE_MB = 96;

/**
 * A 4-page PDF that carries a large image no page shows any more (an earlier revision's scan, kept
 * by incremental saving): pdf.js reading the pages by byte range never touches it, so only a path
 * that reads the whole file (upload, hash or parse) pays for its size.
 */
async function largeScan(file: string): Promise<number> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const side = Math.floor(Math.sqrt(FILE_MB * 1024 ** 2));
  const pixels = new Uint8Array(side * side);
  for (let i = 0; i < pixels.length; i += 4096) pixels[i] = (i >> 12) & 0xff;
  doc.context.register(
    doc.context.stream(pixels, {
      Type: 'XObject',
      Subtype: 'Image',
      Width: side,
      Height: side,
      ColorSpace: 'DeviceGray',
      BitsPerComponent: 8,
    }),
  );
  for (let p = 0; p < 4; p++) doc.addPage([595, 842]).drawText(`Page ${p + 1}`, { x: 72, y: 800, size: 12, font });
  fs.writeFileSync(file, await doc.save({ useObjectStreams: false }));
  return fs.statSync(file).size;
}

describe('import memory', () => {
  const work = tempDir('pingcha-import-memory-');
  afterAll(() => work.cleanup());

  it(`imports a ${FILE_MB} MB scan without holding it in memory (heap limited to 128 MB)`, async () => {
    const file = path.join(work.dir, 'scan.pdf');
    const size = await largeScan(file);
    expect(size).toBeGreaterThan(FILE_MB * 1024 ** 2 * 0.95);
    const out = execFileSync(process.execPath, ['--max-old-space-size=128', '--import', 'tsx', CHILD, 'backend', file], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    const report = JSON.parse(out.trim().split('\n').at(-1)!) as ImportMemoryReport;
    expect(report.status).toBe('done');
    expect(report.imported).toBe(1);
    // Read whole (in the upload, the hash or the parse), the file alone would add its size.
    expect(report.peakRss - report.before.rss).toBeLessThan(size / 3);
  }, 300_000);
});
