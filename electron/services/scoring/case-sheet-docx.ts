/**
 * 案卷评查表: the filled score form of one file — 序号, 评查项目, 分值, 得分, 扣分理由, 佐证 — for the
 * settled result (every reviewer's reasons and the decision in 扣分理由) or for the sheets shown. A pure function of its view model — everything it prints is in the
 * model, so the same model always gives the same document.
 */
import { LineRuleType, Paragraph, type Document, type Table } from 'docx';
import { FONT_SIZE_PT } from '../../../shared/core/gbt9704.js';
import { fmt } from '../../../shared/standards/model.js';
import type { Problem } from '../../../shared/scoring/scoring.js';
import { loadGongwenDocx, type CellSpec } from '../letters/index.js';

// This module is itself loaded only when a score form is exported, so docx is loaded then too.
const { gongwenDocument, gongwenSection, gongwenTable, titleParagraph } = await loadGongwenDocx();

export interface CaseSheetRow {
  kind: 'block' | 'item';
  depth: number;
  code: string;
  text: string;
  /** 依据: the provision the item rests on, printed after its text ("" when the standard names none). */
  basis: string;
  points: string;
  /** One per score column of the item table (`scoreColumns`): the 得分 as printed ("3", "否决", "不适用", ""). */
  scores: string[];
  /** 扣分理由: who deducted what and why, and the decision that settled it. */
  reason: string;
  /** 佐证: where in the file (the reviewer's 位置 and the pages their marks are on). */
  evidence: string;
}

/** A result line of the summary: one reviewer's sheet, or the settled result. */
export interface CaseSheetColumn {
  label: string;
  /** Who and in what state, e.g. "王组长（已提交）" or "定分结果". */
  title: string;
  total: number;
  grade: string;
  /** An unfinished sheet: "已评 2/46 项 · 已扣 1 分" printed instead of a total and grade nobody reached. */
  progress?: string | null;
}

export interface CaseSheetViewModel {
  campaignName: string;
  issuingBody: string;
  unitName: string;
  caseNumber: string;
  caseTitle: string;
  caseTypeLabel: string;
  standardName: string;
  standardVersion: string;
  /** Every sheet shown and (once settled) the file's result, for the summary under the table. */
  columns: CaseSheetColumn[];
  /** Headings of the item table's 得分 columns: one ("得分") for the settled result or a single sheet. */
  scoreColumns: string[];
  rows: CaseSheetRow[];
  /** Vetoes of the result printed as the file's result. */
  vetoes: Problem[];
  /** The file's result: the settled one, or (before settlement) the first sheet shown. */
  result: { total: number; max: number; grade: string; label: string; progress?: string | null; unsettled?: boolean };
  reviewerNames: string[];
  /** How the result was settled (组长确认 / 复核 / 集体评议 with the note, or 自动定分); null before it is final. */
  settlement: string | null;
  /** ISO date of the export. */
  date: string;
  dateText: string;
}

const INFO_WIDTHS = [0.17, 0.19, 0.19, 0.15, 0.3];
/** The summary under the table: a wide last column, so "未评完：已评 1/19 项 · 已扣 10 分" stays on one line. */
const SUMMARY_WIDTHS = [0.14, 0.15, 0.15, 0.12, 0.44];
/** The heading tables at 五号; the item table is a form read at a desk: 小五 (9 pt) on a tight line keeps a 46-item standard within four A4 pages. */
const INFO_PT = FONT_SIZE_PT.wu;
const FORM_PT = 9;
const FORM_LINE = 1.15;

/** 《中华人民共和国行政处罚法》 is cited as 《行政处罚法》 in a form, as 评查表 print it: a line saved per item. */
const shortCitation = (basis: string): string => basis.replace(/《中华人民共和国([^》]+)》/g, '《$1》');

/**
 * Columns: 序号, 评查项目, 分值, 得分 (one per score column), 扣分理由, 佐证. Every narrow column holds
 * its two-character heading (and 否决) on one line: 0.065 of 156 mm is 10.1 mm, two characters of 小五
 * with the cell margins need 9.2 mm. The item's text and 依据 get most of the rest (22 characters a line).
 */
function widths(scoreColumns: number): number[] {
  const narrow = 0.065;
  // 得分 holds 不适用 (three characters, 12.3 mm) on one line, as it does a reviewer's name heading it.
  const score = 0.08;
  const rest = 1 - narrow * 2 - score * scoreColumns;
  return [narrow, rest * 0.62, narrow, ...Array.from({ length: scoreColumns }, () => score), rest * 0.25, rest * 0.13];
}

export function caseSheetDocument(vm: CaseSheetViewModel): Document {
  const form = (spec: CellSpec): CellSpec => ({ ...spec, sizePt: FORM_PT, lineFactor: FORM_LINE });
  const infoCell = (spec: CellSpec): CellSpec => ({ ...spec, sizePt: INFO_PT, lineFactor: FORM_LINE });
  const info: CellSpec[][] = [
    [
      { text: '评查活动', bold: true, shade: true },
      { text: vm.campaignName, span: 2 },
      { text: '评查机关', bold: true, shade: true },
      { text: vm.issuingBody },
    ],
    [
      { text: '被评查单位', bold: true, shade: true },
      { text: vm.unitName, span: 2 },
      { text: '案件类型', bold: true, shade: true },
      { text: vm.caseTypeLabel },
    ],
    [
      { text: '案号', bold: true, shade: true },
      { text: vm.caseNumber, span: 2 },
      { text: '案件名称', bold: true, shade: true },
      { text: vm.caseTitle || '—' },
    ],
    [
      { text: '评查标准', bold: true, shade: true },
      { text: `${vm.standardName}（${vm.standardVersion}）`, span: 4 },
    ],
  ].map((r) => r.map(infoCell));
  const head = (text: string): CellSpec => form({ text, bold: true, align: 'center', shade: true });
  const header: CellSpec[] = [
    head('序号'),
    head('评查项目'),
    head('分值'),
    ...vm.scoreColumns.map((c) => head(c)),
    head('扣分理由'),
    head('佐证'),
  ];
  const body: CellSpec[][] = vm.rows.map((row) => {
    const role = row.kind === 'block' ? ('heading2' as const) : undefined;
    const cell = (text: string, align?: CellSpec['align']): CellSpec =>
      form({ text, ...(align ? { align } : {}), ...(role ? { role } : {}) });
    return [
      cell(row.code, 'center'),
      cell(row.basis ? `${row.text}（依据：${shortCitation(row.basis)}）` : row.text),
      cell(row.points, 'center'),
      ...row.scores.map((d) => cell(d, 'center')),
      cell(row.reason),
      cell(row.evidence),
    ];
  });
  const label = (text: string): CellSpec => infoCell({ text, bold: true, shade: true, align: 'center' });
  const resultRows: CellSpec[][] = [
    ...(vm.columns.length === 1
      ? []
      : vm.columns.map((c): CellSpec[] => {
          // "张评查 | 张评查（已提交）" said the name twice: a sheet's row is headed 评查人, the result's
          // row keeps its heading and says its state ("定分结果 | 已定分").
          const reviewer = vm.reviewerNames.includes(c.label);
          const rest = c.title.startsWith(c.label) ? c.title.slice(c.label.length).replace(/^（(.*)）$/, '$1') : '';
          return [
            label(reviewer ? '评查人' : c.label),
            infoCell({ text: reviewer || !rest ? c.title : rest, span: 2 }),
            label('得分'),
            infoCell({ text: c.progress ? `未评完：${c.progress}` : `${fmt(c.total)} 分（${c.grade}）` }),
          ];
        })),
    // An unfinished result says how far it is across the row (one line), and no grade.
    // Several sheets and no settlement yet: no sheet's total is the file's.
    vm.result.unsettled
      ? [label('定分结果'), infoCell({ text: '尚未定分：各评查人的得分见上，定分后给出最终得分和等次', span: 4 })]
      : vm.result.progress
        ? [label(vm.result.label), infoCell({ text: `未评完：${vm.result.progress}；等次全部项目评定后给出`, span: 4 })]
        : [
            label(vm.result.label),
            infoCell({ text: `${fmt(vm.result.total)} 分（满分 ${fmt(vm.result.max)} 分）`, span: 2 }),
            label('等次'),
            infoCell({ text: vm.result.grade }),
          ],
    [
      label('评查人'),
      infoCell({ text: vm.columns.length === 1 ? vm.columns[0]!.title : vm.reviewerNames.join('、'), span: 2 }),
      label('评查日期'),
      infoCell({ text: vm.dateText }),
    ],
  ];
  if (vm.settlement) resultRows.push([label('定分情况'), infoCell({ text: vm.settlement, span: 4 })]);
  if (vm.vetoes.length) {
    resultRows.unshift([
      label('否决情形'),
      infoCell({ text: vm.vetoes.map((v) => `${v.code} ${v.text}：${v.comment}`).join('\n'), span: 4 }),
    ]);
  }

  // The reviewers sign in the form itself, with room for two hands; the date is the 评查日期 above.
  resultRows.push([label('评查人签名'), infoCell({ text: '\n\n', span: 4 })]);
  // The summary and the signature box stay together on one page (never a page holding the box alone).
  const summary = resultRows.map((r, i) => (i < resultRows.length - 1 ? r.map((c) => ({ ...c, keepNext: true })) : r));
  // Half a line between the tables, not a blank 三号 line: the form stays on its pages.
  const gap = (): Paragraph => new Paragraph({ spacing: { before: 0, after: 0, line: 160, lineRule: LineRuleType.EXACT } });

  const children: Array<Paragraph | Table> = [
    titleParagraph('案卷评查表'),
    gongwenTable(INFO_WIDTHS, info, 0),
    gap(),
    gongwenTable(widths(vm.scoreColumns.length), [header, ...body], 1),
    gap(),
    gongwenTable(SUMMARY_WIDTHS, summary, 0),
  ];
  return gongwenDocument([gongwenSection(children)], { title: `案卷评查表 ${vm.caseNumber}`, creator: vm.issuingBody });
}
