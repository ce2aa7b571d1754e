/**
 * What the panel keeps in the database: the 评查组 and its 回避, the draws (随机抽取) and the drawn
 * files, the assignments, and the reconciliation of several sheets into a file's result. Row types,
 * the mapping to what the screens read, and the statements, prepared once per database (the panel's
 * services share them) and named for what they answer. JSON cells are read through their schema: a
 * damaged draw record names its draw instead of crashing the 抽取记录.
 */
import { z } from 'zod';
import type { CaseType } from '../../../shared/campaigns/case-types.js';
import type { DeclaredConflict, UnitNames } from '../../../shared/panel/conflicts.js';
import { AgreementSumsSchema, type AgreementSums } from '../../../shared/panel/agreement.js';
import { DivergenceRulesSchema } from '../../../shared/panel/divergence-rules.js';
import type { DivergenceRules, ReviewRoute } from '../../../shared/panel/divergence.js';
import type { DrawGrouping } from '../../../shared/panel/draw.js';
import {
  DrawGroupRecordSchema,
  PoolFileSchema,
  RecordedExclusionSchema,
  type Draw,
  type DrawExclusion,
  type PoolFile,
} from '../../../shared/panel/panel.js';
import type { BoardFilter, EvidenceRef, ReviewState } from '../../../shared/panel/views.js';
import type { Role } from '../../../shared/people/roles.js';
import { CASE_TYPES } from '../../../shared/campaigns/case-types.js';
import { AnswerSchema } from '../../../shared/scoring/answer.js';
import type { Answer, Answers } from '../../../shared/scoring/scoring.js';
import type { Db } from '../core/db/database.js';
import type { Statement } from 'better-sqlite3';
import { parseJsonColumn } from '../core/db/json-column.js';
import { perDatabase } from '../core/db/per-database.js';
import { NO_PASSWORD_FROM_PACKAGE } from '../people/index.js';
import type { SheetRow } from '../scoring/index.js';

// ── rows ─────────────────────────────────────────────────────────────────────────────────────

export interface MemberRow {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  affiliation: string;
  past_units_json: string;
  legal_professional: number;
  disabled_at: string | null;
  /** 1: made from a work package, no password here yet. */
  from_package: number;
}

/** What the 回避 rules read of a person. */
export type ConflictPerson = Pick<MemberRow, 'id' | 'affiliation' | 'past_units_json'>;

/** A person as the panel's checks name them. */
export interface Person {
  displayName: string;
  role: Role;
  disabledAt: string | null;
}

export interface DrawRow {
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

export interface PoolRow {
  id: string;
  case_number: string;
  case_number_key: string;
  title: string;
  case_type: CaseType;
  unit_id: string;
  unit_name: string;
  has_document: number;
  reviewed_in: string | null;
}

export interface NewDraw {
  id: string;
  campaignId: string;
  seq: number;
  algorithm: string;
  seed: string;
  seedSource: 'generated' | 'witness';
  witness: string;
  perGroup: number;
  grouping: DrawGrouping;
  caseTypes: readonly CaseType[];
  excludeReviewed: boolean;
  pool: readonly PoolFile[];
  poolDigest: string;
  excluded: readonly DrawExclusion[];
  groups: unknown;
  drawnBy: string;
  at: string;
}

export interface ScopeRow {
  id: string;
  case_number: string;
  case_number_key: string;
  unit_id: string;
  unit_name: string;
  case_type: CaseType;
}

export interface OverviewRow {
  case_id: string;
  unit_id: string;
  reviewer_id: string | null;
  source: 'random' | 'manual' | null;
  display_name: string | null;
}

export interface ReviewRow {
  case_id: string;
  status: 'open' | 'final';
  source: 'auto' | 'panel' | null;
  route: ReviewRoute | null;
  assignee_id: string | null;
  assignee_name: string | null;
  standard_version_id: string | null;
  note: string;
  revision: number;
  finalised_at: string | null;
  finalised_by_name: string | null;
}

export interface AgreedRow {
  item_id: string;
  answer_json: string;
  origin: 'panel' | 'agreed';
  note: string;
  decided_by_name: string | null;
  updated_at: string;
}

export interface BoardSummaryRow {
  case_id: string;
  state: ReviewState;
  route: ReviewRoute | null;
  delivered: number;
  sheets: number;
  final_total: number | null;
  final_grade: string | null;
  final_vetoed: number | null;
  review_status: string | null;
  assignee_id: string | null;
  assignee_name: string | null;
  own_status: SheetRow['status'] | null;
  assigned: number;
}

/** A file's stored summary, as the board and statistics read it. */
export interface CaseSummary {
  caseId: string;
  campaignId: string;
  state: ReviewState;
  route: ReviewRoute | null;
  delivered: number;
  sheets: number;
  outcome: string;
  total: number | null;
  grade: string | null;
  vetoed: number | null;
  finalTotal: number | null;
  finalGrade: string | null;
  finalVetoed: number | null;
  standardVersionId: string | null;
  max: number | null;
  problems: string;
  disagreement: string | null;
  settledReasons: string;
  now: string;
}

// ── mapping ──────────────────────────────────────────────────────────────────────────────────

const CaseTypesSchema = z.array(z.enum(CASE_TYPES));
const PoolSchema = z.array(PoolFileSchema);
const GroupsSchema = z.array(DrawGroupRecordSchema);
const ExcludedSchema = z.array(RecordedExclusionSchema);

const drawName = (r: Pick<DrawRow, 'seq'>, what: string) => `第 ${r.seq} 次抽取记录的${what}`;

/**
 * A file's ratings as last counted in the agreement sums: its standard version, each reviewer's
 * non-passing answers, the agreed ones (short keys keep a campaign's rows small).
 */
const KeptRatingsSchema = z.object({
  v: z.string(),
  r: z.array(z.tuple([z.string(), z.record(z.string(), AnswerSchema)])),
  f: z.record(z.string(), AnswerSchema).nullable(),
});
export type KeptRatings = z.infer<typeof KeptRatingsSchema>;

/** The draw's pool as recorded (what the algorithm saw). */
export const drawPool = (r: DrawRow): PoolFile[] => parseJsonColumn(PoolSchema, r.pool_json, () => drawName(r, '案卷池'));

/** The files the draw left out of its pool, and why. */
export const drawExclusions = (r: DrawRow): DrawExclusion[] =>
  // Draws recorded before files without a PDF were left out excluded only reviewed files.
  parseJsonColumn(ExcludedSchema, r.excluded_json, () => drawName(r, '未入池案卷')).map((e) => ({ ...e, kind: e.kind ?? 'reviewed' }));

/** The draw's groups as recorded, in the order the algorithm wrote them. */
export const drawGroups = (r: DrawRow) => parseJsonColumn(GroupsSchema, r.groups_json, () => drawName(r, '抽取结果'));

export function toDraw(r: DrawRow): Draw {
  const pool = drawPool(r);
  const byId = new Map(pool.map((p) => [p.caseId, p]));
  const groups = drawGroups(r);
  return {
    id: r.id,
    seq: r.seq,
    algorithm: r.algorithm,
    seed: r.seed,
    seedSource: r.seed_source,
    witness: r.witness,
    perGroup: r.per_group,
    grouping: r.grouping,
    caseTypes: parseJsonColumn(CaseTypesSchema, r.case_types_json, () => drawName(r, '案件类型')),
    excludeReviewed: r.exclude_reviewed === 1,
    poolSize: pool.length,
    unitCount: new Set(pool.map((p) => p.unitName)).size,
    poolDigest: r.pool_digest,
    excluded: drawExclusions(r),
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

const agreedAnswer = (caseId: string, itemId: string, json: string): Answer =>
  parseJsonColumn(AnswerSchema, json, () => `案卷 ${caseId} 第 ${itemId} 项的合议结果`);

// ── statements ───────────────────────────────────────────────────────────────────────────────

const DRAW_SELECT = 'SELECT d.*, u.display_name AS drawn_by_name FROM draws d JOIN users u ON u.id = d.drawn_by';

const REVIEW_SELECT = `SELECT r.*, a.display_name AS assignee_name, f.display_name AS finalised_by_name
  FROM case_reviews r LEFT JOIN users a ON a.id = r.assignee_id LEFT JOIN users f ON f.id = r.finalised_by`;

const BOARD_SELECT = `SELECT s.case_id, s.state, s.route, s.delivered, s.sheets, s.final_total, s.final_grade, s.final_vetoed,
    r.status AS review_status, r.assignee_id, a.display_name AS assignee_name,
    (SELECT x.status FROM sheets x WHERE x.case_id = s.case_id AND x.reviewer_id = @actor AND x.round = 1) AS own_status,
    EXISTS (SELECT 1 FROM assignments g WHERE g.case_id = s.case_id AND g.reviewer_id = @actor AND g.round = 1) AS assigned
  FROM case_summaries s LEFT JOIN case_reviews r ON r.case_id = s.case_id LEFT JOIN users a ON a.id = r.assignee_id`;

/** Whom a file's route and result are shown (blind review), as `seesAllSheets` decides it, in SQL. */
function openSql(role: Role): string {
  if (role === 'organiser' || role === 'lead') return '1';
  const recheck = 'coalesce(r.assignee_id = @actor, 0)';
  if (role === 'observer') return `(${recheck} OR coalesce(r.status = 'final', 0))`;
  return `(${recheck} OR EXISTS (SELECT 1 FROM sheets x WHERE x.case_id = s.case_id AND x.reviewer_id = @actor AND x.round = 1 AND x.status IN ('submitted', 'final')))`;
}

/** The caller's own files in the campaign: assigned to score them, or with a sheet of their own. */
const MINE_SQL = `(SELECT g.case_id FROM assignments g WHERE g.reviewer_id = @actor AND g.campaign_id = @campaignId AND g.round = 1
  UNION SELECT x.case_id FROM sheets x WHERE x.reviewer_id = @actor AND x.round = 1)`;

/**
 * The results board's statements for a filter: the page in 案号 order after the keyset cursor
 * (@k0, @k1), the count under the filter, the counts per state and route of every file the caller
 * sees, and the caller's own workload. Parameters: @campaignId, @actor, @limit, @state, @routes
 * (JSON), @visible (JSON: the files a reviewer may see), @k0 and @k1.
 */
export function boardPageSql(input: {
  filter: BoardFilter;
  role: Role;
  after: boolean;
  visible: boolean;
  /**
   * Where the page starts reading: the campaign's files in 案号 order (`cases`, stopping after a
   * page: when most files match) or the few matching files' stored results, then sorted (`summaries`:
   * a rare state, the routes, the caller's own files).
   */
  drive: 'cases' | 'summaries';
}): {
  page: string;
  count: string;
  counts: string;
  mine: string;
} {
  const f = input.filter;
  const open = openSql(input.role);
  // The files the caller sees (the page walks the campaign's files in 案号 order from the cases' index).
  const seen = (campaign: string): string[] => [
    `${campaign} = @campaignId`,
    ...(input.visible ? ['s.case_id IN (SELECT value FROM json_each(@visible))'] : []),
  ];
  const filters: string[] = [];
  if (f.state) filters.push('s.state = @state');
  if (f.routes) filters.push(`s.route IN (SELECT value FROM json_each(@routes))${open === '1' ? '' : ` AND ${open}`}`);
  if (f.mine) filters.push(`s.case_id IN ${MINE_SQL}`);
  const reviews = 'LEFT JOIN case_reviews r ON r.case_id = s.case_id';
  const needsReviews = f.routes !== undefined && open !== '1';
  const paged = [
    ...seen(input.drive === 'cases' ? 'c.campaign_id' : 's.campaign_id'),
    ...filters,
    ...(input.after ? ['(c.case_number_sort, c.id) > (@k0, @k1)'] : []),
  ];
  return {
    // The caller's own part and the 复核 person's name are read for the page's rows only, after the sort.
    page: `SELECT p.*, a.display_name AS assignee_name,
        (SELECT x.status FROM sheets x WHERE x.case_id = p.case_id AND x.reviewer_id = @actor AND x.round = 1) AS own_status,
        EXISTS (SELECT 1 FROM assignments g WHERE g.case_id = p.case_id AND g.reviewer_id = @actor AND g.round = 1) AS assigned
      FROM (SELECT s.case_id, s.state, s.route, s.delivered, s.sheets, s.final_total, s.final_grade, s.final_vetoed,
          r.status AS review_status, r.assignee_id, c.case_number_sort, c.id
        FROM cases c JOIN case_summaries s ON s.case_id = c.id ${reviews}
        WHERE ${paged.join(' AND ')} ORDER BY c.case_number_sort, c.id LIMIT @limit) p
      LEFT JOIN users a ON a.id = p.assignee_id ORDER BY p.case_number_sort, p.id`,
    count: `SELECT count(*) FROM case_summaries s ${needsReviews ? reviews : ''} WHERE ${[...seen('s.campaign_id'), ...filters].join(' AND ')}`,
    // Counted over the stored summaries alone (an index holds state and route) when every route is shown.
    counts:
      open === '1'
        ? `SELECT s.state, s.route, count(*) AS n FROM case_summaries s WHERE ${seen('s.campaign_id').join(' AND ')} GROUP BY s.state, s.route`
        : `SELECT s.state, CASE WHEN ${open} THEN s.route END AS route, count(*) AS n
           FROM case_summaries s ${reviews} WHERE ${seen('s.campaign_id').join(' AND ')} GROUP BY 1, 2`,
    // Found from the caller's assignments and sheets (a reviewer's handful), not from the campaign's files.
    mine: `SELECT count(*) AS files, coalesce(sum(x.status IN ('submitted', 'final')), 0) AS submitted
      FROM case_summaries s LEFT JOIN sheets x ON x.case_id = s.case_id AND x.reviewer_id = @actor AND x.round = 1
      WHERE s.case_id IN ${MINE_SQL} AND ${seen('s.campaign_id').join(' AND ')}`,
  };
}

function prepare(db: Db) {
  return {
    // the campaign, its units and people
    campaignExists: db.prepare('SELECT 1 FROM campaigns WHERE id = ?'),
    unitsByName: db.prepare('SELECT id, name, short_name FROM units WHERE campaign_id = ? ORDER BY name'),
    unitNames: db.prepare('SELECT id, name FROM units WHERE campaign_id = ?'),
    unitInCampaign: db.prepare('SELECT 1 FROM units WHERE id = ? AND campaign_id = ?'),
    caseCountsByUnit: db.prepare('SELECT unit_id, count(*) AS n FROM cases WHERE campaign_id = ? GROUP BY unit_id'),
    caseIdsOfCampaign: db.prepare('SELECT id FROM cases WHERE campaign_id = ?').pluck(),
    campaignOfCase: db.prepare('SELECT campaign_id FROM cases WHERE id = ?').pluck(),
    caseOfDocument: db.prepare('SELECT case_id FROM documents WHERE id = ?').pluck(),
    person: db.prepare('SELECT display_name, role, disabled_at FROM users WHERE id = ?'),
    conflictPerson: db.prepare('SELECT id, affiliation, past_units_json FROM users WHERE id = ?'),
    userNames: db.prepare('SELECT id, display_name FROM users'),

    // the panel and its 回避
    members: db.prepare(
      `SELECT u.id, u.username, u.display_name, u.role, u.affiliation, u.past_units_json, u.legal_professional, u.disabled_at,
         u.password_hash = '${NO_PASSWORD_FROM_PACKAGE}' AS from_package
       FROM panel_members m JOIN users u ON u.id = m.user_id WHERE m.campaign_id = ? ORDER BY u.display_name, u.id`,
    ),
    isMember: db.prepare('SELECT 1 FROM panel_members WHERE campaign_id = ? AND user_id = ?'),
    addMember: db.prepare('INSERT INTO panel_members (campaign_id, user_id, added_by, added_at) VALUES (?, ?, ?, ?)'),
    removeMember: db.prepare('DELETE FROM panel_members WHERE campaign_id = ? AND user_id = ?'),
    declaredOf: db.prepare('SELECT unit_id, reason FROM declared_conflicts WHERE campaign_id = ? AND user_id = ?'),
    declaredList: db.prepare(
      `SELECT d.user_id, u.display_name, d.unit_id, n.name AS unit_name, d.reason, d.created_at
       FROM declared_conflicts d JOIN users u ON u.id = d.user_id JOIN units n ON n.id = d.unit_id
       WHERE d.campaign_id = ? ORDER BY u.display_name, n.name`,
    ),
    declaredReason: db.prepare('SELECT reason FROM declared_conflicts WHERE campaign_id = ? AND user_id = ? AND unit_id = ?').pluck(),
    declare: db.prepare(
      `INSERT INTO declared_conflicts (campaign_id, user_id, unit_id, reason, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (campaign_id, user_id, unit_id) DO UPDATE SET reason = excluded.reason`,
    ),
    removeDeclared: db.prepare('DELETE FROM declared_conflicts WHERE campaign_id = ? AND user_id = ? AND unit_id = ?'),

    // draws
    currentDraw: db.prepare(`${DRAW_SELECT} WHERE d.campaign_id = ? AND d.superseded_at IS NULL`),
    drawById: db.prepare(`${DRAW_SELECT} WHERE d.id = ? AND d.campaign_id = ?`),
    drawsNewestFirst: db.prepare(`${DRAW_SELECT} WHERE d.campaign_id = ? ORDER BY d.seq DESC`),
    currentDrawRef: db.prepare('SELECT id, seq FROM draws WHERE campaign_id = ? AND superseded_at IS NULL'),
    drawnCases: db.prepare('SELECT case_id FROM drawn_cases WHERE draw_id = ?').pluck(),
    pool: db.prepare(
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
    ),
    withoutDocument: db.prepare(
      `SELECT c.id, c.case_number, c.case_type, u.name AS unit_name FROM cases c JOIN units u ON u.id = c.unit_id
       WHERE c.campaign_id = ? AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.case_id = c.id)`,
    ),
    caseTypesPresent: db.prepare('SELECT DISTINCT case_type FROM cases WHERE campaign_id = ?').pluck(),
    supersedeDraw: db.prepare('UPDATE draws SET superseded_at = ?, superseded_reason = ? WHERE id = ?'),
    insertDraw: db.prepare(
      `INSERT INTO draws (id, campaign_id, seq, algorithm, seed, seed_source, witness, per_group, grouping, case_types_json, exclude_reviewed,
         pool_json, pool_digest, excluded_json, groups_json, drawn_by, drawn_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertDrawnCase: db.prepare('INSERT INTO drawn_cases (draw_id, case_id) VALUES (?, ?)'),

    // assignments
    assignmentCount: db.prepare('SELECT count(*) FROM assignments WHERE campaign_id = ?').pluck(),
    loads: db.prepare('SELECT reviewer_id, count(*) AS n FROM assignments WHERE campaign_id = ? GROUP BY reviewer_id'),
    assignedTo: db.prepare('SELECT count(*) FROM assignments WHERE campaign_id = ? AND reviewer_id = ?').pluck(),
    assignedInUnit: db
      .prepare('SELECT count(*) FROM assignments a JOIN cases c ON c.id = a.case_id WHERE a.reviewer_id = ? AND c.unit_id = ?')
      .pluck(),
    scopeFiles: db.prepare(
      `SELECT c.id, c.case_number, c.case_number_key, c.unit_id, u.name AS unit_name, c.case_type
       FROM cases c JOIN units u ON u.id = c.unit_id WHERE c.campaign_id = ?`,
    ),
    pairs: db.prepare('SELECT case_id, reviewer_id FROM assignments WHERE campaign_id = ? ORDER BY case_id, reviewer_id'),
    overview: db.prepare(
      `SELECT c.id AS case_id, c.unit_id, a.reviewer_id, a.source, u.display_name
       FROM cases c JOIN units n ON n.id = c.unit_id LEFT JOIN assignments a ON a.case_id = c.id LEFT JOIN users u ON u.id = a.reviewer_id
       WHERE c.campaign_id = ? ORDER BY n.name, c.case_number, u.display_name`,
    ),
    lastRun: db.prepare(
      `SELECT r.seed, r.per_file, r.require_legal, r.applied_at, u.display_name FROM assignment_runs r JOIN users u ON u.id = r.applied_by
       WHERE r.campaign_id = ? ORDER BY r.applied_at DESC LIMIT 1`,
    ),
    caseToStaff: db.prepare('SELECT campaign_id, unit_id, case_number FROM cases WHERE id = ?'),
    hasSheet: db.prepare('SELECT 1 FROM sheets WHERE case_id = ? AND reviewer_id = ?'),
    insertRun: db.prepare(
      'INSERT INTO assignment_runs (id, campaign_id, seed, per_file, require_legal, digest, applied_by, applied_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    clearAssignments: db.prepare('DELETE FROM assignments WHERE campaign_id = ?'),
    insertRandom: db.prepare(
      `INSERT INTO assignments (case_id, reviewer_id, round, campaign_id, source, run_id, created_by, created_at) VALUES (?, ?, 1, ?, 'random', ?, ?, ?)`,
    ),
    insertManual: db.prepare(
      `INSERT INTO assignments (case_id, reviewer_id, round, campaign_id, source, created_by, created_at) VALUES (?, ?, 1, ?, 'manual', ?, ?)`,
    ),
    assignment: db.prepare(
      'SELECT a.source, u.display_name FROM assignments a JOIN users u ON u.id = a.reviewer_id WHERE a.case_id = ? AND a.reviewer_id = ?',
    ),
    removeAssignment: db.prepare('DELETE FROM assignments WHERE case_id = ? AND reviewer_id = ?'),
    reviewersOfCase: db.prepare('SELECT reviewer_id FROM assignments WHERE case_id = ? AND round = 1').pluck(),
    reviewersOfCases: db.prepare(
      'SELECT case_id, reviewer_id FROM assignments WHERE case_id IN (SELECT value FROM json_each(?)) AND round = 1',
    ),

    // reconciliation and the file's result
    rules: db.prepare('SELECT rules_json FROM campaign_review_rules WHERE campaign_id = ?').pluck(),
    setRules: db.prepare(
      `INSERT INTO campaign_review_rules (campaign_id, rules_json, updated_by, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (campaign_id) DO UPDATE SET rules_json = excluded.rules_json, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
    ),
    openCases: db
      .prepare(
        `SELECT c.id FROM cases c LEFT JOIN case_reviews r ON r.case_id = c.id WHERE c.campaign_id = ? AND coalesce(r.status, 'open') = 'open'`,
      )
      .pluck(),
    review: db.prepare(`${REVIEW_SELECT} WHERE r.case_id = ?`),
    reviewsOf: db.prepare(`${REVIEW_SELECT} WHERE r.case_id IN (SELECT value FROM json_each(?))`),
    reviewGate: db.prepare('SELECT status, source, assignee_id FROM case_reviews WHERE case_id = ?'),
    settledVersion: db.prepare("SELECT standard_version_id FROM case_reviews WHERE case_id = ? AND status = 'final'").pluck(),
    settledVersions: db.prepare(
      "SELECT case_id, standard_version_id FROM case_reviews WHERE case_id IN (SELECT value FROM json_each(?)) AND status = 'final'",
    ),
    agreed: db.prepare(
      `SELECT x.item_id, x.answer_json, x.origin, x.note, u.display_name AS decided_by_name, x.updated_at
       FROM case_review_answers x LEFT JOIN users u ON u.id = x.decided_by WHERE x.case_id = ?`,
    ),
    agreedOf: db.prepare('SELECT case_id, item_id, answer_json FROM case_review_answers WHERE case_id IN (SELECT value FROM json_each(?))'),
    agreedItem: db.prepare('SELECT answer_json, note FROM case_review_answers WHERE case_id = ? AND item_id = ?'),
    ownSheetStatus: db.prepare('SELECT status FROM sheets WHERE case_id = ? AND reviewer_id = ? AND round = 1').pluck(),
    insertReview: db.prepare('INSERT INTO case_reviews (case_id, standard_version_id, updated_at) VALUES (?, ?, ?)'),
    bumpReview: db.prepare('UPDATE case_reviews SET revision = revision + 1, updated_at = ? WHERE case_id = ?'),
    setRoute: db.prepare('UPDATE case_reviews SET route = ?, assignee_id = ? WHERE case_id = ?'),
    clearRoute: db.prepare(
      'UPDATE case_reviews SET route = NULL, assignee_id = NULL, revision = revision + 1, updated_at = ? WHERE case_id = ?',
    ),
    settle: db.prepare(
      `UPDATE case_reviews SET status = 'final', source = ?, standard_version_id = ?, note = ?, finalised_at = ?, finalised_by = ?,
         revision = revision + 1, updated_at = ? WHERE case_id = ?`,
    ),
    unsettle: db.prepare(
      `UPDATE case_reviews SET status = 'open', source = NULL, finalised_at = NULL, finalised_by = NULL, revision = revision + 1, updated_at = ? WHERE case_id = ?`,
    ),
    clearAgreed: db.prepare('DELETE FROM case_review_answers WHERE case_id = ?'),
    clearAgreedKeepPanel: db.prepare("DELETE FROM case_review_answers WHERE case_id = ? AND origin = 'agreed'"),
    insertAgreed: db.prepare(
      `INSERT INTO case_review_answers (case_id, item_id, answer_json, origin, note, decided_by, updated_at) VALUES (?, ?, ?, 'agreed', '', NULL, ?)`,
    ),
    setPanelAnswer: db.prepare(
      `INSERT INTO case_review_answers (case_id, item_id, answer_json, origin, note, decided_by, updated_at) VALUES (?, ?, ?, 'panel', ?, ?, ?)
       ON CONFLICT (case_id, item_id) DO UPDATE SET answer_json = excluded.answer_json, origin = 'panel', note = excluded.note,
         decided_by = excluded.decided_by, updated_at = excluded.updated_at`,
    ),
    removeAgreedItem: db.prepare('DELETE FROM case_review_answers WHERE case_id = ? AND item_id = ?'),

    // sheets as the review moves them
    moveSheet: db.prepare('UPDATE sheets SET status = ?, revision = revision + 1, updated_at = ? WHERE id = ?'),
    submitSheet: db.prepare('UPDATE sheets SET status = ?, submitted_at = ?, revision = revision + 1, updated_at = ? WHERE id = ?'),
    reopenSheet: db.prepare(
      'UPDATE sheets SET status = ?, reopen_reason = ?, reopened_at = ?, reopened_by = ?, revision = revision + 1, updated_at = ? WHERE id = ?',
    ),
    insertSheetAnswer: db.prepare('INSERT INTO sheet_answers (sheet_id, item_id, answer_json, updated_at) VALUES (?, ?, ?, ?)'),

    // stored summaries
    stale: db.prepare('SELECT s.case_id, c.campaign_id FROM summary_stale s LEFT JOIN cases c ON c.id = s.case_id LIMIT ?'),
    staleCount: db.prepare('SELECT count(*) FROM summary_stale').pluck(),
    notStale: db.prepare('DELETE FROM summary_stale WHERE case_id = ?'),
    campaignIds: db.prepare('SELECT id FROM campaigns').pluck(),
    staleAmong: db.prepare(
      'SELECT s.case_id, c.campaign_id FROM summary_stale s LEFT JOIN cases c ON c.id = s.case_id WHERE s.case_id IN (SELECT value FROM json_each(?))',
    ),
    boardOfCampaign: db.prepare(`${BOARD_SELECT} WHERE s.campaign_id = @campaignId`),
    boardOfCases: db.prepare(`${BOARD_SELECT} WHERE s.case_id IN (SELECT value FROM json_each(@ids))`),
    writeSummary: db.prepare(
      `INSERT OR REPLACE INTO case_summaries (case_id, campaign_id, state, route, delivered, sheets, outcome, total, grade, vetoed,
         final_total, final_grade, final_vetoed, standard_version_id, max, problems_json, disagreement, settled_reasons_json, updated_at)
       VALUES (@caseId, @campaignId, @state, @route, @delivered, @sheets, @outcome, @total, @grade, @vetoed, @finalTotal, @finalGrade, @finalVetoed,
         @standardVersionId, @max, @problems, @disagreement, @settledReasons, @now)`,
    ),
    clearSheetSummaries: db.prepare('DELETE FROM sheet_summaries WHERE case_id = ?'),
    writeSheetSummary: db.prepare(
      'INSERT OR REPLACE INTO sheet_summaries (sheet_id, case_id, status, answered, total, grade, vetoed) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),

    // the reviewers' agreement
    keptRatingsOf: db.prepare(
      'SELECT case_id, campaign_id, ratings_json FROM agreement_files WHERE case_id IN (SELECT value FROM json_each(?))',
    ),
    dropKeptRatings: db.prepare('DELETE FROM agreement_files WHERE case_id = ?'),
    keepRatings: db.prepare('INSERT INTO agreement_files (case_id, campaign_id, ratings_json) VALUES (?, ?, ?)'),
    agreementSums: db.prepare('SELECT sums_json FROM agreement_sums WHERE campaign_id = ?').pluck(),
    setAgreementSums: db.prepare('INSERT OR REPLACE INTO agreement_sums (campaign_id, sums_json) VALUES (?, ?)'),
    namesOf: db.prepare('SELECT id, display_name FROM users WHERE id IN (SELECT value FROM json_each(?))'),
  };
}

export class PanelRepo {
  private readonly q: ReturnType<typeof prepare>;

  constructor(private readonly db: Db) {
    this.q = prepare(db);
  }

  // ── the campaign, its units and people ──────────────────────────────────────────────────

  campaignExists(campaignId: string): boolean {
    return this.q.campaignExists.get(campaignId) !== undefined;
  }

  /** The campaign's units by name. */
  units(campaignId: string): UnitNames[] {
    return (this.q.unitsByName.all(campaignId) as Array<{ id: string; name: string; short_name: string }>).map((u) => ({
      id: u.id,
      name: u.name,
      shortName: u.short_name,
    }));
  }

  /** The campaign's units as stored (the draw groups them by identity). */
  unitNames(campaignId: string): Array<{ id: string; name: string }> {
    return this.q.unitNames.all(campaignId) as Array<{ id: string; name: string }>;
  }

  unitInCampaign(unitId: string, campaignId: string): boolean {
    return this.q.unitInCampaign.get(unitId, campaignId) !== undefined;
  }

  caseCountsByUnit(campaignId: string): Map<string, number> {
    return new Map((this.q.caseCountsByUnit.all(campaignId) as Array<{ unit_id: string; n: number }>).map((r) => [r.unit_id, r.n]));
  }

  caseIdsOfCampaign(campaignId: string): string[] {
    return this.q.caseIdsOfCampaign.all(campaignId) as string[];
  }

  campaignOfCase(caseId: string): string | null {
    return (this.q.campaignOfCase.get(caseId) as string | undefined) ?? null;
  }

  caseOfDocument(documentId: string): string | null {
    return (this.q.caseOfDocument.get(documentId) as string | undefined) ?? null;
  }

  person(userId: string): Person | null {
    const r = this.q.person.get(userId) as { display_name: string; role: Role; disabled_at: string | null } | undefined;
    return r ? { displayName: r.display_name, role: r.role, disabledAt: r.disabled_at } : null;
  }

  conflictPerson(userId: string): ConflictPerson | null {
    return (this.q.conflictPerson.get(userId) as ConflictPerson | undefined) ?? null;
  }

  /** Every account's name by id. */
  userNames(): Map<string, string> {
    return new Map((this.q.userNames.all() as Array<{ id: string; display_name: string }>).map((u) => [u.id, u.display_name]));
  }

  // ── the panel and its 回避 ─────────────────────────────────────────────────────────────────

  members(campaignId: string): MemberRow[] {
    return this.q.members.all(campaignId) as MemberRow[];
  }

  isMember(campaignId: string, userId: string): boolean {
    return this.q.isMember.get(campaignId, userId) !== undefined;
  }

  addMember(campaignId: string, userId: string, addedBy: string, at: string): void {
    this.q.addMember.run(campaignId, userId, addedBy, at);
  }

  removeMember(campaignId: string, userId: string): void {
    this.q.removeMember.run(campaignId, userId);
  }

  declaredOf(campaignId: string, userId: string): DeclaredConflict[] {
    return (this.q.declaredOf.all(campaignId, userId) as Array<{ unit_id: string; reason: string }>).map((d) => ({
      unitId: d.unit_id,
      reason: d.reason,
    }));
  }

  declaredList(campaignId: string) {
    return (
      this.q.declaredList.all(campaignId) as Array<{
        user_id: string;
        display_name: string;
        unit_id: string;
        unit_name: string;
        reason: string;
        created_at: string;
      }>
    ).map((d) => ({
      userId: d.user_id,
      userName: d.display_name,
      unitId: d.unit_id,
      unitName: d.unit_name,
      reason: d.reason,
      createdAt: d.created_at,
    }));
  }

  declaredReason(campaignId: string, userId: string, unitId: string): string | null {
    return (this.q.declaredReason.get(campaignId, userId, unitId) as string | undefined) ?? null;
  }

  declare(campaignId: string, userId: string, unitId: string, reason: string, by: string, at: string): void {
    this.q.declare.run(campaignId, userId, unitId, reason, by, at);
  }

  removeDeclared(campaignId: string, userId: string, unitId: string): void {
    this.q.removeDeclared.run(campaignId, userId, unitId);
  }

  // ── draws ────────────────────────────────────────────────────────────────────────────────

  currentDraw(campaignId: string): DrawRow | null {
    return (this.q.currentDraw.get(campaignId) as DrawRow | undefined) ?? null;
  }

  draw(drawId: string, campaignId: string): DrawRow | null {
    return (this.q.drawById.get(drawId, campaignId) as DrawRow | undefined) ?? null;
  }

  drawsNewestFirst(campaignId: string): DrawRow[] {
    return this.q.drawsNewestFirst.all(campaignId) as DrawRow[];
  }

  /** The current draw's id and number, or null when the campaign has not drawn. */
  currentDrawRef(campaignId: string): { id: string; seq: number } | null {
    return (this.q.currentDrawRef.get(campaignId) as { id: string; seq: number } | undefined) ?? null;
  }

  drawnCases(drawId: string): string[] {
    return this.q.drawnCases.all(drawId) as string[];
  }

  /** The campaign's files with what the pool rule asks: a document, and the earlier campaign that reviewed it. */
  poolRows(campaignId: string, excludeReviewed: boolean): PoolRow[] {
    return this.q.pool.all(excludeReviewed ? 1 : 0, campaignId) as PoolRow[];
  }

  withoutDocument(campaignId: string): Array<{ caseId: string; caseNumber: string; unitName: string; caseType: CaseType }> {
    return (
      this.q.withoutDocument.all(campaignId) as Array<{ id: string; case_number: string; case_type: CaseType; unit_name: string }>
    ).map((r) => ({ caseId: r.id, caseNumber: r.case_number, unitName: r.unit_name, caseType: r.case_type }));
  }

  caseTypesPresent(campaignId: string): Set<CaseType> {
    return new Set(this.q.caseTypesPresent.all(campaignId) as CaseType[]);
  }

  supersedeDraw(drawId: string, at: string, reason: string): void {
    this.q.supersedeDraw.run(at, reason, drawId);
  }

  insertDraw(d: NewDraw, drawnCaseIds: readonly string[]): void {
    this.q.insertDraw.run(
      d.id,
      d.campaignId,
      d.seq,
      d.algorithm,
      d.seed,
      d.seedSource,
      d.witness,
      d.perGroup,
      d.grouping,
      JSON.stringify(d.caseTypes),
      d.excludeReviewed ? 1 : 0,
      JSON.stringify(d.pool),
      d.poolDigest,
      JSON.stringify(d.excluded),
      JSON.stringify(d.groups),
      d.drawnBy,
      d.at,
    );
    for (const caseId of drawnCaseIds) this.q.insertDrawnCase.run(d.id, caseId);
  }

  // ── assignments ──────────────────────────────────────────────────────────────────────────

  assignmentCount(campaignId: string): number {
    return this.q.assignmentCount.get(campaignId) as number;
  }

  /** Files assigned per reviewer. */
  loads(campaignId: string): Map<string, number> {
    return new Map((this.q.loads.all(campaignId) as Array<{ reviewer_id: string; n: number }>).map((r) => [r.reviewer_id, r.n]));
  }

  assignedTo(campaignId: string, reviewerId: string): number {
    return this.q.assignedTo.get(campaignId, reviewerId) as number;
  }

  /** Files of a unit assigned to this person, in any campaign. */
  assignedInUnit(userId: string, unitId: string): number {
    return this.q.assignedInUnit.get(userId, unitId) as number;
  }

  scopeFiles(campaignId: string): ScopeRow[] {
    return this.q.scopeFiles.all(campaignId) as ScopeRow[];
  }

  pairs(campaignId: string): Array<{ case_id: string; reviewer_id: string }> {
    return this.q.pairs.all(campaignId) as Array<{ case_id: string; reviewer_id: string }>;
  }

  overview(campaignId: string): OverviewRow[] {
    return this.q.overview.all(campaignId) as OverviewRow[];
  }

  lastRun(campaignId: string): { seed: string; per_file: number; require_legal: number; applied_at: string; display_name: string } | null {
    return (
      (this.q.lastRun.get(campaignId) as
        { seed: string; per_file: number; require_legal: number; applied_at: string; display_name: string } | undefined) ?? null
    );
  }

  caseToStaff(caseId: string): { campaign_id: string; unit_id: string; case_number: string } | null {
    return (this.q.caseToStaff.get(caseId) as { campaign_id: string; unit_id: string; case_number: string } | undefined) ?? null;
  }

  hasSheet(caseId: string, reviewerId: string): boolean {
    return this.q.hasSheet.get(caseId, reviewerId) !== undefined;
  }

  /** Replaces the campaign's assignments by a run's. */
  applyRun(
    run: { id: string; campaignId: string; seed: string; perFile: number; requireLegal: boolean; digest: string; by: string; at: string },
    files: ReadonlyArray<{ caseId: string; reviewers: ReadonlyArray<{ id: string }> }>,
  ): void {
    this.q.insertRun.run(run.id, run.campaignId, run.seed, run.perFile, run.requireLegal ? 1 : 0, run.digest, run.by, run.at);
    this.q.clearAssignments.run(run.campaignId);
    for (const f of files) for (const r of f.reviewers) this.q.insertRandom.run(f.caseId, r.id, run.campaignId, run.id, run.by, run.at);
  }

  addManual(caseId: string, reviewerId: string, campaignId: string, by: string, at: string): void {
    this.q.insertManual.run(caseId, reviewerId, campaignId, by, at);
  }

  assignment(caseId: string, reviewerId: string): { source: string; display_name: string } | null {
    return (this.q.assignment.get(caseId, reviewerId) as { source: string; display_name: string } | undefined) ?? null;
  }

  removeAssignment(caseId: string, reviewerId: string): void {
    this.q.removeAssignment.run(caseId, reviewerId);
  }

  reviewersOfCase(caseId: string): Set<string> {
    return new Set(this.q.reviewersOfCase.all(caseId) as string[]);
  }

  reviewersOfCases(caseIds: readonly string[]): Array<{ case_id: string; reviewer_id: string }> {
    return this.q.reviewersOfCases.all(JSON.stringify(caseIds)) as Array<{ case_id: string; reviewer_id: string }>;
  }

  // ── reconciliation and the file's result ─────────────────────────────────────────────────

  /** The campaign's divergence rules, or null when it keeps the defaults (or its stored rules no longer read). */
  rules(campaignId: string): DivergenceRules | null {
    const json = this.q.rules.get(campaignId) as string | undefined;
    if (json === undefined) return null;
    let raw: unknown;
    try {
      raw = JSON.parse(json);
    } catch {
      return null;
    }
    // Stored rules that do not read as today's rules fall back to the defaults, as they always have.
    const parsed = DivergenceRulesSchema.safeParse(raw);
    return parsed.success ? parsed.data : null;
  }

  setRules(campaignId: string, rules: DivergenceRules, by: string, at: string): void {
    this.q.setRules.run(campaignId, JSON.stringify(rules), by, at);
  }

  openCases(campaignId: string): string[] {
    return this.q.openCases.all(campaignId) as string[];
  }

  review(caseId: string): ReviewRow | undefined {
    return this.q.review.get(caseId) as ReviewRow | undefined;
  }

  reviewsOf(caseIds: readonly string[]): Map<string, ReviewRow> {
    return new Map((this.q.reviewsOf.all(JSON.stringify(caseIds)) as ReviewRow[]).map((r) => [r.case_id, r]));
  }

  /** What blind review and the answer gate read of a file's review. */
  reviewGate(caseId: string): { status: string; source: string | null; assignee_id: string | null } | undefined {
    return this.q.reviewGate.get(caseId) as { status: string; source: string | null; assignee_id: string | null } | undefined;
  }

  settledVersion(caseId: string): string | null {
    return (this.q.settledVersion.get(caseId) as string | undefined) ?? null;
  }

  settledVersions(caseIds: readonly string[]): Array<{ case_id: string; standard_version_id: string }> {
    return this.q.settledVersions.all(JSON.stringify(caseIds)) as Array<{ case_id: string; standard_version_id: string }>;
  }

  agreedRows(caseId: string): AgreedRow[] {
    return this.q.agreed.all(caseId) as AgreedRow[];
  }

  agreedAnswer(caseId: string, row: Pick<AgreedRow, 'item_id' | 'answer_json'>): Answer {
    return agreedAnswer(caseId, row.item_id, row.answer_json);
  }

  /** The stored agreed answers of many files. */
  agreedOf(caseIds: readonly string[]): Map<string, Answers> {
    const out = new Map<string, Answers>();
    if (!caseIds.length) return out;
    const rows = this.q.agreedOf.all(JSON.stringify(caseIds)) as Array<{ case_id: string; item_id: string; answer_json: string }>;
    for (const r of rows) {
      const answers = out.get(r.case_id) ?? {};
      answers[r.item_id] = agreedAnswer(r.case_id, r.item_id, r.answer_json);
      out.set(r.case_id, answers);
    }
    return out;
  }

  agreedItem(caseId: string, itemId: string): { answer: Answer; note: string } | null {
    const r = this.q.agreedItem.get(caseId, itemId) as { answer_json: string; note: string } | undefined;
    return r ? { answer: agreedAnswer(caseId, itemId, r.answer_json), note: r.note } : null;
  }

  ownSheetStatus(caseId: string, reviewerId: string): SheetRow['status'] | null {
    return (this.q.ownSheetStatus.get(caseId, reviewerId) as SheetRow['status'] | undefined) ?? null;
  }

  insertReview(caseId: string, versionId: string | null, at: string): void {
    this.q.insertReview.run(caseId, versionId, at);
  }

  bumpReview(caseId: string, at: string): void {
    this.q.bumpReview.run(at, caseId);
  }

  setRoute(caseId: string, route: ReviewRoute | null, assigneeId: string | null): void {
    this.q.setRoute.run(route, assigneeId, caseId);
  }

  /** The file goes back to scoring: a route chosen for the old divergence no longer applies. */
  clearRoute(caseId: string, at: string): void {
    this.q.clearRoute.run(at, caseId);
  }

  /** Drops the agreed answers; a panel settlement keeps the items the panel decided one by one. */
  clearAgreed(caseId: string, keepPanelItems: boolean): void {
    (keepPanelItems ? this.q.clearAgreedKeepPanel : this.q.clearAgreed).run(caseId);
  }

  insertAgreed(caseId: string, itemId: string, answer: Answer, at: string): void {
    this.q.insertAgreed.run(caseId, itemId, JSON.stringify(answer), at);
  }

  settle(caseId: string, s: { source: 'auto' | 'panel'; versionId: string | null; note: string; by: string | null; at: string }): void {
    this.q.settle.run(s.source, s.versionId, s.note, s.at, s.by, s.at, caseId);
  }

  unsettle(caseId: string, at: string): void {
    this.q.unsettle.run(at, caseId);
  }

  setPanelAnswer(caseId: string, itemId: string, answer: Answer, note: string, by: string, at: string): void {
    this.q.setPanelAnswer.run(caseId, itemId, JSON.stringify(answer), note, by, at);
  }

  removeAgreedItem(caseId: string, itemId: string): void {
    this.q.removeAgreedItem.run(caseId, itemId);
  }

  // ── sheets as the review moves them ──────────────────────────────────────────────────────

  moveSheet(sheetId: string, status: string, at: string): void {
    this.q.moveSheet.run(status, at, sheetId);
  }

  submitSheet(sheetId: string, status: string, at: string): void {
    this.q.submitSheet.run(status, at, at, sheetId);
  }

  reopenSheet(sheetId: string, status: string, reason: string, by: string, at: string): void {
    this.q.reopenSheet.run(status, reason, at, by, at, sheetId);
  }

  insertSheetAnswer(sheetId: string, itemId: string, answer: Answer, at: string): void {
    this.q.insertSheetAnswer.run(sheetId, itemId, JSON.stringify(answer), at);
  }

  // ── stored summaries ─────────────────────────────────────────────────────────────────────

  /** Files whose stored summary a change marked stale, with their campaign (null: the file is gone); `limit`: at most that many (-1: all). */
  stale(limit = -1): Array<{ case_id: string; campaign_id: string | null }> {
    return this.q.stale.all(limit) as Array<{ case_id: string; campaign_id: string | null }>;
  }

  /** Which of these files a change marked stale. */
  staleAmong(caseIds: readonly string[]): Array<{ case_id: string; campaign_id: string | null }> {
    return this.q.staleAmong.all(JSON.stringify(caseIds)) as Array<{ case_id: string; campaign_id: string | null }>;
  }

  notStale(caseId: string): void {
    this.q.notStale.run(caseId);
  }

  /** Every campaign of the workspace (whose lists a finished back-fill tells to read again). */
  campaignIds(): string[] {
    return this.q.campaignIds.all() as string[];
  }

  /** How many files wait for their stored summary to be written. */
  staleCount(): number {
    return this.q.staleCount.get() as number;
  }

  /** The board's rows: the campaign's, or only these files'. */
  /** One page of the results board, its count under the filter and the counts beside it (statements cached per filter). */
  boardPage(input: {
    campaignId: string;
    filter: BoardFilter;
    actor: { id: string; role: Role };
    after: [string, string] | null;
    limit: number;
    visible: readonly string[] | null;
  }): {
    rows: Array<BoardSummaryRow & { case_number_sort: string }>;
    total: number;
    counts: Array<{ state: ReviewState; route: ReviewRoute | null; n: number }>;
    mine: { files: number; submitted: number };
  } {
    const shape = { filter: input.filter, role: input.actor.role, after: !!input.after, visible: !!input.visible };
    const sql = boardPageSql({ ...shape, drive: 'cases' });
    const params: Record<string, unknown> = { campaignId: input.campaignId, actor: input.actor.id, limit: input.limit };
    if (input.filter.state) params.state = input.filter.state;
    if (input.filter.routes) params.routes = JSON.stringify(input.filter.routes);
    if (input.visible) params.visible = JSON.stringify(input.visible);
    if (input.after) [params.k0, params.k1] = input.after;
    const total = this.statement(sql.count).pluck().get(params) as number;
    const files = this.statement(sql.counts).all(params) as Array<{ state: ReviewState; route: ReviewRoute | null; n: number }>;
    const all = files.reduce((a, c) => a + c.n, 0);
    // Under a filter most files pass, the page walks the files in order and stops after a page; under
    // one few pass, it reads just those and sorts them.
    const page = input.filter.mine || total * 4 < all ? boardPageSql({ ...shape, drive: 'summaries' }).page : sql.page;
    return {
      rows: input.limit > 0 ? (this.statement(page).all(params) as Array<BoardSummaryRow & { case_number_sort: string }>) : [],
      total,
      counts: files,
      mine: this.statement(sql.mine).get(params) as { files: number; submitted: number },
    };
  }

  private readonly statements = new Map<string, Statement>();
  private statement(sql: string): Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  board(campaignId: string, caseIds: readonly string[] | null, actorId: string): BoardSummaryRow[] {
    return (
      caseIds
        ? this.q.boardOfCases.all({ actor: actorId, ids: JSON.stringify(caseIds) })
        : this.q.boardOfCampaign.all({ actor: actorId, campaignId })
    ) as BoardSummaryRow[];
  }

  writeSummary(s: CaseSummary): void {
    this.q.writeSummary.run(s);
  }

  writeSheetSummaries(
    caseId: string,
    sheets: ReadonlyArray<{
      sheetId: string;
      status: string;
      answered: number;
      total: number | null;
      grade: string | null;
      vetoed: number | null;
    }>,
  ): void {
    this.q.clearSheetSummaries.run(caseId);
    for (const s of sheets) this.q.writeSheetSummary.run(s.sheetId, caseId, s.status, s.answered, s.total, s.grade, s.vetoed);
  }

  // ── the reviewers' agreement ─────────────────────────────────────────────────────────────

  /** The ratings each of these files was last counted with in its campaign's agreement sums. */
  keptRatings(caseIds: readonly string[]): Array<{ caseId: string; campaignId: string; ratings: KeptRatings }> {
    const rows = this.q.keptRatingsOf.all(JSON.stringify(caseIds)) as Array<{ case_id: string; campaign_id: string; ratings_json: string }>;
    return rows.map((r) => ({
      caseId: r.case_id,
      campaignId: r.campaign_id,
      ratings: parseJsonColumn(KeptRatingsSchema, r.ratings_json, () => `案卷 ${r.case_id.slice(0, 8)}… 计入评查一致性的评定`),
    }));
  }

  dropKeptRatings(caseId: string): void {
    this.q.dropKeptRatings.run(caseId);
  }

  keepRatings(caseId: string, campaignId: string, ratings: KeptRatings): void {
    this.q.keepRatings.run(caseId, campaignId, JSON.stringify(ratings));
  }

  /** The campaign's stored agreement sums, or null before any file was rated twice. */
  agreementSums(campaignId: string): AgreementSums | null {
    const json = this.q.agreementSums.get(campaignId) as string | undefined;
    return json === undefined
      ? null
      : parseJsonColumn(AgreementSumsSchema, json, () => `评查活动 ${campaignId.slice(0, 8)}… 的评查一致性汇总`);
  }

  setAgreementSums(campaignId: string, sums: AgreementSums): void {
    this.q.setAgreementSums.run(campaignId, JSON.stringify(sums));
  }

  /** These accounts' names by id. */
  namesOf(userIds: readonly string[]): Map<string, string> {
    return new Map(
      (this.q.namesOf.all(JSON.stringify(userIds)) as Array<{ id: string; display_name: string }>).map((u) => [u.id, u.display_name]),
    );
  }

  /** Where each evidence annotation is (document, page) and what it marks, for the reconciliation view. */
  evidenceRefs(ids: readonly string[]): EvidenceRef[] {
    if (!ids.length) return [];
    // As many placeholders as ids: the statement is built from fixed fragments, never from input text.
    const rows = this.db
      .prepare(
        `SELECT a.id, a.document_id, d.title, a.page_index, a.type, a.selected_text, a.comment, u.display_name AS author_name
         FROM annotations a JOIN documents d ON d.id = a.document_id JOIN users u ON u.id = a.author_id
         WHERE a.deleted_at IS NULL AND a.id IN (${ids.map(() => '?').join(',')}) ORDER BY d.position, a.sort_key`,
      )
      .all(...ids) as Array<{
      id: string;
      document_id: string;
      title: string;
      page_index: number;
      type: EvidenceRef['type'];
      selected_text: string | null;
      comment: string | null;
      author_name: string;
    }>;
    return rows.map((r) => ({
      id: r.id,
      documentId: r.document_id,
      documentTitle: r.title,
      pageIndex: r.page_index,
      type: r.type,
      selectedText: r.selected_text,
      comment: r.comment,
      authorName: r.author_name,
    }));
  }
}

/** The panel's statements of this database; its services share one set. */
export const panelRepo = perDatabase((db) => new PanelRepo(db));
