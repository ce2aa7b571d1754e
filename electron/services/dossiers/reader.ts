/**
 * The reader's back end beyond annotations: naming the files of a dossier, checking that a stored
 * file still has the bytes it was imported with, and searching the page text stored at import.
 */
import fsp from 'node:fs/promises';
import type { DossierDocument } from '../../../shared/dossiers/dossier.js';
import { bracketVariants, snippetOf, TRIGRAM_MIN_CHARS, type DocumentIntegrity, type SearchHit } from '../../../shared/dossiers/reader.js';
import { AppError } from '../../../shared/core/errors.js';
import { writeAudit } from '../core/audit.js';
import { nowIso, requireActor } from '../core/context.js';
import { tx, type Db } from '../core/db/database.js';
import type { Handlers } from '../core/dispatcher.js';
import type { DossiersService } from './dossiers-service.js';
import type { EventHub } from '../core/event-hub.js';
import type { BlobStore } from '../core/blob-store.js';
import type { OcrLine } from '../../../shared/ocr/page-text.js';
import { lineOfMatch } from '../ocr/index.js';
import { dossiersRepo, type DossiersRepo } from './repo.js';

/** `"…"` with inner quotes doubled: an FTS5 phrase, i.e. a plain substring for the trigram tokenizer. */
const ftsPhrase = (q: string): string => `"${q.replace(/"/g, '""')}"`;
const likePattern = (q: string): string => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** OCR lines of a scanned page, to give a search hit on OCR text the box it sits in. */
export interface OcrLineSource {
  linesOf(documentId: string, pageIndex: number): OcrLine[] | null;
}

export class ReaderService {
  private readonly repo: DossiersRepo;
  private ocr: OcrLineSource | null = null;
  /** Last verdict per stored file, valid while its size and mtime are unchanged. */
  private readonly verdicts = new Map<string, { size: number; mtimeMs: number; result: Omit<DocumentIntegrity, 'documentId'> }>();
  private readonly running = new Map<string, Promise<Omit<DocumentIntegrity, 'documentId'>>>();

  constructor(
    private readonly db: Db,
    private readonly store: BlobStore,
    private readonly dossiers: DossiersService,
    private readonly events: EventHub,
  ) {
    this.repo = dossiersRepo(db);
  }

  setOcrLines(source: OcrLineSource): void {
    this.ocr = source;
  }

  /**
   * Hashes the stored file (streaming, off the event loop's critical path) and compares it with the
   * sha256 recorded at import. A mismatch is reported, never repaired: annotations stay anchored to
   * the bytes they were drawn on.
   */
  async verify(document: DossierDocument): Promise<DocumentIntegrity> {
    const file = this.store.pathOf(document.sha256);
    const stat = await fsp.stat(file).catch(() => null);
    if (!stat) return { documentId: document.id, sha256: document.sha256, status: 'missing', checkedAt: nowIso() };
    const known = this.verdicts.get(document.sha256);
    if (known && known.size === stat.size && known.mtimeMs === stat.mtimeMs) return { documentId: document.id, ...known.result };
    let pending = this.running.get(document.sha256);
    if (!pending) {
      pending = this.store
        .verify(document.sha256)
        .then((ok) => {
          const result = { sha256: document.sha256, status: ok ? ('ok' as const) : ('altered' as const), checkedAt: nowIso() };
          this.verdicts.set(document.sha256, { size: stat.size, mtimeMs: stat.mtimeMs, result });
          return result;
        })
        .finally(() => this.running.delete(document.sha256));
      this.running.set(document.sha256, pending);
    }
    return { documentId: document.id, ...(await pending) };
  }

  /**
   * `visible`: the campaign's files the caller may see ('all', or the ids from AccessService); page
   * text of any other file never leaves here, not even as a count.
   */
  search(
    input: { campaignId: string; query: string; caseId?: string | undefined; limit: number },
    visible: Set<string> | 'all' = 'all',
  ): { hits: SearchHit[]; truncated: boolean } {
    if (!this.repo.campaignExists(input.campaignId)) throw new AppError('not_found', '评查活动不存在。');
    const query = input.query.replace(/\s+/g, ' ');
    // The trigram index needs at least three characters; shorter queries scan with LIKE instead.
    const indexed = Array.from(query).length >= TRIGRAM_MIN_CHARS;
    const variants = bracketVariants(query);
    if (visible !== 'all' && visible.size === 0) return { hits: [], truncated: false };
    const rows = this.repo.searchPages({
      indexed,
      pattern: indexed ? variants.map(ftsPhrase).join(' OR ') : likePattern(query),
      campaignId: input.campaignId,
      caseId: input.caseId,
      visibleIds: visible === 'all' ? null : [...visible],
      limit: input.limit + 1,
    });
    const hits = rows.slice(0, input.limit).map((r): SearchHit => {
      const snippet = variants.map((v) => snippetOf(r.text, v)).find((x) => x !== null) ?? {
        before: '',
        match: '',
        after: r.text.replace(/\s+/g, ' ').slice(0, 48),
      };
      // A scanned page's text came from OCR: the hit carries the box of the line it is in.
      const lines = this.ocr?.linesOf(r.document_id, r.page_index);
      const line = lines ? (variants.map((v) => lineOfMatch(lines, v)).find((x) => x !== null) ?? null) : null;
      return {
        caseId: r.case_id,
        caseNumber: r.case_number,
        unitName: r.unit_name,
        documentId: r.document_id,
        documentTitle: r.title,
        pageIndex: r.page_index,
        ...snippet,
        ...(lines ? { source: 'ocr' as const, ...(line ? { box: line.box } : {}) } : {}),
      };
    });
    return { hits, truncated: rows.length > input.limit };
  }

  handlers(): Pick<Handlers, 'document:rename' | 'document:verify' | 'search:pages'> {
    return {
      'document:rename': ({ documentId, title }, ctx) => {
        const actor = requireActor(ctx);
        const before = this.dossiers.getDocument(documentId);
        const campaignId = this.dossiers.getCase(before.caseId).campaignId;
        if (before.title !== title) {
          tx(this.db, () => {
            this.repo.renameDocument(documentId, title);
            writeAudit(this.db, {
              actorId: actor.id,
              action: 'document.rename',
              entity: 'document',
              entityId: documentId,
              campaignId,
              before: { title: before.title },
              after: { title },
            });
          });
          this.events.emit('data:changed', { entity: 'document', id: documentId, campaignId });
        }
        return this.dossiers.getDocument(documentId);
      },
      'document:verify': ({ documentId }) => this.verify(this.dossiers.getDocument(documentId)),
      'search:pages': (input, ctx) => this.search(input, ctx.visibleCaseIds(input.campaignId)),
    };
  }
}
