/**
 * pdf.js for the renderer: the stock library and viewer components, with the worker, cMaps, standard
 * fonts and wasm decoders all served by the app itself. pdf_viewer.mjs reads `globalThis.pdfjsLib`,
 * so the library is published there before the viewer module is evaluated.
 */
import * as pdfjsLib from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

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
  sharedWorker ??= new pdfjsLib.PDFWorker();
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
