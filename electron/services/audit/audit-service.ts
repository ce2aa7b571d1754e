/**
 * The 留痕 screen's back end: the audit trail read newest first a page at a time (keyset on time and
 * id, so a page deep in a million-row trail costs the same as the first), exported to XLSX, and checked link by link.
 */
import { loadExcel } from '../core/heavy-libs.js';
import { z } from 'zod';
import type { ChannelOutput } from '../../../shared/contract/index.js';
import type { AuditNames } from '../../../shared/audit/describe.js';
import { AUDIT_PAGE_MAX, type AuditCursor, type AuditFilter, type AuditRow } from '../../../shared/audit/channels.js';
import { describeAudit } from '../../../shared/audit/describe.js';
import { auditActionLabel, auditEntityLabel, auditSegmentLabel, localDateTime } from '../../../shared/audit/labels.js';
import { AppError } from '../../../shared/core/errors.js';
import { checkAuditChainYielding } from '../core/audit.js';
import type { CallContext } from '../core/context.js';
import { localToday } from '../core/context.js';
import type { Db } from '../core/db/database.js';
import type { Handlers } from '../core/dispatcher.js';
import type { ExportsService } from '../core/downloads.js';
import { safeFileName } from '../core/fs-atomic.js';
import { AuditNameBook } from './audit-names.js';
import { auditRepo, type AuditRepo, type DbRow } from './repo.js';

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** An export larger than this is refused with a request to narrow the filters (the file is built in memory). */
export const AUDIT_EXPORT_MAX = 100_000;

const describe = (r: DbRow, names: AuditNames) =>
  describeAudit(
    {
      action: r.action,
      entity: r.entity,
      entityId: r.entity_id,
      actorId: r.actor_id,
      actorName: r.actor_name,
      segment: r.segment,
      before: r.before_json,
      after: r.after_json,
    },
    names,
  );

const toRow = (r: DbRow, names: AuditNames): AuditRow => ({
  id: r.id,
  at: r.at,
  actorId: r.actor_id,
  actorName: r.actor_name,
  action: r.action,
  entity: r.entity,
  entityId: r.entity_id,
  campaignId: r.campaign_id,
  campaignName: r.campaign_name,
  before: r.before_json,
  after: r.after_json,
  segment: r.segment,
  ...describe(r, names),
});

/** Saves of one item's reason closer together than this are one act of writing it. */
export const REASON_TYPING_WINDOW_MS = 2 * 60_000;

/** What a `sheet.answer` row keeps of the change; the trail is free-form, so it is checked as read. */
const AnswerChangeSchema = z.object({
  itemId: z.unknown().optional(),
  answer: z
    .object({ status: z.unknown().optional(), deduction: z.unknown().optional(), occurrences: z.unknown().optional() })
    .nullish()
    .catch(null),
});
type AnswerChange = z.infer<typeof AnswerChangeSchema>;
const parse = (json: string | null): AnswerChange | null => {
  if (!json) return null;
  try {
    const change = AnswerChangeSchema.safeParse(JSON.parse(json));
    return change.success ? change.data : null;
  } catch {
    return null;
  }
};
/** Same score (status, deduction, occurrences): the change only touched the reason, place or evidence. */
const sameScore = (a: AnswerChange['answer'], b: AnswerChange['answer']): boolean =>
  !!a && !!b && a.status === b.status && a.deduction === b.deduction && a.occurrences === b.occurrences;

/**
 * The sheet autosaves while the reviewer types a reason, so the trail keeps every partial text
 * ("“c”", "“c未”"…). The chain keeps them all; the 留痕 shows one entry per reason written in one go:
 * consecutive saves of the same item by the same person, each only editing the text of the one
 * before and close in time, read as one change from the first row's before to the last row's after.
 * Rows are newest first.
 */
export function coalesceReasonTyping(rows: DbRow[]): DbRow[] {
  const out: DbRow[] = [];
  for (const r of rows) {
    const newer = out[out.length - 1];
    if (newer && r.action === 'sheet.answer' && newer.action === 'sheet.answer' && newer.entity_id === r.entity_id) {
      const n = parse(newer.before_json);
      const o = parse(r.after_json);
      const gap = Date.parse(newer.at) - Date.parse(r.at);
      if (
        newer.actor_id === r.actor_id &&
        newer.segment === r.segment &&
        n?.itemId !== undefined &&
        n.itemId === o?.itemId &&
        sameScore(n.answer, parse(newer.after_json)?.answer) &&
        gap >= 0 &&
        gap <= REASON_TYPING_WINDOW_MS
      ) {
        out[out.length - 1] = { ...newer, before_json: r.before_json };
        continue;
      }
    }
    out.push(r);
  }
  return out;
}

export class AuditService {
  private readonly repo: AuditRepo;

  constructor(
    private readonly db: Db,
    private readonly exportsService: ExportsService,
  ) {
    this.repo = auditRepo(db);
  }

  list(filter: AuditFilter & { before?: AuditCursor; limit?: number }): ChannelOutput<'audit:list'> {
    const limit = Math.min(filter.limit ?? 50, AUDIT_PAGE_MAX);
    const rows = this.repo.newestFirst(filter, limit + 1, filter.before);
    const more = rows.length > limit;
    const kept = rows.slice(0, limit);
    const shown = coalesceReasonTyping(kept);
    const names = new AuditNameBook(this.db).names(shown);
    const page = shown.map((r) => toRow(r, names));
    // The next page starts below the oldest row read, merged into an entry or not.
    const last = kept[kept.length - 1];
    return { rows: page, nextBefore: more && last ? { at: last.at, id: last.id } : null };
  }

  filters(): ChannelOutput<'audit:filters'> {
    return {
      actors: this.repo.actors(),
      campaigns: this.repo.campaigns(),
    };
  }

  async export(filter: AuditFilter, ctx: CallContext): Promise<ChannelOutput<'audit:export'>> {
    const rows = coalesceReasonTyping(this.repo.newestFirst(filter, AUDIT_EXPORT_MAX + 1));
    if (rows.length > AUDIT_EXPORT_MAX)
      throw new AppError(
        'too_large',
        `符合条件的留痕超过 ${AUDIT_EXPORT_MAX.toLocaleString('zh-CN')} 条，请缩小筛选范围（人员、活动或日期）后再导出。`,
      );
    const wb = new (await loadExcel()).Workbook();
    const ws = wb.addWorksheet('留痕');
    ws.columns = [
      { header: '序号', key: 'id', width: 10 },
      { header: '时间', key: 'at', width: 20 },
      { header: '操作人', key: 'actor', width: 14 },
      { header: '操作', key: 'action', width: 18 },
      { header: '经过', key: 'sentence', width: 60 },
      { header: '详情', key: 'details', width: 60 },
      { header: '对象', key: 'entity', width: 12 },
      { header: '评查活动', key: 'campaign', width: 28 },
      { header: '来源', key: 'segment', width: 14 },
    ];
    ws.getRow(1).font = { bold: true };
    ws.views = [{ state: 'frozen', ySplit: 1 }];
    const book = new AuditNameBook(this.db);
    const PART = 2000;
    for (let i = 0; i < rows.length; i += PART) {
      const part = rows.slice(i, i + PART);
      const names = book.names(part);
      for (const r of part) {
        const said = describe(r, names);
        const row = ws.addRow({
          id: r.id,
          at: localDateTime(r.at),
          actor: r.actor_name ?? (r.actor_id ? '已删除的账号' : '系统'),
          action: auditActionLabel(r.action),
          sentence: said.sentence,
          details: said.details.join('\n'),
          entity: auditEntityLabel(r.entity),
          campaign: r.campaign_name ?? '',
          segment: auditSegmentLabel(r.segment),
        });
        row.getCell('details').alignment = { wrapText: true, vertical: 'top' };
        row.getCell('sentence').alignment = { wrapText: true, vertical: 'top' };
      }
    }
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    const out = await this.exportsService.register('audit', safeFileName(`留痕-${localToday()}.xlsx`), bytes, XLSX_MIME, ctx);
    return { fileName: out.fileName, url: out.url, bytes: out.bytes };
  }

  handlers(): Pick<Handlers, 'audit:list' | 'audit:filters' | 'audit:verify' | 'audit:export'> {
    return {
      'audit:list': (input) => this.list(input),
      'audit:filters': () => this.filters(),
      'audit:verify': () => checkAuditChainYielding(this.db),
      'audit:export': (input, ctx) => this.export(input, ctx),
    };
  }
}
