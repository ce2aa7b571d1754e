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
  return { width: Number(size?.[1]), height: Number(size?.[2]), top: attr('top'), bottom: attr('bottom'), left: attr('left'), right: attr('right') };
}

/** Word boxes of one page from poppler (-bbox): text with its left/right edges in points. */
export function wordBoxes(pdf: string, page = 1): Array<{ text: string; xMin: number; xMax: number; yMin: number }> {
  const html = execFileSync('pdftotext', ['-bbox', '-f', String(page), '-l', String(page), pdf, '-'], { encoding: 'utf8' });
  return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<\/word>/g)].map((m) => ({
    xMin: Number(m[1]),
    yMin: Number(m[2]),
    xMax: Number(m[3]),
    text: m[4]!,
  }));
}
