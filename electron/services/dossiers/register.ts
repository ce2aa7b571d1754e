/**
 * The one way a case and its documents enter a campaign: the single-PDF import, the bulk import and
 * anything else that registers a case go through here, so the same 案号 is tidied and keyed the same
 * way, the same unit is found for the same name, the same columns are written and the same refusals
 * apply (an archived campaign takes no new files). Every function runs inside the caller's
 * transaction and writes its own audit entry.
 */
import { randomUUID } from 'node:crypto';
import type { CaseType } from '../../../shared/campaigns/case-types.js';
import { CASE_TYPE_LABELS } from '../../../shared/campaigns/case-types.js';
import { AppError } from '../../../shared/core/errors.js';
import { caseNumberKey, caseNumberSortKey, tidyCaseNumber } from '../../../shared/dossiers/case-number.js';
import { findCampaignUnit } from '../campaigns/index.js';
import { writeAudit } from '../core/audit.js';
import { nowIso, type Actor } from '../core/context.js';
import type { Db } from '../core/db/database.js';
import { titleFromFileName } from './dossiers-service.js';
import { dossiersRepo } from './repo.js';

/** What a case row stores besides ids; the single import knows only the first four. */
export interface NewCase {
  caseNumber: string;
  caseType: CaseType;
  unitName: string;
  /**
   * `identity` (a single file): the campaign's unit of that identity, if any. `exact`: the name was
   * already resolved by a person in the import review (who may have kept it as a unit of its own).
   */
  unitMatch?: 'identity' | 'exact';
  title?: string;
  cause?: string;
  party?: string;
  enforcementBody?: string;
  filedOn?: string | null;
  closedOn?: string | null;
  decision?: string;
  penaltyAmount?: number | null;
  confiscatedAmount?: number | null;
  penaltyText?: string;
  handler?: string;
  externalCode?: string;
}

/** Refuses new files for a campaign that is gone or archived (its results are final). */
export function requireOpenCampaign(db: Db, campaignId: string): void {
  const status = dossiersRepo(db).campaignStatus(campaignId);
  if (status === null) throw new AppError('not_found', '评查活动不存在。');
  if (status === 'archived') throw new AppError('locked', '该评查活动已归档，不能再导入案卷。');
}

/**
 * The campaign's case of this 案号, created (with its unit, if the campaign has none of that name or
 * identity) when it is new. A 案号 already registered under another unit or type is refused: the
 * same 案号 cannot be two files.
 */
export function registerCase(db: Db, actor: Actor, campaignId: string, input: NewCase): { id: string; created: boolean } {
  requireOpenCampaign(db, campaignId);
  const repo = dossiersRepo(db);
  const now = nowIso();
  // The campaign's unit of that identity (县市场监管局 is 清溪县市场监督管理局), else a new one.
  let unit: { id: string } | null =
    input.unitMatch === 'exact' ? repo.unitNamed(campaignId, input.unitName) : findCampaignUnit(db, campaignId, input.unitName);
  if (!unit) {
    unit = { id: randomUUID() };
    repo.insertUnit(unit.id, campaignId, input.unitName, now);
    writeAudit(db, {
      actorId: actor.id,
      action: 'unit.create',
      entity: 'unit',
      entityId: unit.id,
      campaignId,
      after: { name: input.unitName },
    });
  }
  const key = caseNumberKey(input.caseNumber);
  const existing = repo.caseOfKey(campaignId, key);
  if (existing) {
    if (existing.unitId !== unit.id || existing.caseType !== input.caseType)
      throw new AppError(
        'conflict',
        `案号“${input.caseNumber}”已在本活动中登记于“${existing.unitName}”，与本次导入的单位或类型不一致，请核对案号。`,
      );
    return { id: existing.id, created: false };
  }
  const row = {
    caseNumber: tidyCaseNumber(input.caseNumber),
    title: input.title ?? '',
    caseType: input.caseType,
    unitName: input.unitName,
    cause: input.cause ?? '',
    party: input.party ?? '',
    enforcementBody: input.enforcementBody ?? '',
    filedOn: input.filedOn ?? null,
    closedOn: input.closedOn ?? null,
    decision: input.decision ?? '',
    penaltyAmount: input.penaltyAmount ?? null,
    confiscatedAmount: input.confiscatedAmount ?? null,
    penaltyText: input.penaltyText ?? '',
    handler: input.handler ?? '',
    externalCode: input.externalCode ?? '',
  };
  const id = randomUUID();
  repo.insertCase({
    ...row,
    id,
    campaignId,
    unitId: unit.id,
    caseNumberKey: key,
    caseNumberSort: caseNumberSortKey(row.caseNumber),
    createdBy: actor.id,
    at: now,
  });
  writeAudit(db, {
    actorId: actor.id,
    action: 'case.create',
    entity: 'case',
    entityId: id,
    campaignId,
    after: { ...row, caseTypeLabel: CASE_TYPE_LABELS[row.caseType] },
  });
  return { id, created: true };
}

/** A PDF already in the blob store, as the inspection read it. */
export interface NewDocument {
  fileName: string;
  sha256: string;
  size: number;
  pageCount: number;
  hasText: boolean;
  metadata: unknown;
  pageTexts?: string[];
  /** Where it goes in the case's file list; after the last one when not given. */
  position?: number;
  /** What the audit entry adds (the bulk import's source path and batch). */
  auditExtra?: Record<string, unknown>;
}

/** Adds a document to a case, its text to the search index, and the entry to the audit log. */
export function addDocument(db: Db, actor: Actor, campaignId: string, caseId: string, input: NewDocument): { documentId: string } {
  const repo = dossiersRepo(db);
  const now = nowIso();
  const documentId = randomUUID();
  repo.insertBlob(input.sha256, input.size, now);
  const position = input.position ?? repo.nextPosition(caseId);
  const doc = {
    fileName: input.fileName,
    title: titleFromFileName(input.fileName),
    sha256: input.sha256,
    pageCount: input.pageCount,
    hasText: input.hasText,
  };
  repo.insertDocument({
    id: documentId,
    caseId,
    sha256: input.sha256,
    fileName: doc.fileName,
    title: doc.title,
    pageCount: doc.pageCount,
    hasText: doc.hasText ? 1 : 0,
    metadataJson: JSON.stringify(input.metadata),
    position,
    at: now,
  });
  repo.indexPages(documentId, input.pageTexts ?? []);
  writeAudit(db, {
    actorId: actor.id,
    action: 'document.import',
    entity: 'document',
    entityId: documentId,
    campaignId,
    after: { ...doc, ...input.auditExtra },
  });
  return { documentId };
}
