/**
 * Real clients for exported files: LibreOffice converts DOCX to PDF (with the 公文 font aliases),
 * poppler reads the PDF back (page size, text, fonts) and renders page 1 to PNG for a person to look at.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const FONTS_CONF = path.join(process.cwd(), 'tests', 'fixtures', 'fonts-gongwen.conf');

export function convertWithLibreOffice(input: string, outDir: string, to = 'pdf'): string {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'lo-profile-'));
  try {
    execFileSync(
      'soffice',
      [`-env:UserInstallation=file://${profile}`, '--headless', '--norestore', '--convert-to', to, '--outdir', outDir, input],
      { env: { ...process.env, FONTCONFIG_FILE: FONTS_CONF }, stdio: 'pipe', timeout: 120_000 },
    );
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
  const out = path.join(outDir, `${path.basename(input, path.extname(input))}.${to}`);
  if (!fs.existsSync(out)) throw new Error(`LibreOffice did not produce ${out}`);
  return out;
}

/** Several documents in one LibreOffice run (one start-up for all): the PDFs, in the inputs' order. */
export function convertManyWithLibreOffice(inputs: string[], outDir: string): string[] {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'lo-profile-'));
  try {
    execFileSync(
      'soffice',
      [`-env:UserInstallation=file://${profile}`, '--headless', '--norestore', '--convert-to', 'pdf', '--outdir', outDir, ...inputs],
      {
        env: { ...process.env, FONTCONFIG_FILE: FONTS_CONF },
        stdio: 'pipe',
        timeout: 300_000,
      },
    );
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
  return inputs.map((input) => {
    const out = path.join(outDir, `${path.basename(input, path.extname(input))}.pdf`);
    if (!fs.existsSync(out)) throw new Error(`LibreOffice did not produce ${out}`);
    return out;
  });
}

export interface PdfFacts {
  pages: number;
  widthPt: number;
  heightPt: number;
  text: string;
}

export function pdfFacts(pdf: string): PdfFacts {
  const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
  const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
  const size = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info);
  const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
  return { pages, widthPt: Number(size?.[1]), heightPt: Number(size?.[2]), text };
}

export function pdfFonts(pdf: string): string {
  return execFileSync('pdffonts', [pdf], { encoding: 'utf8' });
}

/** Renders page 1 to PNG next to the PDF (for a person to open after the run). */
export function renderFirstPage(pdf: string, dpi = 80): string {
  const base = pdf.replace(/\.pdf$/i, '-page1');
  execFileSync('pdftoppm', ['-png', '-r', String(dpi), '-f', '1', '-l', '1', '-singlefile', pdf, base]);
  return `${base}.png`;
}
