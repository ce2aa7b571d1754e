/**
 * 案卷评查表: the filled score table of one file. A pure function of its view model — everything it
 * prints is in the model, so the same model always gives the same document.
 */
import type { Document, Paragraph, Table } from 'docx';
import { fmt } from '../../../../shared/standard/model.js';
import type { BlockScore, Problem } from '../../../../shared/standard/scoring.js';
import { blankLine, bodyParagraph, gongwenDocument, gongwenSection, gongwenTable, rightParagraph, run, titleParagraph, type CellSpec } from '../gongwen-docx.js';

export interface CaseSheetRow {
  kind: 'block' | 'item';
  depth: number;
  code: string;
  text: string;
  points: string;
  deduction: string;
  remark: string;
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
  rows: CaseSheetRow[];
  blocks: BlockScore[];
  vetoes: Problem[];
  total: number;
  max: number;
  grade: string;
  reviewerName: string;
  statusLabel: string;
  /** ISO date of the export. */
  date: string;
  dateText: string;
}

const WIDTHS = [0.09, 0.49, 0.09, 0.09, 0.24];
const INFO_WIDTHS = [0.17, 0.19, 0.19, 0.15, 0.3];

export function caseSheetDocument(vm: CaseSheetViewModel): Document {
  const info: CellSpec[][] = [
    [{ text: '评查活动', bold: true, shade: true }, { text: vm.campaignName, span: 2 }, { text: '评查机关', bold: true, shade: true }, { text: vm.issuingBody }],
    [{ text: '被评查单位', bold: true, shade: true }, { text: vm.unitName, span: 2 }, { text: '案件类型', bold: true, shade: true }, { text: vm.caseTypeLabel }],
    [{ text: '案号', bold: true, shade: true }, { text: vm.caseNumber, span: 2 }, { text: '案件名称', bold: true, shade: true }, { text: vm.caseTitle || '—' }],
    [{ text: '评查标准', bold: true, shade: true }, { text: `${vm.standardName}（${vm.standardVersion}）`, span: 4 }],
  ];
  const header: CellSpec[] = [
    { text: '序号', bold: true, align: 'center', shade: true },
    { text: '评查内容', bold: true, align: 'center', shade: true },
    { text: '分值', bold: true, align: 'center', shade: true },
    { text: '扣分', bold: true, align: 'center', shade: true },
    { text: '扣分理由及位置', bold: true, align: 'center', shade: true },
  ];
  const body: CellSpec[][] = vm.rows.map((row) =>
    row.kind === 'block'
      ? [
          { text: row.code, align: 'center', role: 'heading2' },
          { text: row.text, role: 'heading2' },
          { text: row.points, align: 'center', role: 'heading2' },
          { text: row.deduction, align: 'center', role: 'heading2' },
          { text: row.remark, role: 'heading2' },
        ]
      : [
          { text: row.code, align: 'center' },
          { text: row.text },
          { text: row.points, align: 'center' },
          { text: row.deduction, align: 'center' },
          { text: row.remark },
        ],
  );
  const resultRows: CellSpec[][] = [
    [
      { text: '总分', bold: true, shade: true, align: 'center' },
      { text: `${fmt(vm.total)} 分（满分 ${fmt(vm.max)} 分）`, span: 2 },
      { text: '等次', bold: true, shade: true, align: 'center' },
      { text: vm.grade },
    ],
    [
      { text: '评查人', bold: true, shade: true, align: 'center' },
      { text: `${vm.reviewerName}（${vm.statusLabel}）`, span: 2 },
      { text: '评查日期', bold: true, shade: true, align: 'center' },
      { text: vm.dateText },
    ],
  ];
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
    gongwenTable(WIDTHS, [header, ...body], 1),
    blankLine(),
    gongwenTable(INFO_WIDTHS, resultRows, 0),
    blankLine(),
    bodyParagraph([run('评查人签名：')]),
    rightParagraph(vm.dateText),
  ];
  return gongwenDocument([gongwenSection(children)], { title: `案卷评查表 ${vm.caseNumber}`, creator: vm.issuingBody });
}
