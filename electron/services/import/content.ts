/**
 * The 案号 a dossier states on its first pages (封面, 立案审批表, 决定书), for files whose names do not
 * say which case they are. The text layer is read first (cheap, in the inspection threads); a scan's
 * first two pages are read by OCR (bounded: two pages a file, the one OCR thread).
 */
import { caseNumbersIn } from '../../../shared/dossiers/case-number.js';
import type { ContentCaseNumber } from '../../../shared/import/match.js';
import type { PdfInspectPool } from '../core/pdf/inspect-pool.js';
import type { ContentReading, PlanFile } from './plan.js';

/** Pages whose text layer is searched for the 案号. */
const TEXT_PAGES = 3;
/** Scanned pages read by OCR for it: the cover and the first 文书. */
const OCR_PAGES = [0, 1];
/** Fewer characters than this on a page: no text layer to speak of (a scan). */
const MIN_PAGE_CHARS = 10;

/** Reads pages of a scan by OCR (the OCR service, which keeps what it read). */
export interface ScanPageReader {
  readPages(file: string, pages: number[], signal?: AbortSignal): Promise<Array<{ pageIndex: number; text: string }>>;
  /** Frees the reader's memory (its models) when nothing else is reading. */
  releaseIdle(): void;
}

/** A field label run into the number when a cover's cells are joined ("…案卷案号清市监处罚〔2025〕8号"). */
const LABEL_BEFORE = /^.*(?:案号|编号|文号)(?=\p{Script=Han})/u;

/**
 * Line by line: a cover's heading lines ("清溪县市场监督管理局", "行政处罚案卷") are not part of the 案号
 * printed under them, and the organiser must see the number read, not the heading run into it.
 */
function numbersOn(pages: Array<{ pageIndex: number; text: string }>, source: ContentCaseNumber['source']): ContentCaseNumber[] {
  return pages.flatMap((p) =>
    p.text
      .split('\n')
      .flatMap((line) => caseNumbersIn(line))
      .map((n) => ({ caseNumber: n.replace(LABEL_BEFORE, ''), pageIndex: p.pageIndex, source })),
  );
}

/** Where a plan file's bytes are on disk, or null (a zip entry is read only when the import runs). */
function diskFile(f: PlanFile): string | null {
  return f.origin.kind === 'zip' ? null : f.origin.file;
}

export async function readContents(
  files: PlanFile[],
  pool: PdfInspectPool,
  ocr: ScanPageReader | null,
  signal?: AbortSignal,
): Promise<Map<string, ContentReading>> {
  const out = new Map<string, ContentReading>();
  for (const f of files) {
    const file = diskFile(f);
    if (!file || signal?.aborted) continue;
    try {
      const info = await pool.inspect(file, { withText: true, maxTextPages: TEXT_PAGES, sizeBytes: f.size, ...(signal ? { signal } : {}) });
      const texts = (info.pageTexts ?? []).map((text, pageIndex) => ({ pageIndex, text }));
      let numbers = numbersOn(texts, 'text');
      const scanned = OCR_PAGES.filter((i) => i < info.pageCount && (texts[i]?.text.replace(/\s+/g, '').length ?? 0) < MIN_PAGE_CHARS);
      if (!numbers.length && ocr && scanned.length) numbers = numbersOn(await ocr.readPages(file, scanned, signal), 'ocr');
      if (numbers.length) out.set(f.key, { numbers });
    } catch {
      // A file that cannot be read here is judged by the import itself, with its reason.
    }
  }
  // The import that follows needs the memory more than the OCR models (loaded again when next used).
  ocr?.releaseIdle();
  return out;
}
