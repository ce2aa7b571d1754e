/** Output shapes of the letters, statistics and font channels (shared/contract.ts). */
import { z } from 'zod';
import { LETTER_KINDS } from './document.js';

export const FontStatusSchema = z.object({
  family: z.string(),
  /** What the font is for (标题, 正文 …). */
  role: z.string(),
  /** Only a font installed under its own name passes; a substitute is a failure. */
  installed: z.boolean(),
  substitute: z.string().nullable(),
  relative: z.string().nullable(),
  /** What to do when it is missing, in Chinese. */
  advice: z.string(),
});
export type FontStatusView = z.infer<typeof FontStatusSchema>;

/** What stands between a letter and 核对定稿: drawn files not yet settled, deductions without a reason. */
export const LetterReadinessSchema = z.object({
  pending: z.array(
    z.object({ caseId: z.string(), caseNumber: z.string(), unitId: z.string(), state: z.enum(['provisional', 'unscored']) }),
  ),
  unreasoned: z.array(
    z.object({
      caseId: z.string(),
      caseNumber: z.string(),
      unitId: z.string(),
      itemCode: z.string(),
      itemText: z.string(),
      reviewers: z.array(z.string()),
    }),
  ),
});
export type LetterReadiness = z.infer<typeof LetterReadinessSchema>;

export const LetterRecordSchema = z.object({
  kind: z.enum(LETTER_KINDS),
  unitId: z.string().nullable(),
  documentNumber: z.string().nullable(),
  exportedAt: z.string().nullable(),
});

export const LetterUnitRowSchema = z.object({
  unitId: z.string(),
  unitName: z.string(),
  fileCount: z.number().int(),
  finalCount: z.number().int(),
  provisionalCount: z.number().int(),
  unscoredCount: z.number().int(),
  /** 案号 of the unit's drawn files not yet settled (its letter cannot be issued until they are). */
  pendingFiles: z.array(z.string()),
  /** How many of those nobody has scored yet (the rest are scored but not settled: 未定分). */
  pendingUnscored: z.number().int(),
  average: z.number().nullable(),
  grade: z.string().nullable(),
  problemCount: z.number().int(),
  /** Why the unit gets no 整改通知书 (its scored files show no problem), or null. */
  noticeSkipReason: z.string().nullable(),
});
export type LetterUnitRow = z.infer<typeof LetterUnitRowSchema>;

export const LetterListSchema = z.object({
  units: z.array(LetterUnitRowSchema),
  letters: z.array(LetterRecordSchema),
});

export const DownloadSchema = z.object({ fileName: z.string(), url: z.string().startsWith('/'), bytes: z.number().int() });

const ChartOut = z.object({
  title: z.string(),
  svg: z.string(),
  widthPx: z.number(),
  heightPx: z.number(),
  widthMm: z.number(),
  alt: z.string(),
});

export const CampaignStatisticsSchema = z.object({
  /** The files under review: the drawn ones when the campaign drew, else all. */
  fileCount: z.number().int(),
  /** Every file the units delivered (报送: its PDF arrived; the pool a draw drew from). */
  submittedCount: z.number().int(),
  /** Files the units' lists name whose PDF never arrived (缺卷): not delivered, said apart. */
  missingCount: z.number().int(),
  drawn: z.boolean(),
  finalCount: z.number().int(),
  provisionalCount: z.number().int(),
  unscoredCount: z.number().int(),
  average: z.number().nullable(),
  units: z.array(
    z.object({
      unitId: z.string(),
      unitName: z.string(),
      rank: z.number().int(),
      fileCount: z.number().int(),
      average: z.number(),
      sum: z.number(),
      grade: z.string(),
      problemCount: z.number().int(),
      /** Files of the unit whose result is provisional (ranked 含暂定). */
      provisionalCount: z.number().int(),
      /** Files whose reviewers disagree (待合议): in fileCount, not in the average or sum. */
      disputedCount: z.number().int(),
      /** Drawn files of the unit with no result yet (ranked 部分未定分). */
      unscoredCount: z.number().int(),
      /** 优良率: 优秀 and 良好 among its graded files, 0–1. */
      goodRate: z.number(),
    }),
  ),
  grades: z.array(z.object({ grade: z.string(), count: z.number().int(), rate: z.number() })),
  /** 优良率 of all graded files (待合议 ones have no grade yet), null when none is graded. */
  goodRate: z.number().nullable(),
  categories: z.array(
    z.object({
      category: z.string(),
      count: z.number().int(),
      fileCount: z.number().int(),
      deduction: z.number(),
      vetoCount: z.number().int(),
    }),
  ),
  items: z.array(
    z.object({
      /** The standard's short name where the campaign used more than one, else ''. */
      standard: z.string(),
      itemCode: z.string(),
      itemText: z.string(),
      category: z.string(),
      count: z.number().int(),
      deduction: z.number(),
      vetoCount: z.number().int(),
    }),
  ),
  charts: z.object({ ranking: ChartOut, grades: ChartOut, categories: ChartOut }),
});
export type CampaignStatistics = z.infer<typeof CampaignStatisticsSchema>;

export const LetterNumberingSchema = z.object({
  issuingBody: z.string(),
  /** The template's 文号 prefix ('' when none is set). */
  prefix: z.string(),
  year: z.number().int(),
  /** The next free serial of the sequence, or null without a prefix. */
  nextSerial: z.number().int().nullable(),
  /** The 文号 the letter already carries, or null. */
  assigned: z.string().nullable(),
  /** What the letter will carry if nobody edits it: the assigned one, else the next of the sequence. */
  proposed: z.string().nullable(),
});
