/**
 * Letters (监督意见书, 整改通知书, 评查结果通报): the bureau's templates, 发文字号 from a per-body
 * sequence, preview, DOCX export (one, or every unit's as a ZIP), the font check, and the campaign
 * statistics the 通报 and the statistics screen share.
 */
import { randomUUID } from 'node:crypto';
import { Packer } from 'docx';
import { ZipFile } from 'yazl';
import type { ChannelOutput } from '../../../shared/contract.js';
import { AppError } from '../../../shared/errors.js';
import { GONGWEN_FONTS, documentNumber } from '../../../shared/gbt9704.js';
import { campaignCharts, composeLetter } from '../../../shared/letters/compose.js';
import { LETTER_KIND_LABELS, type GongwenDoc, type LetterKind } from '../../../shared/letters/document.js';
import { allFiles, gradeDistribution, gradeOrder, hasProblems, noRectificationReason, problemsByCategory, problemsByItem, rankUnits, type CampaignFact } from '../../../shared/letters/facts.js';
import { completeTemplate, defaultTemplate, templateProblem, type LetterTemplate } from '../../../shared/letters/template.js';
import { writeAudit } from '../audit.js';
import { localToday, nowIso, requireActor, type CallContext } from '../context.js';
import { tx, type Db } from '../db/database.js';
import type { Handlers } from '../dispatcher.js';
import type { EventHub } from '../event-hub.js';
import { DOCX_MIME, type ExportsService } from '../exports/exports-service.js';
import { gongwenLetterDocument, type DocxVerification } from '../exports/templates/gongwen-letter.js';
import type { FontsService } from '../fonts.js';
import { safeFileName } from '../fs-atomic.js';
import type { CampaignFactsBuilder, CampaignFacts } from './campaign-facts.js';
import type { ChartRasteriser } from './chart-png.js';

export const ZIP_MIME = 'application/zip';

/** The fonts a document names (what the font check reports on). */
export function fontsOf(doc: GongwenDoc): string[] {
  const used = new Set<string>([GONGWEN_FONTS.title, GONGWEN_FONTS.body, GONGWEN_FONTS.pageNumber, GONGWEN_FONTS.latin]);
  const all = [...doc.blocks, ...doc.appendices.flatMap((a) => a.blocks)];
  if (all.some((b) => b.type === 'h1' || b.type === 'table') || doc.appendices.length) used.add(GONGWEN_FONTS.heading1);
  if (all.some((b) => b.type === 'h2')) used.add(GONGWEN_FONTS.heading2);
  return [...used];
}

interface LetterRow {
  id: string;
  unit_id: string | null;
  kind: LetterKind;
  issuing_body: string;
  number_prefix: string;
  number_year: number | null;
  number_serial: number | null;
  document_number: string | null;
  updated_at: string;
  /** Issue 9: 'draft' or 'checked' (the content frozen for issuing); issued letters are never open. */
  status: 'draft' | 'checked';
  checked_content_json: string | null;
}

export class LettersService {
  constructor(
    private readonly db: Db,
    private readonly facts: CampaignFactsBuilder,
    private readonly exportsService: ExportsService,
    private readonly rasteriser: ChartRasteriser,
    private readonly fonts: FontsService,
    private readonly events: EventHub,
  ) {}

  // ── templates ──────────────────────────────────────────────────────────────────────────────

  template(kind: LetterKind): { template: LetterTemplate; updatedAt: string | null; updatedBy: string | null } {
    const row = this.db
      .prepare('SELECT t.settings_json, t.updated_at, u.display_name FROM letter_templates t LEFT JOIN users u ON u.id = t.updated_by WHERE t.kind = ?')
      .get(kind) as { settings_json: string; updated_at: string; display_name: string | null } | undefined;
    if (!row) return { template: defaultTemplate(kind), updatedAt: null, updatedBy: null };
    return { template: completeTemplate(kind, JSON.parse(row.settings_json) as Partial<LetterTemplate>), updatedAt: row.updated_at, updatedBy: row.display_name };
  }

  saveTemplate(kind: LetterKind, template: LetterTemplate, ctx: CallContext) {
    const actor = requireActor(ctx);
    const problem = templateProblem(kind, template);
    if (problem) throw new AppError('invalid_input', problem);
    const before = this.template(kind).template;
    tx(this.db, () => {
      this.db
        .prepare(
          `INSERT INTO letter_templates (kind, settings_json, updated_by, updated_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (kind) DO UPDATE SET settings_json = excluded.settings_json, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
        )
        .run(kind, JSON.stringify(template), actor.id, nowIso());
      writeAudit(this.db, { actorId: actor.id, action: 'letterTemplate.save', entity: 'letterTemplate', entityId: kind, before, after: template });
    });
    this.events.emit('data:changed', { entity: 'letter', id: kind });
    return this.template(kind);
  }

  // ── composing ──────────────────────────────────────────────────────────────────────────────

  private letterRow(campaignId: string, kind: LetterKind, unitId: string | null): LetterRow | undefined {
    return this.db
      .prepare(`SELECT * FROM letters WHERE campaign_id = ? AND kind = ? AND unit_id IS ? AND status IN ('draft', 'checked') ORDER BY created_at DESC LIMIT 1`)
      .get(campaignId, kind, unitId) as LetterRow | undefined;
  }

  private checkUnit(fact: CampaignFact, kind: LetterKind, unitId: string | undefined): string | null {
    if (kind === 'bulletin') return null;
    if (!unitId) throw new AppError('invalid_input', `${LETTER_KIND_LABELS[kind]}按单位出具，请选择被评查单位。`);
    const unit = fact.units.find((u) => u.unitId === unitId);
    if (!unit) throw new AppError('not_found', '该单位不在本评查活动中。');
    if (!unit.files.length) throw new AppError('conflict', `${unit.unitName}还没有已评分的案卷，无法出具${LETTER_KIND_LABELS[kind]}。`);
    if (kind === 'notice' && !hasProblems(unit)) throw new AppError('conflict', noRectificationReason(unit.unitName), { reason: 'no_problems' });
    return unitId;
  }

  /** The content of a letter; the 文号 is the one already assigned, else a blank serial (assigned at export). */
  compose(facts: CampaignFacts, kind: LetterKind, unitId: string | null, template: LetterTemplate, date: string): GongwenDoc {
    const existing = this.letterRow(facts.fact.campaignId, kind, unitId);
    // A letter checked for issuing (issue 9) shows and exports exactly the content that was checked.
    if (existing?.status === 'checked' && existing.checked_content_json) return JSON.parse(existing.checked_content_json) as GongwenDoc;
    const body = template.signer || facts.fact.issuingBody;
    const year = Number(date.slice(0, 4));
    const number =
      template.numberPrefix && existing?.document_number && existing.number_prefix === template.numberPrefix && existing.issuing_body === body && existing.number_year === year
        ? existing.document_number
        : template.numberPrefix
          ? `${template.numberPrefix}〔${year}〕\u3000号`
          : null;
    return composeLetter(kind, facts.fact, unitId, template, { date, documentNumber: number });
  }

  async preview(input: { campaignId: string; kind: LetterKind; unitId?: string | undefined; template?: LetterTemplate | undefined; date?: string | undefined }) {
    const template = input.template ?? this.template(input.kind).template;
    if (input.template) {
      const problem = templateProblem(input.kind, template);
      if (problem) throw new AppError('invalid_input', problem);
    }
    const facts = this.facts.build(input.campaignId);
    const unitId = this.checkUnit(facts.fact, input.kind, input.unitId);
    const doc = this.compose(facts, input.kind, unitId, template, input.date ?? localToday());
    return { doc, fonts: await this.fonts.check(fontsOf(doc)) };
  }

  /** Assigns the letter's 文号 (once; a re-export keeps it) and returns the letter with it. */
  private assignNumber(campaignId: string, kind: LetterKind, unitId: string | null, template: LetterTemplate, body: string, date: string, actorId: string): { id: string; number: string | null } {
    return tx(this.db, () => {
      const now = nowIso();
      let row = this.letterRow(campaignId, kind, unitId);
      if (!row) {
        const id = randomUUID();
        this.db
          .prepare(`INSERT INTO letters (id, campaign_id, unit_id, kind, issuing_body, number_prefix, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
          .run(id, campaignId, unitId, kind, body, template.numberPrefix, actorId, now, now);
        row = this.letterRow(campaignId, kind, unitId)!;
      }
      const year = Number(date.slice(0, 4));
      const keeps = row.document_number && row.number_prefix === template.numberPrefix && row.issuing_body === body && row.number_year === year;
      if (!template.numberPrefix || keeps) {
        this.db.prepare('UPDATE letters SET updated_at = ? WHERE id = ?').run(now, row.id);
        return { id: row.id, number: template.numberPrefix ? row.document_number : null };
      }
      const { last_serial: serial } = this.db
        .prepare(
          `INSERT INTO letter_sequences (issuing_body, prefix, year, last_serial) VALUES (?, ?, ?, 1)
           ON CONFLICT (issuing_body, prefix, year) DO UPDATE SET last_serial = last_serial + 1 RETURNING last_serial`,
        )
        .get(body, template.numberPrefix, year) as { last_serial: number };
      const number = documentNumber(template.numberPrefix, year, serial);
      this.db
        .prepare('UPDATE letters SET issuing_body = ?, number_prefix = ?, number_year = ?, number_serial = ?, document_number = ?, updated_at = ? WHERE id = ?')
        .run(body, template.numberPrefix, year, serial, number, now, row.id);
      writeAudit(this.db, { actorId, action: 'letter.number', entity: 'letter', entityId: row.id, campaignId, before: row.document_number, after: { kind, unitId, number } });
      return { id: row.id, number };
    });
  }

  /** The content frozen when the letter was checked for issuing (issue 9), or null. */
  private checkedContent(letterId: string): GongwenDoc | null {
    const json = this.db.prepare(`SELECT checked_content_json FROM letters WHERE id = ? AND status = 'checked'`).pluck().get(letterId) as string | null | undefined;
    return json ? (JSON.parse(json) as GongwenDoc) : null;
  }

  /**
   * Issue 9's 核对: the unit's open letter (created and numbered if need be) and its content as it
   * would be exported now — the same path as the DOCX export.
   */
  prepare(input: { campaignId: string; kind: LetterKind; unitId?: string | undefined; includeProvisional: boolean; date?: string | undefined }, actorId: string, purpose: 'export' | 'issue' = 'export') {
    const facts = this.facts.build(input.campaignId);
    const unitId = this.checkUnit(facts.fact, input.kind, input.unitId);
    if (!input.includeProvisional) this.refuseProvisional(facts, unitId, purpose);
    const template = this.template(input.kind).template;
    const date = input.date ?? localToday();
    const letter = this.assignNumber(input.campaignId, input.kind, unitId, template, template.signer || facts.fact.issuingBody, date, actorId);
    const doc = this.checkedContent(letter.id) ?? composeLetter(input.kind, facts.fact, unitId, template, { date, documentNumber: letter.number });
    const unitName = unitId ? (facts.fact.units.find((u) => u.unitId === unitId)?.unitName ?? null) : null;
    return { letter, doc, unitId, unitName, fileBase: this.fileNameOf(input.kind, doc, unitName).replace(/\.docx$/, '') };
  }

  private refuseProvisional(facts: CampaignFacts, unitId: string | null, purpose: 'export' | 'issue' = 'export'): void {
    const pending = facts.provisional.filter((p) => unitId === null || p.unitId === unitId);
    if (pending.length)
      throw new AppError(
        'conflict',
        `以下案卷尚未形成最终评查结果：${pending
          .slice(0, 5)
          .map((p) => p.caseNumber)
          .join('、')}${pending.length > 5 ? ` 等${pending.length}件` : ''}${purpose === 'issue' ? '。签发的文书只能引用最终结果：请先提交评查表或完成合议定分。' : '。请先完成合议，或选择“包含暂定结果”后再导出。'}`,
        { provisional: pending.map((p) => p.caseNumber) },
      );
  }

  /** PNG of each chart of a letter, keyed by its SVG (the DOCX and the PDF rendition embed these). */
  async chartImages(doc: GongwenDoc): Promise<Map<string, Uint8Array>> {
    const svgs = [...doc.blocks, ...doc.appendices.flatMap((a) => a.blocks)].flatMap((b) => (b.type === 'chart' ? [b.chart.svg] : []));
    return this.rasteriser.pngs(svgs);
  }

  /** DOCX bytes of a composed letter (charts rasterised first: the template itself stays pure). */
  /** The letter as DOCX; an issued letter also carries its verification block (issue 9). */
  async docxBytes(doc: GongwenDoc, verification: DocxVerification | null = null): Promise<Uint8Array> {
    return Packer.toBuffer(gongwenLetterDocument(doc, await this.chartImages(doc), verification));
  }

  private fileNameOf(kind: LetterKind, doc: GongwenDoc, unitName: string | null): string {
    return safeFileName(`${LETTER_KIND_LABELS[kind]}-${unitName ?? doc.title}${doc.head.documentNumber ? `-${doc.head.documentNumber}` : ''}.docx`);
  }

  /** One letter: compose with its number, then DOCX. Shared by the single and the batch export. */
  private async buildOne(facts: CampaignFacts, kind: LetterKind, unitId: string | null, template: LetterTemplate, date: string, letter: { id: string; number: string | null }) {
    const doc = this.checkedContent(letter.id) ?? composeLetter(kind, facts.fact, unitId, template, { date, documentNumber: letter.number });
    const unitName = unitId ? (facts.fact.units.find((u) => u.unitId === unitId)?.unitName ?? null) : null;
    return { letter, doc, fileName: this.fileNameOf(kind, doc, unitName), bytes: await this.docxBytes(doc) };
  }

  async export(input: { campaignId: string; kind: LetterKind; unitId?: string | undefined; includeProvisional: boolean; date?: string | undefined }, ctx: CallContext) {
    const actor = requireActor(ctx);
    const facts = this.facts.build(input.campaignId);
    const unitId = this.checkUnit(facts.fact, input.kind, input.unitId);
    if (!input.includeProvisional) this.refuseProvisional(facts, unitId);
    const template = this.template(input.kind).template;
    const date = input.date ?? localToday();
    const letter = this.assignNumber(input.campaignId, input.kind, unitId, template, template.signer || facts.fact.issuingBody, date, actor.id);
    const built = await this.buildOne(facts, input.kind, unitId, template, date, letter);
    const out = await this.exportsService.register(input.kind, built.fileName, built.bytes, DOCX_MIME, ctx, input.campaignId);
    this.db.prepare('UPDATE letters SET last_export_id = ? WHERE id = ?').run(out.id, built.letter.id);
    this.events.emit('data:changed', { entity: 'letter', id: built.letter.id, campaignId: input.campaignId });
    return { fileName: out.fileName, url: out.url, bytes: out.bytes, documentNumber: built.letter.number };
  }

  /** Every unit's letter in one ZIP (a unit without scored files gets none). */
  async exportAll(input: { campaignId: string; kind: 'opinion' | 'notice'; includeProvisional: boolean; date?: string | undefined }, ctx: CallContext, signal?: AbortSignal) {
    const actor = requireActor(ctx);
    const facts = this.facts.build(input.campaignId);
    if (!input.includeProvisional) this.refuseProvisional(facts, null);
    const scored = facts.fact.units.filter((u) => u.files.length);
    if (!scored.length) throw new AppError('conflict', '本评查活动还没有已评分的案卷。');
    // A unit with nothing to rectify gets no 整改通知书; the result says which and why.
    const units = input.kind === 'notice' ? scored.filter(hasProblems) : scored;
    const skipped = scored.filter((u) => !units.includes(u)).map((u) => ({ unitId: u.unitId, unitName: u.unitName, reason: noRectificationReason(u.unitName) }));
    if (!units.length) throw new AppError('conflict', `抽查案卷均未发现问题，不生成整改通知书（${skipped.map((u) => u.unitName).join('、')}）。`, { reason: 'no_problems' });
    const template = this.template(input.kind).template;
    const date = input.date ?? localToday();
    const jobId = randomUUID();
    const zip = new ZipFile();
    const chunks: Buffer[] = [];
    const done = new Promise<Buffer>((resolve, reject) => {
      zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
      zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
      zip.outputStream.on('error', reject);
    });
    // Every unit's 文号 in one transaction (one disk sync, not one per letter), then the documents.
    const body = template.signer || facts.fact.issuingBody;
    const letters = tx(this.db, () => units.map((u) => this.assignNumber(input.campaignId, input.kind, u.unitId, template, body, date, actor.id)));
    const names = new Set<string>();
    for (const [i, unit] of units.entries()) {
      if (signal?.aborted) throw new AppError('cancelled');
      const built = await this.buildOne(facts, input.kind, unit.unitId, template, date, letters[i]!);
      let name = built.fileName;
      for (let n = 2; names.has(name); n++) name = built.fileName.replace(/\.docx$/, `(${n}).docx`);
      names.add(name);
      zip.addBuffer(Buffer.from(built.bytes), name, { compress: false });
      this.events.emit('job:progress', { jobId, kind: 'letters', done: i + 1, total: units.length, message: `已生成 ${unit.unitName}`, finished: false });
    }
    zip.end();
    const bytes = await done;
    const fileName = safeFileName(`${LETTER_KIND_LABELS[input.kind]}-${facts.fact.name}-${units.length}份.zip`);
    const out = await this.exportsService.register(`${input.kind}Batch`, fileName, bytes, ZIP_MIME, ctx, input.campaignId);
    this.events.emit('job:progress', { jobId, kind: 'letters', done: units.length, total: units.length, message: '已完成', finished: true });
    this.events.emit('data:changed', { entity: 'letter', campaignId: input.campaignId });
    return { fileName: out.fileName, url: out.url, bytes: out.bytes, count: units.length, skipped };
  }

  // ── list and statistics ────────────────────────────────────────────────────────────────────

  list(campaignId: string): ChannelOutput<'letter:list'> {
    const facts = this.facts.build(campaignId);
    const ranking = new Map(rankUnits(facts.fact).map((r) => [r.unitId, r]));
    const units = facts.fact.units.map((u) => {
      const r = ranking.get(u.unitId);
      return {
        unitId: u.unitId,
        unitName: u.unitName,
        fileCount: u.files.length + facts.unscored.filter((x) => x.unitId === u.unitId).length,
        finalCount: u.files.filter((f) => f.final).length,
        provisionalCount: u.files.filter((f) => !f.final).length,
        unscoredCount: facts.unscored.filter((x) => x.unitId === u.unitId).length,
        average: r?.average ?? null,
        grade: r?.grade ?? null,
        problemCount: r?.problemCount ?? 0,
        noticeSkipReason: u.files.length && !hasProblems(u) ? noRectificationReason(u.unitName) : null,
      };
    });
    const letters = this.db
      .prepare(
        `SELECT l.kind, l.unit_id, l.document_number, e.created_at AS exported_at FROM letters l LEFT JOIN exports e ON e.id = l.last_export_id
         WHERE l.campaign_id = ? AND l.status IN ('draft', 'checked') ORDER BY l.kind, l.created_at`,
      )
      .all(campaignId) as Array<{ kind: LetterKind; unit_id: string | null; document_number: string | null; exported_at: string | null }>;
    return { units, letters: letters.map((l) => ({ kind: l.kind, unitId: l.unit_id, documentNumber: l.document_number, exportedAt: l.exported_at })) };
  }

  statistics(campaignId: string): ChannelOutput<'stats:campaign'> {
    const facts = this.facts.build(campaignId);
    const files = allFiles(facts.fact);
    const order = gradeOrder(facts.fact.bands, facts.fact.failGrade, files.map((f) => f.grade));
    const sum = files.reduce((a, f) => a + f.total, 0);
    return {
      fileCount: files.length + facts.unscored.length,
      finalCount: files.filter((f) => f.final).length,
      provisionalCount: facts.provisional.length,
      unscoredCount: facts.unscored.length,
      average: files.length ? Math.round((sum / files.length) * 100) / 100 : null,
      units: rankUnits(facts.fact),
      grades: gradeDistribution(files, order),
      categories: problemsByCategory(files),
      items: problemsByItem(files),
      charts: campaignCharts(facts.fact),
    };
  }

  handlers(): Pick<Handlers, 'letter:template' | 'letter:saveTemplate' | 'letter:list' | 'letter:preview' | 'letter:export' | 'letter:exportAll' | 'font:check' | 'stats:campaign'> {
    return {
      'letter:template': ({ kind }) => this.template(kind),
      'letter:saveTemplate': ({ kind, template }, ctx) => this.saveTemplate(kind, template, ctx),
      'letter:list': ({ campaignId }) => this.list(campaignId),
      'letter:preview': (input) => this.preview(input),
      'letter:export': (input, ctx) => this.export(input, ctx),
      'letter:exportAll': (input, ctx) => this.exportAll(input, ctx),
      'font:check': async ({ refresh }) => {
        if (refresh) this.fonts.refresh();
        return this.fonts.check(Object.values(GONGWEN_FONTS).filter((f, i, a) => a.indexOf(f) === i));
      },
      'stats:campaign': ({ campaignId }) => this.statistics(campaignId),
    };
  }
}
