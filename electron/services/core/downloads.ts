/**
 * Exports: a service builds a view model from the database, a template turns it into a document,
 * the bytes are written atomically into the data folder and handed to the UI as a download ticket.
 */
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CASE_TYPE_LABELS } from '../../../shared/campaigns/case-types.js';
import { SHEET_STATUS_LABELS, type SheetStatus } from '../../../shared/scoring/sheet.js';
import { AppError } from '../../../shared/core/errors.js';
import { chineseDate } from '../../../shared/core/gbt9704.js';
import { fmt, type BlockNode } from '../../../shared/standards/model.js';
import { AnswerSchema, type Answer } from '../../../shared/scoring/answer.js';
import { itemDeduction, scoreSheet, type Answers } from '../../../shared/scoring/scoring.js';
import { sheetHeadline } from '../../../shared/scoring/completion.js';
import { findItem, type ItemNode } from '../../../shared/standards/tree.js';
import { REVIEW_ROUTE_LABELS, type ReviewRoute } from '../../../shared/panel/divergence.js';
import { writeAudit } from './audit.js';
import type { ByteTickets } from './bytes.js';
import type { CampaignsService } from '../campaigns/campaigns-service.js';
import { localToday, nowIso, requireActor, type Actor, type CallContext } from './context.js';
import { tx, type Db } from './db/database.js';
import type { Handlers } from './dispatcher.js';
import type { DossiersService } from '../dossiers/dossiers-service.js';
import { safeFileName, writeFileAtomic } from './fs-atomic.js';
import { evidencePageNumbers } from '../annotations/evidence-pages.js';
import type { ResultsService } from '../scoring/results.js';
import type { SheetsService } from '../scoring/sheets.js';
import type { CaseSheetRow, CaseSheetViewModel } from '../scoring/case-sheet-docx.js';
import { loadDocx } from './heavy-libs.js';
import { parseJsonColumn } from './db/json-column.js';
import { libraryErrorText } from './library-errors.js';

interface PanelDecision {
  answer: Answer;
  note: string;
  decidedBy: string | null;
}

export const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export class ExportsService {
  constructor(
    private readonly db: Db,
    private readonly exportsDir: string,
    private readonly tickets: ByteTickets,
    private readonly campaigns: CampaignsService,
    private readonly dossiers: DossiersService,
    private readonly sheets: SheetsService,
    private readonly results: ResultsService,
  ) {}

  /**
   * The 案卷评查表 of a file: every reviewer's deductions side by side and the final result, from the
   * ResultsService. A reviewer (blind review) sees only their own sheet; the panel's leads see all.
   */
  caseSheetModel(caseId: string, actor: Actor, date = localToday()): CaseSheetViewModel {
    const kase = this.dossiers.getCase(caseId);
    const campaign = this.campaigns.detail(kase.campaignId);
    const outcome = this.results.caseOutcome(caseId);
    // Columns in the order the reviewers started scoring.
    const order = (
      this.db.prepare('SELECT id FROM sheets WHERE case_id = ? ORDER BY created_at, id').all(caseId) as Array<{ id: string }>
    ).map((r) => r.id);
    const visible = outcome.sheets
      .filter((s) => actor.role !== 'reviewer' || s.reviewerId === actor.id)
      .sort((a, b) => order.indexOf(a.sheetId) - order.indexOf(b.sheetId));
    if (!visible.length) throw new AppError('not_found', '尚未对该案卷评分，无法导出评查表。');
    const sheets = visible.map((s) => {
      const row = this.sheets.sheetRow(s.sheetId);
      return { summary: s, def: this.sheets.definition(row.standard_version_id), answers: this.sheets.answers(s.sheetId) };
    });
    const final = outcome.status === 'final' && outcome.definition ? { def: outcome.definition, answers: outcome.answers } : null;
    const def = final?.def ?? sheets[0]!.def;
    const settled = final ? this.settlement(caseId) : null;
    // A reviewer's sheet is 已提交 even once the file is settled: 已定分 is said of the file's result only.
    const sheetState = (status: string): string =>
      status === 'final' ? SHEET_STATUS_LABELS.submitted : (SHEET_STATUS_LABELS[status as SheetStatus] ?? status);
    const answerSets: Array<{ label: string; title: string; answers: Answers }> = [
      ...sheets.map((s) => ({
        label: s.summary.reviewerName,
        title: `${s.summary.reviewerName}（${sheetState(s.summary.status)}）`,
        answers: s.answers,
      })),
      ...(final ? [{ label: '定分结果', title: `定分结果（${SHEET_STATUS_LABELS.final}）`, answers: final.answers }] : []),
    ];
    const results = answerSets.map((a) => scoreSheet(def, a.answers));
    // Unanswered items count as 符合 in a total: an unfinished sheet prints its progress, not a grade.
    const progress = answerSets.map((a) => {
      const head = sheetHeadline(def, a.answers);
      return head.complete ? null : head.text;
    });
    const primary = final ? answerSets.length - 1 : 0;
    // The item table scores the settled result, or the one sheet shown, or (unsettled) each sheet side by side.
    const scored = final || answerSets.length === 1 ? [primary] : answerSets.map((_, i) => i);
    const scoreColumns = scored.length === 1 ? ['得分'] : scored.map((i) => `${answerSets[i]!.label}\n得分`);

    const amountOf = (item: ItemNode | undefined, a: Answer | undefined): string => {
      if (!a) return '';
      if (a.status === 'veto') return '否决';
      if (a.status === 'na') return '不适用';
      const d = item ? itemDeduction(item, a) : 0;
      return d ? `扣${fmt(d)}分` : '';
    };
    const evidenceOf = (a: Answer | undefined): string[] =>
      a ? [a.location?.trim() ?? '', evidencePageNumbers(this.db, a.evidence ?? [])].filter(Boolean) : [];
    // The panel's decisions with their reasons, item by item.
    const decisions = final ? this.panelDecisions(caseId) : new Map<string, PanelDecision>();
    const reasonOf = (itemId: string): string => {
      const item = findItem(def, itemId);
      const shown = answerSets.length === 1 || !final ? answerSets : answerSets.slice(0, -1);
      // Reviewers who said the same thing are named together; a reason is printed once.
      const said = new Map<string, string[]>();
      for (const set of shown) {
        const a = set.answers[itemId];
        const amount = amountOf(item, a);
        const comment = a?.comment?.trim() ?? '';
        if (!amount && !comment) continue;
        const key = `${amount}\u0000${comment}`;
        said.set(key, [...(said.get(key) ?? []), set.label]);
      }
      const comments = new Set<string>();
      const lines = [...said].map(([key, names]) => {
        const [amount, comment] = key.split('\u0000') as [string, string];
        if (comment) comments.add(comment);
        const who = shown.length === 1 ? '' : names.join('、');
        return `${who}${amount || (who ? '认为符合' : '')}${comment ? `${who || amount ? '：' : ''}${comment}` : ''}`;
      });
      const d = decisions.get(itemId);
      if (d) {
        const own = d.answer.comment?.trim() ?? '';
        const extra = own && !comments.has(own) && own !== d.note ? `：${own}` : '';
        lines.push(
          `${settled?.route ?? '评查组'}${amountOf(item, d.answer) || '不扣分'}${extra}${d.note ? `，理由：${d.note}` : ''}${d.decidedBy ? `（${d.decidedBy}）` : ''}`,
        );
      }
      return lines.join('\n');
    };
    const evidenceText = (itemId: string): string => [...new Set(answerSets.flatMap((set) => evidenceOf(set.answers[itemId])))].join('；');
    const scoreOf = (item: ItemNode, i: number): string => {
      const a = answerSets[i]!.answers[item.id];
      if (!a) return '';
      if (item.rule.kind === 'veto') return a.status === 'veto' ? '否决' : '符合';
      if (a.status === 'na') return '不适用';
      if (item.points === null) return '';
      const d = itemDeduction(item, a);
      return item.penalty ? (d ? `−${fmt(d)}` : '') : fmt(Math.max(0, item.points - d));
    };
    const itemRow = (item: ItemNode, depth: number): CaseSheetRow => ({
      kind: 'item',
      depth,
      code: item.code,
      text: item.text,
      basis: item.basis ?? '',
      points: item.rule.kind === 'veto' ? '否决' : item.points === null ? '—' : fmt(item.points),
      scores: scored.map((i) => scoreOf(item, i)),
      reason: reasonOf(item.id),
      evidence: evidenceText(item.id),
    });
    const rows: CaseSheetRow[] = [];
    if (def.gate.items.length) {
      rows.push({
        kind: 'block',
        depth: 0,
        code: '',
        text: `${def.gate.title}（有下列情形之一的，评为不合格）`,
        basis: '',
        points: def.gate.points ? fmt(def.gate.points) : '—',
        scores: scored.map(() => ''),
        reason: '',
        evidence: '',
      });
      for (const item of def.gate.items) rows.push(itemRow(item, 1));
    }
    const walk = (block: BlockNode, depth: number): void => {
      rows.push({
        kind: 'block',
        depth,
        code: block.code ?? '',
        text: block.title,
        basis: '',
        points: fmt(block.points),
        // A block's 得分 only once every item of the sheet is answered: a half-read sheet has no block totals.
        scores: scored.map((i) => {
          const score = results[i]!.blocks.find((b) => b.id === block.id);
          return score && !progress[i] ? fmt(score.earned) : '';
        }),
        reason: '',
        evidence: '',
      });
      for (const child of block.children) {
        if (child.kind === 'block') walk(child, depth + 1);
        else rows.push(itemRow(child, depth + 1));
      }
    };
    for (const block of def.blocks) walk(block, 0);
    const main = results[primary]!;
    return {
      campaignName: campaign.name,
      issuingBody: campaign.issuingBody,
      unitName: kase.unitName,
      caseNumber: kase.caseNumber,
      caseTitle: kase.title,
      caseTypeLabel: CASE_TYPE_LABELS[kase.caseType],
      standardName: def.name,
      standardVersion: def.version,
      columns: answerSets.map((a, i) => ({
        label: a.label,
        title: a.title,
        total: results[i]!.total,
        grade: results[i]!.grade,
        progress: progress[i] ?? null,
      })),
      scoreColumns,
      rows,
      vetoes: main.vetoes,
      result: {
        total: main.total,
        max: main.max,
        grade: main.grade,
        label: final ? '最终得分' : '总分',
        progress: progress[primary] ?? null,
        unsettled: !final && answerSets.length > 1,
      },
      reviewerNames: sheets.map((s) => s.summary.reviewerName),
      settlement: settled ? settled.text(outcome.sheets.length) : null,
      date,
      dateText: chineseDate(date),
    };
  }

  /** Writes bytes under exports/, registers them, and returns a download ticket URL. */
  async register(kind: string, fileName: string, bytes: Uint8Array, contentType: string, ctx: CallContext, campaignId?: string) {
    const actor = requireActor(ctx);
    const id = randomUUID();
    const relPath = path.join(new Date().toISOString().slice(0, 7), `${id}${path.extname(fileName)}`);
    const file = path.join(this.exportsDir, relPath);
    try {
      await writeFileAtomic(file, bytes);
    } catch (err) {
      throw new AppError('io_error', `写入导出文件失败：${libraryErrorText(err)}`);
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    tx(this.db, () => {
      this.db
        .prepare(
          'INSERT INTO exports (id, kind, file_name, rel_path, bytes, sha256, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(id, kind, fileName, relPath, bytes.length, sha256, actor.id, nowIso());
      writeAudit(this.db, {
        actorId: actor.id,
        action: 'export.create',
        entity: 'export',
        entityId: id,
        campaignId: campaignId ?? null,
        after: { kind, fileName, sha256 },
      });
    });
    const token = this.tickets.mint(
      { kind: 'download', file, fileName, contentType },
      { userId: actor.id, clientId: ctx.clientId },
      3_600_000,
    );
    return { id, fileName, url: `/download/${token}`, bytes: bytes.length };
  }

  /**
   * Registers a file already written under exports/ (a work package, streamed to disk rather than
   * held in memory); `inTransaction` records what the file is in the same transaction.
   */
  async registerFile(
    kind: string,
    fileName: string,
    file: string,
    relPath: string,
    contentType: string,
    ctx: CallContext,
    campaignId: string,
    inTransaction: () => void,
  ) {
    const actor = requireActor(ctx);
    const id = randomUUID();
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const chunk of fs.createReadStream(file)) {
      bytes += (chunk as Buffer).length;
      hash.update(chunk as Buffer);
    }
    const sha256 = hash.digest('hex');
    tx(this.db, () => {
      this.db
        .prepare(
          'INSERT INTO exports (id, kind, file_name, rel_path, bytes, sha256, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(id, kind, fileName, relPath, bytes, sha256, actor.id, nowIso());
      writeAudit(this.db, {
        actorId: actor.id,
        action: 'export.create',
        entity: 'export',
        entityId: id,
        campaignId,
        after: { kind, fileName, sha256 },
      });
      inTransaction();
    });
    const token = this.tickets.mint(
      { kind: 'download', file, fileName, contentType },
      { userId: actor.id, clientId: ctx.clientId },
      3_600_000,
    );
    return { id, fileName, url: `/download/${token}`, bytes, sha256 };
  }

  /** The reconciliation's decisions on single items, with the panel's reason and who decided. */
  private panelDecisions(caseId: string): Map<string, PanelDecision> {
    const rows = this.db
      .prepare(
        `SELECT x.item_id, x.answer_json, x.note, u.display_name AS decided_by FROM case_review_answers x LEFT JOIN users u ON u.id = x.decided_by
         WHERE x.case_id = ? AND x.origin = 'panel'`,
      )
      .all(caseId) as Array<{ item_id: string; answer_json: string; note: string; decided_by: string | null }>;
    return new Map(
      rows.map((r) => [
        r.item_id,
        {
          answer: parseJsonColumn(AnswerSchema, r.answer_json, `案卷 ${caseId} 第 ${r.item_id} 项的合议结论`),
          note: r.note.trim(),
          decidedBy: r.decided_by,
        },
      ]),
    );
  }

  /**
   * How the file was settled: by the lead (组长确认), a named person (复核) or the panel (集体评议) —
   * the route the settling recorded in the 留痕 — with who, when and the note; or automatically.
   */
  private settlement(caseId: string): { route: string | null; text: (sheetCount: number) => string } | null {
    const row = this.db
      .prepare(
        `SELECT r.source, r.note, r.finalised_at, u.display_name AS by_name FROM case_reviews r LEFT JOIN users u ON u.id = r.finalised_by WHERE r.case_id = ? AND r.status = 'final'`,
      )
      .get(caseId) as { source: 'auto' | 'panel' | null; note: string; finalised_at: string | null; by_name: string | null } | undefined;
    if (!row) return null;
    if (row.source !== 'panel') return { route: null, text: (n) => (n > 1 ? '各评查人评定一致，自动定分。' : '评查表提交后自动定分。') };
    const recorded = this.db
      .prepare(
        `SELECT json_extract(after_json, '$.route') FROM audit_log WHERE action = 'review.settle' AND entity = 'case' AND entity_id = ? ORDER BY id DESC LIMIT 1`,
      )
      .pluck()
      .get(caseId) as string | null | undefined;
    const route = recorded && recorded in REVIEW_ROUTE_LABELS ? REVIEW_ROUTE_LABELS[recorded as ReviewRoute] : null;
    const when = row.finalised_at ? chineseDate(localToday(new Date(row.finalised_at))) : '';
    const text = [`${route ?? '评查组'}定分${row.by_name ? `（${row.by_name}${when ? `，${when}` : ''}）` : ''}`, row.note.trim()]
      .filter(Boolean)
      .join('：');
    return { route, text: () => text };
  }

  handlers(): Pick<Handlers, 'export:caseSheet'> {
    return {
      'export:caseSheet': async ({ caseId }, ctx) => {
        const actor = requireActor(ctx);
        const vm = this.caseSheetModel(caseId, actor);
        const [{ Packer }, { caseSheetDocument }] = await Promise.all([loadDocx(), import('../scoring/case-sheet-docx.js')]);
        const bytes = await Packer.toBuffer(caseSheetDocument(vm));
        const fileName = safeFileName(`案卷评查表-${vm.unitName}-${vm.caseNumber}-${vm.reviewerNames.join('、')}.docx`);
        const out = await this.register('caseSheet', fileName, bytes, DOCX_MIME, ctx, this.dossiers.getCase(caseId).campaignId);
        return { fileName: out.fileName, url: out.url, bytes: out.bytes };
      },
    };
  }
}
