/**
 * Dossier import at campaign scale: units, case lists (read, mapped, mappings remembered per unit),
 * sources (PDFs, folders' files, zips), the preview that matches files to cases, and the import job.
 *
 * The job inspects files in worker threads (hash, pages, text layer, page text) with a time limit each,
 * and commits every accepted file on its own: the blob is renamed into the store first, then one
 * transaction writes the case (when it is the case's first file), the document, its page text, the
 * batch item and the audit rows. A crash or a cancel between files therefore leaves only whole files;
 * a rejected file leaves nothing but its item with the reason.
 */
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import fsp from 'node:fs/promises';
import { toHalfWidth } from '../../../shared/dossiers/case-number.js';
import { AppError } from '../../../shared/core/errors.js';
import type { CaseSource, ImportItem, ImportRequest, ImportStart, ListLayout } from '../../../shared/import/api.js';
import {
  guessMapping,
  LIST_FIELD_LABELS,
  LIST_FIELDS,
  mappingToSaved,
  savedToMapping,
  type ColumnMapping,
  type SavedMapping,
} from '../../../shared/import/fields.js';
import { MISSING_DOSSIER_MESSAGE, type FileRejection, type RowOutcome } from '../../../shared/import/outcomes.js';
import { guessLayout, headerTexts, previewRows, readCaseList, type SheetTable } from '../../../shared/import/rows.js';
import { writeAudit } from '../core/audit.js';
import type { Staging } from '../core/bytes.js';
import { nowIso, requireActor, type Actor, type CallContext } from '../core/context.js';
import { tx, type Db } from '../core/db/database.js';
import type { Handlers } from '../core/dispatcher.js';
import { addDocument, registerCase } from '../dossiers/index.js';
import type { EventHub } from '../core/event-hub.js';
import type { ExportsService } from '../core/downloads.js';
import type { JobControl, JobRunner } from '../core/jobs.js';
import type { Inspected, PdfInspectPool } from '../core/pdf/inspect-pool.js';
import type { BlobStore } from '../core/blob-store.js';
import type { UnitsService } from '../campaigns/index.js';
import { LIST_EXTENSIONS, readListFile } from './case-list.js';
import { readContents, type ScanPageReader } from './content.js';
import {
  filesToReadContent,
  inventory,
  markIdentical,
  matchPlan,
  previewOf,
  targetsFor,
  type CaseFields,
  type Plan,
  type PlanFile,
  type PlanTarget,
  type StagedInput,
} from './plan.js';
import { ImportRepo } from './repo.js';
import { batchSummary, summaryWorkbook, XLSX_MIME } from './summary.js';
import { DEFAULT_ZIP_LIMITS, extractTo, walkZip, type ZipLimits } from './zip-source.js';
import { storageFault } from '../core/storage-faults.js';
import { libraryErrorText } from '../core/library-errors.js';

export interface ImportLimits {
  maxFileBytes: number;
  zip: ZipLimits;
}

export const DEFAULT_IMPORT_LIMITS: ImportLimits = { maxFileBytes: 2 * 1024 ** 3, zip: DEFAULT_ZIP_LIMITS };

/** Saved mappings are keyed by the unit's name as people type it: spaces and full-width forms aside. */
const unitKey = (name: string): string => toHalfWidth(name.normalize('NFKC')).replace(/\s+/g, '');

/** The text fields a list row may fill in on a case that already exists (never overwriting). */
const MERGEABLE = [
  'title',
  'cause',
  'party',
  'enforcementBody',
  'decision',
  'handler',
  'externalCode',
  'filedOn',
  'closedOn',
  'penaltyAmount',
  'confiscatedAmount',
  'penaltyText',
] as const;
const COLUMN: Record<(typeof MERGEABLE)[number], string> = {
  title: 'title',
  cause: 'cause',
  party: 'party',
  enforcementBody: 'enforcement_body',
  decision: 'decision',
  handler: 'handler',
  externalCode: 'external_code',
  filedOn: 'filed_on',
  closedOn: 'closed_on',
  penaltyAmount: 'penalty_amount',
  confiscatedAmount: 'confiscated_amount',
  penaltyText: 'penalty_text',
};
const MERGE_LABELS: Record<(typeof MERGEABLE)[number], string> = {
  ...LIST_FIELD_LABELS,
  confiscatedAmount: '没收金额',
  penaltyText: '处罚金额原文',
};

/** A file ready for inspection: a private copy the run may move into the store or delete. */
interface Prepared {
  file: PlanFile;
  path: string;
}

/** A small bounded hand-over between the reader of the sources and the inspecting consumers. */
class Handover<T> {
  private readonly items: T[] = [];
  private waitingTakers: Array<(v: T | null) => void> = [];
  private waitingGivers: Array<() => void> = [];
  private closed = false;
  constructor(private readonly capacity: number) {}
  async give(item: T): Promise<void> {
    while (this.items.length >= this.capacity && !this.closed) await new Promise<void>((r) => this.waitingGivers.push(r));
    const taker = this.waitingTakers.shift();
    if (taker) taker(item);
    else this.items.push(item);
  }
  async take(): Promise<T | null> {
    const item = this.items.shift();
    if (item !== undefined) {
      this.waitingGivers.shift()?.();
      if (this.closed && !this.items.length) for (const t of this.waitingTakers.splice(0)) t(null);
      return item;
    }
    if (this.closed) return null;
    return new Promise((r) => this.waitingTakers.push(r));
  }
  /** No more items will come: takers drain what is left, then get null. */
  end(): void {
    this.closed = true;
    if (!this.items.length) for (const t of this.waitingTakers.splice(0)) t(null);
    for (const g of this.waitingGivers.splice(0)) g();
  }
}

export class ImportService {
  private readonly repo: ImportRepo;

  constructor(
    private readonly db: Db,
    private readonly store: BlobStore,
    private readonly staging: Staging,
    private readonly jobs: JobRunner,
    private readonly pool: PdfInspectPool,
    private readonly events: EventHub,
    private readonly exportsService: ExportsService,
    private readonly units: UnitsService,
    private readonly limits: ImportLimits = DEFAULT_IMPORT_LIMITS,
  ) {
    // A batch still "running" at start-up was cut off by a crash or power cut: its items are whole.
    this.repo = new ImportRepo(db);
    this.repo.interruptRunning(nowIso());
  }

  private requireCampaign(campaignId: string): { status: string; name: string } {
    const row = this.repo.campaign(campaignId);
    if (!row) throw new AppError('not_found', '评查活动不存在。');
    return row;
  }

  // ── case lists ─────────────────────────────────────────────────────────────────────────────

  private async loadSheet(
    sourceId: string,
    actor: Actor,
    sheetName?: string,
  ): Promise<{ tables: SheetTable[]; table: SheetTable; fileName: string }> {
    const staged = this.staging.get(sourceId, actor.id);
    if (!LIST_EXTENSIONS.test(staged.name) && !/\.(xls|et|ods|wps|numbers)$/i.test(staged.name))
      throw new AppError('unsupported_file', `“${staged.name}”不是案件清单表格，请选择 .xlsx 或 .csv 文件。`);
    const tables = await readListFile(staged.file, staged.name);
    let table = sheetName ? tables.find((t) => t.name === sheetName) : undefined;
    if (sheetName && !table) throw new AppError('not_found', `清单中没有名为“${sheetName}”的工作表。`);
    // Without a choice, the first sheet that has a 案号 column (a cover sheet often comes first).
    table ??= tables.find((t) => guessLayout(t).mapping.caseNumber != null) ?? tables[0]!;
    return { tables, table, fileName: staged.name };
  }

  private savedMappings(unitName: string | undefined): Array<{ unitName: string; saved: SavedMapping }> {
    const rows = this.repo.savedMappings();
    const key = unitName ? unitKey(unitName) : null;
    rows.sort((a, b) => Number(b.unitKey === key) - Number(a.unitKey === key));
    return rows.map((r) => ({ unitName: r.unitName, saved: r.saved }));
  }

  async readList(input: Parameters<Handlers['import:readList']>[0], actor: Actor): Promise<ListLayout> {
    const { tables, table, fileName } = await this.loadSheet(input.sourceId, actor, input.sheetName);
    const guessed = guessLayout(table);
    const headerRow = input.headerRow ?? guessed.headerRow;
    const headers = headerTexts(table.rows[headerRow]);
    let mapping: ColumnMapping = input.headerRow === undefined ? guessed.mapping : guessMapping(headers);
    let mappingSource: ListLayout['mappingSource'] = 'guessed';
    let savedFor: string | null = null;
    for (const candidate of this.savedMappings(input.unitName)) {
      const applied = savedToMapping(candidate.saved, headers);
      if (applied) {
        mapping = applied;
        mappingSource = 'saved';
        savedFor = candidate.unitName;
        break;
      }
    }
    const rows = previewRows(table, 0, Math.max(30, headerRow + 12)).map((r) => r.slice(0, 60).map((c) => c.slice(0, 200)));
    return {
      fileName,
      sheets: tables.map((t) => t.name),
      sheetName: table.name,
      headerRow,
      headers,
      rows,
      rowCount: table.rows.length,
      mapping: Object.fromEntries(LIST_FIELDS.map((f) => [f, mapping[f] ?? null])),
      mappingSource,
      savedFor,
    };
  }

  // ── planning ───────────────────────────────────────────────────────────────────────────────

  private stagedInputs(sourceIds: string[], actor: Actor): StagedInput[] {
    return [...new Set(sourceIds)].map((sourceId) => {
      const s = this.staging.get(sourceId, actor.id);
      return { sourceId, name: s.name, file: s.file, size: s.size };
    });
  }

  /** The inspection threads, started (if they are not yet) so the import that follows a preview starts at once. */
  warm(): Promise<void> {
    return this.pool.warm();
  }

  private scanReader: ScanPageReader | null = null;

  /** OCR for scanned files whose names do not say their case (wired by the back end). */
  setScanReader(reader: ScanPageReader): void {
    this.scanReader = reader;
  }

  async plan(req: ImportRequest, actor: Actor): Promise<Plan> {
    const campaign = this.requireCampaign(req.campaignId);
    void this.warm();
    if (campaign.status === 'archived') throw new AppError('locked', '该评查活动已归档，不能再导入案卷。');
    const staged = this.stagedInputs(req.sourceIds, actor);
    const defaults = req.defaults ?? {};
    let drafts: ReturnType<typeof readCaseList> | null = null;
    let listName = '';
    const skip = new Set<string>();
    if (req.list) {
      const { table, fileName } = await this.loadSheet(req.list.sourceId, actor, req.list.sheetName);
      if (req.list.mapping.caseNumber == null)
        throw new AppError('invalid_input', '请指定清单中哪一列是“案号”。', { path: 'list.mapping.caseNumber' });
      drafts = readCaseList(table, req.list.headerRow, req.list.mapping, defaults);
      listName = fileName;
      skip.add(req.list.sourceId);
    }
    // The list's unit names (and the default unit) as known units: 县市场监管局 is 清溪县市场监督管理局.
    const unitRows = new Map<string, number>();
    for (const d of drafts?.drafts ?? []) if (d.unitName) unitRows.set(d.unitName, (unitRows.get(d.unitName) ?? 0) + 1);
    if (defaults.unitName && !unitRows.has(defaults.unitName)) unitRows.set(defaults.unitName, 0);
    const unitResolution = this.units.resolveImported(req.campaignId, unitRows, req.keepUnitNames ?? []);
    const rename = (name: string): string => unitResolution.renamed.get(name) ?? name;
    const caseDrafts = (drafts?.drafts ?? []).map((d) =>
      unitResolution.renamed.has(d.unitName) ? { ...d, unitName: rename(d.unitName) } : d,
    );
    const resolvedDefaults = defaults.unitName ? { ...defaults, unitName: rename(defaults.unitName) } : defaults;
    const { files, ignored } = await inventory(staged, this.limits, skip);
    const candidates = targetsFor(this.repo, req.campaignId, caseDrafts);
    // Files whose names do not settle their case are matched by the 案号 their first pages state.
    const contents = await readContents(filesToReadContent(candidates, files), this.pool, this.scanReader);
    const targets = matchPlan(candidates, files, resolvedDefaults, contents);
    await markIdentical(this.repo, targets, files);
    return {
      unitResolution,
      campaignId: req.campaignId,
      listName,
      targets,
      files,
      skippedRows: drafts?.skipped ?? [],
      blankRows: drafts?.blankRows ?? 0,
      ignoredFiles: ignored,
      sourceIds: [...new Set([...req.sourceIds, ...(req.list ? [req.list.sourceId] : [])])],
    };
  }

  /** Applies the review screen's corrections; refuses targets that cannot take files. */
  private applyAssignments(plan: Plan, assignments: Record<string, string | null>): void {
    const byKey = new Map(plan.files.map((f) => [f.key, f]));
    const targets = new Map(plan.targets.map((t) => [t.key, t]));
    for (const [fileKey, targetKey] of Object.entries(assignments)) {
      const file = byKey.get(fileKey);
      if (!file) throw new AppError('invalid_input', '文件归属中有不在本批次里的文件，请重新核对。', { path: `assignments.${fileKey}` });
      if (file.refusal) continue;
      if (targetKey === null) {
        file.target = null;
        file.how = null;
        file.candidates = [];
        file.refusal = { code: 'unmatched', message: '核对时选择不导入' };
        continue;
      }
      const t = targets.get(targetKey);
      if (!t || (t.status !== 'new' && t.status !== 'existing'))
        throw new AppError('invalid_input', `文件“${file.path}”被指定到了不能登记的案件，请重新选择。`, { path: `assignments.${fileKey}` });
      file.target = targetKey;
      file.how = null;
      file.candidates = [];
    }
  }

  // ── the run ────────────────────────────────────────────────────────────────────────────────

  async start(input: ImportStart, ctx: CallContext): Promise<{ jobId: string; batchId: string }> {
    const actor = requireActor(ctx);
    const plan = await this.plan(input, actor);
    this.applyAssignments(plan, input.assignments ?? {});
    return this.launch(plan, actor, {
      registerRowsWithoutFiles: input.registerRowsWithoutFiles ?? true,
      saveMapping: input.saveMappingFor && input.list ? { unitName: input.saveMappingFor, list: input.list } : null,
    });
  }

  /** Starts the job for a plan (the channel builds plans from uploads; tools build them from folders). */
  async launch(
    plan: Plan,
    actor: Actor,
    options: { registerRowsWithoutFiles: boolean; saveMapping?: { unitName: string; list: NonNullable<ImportRequest['list']> } | null },
  ): Promise<{ jobId: string; batchId: string }> {
    const batchId = randomUUID();
    const now = nowIso();
    let saved: SavedMapping | null = null;
    if (options.saveMapping) {
      const { table } = await this.loadSheet(options.saveMapping.list.sourceId, actor, options.saveMapping.list.sheetName);
      saved = mappingToSaved(options.saveMapping.list.mapping, headerTexts(table.rows[options.saveMapping.list.headerRow]));
    }
    const job = this.jobs.start({
      kind: 'import',
      owner: actor,
      campaignId: plan.campaignId,
      exclusiveKey: `import:${plan.campaignId}`,
      resultId: batchId,
      initial: { message: '正在准备导入…' },
      run: (control) => this.run(batchId, plan, actor, options.registerRowsWithoutFiles, control),
    });
    tx(this.db, () => {
      this.repo.insertBatch({
        id: batchId,
        campaignId: plan.campaignId,
        listName: plan.listName,
        options: { registerRowsWithoutFiles: options.registerRowsWithoutFiles },
        createdBy: actor.id,
        at: now,
      });
      if (saved && options.saveMapping) {
        const name = options.saveMapping.unitName;
        this.repo.saveMapping(unitKey(name), name, saved, actor.id, now);
        writeAudit(this.db, {
          actorId: actor.id,
          action: 'listMapping.save',
          entity: 'list_mapping',
          entityId: unitKey(name),
          campaignId: plan.campaignId,
          after: saved,
        });
      }
      if (plan.unitResolution) this.units.rememberConfirmed(plan.campaignId, plan.unitResolution, actor.id);
      writeAudit(this.db, {
        actorId: actor.id,
        action: 'import.start',
        entity: 'import_batch',
        entityId: batchId,
        campaignId: plan.campaignId,
        after: { files: plan.files.length, list: plan.listName },
      });
    });
    return { jobId: job.jobId, batchId };
  }

  /** Batch outcomes a full disk kept from being written; written by the next import request. */
  private readonly pendingOutcomes: Array<() => void> = [];

  private writePendingOutcomes(): void {
    while (this.pendingOutcomes.length) {
      try {
        this.pendingOutcomes[0]!();
      } catch (err) {
        if (storageFault(err, this.dataDir)) return;
        throw err;
      }
      this.pendingOutcomes.shift();
    }
  }

  private get dataDir(): string {
    return path.dirname(this.staging.dir);
  }

  /**
   * Whatever stops a batch half-way (a full disk, a folder turned read-only, a bug), the batch does
   * not stay "running" and the uploads are freed from staging; committed files stay whole.
   */
  private async run(batchId: string, plan: Plan, actor: Actor, registerRowsWithoutFiles: boolean, control: JobControl): Promise<void> {
    try {
      await this.runBatch(batchId, plan, actor, registerRowsWithoutFiles, control);
    } catch (err) {
      try {
        this.repo.failRunning(batchId, nowIso());
      } catch {
        // Not even this could be written: the next start-up marks the batch interrupted.
      }
      throw storageFault(err, this.dataDir) ?? err;
    } finally {
      for (const sourceId of plan.sourceIds) await this.staging.discard(sourceId).catch(() => undefined);
    }
  }

  private async runBatch(batchId: string, plan: Plan, actor: Actor, registerRowsWithoutFiles: boolean, control: JobControl): Promise<void> {
    const { signal } = control;
    const campaignId = plan.campaignId;
    let seq = 0;
    const record = (
      item: Omit<ImportItem, 'seq' | 'caseId' | 'caseNumber' | 'size' | 'pageCount' | 'hasText' | 'ms'> &
        Partial<ImportItem> & { documentId?: string; sha256?: string; target?: PlanTarget },
    ): void => {
      this.repo.insertItem({
        batchId,
        seq: ++seq,
        kind: item.kind,
        path: item.path,
        outcome: item.outcome,
        code: item.code,
        message: item.message,
        caseId: item.caseId ?? null,
        caseNumber: item.caseNumber ?? '',
        documentId: item.documentId ?? null,
        sha256: item.sha256 ?? null,
        size: item.size ?? null,
        pageCount: item.pageCount ?? null,
        hasText: item.hasText === undefined || item.hasText === null ? null : item.hasText ? 1 : 0,
        ms: item.ms ?? null,
        // The list row behind a registered or completed case, so its screen can say where its facts came from.
        rowJson:
          item.target?.cells && item.target.rowNumber && item.caseId
            ? JSON.stringify({ rowNumber: item.target.rowNumber, cells: item.target.cells })
            : '',
      });
    };
    const recordNow = (item: Parameters<typeof record>[0]): void => tx(this.db, () => record(item));
    const targets = new Map(plan.targets.map((t) => [t.key, t]));
    const rowPath = (t: PlanTarget): string =>
      t.rowNumber ? `清单第 ${t.rowNumber} 行` : t.origin === 'fileName' ? '由文件名识别' : '本活动已有案件';
    const work = plan.files.filter((f) => !f.refusal && f.target);

    // 1. What the plan already refused, and files without a case.
    tx(this.db, () => {
      for (const f of plan.files) {
        if (f.refusal) {
          const identical = f.refusal.code === 'duplicate_file';
          record({
            kind: 'file',
            path: f.path,
            outcome: identical ? 'duplicate' : 'rejected',
            code: f.refusal.code,
            message: f.refusal.message,
            size: f.size,
            ...(identical && f.target ? { caseNumber: targets.get(f.target)?.fields.caseNumber } : {}),
          });
        } else if (!f.target) {
          const message = f.candidates.length
            ? `同时匹配到多个案件（${f.candidates.map((k) => targets.get(k)?.fields.caseNumber ?? k).join('、')}），请在核对页面指定`
            : targets.size
              ? '未能按案号、案件名称、当事人或序号匹配到案件'
              : '没有案件清单，文件名中也没有可识别的案号（请选择案件清单，或指定默认单位和案件类型）';
          record({ kind: 'file', path: f.path, outcome: 'rejected', code: 'unmatched', message, size: f.size });
        }
      }
      // 2. List rows that cannot become cases, and list rows for cases already in the campaign.
      for (const t of plan.targets) {
        if (t.origin !== 'list') continue;
        if (t.status === 'error' || t.status === 'duplicate') {
          const errors = t.issues.filter((i) => i.severity === 'error').map((i) => i.message);
          const code: RowOutcome =
            t.status === 'duplicate'
              ? 'duplicate_row'
              : errors.some((m) => m.includes('已在本活动中登记'))
                ? 'unit_conflict'
                : 'invalid_row';
          record({
            kind: 'row',
            path: rowPath(t),
            outcome: t.status === 'duplicate' ? 'duplicate' : 'rejected',
            code,
            message: errors.join('；'),
            caseNumber: t.fields.caseNumber,
          });
        } else if (t.status === 'existing') {
          const changed = this.mergeInto(t, actor, campaignId);
          record({
            kind: 'row',
            path: rowPath(t),
            outcome: changed.length ? 'merged' : 'unchanged',
            code: changed.length ? 'merged' : 'unchanged',
            message: changed.length ? `案号已在本活动中，补充了：${changed.join('、')}` : '案号已在本活动中，清单信息无变化',
            caseId: t.caseId,
            caseNumber: t.fields.caseNumber,
            target: t,
          });
        }
      }
    });

    // 3. The files, in worker threads, committed one by one.
    const positions = this.positions(work, targets);
    const seen = new Map<string, string>();
    const handled = new Set<string>();
    // A full disk or an unwritable data folder stops the batch: what was stored stays whole, the
    // files not reached are listed with the reason, and the job ends as failed.
    let fault: AppError | null = null;
    const halted = (): boolean => signal.aborted || fault !== null;
    const faultOf = (err: unknown): AppError | null => {
      const f = storageFault(err, this.dataDir);
      if (f) fault ??= f;
      return f;
    };
    const imported = new Map<string, number>();
    let done = 0;
    let pages = 0;
    let bytesDone = 0;
    const bytesTotal = work.reduce((n, f) => n + f.size, 0);
    control.report({ total: work.length, bytesTotal, message: work.length ? `共 ${work.length} 个文件待检查` : '没有需要导入的文件' });
    let lastChange = 0;
    const changed = (force = false): void => {
      if (!force && Date.now() - lastChange < 1000) return;
      lastChange = Date.now();
      this.events.emit('data:changed', { entity: 'case', campaignId });
    };
    const progress = (f: PlanFile, pageCount = 0): void => {
      handled.add(f.key);
      done++;
      pages += pageCount;
      bytesDone += f.size;
      control.report({ done, pages, bytesDone, message: `已处理 ${done} / ${work.length} 个文件` });
    };
    const release = async (prepared: Prepared): Promise<void> => {
      if (prepared.file.origin.kind === 'staged') await this.staging.discard(prepared.file.origin.sourceId);
      else await fsp.rm(prepared.path, { force: true });
    };

    const processOne = async (prepared: Prepared): Promise<void> => {
      const f = prepared.file;
      const target = targets.get(f.target!)!;
      let info: Inspected;
      try {
        info = await this.pool.inspect(prepared.path, { hash: true, withText: true, sizeBytes: f.size, signal });
      } catch (err) {
        await release(prepared);
        const e = err instanceof AppError ? err : new AppError('damaged_file', 'PDF 无法读取。');
        const code = ((e.details?.reason as FileRejection | undefined) ??
          (e.code === 'cancelled' ? 'cancelled' : 'unreadable')) as FileRejection;
        recordNow({
          kind: 'file',
          path: f.path,
          outcome: 'rejected',
          code,
          message: code === 'cancelled' ? '导入已取消，未处理' : e.message,
          size: f.size,
          caseNumber: target.fields.caseNumber,
        });
        progress(f);
        return;
      }
      const sha256 = info.sha256!;
      const size = info.size!;
      const duplicate = (): string | null => {
        const earlier = seen.get(sha256);
        if (earlier) return `与本批次中的“${earlier}”内容完全相同，未重复导入`;
        const row = this.repo.sameContentInCampaign(campaignId, sha256);
        return row ? `与已导入的“${row.fileName}”（案号 ${row.caseNumber}）内容完全相同，未重复导入` : null;
      };
      const dup = duplicate();
      if (dup) {
        await release(prepared);
        recordNow({
          kind: 'file',
          path: f.path,
          outcome: 'duplicate',
          code: 'duplicate_file',
          message: dup,
          size,
          sha256,
          caseNumber: target.fields.caseNumber,
        });
        progress(f, 0);
        return;
      }
      try {
        await this.store.adoptHashed(prepared.path, sha256, size);
      } catch (err) {
        await release(prepared);
        const stored = faultOf(err);
        recordNow({
          kind: 'file',
          path: f.path,
          outcome: 'rejected',
          code: stored ? 'storage_fault' : 'unreadable',
          message: stored?.message ?? (err as Error).message,
          size,
          caseNumber: target.fields.caseNumber,
        });
        progress(f);
        return;
      }
      if (prepared.file.origin.kind === 'staged') await this.staging.discard(prepared.file.origin.sourceId);
      try {
        const result = tx(this.db, () => {
          const again = duplicate();
          if (again) {
            record({
              kind: 'file',
              path: f.path,
              outcome: 'duplicate',
              code: 'duplicate_file',
              message: again,
              size,
              sha256,
              caseNumber: target.fields.caseNumber,
            });
            return null;
          }
          const ensured = this.ensureCase(target, actor, campaignId);
          const fileName = f.path.split('/').pop()!;
          const { documentId } = addDocument(this.db, actor, campaignId, ensured.id, {
            fileName,
            sha256,
            size,
            pageCount: info.pageCount,
            hasText: info.hasText,
            metadata: info.metadata,
            pageTexts: info.pageTexts,
            position: positions.get(f.key) ?? 0,
            auditExtra: { sourcePath: f.path, batchId },
          });
          record({
            kind: 'file',
            path: f.path,
            outcome: 'imported',
            code: 'imported',
            message: `${info.pageCount} 页，${info.hasText ? '有文字层' : '扫描件（无文字层）'}`,
            caseId: ensured.id,
            caseNumber: target.fields.caseNumber,
            documentId,
            sha256,
            size,
            pageCount: info.pageCount,
            hasText: info.hasText,
            ms: info.ms,
          });
          return ensured;
        });
        if (result) {
          target.caseId = result.id;
          seen.set(sha256, f.path);
          imported.set(target.key, (imported.get(target.key) ?? 0) + 1);
          changed();
        } else seen.set(sha256, f.path);
        progress(f, result ? info.pageCount : 0);
      } catch (err) {
        const stored = faultOf(err);
        if (stored) throw err;
        const e = err instanceof AppError ? err : new AppError('internal', (err as Error).message);
        recordNow({
          kind: 'file',
          path: f.path,
          outcome: 'rejected',
          code: 'case_rejected',
          message: e.message,
          size,
          caseNumber: target.fields.caseNumber,
        });
        progress(f);
      }
    };

    const handover = new Handover<Prepared>(this.pool.size + 1);
    const readSources = async (): Promise<void> => {
      const zips = new Map<string, { zipFile: string; entries: Map<number, PlanFile> }>();
      for (const f of work) {
        if (halted()) break;
        if (f.origin.kind === 'staged') await handover.give({ file: f, path: f.origin.file });
        else if (f.origin.kind === 'disk') {
          const copy = this.store.tempPath();
          try {
            await fsp.copyFile(f.origin.file, copy);
          } catch (err) {
            recordNow({
              kind: 'file',
              path: f.path,
              outcome: 'rejected',
              code: 'unreadable',
              message: `读取文件失败（${libraryErrorText(err)}）`,
              size: f.size,
            });
            progress(f);
            continue;
          }
          await handover.give({ file: f, path: copy });
        } else {
          const z = zips.get(f.origin.sourceId) ?? { zipFile: f.origin.zipFile, entries: new Map<number, PlanFile>() };
          z.entries.set(f.origin.index, f);
          zips.set(f.origin.sourceId, z);
        }
      }
      for (const z of zips.values()) {
        if (halted()) break;
        try {
          await walkZip(z.zipFile, this.limits.zip, async (entry, open) => {
            const f = z.entries.get(entry.index);
            if (!f || halted()) return;
            const target = this.store.tempPath();
            try {
              await extractTo(await open(), target, this.limits.zip.maxEntryBytes, signal);
            } catch (err) {
              if (faultOf(err)) throw err;
              const e = err as AppError;
              const code = (e.details?.reason as FileRejection | undefined) ?? 'zip_damaged';
              recordNow({
                kind: 'file',
                path: f.path,
                outcome: 'rejected',
                code,
                message: code === 'cancelled' ? '导入已取消，未处理' : e.message,
                size: f.size,
              });
              progress(f);
              return;
            }
            await handover.give({ file: f, path: target });
          });
        } catch (err) {
          if (faultOf(err)) break;
          // The zip broke part-way (its directory was read before): the entries not reached are refused.
          for (const f of z.entries.values()) {
            if (handled.has(f.key)) continue;
            recordNow({
              kind: 'file',
              path: f.path,
              outcome: 'rejected',
              code: 'zip_damaged',
              message: (err as Error).message,
              size: f.size,
            });
            progress(f);
          }
        }
      }
    };
    const consumers = Array.from({ length: this.pool.size + 1 }, async () => {
      for (let p = await handover.take(); p; p = await handover.take()) {
        if (halted()) {
          await release(p);
          continue;
        }
        try {
          await processOne(p);
        } catch (err) {
          // A bug or a disk failure on one file must not stall the batch.
          await release(p).catch(() => undefined);
          if (!handled.has(p.file.key)) {
            const stored = faultOf(err);
            try {
              recordNow({
                kind: 'file',
                path: p.file.path,
                outcome: 'rejected',
                code: stored ? 'storage_fault' : 'unreadable',
                message: stored?.message ?? `处理时出错：${libraryErrorText(err)}`,
                size: p.file.size,
              });
              progress(p.file);
            } catch (recordErr) {
              // Not recorded: the batch's closing step lists it with the reason.
              if (!faultOf(recordErr)) throw recordErr;
            }
          }
        }
      }
    });
    try {
      await readSources();
    } finally {
      // Consumers drain what was handed over (releasing it unprocessed when cancelled).
      handover.end();
      await Promise.all(consumers);
    }

    // 4. Files never reached (cancelled, or stopped by a storage fault), then the rows' outcomes.
    const stopped = fault as AppError | null;
    const cancelled = signal.aborted && !stopped;
    const finish = (): void =>
      tx(this.db, () => {
        for (const f of work) {
          if (handled.has(f.key)) continue;
          if (stopped)
            record({
              kind: 'file',
              path: f.path,
              outcome: 'rejected',
              code: 'storage_fault',
              message: `未处理：${stopped.message}`,
              size: f.size,
            });
          else record({ kind: 'file', path: f.path, outcome: 'rejected', code: 'cancelled', message: '导入已取消，未处理', size: f.size });
        }
        const filesPerTarget = new Map<string, number>();
        for (const f of work) filesPerTarget.set(f.target!, (filesPerTarget.get(f.target!) ?? 0) + 1);
        for (const t of plan.targets) {
          if (t.status !== 'new') continue;
          const got = imported.get(t.key) ?? 0;
          const had = filesPerTarget.get(t.key) ?? 0;
          // A case offered for a file's name (按文件名登记) that the person did not choose: nothing to say.
          if (t.origin === 'fileName' && !had) continue;
          if (got) {
            record({
              kind: 'row',
              path: rowPath(t),
              outcome: 'created',
              code: 'created',
              message: `登记案件，导入 ${got} 个文件`,
              caseId: t.caseId,
              caseNumber: t.fields.caseNumber,
              target: t,
            });
          } else if (stopped) {
            record({
              kind: 'row',
              path: rowPath(t),
              outcome: 'rejected',
              code: 'storage_fault',
              message: `案件未登记：${stopped.message}`,
              caseNumber: t.fields.caseNumber,
            });
          } else if (cancelled) {
            record({
              kind: 'row',
              path: rowPath(t),
              outcome: 'rejected',
              code: 'cancelled',
              message: '导入已取消，案件未登记',
              caseNumber: t.fields.caseNumber,
            });
          } else if (registerRowsWithoutFiles && t.origin === 'list') {
            try {
              const ensured = this.ensureCase(t, actor, campaignId);
              t.caseId = ensured.id;
              record({
                kind: 'row',
                path: rowPath(t),
                outcome: 'created',
                code: 'created',
                message: had ? `登记为缺卷（匹配到的 ${had} 个文件均未能导入），待补交案卷文件` : MISSING_DOSSIER_MESSAGE,
                caseId: t.caseId,
                caseNumber: t.fields.caseNumber,
                target: t,
              });
            } catch (err) {
              record({
                kind: 'row',
                path: rowPath(t),
                outcome: 'rejected',
                code: 'unit_conflict',
                message: (err as Error).message,
                caseNumber: t.fields.caseNumber,
              });
            }
          } else {
            record({
              kind: 'row',
              path: rowPath(t),
              outcome: 'rejected',
              code: 'no_files',
              message: had ? `匹配到的 ${had} 个文件均未能导入，案件未登记` : '没有匹配到 PDF 文件，案件未登记',
              caseNumber: t.fields.caseNumber,
            });
          }
        }
        this.repo.finishBatch(batchId, stopped ? 'failed' : cancelled ? 'cancelled' : 'done', nowIso());
        writeAudit(this.db, {
          actorId: actor.id,
          action: stopped ? 'import.fail' : cancelled ? 'import.cancel' : 'import.finish',
          entity: 'import_batch',
          entityId: batchId,
          campaignId,
          after: { done, pages, bytes: bytesDone, ...(stopped ? { error: stopped.code } : {}) },
        });
      });
    try {
      finish();
    } catch (err) {
      // On a disk still full the outcome cannot be written yet: it is kept and written as soon as
      // the next import request finds space again, so the batch never stays "running".
      if (!stopped || !faultOf(err)) throw err;
      this.pendingOutcomes.push(finish);
    }
    changed(true);
    if (stopped) throw stopped;
    control.report({
      message: cancelled ? `已取消：处理了 ${done} / ${work.length} 个文件，已导入的文件完整保留` : `完成：处理了 ${done} 个文件`,
    });
  }

  /** Document order within each case: what was there, then this batch's files by path (01-, 02- …). */
  private positions(work: PlanFile[], targets: Map<string, PlanTarget>): Map<string, number> {
    const byTarget = new Map<string, PlanFile[]>();
    for (const f of work) byTarget.set(f.target!, [...(byTarget.get(f.target!) ?? []), f]);
    const positions = new Map<string, number>();
    const collator = new Intl.Collator('zh-CN', { numeric: true });
    for (const [key, files] of byTarget) {
      const caseId = targets.get(key)?.caseId;
      const base = caseId ? this.repo.nextPosition(caseId) : 0;
      files.sort((a, b) => collator.compare(a.path, b.path)).forEach((f, i) => positions.set(f.key, base + i));
    }
    return positions;
  }

  /** Fills empty fields of an existing case from its list row (never overwrites); returns what it filled. */
  private mergeInto(t: PlanTarget, actor: Actor, campaignId: string): string[] {
    // An existing target always names its case (the plan tied the row to it).
    if (!t.caseId) return [];
    const row = this.repo.caseColumns(t.caseId);
    const filled: Partial<CaseFields> = {};
    for (const field of MERGEABLE) {
      const value = t.fields[field];
      const current = row[COLUMN[field]];
      if (value === null || value === '' || (current !== null && current !== '')) continue;
      (filled as Record<string, unknown>)[field] = value;
    }
    const names = Object.keys(filled) as Array<(typeof MERGEABLE)[number]>;
    if (!names.length) return [];
    this.repo.fillCase(
      t.caseId,
      names.map((n) => [COLUMN[n], filled[n] ?? null]),
      nowIso(),
    );
    writeAudit(this.db, { actorId: actor.id, action: 'case.update', entity: 'case', entityId: t.caseId, campaignId, after: filled });
    return names.map((n) => MERGE_LABELS[n]);
  }

  /** The target's case, created with its unit when this is its first file (inside the caller's transaction). */
  private ensureCase(t: PlanTarget, actor: Actor, campaignId: string): { id: string; created: boolean } {
    if (t.caseId) return { id: t.caseId, created: false };
    const { caseType, caseNumberKey: _key, ...fields } = t.fields;
    if (!caseType) throw new AppError('invalid_input', '案件类型未确定，无法登记。');
    // The unit names were resolved in the review step (matched to known units, or kept apart).
    return registerCase(this.db, actor, campaignId, { ...fields, caseType, unitMatch: 'exact' });
  }

  // ── channels ───────────────────────────────────────────────────────────────────────────────

  /**
   * Unit case counts count only the files the caller may see, and import records, which name every
   * file of a campaign, are only for those who see all files (the contract's role lists say the same;
   * this holds even if a role list is widened later).
   */
  /** The latest list row that registered or completed a case. */
  caseSource(caseId: string): CaseSource | null {
    return this.repo.caseSource(caseId);
  }

  handlers(): Pick<
    Handlers,
    | 'import:readList'
    | 'import:preview'
    | 'import:start'
    | 'import:result'
    | 'import:batches'
    | 'import:exportSummary'
    | 'import:discard'
    | 'import:caseSource'
  > {
    const seesAllOf = (ctx: CallContext, campaignId: string): void => {
      if (ctx.visibleCaseIds(campaignId) !== 'all')
        throw new AppError('forbidden', '导入记录包含本活动的全部案卷，仅评查组长、组织者和观察员可查看。');
    };
    return {
      'import:readList': (input, ctx) => this.readList(input, requireActor(ctx)),
      'import:caseSource': ({ caseId }) => this.caseSource(caseId),
      'import:preview': async (input, ctx) => {
        const plan = await this.plan(input, requireActor(ctx));
        return {
          ...previewOf(plan),
          unitMatches: plan.unitResolution?.matches ?? [],
          skippedRows: plan.skippedRows,
          blankRows: plan.blankRows,
          ignoredFiles: plan.ignoredFiles,
        };
      },
      'import:start': (input, ctx) => {
        this.writePendingOutcomes();
        return this.start(input, ctx);
      },
      'import:result': ({ batchId }, ctx) => {
        this.writePendingOutcomes();
        const summary = batchSummary(this.repo, batchId);
        seesAllOf(ctx, summary.campaignId);
        return summary;
      },
      'import:batches': ({ campaignId }, ctx) => {
        this.writePendingOutcomes();
        this.requireCampaign(campaignId);
        seesAllOf(ctx, campaignId);
        return this.repo.latestBatchIds(campaignId).map((id) => {
          const { items: _items, ...rest } = batchSummary(this.repo, id);
          return rest;
        });
      },
      'import:exportSummary': async ({ batchId }, ctx) => {
        const summary = batchSummary(this.repo, batchId);
        seesAllOf(ctx, summary.campaignId);
        const campaign = this.requireCampaign(summary.campaignId);
        const bytes = await summaryWorkbook(summary, campaign.name);
        const stamp = summary.startedAt.slice(0, 16).replace(/[-:T]/g, '');
        return this.exportsService.register(
          'importSummary',
          `案卷导入汇总-${campaign.name}-${stamp}.xlsx`,
          bytes,
          XLSX_MIME,
          ctx,
          summary.campaignId,
        );
      },
      'import:discard': async ({ sourceIds }, ctx) => {
        const actor = requireActor(ctx);
        for (const id of sourceIds) {
          try {
            this.staging.get(id, actor.id);
          } catch {
            continue;
          }
          await this.staging.discard(id);
        }
        return { ok: true as const };
      },
    };
  }
}
