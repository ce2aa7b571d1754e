/**
 * 随机抽取 of a campaign: builds the pool (the campaign's files that have a PDF to review, optionally
 * without those reviewed in earlier campaigns), draws with the shared algorithm, and records everything needed to re-run it — the
 * canonical pool itself, its SM3 digest, the seed, the parameters, who and when. A new draw supersedes
 * the previous one (kept, with the reason) and is refused once files have been assigned.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { Packer } from 'docx';
import { CASE_TYPE_LABELS, CASE_TYPES, type CaseType } from '../../../shared/campaigns/case-types.js';
import { NO_DOCUMENT_REASON, type Draw, type DrawExclusion, type DrawState } from '../../../shared/panel/panel.js';
import { AppError } from '../../../shared/core/errors.js';
import { unitGroupNames } from '../../../shared/import/unit-names.js';
import {
  canonicalPool,
  DRAW_ALGORITHM,
  drawAlgorithmText,
  drawFromPool,
  poolDigest,
  type DrawGroup,
  type DrawGrouping,
  type PoolEntry,
} from '../../../shared/panel/draw.js';
import { byCodePoint } from '../../../shared/panel/random.js';
import { writeAudit } from '../core/audit.js';
import type { CampaignsService } from '../campaigns/index.js';
import { nowIso, requireActor } from '../core/context.js';
import { tx, type Db } from '../core/db/database.js';
import type { Handlers } from '../core/dispatcher.js';
import type { EventHub } from '../core/event-hub.js';
import { campaignUnitContext } from '../campaigns/index.js';
import { DOCX_MIME, type ExportsService } from '../core/downloads.js';
import { drawRecordDocument } from './draw-record-docx.js';
import { safeFileName } from '../core/fs-atomic.js';

interface PoolFile extends PoolEntry {
  caseNumber: string;
  title: string;
}

interface DrawRow {
  id: string;
  campaign_id: string;
  seq: number;
  algorithm: string;
  seed: string;
  seed_source: 'generated' | 'witness';
  witness: string;
  per_group: number;
  grouping: DrawGrouping;
  case_types_json: string;
  exclude_reviewed: number;
  pool_json: string;
  pool_digest: string;
  excluded_json: string;
  groups_json: string;
  drawn_by: string;
  drawn_by_name: string;
  drawn_at: string;
  superseded_at: string | null;
  superseded_reason: string | null;
}

const SELECT = 'SELECT d.*, u.display_name AS drawn_by_name FROM draws d JOIN users u ON u.id = d.drawn_by';

/** A seed people can read aloud and type: twelve digits in three groups. */
export function generateSeed(): string {
  const digits = String(randomInt(0, 1_000_000_000_000)).padStart(12, '0');
  return `${digits.slice(0, 4)}-${digits.slice(4, 8)}-${digits.slice(8)}`;
}

function toDraw(r: DrawRow): Draw {
  const pool = JSON.parse(r.pool_json) as PoolFile[];
  const byId = new Map(pool.map((p) => [p.caseId, p]));
  const groups = JSON.parse(r.groups_json) as DrawGroup[];
  return {
    id: r.id,
    seq: r.seq,
    algorithm: r.algorithm,
    seed: r.seed,
    seedSource: r.seed_source,
    witness: r.witness,
    perGroup: r.per_group,
    grouping: r.grouping,
    caseTypes: JSON.parse(r.case_types_json) as CaseType[],
    excludeReviewed: r.exclude_reviewed === 1,
    poolSize: pool.length,
    unitCount: new Set(pool.map((p) => p.unitName)).size,
    poolDigest: r.pool_digest,
    // Draws recorded before files without a PDF were left out excluded only reviewed files.
    excluded: (JSON.parse(r.excluded_json) as Array<Omit<DrawExclusion, 'kind'> & { kind?: DrawExclusion['kind'] }>).map((e) => ({
      ...e,
      kind: e.kind ?? 'reviewed',
    })),
    groups: groups.map((g) => ({
      unitName: g.unitName,
      caseType: g.caseType ?? null,
      poolSize: g.poolSize,
      drawn: g.drawn.map((id) => ({
        caseId: id,
        caseNumber: byId.get(id)?.caseNumber ?? '',
        title: byId.get(id)?.title ?? '',
        caseType: byId.get(id)?.caseType ?? g.caseType ?? 'other',
      })),
    })),
    drawnCount: groups.reduce((n, g) => n + g.drawn.length, 0),
    drawnById: r.drawn_by,
    drawnBy: r.drawn_by_name,
    drawnAt: r.drawn_at,
    supersededAt: r.superseded_at,
    supersededReason: r.superseded_reason,
  };
}

export class DrawsService {
  constructor(
    private readonly db: Db,
    private readonly campaigns: CampaignsService,
    private readonly exportsService: ExportsService,
    private readonly events: EventHub,
  ) {}

  /** The current (not superseded) draw, or null. */
  current(campaignId: string): Draw | null {
    const row = this.db.prepare(`${SELECT} WHERE d.campaign_id = ? AND d.superseded_at IS NULL`).get(campaignId) as DrawRow | undefined;
    return row ? toDraw(row) : null;
  }

  /** Case ids drawn by the current draw, or null when the campaign has not drawn. */
  drawnCaseIds(campaignId: string): Set<string> | null {
    const draw = this.db.prepare('SELECT id FROM draws WHERE campaign_id = ? AND superseded_at IS NULL').get(campaignId) as
      { id: string } | undefined;
    if (!draw) return null;
    return new Set(
      (this.db.prepare('SELECT case_id FROM drawn_cases WHERE draw_id = ?').all(draw.id) as Array<{ case_id: string }>).map(
        (r) => r.case_id,
      ),
    );
  }

  /**
   * The current draw's pool and the files it left out for want of a PDF, as its 抽取记录 shows them;
   * null when the campaign did not draw. A letter's "从你单位报送的N件案卷中随机抽取M件" counts this pool.
   */
  drawPool(campaignId: string): { pool: Set<string>; withoutDocument: Set<string> } | null {
    const draw = this.db
      .prepare('SELECT pool_json, excluded_json FROM draws WHERE campaign_id = ? AND superseded_at IS NULL')
      .get(campaignId) as { pool_json: string; excluded_json: string } | undefined;
    if (!draw) return null;
    const pool = JSON.parse(draw.pool_json) as Array<{ caseId: string }>;
    const excluded = JSON.parse(draw.excluded_json) as Array<{ caseId: string; kind?: string }>;
    return {
      pool: new Set(pool.map((f) => f.caseId)),
      withoutDocument: new Set(excluded.filter((f) => f.kind === 'noDocument').map((f) => f.caseId)),
    };
  }

  private row(campaignId: string, drawId?: string): DrawRow {
    const row = (
      drawId
        ? this.db.prepare(`${SELECT} WHERE d.id = ? AND d.campaign_id = ?`).get(drawId, campaignId)
        : this.db.prepare(`${SELECT} WHERE d.campaign_id = ? AND d.superseded_at IS NULL`).get(campaignId)
    ) as DrawRow | undefined;
    if (!row) throw new AppError('not_found', drawId ? '抽取记录不存在。' : '本活动尚未随机抽取。');
    return row;
  }

  /**
   * The files a draw would draw from now, and those left out: registered without a PDF (nothing to
   * review), or reviewed in an earlier campaign.
   */
  pool(campaignId: string, caseTypes: readonly CaseType[], excludeReviewed: boolean): { pool: PoolFile[]; excluded: DrawExclusion[] } {
    const rows = this.db
      .prepare(
        `SELECT c.id, c.case_number, c.case_number_key, c.title, c.case_type, c.unit_id, u.name AS unit_name,
           EXISTS (SELECT 1 FROM documents d WHERE d.case_id = c.id) AS has_document,
           CASE WHEN ? THEN (
             SELECT oc.name FROM cases o JOIN campaigns oc ON oc.id = o.campaign_id
             WHERE o.campaign_id <> c.campaign_id
               AND oc.created_at < (SELECT created_at FROM campaigns WHERE id = c.campaign_id)
               AND (o.case_number_key = c.case_number_key
                    OR EXISTS (SELECT 1 FROM documents d1 JOIN documents d2 ON d2.sha256 = d1.sha256 WHERE d1.case_id = c.id AND d2.case_id = o.id))
               AND (EXISTS (SELECT 1 FROM drawn_cases dc JOIN draws dr ON dr.id = dc.draw_id WHERE dc.case_id = o.id AND dr.superseded_at IS NULL)
                    OR EXISTS (SELECT 1 FROM assignments a WHERE a.case_id = o.id)
                    OR EXISTS (SELECT 1 FROM sheets s WHERE s.case_id = o.id))
             ORDER BY oc.created_at DESC LIMIT 1) END AS reviewed_in
         FROM cases c JOIN units u ON u.id = c.unit_id WHERE c.campaign_id = ?`,
      )
      .all(excludeReviewed ? 1 : 0, campaignId) as Array<{
      id: string;
      case_number: string;
      case_number_key: string;
      title: string;
      case_type: CaseType;
      unit_id: string;
      unit_name: string;
      has_document: number;
      reviewed_in: string | null;
    }>;
    // Groups are units by identity: two units of one bureau not yet merged are drawn as one.
    const units = this.db.prepare('SELECT id, name FROM units WHERE campaign_id = ?').all(campaignId) as Array<{
      id: string;
      name: string;
    }>;
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
    const rows = this.db.prepare(`${SELECT} WHERE d.campaign_id = ? ORDER BY d.seq DESC`).all(campaignId) as DrawRow[];
    const draws = rows.map(toDraw);
    const current = draws.find((d) => !d.supersededAt) ?? null;
    const assignmentCount = (
      this.db.prepare('SELECT count(*) AS n FROM assignments WHERE campaign_id = ?').get(campaignId) as { n: number }
    ).n;
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
      withoutDocument: (
        this.db
          .prepare(
            `SELECT c.id, c.case_number, c.case_type, u.name AS unit_name FROM cases c JOIN units u ON u.id = c.unit_id
             WHERE c.campaign_id = ? AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.case_id = c.id)`,
          )
          .all(campaignId) as Array<{ id: string; case_number: string; case_type: CaseType; unit_name: string }>
      )
        .map((r) => ({ caseId: r.id, caseNumber: r.case_number, unitName: r.unit_name, caseType: r.case_type }))
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
        const present = new Set(
          (
            this.db.prepare('SELECT DISTINCT case_type FROM cases WHERE campaign_id = ?').all(input.campaignId) as Array<{
              case_type: CaseType;
            }>
          ).map((r) => r.case_type),
        );
        const caseTypes = CASE_TYPES.filter((t) => (input.caseTypes ? input.caseTypes.includes(t) : present.has(t)));
        const seed = input.seed ?? generateSeed();
        const id = randomUUID();
        const draw = tx(this.db, () => {
          const previous = this.db
            .prepare('SELECT id, seq FROM draws WHERE campaign_id = ? AND superseded_at IS NULL')
            .get(input.campaignId) as { id: string; seq: number } | undefined;
          if (previous) {
            const assigned = (
              this.db.prepare('SELECT count(*) AS n FROM assignments WHERE campaign_id = ?').get(input.campaignId) as { n: number }
            ).n;
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
          if (previous)
            this.db.prepare('UPDATE draws SET superseded_at = ?, superseded_reason = ? WHERE id = ?').run(now, input.reason!, previous.id);
          this.db
            .prepare(
              `INSERT INTO draws (id, campaign_id, seq, algorithm, seed, seed_source, witness, per_group, grouping, case_types_json, exclude_reviewed,
                 pool_json, pool_digest, excluded_json, groups_json, drawn_by, drawn_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            )
            .run(
              id,
              input.campaignId,
              seq,
              DRAW_ALGORITHM,
              seed,
              input.seed ? 'witness' : 'generated',
              input.witness,
              input.perGroup,
              input.grouping,
              JSON.stringify(caseTypes),
              input.excludeReviewed ? 1 : 0,
              JSON.stringify(pool),
              poolDigest(pool),
              JSON.stringify(excluded),
              JSON.stringify(outcome.groups),
              actor.id,
              now,
            );
          const insert = this.db.prepare('INSERT INTO drawn_cases (draw_id, case_id) VALUES (?, ?)');
          for (const caseId of outcome.drawnCaseIds) insert.run(id, caseId);
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
              seed,
              seedSource: input.seed ? 'witness' : 'generated',
              witness: input.witness,
              perGroup: input.perGroup,
              grouping: input.grouping,
              caseTypes,
              excludeReviewed: input.excludeReviewed,
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
        const pool = JSON.parse(row.pool_json) as PoolFile[];
        const stored = JSON.parse(row.groups_json) as DrawGroup[];
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
        const doc = drawRecordDocument({
          campaignName: campaign.name,
          issuingBody: campaign.issuingBody,
          draw,
          caseTypeLabels: draw.caseTypes.map((t) => CASE_TYPE_LABELS[t]),
          algorithmText: drawAlgorithmText(draw.grouping),
          pool: JSON.parse(row.pool_json) as PoolFile[],
        });
        const bytes = await Packer.toBuffer(doc);
        const fileName = safeFileName(`抽取记录-${campaign.name}-第${draw.seq}次.docx`);
        return this.exportsService.register('drawRecord', fileName, bytes, DOCX_MIME, ctx, campaignId);
      },
    };
  }
}
