/**
 * The pre-check rules as versioned data: what each checks, the statute it rests on, its parameters,
 * the case types it applies to and the items of the shipped 参考评查标准 (行政处罚·一般程序,
 * resources/standards/xzcf-cankao-yiban.json) a finding suggests. The engine reads parameters from
 * here, so a province's figures (较大数额罚款 for 听证) change the data, not the code.
 */
import type { CaseType } from '../campaigns/case-types.js';

export const PRECHECK_RULESET_VERSION = '2026.1';

/** 可能否决: a veto item of the standard; 扣分: a deduction item; 提示: worth a reviewer's look. */
export const SEVERITIES = { veto: '可能否决', deduction: '扣分', note: '提示' } as const;
export type Severity = keyof typeof SEVERITIES;

export interface PrecheckRule {
  code: RuleCode;
  title: string;
  /** The provision for 行政处罚 files (and any type without its own below). */
  statute: string;
  /** The provision of the law of another case type (行政强制法, 行政许可法): a finding cites the law of its file. */
  statuteByType?: Partial<Record<CaseType, string>>;
  severity: Severity;
  caseTypes: readonly CaseType[];
  /** Item ids in the 参考评查标准 (行政处罚·一般程序). */
  items: readonly string[];
  parameters: Readonly<Record<string, number | string | readonly string[]>>;
}

const PENALTY: readonly CaseType[] = ['penalty_general'];
const ALL: readonly CaseType[] = [
  'penalty_general',
  'penalty_simple',
  'license',
  'coercive_measure',
  'coercive_enforcement',
  'inspection',
  'other',
];

export const RULE_CODES = [
  'filing_after_investigation',
  'decision_over_time_limit',
  'service_over_time_limit',
  'single_officer',
  'prior_notice_missing',
  'statement_period_not_respected',
  'hearing_not_offered',
  'hearing_notice_too_late',
  'legal_review_missing',
  'legal_basis_missing',
  'legal_basis_mismatch',
  'amount_inconsistent',
  'party_inconsistent',
  'page_numbers_missing',
  'service_receipt_unsigned',
  'catalogue_mismatch',
  'document_missing',
] as const;
export type RuleCode = (typeof RULE_CODES)[number];

export const PRECHECK_RULES: Record<RuleCode, PrecheckRule> = {
  filing_after_investigation: {
    code: 'filing_after_investigation',
    title: '先调查取证后立案',
    statute: '《中华人民共和国行政处罚法》第五十四条第二款',
    severity: 'deduction',
    caseTypes: PENALTY,
    items: ['cfyb-4.1'],
    // 现场检查 usually finds the case and comes before 立案; 询问 is investigation and must not.
    parameters: { investigationRecords: ['inquiry_record'] },
  },
  decision_over_time_limit: {
    code: 'decision_over_time_limit',
    title: '超过法定期限作出处罚决定',
    statute: '《中华人民共和国行政处罚法》第六十条',
    severity: 'veto',
    caseTypes: PENALTY,
    items: ['cfyb-0.10'],
    parameters: { limitDays: 90 },
  },
  service_over_time_limit: {
    code: 'service_over_time_limit',
    title: '决定书未在七日内送达',
    statute: '《中华人民共和国行政处罚法》第六十一条、第八十五条',
    statuteByType: {
      license: '《中华人民共和国行政许可法》第四十四条',
      coercive_measure: '《中华人民共和国行政强制法》第二十四条',
    },
    severity: 'deduction',
    caseTypes: ['penalty_general', 'license', 'coercive_measure'],
    items: ['cfyb-4.7'],
    parameters: { limitWorkingDays: 7 },
  },
  single_officer: {
    code: 'single_officer',
    title: '执法人员少于两人',
    statute: '《中华人民共和国行政处罚法》第四十二条',
    statuteByType: {
      license: '《中华人民共和国行政许可法》第三十四条第三款',
      coercive_measure: '《中华人民共和国行政强制法》第十八条第二项',
      coercive_enforcement: '《中华人民共和国行政强制法》第十八条第二项',
    },
    severity: 'veto',
    caseTypes: ALL,
    items: ['cfyb-0.2', 'cfyb-1.2'],
    parameters: {
      minimumOfficers: 2,
      records: ['inspection_record', 'inquiry_record', 'statement_record', 'site_verification', 'simple_decision', 'hearing_record'],
    },
  },
  prior_notice_missing: {
    code: 'prior_notice_missing',
    title: '未事先告知',
    statute: '《中华人民共和国行政处罚法》第四十四条',
    severity: 'veto',
    caseTypes: PENALTY,
    items: ['cfyb-0.6'],
    parameters: {},
  },
  statement_period_not_respected: {
    code: 'statement_period_not_respected',
    title: '陈述申辩期限未届满即作出决定',
    statute: '《中华人民共和国行政处罚法》第四十五条、第八十五条',
    severity: 'deduction',
    caseTypes: PENALTY,
    items: ['cfyb-0.7'],
    // Used when the 告知书 does not say how many days it gives.
    parameters: { defaultWorkingDays: 5 },
  },
  hearing_not_offered: {
    code: 'hearing_not_offered',
    title: '较大数额罚款未告知听证权利',
    statute: '《中华人民共和国行政处罚法》第六十三条',
    severity: 'veto',
    caseTypes: PENALTY,
    items: ['cfyb-0.8'],
    // 较大数额 is the province's figure; these are 江州省's.
    parameters: { personFine: 10_000, companyFine: 100_000, personConfiscation: 10_000, companyConfiscation: 100_000 },
  },
  hearing_notice_too_late: {
    code: 'hearing_notice_too_late',
    title: '听证告知后未满期限即作出决定',
    statute: '《中华人民共和国行政处罚法》第六十四条',
    severity: 'deduction',
    caseTypes: PENALTY,
    items: ['cfyb-4.5'],
    parameters: { requestWorkingDays: 5 },
  },
  legal_review_missing: {
    code: 'legal_review_missing',
    title: '未经法制审核',
    statute: '《中华人民共和国行政处罚法》第五十八条',
    severity: 'veto',
    caseTypes: PENALTY,
    items: ['cfyb-0.9'],
    parameters: {},
  },
  legal_basis_missing: {
    code: 'legal_basis_missing',
    title: '处罚决定未引用具体法律依据',
    statute: '《中华人民共和国行政处罚法》第五十九条',
    severity: 'veto',
    caseTypes: ['penalty_general', 'penalty_simple'],
    items: ['cfyb-0.5', 'cfyb-3.1'],
    parameters: {},
  },
  legal_basis_mismatch: {
    code: 'legal_basis_mismatch',
    title: '处罚依据与违法行为不对应',
    // Art. 4 (penalties as laws provide) and art. 38(1) (a penalty without basis is void), as the
    // standard's item 0.5 cites; art. 59 is what the decision must state, the missing-basis rule's.
    statute: '《中华人民共和国行政处罚法》第四条、第三十八条第一款',
    severity: 'veto',
    caseTypes: ['penalty_general', 'penalty_simple'],
    items: ['cfyb-0.5', 'cfyb-3.2'],
    parameters: {},
  },
  amount_inconsistent: {
    code: 'amount_inconsistent',
    title: '罚没金额前后不一致',
    statute: '《中华人民共和国行政处罚法》第四十四条、第五十九条',
    severity: 'deduction',
    caseTypes: ['penalty_general', 'penalty_simple'],
    items: ['cfyb-6.4'],
    parameters: {},
  },
  party_inconsistent: {
    code: 'party_inconsistent',
    title: '当事人名称前后不一致',
    statute: '《中华人民共和国行政处罚法》第五十九条',
    severity: 'deduction',
    caseTypes: ALL,
    items: ['cfyb-6.4'],
    parameters: {},
  },
  page_numbers_missing: {
    code: 'page_numbers_missing',
    title: '卷内文件未逐页编号',
    statute: '《行政执法案卷立卷规范》',
    severity: 'deduction',
    caseTypes: ALL,
    items: ['cfyb-7.3'],
    parameters: {},
  },
  service_receipt_unsigned: {
    code: 'service_receipt_unsigned',
    title: '送达回证无受送达人签名',
    statute: '《中华人民共和国行政处罚法》第六十一条（依照《中华人民共和国民事诉讼法》关于送达回证的规定）',
    severity: 'deduction',
    caseTypes: ALL,
    items: ['cfyb-6.3'],
    parameters: {},
  },
  catalogue_mismatch: {
    code: 'catalogue_mismatch',
    title: '卷内目录与案卷不符',
    statute: '《行政执法案卷立卷规范》',
    severity: 'note',
    caseTypes: ALL,
    items: ['cfyb-7.2'],
    parameters: {},
  },
  document_missing: {
    code: 'document_missing',
    title: '应归档文书缺失',
    statute: '《中华人民共和国行政处罚法》第四十七条',
    statuteByType: {
      penalty_simple: '《中华人民共和国行政处罚法》第五十二条',
      license: '《中华人民共和国行政许可法》第三十二条、第三十八条',
      coercive_measure: '《中华人民共和国行政强制法》第十八条、第二十四条',
    },
    severity: 'deduction',
    caseTypes: ALL,
    items: ['cfyb-7.1'],
    parameters: {},
  },
};

/**
 * Rules that conclude from what the file does not say (a 文书 not found, a page without a number, a
 * 目录 entry not matched, no extension approval or 陈述申辩 record seen): on a file with pages not yet
 * read (scans waiting for recognition) their findings are withheld until every page has text, or an
 * unread page would count as a missing 告知书.
 */
export const WHOLE_FILE_RULES: ReadonlySet<RuleCode> = new Set<RuleCode>([
  'decision_over_time_limit',
  'prior_notice_missing',
  'statement_period_not_respected',
  'hearing_not_offered',
  'hearing_notice_too_late',
  'legal_review_missing',
  'legal_basis_missing',
  'page_numbers_missing',
  'catalogue_mismatch',
  'document_missing',
]);

/** The 文书 each case type's file must hold (告知书, 听证, 法制审核 have their own rules). */
export const REQUIRED_DOCUMENTS: Partial<Record<CaseType, readonly string[]>> = {
  penalty_general: ['filing_approval', 'investigation_report', 'decision', 'service_receipt', 'closing_approval'],
  penalty_simple: ['simple_decision'],
  license: ['acceptance_notice', 'license_decision'],
  coercive_measure: ['coercive_approval', 'seizure_decision', 'seizure_list'],
};

/**
 * Which law a penalty for a kind of violation rests on: when the 案由 names the subject, the cited
 * penalty provision must come from one of these laws (非法采矿 is punished under 矿产资源法, not
 * 土地管理法). The first matching subject decides.
 */
export const LAW_SUBJECTS: ReadonlyArray<{ subject: string; keywords: RegExp; laws: readonly string[] }> = [
  { subject: '非法采矿', keywords: /采矿|采砂|矿产/, laws: ['矿产资源法'] },
  { subject: '非法占用土地', keywords: /占用(土地|耕地)|非法占地|建房|挖塘/, laws: ['土地管理法'] },
  { subject: '食品安全', keywords: /食品/, laws: ['食品安全法'] },
  { subject: '超限运输', keywords: /超限/, laws: ['公路安全保护条例', '公路法'] },
  { subject: '道路运输', keywords: /道路(普通)?货物运输|道路运输|运输证/, laws: ['道路运输条例'] },
  { subject: '环境影响评价', keywords: /环境影响|未批先建|环评/, laws: ['环境影响评价法'] },
  { subject: '大气污染', keywords: /大气污染/, laws: ['大气污染防治法'] },
  { subject: '危险废物', keywords: /危险废物|固体废物/, laws: ['固体废物污染环境防治法'] },
  { subject: '农药', keywords: /农药/, laws: ['农药管理条例'] },
  { subject: '饲料', keywords: /饲料/, laws: ['饲料和饲料添加剂管理条例'] },
  { subject: '渔业', keywords: /禁渔|捕捞/, laws: ['渔业法'] },
  { subject: '建筑垃圾', keywords: /建筑垃圾/, laws: ['城市建筑垃圾管理规定'] },
  { subject: '虚假宣传', keywords: /虚假.{0,4}宣传/, laws: ['反不正当竞争法', '广告法'] },
  { subject: '产品质量', keywords: /不合格产品|产品质量/, laws: ['产品质量法'] },
  { subject: '明码标价', keywords: /明码标价/, laws: ['价格法', '价格违法行为行政处罚规定'] },
  { subject: '无照经营', keywords: /营业执照|无照/, laws: ['无证无照经营查处办法'] },
  { subject: '种子', keywords: /种子/, laws: ['种子法'] },
];
