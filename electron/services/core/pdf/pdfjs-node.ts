/** pdf.js in Node: the legacy build, with its own cMaps and standard fonts read from disk (never fetched). */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';

const require = createRequire(import.meta.url);
const PDFJS_ROOT = path.dirname(require.resolve('pdfjs-dist/package.json'));

export const PDFJS_ASSETS = {
  cMapUrl: path.join(PDFJS_ROOT, 'cmaps') + path.sep,
  standardFontDataUrl: path.join(PDFJS_ROOT, 'standard_fonts') + path.sep,
  wasmUrl: path.join(PDFJS_ROOT, 'wasm') + path.sep,
};

/**
 * Document options every back-end reader uses: local assets, packed cMaps (Chinese text is silently
 * dropped without them), no eval, no font loading, and keep going past a damaged object.
 */
export const PDFJS_NODE_OPTIONS = {
  ...PDFJS_ASSETS,
  cMapPacked: true,
  isEvalSupported: false,
  disableFontFace: true,
  useSystemFonts: false,
  stopAtErrors: false,
  verbosity: 0,
};

/** pdf.js reads a file in ranges of this size: only what the page tree and the pages asked for need. */
const RANGE_CHUNK = 256 * 1024;

/**
 * A file on disk as a pdf.js source: a file:// URL read in byte ranges on demand instead of the whole
 * file, so a 500-page scan costs the page tree and the pages used, not all its images.
 */
export function pdfjsFileSource(file: string): { url: string; disableStream: true; disableAutoFetch: true; rangeChunkSize: number } {
  return { url: pathToFileURL(file).href, disableStream: true, disableAutoFetch: true, rangeChunkSize: RANGE_CHUNK };
}

type PdfjsModule = typeof Pdfjs;

let loaded: Promise<PdfjsModule> | null = null;
export function loadPdfjs(): Promise<PdfjsModule> {
  loaded ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return loaded;
}
