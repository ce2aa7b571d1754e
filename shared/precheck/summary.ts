/**
 * The campaign's pre-check figures in words, the same on the 智能预审 card and in the XLSX's title
 * line: how many files were checked over every page, the findings, the scans still unread, the listed cases without a file (缺卷), and how
 * reviewers handled the findings.
 */
import type { PrecheckSummary } from './channels.js';

export function precheckSummaryParts(s: PrecheckSummary): string[] {
  const parts = [`已完整预审 ${s.complete} / ${s.files} 卷`, `${s.findings} 条提示`];
  // A file with unread scans is checked over the pages read; what rests on the whole file waits.
  if (s.partial) parts.push(`另有 ${s.partial} 卷 ${s.pagesUnread} 页扫描件未识别`);
  // A listed case whose PDF never came has nothing to check: it is no file of the count above.
  if (s.missing) parts.push(`缺卷 ${s.missing} 件（无案卷文件，未预审）`);
  if (s.findings) parts.push(`采纳 ${s.taken} 人次、不采纳 ${s.rejected} 人次，未处理 ${s.open} 条`);
  return parts;
}
