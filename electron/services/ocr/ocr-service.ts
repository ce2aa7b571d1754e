/**
 * Every page of every dossier becomes text: the pages without a text layer of their own (scans) are
 * read by the offline OCR engine in the background, one file after another in the one OCR thread,
 * the file open in the reader first. What a page yields is committed page by page, keyed by the
 * file's SHA-256 and the engine (the same file in another campaign or on a laptop is not read
 * again), and written into the page-text index, so campaign search and find-in-file cover scans.
 *
 * The queue of files to read lives in the database: after a crash or a restart reading resumes with
 * the pages not yet committed.
 */
import { AppError } from '../../../shared/core/errors.js';
import type { OcrFileProgressSchema, OcrPageView, OcrStatus } from '../../../shared/ocr/channels.js';
import type { OcrLine, OcrPageText } from '../../../shared/ocr/page-text.js';
import type { Actor } from '../core/context.js';
import { nowIso } from '../core/context.js';
import { tx, type Db } from '../core/db/database.js';
import type { Handlers } from '../core/dispatcher.js';
import type { EventHub } from '../core/event-hub.js';
import type { JobControl, JobRunner } from '../core/jobs.js';
import type { Logger } from '../core/logger.js';
import type { BlobStore } from '../core/blob-store.js';
import { OCR_ENGINE_ID, OCR_ENGINE_VERSION } from './engine-id.js';
import { OcrReader, type OcrReaderOptions } from './ocr-reader.js';
import { OcrRepo } from './repo.js';
import { sha256OfFile } from '../core/file-hash.js';
import type { z } from 'zod';

/** The engine key stored with each result; results of an older engine are read afresh. */
export const OCR_ENGINE_KEY = `${OCR_ENGINE_ID}@${OCR_ENGINE_VERSION}`;

export interface OcrServiceOptions {
  /** Queue a campaign's scanned files as soon as they are imported (the desktop app; tests ask explicitly). */
  afterImport?: boolean;
  reader?: OcrReaderOptions;
}

/** How long after the last change announced by an import its campaign is looked at for scans. */
const QUEUE_SETTLE_MS = 2_000;

/** The background reading runs as the workstation's own job, not on anyone's behalf. */
const WORKSTATION: Actor = { id: 'workstation-ocr', username: 'workstation-ocr', displayName: '文字识别', role: 'organiser' };

/** A page's text for the search index: Chinese lines wrap mid-phrase, so they are joined without a break. */
export function ocrIndexText(lines: readonly Pick<OcrLine, 'text'>[]): string {
  return lines.map((l) => l.text).join('');
}

/** The line of `lines` (as joined by ocrIndexText) that the first occurrence of `query` starts in. */
export function lineOfMatch(lines: readonly OcrLine[], query: string): OcrLine | null {
  const text = ocrIndexText(lines).toLowerCase();
  const at = text.indexOf(query.toLowerCase());
  if (at < 0) return null;
  let end = 0;
  for (const line of lines) {
    end += line.text.length;
    if (at < end) return line;
  }
  return null;
}

/** A file's scanned pages: those without a text layer of their own, or whose text OCR produced. */
function scannedOf(pageCount: number, withText: ReadonlySet<number>, read: Set<number>): { pages: number[]; read: Set<number> } {
  const pages: number[] = [];
  for (let i = 0; i < pageCount; i++) if (!withText.has(i) || read.has(i)) pages.push(i);
  return { pages, read };
}

function meanConfidence(lines: readonly OcrLine[]): number | null {
  return lines.length ? lines.reduce((s, l) => s + l.confidence, 0) / lines.length : null;
}

/** Queue priority of a file a person opened (the background queue is 0). */
const ASKED_FOR = 1;
/** Pages read from one file before the queue is looked at again (about 5–20 s on a PC). */
const PAGES_PER_TURN = 3;
/** How often the background job counts again the pages its queue still holds (for the progress line). */
const PAGES_LEFT_EVERY_MS = 2000;

export class OcrService {
  private reader: OcrReader | null = null;
  private jobId: string | null = null;
  private job: Promise<void> | null = null;
  /** The file being read and how to stop it (to let a file the reader opened go first). */
  private current: { documentId: string; abort: AbortController; fromPage: number | undefined; askedFor: boolean } | null = null;
  /** Where reading of a file starts: the page open in the reader. */
  private readonly startPage = new Map<string, number>();
  private closed = false;
  private readonly unsubscribe: () => void;
  private readonly pendingCampaigns = new Map<string, NodeJS.Timeout>();
  private readonly repo: OcrRepo;

  constructor(
    private readonly db: Db,
    private readonly store: BlobStore,
    private readonly jobs: JobRunner,
    events: EventHub,
    private readonly log: Logger,
    private readonly options: OcrServiceOptions = {},
  ) {
    this.repo = new OcrRepo(db);
    // Files arrive through imports, single uploads and packages; each says so with data:changed.
    this.unsubscribe = events.subscribe((event, payload) => {
      if (!this.options.afterImport || event !== 'data:changed') return;
      const p = payload as { entity: string; campaignId?: string };
      if ((p.entity === 'case' || p.entity === 'document' || p.entity === 'campaign') && p.campaignId) this.queueCampaignSoon(p.campaignId);
    });
  }

  /** Resumes reading left unfinished by the last session (called once the back end is up). */
  resume(): void {
    this.ensureRunning();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe();
    for (const timer of this.pendingCampaigns.values()) clearTimeout(timer);
    this.current?.abort.abort();
    await this.reader?.close();
  }

  /** Resolves when the background reading has stopped (queue empty, cancelled or failed). */
  async idle(): Promise<void> {
    while (this.job) await this.job;
  }

  // ── what needs reading ──────────────────────────────────────────────────────────────────

  /** Pages of a file that have no text layer of their own (no stored text, or text that OCR produced). */
  private scannedPages(documentId: string): { sha256: string; pages: number[]; read: Set<number>; withText: Set<number> } {
    const doc = this.repo.document(documentId);
    if (!doc) throw new AppError('not_found', '文件不存在。');
    const withText = this.repo.pagesWithText(documentId);
    const read = this.repo.pagesRead(doc.sha256, OCR_ENGINE_KEY);
    return { sha256: doc.sha256, ...scannedOf(doc.pageCount, withText, read), withText };
  }

  private queueDocument(documentId: string, priority: number, pages?: number[]): void {
    this.repo.clearFailure(documentId);
    this.repo.enqueue(documentId, priority, pages, nowIso());
  }

  /** An import announces each case it registers: the campaign is looked at once it has settled. */
  private queueCampaignSoon(campaignId: string): void {
    if (this.pendingCampaigns.has(campaignId)) return;
    this.pendingCampaigns.set(
      campaignId,
      setTimeout(() => {
        this.pendingCampaigns.delete(campaignId);
        if (!this.closed && this.db.open) this.queueCampaign(campaignId, 0);
      }, QUEUE_SETTLE_MS).unref(),
    );
  }

  /**
   * Queues the campaign's files that still have scanned pages to read. A file whose reading failed
   * is read again only when a person asks (识别 / 继续), not on every change in the campaign.
   */
  queueCampaign(campaignId: string, priority = 0, retryFailed = false): void {
    // A campaign whose reading was cancelled waits for 开始识别 (ocr:campaign lifts the cancel first).
    if (this.isCancelled(campaignId)) return;
    const docs = this.repo.documentsToRead(campaignId, OCR_ENGINE_KEY, retryFailed);
    tx(this.db, () => {
      for (const id of docs) this.queueDocument(id, priority);
    });
    this.ensureRunning();
  }

  /** Queues one file a person opened (only `pages` of it when given), ahead of the background queue. */
  queueFile(documentId: string, options: { pages?: number[]; fromPage?: number } = {}): void {
    this.queueDocument(documentId, ASKED_FOR, options.pages);
    if (options.fromPage !== undefined) this.startPage.set(documentId, options.fromPage);
    // A background file gives way at once when the file asked for now comes first in the queue (a
    // drawn file is not stopped for an undrawn one); the file being read starts again at the page
    // viewed. Another person's file is not stopped: it ends its turn of a few pages, then they alternate.
    // Committed pages stay; the rest is read later.
    if (this.current) {
      const first = this.repo.nextQueued()?.documentId;
      const jump = this.current.documentId === documentId && options.fromPage !== undefined && this.current.fromPage !== options.fromPage;
      if ((first !== undefined && first !== this.current.documentId && !this.current.askedFor) || jump) this.current.abort.abort();
    }
    this.ensureRunning();
  }

  isCancelled(campaignId: string): boolean {
    return this.repo.campaignCancelled(campaignId);
  }

  // ── the background job ─────────────────────────────────────────────────────────────────

  private ensureRunning(): void {
    if (this.closed || this.repo.paused() || this.job) return;
    if (!this.repo.anyQueued()) return;
    const view = this.jobs.start({
      kind: 'ocr',
      owner: WORKSTATION,
      exclusiveKey: 'ocr',
      initial: { message: '文字识别准备中…' },
      run: (control) => this.drain(control),
    });
    this.jobId = view.jobId;
    this.job = this.jobs.wait(view.jobId).then(
      () => {
        this.job = null;
        this.jobId = null;
      },
      () => {
        this.job = null;
        this.jobId = null;
      },
    );
  }

  /** Pages queued files still need read, for the progress line. */
  private pagesLeft(): number {
    return this.repo.queuedPagesLeft(OCR_ENGINE_KEY);
  }

  private async drain(control: JobControl): Promise<void> {
    let done = 0;
    // Counting what is left reads every queued file (a province queues thousands of scans): done
    // after each page it held the back end for longer than the page took, so it is counted again
    // only every few seconds and the pages read meanwhile are taken off.
    let left = 0;
    let counted = Number.NEGATIVE_INFINITY;
    let doneWhenCounted = 0;
    const report = (): void => {
      if (performance.now() - counted >= PAGES_LEFT_EVERY_MS) {
        left = this.pagesLeft();
        counted = performance.now();
        doneWhenCounted = done;
      }
      const total = doneWhenCounted + Math.max(left, done - doneWhenCounted);
      control.report({ done, total, pages: done, message: `文字识别 ${done} / ${total} 页` });
    };
    report();
    while (!control.signal.aborted && !this.closed) {
      const next = this.repo.nextQueued();
      if (!next) break;
      // One file at a time, then the back end answers whoever is waiting: a queue of files whose pages
      // are all known already (the same bytes in many files) would otherwise hold it for minutes.
      await new Promise((resolve) => setImmediate(resolve));
      if (control.signal.aborted || this.closed) break;
      const { pages, read, withText } = this.scannedPages(next.documentId);
      // Results already known for these bytes (another campaign, a package) only need indexing here.
      this.indexKnown(next.documentId, next.sha256, withText);
      const wanted = next.pages ? new Set(next.pages) : null;
      let unread = pages.filter((p) => !read.has(p) && (!wanted || wanted.has(p)));
      const from = this.startPage.get(next.documentId);
      if (from !== undefined) unread = [...unread.filter((p) => p >= from), ...unread.filter((p) => p < from)];
      if (unread.length === 0) {
        this.dequeue(next.documentId);
        continue;
      }
      // A few pages at a time, then the queue is looked at again: a file drawn or opened meanwhile
      // waits for one turn at most, and files opened by different people are read in turn.
      const turn = unread.slice(0, PAGES_PER_TURN);
      const abort = new AbortController();
      const onJobAbort = (): void => abort.abort();
      control.signal.addEventListener('abort', onJobAbort, { once: true });
      this.current = { documentId: next.documentId, abort, fromPage: from, askedFor: next.askedFor };
      try {
        await this.readerOf().read(this.store.pathOf(next.sha256), {
          pages: turn,
          signal: abort.signal,
          onPage: (page) => {
            if (this.closed) return;
            this.commit(page);
            done++;
            report();
          },
        });
        if (turn.length === unread.length) this.dequeue(next.documentId);
        else this.repo.toBackOfTurn(next.documentId, nowIso());
      } catch (err) {
        if (control.signal.aborted || this.closed) throw new AppError('cancelled');
        // Another file was asked for first: this one stays queued with its committed pages.
        if (abort.signal.aborted) continue;
        // A file that cannot be read (damaged, a page too big) must not block the others.
        this.log.error(`OCR of document ${next.documentId} failed`, err);
        this.dequeue(next.documentId);
        this.repo.setFailure(
          next.documentId,
          err instanceof AppError && err.code !== 'internal' ? err.message : '文字识别出错，请稍后重试；仍失败时请导出日志联系技术支持。',
          nowIso(),
        );
      } finally {
        control.signal.removeEventListener('abort', onJobAbort);
        this.current = null;
      }
      report();
    }
    if (control.signal.aborted) throw new AppError('cancelled');
  }

  private readerOf(): OcrReader {
    this.reader ??= new OcrReader({ threads: 1, ...this.options.reader });
    return this.reader;
  }

  private dequeue(documentId: string): void {
    this.repo.dequeue(documentId);
    this.startPage.delete(documentId);
  }

  /** One page's result, and its text in the search index of every file with these bytes, together. */
  private commit(page: OcrPageText): void {
    tx(this.db, () => {
      this.repo.insertPage(page, OCR_ENGINE_KEY, meanConfidence(page.lines), nowIso());
      if (page.status !== 'text') return;
      const indexed = this.repo.indexedWithContent(page.sha256, page.pageIndex);
      const text = ocrIndexText(page.lines);
      for (const id of this.repo.documentsWithContent(page.sha256)) if (!indexed.has(id)) this.repo.index(id, page.pageIndex, text);
    });
  }

  /** `withText`: the file's pages already in the search index (read just before, in the same turn). */
  private indexKnown(documentId: string, sha256: string, withText: ReadonlySet<number>): void {
    const pages = this.repo.textPages(sha256, OCR_ENGINE_KEY).filter((p) => !withText.has(p.pageIndex));
    if (pages.length === 0) return;
    tx(this.db, () => {
      for (const p of pages) this.repo.index(documentId, p.pageIndex, ocrIndexText(p.lines));
    });
  }

  /**
   * Reads a few pages of a file now, ahead of the background queue (the import's review step asks for
   * a scan's first pages), and keeps what was read: the file, once imported, is not read again.
   */
  /** Frees the OCR thread and its models if no reading is under way or waiting. */
  releaseIdle(): void {
    this.reader?.releaseIfIdle();
  }

  async readPages(file: string, pages: number[], signal?: AbortSignal): Promise<Array<{ pageIndex: number; text: string }>> {
    if (this.closed) throw new AppError('cancelled', '工作站正在关闭。');
    // Pages read before (a preview shown twice, the same file in another campaign) are not read again.
    const { sha256 } = await sha256OfFile(file);
    const known = new Map(this.repo.allPages(sha256, OCR_ENGINE_KEY).map((p) => [p.pageIndex, ocrIndexText(p.lines)]));
    const missing = pages.filter((p) => !known.has(p));
    if (missing.length) {
      const read = this.readerOf().read(file, {
        pages: missing,
        ...(signal ? { signal } : {}),
        onPage: (page) => this.closed || this.commit(page),
      });
      // The file being read in the background gives way; it resumes after this one.
      this.current?.abort.abort();
      for (const p of await read) known.set(p.pageIndex, ocrIndexText(p.lines));
    }
    return pages.map((pageIndex) => ({ pageIndex, text: known.get(pageIndex) ?? '' }));
  }

  /** 暂停: the reading stops after the page in hand; the queue stays for 继续. */
  async pause(): Promise<void> {
    this.repo.setPaused(true);
    if (this.jobId) this.jobs.cancel(this.jobId);
    await this.idle();
  }

  /**
   * 取消: the campaign's files leave the queue (pages already read stay) and stay off it, also after a
   * restart, until someone starts the reading again; other campaigns read on.
   */
  cancelCampaign(campaignId: string): void {
    const ids = this.repo.campaignDocuments(campaignId);
    tx(this.db, () => {
      this.repo.cancelCampaign(campaignId, nowIso());
      for (const id of ids) this.dequeue(id);
    });
    if (this.current && ids.includes(this.current.documentId)) this.current.abort.abort();
  }

  // ── what the reader and the screens ask ───────────────────────────────────────────────

  /** The OCR lines of one page of a file, or null when OCR has not read it (for search hits' boxes). */
  linesOf(documentId: string, pageIndex: number): OcrLine[] | null {
    return this.repo.linesOfPage(documentId, pageIndex, OCR_ENGINE_KEY);
  }

  pagesOf(documentId: string, pageIndexes?: number[]): OcrPageView[] {
    const doc = this.repo.document(documentId);
    if (!doc) throw new AppError('not_found', '文件不存在。');
    const wanted = pageIndexes ? new Set(pageIndexes) : null;
    return this.repo.pagesOfContent(doc.sha256, OCR_ENGINE_KEY, wanted).map((r) => {
      const at = r.engine.lastIndexOf('@');
      return {
        pageIndex: r.pageIndex,
        status: r.status,
        engine: { id: r.engine.slice(0, at), version: r.engine.slice(at + 1) },
        lines: r.lines,
        meanConfidence: r.meanConfidence,
      };
    });
  }

  /**
   * The pace of reading on this workstation: the median time of the last pages read (the engine's own
   * time per page, with a margin for rendering and committing), null before any page was read here.
   */
  private secondsPerPage(): number | null {
    const ms = this.repo.recentPageTimes().sort((a, b) => a - b);
    if (ms.length === 0) return null;
    return (ms[Math.floor(ms.length / 2)]! * 1.1) / 1000;
  }

  status(campaignId: string, visible: Set<string> | 'all', caseId?: string): OcrStatus {
    if (!this.repo.campaignExists(campaignId)) throw new AppError('not_found', '评查活动不存在。');
    const docs = this.repo.filesOfCampaign(campaignId, OCR_ENGINE_KEY, caseId);
    const files: Array<z.infer<typeof OcrFileProgressSchema>> = [];
    for (const d of docs) {
      if (visible !== 'all' && !visible.has(d.caseId)) continue;
      const { pages, read } = scannedOf(d.pageCount, d.withText, d.read);
      if (pages.length === 0) continue;
      files.push({
        documentId: d.id,
        caseId: d.caseId,
        pagesToRead: pages.length,
        pagesRead: pages.filter((p) => read.has(p)).length,
        queued: d.queued,
        reading: this.current?.documentId === d.id,
        error: this.repo.failure(d.id),
      });
    }
    const pagesToRead = files.reduce((s, f) => s + f.pagesToRead, 0);
    const pagesRead = files.reduce((s, f) => s + f.pagesRead, 0);
    const filesQueued = files.filter((f) => f.queued).length;
    const running = this.job !== null;
    const cancelled = this.isCancelled(campaignId);
    const queuedLeft = files.filter((f) => f.queued).reduce((n, f) => n + f.pagesToRead - f.pagesRead, 0);
    const pace = running || (filesQueued && !this.repo.paused()) ? this.secondsPerPage() : null;
    return {
      campaignId,
      pagesToRead,
      pagesRead,
      filesQueued,
      running,
      paused: this.repo.paused(),
      cancelled,
      secondsLeft: pace === null || queuedLeft === 0 ? null : Math.round(pace * queuedLeft),
      jobId: this.jobId,
      message:
        pagesToRead === 0
          ? '没有需要文字识别的扫描页'
          : `文字识别 ${pagesRead} / ${pagesToRead} 页${filesQueued && !running ? '（已暂停）' : ''}`,
      files,
    };
  }

  handlers(): Pick<Handlers, 'ocr:pages' | 'ocr:status' | 'ocr:prioritise' | 'ocr:campaign' | 'ocr:pause' | 'ocr:cancel'> {
    const campaignOf = (documentId: string): { campaignId: string; caseId: string } => {
      const found = this.repo.campaignOfDocument(documentId);
      if (!found) throw new AppError('not_found', '文件不存在。');
      return found;
    };
    return {
      'ocr:pages': ({ documentId, pageIndexes }) => {
        const { pages, read } = this.scannedPages(documentId);
        return { documentId, pages: this.pagesOf(documentId, pageIndexes), unreadPages: pages.filter((p) => !read.has(p)) };
      },
      'ocr:status': ({ campaignId, caseId }, ctx) => this.status(campaignId, ctx.visibleCaseIds(campaignId), caseId),
      'ocr:prioritise': ({ documentId, pageIndex }) => {
        const { campaignId, caseId } = campaignOf(documentId);
        const { pages, read } = this.scannedPages(documentId);
        // A file that could not be read says so in the case list, and a cancelled campaign waits for
        // 开始识别: opening the file does not start reading.
        if (pages.some((p) => !read.has(p)) && this.repo.failure(documentId) === null && !this.isCancelled(campaignId))
          this.queueFile(documentId, pageIndex === undefined ? {} : { fromPage: pageIndex });
        return this.status(campaignId, 'all', caseId);
      },
      'ocr:campaign': ({ campaignId }, ctx) => {
        // 继续 after a pause, 开始识别 after 取消, or 识别全部: reading starts again with what is queued.
        this.repo.setPaused(false);
        this.repo.uncancelCampaign(campaignId);
        this.queueCampaign(campaignId, 0, true);
        return this.status(campaignId, ctx.visibleCaseIds(campaignId));
      },
      'ocr:pause': async ({ campaignId }, ctx) => {
        await this.pause();
        return this.status(campaignId, ctx.visibleCaseIds(campaignId));
      },
      'ocr:cancel': ({ campaignId }, ctx) => {
        this.cancelCampaign(campaignId);
        return this.status(campaignId, ctx.visibleCaseIds(campaignId));
      },
    };
  }
}
