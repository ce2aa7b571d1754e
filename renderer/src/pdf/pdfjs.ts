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

/** Options every document load uses: local assets, no eval, lazy range loading for big scans. */
export function documentOptions(url: string) {
  return {
    url,
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
