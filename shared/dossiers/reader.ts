/** What the reader asks of the back end beyond annotations: page-text search and file integrity. */
import { z } from 'zod';
import { INTEGRITY_STATUSES } from './integrity.js';

export * from './integrity.js';

/** Queries this short cannot use the trigram index (it needs three characters) and fall back to LIKE. */
export const TRIGRAM_MIN_CHARS = 3;

export const SearchPagesInputSchema = z.object({
  campaignId: z.string().min(1, '缺少评查活动').max(100),
  query: z.string().trim().min(1, '请输入要检索的文字').max(100, '检索词过长（最多 100 个字）'),
  /** Only this file (案卷) when given. */
  caseId: z.string().max(100).optional(),
  limit: z.number().int().min(1).max(500).default(100),
});

export const SearchHitSchema = z.object({
  caseId: z.string(),
  caseNumber: z.string(),
  unitName: z.string(),
  documentId: z.string(),
  documentTitle: z.string(),
  pageIndex: z.number().int(),
  /** The matched text with a little context either side, for the result list. */
  before: z.string(),
  match: z.string(),
  after: z.string(),
  /** Where the page's text came from: its own text layer, or OCR of a scanned page. */
  source: z.enum(['text', 'ocr']).optional(),
  /** For OCR text: the box of the line the match starts in, PDF user-space points [x0, y0, x1, y1]. */
  box: z.tuple([z.number(), z.number(), z.number(), z.number()]).optional(),
});
export type SearchHit = z.infer<typeof SearchHitSchema>;

export const SearchPagesResultSchema = z.object({
  hits: z.array(SearchHitSchema),
  /** More pages matched than `limit`. */
  truncated: z.boolean(),
});

export const DocumentIntegritySchema = z.object({
  documentId: z.string(),
  sha256: z.string(),
  status: z.enum(INTEGRITY_STATUSES),
  checkedAt: z.string(),
});
export type DocumentIntegrity = z.infer<typeof DocumentIntegritySchema>;

/** The bracket pairs a 案号's year is written in, by hand, by a template or as OCR reads it. */
const YEAR_BRACKETS = [
  ['〔', '〕'],
  ['（', '）'],
  ['(', ')'],
  ['[', ']'],
  ['［', '］'],
  ['【', '】'],
] as const;
const OPENING = /[〔（([［【]/gu;
const CLOSING = /[〕）)\]］】]/gu;
const ANY_BRACKET = /[〔（([［【〕）)\]］】]/u;

/**
 * The ways a query may stand in page text: a 案号 typed as 清城管罚〔2025〕8号 is also found where OCR
 * read the brackets as （）or a unit printed [2025]. A query without brackets is itself alone.
 */
export function bracketVariants(query: string): string[] {
  if (!ANY_BRACKET.test(query)) return [query];
  return [...new Set(YEAR_BRACKETS.map(([o, c]) => query.replace(OPENING, o).replace(CLOSING, c)))];
}

/** Context around a hit: where `query` first occurs in `text` (case-insensitive), or null. */
export function snippetOf(text: string, query: string, context = 24): { before: string; match: string; after: string } | null {
  const flat = text.replace(/\s+/g, ' ');
  const at = flat.toLowerCase().indexOf(query.toLowerCase());
  if (at < 0) return null;
  const start = Math.max(0, at - context);
  const end = Math.min(flat.length, at + query.length + context);
  return {
    before: (start > 0 ? '…' : '') + flat.slice(start, at),
    match: flat.slice(at, at + query.length),
    after: flat.slice(at + query.length, end) + (end < flat.length ? '…' : ''),
  };
}
