/** A campaign's divergence rules as the API carries them (divergence.ts applies them). */
import { z } from 'zod';

const EscalationSchema = z.enum(['recheck', 'panel'], { error: '请选择“复核”或“集体评议”' });

/** A campaign's divergence rules (评分分歧处理规则). */
export const DivergenceRulesSchema = z.strictObject({
  /** How many delivered sheets a file needs before it can be settled. */
  requiredSheets: z.number().int('份数须为整数').min(1, '至少需要 1 份评查表').max(9, '最多 9 份评查表'),
  /** Reviewers put the file in different grade bands (优秀 / 合格 …). */
  gradeBands: z.strictObject({ enabled: z.boolean(), route: EscalationSchema }),
  /** Anyone vetoed the file (even a single reviewer: a veto is always confirmed by people). */
  anyVeto: z.strictObject({ enabled: z.boolean(), route: EscalationSchema }),
  /** The highest and lowest totals differ by more than `threshold` points. */
  spread: z.strictObject({
    enabled: z.boolean(),
    threshold: z.number().min(0, '分差不能为负').max(1000, '分差过大'),
    route: EscalationSchema,
  }),
  /** At least `minItems` items were answered differently. */
  items: z.strictObject({
    enabled: z.boolean(),
    minItems: z.number().int('项数须为整数').min(1, '至少 1 项').max(500, '项数过大'),
    route: EscalationSchema,
  }),
});
export type DivergenceRules = z.infer<typeof DivergenceRulesSchema>;
