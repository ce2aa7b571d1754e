/**
 * Letter templates the bureau edits: the wording of the fixed paragraphs (with {占位符} filled from
 * the campaign), the issuing body, the 文号 prefix, the format, and which sections appear. One
 * template per letter kind, stored in the database; these are the defaults of a new workstation.
 */
import { z } from 'zod';
import { LETTER_FORMATS, type LetterKind } from './document.js';

/** Placeholders a paragraph may use, with what they stand for (shown in the editor). */
export const PLACEHOLDERS = {
  评查机关: '出具文书的机关（署名）',
  被评查单位: '收文的被评查单位',
  评查活动: '评查活动名称',
  年度: '评查活动年度',
  评查标准: '适用的评查标准名称',
  法律依据: '所评查案件类型依据的法律和行政执法监督有关规定，如“《中华人民共和国行政处罚法》和行政执法监督有关规定”',
  评查范围: '单位文书所述的评查范围，如“从你单位报送的4件案卷中随机抽取2件”（未抽取时为“对你单位报送的2件行政执法案卷”）',
  案卷数: '已评查（文书引用其结果）的案卷件数（单位文书为本单位，通报为全部）',
  抽取案卷数: '抽取列入本次评查的案卷件数（单位文书为本单位，通报为全部）',
  单位数: '被评查单位个数',
  平均分: '本单位案卷平均得分',
  等次: '本单位平均分对应的等次',
  等次分布: '各等次案卷件数，如“优秀2件、合格1件”',
  问题数: '扣分问题的项数',
  问题案卷数: '存在扣分问题的案卷件数',
  整改期限: '整改完成期限（日期）',
  报送日期: '书面报送整改情况的日期',
  联系人: '联系人',
  联系电话: '联系电话',
} as const;
export type Placeholder = keyof typeof PLACEHOLDERS;
export type PlaceholderValues = Record<Placeholder, string>;

const PLACEHOLDER_RE = /\{([^{}\s]{1,12})\}/g;

/** Replaces {占位符}; names that are not placeholders are left as typed (the editor flags them). */
export function fillPlaceholders(text: string, values: Partial<PlaceholderValues>): string {
  return text.replace(PLACEHOLDER_RE, (whole, name: string) => (name in values ? values[name as Placeholder]! : whole));
}

export function unknownPlaceholders(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(PLACEHOLDER_RE)) if (!(m[1]! in PLACEHOLDERS)) out.add(m[1]!);
  return [...out];
}

/** Splits a paragraph field into paragraphs (a blank line or a line break starts a new one). */
export const paragraphsOf = (text: string): string[] =>
  text
    .split(/\n+/)
    .map((s) => s.trim())
    .filter(Boolean);

export interface FieldSpec<K extends string> {
  key: K;
  label: string;
  default: string;
}
export interface SectionSpec<K extends string> {
  key: K;
  label: string;
  default: boolean;
}

const OPENING =
  '根据{法律依据}，按照{评查活动}工作安排，{评查机关}组织评查组，依据{评查标准}，采取随机抽取、交叉评查、集体评议的方式，{评查范围}进行了评查。现将评查情况和监督意见反馈如下：';
const NOTICE_OPENING =
  '按照{评查活动}工作安排，{评查机关}{评查范围}进行了评查，其中{问题案卷数}件案卷存在问题，共{问题数}项。现就整改有关事项通知如下：';

// The problems are listed before the requirement, so it points back at them.
const NOTICE_REQUIREMENTS = '请你单位对照上述问题逐项整改，明确整改措施、责任人和整改时限，确保于{整改期限}前全部整改到位。';

/**
 * Defaults an earlier version wrote into stored templates: a template nobody edited takes the
 * current default (which cites the laws of the case types reviewed and the draw), an edited one is
 * the bureau's own words.
 */
const FORMER_DEFAULTS: Record<string, string> = {
  '根据《中华人民共和国行政处罚法》《中华人民共和国行政许可法》和行政执法监督有关规定，按照{评查活动}工作安排，{评查机关}组织评查组，依据{评查标准}，采取随机抽取、交叉评查、集体评议的方式，对你单位报送的{案卷数}件行政执法案卷进行了评查。现将评查情况和监督意见反馈如下：':
    OPENING,
  '按照{评查活动}工作安排，{评查机关}对你单位报送的{案卷数}件行政执法案卷进行了评查，其中{问题案卷数}件案卷存在问题，共{问题数}项。现就整改有关事项通知如下：':
    NOTICE_OPENING,
  '请你单位对照以下问题逐项整改，明确整改措施、责任人和整改时限，确保于{整改期限}前全部整改到位。': NOTICE_REQUIREMENTS,
};

export const TEMPLATE_SPECS = {
  opinion: {
    paragraphs: [
      { key: 'opening', label: '开头（评查依据和经过）', default: OPENING },
      {
        key: 'results',
        label: '总体情况',
        default: '本次共评查你单位案卷{案卷数}件，平均得分{平均分}分，等次为{等次}。其中，{等次分布}。各案卷得分情况如下：',
      },
      {
        key: 'problemsIntro',
        label: '问题部分导语',
        default: '评查发现你单位案卷存在以下问题（按问题类别列出，同一问题涉及多件案卷的合并列出）：',
      },
      {
        key: 'opinion',
        label: '监督意见',
        default:
          '你单位要高度重视案卷评查发现的问题，认真分析原因，举一反三，全面规范执法程序、证据收集和文书制作，严格落实行政执法公示、执法全过程记录和重大执法决定法制审核制度，切实提高行政执法质量。',
      },
      {
        key: 'requirements',
        label: '整改要求',
        default:
          '请你单位对照上述问题逐项建立整改台账，明确责任人和整改措施，于{整改期限}前整改完毕，并于{报送日期}前将整改情况书面报送{评查机关}。逾期未整改或整改不到位的，将依照有关规定予以通报。',
      },
      {
        key: 'noProblems',
        label: '未发现问题时的意见',
        default:
          '经评查，你单位被抽查的{案卷数}件案卷均未发现扣分问题。请你单位继续保持，严格落实行政执法公示、执法全过程记录和重大执法决定法制审核制度，不断提升行政执法规范化水平。',
      },
      { key: 'closing', label: '结尾', default: '' },
    ],
    sections: [
      { key: 'results', label: '总体情况（含得分表）', default: true },
      { key: 'problems', label: '存在的问题（逐案列出）', default: true },
      { key: 'opinion', label: '监督意见和整改要求', default: true },
      { key: 'problemAppendix', label: '附件：案卷评查问题清单', default: true },
      { key: 'contact', label: '附注：联系人和电话', default: true },
      { key: 'imprint', label: '版记（抄送、印发）', default: false },
    ],
    title: '行政执法监督意见书',
    numberPrefix: '',
    deadlineDays: 30,
    reportBackDays: 35,
    mask: false,
  },
  notice: {
    paragraphs: [
      {
        key: 'opening',
        label: '开头',
        default: NOTICE_OPENING,
      },
      {
        key: 'requirements',
        label: '整改要求',
        default: NOTICE_REQUIREMENTS,
      },
      {
        key: 'report',
        label: '报送要求',
        default:
          '请于{报送日期}前将整改情况报告及佐证材料报送{评查机关}，逐项说明整改措施和完成情况。{评查机关}将适时组织“回头看”，对整改情况进行核查。',
      },
      { key: 'closing', label: '结尾', default: '特此通知。' },
    ],
    sections: [
      { key: 'problems', label: '需整改的问题', default: true },
      { key: 'problemAppendix', label: '附件：问题整改清单', default: true },
      { key: 'contact', label: '附注：联系人和电话', default: true },
      { key: 'imprint', label: '版记（抄送、印发）', default: false },
    ],
    title: '整改通知书',
    numberPrefix: '',
    deadlineDays: 30,
    reportBackDays: 35,
    mask: false,
  },
  bulletin: {
    paragraphs: [
      {
        key: 'opening',
        label: '开头',
        default:
          '为进一步规范行政执法行为，提高行政执法质量，按照{评查活动}工作安排，{评查机关}组织开展了行政执法案卷集中评查。现将评查结果通报如下：',
      },
      {
        key: 'basics',
        label: '基本情况',
        default:
          '本次评查依据{评查标准}，从{单位数}个行政执法单位报送的案卷中随机抽取{抽取案卷数}件，采取交叉评查、集体评议的方式进行评查。',
      },
      { key: 'results', label: '评查结果导语', default: '经评查，{案卷数}件案卷中{等次分布}。各单位平均得分及排名如下：' },
      { key: 'problemsIntro', label: '问题部分导语', default: '评查共发现扣分问题{问题数}项，主要集中在以下方面：' },
      {
        key: 'goodPractices',
        label: '好的做法',
        default: '部分单位执法程序完整规范，调查取证全面，法律文书制作严谨，案卷装订整齐规范，值得各单位学习借鉴。',
      },
      {
        key: 'nextSteps',
        label: '下一步工作要求',
        default:
          '各单位要对照本通报指出的问题，认真开展自查自纠，建立问题整改台账，限时整改销号。\n各单位要加强执法人员业务培训，严格落实行政执法“三项制度”，不断提升行政执法规范化水平。',
      },
    ],
    sections: [
      { key: 'ranking', label: '单位排名表', default: true },
      { key: 'charts', label: '统计图', default: true },
      { key: 'problems', label: '存在的主要问题', default: true },
      { key: 'goodPractices', label: '好的做法', default: true },
      { key: 'scoreAppendix', label: '附件：案卷得分情况', default: true },
      { key: 'imprint', label: '版记（抄送、印发）', default: false },
    ],
    title: '关于{年度}年度行政执法案卷评查结果的通报',
    numberPrefix: '',
    deadlineDays: 30,
    reportBackDays: 35,
    mask: true,
  },
} as const satisfies Record<
  LetterKind,
  {
    paragraphs: ReadonlyArray<FieldSpec<string>>;
    sections: ReadonlyArray<SectionSpec<string>>;
    title: string;
    numberPrefix: string;
    deadlineDays: number;
    reportBackDays: number;
    mask: boolean;
  }
>;

export const LetterTemplateSchema = z.strictObject({
  format: z.enum(LETTER_FORMATS, { error: '请选择版式' }),
  /** 发文机关标志; blank: "{评查机关}文件" (文件格式) or "{评查机关}" (信函格式). */
  bodyMark: z.string().trim().max(40, '发文机关标志过长'),
  /** 署名; blank: the campaign's issuing body. */
  signer: z.string().trim().max(60, '署名过长'),
  /** 发文字号 prefix, e.g. 某司监; blank: no 文号. */
  numberPrefix: z
    .string()
    .trim()
    .max(20, '文号前缀过长')
    .regex(/^[^〔〕[\]\d\s]*$/, '文号前缀只写机关代字，如“某司监”，不含年份、括号和数字'),
  title: z.string().trim().min(1, '请填写标题').max(80, '标题过长'),
  /** 主送机关; blank: the unit (单位文书) or 各有关行政执法单位 (通报). */
  addressee: z.string().trim().max(200, '主送机关过长'),
  paragraphs: z.record(z.string(), z.string().max(4000, '段落过长')),
  sections: z.record(z.string(), z.boolean()),
  deadlineDays: z.number().int().min(1, '整改期限至少 1 天').max(365, '整改期限不超过 365 天'),
  reportBackDays: z.number().int().min(1, '报送期限至少 1 天').max(400, '报送期限不超过 400 天'),
  contactName: z.string().trim().max(30, '联系人过长'),
  contactPhone: z.string().trim().max(40, '联系电话过长'),
  /** 附件说明 entries after the generated ones (e.g. 案卷评查表). */
  extraAttachments: z.array(z.string().trim().min(1).max(80)).max(10),
  /** 版记 */
  cc: z.array(z.string().trim().min(1).max(60)).max(20),
  printer: z.string().trim().max(60, '印发机关过长'),
  /** Mask 当事人's personal data (names, ID and phone numbers) — for documents meant for circulation. */
  mask: z.boolean(),
});
export type LetterTemplate = z.infer<typeof LetterTemplateSchema>;

export function defaultTemplate(kind: LetterKind): LetterTemplate {
  const spec = TEMPLATE_SPECS[kind];
  return {
    format: kind === 'bulletin' ? 'standard' : 'letter',
    bodyMark: '',
    signer: '',
    numberPrefix: spec.numberPrefix,
    title: spec.title,
    addressee: '',
    paragraphs: Object.fromEntries(spec.paragraphs.map((p) => [p.key, p.default])),
    sections: Object.fromEntries(spec.sections.map((s) => [s.key, s.default])),
    deadlineDays: spec.deadlineDays,
    reportBackDays: spec.reportBackDays,
    contactName: '',
    contactPhone: '',
    extraAttachments: [],
    cc: [],
    printer: '',
    mask: spec.mask,
  };
}

/** A stored template with fields a newer version added filled from the defaults. */
export function completeTemplate(kind: LetterKind, stored: Partial<LetterTemplate>): LetterTemplate {
  const base = defaultTemplate(kind);
  return {
    ...base,
    ...stored,
    paragraphs: {
      ...base.paragraphs,
      ...Object.fromEntries(Object.entries(stored.paragraphs ?? {}).map(([k, v]) => [k, FORMER_DEFAULTS[v] ?? v])),
    },
    sections: { ...base.sections, ...(stored.sections ?? {}) },
  };
}

/** Why a template cannot be saved, in Chinese, or null. */
export function templateProblem(kind: LetterKind, t: LetterTemplate): string | null {
  const spec = TEMPLATE_SPECS[kind];
  const labels = new Map<string, string>(spec.paragraphs.map((p) => [p.key, p.label]));
  for (const [key, text] of Object.entries({ title: t.title, ...t.paragraphs })) {
    const unknown = unknownPlaceholders(text);
    if (unknown.length)
      return `“${key === 'title' ? '标题' : (labels.get(key) ?? key)}”中的占位符 ${unknown.map((u) => `{${u}}`).join('、')} 无法识别。`;
  }
  for (const key of Object.keys(t.paragraphs)) if (!labels.has(key)) return `模板中没有“${key}”这一段。`;
  const sections = new Set<string>(spec.sections.map((s) => s.key));
  for (const key of Object.keys(t.sections)) if (!sections.has(key)) return `模板中没有“${key}”这一部分。`;
  if (t.reportBackDays < t.deadlineDays) return '报送整改情况的期限不能早于整改完成期限。';
  return null;
}
