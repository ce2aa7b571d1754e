/**
 * The smart pre-check (智能预审) in the product: each file's pages are read as text (the PDF's own
 * text layer, or what OCR read on a scanned page), the engine of shared/precheck runs over them and
 * its findings are stored with the pages they rest on, the facts used, a confidence and the engine
 * version. A file is run again when its text changes (OCR read more pages) or the rules do; a finding
 * found again keeps its id, so the reviewers' 采纳/不采纳 stay with it.
 *
 * Findings only point. Taking one (采纳) records the reviewer's decision; the deduction is the
 * reviewer's own answer on their sheet, which they confirm and may change. Blind review holds: a
 * reviewer sees only their own decisions.
 */
import { createHash, randomUUID } from 'node:crypto';
import { loadExcel } from '../core/heavy-libs.js';
import { AppError } from '../../../shared/core/errors.js';
import { CASE_TYPE_LABELS } from '../../../shared/campaigns/case-types.js';
import { PrecheckRepo, type FindingRow } from './repo.js';
import {
  PrecheckFindingViewSchema,
  PRECHECK_DECISION_LABELS,
  type PrecheckCaseView,
  type PrecheckDecision,
  type PrecheckFindingView,
  type PrecheckPage,
  type PrecheckRuleAgreement,
  type PrecheckSummary,
} from '../../../shared/precheck/channels.js';
import { runPrecheck, type Finding } from '../../../shared/precheck/engine.js';
import { PRECHECK_RULESET_VERSION, SEVERITIES } from '../../../shared/precheck/rules.js';
import { precheckSummaryParts } from '../../../shared/precheck/summary.js';
import { writeAudit } from '../core/audit.js';
import { nowIso, requireActor, type Actor, type CallContext } from '../core/context.js';
import { tx, type Db } from '../core/db/database.js';
import type { Handlers } from '../core/dispatcher.js';
import { XLSX_MIME, type ExportsService } from '../core/downloads.js';
import type { EventHub } from '../core/event-hub.js';
import { safeFileName } from '../core/fs-atomic.js';
import type { JobControl, JobRunner } from '../core/jobs.js';
import type { Logger } from '../core/logger.js';
import { wrappedRowHeight } from '../core/xlsx-layout.js';
import { OCR_ENGINE_KEY, storedOcrLines } from '../ocr/index.js';
import { parseJsonColumn } from '../core/db/json-column.js';

/** The JSON cells of a stored finding, read through the schema the screens receive them by. */
const Finding = PrecheckFindingViewSchema;

/** Stored with every run and finding: a new rule set makes every file's run due again. */
export const PRECHECK_ENGINE = `precheck@${PRECHECK_RULESET_VERSION}`;

export interface PrecheckServiceOptions {
  /** Run the campaign's files once an import or OCR has settled (the desktop app; tests ask explicitly). */
  afterImport?: boolean;
}

/** The automatic runs are the workstation's own job, not anyone's. */
const WORKSTATION: Actor = { id: 'workstation-precheck', username: 'workstation-precheck', displayName: '智能预审', role: 'organiser' };
const SETTLE_MS = 2_000;

/** A file's pages as the engine reads them, and where each came from. */
export interface CaseText {
  texts: string[];
  /** Per 1-based case page: its file and 0-based page, and how sure the reading is (1: text layer). */
  pages: Array<{ documentId: string; pageIndex: number; confidence: number; ocr: boolean }>;
  unread: number;
  /** 1-based case pages with no text yet (scans waiting for recognition). */
  unreadPages: number[];
  inputKey: string;
}

const round2 = (n: number): number => Math.round(n * 100) / 100;
const ALL_UNITS = '（全部单位）';

export class PrecheckService {
  private readonly pending = new Map<string, NodeJS.Timeout>();
  /** Campaigns asked for while their run was going: run again once it ends. */
  private readonly again = new Set<string>();
  private readonly running = new Map<string, string>();
  private emitting = false;
  private closed = false;
  private readonly unsubscribe: () => void;
  private readonly repo: PrecheckRepo;

  constructor(
    private readonly db: Db,
    private readonly jobs: JobRunner,
    private readonly events: EventHub,
    private readonly exportsService: ExportsService,
    private readonly log: Logger,
    private readonly options: PrecheckServiceOptions = {},
  ) {
    this.repo = new PrecheckRepo(db);
    this.unsubscribe = events.subscribe((event, payload) => {
      if (!this.options.afterImport || this.emitting || this.closed) return;
      if (event === 'data:changed') {
        const p = payload as { entity: string; campaignId?: string };
        if ((p.entity === 'case' || p.entity === 'document') && p.campaignId) this.runSoon(p.campaignId);
      } else if (event === 'job:progress') {
        // OCR read pages: the files it read have new text.
        const p = payload as { kind: string; finished: boolean };
        if (p.kind === 'ocr' && p.finished) for (const c of this.campaignsDue()) this.runSoon(c);
      }
    });
  }

  /** Runs what a crash or a restart left undone (called once the back end is up). */
  resume(): void {
    if (this.options.afterImport) for (const c of this.campaignsDue()) this.runSoon(c);
  }

  close(): void {
    this.closed = true;
    this.unsubscribe();
    for (const t of this.pending.values()) clearTimeout(t);
  }

  // ── reading a file ───────────────────────────────────────────────────────────────────────

  /**
   * What a run of the file depends on: the engine, its files and which of their pages have text (a
   * text layer, or OCR) — read from the page numbers alone, so checking a campaign for due files is cheap.
   */
  inputKey(caseId: string, layers?: Map<string, number[]>): string {
    const key: unknown[] = [PRECHECK_ENGINE];
    for (const d of this.repo.documentsOf(caseId)) {
      const ocr = this.repo.ocrPageIndexes(d.sha256, OCR_ENGINE_KEY);
      const layer = layers ? (layers.get(d.id) ?? []) : this.repo.layerPageIndexes(d.id);
      key.push([d.sha256, d.page_count, ocr, layer]);
    }
    return createHash('sha256').update(JSON.stringify(key)).digest('hex');
  }

  /** The file's pages in order (its PDFs by position), each the OCR reading when OCR read it, else the text layer. */
  caseText(caseId: string): CaseText {
    const docs = this.repo.documentsOf(caseId);
    const out: CaseText = { texts: [], pages: [], unread: 0, unreadPages: [], inputKey: this.inputKey(caseId) };
    for (const d of docs) {
      const ocr = this.repo.ocrPages(d.sha256, OCR_ENGINE_KEY);
      const layer = this.repo.layerTexts(d.id);
      for (let i = 0; i < d.page_count; i++) {
        const read = ocr.get(i);
        if (read) {
          const lines = read.status === 'text' ? storedOcrLines(read.lines_json, `文件 ${d.id} 第 ${i + 1} 页的文字识别结果`) : [];
          out.texts.push(lines.map((l) => l.text).join('\n'));
          out.pages.push({ documentId: d.id, pageIndex: i, confidence: read.mean_confidence ?? 0, ocr: true });
        } else {
          // The search index holds the text layer as pdf.js gave it, line breaks kept.
          out.texts.push(layer.get(i) ?? '');
          out.pages.push({ documentId: d.id, pageIndex: i, confidence: 1, ocr: false });
          if (!layer.has(i)) {
            out.unread++;
            out.unreadPages.push(out.pages.length);
          }
        }
      }
    }
    return out;
  }

  /** `layers`: the campaign's pages with a text layer when many of its files are looked at. */
  private isDue(caseId: string, layers?: Map<string, number[]>): boolean {
    // A 缺卷 case (listed, its PDF not handed in) has nothing to check until its file arrives.
    if (!this.repo.documentsOf(caseId).length) return false;
    const ran = this.repo.runInputKey(caseId);
    return ran === null || ran !== this.inputKey(caseId, layers);
  }

  private campaignsDue(): string[] {
    const cases = this.repo.casesWithDocuments();
    const due = new Set<string>();
    const layers = new Map<string, Map<string, number[]>>();
    for (const c of cases) {
      if (due.has(c.campaign_id)) continue;
      let campaignLayers = layers.get(c.campaign_id);
      if (!campaignLayers) layers.set(c.campaign_id, (campaignLayers = this.repo.layerPagesOfCampaign(c.campaign_id)));
      if (this.isDue(c.id, campaignLayers)) due.add(c.campaign_id);
    }
    return [...due];
  }

  /** Runs the engine on one file and stores what it found, in one transaction. */
  runCase(caseId: string, actorId: string | null): { findings: number } {
    const campaignId = this.repo.campaignOfCase(caseId);
    if (!campaignId) throw new AppError('not_found', '案卷不存在。');
    const text = this.caseText(caseId);
    const ocr = text.pages.some((p) => p.ocr);
    // Findings suggest items of the standard the file is scored on: its campaign's for its case type.
    const result = runPrecheck(text.texts, { ocr, unreadPages: text.unreadPages, standardId: this.repo.standardOfCase(caseId) });
    const read = text.pages.filter((_, i) => text.texts[i]!.trim());
    const fileConfidence = read.length ? read.reduce((s, p) => s + p.confidence, 0) / read.length : 0;
    const now = nowIso();
    const place = (page: number): PrecheckPage | null => {
      const p = text.pages[page - 1];
      return p ? { documentId: p.documentId, pageIndex: p.pageIndex, casePage: page } : null;
    };
    const confidenceOf = (f: Finding): number =>
      f.pages.length ? Math.min(...f.pages.map((p) => text.pages[p - 1]?.confidence ?? 0)) : fileConfidence;
    const previousUnread = this.repo.runPagesUnread(caseId);
    // 留痕 records what people do: a run someone asked for, and the moment a file's pre-check first
    // covers every page. The workstation's re-runs after each OCR batch are not acts of anyone.
    const audited = actorId !== null || (text.unread === 0 && (previousUnread === null || previousUnread > 0));
    tx(this.db, () => {
      this.repo.saveRun(caseId, {
        engine: PRECHECK_ENGINE,
        inputKey: text.inputKey,
        pages: text.pages.length,
        pagesUnread: text.unread,
        withheld: result.withheld,
        caseNumber: result.caseNumber,
        caseType: result.caseType,
        at: now,
      });
      const keep = new Set<string>();
      for (const f of result.findings) {
        const key = `${f.rule}|${f.pages.join(',')}|${f.message}`;
        const pages = f.pages.map(place).filter((p): p is PrecheckPage => !!p);
        const quotes = f.quotes.map((q) => ({ page: q.page, text: q.text }));
        const content = {
          severity: f.severity,
          title: f.title,
          statute: f.statute,
          itemId: f.item,
          itemsJson: JSON.stringify(f.items),
          pagesJson: JSON.stringify(pages),
          quotesJson: JSON.stringify(quotes),
          factsJson: JSON.stringify(f.facts),
          confidence: round2(confidenceOf(f)),
          engine: PRECHECK_ENGINE,
        };
        const found = this.repo.findingByKey(caseId, key);
        if (found) {
          this.repo.refreshFinding(found, content);
          keep.add(found);
        } else {
          const id = randomUUID();
          this.repo.insertFinding({ id, caseId, key, rule: f.rule, message: f.message, createdAt: now, ...content });
          keep.add(id);
        }
      }
      // A finding the engine no longer makes goes; one a reviewer acted on stays on record, withdrawn.
      for (const o of this.repo.findingsDecided(caseId)) {
        if (keep.has(o.id)) continue;
        if (o.decided) this.repo.withdrawFinding(o.id);
        else this.repo.deleteFinding(o.id);
      }
      if (audited)
        writeAudit(this.db, {
          actorId,
          action: 'precheck.run',
          entity: 'case',
          entityId: caseId,
          campaignId,
          after: { ruleset: PRECHECK_RULESET_VERSION, findings: result.findings.length, pagesUnread: text.unread },
        });
    });
    this.emitting = true;
    try {
      this.events.emit('data:changed', { entity: 'case', id: caseId, campaignId });
    } finally {
      this.emitting = false;
    }
    return { findings: result.findings.length };
  }

  // ── the job ────────────────────────────────────────────────────────────────────────────

  private runSoon(campaignId: string): void {
    if (this.pending.has(campaignId)) return;
    this.pending.set(
      campaignId,
      setTimeout(() => {
        this.pending.delete(campaignId);
        if (this.closed || !this.db.open) return;
        if (this.running.has(campaignId)) this.again.add(campaignId);
        // Review changes announce files too: a job starts only when some file's text really changed.
        else {
          const layers = this.repo.layerPagesOfCampaign(campaignId);
          if (this.caseIdsOf(campaignId).some((id) => this.isDue(id, layers))) this.start(campaignId, WORKSTATION, { force: false });
        }
      }, SETTLE_MS).unref(),
    );
  }

  /** Runs the campaign's files (or one file) that are due, or all of them with `force`. */
  start(
    campaignId: string,
    owner: Actor,
    options: { caseId?: string | undefined; force: boolean; visible?: Set<string> | 'all' },
  ): { jobId: string } {
    if (this.repo.campaignName(campaignId) === null) throw new AppError('not_found', '评查活动不存在。');
    const actorId = owner.id === WORKSTATION.id ? null : owner.id;
    const view = this.jobs.start({
      kind: 'precheck',
      owner,
      campaignId,
      exclusiveKey: `precheck:${campaignId}`,
      initial: { message: '智能预审准备中…' },
      run: (control) => this.runCampaign(campaignId, actorId, options, control),
    });
    this.running.set(campaignId, view.jobId);
    void this.jobs.wait(view.jobId).finally(() => {
      this.running.delete(campaignId);
      if (this.again.delete(campaignId) && !this.closed) this.runSoon(campaignId);
    });
    return { jobId: view.jobId };
  }

  private caseIdsOf(campaignId: string): string[] {
    return this.repo.caseIdsOf(campaignId);
  }

  private async runCampaign(
    campaignId: string,
    actorId: string | null,
    options: { caseId?: string | undefined; force: boolean; visible?: Set<string> | 'all' },
    control: JobControl,
  ): Promise<void> {
    const all = this.caseIdsOf(campaignId);
    const visible = options.visible ?? 'all';
    const layers = options.force ? undefined : this.repo.layerPagesOfCampaign(campaignId);
    const cases: string[] = [];
    for (const [i, id] of all.entries()) {
      if ((!options.caseId || id === options.caseId) && (visible === 'all' || visible.has(id)) && (options.force || this.isDue(id, layers)))
        cases.push(id);
      // A province's files are many: other calls get through while they are looked at.
      if (i % 200 === 199) {
        await new Promise((r) => setImmediate(r));
        if (control.signal.aborted || this.closed) throw new AppError('cancelled');
      }
    }
    let done = 0;
    let found = 0;
    control.report({ done, total: cases.length, message: `智能预审 0 / ${cases.length} 卷` });
    for (const id of cases) {
      if (control.signal.aborted || this.closed) throw new AppError('cancelled');
      // Each file in its own transaction: a cancelled run leaves every file either run or as it was.
      try {
        found += this.runCase(id, actorId).findings;
      } catch (err) {
        if (err instanceof AppError && err.code === 'not_found') continue;
        throw err;
      }
      done++;
      control.report({ done, total: cases.length, pages: done, message: `智能预审 ${done} / ${cases.length} 卷，${found} 条提示` });
      // Let other calls through between files.
      await new Promise((r) => setImmediate(r));
    }
  }

  // ── what the screens ask ────────────────────────────────────────────────────────────────

  private view(row: FindingRow, decision: { decision: PrecheckDecision; reason: string } | undefined): PrecheckFindingView {
    return {
      id: row.id,
      rule: row.rule,
      title: row.title,
      message: row.message,
      severity: row.severity,
      statute: row.statute,
      itemId: row.item_id,
      items: parseJsonColumn(Finding.shape.items, row.items_json, `预检发现 ${row.id} 的评查项目`),
      pages: parseJsonColumn(Finding.shape.pages, row.pages_json, `预检发现 ${row.id} 的页码`),
      quotes: parseJsonColumn(Finding.shape.quotes, row.quotes_json, `预检发现 ${row.id} 的摘录`),
      facts: parseJsonColumn(Finding.shape.facts, row.facts_json, `预检发现 ${row.id} 的要素`),
      confidence: row.confidence,
      engine: row.engine,
      decision: decision?.decision ?? null,
      reason: decision?.reason ?? '',
    };
  }

  /** The file's current findings, each with the caller's own decision (never another reviewer's). */
  caseView(caseId: string, actor: Actor): PrecheckCaseView {
    const run = this.repo.run(caseId);
    const rows = this.repo.currentFindings(caseId);
    const mine = this.repo.myDecisions(caseId, actor.id);
    const order = { veto: 0, deduction: 1, note: 2 } as const;
    const findings = rows
      .map((r) => this.view(r, mine.get(r.id)))
      .sort(
        (a, b) =>
          order[a.severity] - order[b.severity] ||
          (a.pages[0]?.casePage ?? 9999) - (b.pages[0]?.casePage ?? 9999) ||
          a.rule.localeCompare(b.rule),
      );
    return {
      caseId,
      run: run
        ? {
            engine: run.engine,
            ranAt: run.ran_at,
            pages: run.pages,
            pagesUnread: run.pages_unread,
            findingsWithheld: run.findings_withheld,
            caseNumber: run.case_number,
            caseType: run.case_type,
          }
        : null,
      stale: !run || run.input_key !== this.inputKey(caseId),
      ocrCancelled: this.repo.ocrCancelledForCase(caseId),
      decidable: !this.sheetSubmitted(caseId, actor.id),
      findings,
    };
  }

  /** The caller's 采纳/不采纳 (or reopening) of a finding, audited in the same transaction. */
  /** The caller's sheet of the file is submitted (or final): their decisions are part of it and stay as they were. */
  private sheetSubmitted(caseId: string, actorId: string): boolean {
    const status = this.repo.latestSheetStatus(caseId, actorId);
    return status === 'submitted' || status === 'final';
  }

  decide(caseId: string, findingId: string, decision: PrecheckDecision | null, reason: string, actor: Actor): PrecheckFindingView {
    const row = this.repo.finding(findingId, caseId);
    if (!row) throw new AppError('not_found', '该预审提示不存在或已随案卷文字更新而撤回，请刷新。');
    if (this.sheetSubmitted(caseId, actor.id))
      throw new AppError('conflict', '您的评查表已提交，预审提示的处理随之确定，不能再更改；如需更改，请先申请退回评查表。');
    const campaignId = this.repo.campaignOfCase(caseId)!;
    return tx(this.db, () => {
      const before = this.repo.decision(findingId, actor.id);
      const kept = decision === 'rejected' ? reason : '';
      if (decision) this.repo.setDecision(findingId, actor.id, decision, kept, nowIso());
      else this.repo.removeDecision(findingId, actor.id);
      writeAudit(this.db, {
        actorId: actor.id,
        action: 'precheck.decide',
        entity: 'precheck_finding',
        entityId: findingId,
        campaignId,
        before: before ?? null,
        after: { caseId, rule: row.rule, itemId: row.item_id, decision, reason: kept },
      });
      return this.view(row, decision ? { decision, reason: kept } : undefined);
    });
  }

  // ── the campaign overview ──────────────────────────────────────────────────────────────

  /** Per file its findings and how each was handled (every reviewer's decision, by name). */
  overviewRows(campaignId: string): Array<{
    unit: string;
    caseNumber: string;
    title: string;
    rule: string;
    ruleTitle: string;
    severity: string;
    pages: string;
    itemId: string;
    message: string;
    handling: string;
    taken: number;
    rejected: number;
  }> {
    const rows = this.repo.overviewFindings(campaignId);
    const docs = this.repo.documentsOfCampaign(campaignId);
    const docTitles = new Map(docs.map((d) => [d.id, d.title]));
    const docsPerCase = new Map<string, number>();
    for (const d of docs) docsPerCase.set(d.case_id, (docsPerCase.get(d.case_id) ?? 0) + 1);
    return rows.map((r) => {
      const decisions = this.repo.decisionsOf(r.id);
      const pages = parseJsonColumn(Finding.shape.pages, r.pages_json, `预检发现 ${r.id} 的页码`).map(
        (p) =>
          `第${p.casePage}页${(docsPerCase.get(r.case_id) ?? 1) > 1 ? `（${docTitles.get(p.documentId) ?? ''}第${p.pageIndex + 1}页）` : ''}`,
      );
      return {
        unit: r.unit_name ?? '',
        caseNumber: r.case_number,
        title: r.case_title,
        rule: r.rule,
        ruleTitle: r.title,
        severity: SEVERITIES[r.severity],
        pages: [...new Set(pages)].join('、'),
        itemId: r.item_id,
        message: r.message,
        handling: decisions.length
          ? decisions
              .map((d) => `${d.display_name}：${PRECHECK_DECISION_LABELS[d.decision]}${d.reason ? `（${d.reason}）` : ''}`)
              .join('；')
          : PRECHECK_DECISION_LABELS.open,
        taken: decisions.filter((d) => d.decision === 'taken').length,
        rejected: decisions.filter((d) => d.decision === 'rejected').length,
      };
    });
  }

  /**
   * Per rule (and per unit and rule with `perUnit`): files flagged, findings, the reviewers' decisions
   * and the share taken, which is the rule's precision as the panel measured it. Units sort first,
   * with the whole campaign as （全部单位）.
   */
  ruleAgreement(rows: ReturnType<PrecheckService['overviewRows']>, perUnit: boolean): PrecheckRuleAgreement[] {
    const groups = new Map<string, PrecheckRuleAgreement & { cases: Set<string> }>();
    const tally = (unit: string, r: (typeof rows)[number]): void => {
      const k = `${unit}\u0000${r.rule}`;
      const g = groups.get(k) ?? {
        unit,
        rule: r.rule,
        title: r.ruleTitle,
        cases: new Set<string>(),
        files: 0,
        findings: 0,
        taken: 0,
        rejected: 0,
        open: 0,
        takenShare: null,
      };
      g.cases.add(r.caseNumber);
      g.files = g.cases.size;
      g.findings++;
      g.taken += r.taken;
      g.rejected += r.rejected;
      if (!r.taken && !r.rejected) g.open++;
      g.takenShare = g.taken + g.rejected ? g.taken / (g.taken + g.rejected) : null;
      groups.set(k, g);
    };
    for (const r of rows) {
      if (perUnit) tally(r.unit, r);
      tally(ALL_UNITS, r);
    }
    return [...groups.values()]
      .sort((a, b) => a.unit.localeCompare(b.unit, 'zh') || a.title.localeCompare(b.title, 'zh'))
      .map(({ cases: _cases, ...g }) => g);
  }

  /** The figures the campaign card and the XLSX's title line state. */
  summary(campaignId: string, rows = this.overviewRows(campaignId)): PrecheckSummary {
    const runs = this.repo.runsOfCampaign(campaignId);
    const missing = this.repo.casesWithoutFiles(campaignId);
    const files = this.repo.caseCount(campaignId) - missing;
    const partial = runs.filter((r) => r.pages_unread > 0).length;
    return {
      files,
      missing,
      complete: runs.length - partial,
      partial,
      pagesUnread: runs.reduce((s, r) => s + r.pages_unread, 0),
      findings: rows.length,
      taken: rows.reduce((s, r) => s + r.taken, 0),
      rejected: rows.reduce((s, r) => s + r.rejected, 0),
      open: rows.filter((r) => !r.taken && !r.rejected).length,
    };
  }

  async workbook(campaignId: string, campaignName: string): Promise<Uint8Array> {
    const rows = this.overviewRows(campaignId);
    const runs = this.repo.runsOfCampaign(campaignId);
    const sum = this.summary(campaignId, rows);
    const wb = new (await loadExcel()).Workbook();
    wb.creator = '案卷评查工作站';
    wb.created = new Date();
    // Landscape A4, as wide as the page and as many pages long as it takes, with margins a binder leaves.
    const setup = {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    } as const;
    const ws = wb.addWorksheet('预审提示', { pageSetup: { ...setup, printTitlesRow: '3:3' }, views: [{ state: 'frozen', ySplit: 3 }] });
    // Widths sum to what a landscape A4 prints at a readable size (about 150 characters).
    const cols: Array<{ header: string; width: number }> = [
      { header: '被评查单位', width: 14 },
      { header: '案号', width: 17 },
      { header: '案卷名称', width: 16 },
      { header: '规则', width: 15 },
      { header: '提示类别', width: 9 },
      { header: '页码', width: 10 },
      { header: '参考标准项', width: 9 },
      { header: '预审提示', width: 40 },
      { header: '处理情况', width: 20 },
    ];
    ws.columns = cols.map((c) => ({ width: c.width }));
    ws.mergeCells(1, 1, 1, cols.length);
    ws.getCell(1, 1).value = `${campaignName} · 智能预审概况`;
    ws.getCell(1, 1).font = { bold: true, size: 14 };
    ws.mergeCells(2, 1, 2, cols.length);
    ws.getCell(2, 1).value = `机器预审提示，仅供评查人员参考，是否扣分由评查人员决定。${precheckSummaryParts(sum).join('；')}${
      sum.partial ? '（缺失文书、页码、目录等检查待这些页识别后进行）' : ''
    }。规则版本 ${PRECHECK_RULESET_VERSION}。`;
    ws.getCell(2, 1).alignment = { wrapText: true, vertical: 'top' };
    ws.getRow(2).height = 32;
    ws.getRow(3).values = cols.map((c) => c.header);
    ws.getRow(3).font = { bold: true };
    ws.getRow(3).alignment = { vertical: 'middle', wrapText: true };
    for (const r of rows) {
      // Item ids are the standard's prefix and code: cfyb-6.3 is item 6.3, ckxk-F2 item F2.
      const row = ws.addRow([
        r.unit,
        r.caseNumber,
        r.title,
        r.ruleTitle,
        r.severity,
        r.pages,
        r.itemId.replace(/^[a-z]+-/, ''),
        r.message,
        r.handling,
      ]);
      row.alignment = { vertical: 'top', wrapText: true };
      row.height = wrappedRowHeight(
        row.values as unknown[],
        cols.map((c) => c.width),
      );
      const fill = r.taken && !r.rejected ? 'FFE2F0D9' : r.rejected && !r.taken ? 'FFF2F2F2' : null;
      if (fill) row.getCell(9).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: fill } };
    }
    // Per unit and per rule: files flagged, findings, and the reviewers' decisions on them (采纳率 is the
    // rule's precision as the panel measured it). A rule's campaign total is its own row only where it
    // flagged files of more than one unit (else it would repeat that unit's row); one 合计 row ends it.
    const summary = wb.addWorksheet('按单位和规则汇总', { pageSetup: { ...setup, printTitlesRow: '1:1' } });
    const heads: Array<{ header: string; width: number; number?: true }> = [
      { header: '被评查单位', width: 22 },
      { header: '规则', width: 30 },
      { header: '涉及案卷', width: 10, number: true },
      { header: '提示数', width: 10, number: true },
      { header: '采纳（人次）', width: 13, number: true },
      { header: '不采纳（人次）', width: 15, number: true },
      { header: '未处理提示', width: 12, number: true },
      { header: '采纳率', width: 10, number: true },
    ];
    summary.columns = heads.map((h) => ({ width: h.width }));
    const head = summary.addRow(heads.map((h) => h.header));
    head.font = { bold: true };
    head.height = 22;
    const line = (cells: Array<string | number>, bold = false): void => {
      const row = summary.addRow(cells);
      // Figures stand centred under their headings (a right-aligned figure reads as the next column's).
      heads.forEach((h, i) => {
        row.getCell(i + 1).alignment = h.number ? { horizontal: 'center', vertical: 'top' } : { vertical: 'top', wrapText: true };
      });
      row.height = wrappedRowHeight(
        cells,
        heads.map((h) => h.width),
      );
      if (bold) row.font = { bold: true };
    };
    heads.forEach((h, i) => {
      head.getCell(i + 1).alignment = { horizontal: h.number ? 'center' : 'left', vertical: 'middle', wrapText: true };
    });
    const share = (g: PrecheckRuleAgreement): string => (g.takenShare === null ? '—' : `${Math.round(100 * g.takenShare)}%`);
    const figures = (g: PrecheckRuleAgreement): Array<string | number> => [g.files, g.findings, g.taken, g.rejected, g.open, share(g)];
    const groups = this.ruleAgreement(rows, true);
    const perUnit = groups.filter((g) => g.unit !== ALL_UNITS);
    for (const g of perUnit) line([g.unit, g.title, ...figures(g)]);
    const unitsOf = new Map<string, Set<string>>();
    for (const g of perUnit) unitsOf.set(g.rule, (unitsOf.get(g.rule) ?? new Set()).add(g.unit));
    for (const g of groups.filter((x) => x.unit === ALL_UNITS && (unitsOf.get(x.rule)?.size ?? 0) > 1))
      line(['各单位合计', g.title, ...figures(g)]);
    const decided = sum.taken + sum.rejected;
    const files = new Set(rows.map((r) => r.caseNumber)).size;
    line(
      [
        '合计',
        `${new Set(rows.map((r) => r.rule)).size} 条规则`,
        files,
        sum.findings,
        sum.taken,
        sum.rejected,
        sum.open,
        decided ? `${Math.round((100 * sum.taken) / decided)}%` : '—',
      ],
      true,
    );
    const types = new Map<string, number>();
    for (const r of runs)
      types.set(CASE_TYPE_LABELS[r.case_type] ?? r.case_type, (types.get(CASE_TYPE_LABELS[r.case_type] ?? r.case_type) ?? 0) + 1);
    summary.addRow([]);
    const typeRow = summary.rowCount + 1;
    summary.addRow(['已预审案卷的案件类型', [...types].map(([t, n]) => `${t} ${n} 卷`).join('，')]);
    summary.mergeCells(typeRow, 2, typeRow, heads.length);
    summary.getRow(typeRow).alignment = { vertical: 'top', wrapText: true, horizontal: 'left' };
    return new Uint8Array(await wb.xlsx.writeBuffer());
  }

  handlers(): Pick<
    Handlers,
    'precheck:case' | 'precheck:decide' | 'precheck:run' | 'precheck:export' | 'precheck:rules' | 'precheck:summary'
  > {
    return {
      'precheck:summary': ({ campaignId }) => this.summary(campaignId),
      'precheck:rules': ({ campaignId }) => this.ruleAgreement(this.overviewRows(campaignId), false),
      'precheck:case': ({ caseId }, ctx: CallContext) => {
        // A file opened before its campaign's run reached it (or after OCR read more of it) is run now:
        // under a second for a 25-page file once its text exists.
        const campaignId = ctx.scope.campaignId;
        if (campaignId && !this.running.has(campaignId) && this.isDue(caseId)) this.runCase(caseId, null);
        return this.caseView(caseId, requireActor(ctx));
      },
      'precheck:decide': ({ caseId, findingId, decision, reason }, ctx: CallContext) =>
        this.decide(caseId, findingId, decision, reason, requireActor(ctx)),
      'precheck:run': ({ campaignId, caseId, force }, ctx: CallContext) =>
        this.start(campaignId, requireActor(ctx), { caseId, force, visible: ctx.visibleCaseIds(campaignId) }),
      'precheck:export': async ({ campaignId }, ctx: CallContext) => {
        const name = this.repo.campaignName(campaignId);
        if (!name) throw new AppError('not_found', '评查活动不存在。');
        const bytes = await this.workbook(campaignId, name);
        const out = await this.exportsService.register(
          'precheck',
          safeFileName(`智能预审概况-${name}.xlsx`),
          bytes,
          XLSX_MIME,
          ctx,
          campaignId,
        );
        this.log.info(`precheck overview exported for campaign ${campaignId}`);
        return { fileName: out.fileName, url: out.url, bytes: out.bytes };
      },
    };
  }
}
