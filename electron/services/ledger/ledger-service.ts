/**
 * 整改台账: one row per problem of every final result, tracked by the bureau to 销号 — status
 * changes (audited, with a revision so two people cannot overwrite each other), evidence files in
 * the blob store, overdue rows derived from the deadline, and the XLSX the bureau hands on. A
 * province's ledger is read a page at a time, filtered in SQL (repo.ts).
 */
import type { CampaignsService } from '../campaigns/index.js';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { loadExcel } from '../core/heavy-libs.js';
import {
  LEDGER_SOURCE_FILTER_LABELS,
  LEDGER_STATE_FILTER_LABELS,
  LEDGER_STATUSES,
  LEDGER_SOURCE_LABELS,
  deadlinePast,
  ledgerRowProblem,
  ledgerStatusText,
  type LedgerCounts,
  type LedgerEntry,
  type LedgerFilter,
  type LedgerPage,
  type LedgerPageQuery,
  type LedgerPatch,
  type LedgerRow,
  type LedgerStatus,
} from '../../../shared/ledger/ledger.js';
import { AppError } from '../../../shared/core/errors.js';
import { chineseDate } from '../../../shared/core/gbt9704.js';
import { addDays } from '../../../shared/letters/compose.js';
import { writeAudit } from '../core/audit.js';
import type { ByteTickets, Staging } from '../core/bytes.js';
import { localToday, nowIso, requireActor, type CallContext } from '../core/context.js';
import { decodeCursor, encodeCursor } from '../core/cursor.js';
import { tx, type Db } from '../core/db/database.js';
import type { Handlers } from '../core/dispatcher.js';
import type { EventHub } from '../core/event-hub.js';
import { XLSX_MIME, type ExportsService } from '../core/downloads.js';
import { safeFileName } from '../core/fs-atomic.js';
import type { CampaignFactsBuilder } from '../letters/index.js';
import type { ResultsService } from '../scoring/index.js';
import type { BlobStore } from '../core/blob-store.js';
import { wrappedRowHeight } from '../core/xlsx-layout.js';
import { ledgerPageSql, ledgerRepo, tableOf, toLedgerRow, type LedgerItemRow, type LedgerRepo } from './repo.js';

/** Default 整改时限 of new rows when the bureau does not give one. */
export const DEFAULT_DEADLINE_DAYS = 30;

/** Deadlines and 销号日期 as the bureau writes dates (2026年12月7日), Excel dates still. */
const CHINESE_DATE_FORMAT = 'yyyy"年"m"月"d"日"';

/** The 整改台账's columns in the bureau's order, with print widths (in characters of the sheet's font). */
export const LEDGER_XLSX_COLUMNS = [
  // 序号 counts the rows of this ledger (1, 2, 3 …); the 问题编号 (ZG2025-001) the screen and the
  // 意见书 use stays in its own column, on one line, so a row can be found again by it.
  { header: '序号', width: 4.5 },
  { header: '问题编号', width: 10.5 },
  { header: '被评查单位', width: 10.5 },
  // A whole 案号 on one line ("清城管罚〔2025〕8号": nine wide characters and five narrow ones).
  { header: '案号', width: 20 },
  // The evidence pages in the dossier: a column of their own, so they are read, not lost under the 案号.
  { header: '页码', width: 6 },
  { header: '问题描述', width: 20 },
  // Four characters a line (问题类别, 案卷评查, 已销号 …): a narrower column breaks them one short.
  { header: '问题类别', width: 7.5 },
  { header: '扣分', width: 5 },
  { header: '依据', width: 12 },
  { header: '整改要求', width: 11 },
  { header: '整改期限', width: 11.5 },
  // 责任人 and 核查人: a name of three or four characters on one line; several names one a line (personLines).
  { header: '责任人', width: 8 },
  { header: '整改措施', width: 10 },
  { header: '佐证材料', width: 10 },
  { header: '整改状态', width: 7.5 },
  { header: '核查人', width: 8 },
  { header: '核查意见', width: 9 },
  { header: '销号日期', width: 11.5 },
  { header: '来源', width: 7.5 },
] as const;
const columnOf = (header: (typeof LEDGER_XLSX_COLUMNS)[number]['header']): number =>
  LEDGER_XLSX_COLUMNS.findIndex((c) => c.header === header) + 1;
const STATUS_COLUMN = columnOf('整改状态');
const DATE_COLUMNS = [columnOf('整改期限'), columnOf('销号日期')];
const CENTRED_COLUMNS: readonly string[] = [
  '序号',
  '问题编号',
  '页码',
  '问题类别',
  '扣分',
  '整改期限',
  '责任人',
  '整改状态',
  '核查人',
  '销号日期',
  '来源',
];

/**
 * Names in a narrow column, one a line: "许立新、王建国" prints as two whole names, never as
 * "许立 / 新" where the cell happens to break.
 */
export function personLines(names: string): string {
  return names
    .split(/[、，,;；/／\s]+/)
    .filter(Boolean)
    .join('\n');
}

const CONTENT_TYPES: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.doc': 'application/msword',
  '.xlsx': XLSX_MIME,
  '.zip': 'application/zip',
};

export class LedgerService {
  private readonly repo: LedgerRepo;

  constructor(
    private readonly db: Db,
    private readonly facts: CampaignFactsBuilder,
    private readonly store: BlobStore,
    private readonly staging: Staging,
    private readonly tickets: ByteTickets,
    private readonly exportsService: ExportsService,
    private readonly events: EventHub,
    private readonly campaigns: Pick<CampaignsService, 'detail'>,
    /** The settled files' problems, for the count of those not yet in the ledger. */
    private readonly results: Pick<ResultsService, 'finalProblemKeys' | 'refreshStored'>,
  ) {
    this.repo = ledgerRepo(db);
  }

  /** Stored rows as the screen shows them, with their evidence read in one statement. */
  private toRows(rows: readonly LedgerItemRow[], today: string): LedgerRow[] {
    const evidence = this.repo.evidenceOf(rows.map((r) => r.id));
    return rows.map((r) => toLedgerRow(r, evidence.get(r.id) ?? [], today));
  }

  private item(rowId: string): LedgerItemRow {
    const r = this.repo.row(rowId);
    if (!r) throw new AppError('not_found', '台账条目不存在。');
    return r;
  }

  row(rowId: string): LedgerRow {
    return this.toRows([this.item(rowId)], localToday())[0]!;
  }

  /** A problem found outside the review, entered by hand; a deadline already past must be confirmed. */
  add(campaignId: string, entry: LedgerEntry, confirmPastDeadline: boolean, ctx: CallContext): LedgerRow {
    const actor = requireActor(ctx);
    const today = localToday();
    if (!this.repo.unitInCampaign(entry.unitId, campaignId))
      throw new AppError('invalid_input', '该单位不在本评查活动中。', { path: 'entry.unitId' });
    if (deadlinePast(entry.deadline, today) && !confirmPastDeadline)
      throw new AppError(
        'conflict',
        `整改期限 ${chineseDate(entry.deadline)} 早于今天（${chineseDate(today)}），该条目一加入即为逾期。确认无误请再次提交。`,
        {
          reason: 'deadline_past',
          path: 'entry.deadline',
        },
      );
    const id = randomUUID();
    const row = tx(this.db, () => {
      const now = nowIso();
      this.repo.insertManual({
        id,
        campaignId,
        unitId: entry.unitId,
        serial: this.repo.nextSerial(campaignId),
        source: entry.source,
        subject: entry.subject,
        description: entry.description,
        measure: entry.measure,
        responsible: entry.responsible,
        deadline: entry.deadline,
        createdBy: actor.id,
        at: now,
      });
      const after = this.toRows([this.item(id)], today)[0]!;
      writeAudit(this.db, {
        actorId: actor.id,
        action: 'ledger.add',
        entity: 'ledgerItem',
        entityId: id,
        campaignId,
        after: { ...after, evidence: undefined },
      });
      return after;
    });
    this.events.emit('data:changed', { entity: 'ledger', id, campaignId });
    return row;
  }

  /**
   * One page of the ledger under the filter, in 问题编号 or 整改时限 order, the next page after the
   * last row's sort values; with the count of rows beside each state and 逾期 under the other filters.
   */
  list(q: LedgerPageQuery): LedgerPage {
    const today = localToday();
    const after = q.after ? decodeCursor<'string' | 'number'>(q.after, q.sort === 'deadline' ? ['string', 'number'] : ['number']) : null;
    const sql = ledgerPageSql({ campaignId: q.campaignId, filter: q.filter, sort: q.sort, today, after, limit: q.limit + 1 });
    const { rows, counts: groups } = this.repo.page(sql);
    const more = rows.length > q.limit;
    const page = more ? rows.slice(0, q.limit) : rows;
    const last = page[page.length - 1];
    const { counts, total } = facetCounts(groups, q.filter);
    return {
      rows: this.toRows(page, today),
      total,
      counts,
      next: more && last ? encodeCursor(q.sort === 'deadline' ? [last.deadline_key, last.serial] : [last.serial]) : null,
      today,
      unsynced: this.unsynced(q.campaignId),
    };
  }

  /** Problems of the final results the ledger holds no open row for. */
  private unsynced(campaignId: string): number {
    // Only the settled files' problems count, as their stored results hold them; scoring every
    // settled file again took most of the list's time.
    if (this.results.refreshStored()) return this.repo.unsynced(campaignId);
    const held = this.repo.heldProblems(campaignId);
    return this.results.finalProblemKeys(campaignId).filter((p) => !held.has(`${p.caseId}\u0000${p.itemId}`)).length;
  }

  /** Every row under the filter, in 问题编号 order (the export). */
  private filtered(campaignId: string, filter: LedgerFilter, today: string): LedgerRow[] {
    const sql = ledgerPageSql({ campaignId, filter, sort: 'serial', today, after: null, limit: null });
    return this.toRows(this.repo.rows(sql.page, sql.params), today);
  }

  /** The filter in words, for the exported ledger's head ('' for the whole ledger). */
  private filterWords(filter: LedgerFilter): string {
    const words: string[] = [];
    if (filter.unitId) {
      const unit = this.repo.unitName(filter.unitId);
      if (unit) words.push(unit);
    }
    if (filter.source) words.push(`来源：${LEDGER_SOURCE_FILTER_LABELS[filter.source]}`);
    if (filter.state) words.push(LEDGER_STATE_FILTER_LABELS[filter.state]);
    if (filter.overdue) words.push('逾期');
    if (filter.text) words.push(`含“${filter.text}”`);
    return words.join('，');
  }

  /** Brings the ledger in line with the final results: new problems get rows, changed ones are updated, vanished ones marked. */
  sync(campaignId: string, deadline: string | undefined, ctx: CallContext): { added: number; updated: number; withdrawn: number } {
    const actor = requireActor(ctx);
    const facts = this.facts.build(campaignId);
    const finals = facts.fact.units.flatMap((u) => u.files.filter((f) => f.final));
    const due = deadline ?? addDays(localToday(), DEFAULT_DEADLINE_DAYS);
    const now = nowIso();
    const counts = { added: 0, updated: 0, withdrawn: 0 };
    tx(this.db, () => {
      const existing = new Map(this.repo.problemsOfCampaign(campaignId).map((r) => [`${r.case_id}\u0000${r.item_id}`, r]));
      let serial = this.repo.nextSerial(campaignId) - 1;
      const seen = new Set<string>();
      for (const f of finals)
        for (const p of f.problems) {
          const key = `${f.caseId}\u0000${p.itemId}`;
          seen.add(key);
          const json = JSON.stringify(p);
          const old = existing.get(key);
          if (!old) {
            // 整改要求 is the 意见书's (rectificationRequirement); 整改措施 is the unit's to write.
            this.repo.insertProblem({
              id: randomUUID(),
              campaignId,
              caseId: f.caseId,
              itemId: p.itemId,
              serial: ++serial,
              problemJson: json,
              deadline: due,
              at: now,
            });
            counts.added += 1;
          } else if (old.problem_json !== json || old.withdrawn_at) {
            this.repo.restateProblem(old.id, json, now);
            counts.updated += 1;
          }
        }
      for (const [key, old] of existing)
        if (!seen.has(key) && !old.withdrawn_at) {
          this.repo.withdraw(old.id, now);
          counts.withdrawn += 1;
        }
      writeAudit(this.db, { actorId: actor.id, action: 'ledger.sync', entity: 'ledger', entityId: campaignId, campaignId, after: counts });
    });
    this.events.emit('data:changed', { entity: 'ledger', campaignId });
    return counts;
  }

  update(rowId: string, patch: LedgerPatch, revision: number, ctx: CallContext): LedgerRow {
    const actor = requireActor(ctx);
    const today = localToday();
    const saved = tx(this.db, () => {
      const r = this.item(rowId);
      if (r.revision !== revision) throw new AppError('conflict', '该台账条目已被他人修改，请刷新后再改。');
      const before = this.toRows([r], today)[0]!;
      const next = {
        measure: patch.measure ?? r.measure,
        responsible: patch.responsible ?? r.responsible,
        deadline: patch.deadline === undefined ? r.deadline : patch.deadline,
        status: patch.status ?? r.status,
        checker: patch.checker ?? r.checker,
        checkOpinion: patch.checkOpinion ?? r.check_opinion,
        closedOn: patch.closedOn === undefined ? r.closed_on : patch.closedOn,
      };
      // 销号 is dated the day it happens unless the bureau gives the date; reopening clears it.
      if (next.status === 'closed' && !next.closedOn) next.closedOn = today;
      if (next.status !== 'closed' && patch.closedOn === undefined) next.closedOn = null;
      const problem = ledgerRowProblem(next);
      if (problem) throw new AppError('invalid_input', problem);
      this.repo.update(tableOf(r), rowId, next, nowIso());
      const after = this.toRows([this.item(rowId)], today)[0]!;
      writeAudit(this.db, {
        actorId: actor.id,
        action: before.status !== after.status ? `ledger.status.${after.status}` : 'ledger.update',
        entity: 'ledgerItem',
        entityId: rowId,
        campaignId: r.campaign_id,
        before: { ...before, evidence: undefined },
        after: { ...after, evidence: undefined },
      });
      return { after, campaignId: r.campaign_id };
    });
    this.events.emit('data:changed', { entity: 'ledger', id: rowId, campaignId: saved.campaignId });
    return saved.after;
  }

  async attach(rowId: string, sourceId: string, ctx: CallContext): Promise<LedgerRow> {
    const actor = requireActor(ctx);
    const r = this.item(rowId);
    const staged = this.staging.get(sourceId, actor.id);
    if (staged.size === 0) throw new AppError('invalid_input', `“${staged.name}”是空文件。`);
    const blob = await this.store.adoptFile(staged.file);
    await this.staging.discard(sourceId);
    const fileName = safeFileName(path.basename(staged.name), 200);
    tx(this.db, () => {
      const now = nowIso();
      const id = randomUUID();
      this.repo.addEvidence(tableOf(r), { id, rowId, sha256: blob.sha256, size: blob.size, fileName, uploadedBy: actor.id, at: now });
      writeAudit(this.db, {
        actorId: actor.id,
        action: 'ledger.evidence.add',
        entity: 'ledgerItem',
        entityId: rowId,
        campaignId: r.campaign_id,
        after: { evidenceId: id, fileName, sha256: blob.sha256 },
      });
    });
    this.events.emit('data:changed', { entity: 'ledger', id: rowId, campaignId: r.campaign_id });
    return this.row(rowId);
  }

  evidence(evidenceId: string, ctx: CallContext) {
    const actor = requireActor(ctx);
    const e = this.repo.evidenceFile(evidenceId);
    if (!e) throw new AppError('not_found', '佐证材料不存在。');
    const contentType = CONTENT_TYPES[path.extname(e.file_name).toLowerCase()] ?? 'application/octet-stream';
    const token = this.tickets.mint(
      { kind: 'download', file: this.store.pathOf(e.sha256), fileName: e.file_name, contentType },
      { userId: actor.id, clientId: ctx.clientId },
      3_600_000,
    );
    return { fileName: e.file_name, url: `/download/${token}`, bytes: e.size };
  }

  /**
   * The ledger as XLSX: one row per problem, overdue rows in red, closed rows in green. It prints as
   * a bureau files it: A4 landscape, every column on one page's width at a readable scale, the title
   * and the column heads repeated on each page, long text wrapped in its cell. The whole ledger under
   * the screen's filter (a unit's own ledger, the overdue rows), never only the page on screen.
   */
  async workbook(campaignId: string, campaignName: string, filter: LedgerFilter = {}): Promise<Uint8Array> {
    const today = localToday();
    const rows = this.filtered(campaignId, filter, today);
    const wb = new (await loadExcel()).Workbook();
    wb.creator = '案卷评查工作站';
    wb.created = new Date();
    const ws = wb.addWorksheet('整改台账', {
      pageSetup: {
        paperSize: 9,
        orientation: 'landscape',
        fitToPage: true,
        fitToWidth: 1,
        fitToHeight: 0,
        horizontalCentered: true,
        margins: { left: 0.3, right: 0.3, top: 0.5, bottom: 0.6, header: 0.3, footer: 0.3 },
        printTitlesRow: '1:3',
      },
      views: [{ state: 'frozen', ySplit: 3 }],
    });
    // The bureau's own columns (整改台账 as counties keep it), rows from the review and entered by hand
    // alike. Widths add up to what A4 landscape holds at about 80 %: narrow columns for short values,
    // the room for the problem, its basis and what is done about it.
    const columns: Array<{ header: string; width: number }> = [...LEDGER_XLSX_COLUMNS];
    ws.columns = columns.map((c) => ({ width: c.width }));
    ws.mergeCells(1, 1, 1, columns.length);
    const title = ws.getCell(1, 1);
    title.value = `${campaignName}问题整改台账`;
    title.font = { name: '黑体', size: 16, bold: true };
    title.alignment = { horizontal: 'center', vertical: 'middle' };
    ws.getRow(1).height = 30;
    ws.mergeCells(2, 1, 2, columns.length);
    const open = rows;
    const count = (s: LedgerStatus) => open.filter((r) => r.status === s).length;
    const scope = this.filterWords(filter);
    ws.getCell(2, 1).value =
      `截至${chineseDate(today)}${scope ? `（${scope}）` : ''}：共${open.length}项，待整改${count('pending')}项，整改中${count('in_progress')}项，已整改待核${count('awaiting_check')}项，已销号${count('closed')}项，逾期${open.filter((r) => r.overdue).length}项。`;
    ws.getCell(2, 1).font = { name: '仿宋_GB2312', size: 11 };
    const header = ws.getRow(3);
    columns.forEach((c, i) => {
      const cell = header.getCell(i + 1);
      cell.value = c.header;
      cell.font = { name: '黑体', size: 11, bold: true };
      cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
    });
    header.height = 24;
    const thin = { style: 'thin' as const, color: { argb: 'FF808080' } };
    const asDate = (iso: string | null): Date | string => (iso ? new Date(`${iso}T00:00:00Z`) : '');
    for (const [i, r] of open.entries()) {
      const subject = r.source === 'review' ? [r.caseNumber, r.caseTitle].filter(Boolean).join('\n') : r.caseNumber || '—';
      const basis = r.source === 'review' ? [r.basis, `评查标准第${r.itemCode}项“${r.itemText}”`].filter(Boolean).join('；') : '';
      const row = ws.addRow([
        i + 1,
        r.number,
        r.unitName,
        subject,
        r.source === 'review' ? r.pages : '',
        r.description,
        r.source === 'review' ? r.category : '',
        r.deduction,
        basis,
        r.requirement,
        asDate(r.deadline),
        personLines(r.responsible),
        r.source === 'review' ? r.measure : '',
        r.evidence.map((e) => e.fileName).join('\n'),
        // A line of its own for 逾期, so a narrow cell never breaks it as "待整改（ / 逾期）".
        ledgerStatusText(r, '\n'),
        personLines(r.checker),
        r.checkOpinion,
        asDate(r.closedOn),
        LEDGER_SOURCE_LABELS[r.source],
      ]);
      row.eachCell({ includeEmpty: true }, (cell, col) => {
        cell.font = {
          name: '仿宋_GB2312',
          size: 11,
          ...(r.overdue ? { color: { argb: 'FF9C0006' }, bold: col === STATUS_COLUMN } : {}),
        };
        cell.alignment = {
          vertical: 'top',
          wrapText: true,
          horizontal: CENTRED_COLUMNS.includes(LEDGER_XLSX_COLUMNS[col - 1]!.header) ? 'center' : 'left',
        };
        cell.border = { top: thin, bottom: thin, left: thin, right: thin };
        if (r.overdue) cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } };
        else if (r.status === 'closed') cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE2EFDA' } };
      });
      // Explicit heights: spreadsheet programs do not all grow rows to fit wrapped text on open.
      row.height = wrappedRowHeight(
        row.values as unknown[],
        columns.map((c) => c.width),
      );
      for (const c of DATE_COLUMNS) row.getCell(c).numFmt = CHINESE_DATE_FORMAT;
    }
    ws.autoFilter = { from: { row: 3, column: 1 }, to: { row: 3, column: columns.length } };
    ws.headerFooter.oddFooter = '第 &P 页，共 &N 页';
    return new Uint8Array(await wb.xlsx.writeBuffer());
  }

  handlers(): Pick<
    Handlers,
    'ledger:list' | 'ledger:sync' | 'ledger:add' | 'ledger:update' | 'ledger:attach' | 'ledger:evidence' | 'ledger:export'
  > {
    return {
      'ledger:list': (input) => this.list(input),
      'ledger:sync': ({ campaignId, deadline }, ctx) => this.sync(campaignId, deadline, ctx),
      'ledger:add': ({ campaignId, entry, confirmPastDeadline }, ctx) => this.add(campaignId, entry, confirmPastDeadline, ctx),
      'ledger:update': ({ rowId, patch, revision }, ctx) => this.update(rowId, patch, revision, ctx),
      'ledger:attach': ({ rowId, sourceId }, ctx) => this.attach(rowId, sourceId, ctx),
      'ledger:evidence': ({ evidenceId }, ctx) => this.evidence(evidenceId, ctx),
      'ledger:export': async ({ campaignId, filter }, ctx) => {
        const name = this.campaigns.detail(campaignId).name;
        const bytes = await this.workbook(campaignId, name, filter);
        const out = await this.exportsService.register('ledger', safeFileName(`整改台账-${name}.xlsx`), bytes, XLSX_MIME, ctx, campaignId);
        return { fileName: out.fileName, url: out.url, bytes: out.bytes };
      },
    };
  }
}

/**
 * The rows of each state and 逾期 from the counts grouped by state and overdue: each state under the
 * 逾期 filter when chosen, 逾期 under the state when chosen, and the page's total under both.
 */
export function facetCounts(
  groups: ReadonlyArray<{ k: string; o: number; n: number }>,
  filter: Pick<LedgerFilter, 'state' | 'overdue'>,
): { counts: LedgerCounts; total: number } {
  const sum = (keep: (g: { k: string; o: number }) => boolean) => groups.filter(keep).reduce((a, g) => a + g.n, 0);
  const inState = (k: string) => (filter.state ? k === filter.state : k !== 'withdrawn');
  const inOverdue = (o: number) => !filter.overdue || o === 1;
  const counts: LedgerCounts = {
    all: sum((g) => g.k !== 'withdrawn' && inOverdue(g.o)),
    pending: 0,
    in_progress: 0,
    awaiting_check: 0,
    closed: 0,
    withdrawn: sum((g) => g.k === 'withdrawn' && inOverdue(g.o)),
    overdue: sum((g) => g.o === 1 && inState(g.k)),
  };
  for (const s of LEDGER_STATUSES) counts[s] = sum((g) => g.k === s && inOverdue(g.o));
  return { counts, total: sum((g) => inState(g.k) && inOverdue(g.o)) };
}
