/**
 * Reads what the workstation needs to know about a PDF: page count, whether it has a text layer or is
 * a scan, its metadata, and (optionally) each page's text for search. Classifies failures into the
 * specific reasons a person can act on.
 */
import fsp from 'node:fs/promises';
import { AppError } from '../../../../shared/core/errors.js';
import type { FileRejection } from '../../../../shared/import/outcomes.js';
import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { loadPdfjs, pdfjsFileSource, PDFJS_NODE_OPTIONS } from './pdfjs-node.js';

export interface PdfInfo {
  pageCount: number;
  hasText: boolean;
  metadata: Record<string, string>;
  /** Present when `withText` was asked for: one string per page. */
  pageTexts?: string[];
}

export interface InspectOptions {
  withText?: boolean;
  /** Stop extracting text after this many pages (page count is still exact). */
  maxTextPages?: number;
  /**
   * The file's bytes when the caller has read them already (the import's worker reads a file once to
   * hash it); without them pdf.js reads only the byte ranges it needs from disk.
   */
  data?: Uint8Array;
}

/** A failure with the import's rejection code in its details, so a batch can report it precisely. */
const rejected = (code: 'damaged_file' | 'unsupported_file' | 'io_error', reason: FileRejection, message: string): AppError =>
  new AppError(code, message, { reason });

/** Longest text kept per page: a broken text layer must not flood the search index. */
const MAX_PAGE_TEXT = 20_000;

/** Pages whose text is requested at once (bounded, so a 2,000-page file does not hold every page). */
const PAGES_IN_FLIGHT = 8;
/** Minimum non-blank characters per page, on average, for a document to count as having text. */
const TEXT_CHARS_PER_PAGE = 10;
const METADATA_KEYS = ['Title', 'Author', 'Subject', 'Creator', 'Producer', 'CreationDate', 'ModDate'] as const;

export async function looksLikePdf(file: string): Promise<boolean> {
  const fh = await fsp.open(file, 'r');
  try {
    const head = Buffer.alloc(1024);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    return head.subarray(0, bytesRead).includes('%PDF-');
  } finally {
    await fh.close();
  }
}

export async function inspectPdf(file: string, options: InspectOptions = {}): Promise<PdfInfo> {
  const { data } = options;
  const size = data ? data.length : (await fsp.stat(file).catch(() => null))?.size;
  if (size === undefined) throw rejected('io_error', 'unreadable', '文件不存在或无法读取。');
  if (size === 0) throw rejected('damaged_file', 'empty_file', '文件是空的（0 字节）。');
  const isPdf = data ? Buffer.from(data.buffer, data.byteOffset, Math.min(1024, data.length)).includes('%PDF-') : await looksLikePdf(file);
  if (!isPdf) throw rejected('unsupported_file', 'not_pdf', '不是 PDF 文件（文件开头没有 PDF 标识）。');

  const pdfjs = await loadPdfjs();
  // Without the bytes in hand, pdf.js reads byte ranges on demand instead of the whole file.
  const source = data ? { data } : pdfjsFileSource(file);
  const task = pdfjs.getDocument({ ...source, ...PDFJS_NODE_OPTIONS });
  let doc;
  try {
    doc = await task.promise;
  } catch (err) {
    await task.destroy().catch(() => undefined);
    throw classifyPdfError(err);
  }
  try {
    const pageCount = doc.numPages;
    if (!pageCount) throw rejected('damaged_file', 'zero_pages', 'PDF 没有任何页面（0 页）。');
    const metadata: Record<string, string> = {};
    try {
      const meta = await doc.getMetadata();
      const info = (meta.info ?? {}) as Record<string, unknown>;
      for (const key of METADATA_KEYS) {
        const v = info[key];
        if (typeof v === 'string' && v.trim()) metadata[key] = v.trim().slice(0, 500);
      }
    } catch {
      // Broken metadata does not make the document unusable.
    }
    const textPages = Math.min(pageCount, options.maxTextPages ?? pageCount);
    const sample = options.withText ? textPages : Math.min(pageCount, 3);
    const pageTexts = await pageTextsOf(doc, sample);
    const chars = pageTexts.reduce((n, text) => n + text.replace(/\s/g, '').length, 0);
    const hasText = chars >= TEXT_CHARS_PER_PAGE * sample;
    return options.withText ? { pageCount, hasText, metadata, pageTexts } : { pageCount, hasText, metadata };
  } finally {
    await doc.destroy().catch(() => undefined);
  }
}

/**
 * The text of pages 1..count, a few pages in flight at once: each page is a round trip to pdf.js's
 * worker side, and overlapping them halves the time of a 30-page scan (measured; see the import bench).
 */
async function pageTextsOf(doc: PDFDocumentProxy, count: number): Promise<string[]> {
  const texts: string[] = new Array<string>(count).fill('');
  let next = 1;
  const reader = async (): Promise<void> => {
    for (let i = next++; i <= count; i = next++) {
      try {
        const page = await doc.getPage(i);
        const content = await page.getTextContent();
        texts[i - 1] = content.items
          .map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : ''))
          .join('')
          .slice(0, MAX_PAGE_TEXT);
        page.cleanup();
      } catch {
        // One unreadable page does not reject the file; its text is just missing.
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PAGES_IN_FLIGHT, count) }, reader));
  return texts;
}

export function classifyPdfError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const name = (err as { name?: string })?.name ?? '';
  const message = (err as Error)?.message ?? String(err);
  if (name === 'PasswordException') return rejected('unsupported_file', 'encrypted', 'PDF 设有打开密码，请去除密码后再导入。');
  if (name === 'InvalidPDFException')
    return rejected('damaged_file', 'damaged', `PDF 文件已损坏，无法解析（技术信息：${message.slice(0, 200)}）。`);
  if (name === 'MissingPDFException' || name === 'ResponseException') return rejected('io_error', 'unreadable', '文件不存在或无法读取。');
  return rejected('damaged_file', 'damaged', `PDF 文件已损坏，无法读取（技术信息：${message.slice(0, 200)}）。`);
}
