/**
 * What the pre-check keeps and reads in the database: a file's documents and which of their pages
 * have text (a text layer, or OCR), each file's last run, its findings with the pages they rest on,
 * and the reviewers' 采纳/不采纳. Statements are prepared once per database and named for what they
 * answer; the service reads as the rules of the pre-check.
 */
import type { CaseType } from '../../../shared/campaigns/case-types.js';
import type { PrecheckDecision } from '../../../shared/precheck/channels.js';
import type { Db } from '../core/db/database.js';

export interface FindingRow {
  id: string;
  case_id: string;
  rule: string;
  severity: 'veto' | 'deduction' | 'note';
  title: string;
  message: string;
  statute: string;
  item_id: string;
  items_json: string;
  pages_json: string;
  quotes_json: string;
  facts_json: string;
  confidence: number;
  engine: string;
}

/** What a run writes of a finding found again (its id, rule and message stay). */
export interface FindingContent {
  severity: string;
  title: string;
  statute: string;
  itemId: string;
  itemsJson: string;
  pagesJson: string;
  quotesJson: string;
  factsJson: string;
  confidence: number;
  engine: string;
}

export interface RunRow {
  engine: string;
  ran_at: string;
  pages: number;
  pages_unread: number;
  findings_withheld: number;
  case_number: string | null;
  case_type: string;
  input_key: string;
}

export interface OcrPageRow {
  page_index: number;
  status: string;
  lines_json: string;
  mean_confidence: number | null;
}

function prepare(db: Db) {
  return {
    documentsOf: db.prepare('SELECT id, sha256, page_count FROM documents WHERE case_id = ? ORDER BY position, created_at, id'),
    ocrPageIndexes: db.prepare('SELECT page_index FROM ocr_pages WHERE sha256 = ? AND engine = ? ORDER BY page_index').pluck(),
    layerPageIndexes: db.prepare('SELECT page_index FROM page_texts WHERE document_id = ? ORDER BY page_index').pluck(),
    // Checking which of a campaign's files are due reads their text pages in one pass, not one look-up per file.
    layerPagesOfCampaign: db.prepare(
      `SELECT t.document_id AS id, t.page_index AS page FROM page_texts t WHERE t.document_id IN
         (SELECT d.id FROM documents d JOIN cases c ON c.id = d.case_id WHERE c.campaign_id = ?)`,
    ),
    ocrPages: db.prepare('SELECT page_index, status, lines_json, mean_confidence FROM ocr_pages WHERE sha256 = ? AND engine = ?'),
    layerTexts: db.prepare('SELECT page_index, text FROM page_texts WHERE document_id = ?'),
    runInputKey: db.prepare('SELECT input_key FROM precheck_runs WHERE case_id = ?').pluck(),
    runPagesUnread: db.prepare('SELECT pages_unread FROM precheck_runs WHERE case_id = ?').pluck(),
    standardOfCase: db
      .prepare(
        `SELECT v.standard_id FROM cases c JOIN campaign_standards cs ON cs.campaign_id = c.campaign_id AND cs.case_type = c.case_type
         JOIN standard_versions v ON v.id = cs.standard_version_id WHERE c.id = ?`,
      )
      .pluck(),
    ocrCancelledForCase: db.prepare('SELECT 1 FROM ocr_cancelled_campaigns o JOIN cases c ON c.campaign_id = o.campaign_id WHERE c.id = ?'),
    casesWithDocuments: db.prepare('SELECT DISTINCT c.id, c.campaign_id FROM cases c JOIN documents d ON d.case_id = c.id'),
    campaignOfCase: db.prepare('SELECT campaign_id FROM cases WHERE id = ?').pluck(),
    campaignName: db.prepare('SELECT name FROM campaigns WHERE id = ?').pluck(),
    // A listed case without its PDF (缺卷) has nothing to check: no run, no count among the files checked.
    caseIdsOf: db
      .prepare(
        'SELECT id FROM cases c WHERE campaign_id = ? AND EXISTS (SELECT 1 FROM documents d WHERE d.case_id = c.id) ORDER BY case_number, id',
      )
      .pluck(),
    caseCount: db.prepare('SELECT count(*) FROM cases WHERE campaign_id = ?').pluck(),
    casesWithoutFiles: db
      .prepare('SELECT count(*) FROM cases c WHERE c.campaign_id = ? AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.case_id = c.id)')
      .pluck(),
    saveRun: db.prepare(
      `INSERT INTO precheck_runs (case_id, engine, input_key, pages, pages_unread, findings_withheld, case_number, case_type, ran_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(case_id) DO UPDATE SET engine = excluded.engine, input_key = excluded.input_key, pages = excluded.pages, pages_unread = excluded.pages_unread,
         findings_withheld = excluded.findings_withheld, case_number = excluded.case_number, case_type = excluded.case_type, ran_at = excluded.ran_at`,
    ),
    run: db.prepare(
      'SELECT engine, ran_at, pages, pages_unread, findings_withheld, case_number, case_type, input_key FROM precheck_runs WHERE case_id = ?',
    ),
    runsOfCampaign: db.prepare(
      `SELECT c.case_type, r.pages_unread FROM precheck_runs r JOIN cases c ON c.id = r.case_id
       WHERE c.campaign_id = ? AND EXISTS (SELECT 1 FROM documents d WHERE d.case_id = c.id)`,
    ),
    findingByKey: db.prepare('SELECT id FROM precheck_findings WHERE case_id = ? AND finding_key = ?').pluck(),
    insertFinding: db.prepare(
      `INSERT INTO precheck_findings (id, case_id, finding_key, rule, severity, title, message, statute, item_id, items_json, pages_json, quotes_json, facts_json, confidence, engine, current, created_at)
       VALUES (@id, @caseId, @key, @rule, @severity, @title, @message, @statute, @itemId, @itemsJson, @pagesJson, @quotesJson, @factsJson, @confidence, @engine, 1, @createdAt)`,
    ),
    refreshFinding: db.prepare(
      `UPDATE precheck_findings SET severity = @severity, title = @title, statute = @statute, item_id = @itemId, items_json = @itemsJson,
         pages_json = @pagesJson, quotes_json = @quotesJson, facts_json = @factsJson, confidence = @confidence, engine = @engine, current = 1 WHERE id = @id`,
    ),
    findingsDecided: db.prepare(
      'SELECT f.id, EXISTS (SELECT 1 FROM precheck_decisions d WHERE d.finding_id = f.id) AS decided FROM precheck_findings f WHERE f.case_id = ?',
    ),
    withdrawFinding: db.prepare('UPDATE precheck_findings SET current = 0 WHERE id = ?'),
    deleteFinding: db.prepare('DELETE FROM precheck_findings WHERE id = ?'),
    currentFindings: db.prepare('SELECT * FROM precheck_findings WHERE case_id = ? AND current = 1'),
    finding: db.prepare('SELECT * FROM precheck_findings WHERE id = ? AND case_id = ?'),
    overviewFindings: db.prepare(
      `SELECT f.*, c.case_number, c.title AS case_title, u.name AS unit_name FROM precheck_findings f
       JOIN cases c ON c.id = f.case_id LEFT JOIN units u ON u.id = c.unit_id
       WHERE c.campaign_id = ? AND f.current = 1 ORDER BY u.name, c.case_number, f.rowid`,
    ),
    documentsOfCampaign: db.prepare(
      'SELECT d.id, d.title, d.case_id FROM documents d JOIN cases c ON c.id = d.case_id WHERE c.campaign_id = ?',
    ),
    myDecisions: db.prepare(
      'SELECT d.finding_id, d.decision, d.reason FROM precheck_decisions d JOIN precheck_findings f ON f.id = d.finding_id WHERE f.case_id = ? AND d.reviewer_id = ?',
    ),
    decision: db.prepare('SELECT decision, reason FROM precheck_decisions WHERE finding_id = ? AND reviewer_id = ?'),
    decisionsOf: db.prepare(
      'SELECT d.decision, d.reason, u.display_name FROM precheck_decisions d JOIN users u ON u.id = d.reviewer_id WHERE d.finding_id = ? ORDER BY u.display_name',
    ),
    setDecision: db.prepare(
      `INSERT INTO precheck_decisions (finding_id, reviewer_id, decision, reason, decided_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(finding_id, reviewer_id) DO UPDATE SET decision = excluded.decision, reason = excluded.reason, decided_at = excluded.decided_at`,
    ),
    removeDecision: db.prepare('DELETE FROM precheck_decisions WHERE finding_id = ? AND reviewer_id = ?'),
    latestSheetStatus: db.prepare('SELECT status FROM sheets WHERE case_id = ? AND reviewer_id = ? ORDER BY round DESC LIMIT 1').pluck(),
  };
}

export class PrecheckRepo {
  private readonly q: ReturnType<typeof prepare>;

  constructor(db: Db) {
    this.q = prepare(db);
  }

  // ── a file's text ────────────────────────────────────────────────────────────────────────

  /** The file's PDFs in order. */
  documentsOf(caseId: string): Array<{ id: string; sha256: string; page_count: number }> {
    return this.q.documentsOf.all(caseId) as Array<{ id: string; sha256: string; page_count: number }>;
  }

  ocrPageIndexes(sha256: string, engine: string): number[] {
    return this.q.ocrPageIndexes.all(sha256, engine) as number[];
  }

  layerPageIndexes(documentId: string): number[] {
    return this.q.layerPageIndexes.all(documentId) as number[];
  }

  /** The pages with a text layer of every file of the campaign, by file, in page order. */
  layerPagesOfCampaign(campaignId: string): Map<string, number[]> {
    const out = new Map<string, number[]>();
    for (const r of this.q.layerPagesOfCampaign.all(campaignId) as Array<{ id: string; page: number }>) {
      const pages = out.get(r.id);
      if (pages) pages.push(r.page);
      else out.set(r.id, [r.page]);
    }
    for (const pages of out.values()) pages.sort((a, b) => a - b);
    return out;
  }

  /** What OCR read of this content, by page. */
  ocrPages(sha256: string, engine: string): Map<number, OcrPageRow> {
    return new Map((this.q.ocrPages.all(sha256, engine) as OcrPageRow[]).map((r) => [r.page_index, r]));
  }

  /** The text layer of the file, by page. */
  layerTexts(documentId: string): Map<number, string> {
    return new Map((this.q.layerTexts.all(documentId) as Array<{ page_index: number; text: string }>).map((r) => [r.page_index, r.text]));
  }

  // ── files and campaigns ──────────────────────────────────────────────────────────────────

  casesWithDocuments(): Array<{ id: string; campaign_id: string }> {
    return this.q.casesWithDocuments.all() as Array<{ id: string; campaign_id: string }>;
  }

  campaignOfCase(caseId: string): string | null {
    return (this.q.campaignOfCase.get(caseId) as string | undefined) ?? null;
  }

  campaignName(campaignId: string): string | null {
    return (this.q.campaignName.get(campaignId) as string | undefined) ?? null;
  }

  /** The campaign's files by case number. */
  caseIdsOf(campaignId: string): string[] {
    return this.q.caseIdsOf.all(campaignId) as string[];
  }

  caseCount(campaignId: string): number {
    return this.q.caseCount.get(campaignId) as number;
  }

  /** Listed cases whose PDF has not arrived (缺卷): nothing to check in them yet. */
  casesWithoutFiles(campaignId: string): number {
    return this.q.casesWithoutFiles.get(campaignId) as number;
  }

  // ── runs and findings ────────────────────────────────────────────────────────────────────

  /** What the file's last run read (null: never run). */
  runInputKey(caseId: string): string | null {
    return (this.q.runInputKey.get(caseId) as string | undefined) ?? null;
  }

  /** The pages the file's last run could not read, or null before its first run. */
  runPagesUnread(caseId: string): number | null {
    return (this.q.runPagesUnread.get(caseId) as number | undefined) ?? null;
  }

  /** The standard the file is scored on (its campaign's for its case type), or null. */
  standardOfCase(caseId: string): string | null {
    return (this.q.standardOfCase.get(caseId) as string | undefined) ?? null;
  }

  /** Whether the file's campaign stopped its text recognition. */
  ocrCancelledForCase(caseId: string): boolean {
    return this.q.ocrCancelledForCase.get(caseId) !== undefined;
  }

  run(caseId: string): RunRow | null {
    return (this.q.run.get(caseId) as RunRow | undefined) ?? null;
  }

  saveRun(
    caseId: string,
    r: {
      engine: string;
      inputKey: string;
      pages: number;
      pagesUnread: number;
      withheld: number;
      caseNumber: string | null;
      caseType: string;
      at: string;
    },
  ): void {
    this.q.saveRun.run(caseId, r.engine, r.inputKey, r.pages, r.pagesUnread, r.withheld, r.caseNumber, r.caseType, r.at);
  }

  /** The type each run file was registered with, and its pages still unread. */
  runsOfCampaign(campaignId: string): Array<{ case_type: CaseType; pages_unread: number }> {
    return this.q.runsOfCampaign.all(campaignId) as Array<{ case_type: CaseType; pages_unread: number }>;
  }

  /** The finding of this file with this key (rule, pages, message), found by an earlier run. */
  findingByKey(caseId: string, key: string): string | null {
    return (this.q.findingByKey.get(caseId, key) as string | undefined) ?? null;
  }

  insertFinding(f: { id: string; caseId: string; key: string; rule: string; message: string; createdAt: string } & FindingContent): void {
    this.q.insertFinding.run(f);
  }

  refreshFinding(id: string, f: FindingContent): void {
    this.q.refreshFinding.run({ ...f, id });
  }

  /** Every finding of the file, and whether a reviewer acted on it. */
  findingsDecided(caseId: string): Array<{ id: string; decided: number }> {
    return this.q.findingsDecided.all(caseId) as Array<{ id: string; decided: number }>;
  }

  /** A finding the engine no longer makes but a reviewer acted on: kept on record, withdrawn. */
  withdrawFinding(id: string): void {
    this.q.withdrawFinding.run(id);
  }

  deleteFinding(id: string): void {
    this.q.deleteFinding.run(id);
  }

  currentFindings(caseId: string): FindingRow[] {
    return this.q.currentFindings.all(caseId) as FindingRow[];
  }

  finding(findingId: string, caseId: string): FindingRow | null {
    return (this.q.finding.get(findingId, caseId) as FindingRow | undefined) ?? null;
  }

  /** The campaign's current findings with their file, by unit and case number. */
  overviewFindings(campaignId: string): Array<FindingRow & { case_number: string; case_title: string; unit_name: string | null }> {
    return this.q.overviewFindings.all(campaignId) as Array<
      FindingRow & { case_number: string; case_title: string; unit_name: string | null }
    >;
  }

  documentsOfCampaign(campaignId: string): Array<{ id: string; title: string; case_id: string }> {
    return this.q.documentsOfCampaign.all(campaignId) as Array<{ id: string; title: string; case_id: string }>;
  }

  // ── decisions ────────────────────────────────────────────────────────────────────────────

  /** One reviewer's decisions on the file's findings (never another reviewer's: blind review). */
  myDecisions(caseId: string, reviewerId: string): Map<string, { decision: PrecheckDecision; reason: string }> {
    return new Map(
      (this.q.myDecisions.all(caseId, reviewerId) as Array<{ finding_id: string; decision: PrecheckDecision; reason: string }>).map((d) => [
        d.finding_id,
        d,
      ]),
    );
  }

  decision(findingId: string, reviewerId: string): { decision: PrecheckDecision; reason: string } | null {
    return (this.q.decision.get(findingId, reviewerId) as { decision: PrecheckDecision; reason: string } | undefined) ?? null;
  }

  /** Every reviewer's decision on a finding, by name (the campaign overview). */
  decisionsOf(findingId: string): Array<{ decision: PrecheckDecision; reason: string; display_name: string }> {
    return this.q.decisionsOf.all(findingId) as Array<{ decision: PrecheckDecision; reason: string; display_name: string }>;
  }

  setDecision(findingId: string, reviewerId: string, decision: PrecheckDecision, reason: string, at: string): void {
    this.q.setDecision.run(findingId, reviewerId, decision, reason, at);
  }

  removeDecision(findingId: string, reviewerId: string): void {
    this.q.removeDecision.run(findingId, reviewerId);
  }

  /** The status of the reviewer's latest sheet of the file, or null. */
  latestSheetStatus(caseId: string, reviewerId: string): string | null {
    return (this.q.latestSheetStatus.get(caseId, reviewerId) as string | undefined) ?? null;
  }
}
