/**
 * Work packages: out to a reviewer's laptop, back to the lead, whole campaigns between
 * bureaus. Exports collect rows (build.ts), write a zip with an SM3 manifest and the signature slot
 * (zip.ts, signature.ts) and record themselves. Imports check the whole package first — zip safety,
 * every digest, the signatures, the rows' shapes, whether it belongs here — and only then apply it in
 * one transaction with its audit rows (apply.ts); a refused package changes nothing.
 */
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../shared/core/errors.js';
import type { PackageConflict, PackageExport, PackageImportResult, PackageOverview } from '../../../shared/packages/api.js';
import {
  DATA_ENTRIES,
  ENTRY_ROLES,
  evidenceEntry,
  fileEntry,
  IDENTITY_ENTRY,
  MANIFEST_ENTRY,
  PACKAGE_EXTENSION,
  PACKAGE_FORMAT,
  PACKAGE_FORMAT_VERSION,
  SIGNATURE_ENTRY,
  SIGNED_KINDS,
  type AuditPayload,
  type CampaignPayload,
  type CampaignPurpose,
  type PackageKind,
  type PackageManifest,
  type WorkPayload,
} from '../../../shared/packages/format.js';
import { differingItems } from '../../../shared/packages/merge.js';
import { allItems, findItem } from '../../../shared/standards/model.js';
import { scoreSheet, type Answers } from '../../../shared/scoring/scoring.js';
import { writeAudit } from '../core/audit.js';
import { auditRowsSm3 } from './signature.js';
import type { Staging } from '../core/bytes.js';
import { innerContext, nowIso, requireActor, type Actor, type CallContext } from '../core/context.js';
import { schemaVersion, tx, type Db } from '../core/db/database.js';
import type { Handlers } from '../core/dispatcher.js';
import type { EventHub } from '../core/event-hub.js';
import type { ExportsService } from '../core/downloads.js';
import { safeFileName } from '../core/fs-atomic.js';
import type { ReviewService } from '../panel/index.js';
import { summarise, type SheetsService } from '../scoring/index.js';
import type { BlobStore } from '../core/blob-store.js';
import { PackageImporter } from './apply.js';
import { incomingSheet, packagesRepo, type PackagesRepo, type ReplicaRow } from './repo.js';
import { campaignPayload, ledgerManual, rowsIn, sheetsWithAnswers, standardRefs, standardVersions, usersById } from './build.js';
import type { JobControl, JobRunner } from '../core/jobs.js';
import type { Signing } from '../signing/index.js';
import type { ManifestEntry } from '../signing/index.js';
import { manifestSm3, type Signer } from '../signing/index.js';
import type { IdentityFile } from '../../../shared/signing/identity.js';
import { signEntries } from './signature.js';
import { selectRows } from './tables.js';
import { DEFAULT_PACKAGE_LIMITS, writeZip, type PackageLimits, type ZipSource } from './zip.js';

export interface PackagesOptions {
  appVersion: string;
  limits?: Partial<PackageLimits>;
}

/** What a finished package job left for its owner to collect (`package:jobResult`). */
interface JobOutcome {
  ownerId: string;
  export: PackageExport | null;
  import: PackageImportResult | null;
  error: unknown;
}
const KEEP_OUTCOMES = 100;

export interface PackageDirs {
  exports: string;
  staging: string;
}

export class PackagesService {
  readonly limits: PackageLimits;
  private readonly importer: PackageImporter;
  private readonly outcomes = new Map<string, JobOutcome>();
  private readonly repo: PackagesRepo;

  constructor(
    private readonly db: Db,
    private readonly dirs: PackageDirs,
    private readonly store: BlobStore,
    private readonly staging: Staging,
    private readonly exportsService: ExportsService,
    private readonly sheets: SheetsService,
    private readonly review: ReviewService,
    private readonly events: EventHub,
    private readonly signing: Signing,
    private readonly jobs: JobRunner,
    private readonly options: PackagesOptions,
  ) {
    this.limits = { ...DEFAULT_PACKAGE_LIMITS, ...options.limits };
    this.importer = new PackageImporter(db, store, review, signing, this.limits);
    this.repo = packagesRepo(db);
  }

  /** A random id of this workstation, made on first use (names audit rows copied elsewhere). */
  workstationId(): string {
    const held = this.repo.workstationId();
    if (held !== null) return held;
    this.repo.offerWorkstationId(randomUUID());
    return this.workstationId();
  }

  replica(campaignId: string): ReplicaRow | null {
    return this.repo.replica(campaignId);
  }

  // ── export ───────────────────────────────────────────────────────────────────────────────

  private person(userId: string): { id: string; username: string; displayName: string; role: Actor['role'] } {
    const u = this.repo.person(userId);
    if (!u) throw new AppError('not_found', '用户不存在。');
    return u;
  }

  private campaignName(campaignId: string): string {
    const name = this.repo.campaignName(campaignId);
    if (name === null) throw new AppError('not_found', '评查活动不存在。');
    return name;
  }

  /** One export spec, collected from the database when the export is asked for. */
  private async startExport(ctx: CallContext, password: string, collect: () => ExportSpec): Promise<{ jobId: string }> {
    const actor = requireActor(ctx);
    const spec = collect();
    // The key opens before the job starts, so a wrong password is answered in the form at once.
    const signer = await this.signing.keys.unlock(actor.id, password, undefined, ctx.clientId);
    const identity = this.signing.keys.identity(actor.id);
    return this.startJob(
      actor,
      `package.export_${spec.kind}`,
      spec.campaignId,
      spec.kind === 'return' ? `package-return:${spec.campaignId}` : undefined,
      async (job, outcome) => {
        outcome.export = await this.writePackage(ctx, spec, signer, identity, job);
      },
    );
  }

  /** Runs package work as a job whose result (or refusal) `package:jobResult` hands to its owner. */
  private startJob(
    actor: Actor,
    kind: string,
    campaignId: string | undefined,
    exclusiveKey: string | undefined,
    work: (job: JobControl, outcome: JobOutcome) => Promise<void>,
  ): { jobId: string } {
    const outcome: JobOutcome = { ownerId: actor.id, export: null, import: null, error: null };
    let jobId = '';
    const view = this.jobs.start({
      kind,
      owner: actor,
      ...(campaignId ? { campaignId } : {}),
      ...(exclusiveKey ? { exclusiveKey } : {}),
      run: async (job) => {
        try {
          await work(job, outcome);
        } catch (err) {
          outcome.error = err;
          throw err;
        } finally {
          this.outcomes.set(jobId, outcome);
          for (const key of [...this.outcomes.keys()].slice(0, Math.max(0, this.outcomes.size - KEEP_OUTCOMES))) this.outcomes.delete(key);
        }
      },
    });
    jobId = view.jobId;
    return { jobId };
  }

  private jobResult(jobId: string, actor: Actor): { export: PackageExport | null; import: PackageImportResult | null } {
    const outcome = this.outcomes.get(jobId);
    if (!outcome || outcome.ownerId !== actor.id) {
      const running = (() => {
        try {
          return this.jobs.handlers()['job:get']({ jobId }, innerContext('', actor)) as { status: string };
        } catch {
          return null;
        }
      })();
      if (running?.status === 'running') throw new AppError('conflict', '任务尚未完成。');
      throw new AppError('not_found', '任务不存在或已过期。');
    }
    if (outcome.error) throw outcome.error;
    return { export: outcome.export, import: outcome.import };
  }

  /**
   * Writes the zip — the signed list of entries (the signing feature's manifest) first, then the package's own
   * manifest, the signer's identity file, the data and the PDFs — records it, returns a download.
   */
  private async writePackage(
    ctx: CallContext,
    spec: ExportSpec,
    signer: Signer,
    identity: IdentityFile,
    job: JobControl,
  ): Promise<PackageExport> {
    const actor = requireActor(ctx);
    const packageId = randomUUID();
    const createdAt = nowIso();
    const json = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));
    const data: Array<{ path: string; bytes: Uint8Array }> = [
      { path: DATA_ENTRIES.campaign, bytes: json(spec.campaign) },
      { path: DATA_ENTRIES.work, bytes: json(spec.work) },
      { path: DATA_ENTRIES.audit, bytes: json(spec.audit) },
    ];
    const pdfShas = new Set(spec.campaign.documents.map((d) => d.sha256 as string));
    // The ledger's evidence travels under its own name (any file type), once even if also a dossier PDF.
    const evidenceShas = new Set((spec.campaign.ledgerManualEvidence ?? []).map((e) => e.sha256 as string));
    const carried = [
      ...[...pdfShas].sort().map((sha) => ({ sha, name: fileEntry(sha), role: ENTRY_ROLES.file, mediaType: 'application/pdf' })),
      ...[...evidenceShas]
        .sort()
        .map((sha) => ({ sha, name: evidenceEntry(sha), role: ENTRY_ROLES.evidence, mediaType: 'application/octet-stream' })),
    ];
    const shas = carried.map((c) => c.sha);
    const pdfBytes = shas.reduce((n, sha) => n + (this.repo.blobSize(sha) ?? 0), 0);
    // Progress: the PDFs are read twice (digests, then the zip), so the bar runs over both passes.
    job.report({ message: '正在核对案卷文件…', done: 0, total: shas.length, bytesDone: 0, bytesTotal: 2 * pdfBytes });
    const files: ZipSource[] = [];
    const pdfEntries: ManifestEntry[] = [];
    let hashed = 0;
    for (const [i, { sha, name, role, mediaType }] of carried.entries()) {
      if (job.signal.aborted) throw new AppError('cancelled', '已取消导出。', { reason: 'cancelled' });
      const file = this.store.pathOf(sha);
      const digest = await digestsOf(file).catch(() => null);
      // The store's address is the SHA-256: a file that no longer matches it is damaged.
      if (!digest || digest.sha256 !== sha)
        throw new AppError('damaged_file', `文件库中的文件已损坏或缺失（${sha.slice(0, 12)}…），无法导出工作包。`);
      pdfEntries.push({ role, name, mediaType, sm3: digest.sm3, size: digest.bytes });
      files.push({ path: name, file });
      hashed += digest.bytes;
      job.report({ done: i + 1, bytesDone: hashed });
    }
    const manifest: PackageManifest = {
      format: PACKAGE_FORMAT,
      formatVersion: PACKAGE_FORMAT_VERSION,
      kind: spec.kind,
      packageId,
      createdAt,
      appVersion: this.options.appVersion,
      schemaVersion: schemaVersion(this.db),
      workstationId: this.workstationId(),
      campaign: { id: spec.campaignId, name: this.campaignName(spec.campaignId) },
      reviewer: spec.reviewerId ? named(this.person(spec.reviewerId)) : null,
      author: named(this.person(actor.id)),
      basedOn: spec.basedOn,
      sequence: spec.sequence,
      purpose: spec.purpose,
      audit: { count: spec.audit.entries.length, sm3: auditRowsSm3(spec.audit.entries) },
    };
    const head = [
      { path: MANIFEST_ENTRY, bytes: json(manifest), role: ENTRY_ROLES.manifest },
      { path: IDENTITY_ENTRY, bytes: json(identity), role: ENTRY_ROLES.identity },
      ...data.map((d) => ({ ...d, role: ENTRY_ROLES.data })),
    ];
    const signed = signEntries(
      this.signing.manifests,
      signer,
      {
        kind: SIGNED_KINDS[spec.kind],
        id: packageId,
        subject: {
          campaign: manifest.campaign.name,
          reviewer: manifest.reviewer?.displayName ?? null,
          author: manifest.author.displayName,
          purpose: spec.purpose,
        },
      },
      [...head.map((e) => ({ role: e.role, name: e.path, mediaType: 'application/json', bytes: e.bytes })), ...pdfEntries],
      createdAt,
    );
    const signedSm3 = manifestSm3(signed.manifest.manifest);
    const relPath = path.join(createdAt.slice(0, 7), `${packageId}${PACKAGE_EXTENSION}`);
    const target = path.join(this.dirs.exports, relPath);
    job.report({ message: '正在写入工作包…' });
    const size = await writeZip(
      target,
      [{ path: SIGNATURE_ENTRY, bytes: signed.bytes }, ...head.map((e) => ({ path: e.path, bytes: e.bytes })), ...files],
      {
        signal: job.signal,
        onBytes: (written) => job.report({ bytesDone: Math.min(2 * pdfBytes, pdfBytes + written) }),
      },
    );
    if (job.signal.aborted) {
      await fsp.rm(target, { force: true });
      throw new AppError('cancelled', '已取消导出。', { reason: 'cancelled' });
    }
    const summary = {
      cases: spec.campaign.cases.length,
      documents: spec.campaign.documents.length,
      sheets: spec.work.sheets.length,
      annotations: spec.work.annotations.length,
      auditEntries: spec.audit.entries.length,
    };
    const download = await this.exportsService.registerFile(
      spec.kind === 'out' ? 'package.out' : spec.kind === 'return' ? 'package.return' : 'package.campaign',
      spec.fileName,
      target,
      relPath,
      'application/zip',
      ctx,
      spec.campaignId,
      () => {
        this.repo.log({
          packageId,
          direction: 'exported',
          kind: spec.kind,
          campaignId: spec.campaignId,
          reviewerId: spec.reviewerId,
          sequence: spec.sequence,
          basedOn: spec.basedOn,
          createdAt,
          workstationId: manifest.workstationId,
          manifestSm3: signedSm3,
          bytes: size,
          signerFingerprint: signer.fingerprint,
          summaryJson: JSON.stringify(summary),
          actorId: actor.id,
          at: createdAt,
        });
        spec.record?.(packageId);
        writeAudit(this.db, {
          actorId: actor.id,
          action: `package.export_${spec.kind}`,
          entity: 'package',
          entityId: packageId,
          campaignId: spec.campaignId,
          after: {
            reviewerId: spec.reviewerId,
            sequence: spec.sequence,
            bytes: size,
            signer: signer.fingerprint,
            manifestSm3: signedSm3,
            ...summary,
          },
        });
      },
    );
    this.repo.setExportedFileSha(packageId, download.sha256);
    job.report({ message: '已完成', bytesDone: 2 * pdfBytes });
    return {
      packageId,
      fileName: download.fileName,
      url: download.url,
      bytes: download.bytes,
      keptAt: target,
      signerFingerprint: signer.fingerprint,
    };
  }

  private exportOut(campaignId: string, reviewerId: string, password: string, ctx: CallContext) {
    return this.startExport(ctx, password, (): ExportSpec => {
      this.campaignName(campaignId);
      const reviewer = this.person(reviewerId);
      const caseIds = this.repo.assignedCaseIds(campaignId, reviewerId);
      if (!caseIds.length) throw new AppError('conflict', `${reviewer.displayName}在本评查活动中没有分配案卷，无需导出工作包。`);
      const sheetIds = rowsIn(this.db, 'sheets', 'case_id', caseIds)
        .filter((s) => s.reviewer_id === reviewerId)
        .map((s) => s.id as string);
      const work = sheetsWithAnswers(this.db, sheetIds);
      // The marks the reviewer may see now (their own; others' only where blind review allows).
      const actor: Actor = reviewer;
      const documents = rowsIn(this.db, 'documents', 'case_id', caseIds);
      const annotationIds: string[] = [];
      for (const d of documents) {
        const live = this.repo.liveAnnotationsOf(d.id);
        annotationIds.push(...this.review.blindAnnotations(d.id as string, actor, live).map((a) => a.id));
      }
      const annotations = rowsIn(this.db, 'annotations', 'id', annotationIds, 'ORDER BY id');
      const campaign = campaignPayload(
        this.db,
        campaignId,
        caseIds,
        [reviewerId, ...annotations.map((a) => a.author_id as string), ...work.sheets.map((s) => s.reopened_by as string | null)],
        work.sheets.map((s) => s.standard_version_id as string),
      );
      const revisions = new Map(work.sheets.map((s) => [s.id as string, s.revision as number]));
      return {
        kind: 'out',
        campaignId,
        reviewerId,
        basedOn: null,
        sequence: 0,
        purpose: null,
        campaign,
        work: {
          ...work,
          annotations,
          caseReviews: [],
          caseReviewAnswers: [],
          baseRevisions: Object.fromEntries(revisions),
          standardRefs: [],
        },
        audit: { entries: [] },
        fileName: safeFileName(
          `评查工作包-${campaign.campaign.name}-${reviewer.displayName}-${nowIso().slice(0, 10)}${PACKAGE_EXTENSION}`,
          160,
        ),
        record: (packageId) => {
          for (const [sheetId, revision] of revisions) this.repo.markSynced(sheetId, revision, packageId, nowIso());
        },
      };
    });
  }

  private exportReturn(campaignId: string, password: string, ctx: CallContext) {
    return this.startExport(ctx, password, (): ExportSpec => {
      const actor = requireActor(ctx);
      const replica = this.replica(campaignId);
      if (replica?.kind !== 'reviewer')
        throw new AppError('conflict', '只有从评查工作包导入的评查活动才能导出回收包；本活动的评分就在本工作站。');
      if (replica.reviewer_id !== actor.id)
        throw new AppError('forbidden', '只有该工作包的评查人员本人可以导出回收包，请以评查人员的账户登录。');
      const caseIds = this.repo.caseIdsOf(campaignId);
      const sheetIds = (rowsIn(this.db, 'sheets', 'case_id', caseIds) as Array<{ id: string; reviewer_id: string }>)
        .filter((s) => s.reviewer_id === actor.id)
        .map((s) => s.id);
      const work = sheetsWithAnswers(this.db, sheetIds);
      const documentIds = rowsIn(this.db, 'documents', 'case_id', caseIds).map((d) => d.id as string);
      const annotations = rowsIn(this.db, 'annotations', 'document_id', documentIds, 'ORDER BY id').filter((a) => a.author_id === actor.id);
      const bases = this.repo.syncedRevisions(sheetIds);
      const versions = standardVersions(
        this.db,
        work.sheets.map((s) => s.standard_version_id as string),
      );
      const audit = selectRows(
        this.db,
        'audit_log',
        'WHERE campaign_id = ? AND actor_id = ? AND origin_key IS NULL ORDER BY id',
        campaignId,
        actor.id,
      );
      const sequence = this.repo.returnsExported(campaignId) + 1;
      const campaign: CampaignPayload = {
        campaign: selectRows(this.db, 'campaigns', 'WHERE id = ?', campaignId)[0]!,
        users: usersById(this.db, [actor.id]),
        units: [],
        cases: [],
        documents: [],
        pageText: [],
        standards: [],
        campaignStandards: [],
        panelMembers: [],
        assignments: [],
        reviewRules: [],
      };
      return {
        kind: 'return',
        campaignId,
        reviewerId: actor.id,
        basedOn: replica.origin_package_id,
        sequence,
        purpose: null,
        campaign,
        work: { ...work, annotations, caseReviews: [], caseReviewAnswers: [], baseRevisions: bases, standardRefs: standardRefs(versions) },
        audit: { entries: audit },
        fileName: safeFileName(
          `评查回收包-${campaign.campaign.name}-${actor.displayName}-第${sequence}次-${nowIso().slice(0, 10)}${PACKAGE_EXTENSION}`,
          160,
        ),
      };
    });
  }

  private exportCampaign(campaignId: string, purpose: CampaignPurpose, password: string, ctx: CallContext) {
    return this.startExport(ctx, password, (): ExportSpec => {
      this.campaignName(campaignId);
      const caseIds = this.repo.caseIdsOf(campaignId);
      const sheets = rowsIn(this.db, 'sheets', 'case_id', caseIds, 'ORDER BY id');
      const work = sheetsWithAnswers(
        this.db,
        sheets.map((s) => s.id as string),
      );
      const documentIds = rowsIn(this.db, 'documents', 'case_id', caseIds).map((d) => d.id as string);
      const annotations = rowsIn(this.db, 'annotations', 'document_id', documentIds, 'ORDER BY id');
      const caseReviews = rowsIn(this.db, 'case_reviews', 'case_id', caseIds, 'ORDER BY case_id');
      const caseReviewAnswers = rowsIn(this.db, 'case_review_answers', 'case_id', caseIds, 'ORDER BY case_id, item_id');
      const panel = selectRows(this.db, 'panel_members', 'WHERE campaign_id = ?', campaignId).map((p) => p.user_id as string);
      const campaign = {
        ...campaignPayload(
          this.db,
          campaignId,
          caseIds,
          [
            ...panel,
            ...sheets.flatMap((s) => [s.reviewer_id as string, s.reopened_by as string | null]),
            ...annotations.map((a) => a.author_id as string),
            ...caseReviews.flatMap((r) => [r.assignee_id as string | null, r.finalised_by as string | null]),
            ...caseReviewAnswers.map((a) => a.decided_by as string | null),
          ],
          [
            ...sheets.map((s) => s.standard_version_id as string),
            ...caseReviews.map((r) => r.standard_version_id as string | null).filter((v): v is string => !!v),
          ],
          { draws: true },
        ),
        ...ledgerManual(this.db, campaignId),
      };
      const audit = selectRows(this.db, 'audit_log', 'WHERE campaign_id = ? ORDER BY id', campaignId);
      return {
        kind: 'campaign',
        campaignId,
        reviewerId: null,
        basedOn: null,
        sequence: 0,
        purpose,
        campaign,
        work: { ...work, annotations, caseReviews, caseReviewAnswers, baseRevisions: {}, standardRefs: [] },
        audit: { entries: audit },
        fileName: safeFileName(
          `评查活动${purpose === 'report' ? '上报' : '移交'}包-${campaign.campaign.name}-${nowIso().slice(0, 10)}${PACKAGE_EXTENSION}`,
          160,
        ),
      };
    });
  }

  // ── overview and conflicts ──────────────────────────────────────────────────────────────

  overview(campaignId: string): PackageOverview {
    this.campaignName(campaignId);
    const replica = this.replica(campaignId);
    const reviewerName = (id: string | null): string | null => (id ? (this.repo.person(id)?.displayName ?? null) : null);
    const reviewers = this.repo.reviewersOf(campaignId).map((r) => ({
      id: r.id,
      name: r.name,
      assignedCount: r.assigned,
      lastOutAt: r.last_out,
      lastReturn: r.last_seq !== null && r.last_at ? { sequence: r.last_seq, at: r.last_at } : null,
    }));
    const log = this.repo.logOf(campaignId).map((r) => ({
      packageId: r.package_id,
      kind: r.kind,
      direction: r.direction,
      reviewerName: r.reviewer_name,
      sequence: r.sequence,
      createdAt: r.created_at,
      at: r.at,
      byName: r.by_name,
      bytes: r.bytes,
      signed: r.signer_fingerprint !== null,
      summary: describeSummary(r.summary),
    }));
    const openConflicts = this.repo.openConflictCount(campaignId);
    return {
      campaignId,
      replica: replica
        ? {
            kind: replica.kind,
            readOnly: replica.kind !== 'transfer',
            reviewerId: replica.reviewer_id,
            reviewerName: reviewerName(replica.reviewer_id),
            originPackageId: replica.origin_package_id,
            importedAt: replica.imported_at,
            returnsMade: this.repo.returnsExported(campaignId),
          }
        : null,
      reviewers,
      log,
      openConflicts,
    };
  }

  conflicts(campaignId: string): PackageConflict[] {
    return this.repo.conflictsOf(campaignId).map((r) => {
      const incoming = incomingSheet(r);
      const local = this.sheets.findSheet(r.case_id, r.reviewer_id);
      const localAnswers = local ? this.sheets.answers(local.id) : {};
      const def = this.sheets.definition(incoming.sheet.standard_version_id as string);
      const order = allItems(def).map((i) => i.id);
      const items = differingItems(localAnswers, incoming.answers, order).map((itemId) => {
        const item = findItem(def, itemId);
        return {
          itemId,
          code: item?.code ?? itemId,
          text: item?.text ?? '（该项目不在标准中）',
          local: localAnswers[itemId] ?? null,
          incoming: incoming.answers[itemId] ?? null,
        };
      });
      const side = (status: string, revision: number, updatedAt: string, answers: Answers) => ({
        status: status as PackageConflict['local']['status'],
        revision,
        updatedAt,
        summary: summarise(scoreSheet(def, answers)),
      });
      return {
        id: r.id,
        caseId: r.case_id,
        caseNumber: r.case_number,
        caseTitle: r.title,
        reviewerId: r.reviewer_id,
        reviewerName: r.reviewer_name,
        packageId: r.package_id,
        createdAt: r.created_at,
        status: r.status,
        resolution: r.resolution,
        resolvedByName: r.resolved_by_name,
        local: local ? side(local.status, local.revision, local.updated_at, localAnswers) : side('draft', 0, '', {}),
        incoming: side(
          incoming.sheet.status as string,
          incoming.sheet.revision as number,
          incoming.sheet.updated_at as string,
          incoming.answers,
        ),
        items,
      };
    });
  }

  private resolve(conflictId: string, choice: 'local' | 'incoming', ctx: CallContext): PackageConflict {
    const actor = requireActor(ctx);
    const out = tx(this.db, () => {
      const row = this.repo.conflict(conflictId);
      if (!row) throw new AppError('not_found', '冲突记录不存在。');
      if (row.status !== 'open') throw new AppError('conflict', '该冲突已经处理过了。');
      const incoming = incomingSheet(row);
      const local = this.sheets.findSheet(row.case_id, row.reviewer_id);
      if (choice === 'incoming') this.importer.replaceSheet(local?.id ?? null, incoming, actor.id);
      else this.importer.markSynced(local?.id ?? null, incoming.sheet.revision as number, row.package_id);
      this.repo.resolveConflict(conflictId, choice, actor.id, nowIso());
      writeAudit(this.db, {
        actorId: actor.id,
        action: 'package.resolve',
        entity: 'sheet',
        entityId: incoming.sheet.id as string,
        campaignId: row.campaign_id,
        before: local ? { status: local.status, revision: local.revision, answers: this.sheets.answers(local.id) } : null,
        after: {
          choice,
          packageId: row.package_id,
          ...(choice === 'incoming' ? { status: incoming.sheet.status, answers: incoming.answers } : {}),
        },
      });
      return row;
    });
    this.events.emit('data:changed', { entity: 'sheet', campaignId: out.campaign_id });
    this.events.emit('data:changed', { entity: 'case', id: out.case_id, campaignId: out.campaign_id });
    return this.conflicts(out.campaign_id).find((c) => c.id === conflictId)!;
  }

  // ── import ───────────────────────────────────────────────────────────────────────────────

  /** Starts the import (or its dry run) of an uploaded package as a job. */
  private startImport(
    sourceId: string,
    dryRun: boolean,
    reviewerPassword: string | undefined,
    trustSigner: string | undefined,
    ctx: CallContext,
  ): { jobId: string } {
    const actor = requireActor(ctx);
    const staged = this.staging.get(sourceId, actor.id);
    // One import at a time changes this workstation; previews run beside it.
    return this.startJob(
      actor,
      dryRun ? 'package.preview' : 'package.import',
      undefined,
      dryRun ? undefined : 'package-import',
      async (job, outcome) => {
        const workDir = path.join(this.dirs.staging, `package-${randomUUID()}`);
        try {
          const result = await this.importer.importFile(staged.file, workDir, { dryRun, reviewerPassword, trustSigner, actor }, job);
          if (result.outcome === 'applied') {
            this.events.emit('data:changed', { entity: 'campaign', id: result.campaignId, campaignId: result.campaignId });
            this.events.emit('data:changed', { entity: 'sheet', campaignId: result.campaignId });
          }
          if (!dryRun) await this.staging.discard(sourceId);
          outcome.import = result;
        } catch (err) {
          // What the person can add (a password, a confirmed fingerprint) or a cancel keeps the file staged for the retry.
          const retry =
            err instanceof AppError &&
            (err.details?.path === 'reviewerPassword' || err.details?.path === 'trustSigner' || err.code === 'cancelled');
          if (!retry) await this.staging.discard(sourceId);
          throw err;
        } finally {
          await fsp.rm(workDir, { recursive: true, force: true });
        }
      },
    );
  }

  handlers(): Pick<
    Handlers,
    | 'package:exportOut'
    | 'package:exportReturn'
    | 'package:exportCampaign'
    | 'package:import'
    | 'package:jobResult'
    | 'package:overview'
    | 'package:conflicts'
    | 'package:resolve'
  > {
    return {
      'package:exportOut': ({ campaignId, reviewerId, password }, ctx) => this.exportOut(campaignId, reviewerId, password, ctx),
      'package:exportReturn': ({ campaignId, password }, ctx) => this.exportReturn(campaignId, password, ctx),
      'package:exportCampaign': ({ campaignId, purpose, password }, ctx) => this.exportCampaign(campaignId, purpose, password, ctx),
      'package:import': ({ sourceId, dryRun, reviewerPassword, trustSigner }, ctx) =>
        this.startImport(sourceId, dryRun, reviewerPassword, trustSigner, ctx),
      'package:jobResult': ({ jobId }, ctx) => this.jobResult(jobId, requireActor(ctx)),
      'package:overview': ({ campaignId }) => this.overview(campaignId),
      'package:conflicts': ({ campaignId }) => this.conflicts(campaignId),
      'package:resolve': ({ conflictId, choice }, ctx) => this.resolve(conflictId, choice, ctx),
    };
  }
}

/** What an export collects from the database when it is asked for; the job writes it. */
interface ExportSpec {
  kind: PackageKind;
  campaignId: string;
  reviewerId: string | null;
  basedOn: string | null;
  sequence: number;
  purpose: CampaignPurpose | null;
  campaign: CampaignPayload;
  work: WorkPayload;
  audit: AuditPayload;
  fileName: string;
  /** Inside the recording transaction (e.g. the sheets' synced revisions). */
  record?: (packageId: string) => void;
}

/** SHA-256 (the store's address, re-checked) and SM3 (the manifest's digest) of a file, in one read. */
async function digestsOf(file: string): Promise<{ bytes: number; sha256: string; sm3: string }> {
  const sha256 = createHash('sha256');
  const sm3 = createHash('sm3');
  let bytes = 0;
  for await (const chunk of fs.createReadStream(file)) {
    bytes += (chunk as Buffer).length;
    sha256.update(chunk as Buffer);
    sm3.update(chunk as Buffer);
  }
  return { bytes, sha256: sha256.digest('hex'), sm3: sm3.digest('hex') };
}

/** A person as a package's manifest names them. */
const named = (p: { id: string; username: string; displayName: string }) => ({
  id: p.id,
  username: p.username,
  displayName: p.displayName,
});

function describeSummary(s: Record<string, number>): string {
  const parts = [
    s.cases ? `案卷 ${s.cases} 件` : '',
    s.documents ? `文件 ${s.documents} 个` : '',
    s.sheets ? `评查表 ${s.sheets} 份` : '',
    s.annotations ? `批注 ${s.annotations} 条` : '',
    s.auditEntries ? `日志 ${s.auditEntries} 条` : '',
    s.conflicts ? `冲突 ${s.conflicts} 处` : '',
  ].filter(Boolean);
  return parts.join('，') || '无变化';
}
