/**
 * What OCR keeps in the database, and nothing else: what was read per file content and page, the
 * queue of files still to read, why a file could not be read, and whether a person paused reading.
 * Statements are prepared once per database and named for what they answer; JSON cells are read
 * through their schema (a damaged cell names its file and page instead of crashing a screen).
 */
import { z } from 'zod';
import { normaliseOcrText } from '../../../shared/ocr/normalise.js';
import { OcrLineSchema, type OcrLine, type OcrPageText } from '../../../shared/ocr/page-text.js';
import type { Db } from '../core/db/database.js';
import { parseJsonColumn, parseJsonColumnOrNull } from '../core/db/json-column.js';

const LinesSchema = z.array(OcrLineSchema);
const PagesSchema = z.array(z.number().int().min(0));

/** A file waiting in the queue, with what the reader needs of it. */
export interface QueuedFile {
  documentId: string;
  sha256: string;
  pageCount: number;
  /** Only these pages (a person asked for them), or every unread one. */
  pages: number[] | null;
  /** A person opened it (the reader), rather than the campaign queueing it in the background. */
  askedFor: boolean;
}

/** A stored result of one page, as the screens show it. */
export interface StoredPage {
  pageIndex: number;
  engine: string;
  status: OcrPageText['status'];
  lines: OcrLine[];
  meanConfidence: number | null;
}

const PAUSED_KEY = 'ocr_paused';

/** Every statement of the feature, prepared once per database. */
function prepare(db: Db) {
  return {
    document: db.prepare('SELECT sha256, page_count FROM documents WHERE id = ?'),
    pagesWithText: db.prepare('SELECT page_index FROM page_texts WHERE document_id = ?'),
    pagesRead: db.prepare('SELECT page_index FROM ocr_pages WHERE sha256 = ? AND engine = ?'),
    enqueue: db.prepare(
      // A background file a person now opens joins the opened files at the back of their turn.
      `INSERT INTO ocr_queue (document_id, priority, pages_json, requested_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(document_id) DO UPDATE SET priority = max(priority, excluded.priority),
         requested_at = CASE WHEN ocr_queue.priority = 0 AND excluded.priority > 0 THEN excluded.requested_at ELSE ocr_queue.requested_at END,
         pages_json = CASE WHEN ocr_queue.pages_json IS NULL OR excluded.pages_json IS NULL THEN NULL ELSE excluded.pages_json END`,
    ),
    dequeue: db.prepare('DELETE FROM ocr_queue WHERE document_id = ?'),
    toBackOfTurn: db.prepare('UPDATE ocr_queue SET requested_at = ? WHERE document_id = ?'),
    anyQueued: db.prepare('SELECT 1 FROM ocr_queue LIMIT 1'),
    // Pages the queued files still need read (no text layer, no reading yet), in one statement: counted
    // file by file it took minutes for a province's queue, with the back end answering nobody meanwhile.
    queuedPagesLeft: db.prepare(
      `WITH docs AS MATERIALIZED (
         SELECT d.id, d.sha256, d.page_count FROM ocr_queue q JOIN documents d ON d.id = q.document_id
       ),
       covered AS (
         SELECT t.document_id AS id, t.page_index AS page FROM page_texts t WHERE t.document_id IN (SELECT id FROM docs)
         UNION
         SELECT docs.id, o.page_index FROM docs JOIN ocr_pages o ON o.sha256 = docs.sha256 AND o.engine = @engine
       )
       SELECT coalesce((SELECT sum(page_count) FROM docs), 0)
         - (SELECT count(*) FROM covered k JOIN docs d ON d.id = k.id WHERE k.page >= 0 AND k.page < d.page_count)`,
    ),
    next: db.prepare(
      // Drawn files first (a current draw): the panel's files are read before the rest. Then the files
      // people opened, in turn (each goes to the back after a few pages, so two readers share the
      // engine instead of taking it from each other), then the background queue in arrival order.
      `SELECT q.document_id, d.sha256, d.page_count, q.pages_json, q.priority > 0 AS asked_for
       FROM ocr_queue q JOIN documents d ON d.id = q.document_id
       ORDER BY EXISTS (SELECT 1 FROM drawn_cases dc JOIN draws dr ON dr.id = dc.draw_id
                        WHERE dc.case_id = d.case_id AND dr.superseded_at IS NULL) DESC,
         q.priority > 0 DESC, q.requested_at, q.document_id LIMIT 1`,
    ),
    insertPage: db.prepare(
      `INSERT OR IGNORE INTO ocr_pages (sha256, page_index, engine, status, lines_json, mean_confidence, dpi, ms, read_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    documentsWithContent: db.prepare('SELECT id FROM documents WHERE sha256 = ?'),
    // Which files with these bytes already have the page in the search index.
    indexedWithContent: db.prepare(
      'SELECT DISTINCT document_id FROM page_texts WHERE page_index = ? AND document_id IN (SELECT id FROM documents WHERE sha256 = ?)',
    ),
    index: db.prepare('INSERT INTO page_texts (text, document_id, page_index) VALUES (?, ?, ?)'),
    textPages: db.prepare("SELECT page_index, lines_json FROM ocr_pages WHERE sha256 = ? AND engine = ? AND status = 'text'"),
    allPages: db.prepare('SELECT page_index, lines_json FROM ocr_pages WHERE sha256 = ? AND engine = ?'),
    linesOfPage: db.prepare(
      'SELECT o.sha256, o.lines_json FROM ocr_pages o JOIN documents d ON d.sha256 = o.sha256 WHERE d.id = ? AND o.page_index = ? AND o.engine = ?',
    ),
    pagesOfContent: db.prepare(
      'SELECT page_index, engine, status, lines_json, mean_confidence FROM ocr_pages WHERE sha256 = ? AND engine = ? ORDER BY page_index',
    ),
    failure: db.prepare('SELECT reason FROM ocr_failures WHERE document_id = ?'),
    setFailure: db.prepare(
      `INSERT INTO ocr_failures (document_id, reason, failed_at) VALUES (?, ?, ?)
       ON CONFLICT (document_id) DO UPDATE SET reason = excluded.reason, failed_at = excluded.failed_at`,
    ),
    clearFailure: db.prepare('DELETE FROM ocr_failures WHERE document_id = ?'),
    setting: db.prepare('SELECT value_json FROM settings WHERE key = ?'),
    setSetting: db.prepare(
      'INSERT INTO settings (key, value_json) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json',
    ),
    // One statement instead of three look-ups per file of the campaign.
    documentsToRead: db.prepare(
      `WITH docs AS MATERIALIZED (
         SELECT d.id, d.sha256, d.page_count, c.case_number, d.position FROM documents d JOIN cases c ON c.id = d.case_id
         WHERE c.campaign_id = @campaignId
           AND (@retryFailed OR NOT EXISTS (SELECT 1 FROM ocr_failures f WHERE f.document_id = d.id))
       ),
       covered AS (
         SELECT t.document_id AS id, t.page_index AS page FROM page_texts t WHERE t.document_id IN (SELECT id FROM docs)
         UNION
         SELECT docs.id, o.page_index FROM docs JOIN ocr_pages o ON o.sha256 = docs.sha256 AND o.engine = @engine
       ),
       counted AS (
         SELECT k.id, count(*) AS n FROM covered k JOIN docs d ON d.id = k.id
         WHERE k.page >= 0 AND k.page < d.page_count GROUP BY k.id
       )
       SELECT docs.id FROM docs LEFT JOIN counted ON counted.id = docs.id
       WHERE docs.page_count > coalesce(counted.n, 0)
       ORDER BY docs.case_number, docs.position`,
    ),
    campaignDocuments: db.prepare(
      'SELECT d.id FROM documents d JOIN cases c ON c.id = d.case_id WHERE c.campaign_id = ? ORDER BY c.case_number, d.position',
    ),
    campaignOfDocument: db.prepare('SELECT c.campaign_id, c.id FROM documents d JOIN cases c ON c.id = d.case_id WHERE d.id = ?'),
    filesOfCampaign: db.prepare(
      `SELECT d.id, d.case_id, d.sha256, d.page_count, q.document_id IS NOT NULL AS queued FROM documents d JOIN cases c ON c.id = d.case_id
       LEFT JOIN ocr_queue q ON q.document_id = d.id
       WHERE c.campaign_id = @campaignId AND (@caseId IS NULL OR c.id = @caseId) ORDER BY c.case_number, d.position`,
    ),
    // The pages with a text layer and the pages read, of all the campaign's files at once, not file by file.
    layerPagesOfCampaign: db.prepare(
      `SELECT t.document_id AS id, t.page_index AS page FROM page_texts t WHERE t.document_id IN
         (SELECT d.id FROM documents d JOIN cases c ON c.id = d.case_id WHERE c.campaign_id = @campaignId AND (@caseId IS NULL OR c.id = @caseId))`,
    ),
    readPagesOfCampaign: db.prepare(
      `SELECT o.sha256, o.page_index AS page FROM ocr_pages o WHERE o.engine = @engine AND o.sha256 IN
         (SELECT d.sha256 FROM documents d JOIN cases c ON c.id = d.case_id WHERE c.campaign_id = @campaignId AND (@caseId IS NULL OR c.id = @caseId))`,
    ),
    campaignExists: db.prepare('SELECT 1 FROM campaigns WHERE id = ?'),
    campaignCancelled: db.prepare('SELECT 1 FROM ocr_cancelled_campaigns WHERE campaign_id = ?'),
    cancelCampaign: db.prepare(
      'INSERT INTO ocr_cancelled_campaigns (campaign_id, cancelled_at) VALUES (?, ?) ON CONFLICT(campaign_id) DO UPDATE SET cancelled_at = excluded.cancelled_at',
    ),
    uncancelCampaign: db.prepare('DELETE FROM ocr_cancelled_campaigns WHERE campaign_id = ?'),
    recentPageTimes: db.prepare('SELECT ms FROM ocr_pages WHERE ms > 0 ORDER BY read_at DESC LIMIT 20').pluck(),
  };
}

export class OcrRepo {
  private readonly q: ReturnType<typeof prepare>;

  constructor(db: Db) {
    this.q = prepare(db);
  }

  /** The file's content and page count, or null when there is no such file. */
  document(documentId: string): { sha256: string; pageCount: number } | null {
    const row = this.q.document.get(documentId) as { sha256: string; page_count: number } | undefined;
    return row ? { sha256: row.sha256, pageCount: row.page_count } : null;
  }

  pagesWithText(documentId: string): Set<number> {
    return new Set(this.q.pagesWithText.pluck().all(documentId) as number[]);
  }

  pagesRead(sha256: string, engine: string): Set<number> {
    return new Set(this.q.pagesRead.pluck().all(sha256, engine) as number[]);
  }

  enqueue(documentId: string, priority: number, pages: number[] | undefined, at: string): void {
    this.q.enqueue.run(documentId, priority, pages ? JSON.stringify(pages) : null, at);
  }

  dequeue(documentId: string): void {
    this.q.dequeue.run(documentId);
  }

  /** The file had its turn: it waits behind the others queued in the same rank. */
  toBackOfTurn(documentId: string, at: string): void {
    this.q.toBackOfTurn.run(at, documentId);
  }

  anyQueued(): boolean {
    return this.q.anyQueued.get() !== undefined;
  }

  /** Pages the queued files still need read: no text layer of their own and not read yet. */
  queuedPagesLeft(engine: string): number {
    return this.q.queuedPagesLeft.pluck().get({ engine }) as number;
  }

  nextQueued(): QueuedFile | null {
    const row = this.q.next.get() as
      { document_id: string; sha256: string; page_count: number; pages_json: string | null; asked_for: number } | undefined;
    if (!row) return null;
    return {
      askedFor: row.asked_for === 1,
      documentId: row.document_id,
      sha256: row.sha256,
      pageCount: row.page_count,
      pages: parseJsonColumnOrNull(PagesSchema, row.pages_json, `文字识别队列中文件 ${row.document_id}`),
    };
  }

  insertPage(page: OcrPageText, engine: string, meanConfidence: number | null, at: string): void {
    this.q.insertPage.run(
      page.sha256,
      page.pageIndex,
      engine,
      page.status,
      JSON.stringify(page.lines),
      meanConfidence,
      page.dpi,
      page.ms,
      at,
    );
  }

  documentsWithContent(sha256: string): string[] {
    return this.q.documentsWithContent.pluck().all(sha256) as string[];
  }

  /** The files with these bytes whose search index already holds this page. */
  indexedWithContent(sha256: string, pageIndex: number): Set<string> {
    return new Set(this.q.indexedWithContent.pluck().all(pageIndex, sha256) as string[]);
  }

  index(documentId: string, pageIndex: number, text: string): void {
    this.q.index.run(text, documentId, pageIndex);
  }

  /** Lines of the pages of this content that were read as text. */
  textPages(sha256: string, engine: string): Array<{ pageIndex: number; lines: OcrLine[] }> {
    return (this.q.textPages.all(sha256, engine) as Array<{ page_index: number; lines_json: string }>).map((r) => ({
      pageIndex: r.page_index,
      lines: this.lines(r.lines_json, sha256, r.page_index),
    }));
  }

  /** Lines of every page of this content that was read (blank and unreadable pages: none). */
  allPages(sha256: string, engine: string): Array<{ pageIndex: number; lines: OcrLine[] }> {
    return (this.q.allPages.all(sha256, engine) as Array<{ page_index: number; lines_json: string }>).map((r) => ({
      pageIndex: r.page_index,
      lines: this.lines(r.lines_json, sha256, r.page_index),
    }));
  }

  linesOfPage(documentId: string, pageIndex: number, engine: string): OcrLine[] | null {
    const row = this.q.linesOfPage.get(documentId, pageIndex, engine) as { sha256: string; lines_json: string } | undefined;
    return row ? this.lines(row.lines_json, row.sha256, pageIndex) : null;
  }

  /** The stored pages of this content (only `wanted` when given: a damaged page elsewhere does not hide them). */
  pagesOfContent(sha256: string, engine: string, wanted: ReadonlySet<number> | null): StoredPage[] {
    return (
      this.q.pagesOfContent.all(sha256, engine) as Array<{
        page_index: number;
        engine: string;
        status: OcrPageText['status'];
        lines_json: string;
        mean_confidence: number | null;
      }>
    )
      .filter((r) => !wanted || wanted.has(r.page_index))
      .map((r) => ({
        pageIndex: r.page_index,
        engine: r.engine,
        status: r.status,
        lines: this.lines(r.lines_json, sha256, r.page_index),
        meanConfidence: r.mean_confidence,
      }));
  }

  /** Why the file's last reading failed (kept across restarts), or null. */
  failure(documentId: string): string | null {
    return (this.q.failure.pluck().get(documentId) as string | undefined) ?? null;
  }

  setFailure(documentId: string, reason: string, at: string): void {
    this.q.setFailure.run(documentId, reason, at);
  }

  clearFailure(documentId: string): void {
    this.q.clearFailure.run(documentId);
  }

  /** 暂停 holds across restarts: a paused workstation does not start reading when it opens. */
  paused(): boolean {
    const v = this.q.setting.pluck().get(PAUSED_KEY) as string | undefined;
    return v !== undefined && parseJsonColumn(z.boolean(), v, '设置“文字识别暂停”');
  }

  setPaused(paused: boolean): void {
    this.q.setSetting.run(PAUSED_KEY, JSON.stringify(paused));
  }

  /** Whether 取消 took the campaign off the queue (until someone starts its reading again). */
  campaignCancelled(campaignId: string): boolean {
    return this.q.campaignCancelled.get(campaignId) !== undefined;
  }

  cancelCampaign(campaignId: string, at: string): void {
    this.q.cancelCampaign.run(campaignId, at);
  }

  uncancelCampaign(campaignId: string): void {
    this.q.uncancelCampaign.run(campaignId);
  }

  /** The engine's time (ms) of the last pages read on this workstation, latest first. */
  recentPageTimes(): number[] {
    return this.q.recentPageTimes.all() as number[];
  }

  /** Files of the campaign with a page that has neither a text layer nor an OCR reading yet. */
  documentsToRead(campaignId: string, engine: string, retryFailed: boolean): string[] {
    return this.q.documentsToRead.pluck().all({ campaignId, engine, retryFailed: retryFailed ? 1 : 0 }) as string[];
  }

  campaignDocuments(campaignId: string): string[] {
    return this.q.campaignDocuments.pluck().all(campaignId) as string[];
  }

  campaignOfDocument(documentId: string): { campaignId: string; caseId: string } | null {
    const row = this.q.campaignOfDocument.get(documentId) as { campaign_id: string; id: string } | undefined;
    return row ? { campaignId: row.campaign_id, caseId: row.id } : null;
  }

  /** The campaign's files (one case's when given), in case order, and whether each waits in the queue. */
  /**
   * The campaign's files (or one case's) with, for each, the pages that have text of their own
   * (`withText`) and the pages OCR read for its bytes (`read`).
   */
  filesOfCampaign(
    campaignId: string,
    engine: string,
    caseId?: string,
  ): Array<{ id: string; caseId: string; queued: boolean; pageCount: number; withText: Set<number>; read: Set<number> }> {
    const params = { campaignId, caseId: caseId ?? null };
    const withText = new Map<string, Set<number>>();
    for (const r of this.q.layerPagesOfCampaign.all(params) as Array<{ id: string; page: number }>) {
      let set = withText.get(r.id);
      if (!set) withText.set(r.id, (set = new Set()));
      set.add(r.page);
    }
    const read = new Map<string, Set<number>>();
    for (const r of this.q.readPagesOfCampaign.all({ ...params, engine }) as Array<{ sha256: string; page: number }>) {
      let set = read.get(r.sha256);
      if (!set) read.set(r.sha256, (set = new Set()));
      set.add(r.page);
    }
    const none = new Set<number>();
    return (
      this.q.filesOfCampaign.all(params) as Array<{ id: string; case_id: string; sha256: string; page_count: number; queued: number }>
    ).map((r) => ({
      id: r.id,
      caseId: r.case_id,
      queued: r.queued === 1,
      pageCount: r.page_count,
      withText: withText.get(r.id) ?? none,
      read: read.get(r.sha256) ?? none,
    }));
  }

  campaignExists(campaignId: string): boolean {
    return this.q.campaignExists.get(campaignId) !== undefined;
  }

  private lines(json: string, sha256: string, pageIndex: number): OcrLine[] {
    return storedOcrLines(json, `文件 ${sha256.slice(0, 12)}… 第 ${pageIndex + 1} 页的文字识别结果`);
  }
}

/**
 * A page's stored OCR lines (`label` names the page in a `corrupt_data` error). Pages read before their
 * text was cleaned up on storing are cleaned as they are read back, for every reader of them alike.
 */
export function storedOcrLines(json: string, label: string): OcrLine[] {
  return parseJsonColumn(LinesSchema, json, label).map((l) => ({ ...l, text: normaliseOcrText(l.text) }));
}
