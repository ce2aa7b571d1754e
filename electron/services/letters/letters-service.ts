/**
 * Letters (监督意见书, 整改通知书, 评查结果通报): the bureau's templates, 发文字号 from a per-body
 * sequence, preview, DOCX export (one, or every unit's as a ZIP), the font check, and the campaign
 * statistics the 通报 and the statistics screen share.
 */
import { randomUUID } from 'node:crypto';
import { ZipFile } from 'yazl';
import type { ChannelOutput } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/core/errors.js';
import { GONGWEN_FONTS, documentNumber, parseDocumentNumber } from '../../../shared/core/gbt9704.js';
import { composeLetter } from '../../../shared/letters/compose.js';
import { campaignStatistics } from '../../../shared/letters/statistics.js';
import { LETTER_KIND_LABELS, type GongwenDoc, type LetterKind } from '../../../shared/letters/document.js';
import {
  hasProblems,
  noRectificationReason,
  pendingLabel,
  rankUnits,
  unitReviewedCount,
  unreasonedLabel,
  type CampaignFact,
} from '../../../shared/letters/facts.js';
import type { LetterReadiness } from '../../../shared/letters/api.js';
import { completeTemplate, defaultTemplate, templateProblem, type LetterTemplate } from '../../../shared/letters/template.js';
import { writeAudit } from '../core/audit.js';
import { localToday, nowIso, requireActor, type CallContext } from '../core/context.js';
import { tx, type Db } from '../core/db/database.js';
import { KeptUntilChange } from '../core/db/kept-until-change.js';
import type { Handlers } from '../core/dispatcher.js';
import type { EventHub } from '../core/event-hub.js';
import { DOCX_MIME, type ExportsService } from '../core/downloads.js';
import type { DocxVerification } from './gongwen-letter.js';
import { loadDocx } from '../core/heavy-libs.js';
import type { FontsService } from './fonts.js';
import { safeFileName } from '../core/fs-atomic.js';
import type { CampaignFactsBuilder, CampaignFacts } from './campaign-facts.js';
import type { ChartRasteriser } from './chart-png.js';
import { keptNumber, lettersRepo, type LetterRow, type LettersRepo } from './repo.js';

export const ZIP_MIME = 'application/zip';

/** The fonts a document names (what the font check reports on). */
export function fontsOf(doc: GongwenDoc): string[] {
  const used = new Set<string>([GONGWEN_FONTS.title, GONGWEN_FONTS.body, GONGWEN_FONTS.pageNumber, GONGWEN_FONTS.latin]);
  const all = [...doc.blocks, ...doc.appendices.flatMap((a) => a.blocks)];
  if (all.some((b) => b.type === 'h1' || b.type === 'table') || doc.appendices.length) used.add(GONGWEN_FONTS.heading1);
  if (all.some((b) => b.type === 'h2')) used.add(GONGWEN_FONTS.heading2);
  return [...used];
}

export class LettersService {
  private readonly repo: LettersRepo;

  constructor(
    private readonly db: Db,
    private readonly facts: CampaignFactsBuilder,
    private readonly exportsService: ExportsService,
    private readonly rasteriser: ChartRasteriser,
    private readonly fonts: FontsService,
    private readonly events: EventHub,
  ) {
    this.repo = lettersRepo(db);
    this.keptStatistics = new KeptUntilChange(db, 'keep');
  }

  // ── templates ──────────────────────────────────────────────────────────────────────────────

  template(kind: LetterKind): { template: LetterTemplate; updatedAt: string | null; updatedBy: string | null } {
    const saved = this.repo.template(kind);
    if (!saved) return { template: defaultTemplate(kind), updatedAt: null, updatedBy: null };
    return { template: completeTemplate(kind, saved.stored), updatedAt: saved.updatedAt, updatedBy: saved.updatedBy };
  }

  saveTemplate(kind: LetterKind, template: LetterTemplate, ctx: CallContext) {
    const actor = requireActor(ctx);
    const problem = templateProblem(kind, template);
    if (problem) throw new AppError('invalid_input', problem);
    const before = this.template(kind).template;
    tx(this.db, () => {
      this.repo.saveTemplate(kind, template, actor.id, nowIso());
      writeAudit(this.db, {
        actorId: actor.id,
        action: 'letterTemplate.save',
        entity: 'letterTemplate',
        entityId: kind,
        before,
        after: template,
      });
    });
    this.events.emit('data:changed', { entity: 'letter', id: kind });
    return this.template(kind);
  }

  // ── composing ──────────────────────────────────────────────────────────────────────────────

  private checkUnit(fact: CampaignFact, kind: LetterKind, unitId: string | undefined): string | null {
    if (kind === 'bulletin') return null;
    if (!unitId) throw new AppError('invalid_input', `${LETTER_KIND_LABELS[kind]}按单位出具，请选择被评查单位。`);
    const unit = fact.units.find((u) => u.unitId === unitId);
    if (!unit) throw new AppError('not_found', '该单位不在本评查活动中。');
    if (!unit.files.length) throw new AppError('conflict', `${unit.unitName}还没有已评分的案卷，无法出具${LETTER_KIND_LABELS[kind]}。`);
    if (kind === 'notice' && !hasProblems(unit))
      throw new AppError('conflict', noRectificationReason(unit.unitName), { reason: 'no_problems' });
    return unitId;
  }

  /** The content of a letter; the 文号 is the one already assigned, else a blank serial (assigned at export). */
  compose(
    facts: CampaignFacts,
    kind: LetterKind,
    unitId: string | null,
    template: LetterTemplate,
    date: string,
    includeProvisional = false,
  ): GongwenDoc {
    const existing = this.repo.openLetter(facts.fact.campaignId, kind, unitId);
    // A letter checked for issuing shows and exports exactly the content that was checked.
    const checked = existing?.status === 'checked' ? this.repo.checkedContent(existing.id) : null;
    if (checked) return checked;
    const body = template.signer || facts.fact.issuingBody;
    const year = Number(date.slice(0, 4));
    const kept = existing ? keptNumber(existing, body, year) : null;
    const number = kept ?? (template.numberPrefix ? `${template.numberPrefix}〔${year}〕\u3000号` : null);
    return composeLetter(kind, facts.fact, unitId, template, { date, documentNumber: number, includeProvisional });
  }

  async preview(input: {
    campaignId: string;
    kind: LetterKind;
    unitId?: string | undefined;
    template?: LetterTemplate | undefined;
    date?: string | undefined;
    includeProvisional?: boolean | undefined;
  }) {
    const template = input.template ?? this.template(input.kind).template;
    if (input.template) {
      const problem = templateProblem(input.kind, template);
      if (problem) throw new AppError('invalid_input', problem);
    }
    const facts = this.facts.build(input.campaignId);
    const unitId = this.checkUnit(facts.fact, input.kind, input.unitId);
    const doc = this.compose(facts, input.kind, unitId, template, input.date ?? localToday(), input.includeProvisional ?? false);
    return { doc, fonts: await this.fonts.check(fontsOf(doc)), readiness: this.readiness(facts, unitId) };
  }

  /** What keeps the letter (a unit's, or the 通报 with unitId null) from being finalised. */
  readiness(facts: CampaignFacts, unitId: string | null): LetterReadiness {
    const mine = <T extends { unitId: string }>(xs: T[]): T[] => xs.filter((x) => unitId === null || x.unitId === unitId);
    return { pending: mine(facts.pending), unreasoned: mine(facts.unreasoned) };
  }

  /**
   * A deduction without the reviewer's reason never reaches a letter: the bureau would be asserting a
   * problem it cannot state. Refused for every export and for 核对定稿, listing file, item and reviewer.
   */
  private refuseUnreasoned(facts: CampaignFacts, unitId: string | null): void {
    const items = this.readiness(facts, unitId).unreasoned;
    if (!items.length) return;
    throw new AppError(
      'conflict',
      `以下扣分没有填写评查意见（扣分理由），不能写入文书：${items.slice(0, 5).map(unreasonedLabel).join('；')}${items.length > 5 ? ` 等${items.length}项` : ''}。请评查人补填理由（或合议后定分）后再出具。`,
      {
        reason: 'deduction_without_reason',
        items: items.map((i) => ({ caseNumber: i.caseNumber, itemCode: i.itemCode, reviewers: i.reviewers })),
      },
    );
  }

  /**
   * A signed letter speaks for the whole review of the unit (or campaign): while any drawn file is
   * still unscored or awaiting its final score, 核对定稿 and 签发 are refused, naming the files.
   */
  private refusePending(facts: CampaignFacts, unitId: string | null, purpose: 'issue' | 'export' | 'exportAll' = 'issue'): void {
    const pending = this.readiness(facts, unitId).pending;
    if (!pending.length) return;
    throw new AppError(
      'conflict',
      `以下抽取的案卷尚未形成最终评查结果：${pending.slice(0, 8).map(pendingLabel).join('、')}${pending.length > 8 ? ` 等${pending.length}件` : ''}。${
        purpose === 'issue'
          ? '签发的文书只能引用最终结果：请先完成评分和合议定分，再核对定稿。'
          : unitId === null && purpose === 'export'
            ? '通报的件数、等次和排名须一致：请先完成评分和合议定分，或选择“包含暂定结果”（通报将逐项标明暂定）后再导出。'
            : '文书所述的评查件数须与抽取的案卷一致：请先完成评分和合议定分，或选择“包含暂定结果”后再导出。'
      }`,
      {
        reason: 'results_pending',
        provisional: pending.filter((p) => p.state === 'provisional').map((p) => p.caseNumber),
        pending: pending.map((p) => p.caseNumber),
      },
    );
  }

  /**
   * Assigns the letter's 文号 (once; a re-export keeps it) and returns the letter with it. A number
   * typed by a person (`requested`, e.g. at 核对定稿) replaces the proposed one: it must be written the
   * GB/T 9704 way and used by no other letter; the body's sequence then continues after it.
   */
  private assignNumber(
    campaignId: string,
    kind: LetterKind,
    unitId: string | null,
    template: LetterTemplate,
    body: string,
    date: string,
    actorId: string,
    requested: string | null = null,
  ): { id: string; number: string | null } {
    return tx(this.db, () => {
      const now = nowIso();
      let row = this.repo.openLetter(campaignId, kind, unitId);
      if (!row) {
        const id = randomUUID();
        this.repo.insertLetter({
          id,
          campaignId,
          unitId,
          kind,
          issuingBody: body,
          numberPrefix: template.numberPrefix,
          createdBy: actorId,
          at: now,
        });
        row = this.repo.openLetter(campaignId, kind, unitId)!;
      }
      const year = Number(date.slice(0, 4));
      if (requested !== null && requested !== row.document_number && row.status === 'checked')
        throw new AppError('conflict', '该文书已核对定稿，文号随内容冻结；如需改用其他文号，请先“退回修改”。', { path: 'documentNumber' });
      if (requested !== null && requested !== row.document_number)
        return { id: row.id, number: this.setNumber(row, body, requested, campaignId, kind, unitId, actorId) };
      const kept = keptNumber(row, body, year);
      if (requested !== null || kept || !template.numberPrefix) {
        this.repo.touchLetter(row.id, now);
        return { id: row.id, number: requested ?? kept };
      }
      const serial = this.nextSerial(body, template.numberPrefix, year);
      this.repo.recordSerial(body, template.numberPrefix, year, serial, 'advance');
      const number = documentNumber(template.numberPrefix, year, serial);
      this.repo.setNumber(row.id, { issuingBody: body, prefix: template.numberPrefix, year, serial, documentNumber: number }, now);
      writeAudit(this.db, {
        actorId,
        action: 'letter.number',
        entity: 'letter',
        entityId: row.id,
        campaignId,
        before: row.document_number,
        after: { kind, unitId, number },
      });
      return { id: row.id, number };
    });
  }

  /** The next serial of the body's sequence that no letter uses yet (the bureau may have set the sequence back). */
  private nextSerial(body: string, prefix: string, year: number): number {
    let serial = (this.repo.lastSerial(body, prefix, year) ?? 0) + 1;
    while (this.numberHolder(documentNumber(prefix, year, serial), null) || this.repo.serialTaken(body, prefix, year, serial)) serial += 1;
    return serial;
  }

  /** Which letter already carries a 文号 (other than `exceptLetterId`), in words, or null. */
  private numberHolder(number: string, exceptLetterId: string | null): string | null {
    const letter = this.repo.letterNumbered(number, exceptLetterId);
    if (letter) return `${letter.campaignName}的${letter.unitName ? `${letter.unitName}` : ''}${LETTER_KIND_LABELS[letter.kind]}`;
    const issued = this.repo.issuedNumbered(number, exceptLetterId);
    return issued !== null ? `已签发的《${issued}》` : null;
  }

  /** A person's 文号 for the letter, checked (GB/T 9704 form, unused), audited; the sequence continues after it. */
  private setNumber(
    row: LetterRow,
    body: string,
    requested: string,
    campaignId: string,
    kind: LetterKind,
    unitId: string | null,
    actorId: string,
  ): string {
    const number = requested.trim();
    const parts = parseDocumentNumber(number);
    if (!parts)
      throw new AppError(
        'invalid_input',
        `文号“${number}”的写法不对：应写作“机关代字〔年份〕序号号”，如“清司监〔2026〕3号”（年份写全，用六角括号，序号不编虚位、不加“第”）。`,
        { path: 'documentNumber' },
      );
    const holder = this.numberHolder(number, row.id);
    if (holder)
      throw new AppError('conflict', `文号“${number}”已被${holder}使用，文号不能重复，请改用其他文号。`, { path: 'documentNumber' });
    this.repo.setNumber(
      row.id,
      { issuingBody: body, prefix: parts.prefix, year: parts.year, serial: parts.serial, documentNumber: number },
      nowIso(),
    );
    this.repo.recordSerial(body, parts.prefix, parts.year, parts.serial, 'advance');
    writeAudit(this.db, {
      actorId,
      action: 'letter.number',
      entity: 'letter',
      entityId: row.id,
      campaignId,
      before: row.document_number,
      after: { kind, unitId, number, typed: true },
    });
    return number;
  }

  /**
   * The 文号 the letter has or would get now (shown, editable, before 核对定稿), and the body's
   * sequence for the template's prefix in the letter's year.
   */
  numbering(input: { campaignId: string; kind: LetterKind; unitId?: string | undefined; date?: string | undefined }) {
    const campaign = this.facts.campaignHead(input.campaignId);
    const template = this.template(input.kind).template;
    const body = template.signer || campaign.issuingBody;
    const year = Number((input.date ?? localToday()).slice(0, 4));
    const row = this.repo.openLetter(input.campaignId, input.kind, input.kind === 'bulletin' ? null : (input.unitId ?? null));
    const next = template.numberPrefix ? this.nextSerial(body, template.numberPrefix, year) : null;
    const assigned = row ? keptNumber(row, body, year) : null;
    return {
      issuingBody: body,
      prefix: template.numberPrefix,
      year,
      nextSerial: next,
      assigned,
      proposed: assigned ?? (next !== null ? documentNumber(template.numberPrefix, year, next) : null),
    };
  }

  /** The bureau sets where its sequence continues (e.g. numbers already used on paper this year). */
  setNextSerial(input: { campaignId: string; kind: LetterKind; year: number; nextSerial: number }, ctx: CallContext) {
    const actor = requireActor(ctx);
    const campaign = this.facts.campaignHead(input.campaignId);
    const template = this.template(input.kind).template;
    if (!template.numberPrefix)
      throw new AppError('invalid_input', '请先在模板中填写文号前缀（如“清司监”）并保存，再设定下一个文号。', { path: 'nextSerial' });
    const body = template.signer || campaign.issuingBody;
    const number = documentNumber(template.numberPrefix, input.year, input.nextSerial);
    const holder = this.numberHolder(number, null);
    if (holder) throw new AppError('conflict', `文号“${number}”已被${holder}使用，请从未用过的序号开始。`, { path: 'nextSerial' });
    tx(this.db, () => {
      const before = this.repo.lastSerial(body, template.numberPrefix, input.year);
      this.repo.recordSerial(body, template.numberPrefix, input.year, input.nextSerial - 1, 'set');
      writeAudit(this.db, {
        actorId: actor.id,
        action: 'letter.sequence',
        entity: 'letterSequence',
        entityId: `${body}/${template.numberPrefix}/${input.year}`,
        campaignId: input.campaignId,
        before: before ?? null,
        after: { nextSerial: input.nextSerial },
      });
    });
    this.events.emit('data:changed', { entity: 'letter', campaignId: input.campaignId });
    return this.numbering({ campaignId: input.campaignId, kind: input.kind, date: `${input.year}-01-01` });
  }

  /**
   * 核对 before issuing: the unit's open letter (created and numbered if need be) and its content as it
   * would be exported now — the same path as the DOCX export.
   */
  prepare(
    input: {
      campaignId: string;
      kind: LetterKind;
      unitId?: string | undefined;
      includeProvisional: boolean;
      date?: string | undefined;
      documentNumber?: string | undefined;
    },
    actorId: string,
    purpose: 'export' | 'issue' = 'export',
  ) {
    const facts = this.facts.build(input.campaignId);
    const unitId = this.checkUnit(facts.fact, input.kind, input.unitId);
    if (purpose === 'issue') this.refusePending(facts, unitId);
    else if (!input.includeProvisional) this.refuseUnsettled(facts, input.kind, unitId);
    this.refuseUnreasoned(facts, unitId);
    const template = this.template(input.kind).template;
    const date = input.date ?? localToday();
    const requested = input.documentNumber?.trim() || null;
    // A letter is issued with its 文号 (GB/T 9704): without a prefix to number from, one must be typed.
    if (purpose === 'issue' && !requested && !template.numberPrefix)
      throw new AppError(
        'invalid_input',
        `签发的${LETTER_KIND_LABELS[input.kind]}须有发文字号：请在文书模板中填写文号前缀（如“清司监”），或在签发栏直接填写文号。`,
        { path: 'documentNumber' },
      );
    const letter = this.assignNumber(
      input.campaignId,
      input.kind,
      unitId,
      template,
      template.signer || facts.fact.issuingBody,
      date,
      actorId,
      requested,
    );
    const doc =
      this.repo.checkedContent(letter.id) ??
      composeLetter(input.kind, facts.fact, unitId, template, {
        date,
        documentNumber: letter.number,
        includeProvisional: purpose !== 'issue' && input.includeProvisional,
      });
    const unitName = unitId ? (facts.fact.units.find((u) => u.unitId === unitId)?.unitName ?? null) : null;
    return { letter, doc, unitId, unitName, fileBase: this.fileNameOf(input.kind, doc, unitName).replace(/\.docx$/, '') };
  }

  /**
   * Export without 包含暂定结果: a letter speaks for the whole draw — the unit's, or for the 通报 the
   * campaign's — so it is refused (results_pending) while any drawn file is unsettled, scored or not;
   * otherwise its drawn, reviewed and graded counts would contradict each other.
   */
  private refuseUnsettled(facts: CampaignFacts, kind: LetterKind, unitId: string | null): void {
    this.refusePending(facts, kind === 'bulletin' ? null : unitId, 'export');
  }

  /** PNG of each chart of a letter, keyed by its SVG (the DOCX and the PDF rendition embed these). */
  async chartImages(doc: GongwenDoc): Promise<Map<string, Uint8Array>> {
    const svgs = [...doc.blocks, ...doc.appendices.flatMap((a) => a.blocks)].flatMap((b) => (b.type === 'chart' ? [b.chart.svg] : []));
    return this.rasteriser.pngs(svgs);
  }

  /** DOCX bytes of a composed letter (charts rasterised first: the template itself stays pure). */
  /** The letter as DOCX; an issued letter also carries its verification block (mark and QR code). */
  async docxBytes(doc: GongwenDoc, verification: DocxVerification | null = null): Promise<Uint8Array> {
    const [{ Packer }, { gongwenLetterDocument }] = await Promise.all([loadDocx(), import('./gongwen-letter.js')]);
    return Packer.toBuffer(gongwenLetterDocument(doc, await this.chartImages(doc), verification));
  }

  private fileNameOf(kind: LetterKind, doc: GongwenDoc, unitName: string | null): string {
    return safeFileName(
      `${LETTER_KIND_LABELS[kind]}-${unitName ?? doc.title}${doc.head.documentNumber ? `-${doc.head.documentNumber}` : ''}.docx`,
    );
  }

  /** One letter: compose with its number, then DOCX. Shared by the single and the batch export. */
  private async buildOne(
    facts: CampaignFacts,
    kind: LetterKind,
    unitId: string | null,
    template: LetterTemplate,
    date: string,
    letter: { id: string; number: string | null },
    includeProvisional: boolean,
  ) {
    const doc =
      this.repo.checkedContent(letter.id) ??
      composeLetter(kind, facts.fact, unitId, template, { date, documentNumber: letter.number, includeProvisional });
    const unitName = unitId ? (facts.fact.units.find((u) => u.unitId === unitId)?.unitName ?? null) : null;
    return { letter, doc, fileName: this.fileNameOf(kind, doc, unitName), bytes: await this.docxBytes(doc) };
  }

  async export(
    input: { campaignId: string; kind: LetterKind; unitId?: string | undefined; includeProvisional: boolean; date?: string | undefined },
    ctx: CallContext,
  ) {
    const actor = requireActor(ctx);
    const facts = this.facts.build(input.campaignId);
    const unitId = this.checkUnit(facts.fact, input.kind, input.unitId);
    if (!input.includeProvisional) this.refuseUnsettled(facts, input.kind, unitId);
    this.refuseUnreasoned(facts, unitId);
    const template = this.template(input.kind).template;
    const date = input.date ?? localToday();
    const letter = this.assignNumber(
      input.campaignId,
      input.kind,
      unitId,
      template,
      template.signer || facts.fact.issuingBody,
      date,
      actor.id,
    );
    const built = await this.buildOne(facts, input.kind, unitId, template, date, letter, input.includeProvisional);
    const out = await this.exportsService.register(input.kind, built.fileName, built.bytes, DOCX_MIME, ctx, input.campaignId);
    this.repo.setLastExport(built.letter.id, out.id);
    this.events.emit('data:changed', { entity: 'letter', id: built.letter.id, campaignId: input.campaignId });
    return { fileName: out.fileName, url: out.url, bytes: out.bytes, documentNumber: built.letter.number };
  }

  /** Every unit's letter in one ZIP (a unit without scored files gets none). */
  async exportAll(
    input: { campaignId: string; kind: 'opinion' | 'notice'; includeProvisional: boolean; date?: string | undefined },
    ctx: CallContext,
    signal?: AbortSignal,
  ) {
    const actor = requireActor(ctx);
    const facts = this.facts.build(input.campaignId);
    // The batch is every unit's letter at once: each speaks for its unit's whole draw, as the single export does.
    if (!input.includeProvisional) this.refusePending(facts, null, 'exportAll');
    this.refuseUnreasoned(facts, null);
    const scored = facts.fact.units.filter((u) => u.files.length);
    if (!scored.length) throw new AppError('conflict', '本评查活动还没有已评分的案卷。');
    // A unit with nothing to rectify gets no 整改通知书; the result says which and why.
    const units = input.kind === 'notice' ? scored.filter(hasProblems) : scored;
    const skipped = scored
      .filter((u) => !units.includes(u))
      .map((u) => ({ unitId: u.unitId, unitName: u.unitName, reason: noRectificationReason(u.unitName) }));
    if (!units.length)
      throw new AppError('conflict', `抽查案卷均未发现问题，不生成整改通知书（${skipped.map((u) => u.unitName).join('、')}）。`, {
        reason: 'no_problems',
      });
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
    const letters = tx(this.db, () =>
      units.map((u) => this.assignNumber(input.campaignId, input.kind, u.unitId, template, body, date, actor.id)),
    );
    const names = new Set<string>();
    for (const [i, unit] of units.entries()) {
      if (signal?.aborted) throw new AppError('cancelled');
      const built = await this.buildOne(facts, input.kind, unit.unitId, template, date, letters[i]!, input.includeProvisional);
      let name = built.fileName;
      for (let n = 2; names.has(name); n++) name = built.fileName.replace(/\.docx$/, `(${n}).docx`);
      names.add(name);
      zip.addBuffer(Buffer.from(built.bytes), name, { compress: false });
      this.events.emit('job:progress', {
        jobId,
        kind: 'letters',
        done: i + 1,
        total: units.length,
        message: `已生成 ${unit.unitName}`,
        finished: false,
      });
    }
    zip.end();
    const bytes = await done;
    const fileName = safeFileName(`${LETTER_KIND_LABELS[input.kind]}-${facts.fact.name}-${units.length}份.zip`);
    const out = await this.exportsService.register(`${input.kind}Batch`, fileName, bytes, ZIP_MIME, ctx, input.campaignId);
    this.events.emit('job:progress', {
      jobId,
      kind: 'letters',
      done: units.length,
      total: units.length,
      message: '已完成',
      finished: true,
    });
    this.events.emit('data:changed', { entity: 'letter', campaignId: input.campaignId });
    return { fileName: out.fileName, url: out.url, bytes: out.bytes, count: units.length, skipped };
  }

  // ── list and statistics ────────────────────────────────────────────────────────────────────

  list(campaignId: string): ChannelOutput<'letter:list'> {
    const facts = this.facts.build(campaignId, { stored: true });
    const ranking = new Map(rankUnits(facts.fact).map((r) => [r.unitId, r]));
    const units = facts.fact.units.map((u) => {
      const r = ranking.get(u.unitId);
      return {
        unitId: u.unitId,
        unitName: u.unitName,
        fileCount: unitReviewedCount(u),
        finalCount: u.files.filter((f) => f.final).length,
        provisionalCount: u.files.filter((f) => !f.final).length,
        unscoredCount: facts.unscored.filter((x) => x.unitId === u.unitId).length,
        pendingFiles: facts.pending.filter((x) => x.unitId === u.unitId).map((x) => x.caseNumber),
        pendingUnscored: facts.pending.filter((x) => x.unitId === u.unitId && x.state === 'unscored').length,
        average: r?.average ?? null,
        grade: r?.grade ?? null,
        problemCount: r?.problemCount ?? 0,
        noticeSkipReason: u.files.length && !hasProblems(u) ? noRectificationReason(u.unitName) : null,
      };
    });
    return { units, letters: this.repo.openLettersOfCampaign(campaignId) };
  }

  /**
   * A province's statistics read every file's stored result; the screen asks again on every visit and
   * after every change elsewhere. The figures are kept per campaign until anything is written, so they
   * can never differ from what the letters would say.
   */
  private readonly keptStatistics: KeptUntilChange;

  statistics(campaignId: string): ChannelOutput<'stats:campaign'> {
    return this.keptStatistics.get(campaignId, () => this.computeStatistics(campaignId));
  }

  private computeStatistics(campaignId: string): ChannelOutput<'stats:campaign'> {
    const lean = this.facts.statisticsFacts(campaignId);
    if (lean) return campaignStatistics(lean);
    const facts = this.facts.build(campaignId, { stored: true });
    return campaignStatistics({
      fact: facts.fact,
      submittedCount: facts.submittedCount,
      missingCount: facts.missingCount,
      drawn: facts.drawn,
      provisionalCount: facts.provisional.length,
      unscoredCount: facts.unscored.length,
    });
  }

  handlers(): Pick<
    Handlers,
    | 'letter:template'
    | 'letter:saveTemplate'
    | 'letter:list'
    | 'letter:preview'
    | 'letter:export'
    | 'letter:exportAll'
    | 'letter:numbering'
    | 'letter:setNextNumber'
    | 'font:check'
    | 'stats:campaign'
  > {
    return {
      'letter:numbering': (input) => this.numbering(input),
      'letter:setNextNumber': (input, ctx) => this.setNextSerial(input, ctx),
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
