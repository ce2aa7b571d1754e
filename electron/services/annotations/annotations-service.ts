/**
 * Annotations in PDF user-space coordinates. The renderer batches and debounces; this is the single
 * writer. A mark is tied to the exact bytes it was drawn on (document sha256), soft-deleted, and
 * optionally linked to a checklist item — that link is what makes it evidence.
 */
import type { Annotation, AnnotationInput } from '../../../shared/annotations/annotation.js';
import { annotationSortKey } from '../../../shared/core/geometry.js';
import { AppError } from '../../../shared/core/errors.js';
import { writeAudit } from '../core/audit.js';
import { nowIso, requireActor, type Actor } from '../core/context.js';
import { tx, type Db } from '../core/db/database.js';
import type { Handlers } from '../core/dispatcher.js';
import type { EventHub } from '../core/event-hub.js';
import { annotationsRepo, type AnnotationsRepo } from './repo.js';

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

/** Who may mark which file (the access policy). */
export interface MarkRule {
  markRefusal(actor: Actor, caseId: string): string | null;
}

export class AnnotationsService {
  private readonly repo: AnnotationsRepo;

  constructor(
    private readonly db: Db,
    private readonly events: EventHub,
    private readonly blind: BlindMarks,
    private readonly marks: MarkRule,
  ) {
    this.repo = annotationsRepo(db);
  }

  list(documentId: string): Annotation[] {
    return this.repo.liveOfDocument(documentId);
  }

  /** Every live annotation on the files of a case, in dossier order (file position, then reading order). */
  listCase(caseId: string): Annotation[] {
    return this.repo.liveOfCase(caseId);
  }

  /**
   * Saves a reviewer's marks on one file in one transaction (joined to the caller's when it holds one:
   * a generated province workspace writes thousands of files' marks in a few); each change audited.
   */
  save(
    actor: Actor,
    documentId: string,
    upserts: readonly AnnotationInput[],
    deletes: readonly string[],
  ): { saved: string[]; deleted: string[] } {
    const doc = this.repo.documentOf(documentId);
    if (!doc) throw new AppError('not_found', '文件不存在。');
    const refusal = this.marks.markRefusal(actor, doc.caseId);
    if (refusal) throw new AppError('forbidden', refusal, { reason: 'read_only_file' });
    const now = nowIso();
    const result = tx(this.db, () => {
      const saved: string[] = [];
      for (const a of upserts) {
        checkShape(a, doc.pageCount);
        const before = this.repo.annotation(a.id);
        if (before && before.documentId !== documentId) throw new AppError('conflict', '批注不属于该文件。');
        if (before && before.authorId !== actor.id) throw new AppError('forbidden', '只能修改自己的批注。');
        const sortKey = annotationSortKey(a.pageIndex, a.position);
        this.repo.upsert({
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
          campaignId: doc.campaignId,
          before: before ?? undefined,
          after: a,
        });
        saved.push(a.id);
      }
      const deleted: string[] = [];
      for (const id of deletes) {
        const before = this.repo.liveAnnotation(id);
        if (!before) continue; // already gone: deleting twice is not an error
        if (before.authorId !== actor.id) throw new AppError('forbidden', '只能删除自己的批注。');
        this.repo.softDelete(id, now);
        writeAudit(this.db, {
          actorId: actor.id,
          action: 'annotation.delete',
          entity: 'annotation',
          entityId: id,
          campaignId: doc.campaignId,
          before,
        });
        deleted.push(id);
      }
      return { saved, deleted };
    });
    this.events.emit('data:changed', { entity: 'annotation', id: documentId, campaignId: doc.campaignId });
    return result;
  }

  handlers(): Pick<Handlers, 'annotation:list' | 'annotation:save' | 'annotation:listCase' | 'annotation:access'> {
    return {
      'annotation:access': ({ caseId }, ctx) => ({ refusal: this.marks.markRefusal(requireActor(ctx), caseId) }),
      // Blind review: a reviewer sees other reviewers' marks only once they may see their sheets.
      'annotation:listCase': ({ caseId }, ctx) => this.blind.blindCaseAnnotations(caseId, requireActor(ctx), this.listCase(caseId)),
      'annotation:list': ({ documentId }, ctx) => this.blind.blindAnnotations(documentId, requireActor(ctx), this.list(documentId)),

      'annotation:save': ({ documentId, upserts, deletes }, ctx) => {
        const actor = requireActor(ctx);
        const result = this.save(actor, documentId, upserts, deletes);
        return { saved: this.repo.byIds(result.saved), deleted: result.deleted };
      },
    };
  }
}
