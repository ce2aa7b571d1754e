/**
 * The pre-check rules as versioned data: what each checks, the statute it rests on for each case type
 * (a 行政许可 file is cited 行政许可法, a 查封扣押 file 行政强制法, never 行政处罚法), its parameters, the
 * case types it applies to and, for every shipped standard (resources/standards), the items a finding
 * suggests, so it lands beside the right line of whichever score sheet the file is scored on. The
 * engine reads parameters from here, so a province's figures (较大数额罚款 for 听证) change the data,
 * not the code.
 */
import type { CaseType } from '../campaigns/case-types.js';

export const PRECHECK_RULESET_VERSION = '2026.2';

/** 可能否决: a veto item of the standard; 扣分: a deduction item; 提示: worth a reviewer's look. */
export const SEVERITIES = { veto: '可能否决', deduction: '扣分', note: '提示' } as const;
export type Severity = keyof typeof SEVERITIES;

/** The shipped standards (standardId of resources/standards/*.json) the rules map their items into. */
export const SHIPPED_STANDARDS = [
  'xzcf-cankao-yiban',
  'xzcf-cankao-jianyi',
  'cankao-xingzheng-xuke',
  'xingzheng-xuke-anjuan-pingfenbiao',
  'cankao-xingzheng-qiangzhi-cuoshi',
  'cankao-xingzheng-qiangzhi-zhixing',
  'cankao-xingzheng-jiancha',
] as const;
export type ShippedStandard = (typeof SHIPPED_STANDARDS)[number];

/** The shipped standard a case type is scored on when the campaign's own is not a shipped one. */
export const DEFAULT_STANDARD: Partial<Record<CaseType, ShippedStandard>> = {
  penalty_general: 'xzcf-cankao-yiban',
  penalty_simple: 'xzcf-cankao-jianyi',
  license: 'cankao-xingzheng-xuke',
  coercive_measure: 'cankao-xingzheng-qiangzhi-cuoshi',
  coercive_enforcement: 'cankao-xingzheng-qiangzhi-zhixing',
  inspection: 'cankao-xingzheng-jiancha',
};

/**
 * The law whose procedure a case type follows: a finding on such a file cites it. 行政检查 has no
 * national procedure law (each field's law sets its own), so only the filing rules (档案法) apply there.
 */
export const LAW_OF_TYPE: Partial<Record<CaseType, string>> = {
  penalty_general: '中华人民共和国行政处罚法',
  penalty_simple: '中华人民共和国行政处罚法',
  license: '中华人民共和国行政许可法',
  coercive_measure: '中华人民共和国行政强制法',
  coercive_enforcement: '中华人民共和国行政强制法',
};

export interface PrecheckRule {
  code: RuleCode;
  title: string;
  /** The provision for 行政处罚（一般程序） files (and any type without its own below). */
  statute: string;
  /** The provision for another case type, from the law that type follows (LAW_OF_TYPE). */
  statuteByType?: Partial<Record<CaseType, string>>;
  severity: Severity;
  caseTypes: readonly CaseType[];
  /** Per shipped standard, the item ids a finding suggests (the first is where it is shown). */
  items: Readonly<Partial<Record<ShippedStandard, readonly string[]>>>;
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
/** Filing a 案卷 (page numbers, 卷内目录) is 档案法's for every kind of file, and 行政处罚法 art. 47's for penalties. */
const FILING_STATUTE = '《中华人民共和国档案法》第十四条';
const FILING_STATUTE_PENALTY = '《中华人民共和国行政处罚法》第四十七条；《中华人民共和国档案法》第十四条';
const FILING_STATUTE_BY_TYPE: Partial<Record<CaseType, string>> = {
  license: FILING_STATUTE,
  coercive_measure: FILING_STATUTE,
  coercive_enforcement: FILING_STATUTE,
  inspection: FILING_STATUTE,
  other: FILING_STATUTE,
};

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
    items: { 'xzcf-cankao-yiban': ['cfyb-4.1'] },
    // 现场检查 usually finds the case and comes before 立案; 询问 is investigation and must not.
    parameters: { investigationRecords: ['inquiry_record'] },
  },
  decision_over_time_limit: {
    code: 'decision_over_time_limit',
    title: '超过法定期限作出处罚决定',
    statute: '《中华人民共和国行政处罚法》第六十条',
    severity: 'veto',
    caseTypes: PENALTY,
    items: { 'xzcf-cankao-yiban': ['cfyb-0.10'] },
    parameters: { limitDays: 90 },
  },
  // 行政强制法 art. 24 wants the 查封扣押决定书 handed over on the spot, which is no limit in days, so
  // 强制措施 files are not checked here.
  service_over_time_limit: {
    code: 'service_over_time_limit',
    title: '决定书未在法定期限内送达',
    statute: '《中华人民共和国行政处罚法》第六十一条第一款、第八十五条',
    statuteByType: { license: '《中华人民共和国行政许可法》第四十四条、第八十二条' },
    severity: 'deduction',
    caseTypes: ['penalty_general', 'license'],
    items: { 'xzcf-cankao-yiban': ['cfyb-4.7'], 'cankao-xingzheng-xuke': ['ckxk-4.4'], 'xingzheng-xuke-anjuan-pingfenbiao': ['xk-11'] },
    // 处罚法 arts. 61 and 85: 七日, working days; 许可法 arts. 44 and 82: 十日 for a 准予 decision, working days.
    parameters: { limitWorkingDays: 7, licenseLimitWorkingDays: 10 },
  },
  // 行政强制法 sets two officers for 强制措施 (art. 18) but not for 强制执行, and no national law does for
  // a stand-alone 行政检查: those files are left to the reviewer.
  single_officer: {
    code: 'single_officer',
    title: '执法人员少于两人',
    statute: '《中华人民共和国行政处罚法》第四十二条',
    statuteByType: {
      license: '《中华人民共和国行政许可法》第三十四条第三款',
      coercive_measure: '《中华人民共和国行政强制法》第十八条第二项',
    },
    severity: 'veto',
    caseTypes: ['penalty_general', 'penalty_simple', 'license', 'coercive_measure'],
    items: {
      'xzcf-cankao-yiban': ['cfyb-0.2', 'cfyb-1.2'],
      'xzcf-cankao-jianyi': ['cfjy-0.2', 'cfjy-1.2'],
      'cankao-xingzheng-xuke': ['ckxk-2.2'],
      'xingzheng-xuke-anjuan-pingfenbiao': ['xk-6'],
      'cankao-xingzheng-qiangzhi-cuoshi': ['ckqc-F2'],
    },
    parameters: {
      minimumOfficers: 2,
      records: ['inspection_record', 'inquiry_record', 'statement_record', 'site_verification', 'simple_decision', 'hearing_record'],
      // 许可法 art. 34(3) asks two for the 核查 of the applicant's materials; 强制法 art. 18 for the
      // measure itself, which its 现场笔录 records.
      licenseRecords: ['site_verification'],
      coerciveRecords: ['inspection_record'],
      // 行政处罚法 art. 42 allows fewer "where a law provides otherwise": 道路交通安全法 art. 107 lets one
      // 交通警察 decide a 警告 or a fine up to 200 yuan on the spot (简易程序). A 一般程序 file, or a larger
      // fine, still needs two.
      oneOfficerLaws: ['道路交通安全法'],
      oneOfficerMaxFine: 200,
    },
  },
  prior_notice_missing: {
    code: 'prior_notice_missing',
    title: '未事先告知',
    statute: '《中华人民共和国行政处罚法》第四十四条',
    severity: 'veto',
    caseTypes: PENALTY,
    items: { 'xzcf-cankao-yiban': ['cfyb-0.6'] },
    parameters: {},
  },
  statement_period_not_respected: {
    code: 'statement_period_not_respected',
    title: '陈述申辩期限未届满即作出决定',
    statute: '《中华人民共和国行政处罚法》第四十五条、第八十五条',
    severity: 'deduction',
    caseTypes: PENALTY,
    items: { 'xzcf-cankao-yiban': ['cfyb-0.7'] },
    // Used when the 告知书 does not say how many days it gives.
    parameters: { defaultWorkingDays: 5 },
  },
  hearing_not_offered: {
    code: 'hearing_not_offered',
    title: '较大数额罚款未告知听证权利',
    statute: '《中华人民共和国行政处罚法》第六十三条',
    severity: 'veto',
    caseTypes: PENALTY,
    items: { 'xzcf-cankao-yiban': ['cfyb-0.8'] },
    // 较大数额 is the province's figure; these are 江州省's.
    parameters: { personFine: 10_000, companyFine: 100_000, personConfiscation: 10_000, companyConfiscation: 100_000 },
  },
  hearing_notice_too_late: {
    code: 'hearing_notice_too_late',
    title: '听证告知后未满期限即作出决定',
    statute: '《中华人民共和国行政处罚法》第六十四条',
    severity: 'deduction',
    caseTypes: PENALTY,
    items: { 'xzcf-cankao-yiban': ['cfyb-4.5'] },
    parameters: { requestWorkingDays: 5 },
  },
  legal_review_missing: {
    code: 'legal_review_missing',
    title: '未经法制审核',
    statute: '《中华人民共和国行政处罚法》第五十八条',
    severity: 'veto',
    caseTypes: PENALTY,
    items: { 'xzcf-cankao-yiban': ['cfyb-0.9'] },
    parameters: {},
  },
  legal_basis_missing: {
    code: 'legal_basis_missing',
    title: '处罚决定未引用具体法律依据',
    statute: '《中华人民共和国行政处罚法》第五十九条第一款第三项',
    // 当场处罚决定书: art. 52 para. 2 (art. 59 is the 普通程序's).
    statuteByType: { penalty_simple: '《中华人民共和国行政处罚法》第五十二条第二款' },
    severity: 'veto',
    caseTypes: ['penalty_general', 'penalty_simple'],
    items: { 'xzcf-cankao-yiban': ['cfyb-0.5', 'cfyb-3.1'], 'xzcf-cankao-jianyi': ['cfjy-0.5', 'cfjy-3.1'] },
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
    items: { 'xzcf-cankao-yiban': ['cfyb-0.5', 'cfyb-3.2'], 'xzcf-cankao-jianyi': ['cfjy-0.5'] },
    parameters: {},
  },
  amount_inconsistent: {
    code: 'amount_inconsistent',
    title: '罚没金额前后不一致',
    statute: '《中华人民共和国行政处罚法》第四十四条、第五十九条第一款第三项',
    // 当场处罚 has no 告知书: the sum can only disagree with what was paid (art. 70: the receipt for it).
    statuteByType: { penalty_simple: '《中华人民共和国行政处罚法》第五十二条第二款、第七十条' },
    severity: 'deduction',
    caseTypes: ['penalty_general', 'penalty_simple'],
    items: { 'xzcf-cankao-yiban': ['cfyb-6.4'], 'xzcf-cankao-jianyi': ['cfjy-4.4'] },
    parameters: {},
  },
  // Each law names the party in the decision it requires; a 行政检查 has no such decision.
  party_inconsistent: {
    code: 'party_inconsistent',
    title: '当事人名称前后不一致',
    statute: '《中华人民共和国行政处罚法》第五十九条第一款第一项',
    statuteByType: {
      penalty_simple: '《中华人民共和国行政处罚法》第五十二条第二款',
      license: '《中华人民共和国行政许可法》第二十九条、第三十八条第一款',
      coercive_measure: '《中华人民共和国行政强制法》第二十四条第二款第一项',
      coercive_enforcement: '《中华人民共和国行政强制法》第三十七条第二款第一项',
    },
    severity: 'deduction',
    caseTypes: ['penalty_general', 'penalty_simple', 'license', 'coercive_measure', 'coercive_enforcement'],
    items: {
      'xzcf-cankao-yiban': ['cfyb-6.4'],
      'xzcf-cankao-jianyi': ['cfjy-2.2'],
      'cankao-xingzheng-xuke': ['ckxk-5.3'],
      // The table's 文书制作 block has no item of its own for it but this one.
      'xingzheng-xuke-anjuan-pingfenbiao': ['xk-12.8'],
      'cankao-xingzheng-qiangzhi-cuoshi': ['ckqc-5.1'],
      'cankao-xingzheng-qiangzhi-zhixing': ['ckqz-5.1'],
    },
    parameters: {},
  },
  page_numbers_missing: {
    code: 'page_numbers_missing',
    title: '卷内文件未逐页编号',
    statute: FILING_STATUTE_PENALTY,
    statuteByType: FILING_STATUTE_BY_TYPE,
    severity: 'deduction',
    caseTypes: ALL,
    items: {
      'xzcf-cankao-yiban': ['cfyb-7.3'],
      'xzcf-cankao-jianyi': ['cfjy-7.2'],
      'cankao-xingzheng-xuke': ['ckxk-6.1'],
      'xingzheng-xuke-anjuan-pingfenbiao': ['xk-12.5'],
      'cankao-xingzheng-qiangzhi-cuoshi': ['ckqc-6.2'],
      'cankao-xingzheng-qiangzhi-zhixing': ['ckqz-6.2'],
      'cankao-xingzheng-jiancha': ['ckjc-6.1'],
    },
    parameters: {},
  },
  service_receipt_unsigned: {
    code: 'service_receipt_unsigned',
    title: '送达回证无受送达人签名',
    statute: '《中华人民共和国行政处罚法》第六十一条第一款',
    statuteByType: {
      penalty_simple: '《中华人民共和国行政处罚法》第五十二条第一款',
      license: '《中华人民共和国行政许可法》第四十四条',
      coercive_measure: '《中华人民共和国行政强制法》第二十四条第一款',
      coercive_enforcement: '《中华人民共和国行政强制法》第三十八条',
    },
    severity: 'deduction',
    caseTypes: ['penalty_general', 'penalty_simple', 'license', 'coercive_measure', 'coercive_enforcement'],
    items: {
      'xzcf-cankao-yiban': ['cfyb-6.3'],
      'xzcf-cankao-jianyi': ['cfjy-4.1'],
      'cankao-xingzheng-xuke': ['ckxk-4.4'],
      'xingzheng-xuke-anjuan-pingfenbiao': ['xk-11'],
      'cankao-xingzheng-qiangzhi-cuoshi': ['ckqc-4.6'],
      'cankao-xingzheng-qiangzhi-zhixing': ['ckqz-4.3'],
    },
    parameters: {},
  },
  catalogue_mismatch: {
    code: 'catalogue_mismatch',
    title: '卷内目录与案卷不符',
    statute: FILING_STATUTE_PENALTY,
    statuteByType: FILING_STATUTE_BY_TYPE,
    severity: 'note',
    caseTypes: ALL,
    items: {
      'xzcf-cankao-yiban': ['cfyb-7.2'],
      'xzcf-cankao-jianyi': ['cfjy-7.2'],
      'cankao-xingzheng-xuke': ['ckxk-6.1'],
      'xingzheng-xuke-anjuan-pingfenbiao': ['xk-12.3'],
      'cankao-xingzheng-qiangzhi-cuoshi': ['ckqc-6.2'],
      'cankao-xingzheng-qiangzhi-zhixing': ['ckqz-6.2'],
      'cankao-xingzheng-jiancha': ['ckjc-6.1'],
    },
    parameters: {},
  },
  // Only the case types REQUIRED_DOCUMENTS lists.
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
    caseTypes: ['penalty_general', 'penalty_simple', 'license', 'coercive_measure'],
    items: {
      'xzcf-cankao-yiban': ['cfyb-7.1'],
      'xzcf-cankao-jianyi': ['cfjy-7.1'],
      'cankao-xingzheng-xuke': ['ckxk-6.2'],
      'xingzheng-xuke-anjuan-pingfenbiao': ['xk-12.1'],
      'cankao-xingzheng-qiangzhi-cuoshi': ['ckqc-6.2'],
    },
    parameters: {},
  },
};

/** Where a finding of this rule goes on a sheet of this standard (or of the case type's shipped one). */
export function itemsOf(rule: PrecheckRule, standardId: string | null | undefined, caseType: CaseType): readonly string[] {
  const shipped = (SHIPPED_STANDARDS as readonly string[]).includes(standardId ?? '') ? (standardId as ShippedStandard) : null;
  const fallback = DEFAULT_STANDARD[caseType];
  return (shipped && rule.items[shipped]) ?? (fallback && rule.items[fallback]) ?? [];
}

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
