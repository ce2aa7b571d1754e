/**
 * 随机抽取 of a campaign: builds the pool (the campaign's files that have a PDF to review, optionally
 * without those reviewed in earlier campaigns), draws with the shared algorithm, and records everything needed to re-run it — the
 * canonical pool itself, its SM3 digest, the seed, the parameters, who and when. A new draw supersedes
 * the previous one (kept, with the reason) and is refused once files have been assigned.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { CASE_TYPE_LABELS, CASE_TYPES, type CaseType } from '../../../shared/campaigns/case-types.js';
import { NO_DOCUMENT_REASON, type Draw, type DrawExclusion, type DrawState, type PoolFile } from '../../../shared/panel/panel.js';
import { AppError } from '../../../shared/core/errors.js';
import { unitGroupNames } from '../../../shared/import/unit-names.js';
import { canonicalPool, DRAW_ALGORITHM, drawAlgorithmText, drawFromPool, poolDigest } from '../../../shared/panel/draw.js';
import { byCodePoint } from '../../../shared/panel/random.js';
import { writeAudit } from '../core/audit.js';
import type { CampaignsService } from '../campaigns/index.js';
import { nowIso, requireActor } from '../core/context.js';
import { tx, type Db } from '../core/db/database.js';
import type { Handlers } from '../core/dispatcher.js';
import type { EventHub } from '../core/event-hub.js';
import { campaignUnitContext } from '../campaigns/index.js';
import { DOCX_MIME, type ExportsService } from '../core/downloads.js';
import { loadDocx } from '../core/heavy-libs.js';
import { drawExclusions, drawGroups, drawPool, panelRepo, toDraw, type DrawRow, type PanelRepo } from './repo.js';
import { safeFileName } from '../core/fs-atomic.js';

/** A seed people can read aloud and type: twelve digits in three groups. */
export function generateSeed(): string {
  const digits = String(randomInt(0, 1_000_000_000_000)).padStart(12, '0');
  return `${digits.slice(0, 4)}-${digits.slice(4, 8)}-${digits.slice(8)}`;
}

export class DrawsService {
  private readonly repo: PanelRepo;

  constructor(
    private readonly db: Db,
    private readonly campaigns: CampaignsService,
    private readonly exportsService: ExportsService,
    private readonly events: EventHub,
  ) {
    this.repo = panelRepo(db);
  }

  /** The current (not superseded) draw, or null. */
  current(campaignId: string): Draw | null {
    const row = this.repo.currentDraw(campaignId);
    return row ? toDraw(row) : null;
  }

  /** Case ids drawn by the current draw, or null when the campaign has not drawn. */
  /** The campaign's current draw, null when it did not draw. */
  currentDrawId(campaignId: string): string | null {
    return this.repo.currentDrawRef(campaignId)?.id ?? null;
  }

  drawnCaseIds(campaignId: string): Set<string> | null {
    const draw = this.repo.currentDrawRef(campaignId);
    if (!draw) return null;
    return new Set(this.repo.drawnCases(draw.id));
  }

  /**
   * The current draw's pool and the files it left out for want of a PDF, as its 抽取记录 shows them;
   * null when the campaign did not draw. A letter's "从你单位报送的N件案卷中随机抽取M件" counts this pool.
   */
  drawPool(campaignId: string): { pool: Set<string>; withoutDocument: Set<string> } | null {
    const draw = this.repo.currentDraw(campaignId);
    if (!draw) return null;
    return {
      pool: new Set(drawPool(draw).map((f) => f.caseId)),
      withoutDocument: new Set(
        drawExclusions(draw)
          .filter((f) => f.kind === 'noDocument')
          .map((f) => f.caseId),
      ),
    };
  }

  private row(campaignId: string, drawId?: string): DrawRow {
    const row = drawId ? this.repo.draw(drawId, campaignId) : this.repo.currentDraw(campaignId);
    if (!row) throw new AppError('not_found', drawId ? '抽取记录不存在。' : '本活动尚未随机抽取。');
    return row;
  }

  /**
   * The files a draw would draw from now, and those left out: registered without a PDF (nothing to
   * review), or reviewed in an earlier campaign.
   */
  pool(campaignId: string, caseTypes: readonly CaseType[], excludeReviewed: boolean): { pool: PoolFile[]; excluded: DrawExclusion[] } {
    const rows = this.repo.poolRows(campaignId, excludeReviewed);
    // Groups are units by identity: two units of one bureau not yet merged are drawn as one.
    const units = this.repo.unitNames(campaignId);
    const groupName = unitGroupNames(units, campaignUnitContext(this.db, campaignId));
    const pool: PoolFile[] = [];
    // Stored in canonical order so the record reads the way the algorithm sees it.
    const excluded: DrawExclusion[] = [];
    for (const row of rows) {
      const r = { ...row, unit_name: groupName.get(row.unit_id) ?? row.unit_name };
      if (!caseTypes.includes(r.case_type)) continue;
      const file = { caseId: r.id, caseNumber: r.case_number, unitName: r.unit_name };
      if (!r.has_document) excluded.push({ ...file, kind: 'noDocument', reason: NO_DOCUMENT_REASON });
      else if (r.reviewed_in) excluded.push({ ...file, kind: 'reviewed', reason: `已在“${r.reviewed_in}”中评查` });
      else
        pool.push({
          caseId: r.id,
          unitName: r.unit_name,
          caseType: r.case_type,
          caseNumberKey: r.case_number_key,
          caseNumber: r.case_number,
          title: r.title,
        });
    }
    return {
      pool: canonicalPool(pool),
      excluded: excluded.sort((a, b) => byCodePoint(a.unitName, b.unitName) || byCodePoint(a.caseNumber, b.caseNumber)),
    };
  }

  state(campaignId: string): DrawState {
    this.campaigns.detail(campaignId);
    const draws = this.repo.drawsNewestFirst(campaignId).map(toDraw);
    const current = draws.find((d) => !d.supersededAt) ?? null;
    const assignmentCount = this.repo.assignmentCount(campaignId);
    return {
      current,
      history: draws.map((d) => ({
        id: d.id,
        seq: d.seq,
        seed: d.seed,
        drawnBy: d.drawnBy,
        drawnAt: d.drawnAt,
        drawnCount: d.drawnCount,
        supersededAt: d.supersededAt,
        supersededReason: d.supersededReason,
      })),
      assignmentCount,
      currentPoolDigest: current ? poolDigest(this.pool(campaignId, current.caseTypes, current.excludeReviewed).pool) : null,
      withoutDocument: this.repo
        .withoutDocument(campaignId)
        .sort((a, b) => byCodePoint(a.unitName, b.unitName) || byCodePoint(a.caseNumber, b.caseNumber)),
    };
  }

  handlers(): Pick<Handlers, 'draw:get' | 'draw:run' | 'draw:verify' | 'draw:exportRecord'> {
    return {
      'draw:get': ({ campaignId }) => this.state(campaignId),

      'draw:run': (input, ctx) => {
        const actor = requireActor(ctx);
        this.campaigns.detail(input.campaignId);
        // Without a choice: the types the campaign has files of (what the record should name).
        const present = this.repo.caseTypesPresent(input.campaignId);
        const caseTypes = CASE_TYPES.filter((t) => (input.caseTypes ? input.caseTypes.includes(t) : present.has(t)));
        const seed = input.seed ?? generateSeed();
        const id = randomUUID();
        const draw = tx(this.db, () => {
          const previous = this.repo.currentDrawRef(input.campaignId);
          if (previous) {
            const assigned = this.repo.assignmentCount(input.campaignId);
            if (assigned > 0)
              throw new AppError('conflict', `已按第 ${previous.seq} 次抽取结果分配了 ${assigned} 条评查任务，不能重新抽取。`);
            if (!input.reason)
              throw new AppError('invalid_input', `已有第 ${previous.seq} 次抽取记录；重新抽取须填写理由（原记录将保留并注明作废）。`, {
                path: 'reason',
              });
          }
          const { pool, excluded } = this.pool(input.campaignId, caseTypes, input.excludeReviewed);
          if (pool.length === 0)
            throw new AppError(
              'conflict',
              excluded.length === 0
                ? '案卷池为空：本活动还没有所选类型的案卷，请先导入案卷。'
                : excluded.every((e) => e.kind === 'reviewed')
                  ? '案卷池为空：所选案卷均已在以前的评查活动中评查过。'
                  : '案卷池为空：所选案卷没有可评查的案卷文件（无案卷文件，或已在以前的评查活动中评查过），请先导入案卷文件。',
            );
          const outcome = drawFromPool(pool, { seed, perGroup: input.perGroup, grouping: input.grouping });
          const now = nowIso();
          const seq = previous ? previous.seq + 1 : 1;
          if (previous) this.repo.supersedeDraw(previous.id, now, input.reason!);
          // What the draw was asked to do, as the record keeps it and the 留痕 names it.
          const asked = {
            seed,
            seedSource: input.seed ? ('witness' as const) : ('generated' as const),
            witness: input.witness,
            perGroup: input.perGroup,
            grouping: input.grouping,
            caseTypes,
            excludeReviewed: input.excludeReviewed,
          };
          this.repo.insertDraw(
            {
              id,
              campaignId: input.campaignId,
              seq,
              algorithm: DRAW_ALGORITHM,
              ...asked,
              pool,
              poolDigest: poolDigest(pool),
              excluded,
              groups: outcome.groups,
              drawnBy: actor.id,
              at: now,
            },
            outcome.drawnCaseIds,
          );
          writeAudit(this.db, {
            actorId: actor.id,
            action: 'draw.run',
            entity: 'campaign',
            entityId: input.campaignId,
            campaignId: input.campaignId,
            ...(previous ? { before: { drawId: previous.id, seq: previous.seq, supersededReason: input.reason } } : {}),
            after: {
              drawId: id,
              seq,
              ...asked,
              poolSize: pool.length,
              poolDigest: poolDigest(pool),
              drawn: outcome.drawnCaseIds,
              excluded: excluded.map((e) => ({ caseId: e.caseId, kind: e.kind })),
            },
          });
          return toDraw(this.row(input.campaignId, id));
        });
        this.events.emit('data:changed', { entity: 'campaign', id: input.campaignId, campaignId: input.campaignId });
        return draw;
      },

      'draw:verify': ({ campaignId, drawId }) => {
        const row = this.row(campaignId, drawId);
        const draw = toDraw(row);
        const pool = drawPool(row);
        const stored = drawGroups(row);
        const again = drawFromPool(pool, { seed: row.seed, perGroup: row.per_group, grouping: row.grouping });
        const matches = poolDigest(pool) === row.pool_digest && JSON.stringify(again.groups) === JSON.stringify(stored);
        const poolUnchanged = poolDigest(this.pool(campaignId, draw.caseTypes, draw.excludeReviewed).pool) === row.pool_digest;
        const count = again.drawnCaseIds.length;
        const message = matches
          ? `按记录的种子“${row.seed}”和案卷池重新计算，抽中的 ${count} 件案卷与记录完全一致。${poolUnchanged ? '' : '注意：抽取之后本活动的案卷池已有变化（新增或删除了案卷），但不影响本次抽取结果的复核。'}`
          : '重新计算的结果与记录不一致：抽取记录可能被改动过，请联系技术支持并保留数据文件。';
        return { drawId: row.id, matches, poolUnchanged, recomputedCount: count, message };
      },

      'draw:exportRecord': async ({ campaignId, drawId }, ctx) => {
        const row = this.row(campaignId, drawId);
        const draw = toDraw(row);
        const campaign = this.campaigns.detail(campaignId);
        const [{ Packer }, { drawRecordDocument }] = await Promise.all([loadDocx(), import('./draw-record-docx.js')]);
        const doc = drawRecordDocument({
          campaignName: campaign.name,
          issuingBody: campaign.issuingBody,
          draw,
          caseTypeLabels: draw.caseTypes.map((t) => CASE_TYPE_LABELS[t]),
          algorithmText: drawAlgorithmText(draw.grouping),
          pool: drawPool(row),
        });
        const bytes = await Packer.toBuffer(doc);
        const fileName = safeFileName(`抽取记录-${campaign.name}-第${draw.seq}次.docx`);
        return this.exportsService.register('drawRecord', fileName, bytes, DOCX_MIME, ctx, campaignId);
      },
    };
  }
}
