/**
 * The offline OCR engine's reading of a fixture PDF, kept under test-output/ocr-cache/ by the file's
 * SHA-256: measuring the pre-check under OCR then costs the recognition once per generated file, not
 * once per run (a scanned 20-page dossier takes about a minute on a busy two-core machine).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ocrPlainText, type OcrPageText } from '../../shared/ocr/page-text.js';
import type { OcrReader } from '../../electron/services/ocr/ocr-reader.js';
import { outputDir } from './temp.js';

export async function ocrPages(reader: OcrReader, file: string): Promise<OcrPageText[]> {
  const sha = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  const cached = path.join(outputDir('ocr-cache'), `${sha}-${reader.dpi}.json`);
  if (fs.existsSync(cached)) return JSON.parse(fs.readFileSync(cached, 'utf8')) as OcrPageText[];
  const pages = await reader.read(file);
  fs.writeFileSync(`${cached}.tmp`, JSON.stringify(pages));
  fs.renameSync(`${cached}.tmp`, cached);
  return pages;
}

/** Each page's text as the pre-check service reads it. */
export async function ocrTexts(reader: OcrReader, file: string): Promise<string[]> {
  return (await ocrPages(reader, file)).map(ocrPlainText);
}
