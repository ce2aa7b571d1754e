/**
 * People, panels, draws, assignments and the meeting agenda as they cross the contract.
 * The arithmetic lives in shared/panel/; these are the shapes the UI reads.
 */
import { z } from 'zod';
import { RectSchema } from '../annotations/annotation.js';
import { CASE_TYPES } from '../campaigns/case-types.js';
import { ROLES, type Role } from '../people/roles.js';
import { UserViewSchema } from '../people/user.js';
import { REVIEW_ROUTES } from './divergence.js';

// ── people ──────────────────────────────────────────────────────────────────────────────────

export const PastUnitsSchema = z
  .array(z.string().trim().min(1, '曾任职单位名称不能为空').max(200, '单位名称过长'))
  .max(20, '曾任职单位最多填写 20 个');

export const UserDetailSchema = UserViewSchema.extend({
  legalProfessional: z.boolean(),
  pastUnits: z.array(z.string()),
  disabled: z.boolean(),
  /**
   * Made from another workstation's work package and not yet given a password here: a password
   * never leaves its PC, so the account arrives disabled until the organiser sets one.
   */
  fromPackage: z.boolean(),
  /** ISO time until which the account is locked after wrong passwords, or null. */
  lockedUntil: z.string().nullable(),
  failedLogins: z.number().int(),
  createdAt: z.string(),
});
export type UserDetail = z.infer<typeof UserDetailSchema>;

/** Roles whose members score files when they are on a campaign's panel. */
export const REVIEWING_ROLES: readonly Role[] = ['lead', 'reviewer'];
/** Roles that see every file of a campaign; a reviewer sees only the files assigned to them. */
export const SEE_ALL_ROLES: readonly Role[] = ['organiser', 'lead', 'observer'];

// ── panel and conflicts ─────────────────────────────────────────────────────────────────────

export const ConflictReasonSchema = z.object({ kind: z.enum(['current', 'past', 'declared']), text: z.string() });

export const PanelMemberSchema = z.object({
  userId: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  affiliation: z.string(),
  pastUnits: z.array(z.string()),
  legalProfessional: z.boolean(),
  /** Whether the member receives files (评查组长 and 评查员). */
  reviews: z.boolean(),
  disabled: z.boolean(),
  /** Arrived in a work package, no password here yet (see UserDetail.fromPackage). */
  fromPackage: z.boolean(),
  /** Units of this campaign the member must not review, with why. */
  conflicts: z.array(z.object({ unitId: z.string(), unitName: z.string(), reasons: z.array(ConflictReasonSchema) })),
  assigned: z.number().int(),
});
export type PanelMember = z.infer<typeof PanelMemberSchema>;

export const PanelSchema = z.object({
  campaignId: z.string(),
  members: z.array(PanelMemberSchema),
  units: z.array(z.object({ id: z.string(), name: z.string(), caseCount: z.number().int() })),
  declared: z.array(
    z.object({
      userId: z.string(),
      userName: z.string(),
      unitId: z.string(),
      unitName: z.string(),
      reason: z.string(),
      createdAt: z.string(),
    }),
  ),
});
export type Panel = z.infer<typeof PanelSchema>;

// ── draws ───────────────────────────────────────────────────────────────────────────────────

/** Full-width digits and letters typed by a witness become their half-width forms; spaces at the ends go. */
export function normaliseSeed(seed: string): string {
  return seed.normalize('NFKC').trim();
}

export const SeedSchema = z
  .string()
  .transform((s) => normaliseSeed(s))
  .pipe(z.string().min(1, '请填写随机种子').max(64, '随机种子不能超过 64 个字符'));

export const DrawnFileSchema = z.object({ caseId: z.string(), caseNumber: z.string(), title: z.string(), caseType: z.enum(CASE_TYPES) });

/** Why a file is not in a draw's pool; a file without a PDF cannot be reviewed, so it is never drawn. */
export const DRAW_EXCLUSIONS = ['reviewed', 'noDocument'] as const;
export const NO_DOCUMENT_REASON = '无案卷文件';
export const DrawExclusionSchema = z.object({
  caseId: z.string(),
  caseNumber: z.string(),
  unitName: z.string(),
  kind: z.enum(DRAW_EXCLUSIONS),
  reason: z.string(),
});
export type DrawExclusion = z.infer<typeof DrawExclusionSchema>;

/** A file of a draw's pool as the draw record keeps it (what the algorithm saw, plus the words it prints). */
export const PoolFileSchema = z.object({
  caseId: z.string(),
  unitName: z.string(),
  caseType: z.enum(CASE_TYPES),
  caseNumberKey: z.string(),
  caseNumber: z.string(),
  title: z.string(),
});
export type PoolFile = z.infer<typeof PoolFileSchema>;

/** A group of a recorded draw; draws recorded before per-unit grouping have no case type. */
export const DrawGroupRecordSchema = z.object({
  unitName: z.string(),
  caseType: z.enum(CASE_TYPES).nullable().optional(),
  poolSize: z.number(),
  drawn: z.array(z.string()),
});

/** An exclusion as recorded; draws recorded before files without a PDF were left out have no kind. */
export const RecordedExclusionSchema = DrawExclusionSchema.extend({ kind: z.enum(DRAW_EXCLUSIONS).optional() });

export const DrawSchema = z.object({
  id: z.string(),
  seq: z.number().int(),
  algorithm: z.string(),
  seed: z.string(),
  seedSource: z.enum(['generated', 'witness']),
  witness: z.string(),
  perGroup: z.number().int(),
  /** unitType: N per unit per case type; unit: N per unit whatever the type. */
  grouping: z.enum(['unitType', 'unit']),
  caseTypes: z.array(z.enum(CASE_TYPES)),
  excludeReviewed: z.boolean(),
  poolSize: z.number().int(),
  unitCount: z.number().int(),
  poolDigest: z.string(),
  /** Files of the chosen types left out of the pool: reviewed in an earlier campaign, or registered without a PDF. */
  excluded: z.array(DrawExclusionSchema),
  groups: z.array(
    z.object({
      unitName: z.string(),
      caseType: z.enum(CASE_TYPES).nullable(),
      poolSize: z.number().int(),
      drawn: z.array(DrawnFileSchema),
    }),
  ),
  drawnCount: z.number().int(),
  drawnById: z.string(),
  drawnBy: z.string(),
  drawnAt: z.string(),
  supersededAt: z.string().nullable(),
  supersededReason: z.string().nullable(),
});
export type Draw = z.infer<typeof DrawSchema>;

export const DrawStateSchema = z.object({
  current: DrawSchema.nullable(),
  history: z.array(
    DrawSchema.pick({
      id: true,
      seq: true,
      seed: true,
      drawnBy: true,
      drawnAt: true,
      drawnCount: true,
      supersededAt: true,
      supersededReason: true,
    }),
  ),
  /** A new draw is refused once files are assigned (the drawn set is then in use). */
  assignmentCount: z.number().int(),
  /** Files in the campaign now, by the draw's case-type choice (to tell whether the pool grew since). */
  currentPoolDigest: z.string().nullable(),
  /** Files of the campaign registered without a PDF now: a draw leaves them out (shown before drawing). */
  withoutDocument: z.array(z.object({ caseId: z.string(), caseNumber: z.string(), unitName: z.string(), caseType: z.enum(CASE_TYPES) })),
});
export type DrawState = z.infer<typeof DrawStateSchema>;

export const DrawVerificationSchema = z.object({
  drawId: z.string(),
  /** Recomputing from the stored pool and seed gave exactly the stored files. */
  matches: z.boolean(),
  /** The campaign's files today form the same pool (same SM3 digest). */
  poolUnchanged: z.boolean(),
  recomputedCount: z.number().int(),
  message: z.string(),
});

// ── assignment ──────────────────────────────────────────────────────────────────────────────

const PersonRef = z.object({ id: z.string(), name: z.string(), legal: z.boolean() });

export const AssignmentProposalSchema = z.object({
  seed: z.string(),
  perFile: z.number().int(),
  requireLegal: z.boolean(),
  /** SM3 of the proposal: apply recomputes and refuses if anything changed since the preview. */
  digest: z.string(),
  scope: z.enum(['drawn', 'all']),
  files: z.array(
    z.object({
      caseId: z.string(),
      caseNumber: z.string(),
      unitName: z.string(),
      caseType: z.enum(CASE_TYPES),
      reviewers: z.array(PersonRef),
    }),
  ),
  loads: z.array(PersonRef.extend({ count: z.number().int(), eligible: z.number().int() })),
  /** Reviewer × unit pairs kept apart by 回避, with the reasons and how many files that concerns. */
  avoided: z.array(
    z.object({
      reviewerId: z.string(),
      reviewerName: z.string(),
      unitName: z.string(),
      files: z.number().int(),
      reasons: z.array(z.string()),
    }),
  ),
  band: z.object({ low: z.number().int(), high: z.number().int() }),
  balanced: z.boolean(),
  /** Existing assignments the apply would replace. */
  replaces: z.number().int(),
  warnings: z.array(z.string()),
});
export type AssignmentProposal = z.infer<typeof AssignmentProposalSchema>;

export const CaseAssignmentSchema = z.object({
  caseId: z.string(),
  drawn: z.boolean(),
  reviewers: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      source: z.enum(['random', 'manual']),
      /** Non-empty when 回避 applies now (e.g. an affiliation was edited after the assignment). */
      conflicts: z.array(z.string()),
    }),
  ),
});

export const AssignmentOverviewSchema = z.object({
  drawId: z.string().nullable(),
  cases: z.array(CaseAssignmentSchema),
  lastRun: z
    .object({ seed: z.string(), perFile: z.number().int(), requireLegal: z.boolean(), appliedBy: z.string(), appliedAt: z.string() })
    .nullable(),
});
export type AssignmentOverview = z.infer<typeof AssignmentOverviewSchema>;

// ── meeting ─────────────────────────────────────────────────────────────────────────────────

export const MeetingItemSchema = z.object({
  position: z.number().int(),
  caseId: z.string(),
  caseNumber: z.string(),
  title: z.string(),
  unitName: z.string(),
  caseType: z.enum(CASE_TYPES),
  /** Why the file is before the panel (复核 / 集体评议 / 组长确认), or null when it waits for nothing. */
  route: z.enum(REVIEW_ROUTES).nullable(),
  /** The file is settled (已定分): it stays on the agenda, shown as such. */
  settled: z.boolean(),
});

export const MeetingStateSchema = z.object({
  campaignId: z.string(),
  /** Every change bumps it; a move or edit naming an older revision is refused. */
  revision: z.number().int(),
  position: z.number().int(),
  hideFromConflicted: z.boolean(),
  /** Details hidden on every screen (a conflicted member is in the room). */
  veiled: z.boolean(),
  focus: z.object({ documentId: z.string(), page: z.number().int() }).nullable(),
  items: z.array(MeetingItemSchema),
  /** Files that wait for the panel and are not on the agenda (flagged after it was last saved). */
  awaiting: z.array(MeetingItemSchema),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
});
export type MeetingState = z.infer<typeof MeetingStateSchema>;

export const ProjectionSchema = z.object({
  revision: z.number().int(),
  position: z.number().int(),
  count: z.number().int(),
  veiled: z.boolean(),
  hideFromConflicted: z.boolean(),
  item: z
    .object({
      caseId: z.string(),
      caseNumber: z.string(),
      unitName: z.string(),
      caseType: z.enum(CASE_TYPES),
      /** Panel members with a conflict with this file's unit (listed even when details are hidden). */
      conflicted: z.array(z.object({ userId: z.string(), name: z.string(), reasons: z.array(z.string()) })),
      /** Why this screen shows no details, or null when it shows them. */
      hidden: z.string().nullable(),
      facts: z
        .object({
          title: z.string(),
          party: z.string(),
          cause: z.string(),
          decision: z.string(),
          enforcementBody: z.string(),
          handler: z.string(),
          filedOn: z.string().nullable(),
          closedOn: z.string().nullable(),
          documentCount: z.number().int(),
          pageCount: z.number().int(),
        })
        .nullable(),
      scores: z
        .object({
          status: z.enum(['final', 'provisional', 'unscored']),
          result: z.object({ total: z.number(), grade: z.string(), vetoed: z.boolean() }).nullable(),
          sheets: z.array(
            z.object({ reviewerName: z.string(), status: z.string(), total: z.number(), grade: z.string(), vetoed: z.boolean() }),
          ),
          /** The delivered sheets disagree on a veto or grade: their conclusions, shown instead of a mean. */
          disagreement: z.string().nullable(),
          /** Items the delivered sheets shown here answer differently: what the panel decides on. */
          disputes: z.array(
            z.object({ itemId: z.string(), code: z.string(), text: z.string(), points: z.string(), answers: z.array(z.string()) }),
          ),
        })
        .nullable(),
      /** The page on screen, with the evidence marks drawn on it. */
      page: z
        .object({
          documentId: z.string(),
          documentTitle: z.string(),
          pageNumber: z.number().int(),
          pageCount: z.number().int(),
          url: z.string(),
          marks: z.array(z.object({ rects: z.array(RectSchema), color: z.string(), label: z.string() })),
        })
        .nullable(),
      /** Pages holding evidence for deductions, to jump to; `place` names the page by 案号 and 第N页. */
      evidence: z.array(
        z.object({ documentId: z.string(), documentTitle: z.string(), pageNumber: z.number().int(), place: z.string(), label: z.string() }),
      ),
      /** The vetoes that decided a settled file (不合格): their reasons and pages, the facts the panel reads. */
      vetoes: z.array(z.object({ code: z.string(), text: z.string(), reason: z.string(), places: z.array(z.string()) })),
    })
    .nullable(),
});
export type Projection = z.infer<typeof ProjectionSchema>;
