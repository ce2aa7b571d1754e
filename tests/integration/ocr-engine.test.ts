/**
 * The offline OCR engine on real scans: a generated 询问笔录 rasterised by poppler at 150 dpi, turned
 * half a degree, on grey paper with noise and a red seal over its last lines, read in the engine's
 * worker thread; the boxes compared with where pdf.js finds the same words on the born-digital page.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { degrees, PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../shared/core/errors.js';
import { OcrPageTextSchema, type OcrPageText } from '../../shared/ocr/page-text.js';
import { OCR_ENGINE_ID, OCR_ENGINE_VERSION } from '../../electron/services/ocr/engine.js';
import { OcrReader } from '../../electron/services/ocr/ocr-reader.js';
import { loadPdfjs, PDFJS_NODE_OPTIONS } from '../../electron/services/core/pdf/pdfjs-node.js';
import { characterErrorRate, dossierFixturePages, knownText, scanFixture, type OcrFixtureDocument } from '../support/ocr-fixtures.js';
import { scannedPdf } from '../support/pdf-fixtures.js';
import { tempDir } from '../support/temp.js';

const work = tempDir('pingcha-ocr-');
const reader = new OcrReader();
let interview: OcrFixtureDocument;
let scanFile: string;

beforeAll(async () => {
  interview = (await dossierFixturePages())[0]!;
  const scan = await scanFixture(
    interview.pdf,
    { dpi: 150, rotation: 0.5, paper: 226, noise: 12, seal: { x: 330, y: 330 }, seed: 11 },
    work.dir,
  );
  scanFile = path.join(work.dir, 'scan.pdf');
  fs.writeFileSync(scanFile, scan);
  await reader.warm();
}, 120_000);

afterAll(async () => {
  await reader.close();
  work.cleanup();
});

/** Where pdf.js puts a string of the born-digital page: [x0, y0, x1, y1] in PDF points. */
async function textItemBox(pdf: Uint8Array, text: string): Promise<[number, number, number, number]> {
  const pdfjs = await loadPdfjs();
  const doc = await pdfjs.getDocument({ data: pdf.slice(), ...PDFJS_NODE_OPTIONS }).promise;
  try {
    const content = await (await doc.getPage(1)).getTextContent();
    for (const item of content.items) {
      if (!('str' in item) || item.str !== text) continue;
      const [, , , , x, y] = item.transform as number[];
      return [x!, y!, x! + item.width, y! + item.height];
    }
    throw new Error(`text not on the page: ${text}`);
  } finally {
    await doc.destroy();
  }
}

/** A file of `count` copies of the scanned page. */
async function copiesOfScan(count: number, name: string): Promise<string> {
  const doc = await PDFDocument.create();
  const src = await PDFDocument.load(fs.readFileSync(scanFile));
  for (let i = 0; i < count; i++) doc.addPage((await doc.copyPages(src, [0]))[0]!);
  const file = path.join(work.dir, name);
  fs.writeFileSync(file, await doc.save());
  return file;
}

describe('offline OCR engine', () => {
  it('reads a 150-dpi scanned 询问笔录 with few errors, and puts each line where the words are', async () => {
    const seen: OcrPageText[] = [];
    const [page] = await reader.read(scanFile, { onPage: (p) => seen.push(p) });
    expect(seen).toHaveLength(1);
    expect(OcrPageTextSchema.parse(page)).toEqual(page);
    expect(page!.sha256).toBe(createHash('sha256').update(fs.readFileSync(scanFile)).digest('hex'));
    expect(page!).toMatchObject({ pageIndex: 0, status: 'text', engine: { id: OCR_ENGINE_ID, version: OCR_ENGINE_VERSION }, dpi: 150 });

    const read = page!.lines.map((l) => l.text).join('');
    expect(characterErrorRate(knownText(interview), read)).toBeLessThan(0.03);
    // Text the seal was pressed over is read, and the seal's own lettering (the unit's name round
    // its rim) is not: every line read is one of the lines printed on the page.
    expect(read).toContain('以上笔录我已看过');
    const strays = page!.lines.filter((l) => Math.min(...interview.lines.map((k) => characterErrorRate(k.text, l.text))) > 0.3);
    expect(strays.map((l) => l.text)).toEqual([]);

    const phrase = '工作单位：某县宏达食品有限公司 职务：经理';
    const line = page!.lines.find((l) => l.text.includes('宏达食品有限公司') && l.text.includes('经理'));
    expect(line, `lines: ${page!.lines.map((l) => l.text).join(' / ')}`).toBeDefined();
    const [x0, y0, x1, y1] = await textItemBox(interview.pdf, phrase);
    const [bx0, by0, bx1, by1] = line!.box;
    // The scan is turned 0.5° about the page centre: words move by up to 3 pt; the box has a margin.
    expect(Math.abs(bx0 - x0)).toBeLessThan(8);
    expect(Math.abs(bx1 - x1)).toBeLessThan(10);
    expect(Math.abs((by0 + by1) / 2 - (y0 + y1) / 2)).toBeLessThan(5);
    expect(by1 - by0).toBeGreaterThan(y1 - y0 - 2);
    expect(by1 - by0).toBeLessThan(2.5 * (y1 - y0));
    expect(line!.confidence).toBeGreaterThan(0.8);
  });

  it("gives boxes in the page's own user space when the page is shown turned (/Rotate 90)", async () => {
    // A landscape page shown turned a quarter clockwise, its content drawn a quarter anticlockwise:
    // it reads upright on screen while user space runs sideways, as scanners and merging tools make.
    const doc = await PDFDocument.create();
    const page = doc.addPage([841.89, 595.28]);
    page.setRotation(degrees(90));
    page.drawPage(await doc.embedPage((await PDFDocument.load(interview.pdf)).getPage(0)), { x: 841.89, y: 0, rotate: degrees(90) });
    const file = path.join(work.dir, 'turned.pdf');
    fs.writeFileSync(file, await doc.save());

    const [read] = await reader.read(file);
    expect(read!.status).toBe('text');
    expect(characterErrorRate(knownText(interview), read!.lines.map((l) => l.text).join(''))).toBeLessThan(0.03);
    const line = read!.lines.find((l) => l.text.includes('宏达食品有限公司') && l.text.includes('经理'));
    expect(line).toBeDefined();
    // Where the words went: the upright page's (u, v) is (841.89 − v, u) here.
    const [x0, y0, x1, y1] = await textItemBox(interview.pdf, '工作单位：某县宏达食品有限公司 职务：经理');
    const [bx0, by0, bx1, by1] = line!.box;
    expect(Math.abs((bx0 + bx1) / 2 - (841.89 - (y0 + y1) / 2))).toBeLessThan(4);
    expect(bx1 - bx0).toBeLessThan(2.5 * (y1 - y0));
    expect(Math.abs(by0 - x0)).toBeLessThan(6);
    expect(Math.abs(by1 - x1)).toBeLessThan(8);
  });

  it('says a page is blank, whether empty or a scan of empty grey paper, and unreadable when it holds only marks', async () => {
    const empty = await PDFDocument.create();
    empty.addPage([595.28, 841.89]);
    const emptyBytes = await empty.save();
    const blankScan = await scanFixture(emptyBytes, { dpi: 150, rotation: 0, paper: 226, noise: 12, seal: null, seed: 3 }, work.dir);
    const both = await PDFDocument.create();
    for (const bytes of [emptyBytes, blankScan]) {
      const src = await PDFDocument.load(bytes);
      const [copied] = await both.copyPages(src, [0]);
      both.addPage(copied!);
    }
    const blankFile = path.join(work.dir, 'blank.pdf');
    fs.writeFileSync(blankFile, await both.save());
    const pages = await reader.read(blankFile);
    expect(pages.map((p) => [p.pageIndex, p.status, p.lines.length])).toEqual([
      [0, 'blank', 0],
      [1, 'blank', 0],
    ]);

    // A copier's page of ruled bars and a grey block: ink, but nothing a person could search for.
    const marksFile = path.join(work.dir, 'marks.pdf');
    fs.writeFileSync(marksFile, await scannedPdf(1));
    const [marks] = await reader.read(marksFile);
    expect(marks).toMatchObject({ status: 'unreadable', lines: [] });
  });

  it('reads only the pages asked for, and refuses a page the file does not have', async () => {
    const file = await copiesOfScan(3, 'three.pdf');
    const pages = await reader.read(file, { pages: [2] });
    expect(pages.map((p) => [p.pageIndex, p.status])).toEqual([[2, 'text']]);
    await expect(reader.read(file, { pages: [3] })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('stops a job when it is cancelled, and the same engine reads the next file', async () => {
    const file = await copiesOfScan(5, 'five.pdf');

    const threadBefore = reader.threadId;
    expect(threadBefore).not.toBeNull();
    const controller = new AbortController();
    const seen: number[] = [];
    const job = reader.read(file, {
      signal: controller.signal,
      onPage: (p) => {
        seen.push(p.pageIndex);
        controller.abort();
      },
    });
    const outcome = await job.then(
      () => null,
      (err: unknown) => err,
    );
    expect(outcome).toBeInstanceOf(AppError);
    expect((outcome as AppError).code).toBe('cancelled');
    expect(seen).toEqual([0]);

    // Stopped between lines, not by ending the thread: the loaded engine is still there.
    const [next] = await reader.read(scanFile);
    expect(next!.status).toBe('text');
    expect(reader.threadId).toBe(threadBefore);

    // A job cancelled before it starts never reaches the engine, also while it waits behind another.
    const early = new AbortController();
    early.abort();
    await expect(reader.read(file, { signal: early.signal })).rejects.toMatchObject({ code: 'cancelled' });
    const waiting = new AbortController();
    const ahead = reader.read(scanFile);
    const behind = reader.read(file, { signal: waiting.signal, onPage: () => seen.push(-1) });
    waiting.abort();
    await expect(behind).rejects.toMatchObject({ code: 'cancelled' });
    expect((await ahead)[0]!.status).toBe('text');
    expect(seen).toEqual([0]);
  });

  it('ends its thread (and the models with it) when idle, or at once when asked, and starts afresh for the next file', async () => {
    const idle = new OcrReader({ idleMs: 300 });
    try {
      expect((await idle.read(scanFile))[0]!.status).toBe('text');
      expect(idle.threadId).not.toBeNull();
      await vi.waitFor(() => expect(idle.threadId).toBeNull(), { timeout: 10_000, interval: 50 });
      expect((await idle.read(scanFile))[0]!.status).toBe('text');
      expect(idle.threadId).not.toBeNull();
      idle.releaseIfIdle();
      expect(idle.threadId).toBeNull();
    } finally {
      await idle.close();
    }
  }, 240_000);
});
