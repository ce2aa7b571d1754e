/**
 * GB/T 9704 §7.3.5: the 署名 and 成文日期 never stand alone on the last page. Letters whose body ends
 * at every point of a page are laid out by LibreOffice (from our DOCX) and by our PDF rendition; the
 * page with the date always holds at least two lines of body text.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GongwenDoc } from '../../shared/letters/document.js';
import { PdfRenditions } from '../../electron/services/letters/pdf-rendition/renditions.js';
import { fixtureDocx, opinionLetter } from '../support/letter-fixture.js';
import { convertManyWithLibreOffice } from '../support/office.js';
import { outputDir, RESOURCES_DIR } from '../support/temp.js';

const out = outputDir('letter-layout');
const DATE = '2025年3月5日';

/** A letter of `n` one-line paragraphs (each 段 numbered, so the page text tells body from the rest). */
function letterOf(n: number): GongwenDoc {
  const blocks: GongwenDoc['blocks'] = Array.from({ length: n }, (_, i) => ({
    type: 'p' as const,
    text: `正文第${i + 1}段：请你单位按要求整改。`,
  }));
  return opinionLetter({ blocks, attachments: ['某某县市场监督管理局案卷评查问题清单'], note: null, imprint: null });
}

function pageTexts(pdf: string): string[] {
  return execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).split('\f');
}

/** Body lines on the page that carries the date (the letter's own date, before any 附件 page). */
function bodyLinesWithDate(pdf: string): { page: number; lines: number } {
  const pages = pageTexts(pdf);
  const page = pages.findIndex((p) => p.replace(/\s+/g, '').includes(DATE));
  return { page: page + 1, lines: (pages[page] ?? '').split('\n').filter((l) => /正文第\d+段/.test(l.replace(/\s+/g, ''))).length };
}

describe('the signature page', () => {
  const counts = Array.from({ length: 16 }, (_, i) => 8 + i);

  it('keeps at least two lines of body with the 署名 and date in the DOCX as LibreOffice lays it out', async () => {
    const inputs: string[] = [];
    for (const n of counts) {
      const file = path.join(out, `body-${n}.docx`);
      fs.writeFileSync(file, await fixtureDocx(letterOf(n)));
      inputs.push(file);
    }
    const pdfs = convertManyWithLibreOffice(inputs, out);
    const results = pdfs.map((pdf, i) => ({ n: counts[i], ...bodyLinesWithDate(pdf) }));
    // The sweep crosses a page break: some letters sign on page 2.
    expect(results.some((r) => r.page > 1)).toBe(true);
    for (const r of results) expect(r, `${r.n} paragraphs`).toMatchObject({ lines: expect.toSatisfy((l: number) => l >= 2) });
  }, 300_000);

  it('does the same in the PDF rendition', async () => {
    const renditions = new PdfRenditions(path.join(RESOURCES_DIR, 'fonts', 'gbsn00lp.ttf'), '案卷评查工作站 test');
    const results: Array<{ n: number; page: number; lines: number }> = [];
    for (const n of counts) {
      const r = await renditions.render(letterOf(n), {
        charts: new Map(),
        verification: null,
        seal: null,
        documentId: null,
        createdAt: '2025-03-05T02:00:00.000Z',
      });
      const file = path.join(out, `rendition-${n}.pdf`);
      fs.writeFileSync(file, r.bytes);
      results.push({ n, ...bodyLinesWithDate(file) });
    }
    expect(results.some((r) => r.page > 1)).toBe(true);
    for (const r of results) expect(r.lines, `${r.n} paragraphs`).toBeGreaterThanOrEqual(2);
  });
});
