/**
 * pdf.js for the renderer: the stock library and viewer components, with the worker, cMaps, standard
 * fonts and wasm decoders all served by the app itself. pdf_viewer.mjs reads `globalThis.pdfjsLib`,
 * so the library is published there before the viewer module is evaluated.
 */
import * as pdfjsLib from 'pdfjs-dist';
import type { PDFWorkerParameters } from 'pdfjs-dist/types/src/display/api';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import { earlyWorker } from '../early-case';

(globalThis as unknown as { pdfjsLib: typeof pdfjsLib }).pdfjsLib = pdfjsLib;
pdfjsLib.GlobalWorkerOptions.workerSrc = workerUrl;

export { pdfjsLib };

let sharedWorker: InstanceType<typeof pdfjsLib.PDFWorker> | null = null;

/**
 * One pdf.js worker for the window, started as soon as a screen knows it will show a PDF (before the
 * case and document calls return), and kept for the next file: starting a worker — fetching and
 * compiling 1.2 MB of script — is then off the path to the first painted page.
 */
export function pdfWorker(): InstanceType<typeof pdfjsLib.PDFWorker> {
  // Opened on a case, the worker was started by early-case.ts during start-up: pdf.js takes it as its port.
  // (pdfjs-dist's d.ts types the constructor's `port` as null; its PDFWorkerParameters say Worker.)
  sharedWorker ??= earlyWorker
    ? new pdfjsLib.PDFWorker({ port: earlyWorker } satisfies PDFWorkerParameters as unknown as { port: null })
    : new pdfjsLib.PDFWorker();
  return sharedWorker;
}

/** Options every document load uses: local assets, no eval, lazy range loading for big scans. */
export function documentOptions(url: string) {
  return {
    url,
    worker: pdfWorker(),
    cMapUrl: '/pdfjs/cmaps/',
    cMapPacked: true,
    standardFontDataUrl: '/pdfjs/standard_fonts/',
    wasmUrl: '/pdfjs/wasm/',
    iccUrl: '/pdfjs/iccs/',
    isEvalSupported: false,
    enableXfa: false,
    disableAutoFetch: true,
    disableStream: true,
    rangeChunkSize: 256 * 1024,
    useSystemFonts: false,
  };
}

type LoadingTask = ReturnType<typeof pdfjsLib.getDocument>;
const preloaded = new Map<string, { task: LoadingTask; timer: ReturnType<typeof setTimeout> }>();

/**
 * Starts loading a document (and its first page) before the screen that shows it exists; the viewer
 * then takes the same loading task (by URL). `data`, the whole file when start-up has read it, spares
 * pdf.js its range requests. Not taken within 30 s, it is dropped.
 */
export function preloadDocument(url: string, data?: Uint8Array): void {
  if (preloaded.has(url)) return;
  const { url: _url, ...options } = documentOptions(url);
  const task = pdfjsLib.getDocument(data ? { ...options, data } : { ...options, url });
  // Page 1's drawing instructions (and fonts) too, with the options the viewer renders with, so its
  // first render finds them ready.
  task.promise
    .then((pdf) => pdf.getPage(1))
    .then((page) => page.getOperatorList({ annotationMode: pdfjsLib.AnnotationMode.ENABLE }))
    .catch(() => undefined);
  const timer = setTimeout(() => {
    preloaded.delete(url);
    void task.destroy();
  }, 30_000);
  preloaded.set(url, { task, timer });
}

/** The loading task for a document URL: the preloaded one if there is one, else a new one. */
export function loadDocument(url: string): LoadingTask {
  const p = preloaded.get(url);
  if (!p) return pdfjsLib.getDocument(documentOptions(url));
  clearTimeout(p.timer);
  preloaded.delete(url);
  return p.task;
}
