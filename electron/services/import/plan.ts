/**
 * An import plan: the cases a batch may create or add to (list rows, cases already in the campaign,
 * cases named after files) and every file with its verdict and its case. Building a plan writes
 * nothing; the preview shows it, the run carries it out.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { caseNumberKey, caseNumbersIn } from '../../../shared/dossiers/case-number.js';
import { CASE_TYPE_LABELS, type CaseType } from '../../../shared/campaigns/case-types.js';
import type { NameMismatch, PreviewFile, PreviewRow } from '../../../shared/import/api.js';
import {
  matchContent,
  matchFiles,
  nameContradiction,
  type ContentCaseNumber,
  type MatchHow,
  type MatchResult,
  type MatchTarget,
} from '../../../shared/import/match.js';
import { IDENTICAL_FILE_MESSAGE, isSystemFile, type FileRejection } from '../../../shared/import/outcomes.js';
import type { CaseDraft, ListCell, ListDefaults, RowIssue, SkippedRow } from '../../../shared/import/rows.js';
import type { ImportedUnitResolution } from '../campaigns/index.js';
import type { ImportRepo } from './repo.js';
import { listZip, type ZipLimits } from './zip-source.js';

/** The per-case fields a list row carries (everything a case row stores besides ids). */
export type CaseFields = Pick<
  CaseDraft,
  | 'caseNumber'
  | 'caseNumberKey'
  | 'title'
  | 'cause'
  | 'party'
  | 'unitName'
  | 'enforcementBody'
  | 'filedOn'
  | 'closedOn'
  | 'decision'
  | 'penaltyAmount'
  | 'confiscatedAmount'
  | 'penaltyText'
  | 'handler'
  | 'externalCode'
> & { caseType: CaseType | null };

export interface PlanTarget {
  key: string;
  origin: 'list' | 'campaign' | 'fileName';
  status: 'new' | 'existing' | 'error' | 'duplicate';
  fields: CaseFields;
  rowNumber: number | null;
  serial: string;
  issues: RowIssue[];
  /** The case in the campaign (existing targets; set for new ones once created). */
  caseId: string | null;
  /** For a list row whose 案号 is already in the campaign: what the campaign has. */
  existing: { unitName: string; caseType: CaseType; unitShortName: string; documentCount: number } | null;
  duplicateOf?: string;
  /** A list row's cells as written (kept with the case it registers or adds to). */
  cells?: ListCell[];
}

export type FileOrigin =
  | { kind: 'staged'; sourceId: string; file: string }
  | { kind: 'zip'; sourceId: string; zipFile: string; index: number }
  | { kind: 'disk'; file: string };

export interface PlanFile {
  key: string;
  path: string;
  size: number;
  origin: FileOrigin;
  refusal: { code: FileRejection; message: string } | null;
  target: string | null;
  how: MatchHow | 'fileName' | null;
  candidates: string[];
  /** The 案号 read from the file's first pages, when its name did not settle the case. */
  content?: ContentCaseNumber | null;
  /** The 案号 in the file's name when it contradicts the one its pages state. */
  nameConflict?: string | null;
  /** The name says one case, the pages another: the person chooses (按内容 is the default). */
  mismatch?: NameMismatch | null;
}

/** 案号 found on a file's first pages, in page order, with the page each was read from. */
export interface ContentReading {
  numbers: ContentCaseNumber[];
}

export interface Plan {
  campaignId: string;
  listName: string;
  targets: PlanTarget[];
  files: PlanFile[];
  skippedRows: SkippedRow[];
  blankRows: number;
  ignoredFiles: number;
  /** Every staged source the plan was built from (discarded when the run ends). */
  sourceIds: string[];
  /** The list's unit names matched to known units; starting the import confirms them as aliases. */
  unitResolution?: ImportedUnitResolution;
}

export interface StagedInput {
  sourceId: string;
  name: string;
  file: string;
  size: number;
}

const mb = (n: number): string => `${(n / 1024 ** 2).toFixed(0)} MB`;
const ext = (name: string): string => path.extname(name).toLowerCase();

/** Files of the sources: PDFs as they are, zips opened (entries judged), anything else refused. */
export async function inventory(
  staged: StagedInput[],
  limits: { maxFileBytes: number; zip: ZipLimits },
  skipSourceIds: Set<string>,
): Promise<{ files: PlanFile[]; ignored: number }> {
  const files: PlanFile[] = [];
  let ignored = 0;
  const refused = (file: Omit<PlanFile, 'refusal' | 'target' | 'how' | 'candidates'>, code: FileRejection, message: string): void =>
    void files.push({ ...file, refusal: { code, message }, target: null, how: null, candidates: [] });
  for (const s of staged) {
    if (skipSourceIds.has(s.sourceId)) continue;
    if (isSystemFile(s.name)) {
      ignored++;
      continue;
    }
    const base = {
      key: s.sourceId,
      path: s.name,
      size: s.size,
      origin: { kind: 'staged', sourceId: s.sourceId, file: s.file } as FileOrigin,
    };
    if (ext(s.name) === '.zip') {
      const prefix = s.name.replace(/\.zip$/i, '');
      let entries;
      try {
        entries = await listZip(s.file, limits.zip);
      } catch (err) {
        refused(base, 'zip_damaged', (err as Error).message);
        continue;
      }
      for (const e of entries) {
        if (e.directory) continue;
        const entryPath = `${prefix}/${e.name}`;
        if (isSystemFile(e.name)) {
          ignored++;
          continue;
        }
        const file = {
          key: `${s.sourceId}#${e.index}`,
          path: entryPath,
          size: e.size,
          origin: { kind: 'zip', sourceId: s.sourceId, zipFile: s.file, index: e.index } as FileOrigin,
        };
        if (e.refusal) refused(file, e.refusal.code, e.refusal.message);
        else if (/\.(zip|rar|7z)$/i.test(e.name)) refused(file, 'zip_nested', '压缩包内的压缩包不会展开，请先解压后再打包或直接选择文件夹');
        else if (ext(e.name) !== '.pdf') refused(file, 'not_pdf', notPdfMessage(e.name));
        else if (e.size > limits.maxFileBytes)
          refused(file, 'too_large', `文件 ${mb(e.size)}，超过单个文件 ${mb(limits.maxFileBytes)} 的上限`);
        else files.push({ ...file, refusal: null, target: null, how: null, candidates: [] });
      }
      continue;
    }
    if (ext(s.name) !== '.pdf' && ext(s.name) !== '') refused(base, 'not_pdf', notPdfMessage(s.name));
    else if (s.size > limits.maxFileBytes) refused(base, 'too_large', `文件 ${mb(s.size)}，超过单个文件 ${mb(limits.maxFileBytes)} 的上限`);
    else files.push({ ...base, refusal: null, target: null, how: null, candidates: [] });
  }
  return { files, ignored };
}

function notPdfMessage(name: string): string {
  const e = ext(name);
  if (/^\.(xlsx?|csv|et)$/.test(e)) return `表格文件（${e}）不是案卷；如果它是案件清单，请在“案件清单”处单独选择`;
  if (/^\.(jpe?g|png|tiff?|bmp)$/.test(e)) return `图片文件（${e}）不是 PDF，请先合成为 PDF 案卷`;
  if (/^\.(docx?|wps|ofd)$/.test(e)) return `${e} 文档不是 PDF，请先转换为 PDF`;
  return e ? `不是 PDF 文件（扩展名 ${e}）` : '不是 PDF 文件';
}

/** A case to create that did not come from a list row (named after a file, or made by a tool). */
export function newTarget(key: string, fields: Partial<CaseFields> & Pick<CaseFields, 'caseNumber' | 'unitName' | 'caseType'>): PlanTarget {
  return {
    key,
    origin: 'fileName',
    status: 'new',
    fields: {
      caseNumberKey: caseNumberKey(fields.caseNumber),
      title: '',
      cause: '',
      party: '',
      enforcementBody: '',
      filedOn: null,
      closedOn: null,
      decision: '',
      penaltyAmount: null,
      confiscatedAmount: null,
      penaltyText: '',
      handler: '',
      externalCode: '',
      ...fields,
    },
    rowNumber: null,
    serial: '',
    issues: [],
    caseId: null,
    existing: null,
  };
}

/** Targets from the list and from the campaign, with list rows whose 案号 already exists tied to that case. */
export function targetsFor(repo: ImportRepo, campaignId: string, drafts: CaseDraft[]): PlanTarget[] {
  const rows = repo.campaignCases(campaignId);
  const byKey = new Map(rows.map((r) => [r.caseNumberKey, r]));
  const targets: PlanTarget[] = [];
  const claimed = new Set<string>();
  for (const d of drafts) {
    const { cells, ...rest } = d;
    const fields: CaseFields = rest;
    const existing = d.caseNumberKey ? byKey.get(d.caseNumberKey) : undefined;
    const issues = [...d.issues];
    let status: PlanTarget['status'] =
      d.status === 'error' ? 'error' : d.status === 'duplicate' ? 'duplicate' : existing ? 'existing' : 'new';
    if (existing && status === 'existing' && (existing.case.unitName !== d.unitName || existing.case.caseType !== d.caseType)) {
      // The 案号 belongs to the case already registered; the row contradicts it, so the row is refused
      // and files with this 案号 still go to the registered case.
      issues.push({
        field: existing.case.unitName !== d.unitName ? 'unitName' : 'caseType',
        severity: 'error',
        message: `该案号已在本活动中登记于“${existing.case.unitName}”（${CASE_TYPE_LABELS[existing.case.caseType]}），与清单不一致，本行不登记`,
      });
      status = 'error';
    }
    if (existing && status === 'existing') claimed.add(existing.case.id);
    targets.push({
      key: existing && status === 'existing' ? `case:${existing.case.id}` : d.rowKey,
      origin: 'list',
      status,
      fields,
      rowNumber: d.rowNumber,
      serial: d.serial,
      issues,
      caseId: existing && status === 'existing' ? existing.case.id : null,
      existing:
        existing && status === 'existing'
          ? {
              unitName: existing.case.unitName,
              caseType: existing.case.caseType,
              unitShortName: existing.unitShortName,
              documentCount: existing.case.documentCount,
            }
          : null,
      ...(d.duplicateOf ? { duplicateOf: d.duplicateOf } : {}),
      cells,
    });
  }
  for (const { case: c, caseNumberKey, unitShortName } of rows) {
    if (claimed.has(c.id)) continue;
    targets.push({
      key: `case:${c.id}`,
      origin: 'campaign',
      status: 'existing',
      fields: { ...c, caseNumberKey },
      rowNumber: null,
      serial: '',
      issues: [],
      caseId: c.id,
      existing: { unitName: c.unitName, caseType: c.caseType, unitShortName, documentCount: c.documentCount },
    });
  }
  return targets;
}

/**
 * Matches files to targets. Files still unmatched whose names carry a 案号 become cases of their own
 * when the batch has a default unit and case type (a folder sent without a list).
 */
export function matchPlan(
  targets: PlanTarget[],
  files: PlanFile[],
  defaults: ListDefaults,
  contents: ReadonlyMap<string, ContentReading> = new Map(),
): PlanTarget[] {
  const matchable = matchableTargets(targets);
  const open = files.filter((f) => !f.refusal);
  const results = matchFiles(
    matchable,
    open.map((f) => ({ key: f.key, path: f.path })),
  );
  const synthesized = new Map<string, PlanTarget>();
  for (const f of open) {
    const r = results.get(f.key)!;
    // The file's own pages name its case: that settles a name that matched nothing, several cases, or
    // only by name or party; a 案号 in the name that contradicts the pages is flagged for the person.
    const reading = contents.get(f.key);
    const byContent = reading
      ? matchContent(
          matchable,
          reading.numbers.map((n) => n.caseNumber),
        )
      : null;
    if (reading && byContent) {
      const read = reading.numbers.find((n) => n.caseNumber === byContent.caseNumber)!;
      f.content = { caseNumber: read.caseNumber, pageIndex: read.pageIndex, source: read.source };
      f.nameConflict = nameContradiction(f.path, read.caseNumber);
      f.mismatch = mismatchOf(f, r, byContent.target, read.caseNumber, matchable, targets, synthesized);
      if (r.status !== 'matched' || (r.how !== 'caseNumber' && r.how !== 'yearSerial') || f.nameConflict) {
        f.target = byContent.target;
        f.how = 'content';
        continue;
      }
    }
    if (r.status === 'matched') {
      f.target = r.target;
      f.how = r.how;
    } else if (r.status === 'ambiguous') f.candidates = r.candidates;
    else if (defaults.unitName && defaults.caseType) {
      const found = caseNumbersIn(f.path);
      const number = found[found.length - 1];
      if (!number) continue;
      const key = caseNumberKey(number);
      let t = synthesized.get(key);
      if (!t) {
        t = newTarget(`f:${key}`, { caseNumber: number, unitName: defaults.unitName, caseType: defaults.caseType });
        synthesized.set(key, t);
      }
      f.target = t.key;
      f.how = 'fileName';
    }
  }
  return [...targets, ...synthesized.values()];
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest('hex');
}

/**
 * A folder imported again: a file whose bytes (SHA-256) are already a document of the case it matched
 * is marked as such and skipped, so the review does not promise to "add" it. Only files of the size of
 * one of that case's documents are hashed; files inside zips are left to the batch's own check.
 */
export async function markIdentical(repo: ImportRepo, targets: PlanTarget[], files: PlanFile[]): Promise<void> {
  const caseOf = new Map(
    targets.filter((t) => t.caseId && (t.status === 'existing' || t.origin === 'campaign')).map((t) => [t.key, t.caseId!]),
  );
  for (const f of files) {
    if (f.refusal || !f.target || f.origin.kind === 'zip') continue;
    const caseId = caseOf.get(f.target);
    if (!caseId) continue;
    const known = repo.contentOfSize(caseId, f.size);
    if (!known.length) continue;
    if (known.includes(await sha256Of(f.origin.file))) f.refusal = { code: 'duplicate_file', message: IDENTICAL_FILE_MESSAGE };
  }
}

/**
 * When a file's name points to one case and its pages to another: what each says, and the case the
 * name would give — the row (or case) it matched, the case with the name's 案号, or else a new case
 * under that 案号 in the unit and type of the case the pages name (a typo then registers a wrong case,
 * which is why it is the person's choice and not the default).
 */
function mismatchOf(
  f: PlanFile,
  r: MatchResult,
  contentTarget: string,
  contentNumber: string,
  matchable: MatchTarget[],
  targets: PlanTarget[],
  synthesized: Map<string, PlanTarget>,
): NameMismatch | null {
  // The pages' 案号 as the list or campaign writes it (text read off a page may run into the words before it).
  contentNumber = targets.find((t) => t.key === contentTarget)?.fields.caseNumber || contentNumber;
  if (f.nameConflict) {
    let nameTarget = matchContent(matchable, [f.nameConflict])?.target ?? null;
    const byContent = targets.find((t) => t.key === contentTarget);
    if (!nameTarget && byContent?.fields.caseType) {
      const key = caseNumberKey(f.nameConflict);
      let t = synthesized.get(key);
      if (!t) {
        t = newTarget(`f:${key}`, { caseNumber: f.nameConflict, unitName: byContent.fields.unitName, caseType: byContent.fields.caseType });
        synthesized.set(key, t);
      }
      nameTarget = t.key;
    }
    return { by: 'caseNumber', fileSays: f.nameConflict, contentSays: contentNumber, contentTarget, nameTarget };
  }
  if (r.status !== 'matched' || r.target === contentTarget || (r.how !== 'party' && r.how !== 'title' && r.how !== 'serial')) return null;
  const named = matchable.find((t) => t.key === r.target);
  const fileSays = r.how === 'party' ? (named?.party ?? '') : r.how === 'title' ? (named?.title ?? '') : (named?.serial ?? '');
  return { by: r.how, fileSays, contentSays: contentNumber, contentTarget, nameTarget: r.target };
}

/**
 * Files whose names do not settle their case by 案号 (no match, several, or only by name, party or
 * 序号), or whose name carries a 案号 the list does not have: their first pages are read for it.
 */
export function filesToReadContent(targets: PlanTarget[], files: PlanFile[]): PlanFile[] {
  const matchable = matchableTargets(targets);
  // No case to match a read 案号 against (no list, no files yet): reading the pages, by OCR for scans,
  // would only cost time and the OCR models' memory.
  if (!matchable.length) return [];
  const open = files.filter((f) => !f.refusal);
  const results = matchFiles(
    matchable,
    open.map((f) => ({ key: f.key, path: f.path })),
  );
  return open.filter((f) => {
    const r = results.get(f.key)!;
    return r.status !== 'matched' || (r.how !== 'caseNumber' && r.how !== 'yearSerial');
  });
}

function matchableTargets(targets: PlanTarget[]): MatchTarget[] {
  return targets
    .filter((t) => t.status === 'new' || t.status === 'existing')
    .map((t) => ({
      key: t.key,
      caseNumberKey: t.fields.caseNumberKey,
      title: t.fields.title,
      party: t.fields.party,
      serial: t.origin === 'list' ? t.serial : '',
      unitName: t.fields.unitName,
      unitShortName: t.existing?.unitShortName ?? '',
    }));
}

export function previewOf(plan: Plan): { targets: PreviewRow[]; files: PreviewFile[] } {
  const filesOf = new Map<string, string[]>();
  for (const f of plan.files) if (f.target) filesOf.set(f.target, [...(filesOf.get(f.target) ?? []), f.key]);
  const targets = plan.targets
    .filter((t) => t.origin !== 'campaign' || filesOf.has(t.key))
    .map((t): PreviewRow => ({
      key: t.key,
      rowNumber: t.rowNumber,
      caseNumber: t.fields.caseNumber,
      title: t.fields.title,
      unitName: t.fields.unitName,
      caseType: t.fields.caseType,
      party: t.fields.party,
      filedOn: t.fields.filedOn,
      closedOn: t.fields.closedOn,
      penaltyAmount: t.fields.penaltyAmount,
      confiscatedAmount: t.fields.confiscatedAmount,
      status: t.status,
      origin: t.origin,
      issues: t.issues,
      fileKeys: filesOf.get(t.key) ?? [],
      documentsInCampaign: t.existing?.documentCount ?? 0,
    }));
  const files = plan.files.map((f): PreviewFile => ({
    key: f.key,
    path: f.path,
    size: f.size,
    target: f.target,
    how: f.how,
    candidates: f.candidates,
    refusal: f.refusal,
    content: f.content ?? null,
    nameConflict: f.nameConflict ?? null,
    mismatch: f.mismatch ?? null,
  }));
  return { targets, files };
}
