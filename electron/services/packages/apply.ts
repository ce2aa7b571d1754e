/**
 * Taking a package in. Order matters: (1) the zip's central directory is judged as a whole (paths,
 * links, declared sizes against the entry and total caps) before any entry is written; a zip without
 * a manifest is refused there; (2) only the small header entries are unpacked — the manifest (format,
 * version), then the signed list and the signer's identity — and the signature, the signer and the
 * list (every entry named, its declared size the signed one) are checked; (3) only then the rest is
 * streamed out, each entry capped at its signed size, and every SM3 checked; (4) the payloads'
 * shapes, row by row; (5) the PDFs go into the blob store (content addressed: harmless if what
 * follows fails); (6) ONE transaction applies the rows — each tied to the package's own campaign
 * first (scope.ts) — the package log and the audit; any refusal inside it rolls everything back. A
 * dry run is the same transaction, rolled back at the end, so the preview sees exactly the refusals
 * the import would meet.
 */
import { randomUUID } from 'node:crypto';
import fsp from 'node:fs/promises';
import { AppError } from '../../../shared/core/errors.js';
import type { PackageImportResult } from '../../../shared/packages/api.js';
import {
  AuditPayloadSchema,
  CampaignPayloadSchema,
  DATA_ENTRIES,
  EVIDENCE_ENTRY_RE,
  FILE_ENTRY_RE,
  MANIFEST_ENTRY,
  PACKAGE_FORMAT,
  PACKAGE_FORMAT_VERSION,
  IDENTITY_ENTRY,
  PackageManifestSchema,
  SIGNATURE_ENTRY,
  SIGNED_KINDS,
  WorkPayloadSchema,
  type AuditPayload,
  type CampaignPayload,
  type PackageManifest,
  type StandardVersionPayload,
  type WorkPayload,
} from '../../../shared/packages/format.js';
import { decideSheetMerge, sortedJson } from '../../../shared/packages/merge.js';
import { packageRefusal } from '../../../shared/packages/refusals.js';
import type { z } from 'zod';
import { AnswerSchema } from '../../../shared/scoring/answer.js';
import { hashPassword, NO_PASSWORD_FROM_PACKAGE } from '../people/index.js';
import { appendAuditRow, writeAudit } from '../core/audit.js';
import { innerContext, nowIso, type Actor } from '../core/context.js';
import { tx, type Db } from '../core/db/database.js';
import { fillCaseSortKeys, LATEST_SCHEMA_VERSION } from '../core/db/migrations.js';
import type { ReviewService } from '../panel/index.js';
import { parseDefinition } from '../standards/index.js';
import type { BlobStore } from '../core/blob-store.js';
import { packagesRepo, parseAnswers, type IncomingSheet, type PackagesRepo } from './repo.js';
import type { JobControl } from '../core/jobs.js';
import type { Signing } from '../signing/index.js';
import { manifestSm3 } from '../signing/index.js';
import { auditRowsSm3, judgeSignature, mayConfirm, type PackageSignatureVerdict, type SignerVerdict } from './signature.js';
import { scopeToCampaign } from './scope.js';
import { checkRows, insertRows, type Row } from './tables.js';
import { readPackageZip, type ExtractedEntry, type PackageLimits } from './zip.js';

interface ReadPackage {
  manifest: PackageManifest;
  /** SM3 of the signed manifest's body (what the signature covers). */
  manifestSm3: string;
  signer: SignerVerdict;
  toConfirm: PackageSignatureVerdict['toConfirm'];
  /** All entries, uncompressed. */
  bytes: number;
  campaign: CampaignPayload;
  work: WorkPayload;
  audit: AuditPayload;
  files: Array<{ sha256: string; entry: ExtractedEntry }>;
}

interface Checked {
  campaign: Record<
    | 'campaign'
    | 'users'
    | 'units'
    | 'cases'
    | 'documents'
    | 'pageText'
    | 'ocrPages'
    | 'campaignStandards'
    | 'panelMembers'
    | 'assignments'
    | 'reviewRules'
    | 'ledgerManualItems'
    | 'ledgerManualEvidence'
    | 'draws'
    | 'drawnCases',
    Row[]
  >;
  work: Record<'sheets' | 'answers' | 'annotations' | 'caseReviews' | 'caseReviewAnswers', Row[]>;
  audit: Row[];
}

interface ApplyContext {
  pkg: ReadPackage;
  rows: Checked;
  actor: Actor;
  /** The reviewer's new local password hash (out-package creating their account), if given. */
  reviewerPasswordHash: string | null;
  counts: PackageImportResult['counts'];
  warnings: string[];
}

export interface ImportOptions {
  dryRun: boolean;
  reviewerPassword: string | undefined;
  /** The signer's fingerprint, as the person confirmed it after comparing it with the holder. */
  trustSigner: string | undefined;
  actor: Actor;
}

/** The job the import runs in (jobs.ts): progress and cancellation up to the transaction. */
export type ImportJob = JobControl;

function cancelled(job: ImportJob | undefined): void {
  if (job?.signal.aborted) throw new AppError('cancelled', '已取消导入，本工作站未作任何改动。', { reason: 'cancelled' });
}

class DryRunRollback extends Error {
  constructor(readonly counts: PackageImportResult['counts']) {
    super('dry run');
  }
}

/** The package's own description and signer's identity are small; the signed list grows with its entries. */
const MAX_HEADER_BYTES = 1024 ** 2;
const MAX_SIGNATURE_BYTES = 64 * 1024 ** 2;

async function readJson<T extends z.ZodType>(
  entry: ExtractedEntry | undefined,
  schema: T,
  reason: 'bad_manifest' | 'invalid_content',
  name: string,
): Promise<z.output<T>> {
  if (!entry) throw packageRefusal('unlisted_entry', `缺少 ${name}`);
  let raw: unknown;
  try {
    raw = JSON.parse(await fsp.readFile(entry.file, 'utf8'));
  } catch {
    throw packageRefusal(reason, name);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw packageRefusal(reason, `${name}：${parsed.error.issues[0]?.path.join('.') ?? ''}`);
  return parsed.data;
}

export class PackageImporter {
  private readonly repo: PackagesRepo;

  constructor(
    private readonly db: Db,
    private readonly store: BlobStore,
    private readonly review: ReviewService,
    private readonly signing: Signing,
    private readonly limits: PackageLimits,
  ) {
    this.repo = packagesRepo(db);
  }

  private async readManifest(entry: ExtractedEntry): Promise<PackageManifest> {
    let raw: { format?: unknown; formatVersion?: unknown; schemaVersion?: unknown; appVersion?: unknown };
    try {
      raw = JSON.parse(await fsp.readFile(entry.file, 'utf8')) as typeof raw;
    } catch {
      throw packageRefusal('bad_manifest');
    }
    if (raw?.format !== PACKAGE_FORMAT) throw packageRefusal('not_a_package');
    // A newer layout or database is named as such before the schema check would call it malformed.
    const newer =
      (typeof raw.formatVersion === 'number' && raw.formatVersion > PACKAGE_FORMAT_VERSION) ||
      (typeof raw.schemaVersion === 'number' && raw.schemaVersion > LATEST_SCHEMA_VERSION);
    if (newer)
      throw packageRefusal('newer_version', typeof raw.appVersion === 'string' ? `制作软件版本 ${raw.appVersion.slice(0, 30)}` : undefined);
    const parsed = PackageManifestSchema.safeParse(raw);
    if (!parsed.success) throw packageRefusal('bad_manifest', parsed.error.issues[0]?.path.join('.'));
    return parsed.data;
  }

  /** Steps 1–4: everything that can be checked without touching the workstation. */
  async read(file: string, workDir: string, job?: ImportJob): Promise<ReadPackage> {
    const total = (await fsp.stat(file)).size;
    job?.report({ message: '正在解压并核对工作包…', bytesDone: 0, bytesTotal: total, done: 0, total: 0 });
    // First only the small entries that say what the package is and who signed it: the rest of the
    // central directory is judged (paths, declared sizes against the caps) but nothing big is written
    // until the signed manifest is trusted and gives each entry's size.
    const signal = job ? { signal: job.signal } : {};
    const listing = await readPackageZip(file, workDir, this.limits, { ...signal, only: () => false });
    const listed = new Set(listing.listed.map((e) => e.path));
    if (!listed.has(MANIFEST_ENTRY)) throw packageRefusal('not_a_package');
    const own = await readPackageZip(file, workDir, this.limits, {
      ...signal,
      only: (name) => name === MANIFEST_ENTRY,
      maxBytes: () => MAX_HEADER_BYTES,
    });
    const manifest = await this.readManifest(own.entries.get(MANIFEST_ENTRY)!);
    if (!listed.has(SIGNATURE_ENTRY)) throw packageRefusal('unsigned');
    const first = await readPackageZip(file, workDir, this.limits, {
      ...signal,
      done: own.entries,
      only: (name) => name === SIGNATURE_ENTRY || name === IDENTITY_ENTRY,
      maxBytes: (name) => (name === SIGNATURE_ENTRY ? MAX_SIGNATURE_BYTES : MAX_HEADER_BYTES),
    });
    const signatureBytes = await fsp.readFile(first.entries.get(SIGNATURE_ENTRY)!.file);
    const identityEntry = first.entries.get(IDENTITY_ENTRY);
    const identityBytes = identityEntry ? await fsp.readFile(identityEntry.file) : null;
    const judge = (received: Array<{ name: string; sm3: string }>) =>
      judgeSignature(
        this.signing.manifests.check(signatureBytes, received),
        identityBytes,
        manifest.author.username,
        (fp) => this.signing.trust.entry(fp)?.username ?? null,
      );
    // Signature, signer and the header entries' digests now; the entries not yet read are taken at
    // their signed digests here and checked for real once read.
    const signed = this.signing.manifests.check(signatureBytes, null).manifest?.manifest.files ?? [];
    const signedSm3 = new Map(signed.map((f) => [f.name, f.sm3]));
    judge(
      first.listed
        .filter((e) => e.path !== SIGNATURE_ENTRY)
        .map((e) => ({ name: e.path, sm3: first.entries.get(e.path)?.sm3 ?? signedSm3.get(e.path) ?? '' })),
    );
    const signedBytes = new Map(signed.map((f) => [f.name, f.bytes]));
    const lying = first.listed.find((e) => e.path !== SIGNATURE_ENTRY && signedBytes.get(e.path) !== e.size);
    if (lying) throw packageRefusal('digest_mismatch', `${lying.path.slice(0, 120)} 的大小与清单不符`);

    const { entries } = await readPackageZip(file, workDir, this.limits, {
      ...signal,
      done: first.entries,
      maxBytes: (name) => signedBytes.get(name) ?? 0,
      onEntry: (_e, compressed) => job?.report({ bytesDone: compressed }),
    });
    const verdict = judge([...entries.values()].filter((e) => e.path !== SIGNATURE_ENTRY).map((e) => ({ name: e.path, sm3: e.sm3 })));
    const body = verdict.signed.manifest;
    if (body.id !== manifest.packageId || body.kind !== SIGNED_KINDS[manifest.kind])
      throw packageRefusal('bad_manifest', '签名清单与工作包不符');

    const files: ReadPackage['files'] = [];
    for (const e of entries.values()) {
      if (
        e.path === SIGNATURE_ENTRY ||
        e.path === MANIFEST_ENTRY ||
        e.path === IDENTITY_ENTRY ||
        (Object.values(DATA_ENTRIES) as string[]).includes(e.path)
      )
        continue;
      const fileMatch = FILE_ENTRY_RE.exec(e.path) ?? EVIDENCE_ENTRY_RE.exec(e.path);
      if (!fileMatch) throw packageRefusal('bad_manifest', e.path.slice(0, 120));
      files.push({ sha256: fileMatch[1]!, entry: e });
    }

    const campaign = await readJson(entries.get(DATA_ENTRIES.campaign), CampaignPayloadSchema, 'invalid_content', DATA_ENTRIES.campaign);
    const work = await readJson(entries.get(DATA_ENTRIES.work), WorkPayloadSchema, 'invalid_content', DATA_ENTRIES.work);
    const audit = await readJson(entries.get(DATA_ENTRIES.audit), AuditPayloadSchema, 'invalid_content', DATA_ENTRIES.audit);
    // The audit rows are taken only as the signed manifest declares them: same count, same SM3.
    const declared = manifest.audit;
    if (declared ? declared.count !== audit.entries.length || declared.sm3 !== auditRowsSm3(audit.entries) : audit.entries.length > 0)
      throw packageRefusal(
        'audit_mismatch',
        declared ? `清单登记 ${declared.count} 条，包内 ${audit.entries.length} 条` : '清单未登记操作日志',
      );
    if (campaign.campaign.id !== manifest.campaign.id) throw packageRefusal('invalid_content', '活动编号与清单不符');
    const bytes = [...entries.values()].reduce((n, e) => n + e.bytes, 0);
    return {
      manifest,
      manifestSm3: manifestSm3(body),
      signer: verdict.signer,
      toConfirm: verdict.toConfirm,
      bytes,
      campaign,
      work,
      audit,
      files,
    };
  }

  private check(pkg: ReadPackage): Checked {
    const c = pkg.campaign;
    const w = pkg.work;
    const rows: Checked = {
      campaign: {
        campaign: checkRows(this.db, 'campaigns', [c.campaign]),
        users: checkRows(this.db, 'users', c.users),
        units: checkRows(this.db, 'units', c.units),
        cases: checkRows(this.db, 'cases', c.cases),
        documents: checkRows(this.db, 'documents', c.documents),
        pageText: checkRows(this.db, 'page_texts', c.pageText),
        ocrPages: checkRows(this.db, 'ocr_pages', c.ocrPages ?? []),
        campaignStandards: checkRows(this.db, 'campaign_standards', c.campaignStandards),
        panelMembers: checkRows(this.db, 'panel_members', c.panelMembers),
        assignments: checkRows(this.db, 'assignments', c.assignments),
        reviewRules: checkRows(this.db, 'campaign_review_rules', c.reviewRules),
        ledgerManualItems: checkRows(this.db, 'ledger_manual_items', c.ledgerManualItems ?? []),
        ledgerManualEvidence: checkRows(this.db, 'ledger_manual_evidence', c.ledgerManualEvidence ?? []),
        draws: checkRows(this.db, 'draws', c.draws ?? []),
        drawnCases: checkRows(this.db, 'drawn_cases', c.drawnCases ?? []),
      },
      work: {
        sheets: checkRows(this.db, 'sheets', w.sheets),
        answers: checkRows(this.db, 'sheet_answers', w.answers),
        annotations: checkRows(this.db, 'annotations', w.annotations),
        caseReviews: checkRows(this.db, 'case_reviews', w.caseReviews),
        caseReviewAnswers: checkRows(this.db, 'case_review_answers', w.caseReviewAnswers),
      },
      audit: checkRows(this.db, 'audit_log', pkg.audit.entries),
    };
    // Everything must belong to the package's campaign and be internally consistent.
    const campaignId = pkg.manifest.campaign.id;
    const inCampaign = (r: Row): boolean => r.campaign_id === campaignId;
    if (
      ![
        ...rows.campaign.units,
        ...rows.campaign.cases,
        ...rows.campaign.campaignStandards,
        ...rows.campaign.panelMembers,
        ...rows.campaign.assignments,
        ...rows.campaign.reviewRules,
        ...rows.campaign.ledgerManualItems,
        ...rows.campaign.draws,
      ].every(inCampaign)
    )
      throw packageRefusal('foreign_rows', '含有其他评查活动的数据');
    const shas = new Set(pkg.files.map((f) => f.sha256));
    if (!rows.campaign.documents.every((d) => shas.has(d.sha256 as string)))
      throw packageRefusal('invalid_content', '文件记录缺少对应的 PDF');
    if (!rows.campaign.ledgerManualEvidence.every((e) => shas.has(e.sha256 as string)))
      throw packageRefusal('invalid_content', '整改台账的佐证材料缺少对应的文件');
    const sheetIds = new Set(rows.work.sheets.map((s) => s.id as string));
    if (!rows.work.answers.every((a) => sheetIds.has(a.sheet_id as string)))
      throw packageRefusal('foreign_rows', '评分记录不属于包中的评查表');
    for (const a of rows.work.answers)
      try {
        AnswerSchema.parse(JSON.parse(a.answer_json as string));
      } catch {
        throw packageRefusal('invalid_content', '评分记录格式不正确');
      }
    for (const s of pkg.campaign.standards)
      try {
        parseDefinition(s.definitionJson, s.name);
      } catch {
        throw packageRefusal('invalid_content', `评查标准“${s.name}”`);
      }
    return rows;
  }

  async importFile(file: string, workDir: string, options: ImportOptions, job?: ImportJob): Promise<PackageImportResult> {
    const pkg = await this.read(file, workDir, job);
    const rows = this.check(pkg);
    const m = pkg.manifest;
    const confirm = pkg.toConfirm ? this.confirmRule(pkg, options.actor) : null;
    const result = (
      outcome: PackageImportResult['outcome'],
      counts: PackageImportResult['counts'],
      warnings: string[],
      needsReviewerPassword = false,
    ): PackageImportResult => ({
      packageId: m.packageId,
      kind: m.kind,
      campaignId: m.campaign.id,
      campaignName: m.campaign.name,
      reviewerName: m.reviewer?.displayName ?? null,
      authorName: m.author.displayName,
      createdAt: m.createdAt,
      outcome,
      counts,
      signer: {
        ...pkg.signer,
        // Whether the signer was confirmed by this import (outcome 'applied') or still must be (a preview).
        trust: pkg.toConfirm ? (outcome === 'applied' ? 'confirmed' : 'confirm') : 'trusted',
        username: pkg.toConfirm?.identity.holder.username ?? m.author.username,
        role: pkg.toConfirm?.identity.holder.role ?? null,
        validTo: pkg.toConfirm?.identity.validTo ?? null,
        mayConfirm: confirm?.allowed ?? true,
      },
      warnings,
      reviewerUsername: m.kind === 'out' ? (m.reviewer?.username ?? null) : null,
      needsReviewerPassword,
    });
    const zero = { cases: 0, documents: 0, sheets: 0, annotations: 0, auditEntries: 0, conflicts: 0 };

    const seen = this.repo.directionsOf(m.packageId);
    if (seen.includes('exported')) throw packageRefusal('wrong_direction', '这是本工作站自己导出的工作包');
    if (seen.includes('imported')) return result('already', zero, ['该工作包此前已导入，本次未作任何改动。']);

    if (pkg.toConfirm && !options.dryRun) {
      if (!confirm!.allowed) mayConfirm(options.actor.role, confirm!);
      if (options.trustSigner !== pkg.signer.fingerprint)
        throw new AppError('forbidden', `签名人“${pkg.signer.name}”的密钥尚未受本工作站信任：请与本人核对密钥指纹，确认后再导入。`, {
          reason: 'untrusted_signer',
          path: 'trustSigner',
        });
    }

    let needsReviewerPassword = false;
    let reviewerPasswordHash: string | null = null;
    if (m.kind === 'out' && m.reviewer && !this.repo.person(m.reviewer.id)) {
      needsReviewerPassword = true;
      if (options.reviewerPassword) reviewerPasswordHash = await hashPassword(options.reviewerPassword);
      else if (!options.dryRun)
        throw new AppError('invalid_input', `请为评查人员“${m.reviewer.displayName}”设置在本机登录的密码。`, { path: 'reviewerPassword' });
    }

    if (!options.dryRun) {
      // The PDFs into the store (content addressed: harmless if the import is cancelled or refused later).
      job?.report({
        message: '正在保存案卷文件…',
        done: 0,
        total: pkg.files.length,
        bytesDone: 0,
        bytesTotal: pkg.files.reduce((n, f) => n + f.entry.bytes, 0),
      });
      let bytesDone = 0;
      for (const [i, f] of pkg.files.entries()) {
        cancelled(job);
        const stored = await this.store.adoptFile(f.entry.file);
        if (stored.sha256 !== f.sha256) throw packageRefusal('digest_mismatch', f.entry.path);
        bytesDone += f.entry.bytes;
        job?.report({ done: i + 1, bytesDone });
      }
    }
    cancelled(job);
    job?.report({ message: options.dryRun ? '正在预览导入结果…' : '正在写入评查数据…' });

    const ctx: ApplyContext = {
      pkg,
      rows,
      actor: options.actor,
      reviewerPasswordHash: reviewerPasswordHash ?? (options.dryRun ? '!' : null),
      counts: { ...zero },
      warnings: [],
    };
    try {
      tx(this.db, () => {
        if (pkg.toConfirm && !options.dryRun) this.trustSigner(pkg, options.actor);
        if (m.kind === 'out') this.applyOut(ctx);
        else if (m.kind === 'return') this.applyReturn(ctx);
        else this.applyCampaign(ctx);
        this.log(ctx);
        if (options.dryRun) throw new DryRunRollback(ctx.counts);
      });
    } catch (err) {
      if (err instanceof DryRunRollback) return result('preview', err.counts, ctx.warnings, needsReviewerPassword);
      if (err instanceof AppError) throw err;
      const code = (err as { code?: string }).code ?? '';
      if (code.startsWith('SQLITE_CONSTRAINT')) throw packageRefusal('invalid_content', (err as Error).message.slice(0, 120));
      throw err;
    }
    return result('applied', ctx.counts, ctx.warnings, needsReviewerPassword);
  }

  /**
   * Who may confirm the signer's key here (signature.ts): an organiser; a lead for the reviewer's key
   * on a return package answering an out-package this workstation sent that same reviewer.
   */
  private confirmRule(pkg: ReadPackage, actor: Actor): { allowed: boolean; returnFromOwnReviewer: boolean } {
    const m = pkg.manifest;
    const returnFromOwnReviewer =
      m.kind === 'return' &&
      !!m.reviewer &&
      m.reviewer.id === m.author.id &&
      this.repo.outSentTo(m.campaign.id, m.reviewer.id) &&
      this.repo.isUsername(m.reviewer.id, pkg.toConfirm!.identity.holder.username);
    return { allowed: actor.role === 'organiser' || (actor.role === 'lead' && returnFromOwnReviewer), returnFromOwnReviewer };
  }

  /** The signer's key into the trust list, accepted by the person who compared the fingerprint (inside the import's transaction). */
  private trustSigner(pkg: ReadPackage, actor: Actor): void {
    const { identity, bytes } = pkg.toConfirm!;
    const call = innerContext('package-import', actor);
    if (!this.signing.trust.entry(identity.fingerprint)) this.signing.trust.import(bytes, call);
    this.signing.trust.accept(identity.fingerprint, call);
    writeAudit(this.db, {
      actorId: actor.id,
      action: 'package.trust_signer',
      entity: 'trustedKey',
      entityId: identity.fingerprint,
      campaignId: pkg.manifest.campaign.id,
      after: {
        name: identity.holder.name,
        username: identity.holder.username,
        unit: identity.holder.unit,
        packageId: pkg.manifest.packageId,
        kind: pkg.manifest.kind,
      },
    });
  }

  private log(ctx: ApplyContext): void {
    const m = ctx.pkg.manifest;
    this.repo.log({
      packageId: m.packageId,
      direction: 'imported',
      kind: m.kind,
      campaignId: m.campaign.id,
      reviewerId: m.reviewer?.id ?? null,
      sequence: m.sequence,
      basedOn: m.basedOn,
      createdAt: m.createdAt,
      workstationId: m.workstationId,
      manifestSm3: ctx.pkg.manifestSm3,
      bytes: ctx.pkg.bytes,
      signerFingerprint: ctx.pkg.signer.fingerprint,
      summaryJson: JSON.stringify(ctx.counts),
      actorId: ctx.actor.id,
      at: nowIso(),
    });
    writeAudit(this.db, {
      actorId: ctx.actor.id,
      action: `package.import_${m.kind}`,
      entity: 'package',
      entityId: m.packageId,
      campaignId: m.campaign.id,
      after: {
        author: m.author.displayName,
        // So the trail can name the sending workstation's person on the rows the package copied here.
        authorId: m.author.id,
        reviewer: m.reviewer?.username ?? null,
        sequence: m.sequence,
        createdAt: m.createdAt,
        signer: { name: ctx.pkg.signer.name, fingerprint: ctx.pkg.signer.fingerprint, confirmedHere: !!ctx.pkg.toConfirm },
        ...ctx.counts,
        warnings: ctx.warnings,
      },
    });
  }

  // ── shared steps (inside the transaction) ───────────────────────────────────────────────

  /** Accounts the rows name: kept when present, else made here (disabled, except the reviewer who logs in). */
  private ensureUsers(users: Row[], login: { id: string; hash: string } | null): void {
    const now = nowIso();
    for (const u of users) {
      const local = this.repo.person(u.id as string);
      if (local) {
        if (local.username.toLowerCase() !== String(u.username).toLowerCase())
          throw packageRefusal('user_clash', `${local.username} / ${String(u.username)}`);
        continue;
      }
      if (this.repo.usernameTaken(u.username)) throw packageRefusal('user_clash', String(u.username));
      const isLogin = login?.id === u.id;
      this.repo.insertUserFromPackage(u, isLogin ? login!.hash : NO_PASSWORD_FROM_PACKAGE, isLogin ? null : now, now);
      writeAudit(this.db, {
        actorId: null,
        action: 'user.from_package',
        entity: 'user',
        entityId: u.id as string,
        after: { username: u.username, role: u.role, canLogIn: isLogin },
      });
    }
  }

  /** Our copy of each standard version: the same id, else the same content; else the package's is added. */
  private ensureStandards(versions: StandardVersionPayload[]): Map<string, string> {
    const map = new Map<string, string>();
    for (const v of versions) {
      const held = this.repo.versionContentSha(v.id);
      if (held !== null) {
        if (held !== v.contentSha256) throw packageRefusal('invalid_content', `评查标准“${v.name}”与本机同一版本内容不同`);
        map.set(v.id, v.id);
        continue;
      }
      const same = this.repo.versionOfSameContent(v.standardId, v.contentSha256, v.version);
      if (same !== null) {
        map.set(v.id, same);
        continue;
      }
      const now = nowIso();
      this.repo.insertStandard(v.standardId, v.name, now);
      const taken = this.repo.versionNameTaken(v.standardId, v.version);
      this.repo.insertVersion({
        id: v.id,
        standardId: v.standardId,
        version: taken ? `${v.version}（工作包）` : v.version,
        definitionJson: v.definitionJson,
        contentSha256: v.contentSha256,
        createdAt: v.createdAt,
        at: now,
      });
      map.set(v.id, v.id);
    }
    return map;
  }

  /** The campaign's structure: units, cases, documents (and their text), standards in use, panel, assignments, rules. */
  private applyStructure(ctx: ApplyContext, versions: Map<string, string>): void {
    const c = ctx.rows.campaign;
    insertRows(this.db, 'campaigns', c.campaign, 'upsert');
    insertRows(this.db, 'units', c.units, 'upsert');
    ctx.counts.cases += insertRows(this.db, 'cases', c.cases, 'upsert') && c.cases.length;
    if (c.cases.length) fillCaseSortKeys(this.db, c.campaign[0]?.id as string | undefined);
    const sizes = new Map(ctx.pkg.files.map((f) => [f.sha256, f.entry.bytes]));
    for (const [sha, size] of sizes) this.repo.keepBlob(sha, size, nowIso());
    const known = new Set(c.documents.filter((d) => this.repo.documentExists(d.id)).map((d) => d.id as string));
    insertRows(this.db, 'documents', c.documents, 'upsert');
    ctx.counts.documents += c.documents.length;
    insertRows(
      this.db,
      'page_texts',
      c.pageText.filter((p) => !known.has(p.document_id as string)),
      'plain',
    );
    insertRows(this.db, 'ocr_pages', c.ocrPages, 'ignore');
    insertRows(
      this.db,
      'campaign_standards',
      c.campaignStandards.map((r) => ({
        ...r,
        standard_version_id: versions.get(r.standard_version_id as string) ?? (r.standard_version_id as string),
      })),
      'upsert',
    );
    insertRows(this.db, 'panel_members', c.panelMembers, 'ignore');
    insertRows(this.db, 'assignments', c.assignments, 'ignore');
    insertRows(this.db, 'campaign_review_rules', c.reviewRules, 'upsert');
    insertRows(this.db, 'draws', c.draws, 'upsert');
    insertRows(this.db, 'drawn_cases', c.drawnCases, 'ignore');
  }

  /** Rows from another workstation join that workstation's own chain segment here, in arrival order. */
  private copyAudit(ctx: ApplyContext): void {
    const origin = ctx.pkg.manifest.workstationId;
    for (const r of ctx.rows.audit) {
      const originKey = `${origin}:${r.id}`;
      if (this.repo.auditHeld(originKey)) continue;
      appendAuditRow(this.db, {
        at: r.at as string,
        actor_id: (r.actor_id as string | null) ?? null,
        action: r.action as string,
        entity: r.entity as string,
        entity_id: (r.entity_id as string | null) ?? null,
        campaign_id: (r.campaign_id as string | null) ?? null,
        before_json: (r.before_json as string | null) ?? null,
        after_json: (r.after_json as string | null) ?? null,
        origin_key: originKey,
        segment: origin,
      });
      ctx.counts.auditEntries += 1;
    }
  }

  private replicaRow(ctx: ApplyContext, kind: 'reviewer' | 'transfer' | 'report', reviewerId: string | null): void {
    const m = ctx.pkg.manifest;
    this.repo.recordReplica(
      {
        campaign_id: m.campaign.id,
        kind,
        reviewer_id: reviewerId,
        origin_package_id: m.packageId,
        origin_workstation_id: m.workstationId,
        origin_created_at: m.createdAt,
      },
      nowIso(),
    );
  }

  /**
   * A re-issued out-package is the lead's current list: assignments it no longer names were withdrawn
   * on the lead's PC, so they go here too (the files leave the reviewer's list; sheets already begun
   * stay and travel back in the next return package, where the lead decides).
   */
  private withdrawAssignments(ctx: ApplyContext, reviewerId: string): void {
    const m = ctx.pkg.manifest;
    const kept = new Set(
      ctx.rows.campaign.assignments.filter((a) => a.reviewer_id === reviewerId).map((a) => `${String(a.case_id)}:${String(a.round)}`),
    );
    const withdrawn = this.repo.assignmentsOf(m.campaign.id, reviewerId).filter((a) => !kept.has(`${a.case_id}:${a.round}`));
    for (const a of withdrawn) {
      this.repo.removeAssignment(a.case_id, reviewerId, a.round);
      writeAudit(this.db, {
        actorId: ctx.actor.id,
        action: 'assignment.withdrawn_by_package',
        entity: 'assignment',
        entityId: a.case_id,
        campaignId: m.campaign.id,
        before: { reviewerId, round: a.round },
        after: { packageId: m.packageId },
      });
    }
    if (withdrawn.length)
      ctx.warnings.push(
        `评查组长已撤回 ${withdrawn.length} 件案卷的分配：这些案卷不再出现在本机的评查列表中；已有的评分保留，并随回收包带回由组长处理。`,
      );
  }

  // ── out-package, on the reviewer's laptop ───────────────────────────────────────────────

  private applyOut(ctx: ApplyContext): void {
    const m = ctx.pkg.manifest;
    if (!m.reviewer) throw packageRefusal('bad_manifest', 'reviewer');
    const exists = this.repo.campaignName(m.campaign.id) !== null;
    const replica = this.repo.replica(m.campaign.id);
    if (exists && !replica)
      throw packageRefusal('wrong_direction', '本工作站就是该评查活动的原始工作站；评查工作包应在评查人员的电脑上导入');
    if (replica && replica.kind !== 'reviewer') throw packageRefusal('wrong_direction', '本机的该活动是整体移交或上报的副本');
    if (replica && replica.reviewer_id !== m.reviewer.id) throw packageRefusal('wrong_reviewer', `本机的该活动属于另一名评查人员`);
    if (replica && replica.origin_created_at >= m.createdAt)
      throw packageRefusal('older_package', `本机已有 ${replica.origin_created_at.slice(0, 16).replace('T', ' ')} 制作的工作包`);
    const reviewer = ctx.rows.campaign.users.find((u) => u.id === m.reviewer!.id);
    if (!reviewer || !ctx.rows.campaign.assignments.some((a) => a.reviewer_id === m.reviewer!.id))
      throw packageRefusal('invalid_content', '工作包中没有该评查人员的分配');
    if (ctx.rows.work.sheets.some((s) => s.reviewer_id !== m.reviewer!.id))
      throw packageRefusal('invalid_content', '含有其他评查人员的评查表');
    scopeToCampaign(this.db, m.kind, m.campaign.id, ctx.rows);
    this.ensureUsers(ctx.rows.campaign.users, ctx.reviewerPasswordHash ? { id: m.reviewer.id, hash: ctx.reviewerPasswordHash } : null);
    const versions = this.ensureStandards(ctx.pkg.campaign.standards);
    this.applyStructure(ctx, versions);
    if (replica) this.withdrawAssignments(ctx, m.reviewer.id);
    // The reviewer's sheets as the lead had them; a sheet already here is the reviewer's newer work and stays.
    for (const s of ctx.rows.work.sheets) {
      if (this.repo.sheetExists(s.id)) continue;
      insertRows(
        this.db,
        'sheets',
        [{ ...s, standard_version_id: versions.get(s.standard_version_id as string) ?? (s.standard_version_id as string) }],
        'plain',
      );
      insertRows(
        this.db,
        'sheet_answers',
        ctx.rows.work.answers.filter((a) => a.sheet_id === s.id),
        'plain',
      );
      this.repo.markSyncedIfNew(s.id as string, s.revision as number, m.packageId, nowIso());
      ctx.counts.sheets++;
    }
    ctx.counts.annotations += insertRows(this.db, 'annotations', ctx.rows.work.annotations, 'ignore');
    this.replicaRow(ctx, 'reviewer', m.reviewer.id);
  }

  // ── return package, on the lead's workstation ───────────────────────────────────────────

  private applyReturn(ctx: ApplyContext): void {
    const m = ctx.pkg.manifest;
    const reviewer = m.reviewer;
    if (!reviewer) throw packageRefusal('bad_manifest', 'reviewer');
    if (this.repo.campaignName(m.campaign.id) === null) throw packageRefusal('wrong_campaign', `本工作站没有评查活动“${m.campaign.name}”`);
    if (this.repo.replica(m.campaign.id)?.kind === 'reviewer') throw packageRefusal('wrong_direction', '回收包应在评查组长的工作站导入');
    const origin = m.basedOn === null ? null : this.repo.exportedOut(m.basedOn);
    if (!origin) throw packageRefusal('wrong_campaign', '该回收包所答复的工作包不是本工作站发出的');
    if (origin.campaign_id !== m.campaign.id) throw packageRefusal('wrong_campaign');
    if (origin.reviewer_id !== reviewer.id || m.author.id !== reviewer.id) throw packageRefusal('wrong_reviewer');
    const local = this.repo.person(reviewer.id);
    if (!local || local.username.toLowerCase() !== reviewer.username.toLowerCase())
      throw packageRefusal('wrong_reviewer', reviewer.displayName);
    const last = this.repo.lastReturnImported(m.campaign.id, reviewer.id);
    if (last !== null && m.sequence <= last)
      throw packageRefusal('older_package', `已导入${reviewer.displayName}的第 ${last} 次回收包，此包是第 ${m.sequence} 次`);
    scopeToCampaign(this.db, m.kind, m.campaign.id, ctx.rows);

    // Only rows the reviewer owns, on files assigned to them in this campaign.
    const assigned = new Set(this.repo.assignedCaseIds(m.campaign.id, reviewer.id));
    const w = ctx.rows.work;
    if (!w.sheets.every((s) => s.reviewer_id === reviewer.id && assigned.has(s.case_id as string)))
      throw packageRefusal('wrong_reviewer', '含有未分配给该评查人员的评查表');
    for (const a of w.annotations) {
      const caseId = this.repo.caseOfDocumentIn(a.document_id, m.campaign.id);
      if (a.author_id !== reviewer.id || caseId === null || !assigned.has(caseId))
        throw packageRefusal('wrong_reviewer', '含有不属于该评查人员的批注');
    }
    if (!ctx.rows.audit.every((r) => r.actor_id === reviewer.id && r.campaign_id === m.campaign.id))
      throw packageRefusal('wrong_reviewer', '含有其他人员的操作日志');

    const versions = new Map<string, string>();
    for (const ref of ctx.pkg.work.standardRefs) {
      const mine = this.repo.versionByIdOrContent(ref.id, ref.contentSha256, ref.standardId);
      if (mine === null) throw packageRefusal('invalid_content', `评查标准 ${ref.standardId} ${ref.version} 在本工作站不存在`);
      versions.set(ref.id, mine);
    }

    const touched = new Set<string>();
    for (const s of w.sheets) {
      const incoming: IncomingSheet = {
        sheet: {
          ...s,
          status: s.status === 'final' ? 'submitted' : (s.status as string),
          standard_version_id: versions.get(s.standard_version_id as string) ?? (s.standard_version_id as string),
        },
        // Each answer was checked against its schema above, before anything was written.
        answers: parseAnswers(w.answers.filter((a) => a.sheet_id === s.id)),
        answeredAt: Object.fromEntries(
          w.answers.filter((a) => a.sheet_id === s.id).map((a) => [a.item_id as string, a.updated_at as string]),
        ),
      };
      const localSheet = this.repo.sheetOf(s.case_id, s.reviewer_id, s.round);
      const syncedRevision = localSheet ? this.repo.syncedRevision(localSheet.id) : null;
      const localAnswers = localSheet ? this.repo.answersOf(localSheet.id) : {};
      const locked = this.review.lockReason(s.case_id as string) !== null;
      const decision = decideSheetMerge({
        local: localSheet ? { id: localSheet.id, revision: localSheet.revision } : null,
        syncedRevision,
        incoming: { id: s.id as string, revision: s.revision as number, baseRevision: ctx.pkg.work.baseRevisions[s.id as string] ?? null },
        sameContent:
          !!localSheet &&
          localSheet.id === s.id &&
          localSheet.status === incoming.sheet.status &&
          sortedJson(localAnswers) === sortedJson(incoming.answers),
        localLocked: locked,
      });
      if (decision === 'unchanged') {
        if (localSheet) this.markSynced(localSheet.id, Math.max(localSheet.revision, s.revision as number), m.packageId);
        continue;
      }
      if (decision === 'conflict' || locked) {
        this.recordConflict(m.campaign.id, s, incoming, m.packageId);
        ctx.counts.conflicts++;
        continue;
      }
      this.replaceSheet(localSheet?.id ?? null, incoming, ctx.actor.id, false);
      touched.add(s.case_id as string);
      ctx.counts.sheets++;
    }

    const newer = w.annotations.filter((a) => {
      const mine = this.repo.annotationOwner(a.id);
      if (mine && mine.author_id !== reviewer.id) throw packageRefusal('wrong_reviewer', '批注编号属于其他人员');
      return !mine || (a.updated_at as string) > mine.updated_at;
    });
    insertRows(this.db, 'annotations', newer, 'upsert');
    ctx.counts.annotations += newer.length;
    this.copyAudit(ctx);
    for (const caseId of touched) this.review.judgeAgain(caseId, ctx.actor.id);
    if (ctx.counts.conflicts)
      ctx.warnings.push(`有 ${ctx.counts.conflicts} 份评查表在两台电脑上都有修改，已列为冲突，请逐份选择保留哪一方。`);
  }

  private recordConflict(campaignId: string, s: Row, incoming: IncomingSheet, packageId: string): void {
    const open = this.repo.openConflictId(s.case_id as string, s.reviewer_id as string);
    if (open !== null) {
      this.repo.refreshConflict(open, incoming, packageId, s.id as string);
      return;
    }
    this.repo.insertConflict({
      id: randomUUID(),
      campaignId,
      caseId: s.case_id as string,
      reviewerId: s.reviewer_id as string,
      sheetId: s.id as string,
      packageId,
      incoming,
      at: nowIso(),
    });
  }

  /** The reviewer's returned sheet replaces ours (merge, or a person chose it in a conflict). */
  replaceSheet(localId: string | null, incoming: IncomingSheet, actorId: string, judge = true): void {
    const s = incoming.sheet;
    const caseId = s.case_id as string;
    const locked = this.review.lockReason(caseId);
    if (locked) throw new AppError('locked', locked);
    this.review.beforeAnswer(caseId, actorId);
    if (localId && localId !== s.id) this.repo.deleteSheet(localId);
    insertRows(this.db, 'sheets', [s as Row], 'upsert');
    this.repo.deleteAnswers(s.id);
    const now = nowIso();
    insertRows(
      this.db,
      'sheet_answers',
      Object.entries(incoming.answers).map(([itemId, answer]) => ({
        sheet_id: s.id as string,
        item_id: itemId,
        answer_json: JSON.stringify(answer),
        updated_at: incoming.answeredAt[itemId] ?? (s.updated_at as string) ?? now,
      })),
      'plain',
    );
    this.markSynced(s.id as string, s.revision as number, 'merge');
    const campaignId = this.repo.campaignOfCase(caseId)!;
    writeAudit(this.db, {
      actorId,
      action: 'sheet.merge',
      entity: 'sheet',
      entityId: s.id as string,
      campaignId,
      after: { status: s.status, revision: s.revision, answers: incoming.answers },
    });
    if (judge) this.review.judgeAgain(caseId, actorId);
  }

  markSynced(sheetId: string | null, revision: number, packageId: string): void {
    if (!sheetId) return;
    this.repo.markSynced(sheetId, revision, packageId, nowIso());
  }

  // ── campaign package, between bureaus ───────────────────────────────────────────────────

  private applyCampaign(ctx: ApplyContext): void {
    const m = ctx.pkg.manifest;
    const purpose = m.purpose ?? 'report';
    const exists = this.repo.campaignName(m.campaign.id) !== null;
    const replica = this.repo.replica(m.campaign.id);
    if (exists && !replica) throw packageRefusal('wrong_direction', '本工作站已有该评查活动（在本机创建），不能用整体包覆盖');
    if (replica && replica.origin_workstation_id !== m.workstationId)
      throw packageRefusal('wrong_campaign', '本机的该活动来自另一个工作站');
    if (replica && replica.origin_created_at >= m.createdAt)
      throw packageRefusal('older_package', `本机已有 ${replica.origin_created_at.slice(0, 16).replace('T', ' ')} 制作的整体包`);
    scopeToCampaign(this.db, m.kind, m.campaign.id, ctx.rows);
    this.ensureUsers(ctx.rows.campaign.users, null);
    const versions = this.ensureStandards(ctx.pkg.campaign.standards);
    this.applyStructure(ctx, versions);
    const w = ctx.rows.work;
    const mapVersion = (id: string | number | null | undefined): string | null =>
      id === null || id === undefined ? null : (versions.get(id as string) ?? (id as string));
    insertRows(
      this.db,
      'sheets',
      w.sheets.map((s) => ({ ...s, standard_version_id: mapVersion(s.standard_version_id) })),
      'upsert',
    );
    for (const s of w.sheets) this.repo.deleteAnswers(s.id);
    insertRows(this.db, 'sheet_answers', w.answers, 'plain');
    ctx.counts.sheets += w.sheets.length;
    insertRows(this.db, 'annotations', w.annotations, 'upsert');
    ctx.counts.annotations += w.annotations.length;
    insertRows(
      this.db,
      'case_reviews',
      w.caseReviews.map((r) => ({ ...r, standard_version_id: mapVersion(r.standard_version_id) })),
      'upsert',
    );
    for (const r of w.caseReviews) this.repo.deleteCaseReviewAnswers(r.case_id);
    insertRows(this.db, 'case_review_answers', w.caseReviewAnswers, 'plain');
    // The 整改台账 entered by hand: as the sender holds it now (evidence they removed goes here too).
    const c = ctx.rows.campaign;
    insertRows(this.db, 'ledger_manual_items', c.ledgerManualItems, 'upsert');
    const carriedEvidence = new Set(c.ledgerManualEvidence.map((e) => e.id as string));
    for (const item of c.ledgerManualItems)
      for (const id of this.repo.evidenceIdsOf(item.id)) if (!carriedEvidence.has(id)) this.repo.deleteEvidence(id);
    insertRows(this.db, 'ledger_manual_evidence', c.ledgerManualEvidence, 'upsert');
    this.copyAudit(ctx);
    this.replicaRow(ctx, purpose, null);
  }
}
