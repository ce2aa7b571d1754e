/**
 * Score sheets (一卷一表): one per reviewer per file per round. Answers are stored per item; totals
 * and grades are always recomputed by the shared scoring function, never stored as the only truth.
 */
import { randomUUID } from 'node:crypto';
import type { ScoreSummary, Sheet, SheetStatus } from '../../shared/domain/sheet.js';
import { AppError } from '../../shared/errors.js';
import { findItem, type StandardDefinition } from '../../shared/standard/model.js';
import { AnswerSchema, scoreSheet, validateAnswer, type Answers, type ScoreResult } from '../../shared/standard/scoring.js';
import { writeAudit } from './audit.js';
import type { CampaignsService } from './campaigns.js';
import { nowIso, requireActor } from './context.js';
import { tx, type Db } from './db/database.js';
import type { Handlers } from './dispatcher.js';
import type { DossiersService } from './dossiers.js';
import type { EventHub } from './event-hub.js';
import { summaryOf, type StandardsService } from './standards.js';

interface SheetRow {
  id: string;
  case_id: string;
  reviewer_id: string;
  reviewer_name: string;
  standard_version_id: string;
  status: SheetStatus;
  revision: number;
  updated_at: string;
  submitted_at: string | null;
}

const SELECT = `SELECT s.*, u.display_name AS reviewer_name FROM sheets s JOIN users u ON u.id = s.reviewer_id`;

const toSheet = (r: SheetRow): Sheet => ({
  id: r.id,
  caseId: r.case_id,
  reviewerId: r.reviewer_id,
  reviewerName: r.reviewer_name,
  standardVersionId: r.standard_version_id,
  status: r.status,
  revision: r.revision,
  updatedAt: r.updated_at,
  submittedAt: r.submitted_at,
});

export const summarise = (result: ScoreResult): ScoreSummary => ({
  total: result.total,
  max: result.max,
  grade: result.grade,
  vetoed: result.vetoed,
  problemCount: result.problems.length,
  unansweredCount: result.unanswered.length,
});

export class SheetsService {
  /** Parsed definitions by version id: versions are frozen, so caching them is safe. */
  private readonly definitions = new Map<string, StandardDefinition>();

  constructor(
    private readonly db: Db,
    private readonly standards: StandardsService,
    private readonly campaigns: CampaignsService,
    private readonly dossiers: DossiersService,
    private readonly events: EventHub,
  ) {}

  definition(versionId: string): StandardDefinition {
    let def = this.definitions.get(versionId);
    if (!def) {
      def = this.standards.getVersion(versionId).definition;
      this.definitions.set(versionId, def);
    }
    return def;
  }

  answers(sheetId: string): Answers {
    const rows = this.db.prepare('SELECT item_id, answer_json FROM sheet_answers WHERE sheet_id = ?').all(sheetId) as Array<{
      item_id: string;
      answer_json: string;
    }>;
    const out: Answers = {};
    for (const r of rows) out[r.item_id] = AnswerSchema.parse(JSON.parse(r.answer_json));
    return out;
  }

  sheetRow(sheetId: string): SheetRow {
    const row = this.db.prepare(`${SELECT} WHERE s.id = ?`).get(sheetId) as SheetRow | undefined;
    if (!row) throw new AppError('not_found', '评查表不存在。');
    return row;
  }

  /** The reviewer's own sheet for a file (round 1), or null. */
  findSheet(caseId: string, reviewerId: string): SheetRow | null {
    return (this.db.prepare(`${SELECT} WHERE s.case_id = ? AND s.reviewer_id = ? AND s.round = 1`).get(caseId, reviewerId) as SheetRow | undefined) ?? null;
  }

  result(row: SheetRow): ScoreResult {
    return scoreSheet(this.definition(row.standard_version_id), this.answers(row.id));
  }

  myScore(caseId: string, userId: string): ScoreSummary | null {
    const row = this.findSheet(caseId, userId);
    return row ? summarise(this.result(row)) : null;
  }

  handlers(): Pick<Handlers, 'sheet:open' | 'sheet:answer'> {
    return {
      'sheet:open': ({ caseId }, ctx) => {
        const actor = requireActor(ctx);
        const kase = this.dossiers.getCase(caseId);
        let row = this.findSheet(caseId, actor.id);
        if (!row) {
          const versionId = this.campaigns.standardVersionFor(kase.campaignId, kase.caseType);
          const id = randomUUID();
          const now = nowIso();
          tx(this.db, () => {
            this.standards.freeze(versionId);
            this.db
              .prepare(
                `INSERT INTO sheets (id, case_id, reviewer_id, round, standard_version_id, status, revision, created_at, updated_at)
                 VALUES (?, ?, ?, 1, ?, 'draft', 0, ?, ?)`,
              )
              .run(id, caseId, actor.id, versionId, now, now);
            writeAudit(this.db, { actorId: actor.id, action: 'sheet.create', entity: 'sheet', entityId: id, campaignId: kase.campaignId, after: { caseId, versionId } });
          });
          row = this.sheetRow(id);
        }
        const { row: versionRow, definition } = this.standards.getVersion(row.standard_version_id);
        const answers = this.answers(row.id);
        return {
          sheet: toSheet(row),
          caseId,
          standard: summaryOf(versionRow, definition),
          definition,
          answers,
          summary: summarise(scoreSheet(definition, answers)),
          editable: row.status === 'draft' && row.reviewer_id === actor.id,
        };
      },

      'sheet:answer': ({ sheetId, itemId, answer, revision }, ctx) => {
        const actor = requireActor(ctx);
        const out = tx(this.db, () => {
          const row = this.sheetRow(sheetId);
          if (row.reviewer_id !== actor.id) throw new AppError('forbidden', '只能填写自己的评查表。');
          if (row.status !== 'draft') throw new AppError('locked', '评查表已提交，不能再修改。');
          if (row.revision !== revision) throw new AppError('conflict', '评查表已在其他窗口修改，请刷新后再操作。');
          const def = this.definition(row.standard_version_id);
          const item = findItem(def, itemId);
          if (!item) throw new AppError('invalid_input', '评查项目不存在于该标准。');
          if (answer) {
            const problem = validateAnswer(item, answer);
            if (problem) throw new AppError('invalid_input', problem);
          }
          const before = this.db.prepare('SELECT answer_json FROM sheet_answers WHERE sheet_id = ? AND item_id = ?').get(sheetId, itemId) as
            | { answer_json: string }
            | undefined;
          const now = nowIso();
          if (answer) {
            this.db
              .prepare(
                `INSERT INTO sheet_answers (sheet_id, item_id, answer_json, updated_at) VALUES (?, ?, ?, ?)
                 ON CONFLICT (sheet_id, item_id) DO UPDATE SET answer_json = excluded.answer_json, updated_at = excluded.updated_at`,
              )
              .run(sheetId, itemId, JSON.stringify(answer), now);
          } else {
            this.db.prepare('DELETE FROM sheet_answers WHERE sheet_id = ? AND item_id = ?').run(sheetId, itemId);
          }
          this.db.prepare('UPDATE sheets SET revision = revision + 1, updated_at = ? WHERE id = ?').run(now, sheetId);
          const campaignId = this.dossiers.getCase(row.case_id).campaignId;
          writeAudit(this.db, {
            actorId: actor.id,
            action: 'sheet.answer',
            entity: 'sheet',
            entityId: sheetId,
            campaignId,
            before: before ? { itemId, answer: JSON.parse(before.answer_json) } : { itemId, answer: null },
            after: { itemId, answer },
          });
          return { revision: row.revision + 1, summary: summarise(scoreSheet(def, this.answers(sheetId))), campaignId };
        });
        this.events.emit('data:changed', { entity: 'sheet', id: sheetId, campaignId: out.campaignId });
        return { revision: out.revision, summary: out.summary };
      },
    };
  }
}
