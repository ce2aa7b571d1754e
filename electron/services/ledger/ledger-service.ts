/**
 * 整改台账: one row per problem of every final result, tracked by the bureau to 销号 — status
 * changes (audited, with a revision so two people cannot overwrite each other), evidence files in
 * the blob store, overdue rows derived from the deadline, and the XLSX the bureau hands on.
 */
import type { CampaignsService } from '../campaigns/index.js';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { ChannelOutput } from '../../../shared/contract/index.js';
import {
  LEDGER_STATUS_LABELS,
  displayStatus,
  ledgerRowProblem,
  problemNumber,
  type LedgerPatch,
  type LedgerRow,
  type LedgerStatus,
} from '../../../shared/ledger/ledger.js';
import { AppError } from '../../../shared/core/errors.js';
import { chineseDate } from '../../../shared/core/gbt9704.js';
import { addDays } from '../../../shared/letters/compose.js';
import { deductionText, problemWhere, ProblemFactSchema, rectificationRequirement } from '../../../shared/letters/facts.js';
import { asSentence } from '../../../shared/scoring/settled-reason.js';
import { LEDGER_SOURCE_LABELS, deadlinePast, type LedgerEntry, type LedgerSource } from '../../../shared/ledger/ledger.js';
import { writeAudit } from '../core/audit.js';
import type { ByteTickets, Staging } from '../core/bytes.js';
import { localToday, nowIso, requireActor, type CallContext } from '../core/context.js';
import { tx, type Db } from '../core/db/database.js';
import type { Handlers } from '../core/dispatcher.js';
import type { EventHub } from '../core/event-hub.js';
import type { ExportsService } from '../core/downloads.js';
import { safeFileName } from '../core/fs-atomic.js';
import type { CampaignFactsBuilder } from '../letters/index.js';
import type { ResultsService } from '../scoring/index.js';
import type { BlobStore } from '../core/blob-store.js';
import { wrappedRowHeight } from '../core/xlsx-layout.js';
import { parseJsonColumn } from '../core/db/json-column.js';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** Default 整改时限 of new rows when the bureau does not give one. */
export const DEFAULT_DEADLINE_DAYS = 30;

interface ItemRow {
  id: string;
  campaign_id: string;
  case_id: string;
  item_id: string;
  serial: number;
  problem_json: string;
  measure: string;
  responsible: string;
  deadline: string | null;
  status: LedgerStatus;
  checker: string;
  check_opinion: string;
  closed_on: string | null;
  withdrawn_at: string | null;
  revision: number;
  unit_id: string;
  unit_name: string;
  case_number: string;
  case_title: string;
  year: number;
}

/** Deadlines and 销号日期 as the bureau writes dates (2026年12月7日), Excel dates still. */
const CHINESE_DATE_FORMAT = 'yyyy"年"m"月"d"日"';

/** The 整改台账's columns in the bureau's order, with print widths (in characters of the sheet's font). */
export const LEDGER_XLSX_COLUMNS = [
  { header: '序号', width: 9.5 },
  { header: '被评查单位', width: 11 },
  // A whole 案号 on one line ("清城管罚〔2025〕8号": nine wide characters and five narrow ones).
  { header: '案号', width: 20 },
  // The evidence pages in the dossier: a column of their own, so they are read, not lost under the 案号.
  { header: '页码', width: 6 },
  { header: '问题描述', width: 22 },
  // Four characters a line (问题类别, 案卷评查, 已销号 …): a narrower column breaks them one short.
  { header: '问题类别', width: 7.5 },
  { header: '扣分', width: 5 },
  { header: '依据', width: 15 },
  { header: '整改要求', width: 12 },
  { header: '整改期限', width: 12 },
  { header: '责任人', width: 6 },
  { header: '整改措施', width: 11 },
  { header: '佐证材料', width: 10 },
  { header: '整改状态', width: 7.5 },
  { header: '核查人', width: 6 },
  { header: '核查意见', width: 9 },
  { header: '销号日期', width: 12 },
  { header: '来源', width: 7.5 },
] as const;
const columnOf = (header: (typeof LEDGER_XLSX_COLUMNS)[number]['header']): number =>
  LEDGER_XLSX_COLUMNS.findIndex((c) => c.header === header) + 1;
const STATUS_COLUMN = columnOf('整改状态');
const DATE_COLUMNS = [columnOf('整改期限'), columnOf('销号日期')];
const CENTRED_COLUMNS: readonly string[] = [
  '序号',
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

const ROW_SELECT = `SELECT li.*, c.unit_id, u.name AS unit_name, c.case_number, c.title AS case_title, k.year
  FROM ledger_items li JOIN cases c ON c.id = li.case_id JOIN units u ON u.id = c.unit_id JOIN campaigns k ON k.id = li.campaign_id`;

/** Rows entered by hand, in the columns of ROW_SELECT (a unit and a matter instead of a scored file). */
const MANUAL_SELECT = `SELECT m.*, m.subject AS case_number, '' AS case_title, '' AS case_id, '' AS item_id, NULL AS problem_json, NULL AS withdrawn_at,
  u.name AS unit_name, k.year FROM ledger_manual_items m JOIN units u ON u.id = m.unit_id JOIN campaigns k ON k.id = m.campaign_id`;

interface ManualRow extends Omit<ItemRow, 'problem_json'> {
  problem_json: null;
  source: Exclude<LedgerSource, 'review'>;
  description: string;
}

/** The tables a row and its evidence live in: the review's own rows, or those entered by hand. */
const TABLES = {
  review: { items: 'ledger_items', evidence: 'ledger_evidence', fk: 'ledger_item_id' },
  manual: { items: 'ledger_manual_items', evidence: 'ledger_manual_evidence', fk: 'manual_item_id' },
} as const;

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
  ) {}

  private toRow(r: ItemRow | ManualRow, today: string): LedgerRow {
    const t = r.problem_json === null ? TABLES.manual : TABLES.review;
    const evidence = this.db
      .prepare(
        `SELECT e.id, e.file_name, b.size, coalesce(u.display_name, '') AS uploaded_by, e.uploaded_at FROM ${t.evidence} e
         JOIN blobs b ON b.sha256 = e.sha256 LEFT JOIN users u ON u.id = e.uploaded_by WHERE e.${t.fk} = ? ORDER BY e.uploaded_at`,
      )
      .all(r.id) as Array<{ id: string; file_name: string; size: number; uploaded_by: string; uploaded_at: string }>;
    const common = {
      id: r.id,
      number: problemNumber(r.year, r.serial),
      unitId: r.unit_id,
      unitName: r.unit_name,
      measure: r.measure,
      responsible: r.responsible,
      deadline: r.deadline,
      status: r.status,
      displayStatus: displayStatus({ status: r.status, deadline: r.deadline }, today),
      checker: r.checker,
      checkOpinion: r.check_opinion,
      closedOn: r.closed_on,
      evidence: evidence.map((e) => ({
        id: e.id,
        fileName: e.file_name,
        size: e.size,
        uploadedBy: e.uploaded_by,
        uploadedAt: e.uploaded_at,
      })),
      revision: r.revision,
    };
    if (r.problem_json === null)
      return {
        ...common,
        caseId: '',
        caseNumber: r.case_number,
        caseTitle: '',
        pages: '',
        description: r.description,
        category: LEDGER_SOURCE_LABELS[r.source],
        itemCode: '',
        itemText: '',
        deduction: '',
        basis: '',
        requirement: r.measure,
        withdrawn: false,
        source: r.source,
      };
    const p = parseJsonColumn(ProblemFactSchema, r.problem_json, `整改台账第 ${r.serial} 号问题`);
    return {
      id: r.id,
      number: problemNumber(r.year, r.serial),
      unitId: r.unit_id,
      unitName: r.unit_name,
      caseId: r.case_id,
      caseNumber: r.case_number,
      caseTitle: r.case_title,
      pages: problemWhere(p),
      description: asSentence(p.comment || p.itemText),
      category: p.category,
      itemCode: p.itemCode,
      itemText: p.itemText,
      deduction: p.veto ? '否决' : deductionText(p).replace(/^扣|分$/g, ''),
      basis: p.basis,
      requirement: asSentence(rectificationRequirement(p)),
      measure: r.measure,
      responsible: r.responsible,
      deadline: r.deadline,
      status: r.status,
      displayStatus: displayStatus({ status: r.status, deadline: r.deadline }, today),
      checker: r.checker,
      checkOpinion: r.check_opinion,
      closedOn: r.closed_on,
      evidence: evidence.map((e) => ({
        id: e.id,
        fileName: e.file_name,
        size: e.size,
        uploadedBy: e.uploaded_by,
        uploadedAt: e.uploaded_at,
      })),
      revision: r.revision,
      withdrawn: r.withdrawn_at !== null,
      source: 'review',
    };
  }

  private item(rowId: string): ItemRow | ManualRow {
    const r = (this.db.prepare(`${ROW_SELECT} WHERE li.id = ?`).get(rowId) ??
      this.db.prepare(`${MANUAL_SELECT} WHERE m.id = ?`).get(rowId)) as ItemRow | ManualRow | undefined;
    if (!r) throw new AppError('not_found', '台账条目不存在。');
    return r;
  }

  /** The next 问题编号 of the campaign: one sequence for rows from the review and rows entered by hand. */
  private nextSerial(campaignId: string): number {
    return (
      (
        this.db
          .prepare(
            'SELECT max(coalesce((SELECT max(serial) FROM ledger_items WHERE campaign_id = @c), 0), coalesce((SELECT max(serial) FROM ledger_manual_items WHERE campaign_id = @c), 0)) AS n',
          )
          .get({ c: campaignId }) as { n: number }
      ).n + 1
    );
  }

  /** A problem found outside the review, entered by hand; a deadline already past must be confirmed. */
  add(campaignId: string, entry: LedgerEntry, confirmPastDeadline: boolean, ctx: CallContext): LedgerRow {
    const actor = requireActor(ctx);
    const today = localToday();
    const unit = this.db.prepare('SELECT id FROM units WHERE id = ? AND campaign_id = ?').get(entry.unitId, campaignId);
    if (!unit) throw new AppError('invalid_input', '该单位不在本评查活动中。', { path: 'entry.unitId' });
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
      this.db
        .prepare(
          `INSERT INTO ledger_manual_items (id, campaign_id, unit_id, serial, source, subject, description, measure, responsible, deadline, created_by, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id,
          campaignId,
          entry.unitId,
          this.nextSerial(campaignId),
          entry.source,
          entry.subject,
          entry.description,
          entry.measure,
          entry.responsible,
          entry.deadline,
          actor.id,
          now,
          now,
        );
      const after = this.toRow(this.item(id), today);
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

  row(rowId: string): LedgerRow {
    return this.toRow(this.item(rowId), localToday());
  }

  list(campaignId: string): ChannelOutput<'ledger:list'> {
    const today = localToday();
    const raw = this.db.prepare(`${ROW_SELECT} WHERE li.campaign_id = ? ORDER BY li.serial`).all(campaignId) as ItemRow[];
    const manual = this.db.prepare(`${MANUAL_SELECT} WHERE m.campaign_id = ?`).all(campaignId) as ManualRow[];
    const rows = [...raw, ...manual].sort((a, b) => a.serial - b.serial).map((r) => this.toRow(r, today));
    const have = new Set(raw.filter((r) => !r.withdrawn_at).map((r) => `${r.case_id}\u0000${r.item_id}`));
    // Only the settled files' problems count, as their stored results hold them (written by the
    // review service with the shared scoring rules); scoring every settled file again took most of the list's time.
    const unsynced = this.results.refreshStored()
      ? (
          this.db
            .prepare(
              `SELECT count(*) AS n FROM case_summaries s, json_each(s.problems_json) p
               WHERE s.campaign_id = ? AND s.state = 'final' AND NOT EXISTS (
                 SELECT 1 FROM ledger_items li WHERE li.case_id = s.case_id AND li.item_id = p.value ->> '$.itemId' AND li.withdrawn_at IS NULL)`,
            )
            .get(campaignId) as { n: number }
        ).n
      : this.results.finalProblemKeys(campaignId).filter((p) => !have.has(`${p.caseId}\u0000${p.itemId}`)).length;
    return { rows, today, unsynced };
  }

  /** Brings the ledger in line with the final results: new problems get rows, changed ones are updated, vanished ones marked. */
  sync(campaignId: string, deadline: string | undefined, ctx: CallContext): ChannelOutput<'ledger:sync'> {
    const actor = requireActor(ctx);
    const facts = this.facts.build(campaignId);
    const finals = facts.fact.units.flatMap((u) => u.files.filter((f) => f.final));
    const due = deadline ?? addDays(localToday(), DEFAULT_DEADLINE_DAYS);
    const now = nowIso();
    const counts = { added: 0, updated: 0, withdrawn: 0 };
    tx(this.db, () => {
      const existing = new Map(
        (
          this.db
            .prepare('SELECT id, case_id, item_id, problem_json, withdrawn_at FROM ledger_items WHERE campaign_id = ?')
            .all(campaignId) as Array<{
            id: string;
            case_id: string;
            item_id: string;
            problem_json: string;
            withdrawn_at: string | null;
          }>
        ).map((r) => [`${r.case_id}\u0000${r.item_id}`, r]),
      );
      let serial = this.nextSerial(campaignId) - 1;
      const seen = new Set<string>();
      const insert = this.db.prepare(
        `INSERT INTO ledger_items (id, campaign_id, case_id, item_id, serial, problem_json, measure, deadline, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const f of finals)
        for (const p of f.problems) {
          const key = `${f.caseId}\u0000${p.itemId}`;
          seen.add(key);
          const json = JSON.stringify(p);
          const old = existing.get(key);
          if (!old) {
            // 整改要求 is the 意见书's (rectificationRequirement); 整改措施 is the unit's to write.
            insert.run(randomUUID(), campaignId, f.caseId, p.itemId, ++serial, json, '', due, now, now);
            counts.added += 1;
          } else if (old.problem_json !== json || old.withdrawn_at) {
            this.db
              .prepare(
                'UPDATE ledger_items SET problem_json = ?, withdrawn_at = NULL, revision = revision + 1, updated_at = ? WHERE id = ?',
              )
              .run(json, now, old.id);
            counts.updated += 1;
          }
        }
      for (const [key, old] of existing)
        if (!seen.has(key) && !old.withdrawn_at) {
          this.db
            .prepare('UPDATE ledger_items SET withdrawn_at = ?, revision = revision + 1, updated_at = ? WHERE id = ?')
            .run(now, now, old.id);
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
      const before = this.toRow(r, today);
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
      this.db
        .prepare(
          `UPDATE ${r.problem_json === null ? TABLES.manual.items : TABLES.review.items} SET measure = ?, responsible = ?, deadline = ?, status = ?, checker = ?, check_opinion = ?, closed_on = ?,
           revision = revision + 1, updated_at = ? WHERE id = ?`,
        )
        .run(next.measure, next.responsible, next.deadline, next.status, next.checker, next.checkOpinion, next.closedOn, nowIso(), rowId);
      const after = this.toRow(this.item(rowId), today);
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
      this.db.prepare('INSERT OR IGNORE INTO blobs (sha256, size, created_at) VALUES (?, ?, ?)').run(blob.sha256, blob.size, now);
      const id = randomUUID();
      const t = r.problem_json === null ? TABLES.manual : TABLES.review;
      this.db
        .prepare(`INSERT INTO ${t.evidence} (id, ${t.fk}, sha256, file_name, uploaded_by, uploaded_at) VALUES (?, ?, ?, ?, ?, ?)`)
        .run(id, rowId, blob.sha256, fileName, actor.id, now);
      this.db.prepare(`UPDATE ${t.items} SET revision = revision + 1, updated_at = ? WHERE id = ?`).run(now, rowId);
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
    const e = this.db
      .prepare(
        `SELECT e.sha256, e.file_name, b.size FROM ledger_evidence e JOIN blobs b ON b.sha256 = e.sha256 WHERE e.id = @id
         UNION ALL SELECT e.sha256, e.file_name, b.size FROM ledger_manual_evidence e JOIN blobs b ON b.sha256 = e.sha256 WHERE e.id = @id`,
      )
      .get({ id: evidenceId }) as { sha256: string; file_name: string; size: number } | undefined;
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
   * and the column heads repeated on each page, long text wrapped in its cell.
   */
  async workbook(campaignId: string, campaignName: string): Promise<Uint8Array> {
    const { rows, today } = this.list(campaignId);
    const wb = new ExcelJS.Workbook();
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
    const open = rows.filter((r) => !r.withdrawn);
    const count = (s: string) => open.filter((r) => r.displayStatus === s).length;
    ws.getCell(2, 1).value =
      `截至${chineseDate(today)}：共${open.length}项，待整改${count('pending')}项，整改中${count('in_progress')}项，已整改待核${count('awaiting_check')}项，已销号${count('closed')}项，逾期${count('overdue')}项。`;
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
    for (const r of open) {
      const subject = r.source === 'review' ? [r.caseNumber, r.caseTitle].filter(Boolean).join('\n') : r.caseNumber || '—';
      const basis = r.source === 'review' ? [r.basis, `评查标准第${r.itemCode}项“${r.itemText}”`].filter(Boolean).join('；') : '';
      const row = ws.addRow([
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
        r.responsible,
        r.source === 'review' ? r.measure : '',
        r.evidence.map((e) => e.fileName).join('\n'),
        LEDGER_STATUS_LABELS[r.displayStatus],
        r.checker,
        r.checkOpinion,
        asDate(r.closedOn),
        LEDGER_SOURCE_LABELS[r.source],
      ]);
      row.eachCell({ includeEmpty: true }, (cell, col) => {
        cell.font = {
          name: '仿宋_GB2312',
          size: 11,
          ...(r.displayStatus === 'overdue' ? { color: { argb: 'FF9C0006' }, bold: col === STATUS_COLUMN } : {}),
        };
        cell.alignment = {
          vertical: 'top',
          wrapText: true,
          horizontal: CENTRED_COLUMNS.includes(LEDGER_XLSX_COLUMNS[col - 1]!.header) ? 'center' : 'left',
        };
        cell.border = { top: thin, bottom: thin, left: thin, right: thin };
        if (r.displayStatus === 'overdue') cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } };
        else if (r.displayStatus === 'closed') cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE2EFDA' } };
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
      'ledger:list': ({ campaignId }) => this.list(campaignId),
      'ledger:sync': ({ campaignId, deadline }, ctx) => this.sync(campaignId, deadline, ctx),
      'ledger:add': ({ campaignId, entry, confirmPastDeadline }, ctx) => this.add(campaignId, entry, confirmPastDeadline, ctx),
      'ledger:update': ({ rowId, patch, revision }, ctx) => this.update(rowId, patch, revision, ctx),
      'ledger:attach': ({ rowId, sourceId }, ctx) => this.attach(rowId, sourceId, ctx),
      'ledger:evidence': ({ evidenceId }, ctx) => this.evidence(evidenceId, ctx),
      'ledger:export': async ({ campaignId }, ctx) => {
        const name = this.campaigns.detail(campaignId).name;
        const bytes = await this.workbook(campaignId, name);
        const out = await this.exportsService.register('ledger', safeFileName(`整改台账-${name}.xlsx`), bytes, XLSX_MIME, ctx, campaignId);
        return { fileName: out.fileName, url: out.url, bytes: out.bytes };
      },
    };
  }
}
