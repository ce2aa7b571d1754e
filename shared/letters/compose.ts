/**
 * Letter templates as pure functions: (campaign facts, the bureau's template, date and 文号) → the
 * document's content (GongwenDoc). The DOCX, the HTML preview and the PDF rendition all draw this.
 */
import { chineseDate } from '../core/gbt9704.js';
import { barChart } from '../core/bar-chart.js';
import { GRADE_COLORS } from '../core/bar-chart.js';
import { maskText, personNamesIn } from '../core/mask.js';
import { fmt } from '../standards/model.js';
import type { GongwenBlock, GongwenDoc, LetterKind, Appendix } from './document.js';
import {
  allFiles,
  gradeDistribution,
  gradeOrder,
  gradeSummaryText,
  hasProblems,
  rankedUnitName,
  rectificationRequirement,
  percent,
  problemsByCategory,
  problemReference,
  problemWhere,
  rankUnits,
  reviewScope,
  unitReviewedCount,
  settledOnly,
  lawsCited,
  reviewScopeText,
  type CampaignFact,
  type FileFact,
  type UnitFact,
} from './facts.js';
import { asSentence } from '../scoring/settled-reason.js';
import { defaultTemplate, fillPlaceholders, paragraphsOf, type LetterTemplate, type PlaceholderValues } from './template.js';

export interface LetterContext {
  /** ISO date of the letter (成文日期). */
  date: string;
  /** 发文字号, or null when the template has no prefix. */
  documentNumber: string | null;
  /**
   * The 通报 quotes provisional results too (the person exporting chose 包含暂定结果): every figure then
   * says which part is 暂定. Without it the 通报 quotes settled files only.
   */
  includeProvisional?: boolean;
}

/** ISO date plus whole days (calendar arithmetic in UTC, so no time zone shifts a day). */
export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate.slice(0, 10)}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const CN_DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
/** 1 → 一, 12 → 十二, 21 → 二十一 (enough for headings). */
export function chineseNumber(n: number): string {
  if (n <= 10) return n === 10 ? '十' : CN_DIGITS[n]!;
  if (n < 20) return `十${CN_DIGITS[n - 10]}`;
  if (n < 100) return `${CN_DIGITS[Math.floor(n / 10)]}十${n % 10 ? CN_DIGITS[n % 10] : ''}`;
  return String(n);
}

/** Numbering of one heading level: 一、 / （一） / 1. / （1）. */
class Counter {
  private n = 0;
  constructor(private readonly style: 'h1' | 'h2' | 'h3' | 'h4') {}
  next(): string {
    this.n += 1;
    switch (this.style) {
      case 'h1':
        return `${chineseNumber(this.n)}、`;
      case 'h2':
        return `（${chineseNumber(this.n)}）`;
      case 'h3':
        return `${this.n}.`;
      case 'h4':
        return `（${this.n}）`;
    }
  }
}

/** Applies 脱敏 to every string of the facts a letter quotes. */
function maskFiles(files: FileFact[]): FileFact[] {
  const names = files.flatMap((f) => personNamesIn(f.party));
  const m = (s: string): string => maskText(s, names);
  return files.map((f) => ({
    ...f,
    caseTitle: m(f.caseTitle),
    party: m(f.party),
    problems: f.problems.map((p) => ({ ...p, comment: m(p.comment), location: m(p.location) })),
  }));
}

function maskCampaign(c: CampaignFact): CampaignFact {
  return { ...c, units: c.units.map((u) => ({ ...u, files: maskFiles(u.files) })) };
}

/** A file's score as a letter prints it; reviewers who disagree leave no score to print. */
const scoreText = (f: FileFact): string => (f.disagreement ? '结论不一，待合议' : `${fmt(f.total)}分${f.final ? '' : '（暂定）'}`);

/**
 * How a 否决 finding opens in a letter: "否决：" once the panel settled the file; while it has not, the
 * finding is marked 暂定 — and where the reviewers' sheets disagree on it, says that the panel decides.
 */
export function vetoLead(p: { final: boolean; disputed?: boolean | undefined }): string {
  if (p.final) return '否决：';
  return `否决（暂定，${p.disputed ? '评查人意见不一，' : ''}待评查组合议确认）：`;
}

/** One problem of one or more files of a unit, as the letter states it once. */
export interface MergedProblem {
  category: string;
  itemCode: string;
  itemText: string;
  basis: string;
  veto: boolean;
  /** A veto of files not yet settled (暂定), and whether their reviewers disagree on it. */
  provisional?: boolean;
  disputed?: boolean;
  /** The reviewers' words, '' when none were given (such a letter is never finalised). */
  comment: string;
  /** Each file with the problem: its 案号, deduction and where in its dossier. */
  files: Array<{ caseNumber: string; deduction: number; reference: string }>;
}

const sameWords = (s: string): string => s.replace(/[\s。；;，,.]+$/u, '').replace(/\s+/g, '');

/**
 * A unit's problems, the same problem (same standard item, same words) in several files stated once
 * with every 案号 listed — as a bureau writes it — in the order they first appear.
 */
export function mergeProblems(files: FileFact[]): MergedProblem[] {
  const out = new Map<string, MergedProblem>();
  for (const f of files)
    for (const p of f.problems) {
      // A settled veto and one still 暂定 are stated apart: each says how certain it is.
      const standing = p.veto && !f.final ? (p.disputed ? 'disputed' : 'provisional') : '';
      const key = `${p.itemId}\u0000${sameWords(p.comment)}\u0000${standing}`;
      const m = out.get(key) ?? {
        category: p.category,
        itemCode: p.itemCode,
        itemText: p.itemText,
        basis: p.basis,
        veto: p.veto,
        ...(standing ? { provisional: true, disputed: standing === 'disputed' } : {}),
        comment: p.comment,
        files: [],
      };
      m.files.push({ caseNumber: f.caseNumber, deduction: p.deduction, reference: problemReference(f.caseNumber, p) });
      out.set(key, m);
    }
  return [...out.values()];
}

/**
 * One problem in a bureau's words: 问题 (what was found, where: 案号 and 案卷 page) — 依据 (the
 * standard item and the law it rests on) — 整改要求. The item's text is printed once: as the
 * problem when the reviewer gave no words of their own, else as the requirement the item sets.
 */
export function problemSentence(m: MergedProblem): string {
  // A veto is the file's 否决 finding, not a deduction of 0: it says so first.
  const what = `${m.veto ? vetoLead({ final: !m.provisional, disputed: m.disputed }) : ''}${asSentence(m.comment || m.itemText).slice(0, -1)}`;
  const item = m.comment ? `评查标准第${m.itemCode}项“${m.itemText.replace(/[。；;，,]+$/u, '')}”` : `评查标准第${m.itemCode}项`;
  const amounts = [...new Set(m.files.map((f) => f.deduction))];
  const weight = m.veto
    ? '属否决情形'
    : m.files.length > 1
      ? amounts.length === 1
        ? `每件扣${fmt(amounts[0]!)}分`
        : `分别扣${m.files.map((f) => fmt(f.deduction)).join('、')}分`
      : `扣${fmt(amounts[0] ?? 0)}分`;
  const basis = m.basis.trim().replace(/[。；;，,\s]+$/u, '');
  return `${what}（见${m.files.map((f) => f.reference).join('；')}）。依据：${basis ? `${basis}；` : ''}${item}，${weight}。整改要求：${asSentence(rectificationRequirement(m, m.files.length))}`;
}

function common(
  kind: LetterKind,
  campaign: CampaignFact,
  t: LetterTemplate,
  ctx: LetterContext,
  files: FileFact[],
  unit: UnitFact | null,
): PlaceholderValues {
  const order = gradeOrder(
    campaign.bands,
    campaign.failGrade,
    files.map((f) => f.grade),
  );
  const dist = gradeDistribution(files, order);
  const ranking = unit ? rankUnits({ units: [unit], bands: campaign.bands })[0] : undefined;
  const problems = files.flatMap((f) => f.problems);
  // How many files and units were under review comes from the draw, not from which files have a score yet.
  const scope = unit ? { unitCount: 1, fileCount: unitReviewedCount(unit) } : reviewScope(campaign);
  return {
    评查机关: t.signer || campaign.issuingBody,
    被评查单位: unit?.unitName ?? '各有关行政执法单位',
    评查活动: campaign.name,
    年度: String(campaign.year),
    // A unit's letter names the standards its own files were scored against, not every one the campaign used.
    评查标准:
      (unit && files.length ? [...new Set(files.map((f) => f.standardName))] : campaign.standardNames).map((n) => `《${n}》`).join('') ||
      '评查标准',
    // The laws of the case types actually reviewed (a unit's drawn files; every unit's for the 通报).
    法律依据: lawsCited(
      (unit ? [unit] : campaign.units).flatMap((u) => u.caseTypes ?? []).length
        ? (unit ? [unit] : campaign.units).flatMap((u) => u.caseTypes ?? [])
        : files.flatMap((f) => (f.caseType ? [f.caseType] : [])),
    ),
    评查范围: unit ? reviewScopeText(unit) : `对各单位报送的${scope.fileCount}件行政执法案卷`,
    // What was reviewed is what the letter quotes; what was drawn is the draw, scored or not.
    案卷数: String(files.length),
    抽取案卷数: String(scope.fileCount),
    单位数: String(scope.unitCount),
    平均分: ranking ? fmt(ranking.average) : '—',
    等次: ranking?.grade ?? '—',
    等次分布: kind === 'bulletin' ? gradeSummaryText(dist, true) : gradeSummaryText(dist),
    问题数: String(problems.length),
    问题案卷数: String(files.filter((f) => f.problems.length).length),
    整改期限: chineseDate(addDays(ctx.date, t.deadlineDays)),
    报送日期: chineseDate(addDays(ctx.date, t.reportBackDays)),
    联系人: t.contactName || '（联系人）',
    联系电话: t.contactPhone || '（联系电话）',
  };
}

/**
 * With every file 待合议 there is no average or grade yet: the built-in results sentence would read
 * "平均得分—分，等次为—", which no bureau signs; it says when they will be known instead.
 */
const withoutBlankAverage = (text: string): string => text.replace('平均得分—分，等次为—', '平均得分和等次待评查组合议定分后确定');

function paragraphs(t: LetterTemplate, key: string, values: PlaceholderValues): GongwenBlock[] {
  return paragraphsOf(fillPlaceholders(t.paragraphs[key] ?? '', values)).map((text) => ({ type: 'p' as const, text }));
}

function head(t: LetterTemplate, campaign: CampaignFact, ctx: LetterContext, values: PlaceholderValues) {
  const body = t.signer || campaign.issuingBody;
  return {
    bodyMark: t.bodyMark ? fillPlaceholders(t.bodyMark, values) : t.format === 'standard' ? `${body}文件` : body,
    documentNumber: ctx.documentNumber,
  };
}

/**
 * 附件说明 and 附件 labels per GB/T 9704 §7.3.3 and §8: the names in the 附件说明 are the attached
 * documents' titles exactly; several attachments are numbered (附件：1. …; 附件1), a single one is not
 * (附件：…; 附件).
 */
function attachmentsOf(appendices: Appendix[], extra: string[]): { attachments: string[]; appendices: Appendix[] } {
  const several = appendices.length + extra.length > 1;
  return {
    attachments: [...appendices.map((a) => a.title), ...extra],
    appendices: appendices.map((a, i) => ({ ...a, label: several ? `附件${i + 1}` : '附件' })),
  };
}

function tail(t: LetterTemplate, campaign: CampaignFact, ctx: LetterContext, values: PlaceholderValues, appendicesIn: Appendix[]) {
  const sections = t.sections;
  const { attachments, appendices } = attachmentsOf(appendicesIn, t.extraAttachments);
  const contact =
    sections.contact !== false && (t.contactName || t.contactPhone) ? `联系人：${values.联系人}，联系电话：${values.联系电话}` : null;
  return {
    attachments,
    signature: { signer: t.signer || campaign.issuingBody, date: ctx.date.slice(0, 10), dateText: chineseDate(ctx.date) },
    note: contact,
    appendices,
    imprint: sections.imprint
      ? {
          cc: t.cc,
          printer: t.format === 'standard' ? t.printer || `${t.signer || campaign.issuingBody}` : null,
          printDateText: t.format === 'standard' ? chineseDate(ctx.date) : null,
        }
      : null,
  };
}

const PROBLEM_LIST_COLUMNS = [
  { title: '序号', width: 0.08, align: 'center' as const },
  { title: '案号', width: 0.17, align: 'left' as const },
  { title: '问题', width: 0.31, align: 'left' as const },
  { title: '标准条目', width: 0.2, align: 'left' as const },
  { title: '扣分', width: 0.08, align: 'center' as const },
  { title: '页码', width: 0.16, align: 'left' as const },
];

function problemListAppendix(title: string, files: FileFact[]): Appendix {
  let n = 0;
  const rows = files.flatMap((f) =>
    f.problems.map((p) => [
      String(++n),
      f.caseNumber,
      // A veto the panel has not settled says so where it is stated (the 扣分 column is too narrow).
      `${p.veto && !f.final ? '（暂定，待合议）' : ''}${p.comment || p.itemText}`,
      `第${p.itemCode}项 ${p.itemText}`,
      p.veto ? '否决' : fmt(p.deduction),
      problemWhere(p) || '—',
    ]),
  );
  return {
    label: '附件',
    title,
    blocks: rows.length ? [{ type: 'table', columns: PROBLEM_LIST_COLUMNS, rows }] : [{ type: 'p', text: '评查未发现扣分问题。' }],
  };
}

/** 行政执法监督意见书 (and the 整改通知书, which shares its structure) for one unit. */
export function composeUnitLetter(
  kind: 'opinion' | 'notice',
  campaignIn: CampaignFact,
  unitId: string,
  t: LetterTemplate,
  ctx: LetterContext,
): GongwenDoc {
  const campaign = t.mask ? maskCampaign(campaignIn) : campaignIn;
  const unit = campaign.units.find((u) => u.unitId === unitId);
  if (!unit) throw new RangeError(`unit ${unitId} is not in the campaign`);
  const files = unit.files;
  const values = common(kind, campaign, t, ctx, files, unit);
  const s = t.sections;
  const blocks: GongwenBlock[] = [...paragraphs(t, 'opening', values)];
  const h1 = new Counter('h1');
  const appendices: Appendix[] = [];

  // Results the panel has not settled are 暂定: the letter says which, as the 通报 does; drawn files nobody
  // has scored yet are named by number, so "抽取3件" and "共评查1件" never stand side by side unexplained.
  const letterName = kind === 'opinion' ? '意见书' : '通知书';
  const unsettled = files.filter((f) => !f.final);
  const unscored = unitReviewedCount(unit) - files.length;
  const pendingText = [
    unsettled.length
      ? `${unsettled.map((f) => f.caseNumber).join('、')}${unsettled.length > 1 ? '等' : ''}${unsettled.length}件案卷的评查结果尚未经评查组合议定分，本${letterName}所列该${unsettled.length > 1 ? '等' : ''}案卷的得分和问题为暂定结果，以最终合议结果为准${unsettled.some((f) => f.disagreement) ? '；评查表结论不一的案卷列为“待合议”，不计入平均分' : ''}。`
      : '',
    unscored > 0 ? `另有${unscored}件抽取案卷尚未完成评分，未列入本${letterName}，其评查结果另行反馈。` : '',
  ].join('');
  const unsettledNote = pendingText ? { type: 'p' as const, text: pendingText } : null;
  if (kind === 'opinion' && s.results !== false) {
    blocks.push({ type: 'h1', text: `${h1.next()}评查总体情况` });
    blocks.push(
      ...paragraphsOf(withoutBlankAverage(fillPlaceholders(t.paragraphs.results ?? '', values))).map((text) => ({
        type: 'p' as const,
        text,
      })),
    );
    if (unsettledNote) blocks.push(unsettledNote);
    blocks.push({
      type: 'table',
      columns: [
        { title: '序号', width: 0.08, align: 'center' },
        { title: '案号', width: 0.3, align: 'left' },
        { title: '案件名称', width: 0.34, align: 'left' },
        { title: '得分', width: 0.14, align: 'center' },
        { title: '等次', width: 0.14, align: 'center' },
      ],
      rows: files.map((f, i) => [String(i + 1), f.caseNumber, f.caseTitle || '—', scoreText(f), f.grade]),
    });
  }
  // A unit whose files show no problem is told so; it is not asked to rectify anything.
  const clean = !hasProblems(unit);
  if (s.problems !== false && !clean) {
    blocks.push({ type: 'h1', text: `${h1.next()}${kind === 'opinion' ? '存在的问题' : '需整改的问题'}` });
    if (kind === 'opinion') blocks.push(...paragraphs(t, 'problemsIntro', values));
    const merged = mergeProblems(files);
    const h2 = new Counter('h2');
    for (const category of [...new Set(merged.map((m) => m.category))]) {
      blocks.push({ type: 'h2', text: `${h2.next()}${category}方面` });
      const h3 = new Counter('h3');
      for (const m of merged.filter((x) => x.category === category)) blocks.push({ type: 'h3', text: h3.next(), rest: problemSentence(m) });
    }
  }
  if (kind === 'opinion' && s.opinion !== false) {
    blocks.push({ type: 'h1', text: `${h1.next()}${clean ? '监督意见' : '监督意见和整改要求'}` });
    // "均未发现问题，继续保持" is said of settled files only: a file awaiting the panel may yet hold problems.
    if (clean && unsettled.length) {
      const settledCount = files.length - unsettled.length;
      const pending = `${unsettled.map((f) => f.caseNumber).join('、')}尚待评查组合议，其评查结果和问题以合议结果为准，届时另行告知。`;
      blocks.push({
        type: 'p',
        text: `经评查，你单位被抽查的${files.length}件案卷中，${settledCount ? `已定分的${settledCount}件未发现扣分问题；` : ''}${pending}`,
      });
    } else if (clean) blocks.push(...paragraphs(t, 'noProblems', values));
    else {
      blocks.push(...paragraphs(t, 'opinion', values));
      blocks.push(...paragraphs(t, 'requirements', values));
    }
  }
  if (unsettledNote && (kind === 'notice' || s.results === false)) blocks.splice(1, 0, unsettledNote);
  if (kind === 'notice') {
    blocks.push({ type: 'h1', text: `${h1.next()}整改要求` });
    blocks.push(...paragraphs(t, 'requirements', values));
    blocks.push({ type: 'h1', text: `${h1.next()}报送要求` });
    blocks.push(...paragraphs(t, 'report', values));
  }
  blocks.push(...paragraphs(t, 'closing', values));

  if (s.problemAppendix !== false && !clean)
    appendices.push(problemListAppendix(`${unit.unitName}${kind === 'opinion' ? '案卷评查问题清单' : '问题整改清单'}`, files));

  return {
    kind,
    format: t.format,
    head: head(t, campaign, ctx, values),
    title: `${fillPlaceholders(t.title, values)}${unsettled.length ? '（含暂定结果）' : ''}`,
    addressee: t.addressee ? fillPlaceholders(t.addressee, values) : unit.unitName,
    blocks,
    ...tail(t, campaign, ctx, values, appendices),
    notes: { provisionalFiles: files.filter((f) => !f.final).map((f) => f.caseNumber), masked: t.mask },
  };
}

/** The charts of a campaign's statistics (also embedded in the 通报). */
export function campaignCharts(campaign: CampaignFact) {
  const ranking = rankUnits(campaign);
  const files = allFiles(campaign);
  const order = gradeOrder(
    campaign.bands,
    campaign.failGrade,
    files.map((f) => f.grade),
  );
  const dist = gradeDistribution(files, order);
  const categories = problemsByCategory(files);
  const cutoffs = [...campaign.bands].filter((b) => b.min > 0).map((b) => ({ value: b.min, label: `${b.grade}线${fmt(b.min)}` }));
  // A chart row has room for a unit's full name, not for "（含暂定）（部分未定分）" too: marks stand for
  // them and the note under the chart says what they mean (the ranking table spells them out).
  const provisionalMark = ranking.some((r) => r.provisionalCount > 0);
  const unscoredMark = ranking.some((r) => r.unscoredCount > 0);
  const footnote = [provisionalMark ? '标“*”的单位得分含暂定结果' : '', unscoredMark ? '标“△”的单位部分案卷尚未定分' : ''].filter(Boolean);
  return {
    ranking: barChart({
      title: '各单位案卷平均得分',
      data: ranking.map((r) => ({
        label: `${r.unitName}${r.provisionalCount > 0 ? '*' : ''}${r.unscoredCount ? '△' : ''}`,
        value: r.average,
        color: GRADE_COLORS[r.grade],
      })),
      unit: '分',
      max: Math.max(100, ...ranking.map((r) => r.average)),
      markers: cutoffs,
      decimals: 2,
      labelChars: 18,
      ...(footnote.length ? { footnote: `注：${footnote.join('；')}。` } : {}),
    }),
    grades: barChart({
      title: '案卷等次分布',
      data: dist.map((d) => ({ label: d.grade, value: d.count, note: `（${percent(d.rate)}）`, color: GRADE_COLORS[d.grade] })),
      unit: '件',
    }),
    categories: barChart({
      title: '扣分问题按类别统计',
      data: categories.slice(0, 10).map((c) => ({ label: c.category, value: c.count })),
      unit: '项',
    }),
  };
}

/**
 * The 好的做法 a 通报 may state. A bureau's own words are printed as written; the built-in sentence is
 * generic praise, so it stands only where the figures bear it out: units all of whose files settled at the
 * top grade without a single finding are named, and with no such unit the section is left out rather
 * than praise files with findings.
 */
function goodPractices(campaign: CampaignFact, t: LetterTemplate, values: PlaceholderValues, topGrade: string | undefined): GongwenBlock[] {
  const text = (t.paragraphs.goodPractices ?? '').trim();
  if (!text) return [];
  if (text !== (defaultTemplate('bulletin').paragraphs.goodPractices ?? '').trim()) return paragraphs(t, 'goodPractices', values);
  // Praise only what the results bear out: every file under review settled at the top grade and no problem found.
  const exemplary = campaign.units.filter(
    (u) =>
      u.files.length &&
      u.files.length >= unitReviewedCount(u) &&
      u.files.every((f) => f.final && !f.vetoed && f.grade === topGrade && !f.problems.length),
  );
  if (!topGrade || !exemplary.length) return [];
  return [
    {
      type: 'p',
      text: `${exemplary.map((u) => u.unitName).join('、')}报送的案卷均评为${topGrade}等次，评查未发现扣分问题，执法程序完整规范，法律文书制作严谨，值得各单位学习借鉴。`,
    },
  ];
}

/** One kind of problem a 通报 lists: the words, how many of the category's problems they stand for, whether a 否决 finding. */
interface ProblemGroup {
  text: string;
  count: number;
  veto: boolean;
}

/**
 * A category's problems as the 通报 lists them: the same words once, with how many problems they stand
 * for, 否决 findings first. Each group is one listed item, so the items and their counts add up to the
 * category's count; a reviewer's "；" inside one reason never reads as a second item.
 */
export function problemGroups(
  problems: ReadonlyArray<Pick<FileFact['problems'][number], 'comment' | 'itemText' | 'veto'>>,
): ProblemGroup[] {
  const map = new Map<string, ProblemGroup>();
  for (const p of problems) {
    const text = (p.comment || p.itemText)
      .trim()
      .replace(/[。；;，,、\s]+$/u, '')
      .replace(/[；;]/g, '，');
    const key = `${p.veto ? 1 : 0}\u0000${sameWords(text)}`;
    const g = map.get(key) ?? { text, count: 0, veto: p.veto };
    g.count += 1;
    map.set(key, g);
  }
  return [...map.values()].sort((a, b) => Number(b.veto) - Number(a.veto) || b.count - a.count);
}

/** "具体为：A（2项）；B（属否决情形）。" — every group when three or fewer, else the three most frequent and what is left. */
export function problemListText(groups: readonly ProblemGroup[]): string {
  if (!groups.length) return '';
  const item = (g: ProblemGroup): string => `${g.text}${g.veto ? '（属否决情形）' : ''}${g.count > 1 ? `（${g.count}项）` : ''}`;
  if (groups.length <= 3) return `具体为：${groups.map(item).join('；')}。`;
  const shown = groups.slice(0, 3);
  const rest = groups.slice(3).reduce((n, g) => n + g.count, 0);
  return `主要表现为：${shown.map(item).join('；')}；另有其他问题${rest}项。`;
}

/** 评查结果通报 for the whole campaign. */
export function composeBulletin(campaignIn: CampaignFact, t: LetterTemplate, ctx: LetterContext): GongwenDoc {
  // A 通报 states results: grades, scores, ranking and problems come from settled (final) files only,
  // unless provisional ones were explicitly included — then every count says how many are 暂定.
  const masked = t.mask ? maskCampaign(campaignIn) : campaignIn;
  const campaign = ctx.includeProvisional ? masked : settledOnly(masked);
  const files = allFiles(campaign);
  const values = common('bulletin', campaign, t, ctx, files, null);
  const settledCount = files.filter((f) => f.final).length;
  const provisionalCount = files.length - settledCount;
  const notScored = Math.max(0, reviewScope(campaign).fileCount - files.length);
  const countsNote =
    provisionalCount > 0 || notScored > 0
      ? `本通报所列${files.length}件案卷中，已定分${settledCount}件、暂定${provisionalCount}件${notScored ? `；另有${notScored}件尚未定分，未列入本通报统计` : ''}。${
          provisionalCount > 0
            ? `暂定结果尚未经评查组合议定分，以最终合议结果为准${files.some((f) => f.disagreement) ? '；评查表结论不一的案卷列为“待合议”，不计入平均分' : ''}；排名中标注“（含暂定）”的单位，其得分含暂定结果。`
            : ''
        }`
      : '';
  const s = t.sections;
  const ranking = rankUnits(campaign);
  const order = gradeOrder(
    campaign.bands,
    campaign.failGrade,
    files.map((f) => f.grade),
  );
  const dist = gradeDistribution(files, order);
  const categories = problemsByCategory(files);
  const charts = s.charts !== false ? campaignCharts(campaign) : null;
  const h1 = new Counter('h1');
  const blocks: GongwenBlock[] = [...paragraphs(t, 'opening', values)];

  blocks.push({ type: 'h1', text: `${h1.next()}基本情况` });
  blocks.push(...paragraphs(t, 'basics', values));

  blocks.push({ type: 'h1', text: `${h1.next()}评查结果` });
  // The counts first, so the figures after them read against it.
  if (countsNote) blocks.push({ type: 'p', text: countsNote });
  blocks.push(...paragraphs(t, 'results', values));
  if (s.ranking !== false)
    blocks.push({
      type: 'table',
      columns: [
        { title: '名次', width: 0.09, align: 'center' },
        { title: '被评查单位', width: 0.33, align: 'left' },
        { title: '案卷数', width: 0.17, align: 'center' },
        { title: '平均分', width: 0.14, align: 'center' },
        { title: '总分', width: 0.14, align: 'center' },
        { title: '等次', width: 0.13, align: 'center' },
      ],
      rows: ranking.map((r) => [
        String(r.rank),
        rankedUnitName(r),
        r.disputedCount ? `${r.fileCount}（待合议${r.disputedCount}）` : String(r.fileCount),
        fmt(r.average),
        fmt(r.sum),
        r.grade,
      ]),
    });
  if (charts) blocks.push({ type: 'chart', chart: charts.ranking });
  blocks.push({
    type: 'table',
    columns: [
      { title: '等次', width: 0.34, align: 'center' },
      { title: '案卷数（件）', width: 0.33, align: 'center' },
      { title: '占比', width: 0.33, align: 'center' },
    ],
    rows: [...dist.map((d) => [d.grade, String(d.count), percent(d.rate)]), ['合计', String(files.length), files.length ? '100%' : '—']],
  });
  if (charts) blocks.push({ type: 'chart', chart: charts.grades });

  if (s.problems !== false) {
    blocks.push({ type: 'h1', text: `${h1.next()}存在的主要问题` });
    blocks.push(...paragraphs(t, 'problemsIntro', values));
    const h2 = new Counter('h2');
    // A 否决 finding is never left out of the 通报: its category is stated however few its problems.
    const vetoCategories = new Set(files.flatMap((f) => f.problems.filter((p) => p.veto).map((p) => p.category)));
    const stated = categories.filter((c, i) => i < 8 || vetoCategories.has(c.category));
    for (const c of stated) {
      const groups = problemGroups(files.flatMap((f) => f.problems.filter((p) => p.category === c.category)));
      blocks.push({
        type: 'h2',
        text: `${h2.next()}${c.category}方面。`,
        rest: `共发现问题${c.count}项，涉及案卷${c.fileCount}件。${problemListText(groups)}`,
      });
    }
    if (charts && categories.length) blocks.push({ type: 'chart', chart: charts.categories });
  }
  const practices = goodPractices(campaign, t, values, order[0]);
  if (s.goodPractices !== false && practices.length) {
    blocks.push({ type: 'h1', text: `${h1.next()}好的做法` });
    blocks.push(...practices);
  }
  const next = paragraphs(t, 'nextSteps', values);
  if (next.length) {
    blocks.push({ type: 'h1', text: `${h1.next()}下一步工作要求` });
    const h2 = new Counter('h2');
    blocks.push(...next.map((b) => ({ type: 'h2' as const, text: h2.next(), rest: b.type === 'p' ? b.text : '' })));
  }

  const appendices: Appendix[] = [];
  if (s.scoreAppendix !== false) {
    appendices.push({
      label: '附件',
      title: '各单位案卷评查得分情况',
      blocks: [
        {
          type: 'table',
          columns: [
            { title: '序号', width: 0.08, align: 'center' },
            { title: '被评查单位', width: 0.24, align: 'left' },
            { title: '案号', width: 0.24, align: 'left' },
            { title: '案件名称', width: 0.22, align: 'left' },
            { title: '得分', width: 0.11, align: 'center' },
            { title: '等次', width: 0.11, align: 'center' },
          ],
          rows: campaign.units
            .flatMap((u) => u.files.map((f) => [u.unitName, f.caseNumber, f.caseTitle || '—', scoreText(f), f.grade]))
            .map((r, i) => [String(i + 1), ...r]),
        },
      ],
    });
  }

  return {
    kind: 'bulletin',
    format: t.format,
    head: head(t, campaign, ctx, values),
    title: `${fillPlaceholders(t.title, values)}${provisionalCount > 0 ? '（含暂定结果）' : ''}`,
    addressee: t.addressee ? fillPlaceholders(t.addressee, values) : '各有关行政执法单位',
    blocks,
    ...tail(t, campaign, ctx, values, appendices),
    notes: { provisionalFiles: files.filter((f) => !f.final).map((f) => f.caseNumber), masked: t.mask },
  };
}

export function composeLetter(
  kind: LetterKind,
  campaign: CampaignFact,
  unitId: string | null,
  t: LetterTemplate,
  ctx: LetterContext,
): GongwenDoc {
  if (kind === 'bulletin') return composeBulletin(campaign, t, ctx);
  if (!unitId) throw new RangeError(`${kind} needs a unit`);
  return composeUnitLetter(kind, campaign, unitId, t, ctx);
}
