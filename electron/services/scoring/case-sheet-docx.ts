/**
 * 案卷评查表: the filled score table of one file with every reviewer's deductions side by side and
 * the final (agreed) result. A pure function of its view model — everything it prints is in the
 * model, so the same model always gives the same document.
 */
import type { Document, Paragraph, Table } from 'docx';
import { fmt } from '../../../shared/standards/model.js';
import type { Problem } from '../../../shared/scoring/scoring.js';
import {
  blankLine,
  bodyParagraph,
  gongwenDocument,
  gongwenSection,
  gongwenTable,
  rightParagraph,
  run,
  titleParagraph,
  type CellSpec,
} from '../letters/index.js';

export interface CaseSheetRow {
  kind: 'block' | 'item';
  depth: number;
  code: string;
  text: string;
  /** 依据: the provision the item rests on, printed under its text ("" when the standard names none). */
  basis: string;
  points: string;
  /** One per column of `columns`: the deduction as printed ("1.5", "否决", ""). */
  deductions: string[];
  remark: string;
}

/** A deduction column: one reviewer's sheet, or the agreed result. */
export interface CaseSheetColumn {
  label: string;
  /** Who and in what state, e.g. "王组长（已提交）" or "合议结果". */
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
  columns: CaseSheetColumn[];
  rows: CaseSheetRow[];
  /** Vetoes of the result printed as the file's result. */
  vetoes: Problem[];
  /** The file's result: the agreed one, or (before reconciliation) the only sheet shown. */
  result: { total: number; max: number; grade: string; label: string; progress?: string | null };
  reviewerNames: string[];
  /** How the result was settled (合议定分 with the panel's note, or 自动定分); null before it is final. */
  settlement: string | null;
  /** ISO date of the export. */
  date: string;
  dateText: string;
}

const INFO_WIDTHS = [0.17, 0.19, 0.19, 0.15, 0.3];

/** Columns: 序号, 评查内容, 分值, one per deduction column, 扣分理由及位置 — the content column gives way to reviewers. */
function widths(deductionColumns: number): number[] {
  // A reviewer's column holds a three-character name (about 13 mm at 小四 with the cell margins).
  const each = deductionColumns <= 1 ? 0.09 : deductionColumns <= 3 ? 0.1 : 0.085;
  const rest = 1 - 0.07 - 0.06 - each * deductionColumns;
  return [0.07, rest * 0.6, 0.06, ...Array.from({ length: deductionColumns }, () => each), rest * 0.4];
}

export function caseSheetDocument(vm: CaseSheetViewModel): Document {
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
  ];
  const single = vm.columns.length === 1;
  const header: CellSpec[] = [
    { text: '序号', bold: true, align: 'center', shade: true },
    { text: '评查内容', bold: true, align: 'center', shade: true },
    { text: '分值', bold: true, align: 'center', shade: true },
    ...vm.columns.map((c): CellSpec => ({ text: single ? '扣分' : `${c.label}\n扣分`, bold: true, align: 'center', shade: true })),
    { text: '扣分理由及位置', bold: true, align: 'center', shade: true },
  ];
  const body: CellSpec[][] = vm.rows.map((row) => {
    const role = row.kind === 'block' ? ('heading2' as const) : undefined;
    const cell = (text: string, align?: CellSpec['align']): CellSpec => ({ text, ...(align ? { align } : {}), ...(role ? { role } : {}) });
    return [
      cell(row.code, 'center'),
      cell(row.basis ? `${row.text}\n依据：${row.basis}` : row.text),
      cell(row.points, 'center'),
      ...row.deductions.map((d) => cell(d, 'center')),
      cell(row.remark),
    ];
  });
  const resultRows: CellSpec[][] = [
    ...(single
      ? []
      : vm.columns.map((c): CellSpec[] => [
          { text: c.label, bold: true, shade: true, align: 'center' },
          { text: c.title, span: 2 },
          { text: '得分', bold: true, shade: true, align: 'center' },
          { text: c.progress ? `未评完：${c.progress}` : `${fmt(c.total)} 分（${c.grade}）` },
        ])),
    [
      { text: vm.result.label, bold: true, shade: true, align: 'center' },
      {
        text: vm.result.progress ? `未评完：${vm.result.progress}` : `${fmt(vm.result.total)} 分（满分 ${fmt(vm.result.max)} 分）`,
        span: 2,
      },
      { text: '等次', bold: true, shade: true, align: 'center' },
      { text: vm.result.progress ? '全部项目评定后给出' : vm.result.grade },
    ],
    [
      { text: '评查人', bold: true, shade: true, align: 'center' },
      { text: single ? vm.columns[0]!.title : vm.reviewerNames.join('、'), span: 2 },
      { text: '评查日期', bold: true, shade: true, align: 'center' },
      { text: vm.dateText },
    ],
  ];
  if (vm.settlement)
    resultRows.push([
      { text: '合议情况', bold: true, shade: true, align: 'center' },
      { text: vm.settlement, span: 4 },
    ]);
  if (vm.vetoes.length) {
    resultRows.unshift([
      { text: '否决情形', bold: true, shade: true, align: 'center' },
      { text: vm.vetoes.map((v) => `${v.code} ${v.text}：${v.comment}`).join('\n'), span: 4 },
    ]);
  }

  const children: Array<Paragraph | Table> = [
    titleParagraph('案卷评查表'),
    gongwenTable(INFO_WIDTHS, info, 0),
    blankLine(),
    gongwenTable(widths(vm.columns.length), [header, ...body], 1),
    blankLine(),
    gongwenTable(INFO_WIDTHS, resultRows, 0),
    blankLine(),
    bodyParagraph([run('评查人签名：')]),
    rightParagraph(vm.dateText),
  ];
  return gongwenDocument([gongwenSection(children)], { title: `案卷评查表 ${vm.caseNumber}`, creator: vm.issuingBody });
}
