/** The 批注清单 workbook: one row per annotation of a case, in dossier order, ready to filter and print. */
import { loadExcel } from '../core/heavy-libs.js';
import { ANNOTATION_COLORS, ANNOTATION_TYPE_LABELS, type Annotation } from '../../../shared/annotations/annotation.js';

export interface AnnotationListModel {
  caseNumber: string;
  unitName: string;
  /** Title of each document, by id. */
  documentTitles: ReadonlyMap<string, string>;
  itemLabels: ReadonlyMap<string, string>;
  annotations: Annotation[];
  generatedAt: string;
}

const COLUMNS: Array<{ header: string; key: string; width: number }> = [
  { header: '序号', key: 'n', width: 6 },
  { header: '文件', key: 'document', width: 18 },
  { header: '页码', key: 'page', width: 7 },
  { header: '类型', key: 'type', width: 8 },
  { header: '颜色', key: 'color', width: 7 },
  { header: '标注的文字', key: 'text', width: 36 },
  { header: '批注内容', key: 'comment', width: 36 },
  { header: '关联评查项', key: 'item', width: 28 },
  { header: '标注人', key: 'author', width: 10 },
  { header: '标注时间', key: 'created', width: 18 },
  { header: '修改时间', key: 'updated', width: 18 },
];

const local = (iso: string): string => {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
};

export async function annotationListWorkbook(model: AnnotationListModel): Promise<Uint8Array> {
  const wb = new (await loadExcel()).Workbook();
  wb.creator = '案卷评查工作站';
  wb.created = new Date(model.generatedAt);
  const ws = wb.addWorksheet('批注清单', {
    views: [{ state: 'frozen', ySplit: 2 }],
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  ws.columns = COLUMNS.map((c) => ({ key: c.key, width: c.width }));
  ws.mergeCells(1, 1, 1, COLUMNS.length);
  const title = ws.getCell(1, 1);
  title.value = `批注清单\u3000${model.unitName}\u3000${model.caseNumber}`;
  title.font = { bold: true, size: 14 };
  title.alignment = { horizontal: 'center' };
  const header = ws.getRow(2);
  header.values = COLUMNS.map((c) => c.header);
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', horizontal: 'center' };
  header.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7EEFA' } };
    cell.border = { bottom: { style: 'thin' } };
  });
  model.annotations.forEach((a, i) => {
    const row = ws.addRow({
      n: i + 1,
      document: model.documentTitles.get(a.documentId) ?? '',
      page: a.pageIndex + 1,
      type: ANNOTATION_TYPE_LABELS[a.type],
      color: ANNOTATION_COLORS.find((c) => c.value.toLowerCase() === a.color.toLowerCase())?.label ?? a.color,
      text: a.selectedText ?? '',
      comment: a.comment ?? '',
      item: a.checklistItemId ? (model.itemLabels.get(a.checklistItemId) ?? a.checklistItemId) : '',
      author: a.authorName,
      created: local(a.createdAt),
      updated: local(a.updatedAt),
    });
    row.alignment = { vertical: 'top', wrapText: true };
    row.getCell('color').fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: `FF${a.color.slice(1).toUpperCase()}` } };
  });
  ws.autoFilter = { from: { row: 2, column: 1 }, to: { row: 2, column: COLUMNS.length } };
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
