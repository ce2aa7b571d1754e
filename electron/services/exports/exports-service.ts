/**
 * Exports: a service builds a view model from the database, a template turns it into a document,
 * the bytes are written atomically into the data folder and handed to the UI as a download ticket.
 */
import { createHash, randomUUID } from 'node:crypto';
import path from 'node:path';
import { Packer } from 'docx';
import { CASE_TYPE_LABELS } from '../../../shared/domain/case-types.js';
import { SHEET_STATUS_LABELS } from '../../../shared/domain/sheet.js';
import { AppError } from '../../../shared/errors.js';
import { chineseDate } from '../../../shared/gbt9704.js';
import { fmt, type BlockNode } from '../../../shared/standard/model.js';
import { itemDeduction, scoreSheet } from '../../../shared/standard/scoring.js';
import { writeAudit } from '../audit.js';
import type { ByteTickets } from '../bytes.js';
import type { CampaignsService } from '../campaigns.js';
import { nowIso, requireActor, type CallContext } from '../context.js';
import { tx, type Db } from '../db/database.js';
import type { Handlers } from '../dispatcher.js';
import type { DossiersService } from '../dossiers.js';
import { safeFileName, writeFileAtomic } from '../fs-atomic.js';
import type { SheetsService } from '../sheets.js';
import { caseSheetDocument, type CaseSheetRow, type CaseSheetViewModel } from './templates/case-sheet.js';

export const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export class ExportsService {
  constructor(
    private readonly db: Db,
    private readonly exportsDir: string,
    private readonly tickets: ByteTickets,
    private readonly campaigns: CampaignsService,
    private readonly dossiers: DossiersService,
    private readonly sheets: SheetsService,
  ) {}

  /** "第3页" references for evidence annotations, by document title when a case has several files. */
  private evidencePages(annotationIds: string[]): string[] {
    if (!annotationIds.length) return [];
    const rows = this.db
      .prepare(
        `SELECT a.page_index, d.title FROM annotations a JOIN documents d ON d.id = a.document_id
         WHERE a.deleted_at IS NULL AND a.id IN (${annotationIds.map(() => '?').join(',')}) ORDER BY d.position, a.sort_key`,
      )
      .all(...annotationIds) as Array<{ page_index: number; title: string }>;
    return [...new Set(rows.map((r) => `${r.title}第${r.page_index + 1}页`))];
  }

  caseSheetModel(caseId: string, reviewerId: string, date = nowIso()): CaseSheetViewModel {
    const kase = this.dossiers.getCase(caseId);
    const campaign = this.campaigns.detail(kase.campaignId);
    const sheet = this.sheets.findSheet(caseId, reviewerId);
    if (!sheet) throw new AppError('not_found', '尚未对该案卷评分，无法导出评查表。');
    const def = this.sheets.definition(sheet.standard_version_id);
    const answers = this.sheets.answers(sheet.id);
    const result = scoreSheet(def, answers);
    const blockScores = new Map(result.blocks.map((b) => [b.id, b]));
    const rows: CaseSheetRow[] = [];
    const remarkOf = (itemId: string): string => {
      const a = answers[itemId];
      if (!a) return '';
      const parts = [a.comment?.trim(), a.location?.trim(), ...this.evidencePages(a.evidence ?? [])].filter(Boolean);
      if (a.status === 'na') parts.unshift('不适用');
      return parts.join('；');
    };
    if (def.gate.items.length) {
      rows.push({ kind: 'block', depth: 0, code: '', text: def.gate.title, points: def.gate.points ? fmt(def.gate.points) : '否决项', deduction: '', remark: '' });
      for (const item of def.gate.items) {
        const vetoed = answers[item.id]?.status === 'veto';
        rows.push({ kind: 'item', depth: 1, code: item.code, text: item.text, points: '—', deduction: vetoed ? '否决' : '', remark: remarkOf(item.id) });
      }
    }
    const walk = (block: BlockNode, depth: number): void => {
      const score = blockScores.get(block.id);
      const lost = score ? Math.max(0, score.max - score.excluded - score.earned) : 0;
      rows.push({ kind: 'block', depth, code: block.code ?? '', text: block.title, points: fmt(block.points), deduction: lost ? fmt(lost) : '', remark: '' });
      for (const child of block.children) {
        if (child.kind === 'block') walk(child, depth + 1);
        else {
          const d = itemDeduction(child, answers[child.id]);
          rows.push({
            kind: 'item',
            depth: depth + 1,
            code: child.code,
            text: child.text,
            points: child.points === null ? '—' : fmt(child.points),
            deduction: d ? fmt(d) : '',
            remark: remarkOf(child.id),
          });
        }
      }
    };
    for (const block of def.blocks) walk(block, 0);
    return {
      campaignName: campaign.name,
      issuingBody: campaign.issuingBody,
      unitName: kase.unitName,
      caseNumber: kase.caseNumber,
      caseTitle: kase.title,
      caseTypeLabel: CASE_TYPE_LABELS[kase.caseType],
      standardName: def.name,
      standardVersion: def.version,
      rows,
      blocks: result.blocks,
      vetoes: result.vetoes,
      total: result.total,
      max: result.max,
      grade: result.grade,
      reviewerName: sheet.reviewer_name,
      statusLabel: SHEET_STATUS_LABELS[sheet.status],
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
      throw new AppError('io_error', `写入导出文件失败：${(err as Error).message}`);
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    tx(this.db, () => {
      this.db
        .prepare('INSERT INTO exports (id, kind, file_name, rel_path, bytes, sha256, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(id, kind, fileName, relPath, bytes.length, sha256, actor.id, nowIso());
      writeAudit(this.db, { actorId: actor.id, action: 'export.create', entity: 'export', entityId: id, campaignId: campaignId ?? null, after: { kind, fileName, sha256 } });
    });
    const token = this.tickets.mint({ kind: 'download', file, fileName, contentType }, { userId: actor.id, clientId: ctx.clientId }, 3_600_000);
    return { fileName, url: `/download/${token}`, bytes: bytes.length };
  }

  handlers(): Pick<Handlers, 'export:caseSheet'> {
    return {
      'export:caseSheet': async ({ caseId }, ctx) => {
        const actor = requireActor(ctx);
        const vm = this.caseSheetModel(caseId, actor.id);
        const bytes = await Packer.toBuffer(caseSheetDocument(vm));
        const fileName = safeFileName(`案卷评查表-${vm.unitName}-${vm.caseNumber}-${vm.reviewerName}.docx`);
        return this.register('caseSheet', fileName, bytes, DOCX_MIME, ctx, this.dossiers.getCase(caseId).campaignId);
      },
    };
  }
}
