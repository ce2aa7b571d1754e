/**
 * Annotations in PDF user-space coordinates. The renderer batches and debounces; this is the single
 * writer. A mark is tied to the exact bytes it was drawn on (document sha256), soft-deleted, and
 * optionally linked to a checklist item — that link is what makes it evidence.
 */
import {
  AnnotationPositionSchema,
  type Annotation,
  type AnnotationInput,
  type AnnotationType,
} from '../../../shared/annotations/annotation.js';
import { annotationSortKey } from '../../../shared/core/geometry.js';
import { AppError } from '../../../shared/core/errors.js';
import { writeAudit } from '../core/audit.js';
import { nowIso, requireActor, type Actor } from '../core/context.js';
import { tx, type Db } from '../core/db/database.js';
import { parseJsonColumn } from '../core/db/json-column.js';
import type { Handlers } from '../core/dispatcher.js';
import type { EventHub } from '../core/event-hub.js';

interface AnnotationRow {
  id: string;
  document_id: string;
  document_sha256: string;
  author_id: string;
  author_name: string;
  type: AnnotationType;
  color: string;
  page_index: number;
  position_json: string;
  selected_text: string | null;
  comment: string | null;
  checklist_item_id: string | null;
  sort_key: string;
  created_at: string;
  updated_at: string;
}

const SELECT = `SELECT a.*, u.display_name AS author_name FROM annotations a JOIN users u ON u.id = a.author_id`;

export const toAnnotation = (r: AnnotationRow): Annotation => ({
  id: r.id,
  documentId: r.document_id,
  documentSha256: r.document_sha256,
  authorId: r.author_id,
  authorName: r.author_name,
  type: r.type,
  color: r.color,
  pageIndex: r.page_index,
  position: parseJsonColumn(AnnotationPositionSchema, r.position_json, `批注 ${r.id} 的位置`),
  ...(r.selected_text !== null ? { selectedText: r.selected_text } : {}),
  ...(r.comment !== null ? { comment: r.comment } : {}),
  checklistItemId: r.checklist_item_id,
  sortKey: r.sort_key,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** The geometry each type needs; anything else is refused rather than stored unusable. */
function checkShape(a: AnnotationInput, pageCount: number): void {
  if (a.pageIndex >= pageCount) throw new AppError('invalid_input', `批注所在页（第 ${a.pageIndex + 1} 页）超出文件页数。`);
  const rects = a.position.rects?.length ?? 0;
  const paths = a.position.paths?.length ?? 0;
  if (a.type === 'ink' ? paths === 0 : rects === 0) throw new AppError('invalid_input', '批注缺少位置信息。');
  if (a.type === 'text' && !a.position.fontSize) throw new AppError('invalid_input', '文字框缺少字号。');
}

/** Which marks of a file a person may see while sheets are blind (the panel's review decides). */
export interface BlindMarks {
  blindAnnotations<T extends { authorId: string }>(documentId: string, actor: Actor, list: T[]): T[];
  blindCaseAnnotations<T extends { authorId: string }>(caseId: string, actor: Actor, list: T[]): T[];
}

export class AnnotationsService {
  constructor(
    private readonly db: Db,
    private readonly events: EventHub,
    private readonly blind: BlindMarks,
  ) {}

  list(documentId: string): Annotation[] {
    return (
      this.db.prepare(`${SELECT} WHERE a.document_id = ? AND a.deleted_at IS NULL ORDER BY a.sort_key`).all(documentId) as AnnotationRow[]
    ).map(toAnnotation);
  }

  /** Every live annotation on the files of a case, in dossier order (file position, then reading order). */
  listCase(caseId: string): Annotation[] {
    return (
      this.db
        .prepare(
          `${SELECT} JOIN documents d ON d.id = a.document_id WHERE d.case_id = ? AND a.deleted_at IS NULL ORDER BY d.position, d.created_at, a.sort_key`,
        )
        .all(caseId) as AnnotationRow[]
    ).map(toAnnotation);
  }

  handlers(): Pick<Handlers, 'annotation:list' | 'annotation:save' | 'annotation:listCase'> {
    return {
      // Blind review: a reviewer sees other reviewers' marks only once they may see their sheets.
      'annotation:listCase': ({ caseId }, ctx) => this.blind.blindCaseAnnotations(caseId, requireActor(ctx), this.listCase(caseId)),
      'annotation:list': ({ documentId }, ctx) => this.blind.blindAnnotations(documentId, requireActor(ctx), this.list(documentId)),

      'annotation:save': ({ documentId, upserts, deletes }, ctx) => {
        const actor = requireActor(ctx);
        const doc = this.db
          .prepare('SELECT d.sha256, d.page_count, c.campaign_id FROM documents d JOIN cases c ON c.id = d.case_id WHERE d.id = ?')
          .get(documentId) as { sha256: string; page_count: number; campaign_id: string } | undefined;
        if (!doc) throw new AppError('not_found', '文件不存在。');
        const now = nowIso();
        const result = tx(this.db, () => {
          const saved: string[] = [];
          for (const a of upserts) {
            checkShape(a, doc.page_count);
            const before = this.db.prepare(`${SELECT} WHERE a.id = ?`).get(a.id) as AnnotationRow | undefined;
            if (before && before.document_id !== documentId) throw new AppError('conflict', '批注不属于该文件。');
            if (before && before.author_id !== actor.id) throw new AppError('forbidden', '只能修改自己的批注。');
            const sortKey = annotationSortKey(a.pageIndex, a.position);
            this.db
              .prepare(
                `INSERT INTO annotations (id, document_id, document_sha256, author_id, type, color, page_index, position_json,
                   selected_text, comment, checklist_item_id, sort_key, created_at, updated_at, deleted_at)
                 VALUES (@id, @documentId, @sha, @author, @type, @color, @pageIndex, @position, @selectedText, @comment, @item, @sortKey, @now, @now, NULL)
                 ON CONFLICT (id) DO UPDATE SET type = excluded.type, color = excluded.color, page_index = excluded.page_index,
                   position_json = excluded.position_json, selected_text = excluded.selected_text, comment = excluded.comment,
                   checklist_item_id = excluded.checklist_item_id, sort_key = excluded.sort_key, updated_at = excluded.updated_at,
                   deleted_at = NULL`,
              )
              .run({
                id: a.id,
                documentId,
                sha: doc.sha256,
                author: actor.id,
                type: a.type,
                color: a.color,
                pageIndex: a.pageIndex,
                position: JSON.stringify(a.position),
                selectedText: a.selectedText ?? null,
                comment: a.comment ?? null,
                item: a.checklistItemId ?? null,
                sortKey,
                now,
              });
            writeAudit(this.db, {
              actorId: actor.id,
              action: before ? 'annotation.update' : 'annotation.create',
              entity: 'annotation',
              entityId: a.id,
              campaignId: doc.campaign_id,
              before: before ? toAnnotation(before) : undefined,
              after: a,
            });
            saved.push(a.id);
          }
          const deleted: string[] = [];
          for (const id of deletes) {
            const before = this.db.prepare(`${SELECT} WHERE a.id = ? AND a.deleted_at IS NULL`).get(id) as AnnotationRow | undefined;
            if (!before) continue; // already gone: deleting twice is not an error
            if (before.author_id !== actor.id) throw new AppError('forbidden', '只能删除自己的批注。');
            this.db.prepare('UPDATE annotations SET deleted_at = ?, updated_at = ? WHERE id = ?').run(now, now, id);
            writeAudit(this.db, {
              actorId: actor.id,
              action: 'annotation.delete',
              entity: 'annotation',
              entityId: id,
              campaignId: doc.campaign_id,
              before: toAnnotation(before),
            });
            deleted.push(id);
          }
          return { saved, deleted };
        });
        this.events.emit('data:changed', { entity: 'annotation', id: documentId, campaignId: doc.campaign_id });
        const rows = result.saved.length
          ? (this.db.prepare(`${SELECT} WHERE a.id IN (${result.saved.map(() => '?').join(',')})`).all(...result.saved) as AnnotationRow[])
          : [];
        return { saved: rows.map(toAnnotation), deleted: result.deleted };
      },
    };
  }
}
