/**
 * The OCR benchmark's engine side, in a process of its own so its peak RSS is the OCR worker's
 * (plus this small main thread, measured before the worker starts): reads the PDFs named on the
 * command line with the app's OcrReader and prints one JSON object with the text and time per file.
 */
import { OcrReader } from '../../electron/services/ocr/ocr-reader.js';

const files = process.argv.slice(2);
const baseRss = process.resourceUsage().maxRSS * 1024;
const reader = new OcrReader();
let started = performance.now();
await reader.warm();
const warmMs = performance.now() - started;
const pages: { file: string; text: string; ms: number; status: string }[] = [];
started = performance.now();
for (const file of files) {
  const t = performance.now();
  const [page] = await reader.read(file);
  pages.push({ file, text: page!.lines.map((l) => l.text).join('\n'), ms: performance.now() - t, status: page!.status });
}
const totalMs = performance.now() - started;
const peakRss = process.resourceUsage().maxRSS * 1024;
await reader.close();
process.stdout.write(JSON.stringify({ warmMs, totalMs, baseRss, peakRss, pages }));
