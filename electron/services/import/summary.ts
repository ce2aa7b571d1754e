/** An import batch's record read back as a summary, and the same summary as an XLSX workbook. */
import { loadExcel } from '../core/heavy-libs.js';
import { outcomeLabel, type ImportItem, type ImportSummary } from '../../../shared/import/api.js';
import { AppError } from '../../../shared/core/errors.js';
import type { ImportRepo } from './repo.js';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function batchSummary(repo: ImportRepo, batchId: string, withItems = true): ImportSummary {
  const batch = repo.batch(batchId);
  if (!batch) throw new AppError('not_found', '导入记录不存在。');
  const items = repo.items(batchId);
  const files = items.filter((i) => i.kind === 'file');
  const imported = files.filter((i) => i.outcome === 'imported');
  const reasonCounts = new Map<string, number>();
  for (const i of items)
    if (i.outcome === 'rejected' || i.outcome === 'duplicate') reasonCounts.set(i.code, (reasonCounts.get(i.code) ?? 0) + 1);
  return {
    batchId: batch.id,
    campaignId: batch.campaignId,
    status: batch.status,
    startedAt: batch.startedAt,
    finishedAt: batch.finishedAt,
    listName: batch.listName,
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
  const wb = new (await loadExcel()).Workbook();
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
