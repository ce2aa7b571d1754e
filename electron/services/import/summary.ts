/** An import batch's record read back as a summary, and the same summary as an XLSX workbook. */
import ExcelJS from 'exceljs';
import { outcomeLabel, type ImportItem, type ImportSummary } from '../../../shared/import/api.js';
import { AppError } from '../../../shared/core/errors.js';
import type { Db } from '../core/db/database.js';

interface BatchRow {
  id: string;
  campaign_id: string;
  status: ImportSummary['status'];
  list_name: string;
  started_at: string;
  finished_at: string | null;
}

interface ItemRow {
  seq: number;
  kind: 'file' | 'row';
  path: string;
  outcome: ImportItem['outcome'];
  code: string;
  message: string;
  case_id: string | null;
  case_number: string;
  size: number | null;
  page_count: number | null;
  has_text: number | null;
  ms: number | null;
}

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const toItem = (r: ItemRow): ImportItem => ({
  seq: r.seq,
  kind: r.kind,
  path: r.path,
  outcome: r.outcome,
  code: r.code,
  message: r.message,
  caseId: r.case_id,
  caseNumber: r.case_number,
  size: r.size,
  pageCount: r.page_count,
  hasText: r.has_text === null ? null : r.has_text === 1,
  ms: r.ms,
});

export function batchSummary(db: Db, batchId: string, withItems = true): ImportSummary {
  const batch = db.prepare('SELECT * FROM import_batches WHERE id = ?').get(batchId) as BatchRow | undefined;
  if (!batch) throw new AppError('not_found', '导入记录不存在。');
  const items = (db.prepare('SELECT * FROM import_items WHERE batch_id = ? ORDER BY seq').all(batchId) as ItemRow[]).map(toItem);
  const files = items.filter((i) => i.kind === 'file');
  const imported = files.filter((i) => i.outcome === 'imported');
  const reasonCounts = new Map<string, number>();
  for (const i of items)
    if (i.outcome === 'rejected' || i.outcome === 'duplicate') reasonCounts.set(i.code, (reasonCounts.get(i.code) ?? 0) + 1);
  return {
    batchId: batch.id,
    campaignId: batch.campaign_id,
    status: batch.status,
    startedAt: batch.started_at,
    finishedAt: batch.finished_at,
    listName: batch.list_name,
    counts: {
      casesCreated: items.filter((i) => i.kind === 'row' && i.outcome === 'created').length,
      casesExisting: items.filter((i) => i.kind === 'row' && (i.outcome === 'merged' || i.outcome === 'unchanged')).length,
      documents: imported.length,
      pages: imported.reduce((n, i) => n + (i.pageCount ?? 0), 0),
      bytes: imported.reduce((n, i) => n + (i.size ?? 0), 0),
      scans: imported.filter((i) => i.hasText === false).length,
      duplicates: items.filter((i) => i.outcome === 'duplicate').length,
      rejected: items.filter((i) => i.outcome === 'rejected').length,
    },
    reasons: [...reasonCounts].map(([code, count]) => ({ code, label: outcomeLabel(code), count })).sort((a, b) => b.count - a.count),
    items: withItems ? items : [],
  };
}

const OUTCOME_LABELS: Record<ImportItem['outcome'], string> = {
  imported: '已导入',
  duplicate: '重复',
  rejected: '未导入',
  created: '新登记',
  merged: '已有案件（补充信息）',
  unchanged: '已有案件',
};

/** 汇总 (counts and reasons) and 明细 (one row per file and list row), ready to print on A4 landscape. */
export async function summaryWorkbook(summary: ImportSummary, campaignName: string): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '案卷评查工作站';
  const head = { bold: true, name: '宋体', size: 12 };
  const overview = wb.addWorksheet('汇总', { pageSetup: { paperSize: 9, orientation: 'portrait' } });
  overview.columns = [{ width: 28 }, { width: 18 }];
  overview.addRow([`${campaignName} · 案卷导入汇总`]).font = { bold: true, size: 14 };
  overview.addRow([`导入时间：${summary.startedAt.slice(0, 19).replace('T', ' ')}`]);
  if (summary.listName) overview.addRow([`案件清单：${summary.listName}`]);
  overview.addRow([]);
  const c = summary.counts;
  const rows: Array<[string, number | string]> = [
    ['新登记案件（件）', c.casesCreated],
    ['已有案件（件）', c.casesExisting],
    ['导入文件（个）', c.documents],
    ['其中扫描件（无文字层）', c.scans],
    ['总页数', c.pages],
    ['总大小（MB）', Number((c.bytes / 1024 ** 2).toFixed(1))],
    ['重复（个）', c.duplicates],
    ['未导入（个）', c.rejected],
  ];
  overview.addRow(['项目', '数量']).font = head;
  for (const r of rows) overview.addRow(r);
  overview.addRow([]);
  overview.addRow(['原因', '数量']).font = head;
  for (const r of summary.reasons) overview.addRow([r.label, r.count]);

  const detail = wb.addWorksheet('明细', {
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  detail.columns = [
    { header: '序号', width: 7 },
    { header: '类别', width: 8 },
    { header: '文件 / 清单行', width: 48 },
    { header: '结果', width: 16 },
    { header: '原因', width: 18 },
    { header: '说明', width: 56 },
    { header: '案号', width: 26 },
    { header: '页数', width: 7 },
    { header: '大小（MB）', width: 11 },
    { header: '文字层', width: 8 },
  ];
  detail.getRow(1).font = head;
  summary.items.forEach((i, n) => {
    detail.addRow([
      n + 1,
      i.kind === 'file' ? '文件' : '清单行',
      i.path,
      OUTCOME_LABELS[i.outcome],
      i.outcome === 'rejected' || i.outcome === 'duplicate' ? outcomeLabel(i.code) : '',
      i.message,
      i.caseNumber,
      i.pageCount ?? '',
      i.size === null ? '' : Number((i.size / 1024 ** 2).toFixed(2)),
      i.hasText === null ? '' : i.hasText ? '有' : '无',
    ]);
  });
  detail.autoFilter = { from: 'A1', to: 'J1' };
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
