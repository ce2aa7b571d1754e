/**
 * The words pdf.js's viewer puts on the page (a page's screen-reader label, a PDF note's popup), in
 * Chinese. pdf.js's own localisation parses a 40 KB English Fluent file and formats each page's
 * label through Intl on every document, on the main thread, before the first page is painted; this
 * fills in the handful of messages the reader can show, synchronously. Given an l10n, the viewer does
 * not translate by itself: PdfViewer calls `translateOnce` on the pages once they exist and on each
 * annotation layer pdf.js draws (no observer of the whole document: the text layer alone adds
 * hundreds of nodes per page).
 */
import type { PDFViewerOptions } from 'pdfjs-dist/types/web/pdf_viewer';

type Args = Record<string, unknown>;
interface Message {
  value?: string;
  attributes?: Record<string, string>;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** A PDF date (pdf.js hands it over as milliseconds) in the form the app uses elsewhere. */
function dateTime(ms: unknown): string {
  const d = new Date(Number(ms));
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Every message id the reader's pdf.js layers use (page views, text layer, read-only annotation layer). */
const MESSAGES: Record<string, (args: Args) => Message> = {
  'pdfjs-page-landmark': (a) => ({ attributes: { 'aria-label': `第 ${String(a.page)} 页` } }),
  'pdfjs-text-annotation-type': (a) => ({ attributes: { alt: `[${String(a.type)} 注释]` } }),
  'pdfjs-annotation-date-time-string': (a) => ({ value: dateTime(a.dateObj) }),
  'pdfjs-show-comment-button': () => ({ attributes: { title: '显示注释' } }),
  'pdfjs-rendering-error': () => ({ value: '渲染本页时出错。' }),
  'pdfjs-loading-error': () => ({ value: '载入 PDF 时出错。' }),
  'pdfjs-invalid-file-error': () => ({ value: 'PDF 文件无效或已损坏。' }),
};

function message(id: string, args: Args | null): Message | null {
  const make = MESSAGES[id];
  return make ? make(args ?? {}) : null;
}

function argsOf(el: Element): Args | null {
  const raw = el.getAttribute('data-l10n-args');
  if (!raw) return null;
  try {
    return JSON.parse(raw) as Args;
  } catch {
    return null;
  }
}

function translateElement(el: Element): void {
  const id = el.getAttribute('data-l10n-id');
  const m = id ? message(id, argsOf(el)) : null;
  if (!m) return;
  if (m.value !== undefined && el.textContent !== m.value) el.textContent = m.value;
  for (const [name, value] of Object.entries(m.attributes ?? {})) if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

function translateTree(root: Element): void {
  if (root.hasAttribute('data-l10n-id')) translateElement(root);
  for (const el of root.querySelectorAll('[data-l10n-id]')) translateElement(el);
}

/** What pdf.js's viewer expects of its `l10n` option (its L10n class, which pdf.js does not export). */
export class ReaderL10n {
  getLanguage(): string {
    return 'zh-cn';
  }

  getDirection(): string {
    return 'ltr';
  }

  async get(ids: string | string[], args: Args | null = null, fallback?: string): Promise<string | Array<string | undefined> | undefined> {
    if (Array.isArray(ids)) return ids.map((id) => message(id, null)?.value);
    return message(ids, args)?.value ?? fallback;
  }

  async translate(root: Element): Promise<void> {
    translateTree(root);
  }

  async translateOnce(root: Element): Promise<void> {
    translateTree(root);
  }

  // Nothing observed, nothing to pause or let go of.
  pause(): void {}

  resume(): void {}

  async destroy(): Promise<void> {}

  /** As the viewer's option (its declared type is pdf.js's own class, which has private fields). */
  asOption(): PDFViewerOptions['l10n'] {
    return this as unknown as PDFViewerOptions['l10n'];
  }
}
