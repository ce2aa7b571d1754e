/** Reads back what a DOCX says about layout: page set-up and the font, size and spacing of each run. */
import { execFileSync } from 'node:child_process';
import JSZip from 'jszip';

export interface DocxRun {
  eastAsia: string | null;
  halfPoints: number | null;
  spacing: number | null;
  color: string | null;
  text: string;
}

export async function docxParts(bytes: Uint8Array): Promise<{ document: string; footers: string[]; runs: DocxRun[] }> {
  const zip = await JSZip.loadAsync(bytes);
  const document = await zip.file('word/document.xml')!.async('string');
  const footers = await Promise.all(zip.file(/word\/footer\d*\.xml/).map((f) => f.async('string')));
  return { document, footers, runs: runsOf(document) };
}

export function runsOf(xml: string): DocxRun[] {
  return [...xml.matchAll(/<w:r>([\s\S]*?)<\/w:r>/g)].map((m) => {
    const r = m[1]!;
    return {
      eastAsia: /w:eastAsia="([^"]+)"/.exec(r)?.[1] ?? null,
      halfPoints: Number(/<w:sz w:val="(\d+)"/.exec(r)?.[1] ?? NaN) || null,
      spacing: /<w:spacing w:val="(-?\d+)"/.exec(r) ? Number(/<w:spacing w:val="(-?\d+)"/.exec(r)![1]) : null,
      color: /<w:color w:val="([0-9A-Fa-f]{6})"/.exec(r)?.[1] ?? null,
      text: [...r.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(''),
    };
  });
}

export function pageSetup(xml: string) {
  const size = /<w:pgSz w:w="(\d+)" w:h="(\d+)"/.exec(xml);
  const mar = /<w:pgMar ([^/]*)\/>/.exec(xml)?.[1] ?? '';
  const attr = (name: string): number => Number(new RegExp(`w:${name}="(-?\\d+)"`).exec(mar)?.[1]);
  return {
    width: Number(size?.[1]),
    height: Number(size?.[2]),
    top: attr('top'),
    bottom: attr('bottom'),
    left: attr('left'),
    right: attr('right'),
  };
}

/** Word boxes of one page from poppler (-bbox): text with its left/right edges in points. */
export function wordBoxes(pdf: string, page = 1): Array<{ text: string; xMin: number; xMax: number; yMin: number; yMax: number }> {
  const html = execFileSync('pdftotext', ['-bbox', '-f', String(page), '-l', String(page), pdf, '-'], { encoding: 'utf8' });
  return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
    xMin: Number(m[1]),
    yMin: Number(m[2]),
    xMax: Number(m[3]),
    yMax: Number(m[4]),
    text: m[5]!,
  }));
}

/**
 * Where red rules run across the page (rows where more than half the width is red), in mm from the
 * page's top edge — the 版头's 分隔线 and the 信函格式's double rules, measured on the rendered page.
 */
export function redRules(pdf: string, page = 1, dpi = 150): Array<{ topMm: number; bottomMm: number }> {
  const ppm = execFileSync('pdftoppm', ['-r', String(dpi), '-f', String(page), '-l', String(page), pdf], { maxBuffer: 1 << 28 });
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 40).toString('latin1'))!;
  const [w, h, start] = [Number(header[1]), Number(header[2]), header[0].length];
  const rows: number[] = [];
  for (let y = 0; y < h; y++) {
    let red = 0;
    for (let x = 0; x < w; x++) {
      const i = start + (y * w + x) * 3;
      if (ppm[i]! > 200 && ppm[i + 1]! < 90 && ppm[i + 2]! < 90) red++;
    }
    if (red > w / 2) rows.push(y);
  }
  const mm = (y: number): number => (y / dpi) * 25.4;
  const out: Array<{ topMm: number; bottomMm: number }> = [];
  for (const y of rows) {
    const last = out[out.length - 1];
    // A double rule (two lines with a small gap) is one rule.
    if (last && mm(y) - last.bottomMm < 1.2) last.bottomMm = mm(y + 1);
    else out.push({ topMm: mm(y), bottomMm: mm(y + 1) });
  }
  return out;
}
