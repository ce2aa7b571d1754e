/** Case types (案件类型). Codes are stored; labels are what people read. */
export const CASE_TYPES = [
  'penalty_general',
  'penalty_simple',
  'license',
  'coercive_measure',
  'coercive_enforcement',
  'inspection',
  'other',
] as const;

export type CaseType = (typeof CASE_TYPES)[number];

export const CASE_TYPE_LABELS: Record<CaseType, string> = {
  penalty_general: '行政处罚（一般程序）',
  penalty_simple: '行政处罚（简易程序）',
  license: '行政许可',
  coercive_measure: '行政强制措施',
  coercive_enforcement: '行政强制执行',
  inspection: '行政检查',
  other: '其他',
};

/** Short labels for narrow columns and the projector. */
export const CASE_TYPE_SHORT: Record<CaseType, string> = {
  penalty_general: '处罚·一般',
  penalty_simple: '处罚·简易',
  license: '许可',
  coercive_measure: '强制措施',
  coercive_enforcement: '强制执行',
  inspection: '检查',
  other: '其他',
};
