/**
 * Writes the built-in standards (resources/standards): the four 参考评查标准 built from the statutes
 * (statute-standards.ts), and those reconstructed provincial standards (tests/fixtures/reference-standards,
 * copies of ../shared/domain/standards) that are complete enough to score, converted into the project's
 * format. It is code rather than hand-edited JSON so that every decision is written down once and a
 * test can prove the committed files are exactly what it produces.
 *
 * What the conversion decides, each marked where it is made:
 * - the block tree (the sources are flat lists of categories; stages and documents become nested blocks),
 * - the deduction rule of each item (the sources give it as prose in `deductionRule`, kept as
 *   `ruleText`), whether an item may be not applicable and what that does,
 * - the scoring mode and the veto effect,
 * - points for placeholders that stand for parts not retrieved.
 * The reconstructions were annotated in English, with web addresses as sources; people read only
 * Chinese, so the output says where a standard comes from and what was inferred in Chinese (推定) and
 * drops the annotators' English. Reconstructions that miss whole stages are converted for the tests
 * only and never shipped: completing them would be invention, not reconstruction.
 *
 * Regenerate after changing it: `npx tsx electron/scripts/reference-standards.ts`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CaseType } from '../../shared/campaigns/case-types.js';
import type {
  BlockNode,
  DeductionRule,
  GradeBand,
  ItemNode,
  NotApplicableEffect,
  Provenance,
  ScoringMode,
  StandardDefinition,
  VetoEffect,
} from '../../shared/standards/model.js';
import { canonicalDefinition } from '../../shared/standards/validate.js';
import { STATUTE_REFERENCES } from './statute-standards.js';

// ── the source format ───────────────────────────────────────────────────────────────────────────

export interface SourceItem {
  code: string;
  text: string;
  points: number | null;
  deductionRule: string;
  veto: boolean;
  provenance: string;
  pointsAsPrinted?: number;
  deductionAsPrinted?: number;
}
export interface SourceCategory {
  name: string;
  maxPoints: number;
  items: SourceItem[];
  provenance_of_category?: string;
  note?: string;
  sourceColumnValue?: number;
}
export interface SourceStandard {
  name: string;
  source: string;
  caseType: string;
  completeness: string;
  provenance_legend?: Record<string, string>;
  header_fields?: string[];
  columns?: string[];
  scoring: {
    mode: string;
    total: number;
    total_note?: string;
    bands: Array<{ grade: string; min: number; provenance: string }>;
    footer_fields?: string[];
    general_standard_note?: string;
  };
  categories: SourceCategory[];
  vetoNote?: string;
}

const REPO = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const REFERENCE_DIR = path.join(REPO, 'tests', 'fixtures', 'reference-standards');
export const BUILTIN_DIR = path.join(REPO, 'resources', 'standards');

export function readSource(file: string): SourceStandard {
  return JSON.parse(fs.readFileSync(path.join(REFERENCE_DIR, file), 'utf8')) as SourceStandard;
}

// ── shared mapping ──────────────────────────────────────────────────────────────────────────────

/** An ASCII word of three letters or more: what is left of an annotator's English after chineseText. */
export const ENGLISH_WORD = /[A-Za-z]{3,}/;

/**
 * A source text as people may read it: web addresses removed, the annotators' markers for parts not
 * retrieved or truncated and for inferences said in Chinese. What is still English after that is not
 * for people (the caller drops it or says something of its own).
 */
export function chineseText(text: string): string {
  return text
    .replace(/https?:\/\/\S+/g, '')
    .replace(/\[NOT RETRIEVED[^\]]*\]/g, '（原文未取得）')
    .replace(/\[[^\]]*truncated[^\]]*\]/g, '（原文残缺）')
    .replace(/\s*\[label inferred\]/g, '（名称为推定）')
    .replace(/\s*\(items (\d+)-(\d+); code hints: ([^)]*)\)/g, '（第 $1–$2 项；代码中的提示：$3）')
    .replace(/\s*\(items (\d+)-(\d+)\)/g, '（第 $1–$2 项）')
    .replace(/\s*[（(]([^()（）,，]*)[,，]\s*presumably[）)]/g, '（推定为$1）')
    .replace(/[（(]\s*inferred\s*[）)]/g, '（推定）')
    .replace(/（inferred[：:]/g, '（推定：')
    .replace(/inferred/g, '推定')
    .replace(/^unknown$/, '原文未给出扣分标准')
    .trim();
}

/** Chinese text, or nothing when the text is the annotators' English. */
export const chineseOrNothing = (text: string | undefined): string | undefined => {
  if (text === undefined) return undefined;
  const t = chineseText(text);
  return t && !ENGLISH_WORD.test(t) ? t : undefined;
};

/** The source's free-text provenance → kind, with the text as a note when it is Chinese. */
export function provenanceOf(text: string, note?: string): Provenance {
  const t = text.trim();
  const kind: Provenance['kind'] = t.startsWith('placeholder')
    ? 'placeholder'
    : t.startsWith('source fragment')
      ? 'fragment'
      : t.startsWith('code')
        ? 'code'
        : t.startsWith('source') && !/^source[^;]*inferred/.test(t)
          ? 'source'
          : t.includes('inferred')
            ? 'inferred'
            : 'source';
  const said = note ?? chineseOrNothing(t);
  return said && said !== kind ? { kind, note: said } : { kind };
}

interface ItemChoice {
  rule: DeductionRule;
  notApplicable?: NotApplicableEffect;
  penalty?: boolean;
  /** Points the source does not give (null) or gives differently, decided by the conversion. */
  points?: number;
  category?: string;
  /** Why the conversion chose what it did (always says 推定 when it is a judgement). */
  note?: string;
  /** The source's provenance annotation said in Chinese (it is English). */
  provenanceNote?: string;
}

function convertItem(prefix: string, src: SourceItem, choice: ItemChoice): ItemNode {
  const asPrinted: NonNullable<ItemNode['asPrinted']> = {};
  if (src.pointsAsPrinted !== undefined) asPrinted.points = src.pointsAsPrinted;
  if (src.deductionAsPrinted !== undefined) asPrinted.deduction = src.deductionAsPrinted;
  // A negative value in a 分值 column is a deduction printed as points (基本要素 −10).
  if (src.points !== null && src.points < 0) asPrinted.points = src.points;
  let points = choice.points ?? src.points;
  if (points !== null && points < 0) points = 0;
  return {
    kind: 'item',
    id: `${prefix}-${src.code}`,
    code: src.code,
    text: src.text,
    points,
    rule: choice.rule,
    ruleText: src.deductionRule,
    notApplicable: choice.notApplicable,
    penalty: choice.penalty,
    category: choice.category,
    provenance: provenanceOf(src.provenance, choice.provenanceNote),
    asPrinted: Object.keys(asPrinted).length ? asPrinted : undefined,
    note: choice.note,
  };
}

/** An item the source does not have, standing for a part it does not contain. */
function placeholderItem(prefix: string, code: string, text: string, points: number, note: string): ItemNode {
  return {
    kind: 'item',
    id: `${prefix}-${code}`,
    code,
    text,
    points,
    rule: FULL,
    ruleText: '原文未取得，不能扣分',
    provenance: { kind: 'placeholder', note },
  };
}

interface BlockSpec {
  id: string;
  code?: string;
  title: string;
  points: number;
  floor?: boolean;
  normalise?: boolean;
  provenance?: Provenance;
  note?: string;
  children: Array<BlockNode | ItemNode>;
}
const block = (b: BlockSpec): BlockNode => ({
  kind: 'block',
  id: b.id,
  code: b.code,
  title: b.title,
  points: b.points,
  floor: b.floor ?? true,
  normalise: b.normalise ?? false,
  children: b.children,
  provenance: b.provenance,
  note: b.note,
});

/** A source category as a block: its name, points, grouping provenance and note. */
function categoryBlock(cat: SourceCategory, spec: Omit<BlockSpec, 'title' | 'points'> & { title?: string; points?: number }): BlockNode {
  const notes = [spec.note, cat.note].filter(Boolean).join('；');
  return block({
    ...spec,
    title: spec.title ?? cat.name,
    points: spec.points ?? cat.maxPoints,
    provenance: spec.provenance ?? (cat.provenance_of_category ? provenanceOf(cat.provenance_of_category) : undefined),
    ...(notes ? { note: notes } : {}),
  });
}

function bandsOf(src: SourceStandard): GradeBand[] {
  return [...src.scoring.bands]
    .sort((a, b) => b.min - a.min)
    .map((b) => ({ grade: b.grade, min: b.min, provenance: provenanceOf(b.provenance) }));
}

const FULL: DeductionRule = { kind: 'full' };
const VETO: DeductionRule = { kind: 'veto' };
const fixed = (amount: number): DeductionRule => ({ kind: 'fixed', amount });
const each = (amount: number, cap?: number): DeductionRule =>
  cap === undefined ? { kind: 'perOccurrence', amount } : { kind: 'perOccurrence', amount, cap };
const range = (min: number, max: number, step = 0.5): DeductionRule => ({ kind: 'range', min, max, step });
/** "缺扣N"-style items: deduct exactly what is printed. */
const asPrintedFixed = (src: SourceItem): DeductionRule => fixed(src.points ?? 0);

interface Conversion {
  standardId: string;
  caseTypes: CaseType[];
  field?: string;
  mode: ScoringMode;
  vetoEffect: VetoEffect;
  gate: { title: string; points: number; items: ItemNode[] };
  blocks: BlockNode[];
  /** The conversion's own decisions, in words; each says what was inferred (推定). */
  conversionNotes: string[];
  extra?: Record<string, unknown>;
  topGradeQuota?: StandardDefinition['topGradeQuota'];
}

const VERSION = '参考版 1';

/** Every text a person reads, in Chinese: English notes dropped, required texts said in Chinese. */
function inChinese(def: StandardDefinition): StandardDefinition {
  const item = (i: ItemNode): ItemNode => ({
    ...i,
    text: chineseText(i.text),
    category: i.category === undefined ? undefined : chineseText(i.category),
    ruleText: chineseOrNothing(i.ruleText) ?? '',
    note: chineseOrNothing(i.note),
    provenance: i.provenance ? { kind: i.provenance.kind, note: chineseOrNothing(i.provenance.note) } : undefined,
  });
  const block = (b: BlockNode): BlockNode => ({
    ...b,
    title: chineseText(b.title),
    note: chineseOrNothing(b.note),
    provenance: b.provenance ? { kind: b.provenance.kind, note: chineseOrNothing(b.provenance.note) } : undefined,
    children: b.children.map((c) => (c.kind === 'block' ? block(c) : item(c))),
  });
  return {
    ...def,
    name: chineseText(def.name),
    modeText: chineseOrNothing(def.modeText),
    notes: def.notes?.map(chineseOrNothing).filter((n): n is string => n !== undefined),
    gate: { ...def.gate, title: chineseText(def.gate.title), items: def.gate.items.map(item) },
    blocks: def.blocks.map(block),
    bands: def.bands.map((b) => ({
      ...b,
      provenance: b.provenance ? { kind: b.provenance.kind, note: chineseOrNothing(b.provenance.note) } : undefined,
    })),
  };
}

function assemble(src: SourceStandard, c: Conversion): StandardDefinition {
  const bands = bandsOf(src);
  const about = ABOUT[c.standardId]!;
  const notes = [
    ...(about.notes ?? []),
    src.scoring.total_note,
    src.scoring.general_standard_note,
    src.vetoNote,
    ...c.conversionNotes.map((n) => `转换说明：${n}`),
  ].filter((n): n is string => Boolean(n));
  const extra: Record<string, unknown> = { ...(c.extra ?? {}) };
  if (!/^行政(处罚|许可)$/.test(src.caseType)) extra.sourceCaseType = src.caseType;
  return canonicalDefinition(
    inChinese({
      format: 'pingcha-standard/1',
      standardId: c.standardId,
      name: src.name,
      version: VERSION,
      caseTypes: c.caseTypes,
      field: c.field,
      source: about.source,
      completeness: about.completeness,
      notes,
      total: src.scoring.total,
      mode: c.mode,
      modeText: src.scoring.mode,
      gate: c.gate,
      veto: { effect: c.vetoEffect },
      blocks: c.blocks,
      bands,
      failGrade: bands[bands.length - 1]!.grade,
      topGradeQuota: c.topGradeQuota,
      printedColumns: src.columns,
      headerFields: src.header_fields,
      footerFields: src.scoring.footer_fields,
      extra: Object.keys(extra).length ? extra : undefined,
    }),
  );
}

/** Where a reconstruction comes from, said without its web address. */
const RECONSTRUCTED = (what: string): string => `${what}公开文本的网络副本（重构，非官方文本）`;

/**
 * Each reconstruction's source, completeness and the reader's notes, in Chinese: the sources say
 * these in English, with web addresses.
 */
const ABOUT: Record<string, { source: string; completeness: string; notes?: string[] }> = {
  'xingzheng-xuke-anjuan-pingfenbiao': {
    source: RECONSTRUCTED('某地行政许可案卷评分表'),
    completeness: '基本完整：12 项评查内容及分值均取自原文；第 9 项分值原文印作 19 分，按总分 100 分推定为 10 分',
    notes: [
      '原表各项分值合计 109 分（第 9 项印作 19 分）；按第 9 项为 10 分计，合计恰为 100 分（推定）',
      '原表没有等次划分，等次“优秀 ≥ 90、合格 ≥ 60”为推定',
      '原表没有否决项；需要否决项时，可与行政许可案卷评查参考标准的否决项配合使用',
      '原表只给出各项分值，未写扣分标准；各项“不符合的不得分”为推定',
    ],
  },
  'xingzheng-xuke-ziping-biao': {
    source: RECONSTRUCTED('某地行政许可案卷自评表'),
    completeness: '不完整：申请和受理阶段（15 分）完整，审查阶段只取得前四部分，其后各阶段未取得',
  },
  'yibanchengxu-xzcf-wenshu-jifenbiao': {
    source: RECONSTRUCTED('某地一般程序行政处罚案卷文书评查标准'),
    completeness: '不完整：立案阶段完整，调查取证阶段部分取得，审查决定、送达执行、归档阶段（60 分）未取得',
  },
  'huanjing-xzcf-anjuan-pingcha': {
    source: RECONSTRUCTED('某地环境行政处罚案卷评查表'),
    completeness: '不完整：实体评查和立案阶段完整，调查取证阶段部分取得，其后各阶段未取得',
  },
  'cehui-xzcf-anjuan-pingcha': {
    source: RECONSTRUCTED('测绘地理信息行政处罚案卷评查标准'),
    completeness: '不完整：基本标准完整，卷面标准取得 14 分，案卷内容标准（80 分）未取得',
  },
  'henan-xzcf-jichu-biaozhun-shixing': {
    source: RECONSTRUCTED('河南省行政执法案卷评查标准（试行）'),
    completeness: '不完整：只取得基础标准的部分项目，一般标准未取得',
  },
  'shengtai-huanjing-xzcf-model': {
    source: '某生态环境案卷评查软件的公开代码（只有计分结构，非官方文本）',
    completeness: '只有结构：权重和计分公式完整，合法性评查 25 个否决项的文字未取得',
  },
  'xzcf-decision-delivery-archive-fsou17423927': {
    source: RECONSTRUCTED('某地行政处罚案卷评查标准'),
    completeness: '不完整：只取得决定书、送达执行、归档部分（38 分）',
  },
  'xzcf-staged-fsou17219091': {
    source: RECONSTRUCTED('某地行政处罚案卷评查标准（分阶段计分）'),
    completeness: '不完整：只取得调查取证阶段第 3–5 项和审查决定阶段（共 65 分）',
  },
};

const byCode = (cat: SourceCategory): Map<string, SourceItem> => new Map(cat.items.map((i) => [i.code, i]));

const PENALTY_CASE: CaseType[] = ['penalty_general'];
const PENALTY_CASE_NOTE = '原表案件类型为“行政处罚”，按一般程序案件的评查标准使用（推定）';
const NO_GATE = (title = '否决项'): Conversion['gate'] => ({ title, points: 0, items: [] });

// ── 1 行政许可案卷评分表 ───────────────────────────────────────────────────────────────────────────

function xingzhengXuke(src: SourceStandard): StandardDefinition {
  const naNote = '不涉及该情形时可选“不适用”，不扣分（推定：原文未说明不涉及时的处理）';
  const conditional = new Set(['5', '7', '8']);
  const provenanceNotes: Record<string, string> = {
    '8': '原文将“利害”误印为“厉害”',
    '9': '文字取自原文；分值原文印作 19 分，推定为 10 分',
  };
  const codes = ['一', '二', '三', '四'];
  return assemble(src, {
    standardId: 'xingzheng-xuke-anjuan-pingfenbiao',
    caseTypes: ['license'],
    mode: 'additive',
    vetoEffect: 'zeroAndFail',
    gate: NO_GATE(),
    blocks: src.categories.map((cat, i) =>
      categoryBlock(cat, {
        id: `xk-b${i + 1}`,
        code: codes[i]!,
        ...(cat.provenance_of_category
          ? { provenance: provenanceOf(cat.provenance_of_category, '类别划分为推定（原表为第 1 至 12 项的平列清单）') }
          : {}),
        children: cat.items.map((it) =>
          convertItem('xk', it, {
            rule: FULL,
            ...(conditional.has(it.code) ? { notApplicable: 'award' as const, note: naNote } : {}),
            ...(provenanceNotes[it.code] ? { provenanceNote: provenanceNotes[it.code] } : {}),
          }),
        ),
      }),
    ),
    conversionNotes: [],
  });
}

// ── 2 行政许可案卷自评表 ───────────────────────────────────────────────────────────────────────────

function xingzhengXukeZiping(src: SourceStandard): StandardDefinition {
  const P = 'xkzp';
  const cats = src.categories;
  /** Documents a file only has in some cases: absent → 不适用, points awarded （推定）. */
  const conditionalDocs = new Map<number, string>([
    [2, '仅在申请材料需要补正时制作'],
    [4, '仅在需要对申请材料实质内容进行核查时制作'],
    [5, '仅在涉及利害关系人等需告知陈述、申辩权利时制作'],
    [6, '仅在申请人、利害关系人提出陈述、申辩时制作'],
    [7, '仅在适用特别程序时制作'],
  ]);
  const docBlock = (i: number, code: string, title: string, labelInferred = false): BlockNode => {
    const cat = cats[i]!;
    const why = conditionalDocs.get(i);
    return categoryBlock(cat, {
      id: `${P}-b${code}`,
      code,
      title,
      ...(labelInferred ? { provenance: { kind: 'inferred' as const, note: '类别名称由转换者根据项目内容推定' } } : {}),
      note: `原表类别：${cat.name}`,
      children: cat.items.map((it) => {
        const base = { rule: asPrintedFixed(it) };
        if (it.code === '1.2.3')
          return convertItem(P, it, {
            ...base,
            notApplicable: 'award',
            note: '原文：即时受理或即时不予受理的可不提供，此时选“不适用”，不扣分',
          });
        return convertItem(
          P,
          it,
          why ? { ...base, notApplicable: 'award', note: `该文书${why}；未制作时选“不适用”，不扣分（推定）` } : base,
        );
      }),
    });
  };
  return assemble(src, {
    standardId: 'xingzheng-xuke-ziping-biao',
    caseTypes: ['license'],
    mode: 'additive',
    vetoEffect: 'zeroAndFail',
    gate: NO_GATE(),
    blocks: [
      block({
        id: `${P}-b1`,
        code: '一',
        title: '申请和受理阶段',
        points: 15,
        children: [
          docBlock(0, '1.1', '行政许可申请材料接收凭证'),
          docBlock(1, '1.2', '行政许可申请受理（不予受理）审批文书'),
          docBlock(2, '1.3', '申请材料补正告知书'),
          docBlock(3, '1.4', '行政许可申请受理（不予受理）通知书'),
        ],
      }),
      block({
        id: `${P}-b2`,
        code: '二',
        title: '审查阶段（第(一)至(四)项）',
        points: 20,
        note: '原表审查阶段共 44 分；第(五)项起的 24 分未取得，计入占位类别“二、(五)起 / 三、决定 / 送达 / 归档”',
        children: [
          docBlock(4, '2.1', '核查笔录'),
          docBlock(5, '2.2', '陈述、申辩权利告知书'),
          docBlock(6, '2.3', '陈述、申辩笔录', true),
          docBlock(7, '2.4', '特别程序（所需时间）告知书', true),
        ],
      }),
      categoryBlock(cats[8]!, { id: `${P}-b3`, children: cats[8]!.items.map((it) => convertItem(P, it, { rule: FULL })) }),
    ],
    conversionNotes: [
      '原表为按阶段、按文书列出的扁平类别；转换为“阶段 → 文书 → 项目”的层级，各文书名称取自原表类别名称（原名称保存在类别备注中）',
      '各项扣分方式按原表“缺扣N”取为固定扣分 N 分（即该项分值）',
      '仅在特定情形下制作的文书（补正告知书、核查笔录、陈述申辩告知书及笔录、特别程序告知书），其项目可选“不适用”，按得分计算（推定）',
    ],
  });
}

// ── 3 一般程序行政处罚案卷文书评查标准（记分表） ─────────────────────────────────────────────────────

function yibanChengxu(src: SourceStandard): StandardDefinition {
  const P = 'ybcx';
  const cats = src.categories;
  const plain = (it: SourceItem): ItemNode => convertItem(P, it, { rule: asPrintedFixed(it) });
  const d3 = byCode(cats[3]!);
  return assemble(src, {
    standardId: 'yibanchengxu-xzcf-wenshu-jifenbiao',
    caseTypes: ['penalty_general'],
    mode: 'additive',
    vetoEffect: 'zeroAndFail',
    gate: NO_GATE(),
    blocks: [
      block({
        id: `${P}-b1`,
        code: '一',
        title: '立案阶段',
        points: 5,
        children: [
          categoryBlock(cats[0]!, {
            id: `${P}-b1.1`,
            title: '立案审批文书',
            note: `原表类别：${cats[0]!.name}`,
            children: cats[0]!.items.map(plain),
          }),
        ],
      }),
      block({
        id: `${P}-b2`,
        code: '二',
        title: '调查取证阶段',
        points: 35,
        children: [
          categoryBlock(cats[1]!, {
            id: `${P}-b2.1`,
            title: '检查（勘验）笔录',
            note: `原表类别：${cats[1]!.name}`,
            children: cats[1]!.items.map((it) =>
              convertItem(P, it, {
                rule: asPrintedFixed(it),
                notApplicable: 'award',
                note: '未进行现场检查（勘验）的案件不涉及检查笔录，选“不适用”，不扣分（推定）',
              }),
            ),
          }),
          categoryBlock(cats[2]!, {
            id: `${P}-b2.2`,
            title: '询问笔录',
            note: `原表类别：${cats[2]!.name}`,
            children: cats[2]!.items.map((it) =>
              it.code === 'D2.7'
                ? convertItem(P, it, {
                    rule: asPrintedFixed(it),
                    notApplicable: 'award',
                    note: '笔录无涂改时不涉及，选“不适用”，不扣分（推定）',
                  })
                : plain(it),
            ),
          }),
          categoryBlock(cats[3]!, {
            id: `${P}-b2.3`,
            title: '调查取证与保存证据文书',
            note: `原表类别：${cats[3]!.name}`,
            children: [
              plain(d3.get('D3.1')!),
              convertItem(P, d3.get('D3.2')!, { rule: FULL, note: '原文残缺，分值未知，不能扣分' }),
              convertItem(P, d3.get('D3.*')!, { rule: FULL, points: 14, note: '占位分值 14 = 15 − 1（D3.1）（推定），含分值未知的 D3.2' }),
            ],
          }),
        ],
      }),
      categoryBlock(cats[4]!, { id: `${P}-b3`, code: '三', children: cats[4]!.items.map((it) => convertItem(P, it, { rule: FULL })) }),
    ],
    conversionNotes: [
      '原表为“阶段 — 文书”的扁平类别；转换为“阶段 → 文书 → 项目”的层级（阶段分值 5、35 取自完整性说明）',
      '各项扣分方式按原表“缺则扣N”“不符扣N”取为固定扣分 N 分（即该项分值）',
    ],
  });
}

// ── 4 环境行政处罚案卷评查表 ─────────────────────────────────────────────────────────────────────

function huanjing(src: SourceStandard): StandardDefinition {
  const P = 'hj';
  const [gateCat, lian, diaocha, later] = src.categories as [SourceCategory, SourceCategory, SourceCategory, SourceCategory];
  const d = byCode(diaocha);
  const lianItems = lian.items.map((it) =>
    it.code === 'A2'
      ? convertItem(P, it, { rule: each(1), note: '“按缺项扣分”取为每缺一项扣 1 分，扣完为止（推定）' })
      : convertItem(P, it, { rule: asPrintedFixed(it) }),
  );
  return assemble(src, {
    standardId: 'huanjing-xzcf-anjuan-pingcha',
    caseTypes: PENALTY_CASE,
    field: '环境保护',
    mode: 'additive',
    vetoEffect: 'failAndStop',
    gate: { title: gateCat.name, points: 0, items: gateCat.items.map((it) => convertItem(P, it, { rule: VETO })) },
    blocks: [
      categoryBlock(lian, { id: `${P}-b1`, code: '一', children: lianItems }),
      categoryBlock(diaocha, {
        id: `${P}-b2`,
        code: '二',
        children: [
          ...['B1', 'B2', 'B3', 'B4'].map((c) => convertItem(P, d.get(c)!, { rule: asPrintedFixed(d.get(c)!) })),
          block({
            id: `${P}-b2.5`,
            code: 'B5',
            title: '调查询问笔录',
            points: 13,
            provenance: { kind: 'source', note: '名称和分值取自 B5.1 的原文“调查询问笔录（13分）”' },
            children: [
              convertItem(P, d.get('B5.1')!, { rule: asPrintedFixed(d.get('B5.1')!) }),
              convertItem(P, d.get('B5.2')!, { rule: range(0.5, 2), note: '“不符扣分”取为视情况扣 0.5–2 分（推定）' }),
              convertItem(P, d.get('B5.3')!, { rule: FULL, note: '原文残缺，分值未知，不能扣分' }),
              placeholderItem(
                P,
                'B5.*',
                '（原文未取得）调查询问笔录其余部分（13 − 3 = 10 分，含 B5.3）',
                10,
                '转换时添加的占位；10 = 13 − 1 − 2 （推定）',
              ),
            ],
          }),
          convertItem(P, d.get('B*')!, { rule: FULL, points: 21, note: '占位分值 21 = 38 − 4（B1–B4）− 13（调查询问笔录）（推定）' }),
        ],
      }),
      categoryBlock(later, { id: `${P}-b3`, code: '三', children: later.items.map((it) => convertItem(P, it, { rule: FULL })) }),
    ],
    conversionNotes: [
      PENALTY_CASE_NOTE,
      '原文“实体评查有一项不合格即为评查不及格”：否决效果取为“评为不及格，不再评分”（推定：原文未说明否决后是否继续计分）',
      '各项扣分方式按原表“缺则扣1”“不符扣1”取为固定扣分；“按缺项扣分”“不符扣分”的取法见各项备注（推定）',
      '调查询问笔录（13分）由 B5.1 的原文识别为调查取证阶段下的一个文书类别',
    ],
  });
}

// ── 5 测绘地理信息行政处罚案卷评查标准 ─────────────────────────────────────────────────────────────

function cehui(src: SourceStandard): StandardDefinition {
  const P = 'ch';
  const [gateCat, juanmian, neirong] = src.categories as [SourceCategory, SourceCategory, SourceCategory];
  const rules: Record<string, DeductionRule> = {
    M1: fixed(2),
    M2: each(1),
    M3: fixed(1),
    M4: fixed(1),
    M5: each(1),
    M6: fixed(1),
    M7: each(1),
    'M8+': FULL,
  };
  return assemble(src, {
    standardId: 'cehui-xzcf-anjuan-pingcha',
    caseTypes: PENALTY_CASE,
    field: '测绘地理信息',
    mode: 'deductWithinBlocks',
    vetoEffect: 'zeroAndFail',
    gate: { title: gateCat.name, points: 0, items: gateCat.items.map((it) => convertItem(P, it, { rule: VETO })) },
    blocks: [
      categoryBlock(juanmian, {
        id: `${P}-b1`,
        code: '一',
        children: juanmian.items.map((it) => convertItem(P, it, { rule: rules[it.code]! })),
      }),
      categoryBlock(neirong, { id: `${P}-b2`, code: '二', children: neirong.items.map((it) => convertItem(P, it, { rule: FULL })) }),
    ],
    conversionNotes: [
      PENALTY_CASE_NOTE,
      '原文“基本标准中任何一项存在问题，评查总分即为零分”：否决效果为“总分为 0，评为不合格”',
      '原文“卷面20分 + 内容80分 … 扣完为止，不计负分”：计分方式为分块扣减，各类别扣完为止',
      '卷面标准各项按原文扣分标准取扣分方式：“扣N分”为固定扣分，“每项扣1分”为每处扣 1 分、以该项分值为限',
    ],
  });
}

// ── 6 河南省行政执法案卷评查标准（试行）— 基础标准 ─────────────────────────────────────────────────

function henan(src: SourceStandard): StandardDefinition {
  const P = 'hn';
  return assemble(src, {
    standardId: 'henan-xzcf-jichu-biaozhun-shixing',
    caseTypes: PENALTY_CASE,
    mode: 'deductFromTotal',
    vetoEffect: 'zeroAndFail',
    gate: {
      title: '基础标准',
      points: 0,
      items: src.categories.flatMap((cat) => cat.items.map((it) => convertItem(P, it, { rule: VETO, category: cat.name }))),
    },
    blocks: [
      block({
        id: `${P}-b1`,
        code: '一般标准',
        title: '一般标准（未取得）',
        points: 100,
        floor: false,
        provenance: { kind: 'placeholder', note: '一般标准（实际计分的 100 分）未取得' },
        children: [placeholderItem(P, 'G*', '（原文未取得）一般标准，自 100 分扣减', 100, '转换时为一般标准添加的占位（推定）')],
      }),
    ],
    conversionNotes: [
      PENALTY_CASE_NOTE,
      '基础标准各项原表“扣100分”（案卷得分为0）：作为否决项，否决效果为“总分为 0，评为不合格”；原表扣分值保存在各项的原表数值中',
      '原表基础标准分为 4 个评查项目，转换后以各项的“问题类别”记录其所属评查项目，项目级的说明保存在 extra.gateCategories 中',
      '计分方式为自 100 分扣减；一般标准未取得，以一个 100 分的占位类别代替（推定）',
    ],
    extra: {
      gateCategories: src.categories.map((c) => ({
        name: c.name,
        maxPoints: c.maxPoints,
        sourceColumnValue: c.sourceColumnValue,
        note: c.note,
      })),
    },
  });
}

// ── 7 生态环境 合法性 + 规范性 ───────────────────────────────────────────────────────────────────

function shengtai(src: SourceStandard): StandardDefinition {
  const P = 'st';
  const [hefa, wenshu, yaosu] = src.categories as [SourceCategory, SourceCategory, SourceCategory];
  const vetoCategory = (text: string): string => text.split(' (')[0]!;
  return assemble(src, {
    standardId: 'shengtai-huanjing-xzcf-model',
    caseTypes: PENALTY_CASE,
    field: '生态环境',
    mode: 'twoPart',
    vetoEffect: 'zeroGateAndFail',
    gate: {
      title: hefa.name,
      points: hefa.maxPoints,
      items: hefa.items.map((it) => convertItem(P, it, { rule: VETO, category: vetoCategory(it.text) })),
    },
    blocks: [
      block({
        id: `${P}-b1`,
        code: '二',
        title: '规范性评查',
        points: 50,
        provenance: {
          kind: 'inferred',
          note: '文书评分与基本要素扣分合为规范性部分（公式：规范性得分 = 50 × 文书得分/文书标准分 − 基本要素扣分）',
        },
        children: [
          categoryBlock(wenshu, {
            id: `${P}-b1.1`,
            normalise: true,
            children: wenshu.items.map((it) =>
              convertItem(P, it, {
                rule: range(0.5, it.points ?? 0),
                notApplicable: 'exclude',
                note: '按文书视情况扣分（每次 0.5 分，至多该文书分值）；案卷中没有该文书时选“不适用”，从标准分中剔除后折算（推定）',
              }),
            ),
          }),
          categoryBlock(yaosu, {
            id: `${P}-b1.2`,
            floor: false,
            children: yaosu.items.map((it) =>
              convertItem(P, it, {
                rule: range(0.5, 10),
                penalty: true,
                note: '基本要素扣分：视情况扣 0.5–10 分，从规范性得分中扣除（推定：代码只给出扣分总数）',
              }),
            ),
          }),
        ],
      }),
    ],
    conversionNotes: [
      PENALTY_CASE_NOTE,
      '两部分计分：合法性 50 分（否决项部分的分值），任一否决项成立则合法性得 0 分并评为不合格，规范性照常评分',
      '文书评分 100 分制按比例折算为 50 分；基本要素扣分为不计分值的扣分项，从规范性部分扣除，该部分扣完为止',
      '原表合法性评查的 25 个否决项只有分组，转换为 5 个分组否决项，问题类别取自分组名称',
    ],
  });
}

// ── 8 行政处罚案卷评查标准（决定书、送达执行、归档部分） ───────────────────────────────────────────────

function decisionDelivery(src: SourceStandard): StandardDefinition {
  const P = 'cfjd';
  const [jueding, songda, guidang] = src.categories as [SourceCategory, SourceCategory, SourceCategory];
  const sd = byCode(songda);
  const gd = byCode(guidang);
  return assemble(src, {
    standardId: 'xzcf-decision-delivery-archive-fsou17423927',
    caseTypes: PENALTY_CASE,
    mode: 'additive',
    vetoEffect: 'zeroAndFail',
    gate: NO_GATE(),
    blocks: [
      block({
        id: `${P}-b0`,
        title: '前序部分（未取得）',
        points: 62,
        provenance: { kind: 'placeholder', note: '62 = 100 − 21 − 9 − 8 （推定）' },
        children: [
          placeholderItem(
            P,
            'P*',
            '（原文未取得）制定行政处罚决定书之前的部分（立案、调查取证、审查等）',
            62,
            '转换时添加的占位；62 = 100 − 21 − 9 − 8 （推定）',
          ),
        ],
      }),
      categoryBlock(jueding, {
        id: `${P}-b1`,
        children: jueding.items.map((it) =>
          convertItem(P, it, {
            rule: each(3),
            ...(it.deductionRule === '同上' ? { note: '“同上”即 DS1 的扣分标准：每发现一处扣 3 分，扣完为止' } : {}),
          }),
        ),
      }),
      categoryBlock(songda, {
        id: `${P}-b2`,
        code: '四',
        children: [
          convertItem(P, sd.get('SD1')!, {
            rule: each(1),
            note: '每处扣 1 分，扣完为止；视为未送达或 7 日内未送达的，按 3 处计即扣全分（推定）',
          }),
          convertItem(P, sd.get('ZX1')!, {
            rule: FULL,
            notApplicable: 'award',
            note: '未给予罚款的案件不涉及，选“不适用”，不扣分（推定）',
          }),
          convertItem(P, sd.get('ZX2')!, {
            rule: FULL,
            notApplicable: 'award',
            note: '未没收物品的案件不涉及，选“不适用”，不扣分（推定）',
          }),
        ],
      }),
      categoryBlock(guidang, {
        id: `${P}-b3`,
        code: '五',
        children: [
          ...['GD1', 'GD2', 'GD3'].map((c) => convertItem(P, gd.get(c)!, { rule: FULL })),
          convertItem(P, gd.get('GD*')!, { rule: FULL }),
        ],
      }),
    ],
    conversionNotes: [
      PENALTY_CASE_NOTE,
      '原表总分 100 分中只取得 38 分的内容；其余 62 分以占位类别代替（推定）',
      '“扣全分”取为扣全分，“每发现一处扣N分，扣完为止”取为每处扣 N 分、以该项分值为限',
    ],
  });
}

// ── 9 行政处罚案卷评查标准（分阶段计分） ───────────────────────────────────────────────────────────

function staged(src: SourceStandard): StandardDefinition {
  const P = 'cffj';
  const [diaocha, shencha] = src.categories as [SourceCategory, SourceCategory];
  const rangeNote = '“视情况扣1-5分”：步长 0.5 分为推定（推定）';
  return assemble(src, {
    standardId: 'xzcf-staged-fsou17219091',
    caseTypes: PENALTY_CASE,
    mode: 'additive',
    vetoEffect: 'zeroAndFail',
    gate: NO_GATE(),
    blocks: [
      categoryBlock(diaocha, {
        id: `${P}-b2`,
        code: '二',
        children: diaocha.items.map((it) => {
          const per = it.code === '2.4' ? 1 : 2;
          return convertItem(P, it, { rule: each(per), note: `每缺一项扣 ${per} 分，扣完为止（按原文“每项${per}分”）` });
        }),
      }),
      categoryBlock(shencha, {
        id: `${P}-b3`,
        code: '三',
        children: shencha.items.map((it) => {
          if (it.points === null) return convertItem(P, it, { rule: FULL, note: '原文残缺，分值未知，不能扣分' });
          if (it.code === '3.3')
            return convertItem(P, it, {
              rule: range(1, 5),
              notApplicable: 'exclude',
              note: `${rangeNote}；未举行听证的案件选“不适用”，该项从总分中剔除后按比例折算（推定）`,
            });
          return convertItem(P, it, { rule: range(1, 5), note: rangeNote });
        }),
      }),
      block({
        id: `${P}-b9`,
        title: '未取得部分',
        points: 35,
        provenance: { kind: 'placeholder', note: '立案阶段、调查取证阶段第1–2项、送达执行、归档；35 = 100 − 30 − 35 （推定）' },
        children: [
          placeholderItem(
            P,
            'R*',
            '（原文未取得）立案阶段、调查取证阶段第1–2项、送达执行阶段、归档',
            35,
            '转换时添加的占位；35 = 100 − 30 − 35 （推定）',
          ),
        ],
      }),
    ],
    conversionNotes: [
      PENALTY_CASE_NOTE,
      '调查取证阶段各项按原文“每项N分”取为每缺一项扣 N 分、以该项分值为限',
      '原表总分 100 分中只取得 65 分的内容；其余 35 分以占位类别代替（推定）',
    ],
  });
}

// ── all nine ────────────────────────────────────────────────────────────────────────────────────

/**
 * Source file → converted definition, in a fixed order. `shipped`: complete enough to score, so it is
 * a built-in standard; the others miss whole stages and serve the tests only (as fixtures of the
 * shapes real standards take).
 */
export const REFERENCE_CONVERSIONS: ReadonlyArray<{
  source: string;
  output: string;
  shipped: boolean;
  convert: (src: SourceStandard) => StandardDefinition;
}> = [
  {
    source: 'xingzheng_xuke_anjuan_pingfenbiao.json',
    output: 'xingzheng-xuke-anjuan-pingfenbiao.json',
    shipped: true,
    convert: xingzhengXuke,
  },
  {
    source: 'xingzheng_xuke_ziping_biao_PARTIAL.json',
    output: 'xingzheng-xuke-ziping-biao.json',
    shipped: false,
    convert: xingzhengXukeZiping,
  },
  {
    source: 'yibanchengxu_xzcf_wenshu_jifenbiao_PARTIAL.json',
    output: 'yibanchengxu-xzcf-wenshu-jifenbiao.json',
    shipped: false,
    convert: yibanChengxu,
  },
  { source: 'huanjing_xzcf_anjuan_pingcha_PARTIAL.json', output: 'huanjing-xzcf-anjuan-pingcha.json', shipped: false, convert: huanjing },
  { source: 'cehui_xzcf_anjuan_pingcha_PARTIAL.json', output: 'cehui-xzcf-anjuan-pingcha.json', shipped: false, convert: cehui },
  {
    source: 'henan_xzcf_jichu_biaozhun_shixing_PARTIAL.json',
    output: 'henan-xzcf-jichu-biaozhun-shixing.json',
    shipped: false,
    convert: henan,
  },
  { source: 'shengtai_huanjing_xzcf_model_FROM_CODE.json', output: 'shengtai-huanjing-xzcf-model.json', shipped: false, convert: shengtai },
  {
    source: 'xzcf_decision_delivery_archive_fsou17423927_PARTIAL.json',
    output: 'xzcf-decision-delivery-archive-fsou17423927.json',
    shipped: false,
    convert: decisionDelivery,
  },
  { source: 'xzcf_staged_fsou17219091_PARTIAL.json', output: 'xzcf-staged-fsou17219091.json', shipped: false, convert: staged },
];

/** One reference standard, converted from its source file. */
export const convertReference = (c: (typeof REFERENCE_CONVERSIONS)[number]): StandardDefinition => c.convert(readSource(c.source));

/** Every built-in standard: file name → definition. */
export function builtinStandards(): Array<{ output: string; definition: StandardDefinition }> {
  return [
    ...STATUTE_REFERENCES,
    ...REFERENCE_CONVERSIONS.filter((c) => c.shipped).map((c) => ({ output: c.output, definition: convertReference(c) })),
  ];
}

/** The exact bytes of a built-in standard file. */
export const builtinJson = (def: StandardDefinition): string => `${JSON.stringify(def, null, 2)}\n`;

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const all = builtinStandards();
  for (const name of fs.readdirSync(BUILTIN_DIR).filter((f) => f.endsWith('.json'))) fs.rmSync(path.join(BUILTIN_DIR, name));
  for (const { output, definition } of all) fs.writeFileSync(path.join(BUILTIN_DIR, output), builtinJson(definition));
  console.log(`wrote ${all.length} standards to ${BUILTIN_DIR}`);
}
