/**
 * A package speaks for one campaign only. Before anything is written, every row it carries is tied to
 * the campaign its signed manifest names: a row whose id is already used on this workstation by a
 * record of another campaign (a unit, case, document, sheet, mark, file review …), or that hangs on a
 * case, document or sheet outside this campaign, refuses the whole package — an upsert by id would
 * otherwise move or rewrite another campaign's files, even from a signer this workstation trusts.
 * The campaign of an audit row is the package's, whatever the row says; and no carried account or
 * audit row may be this workstation's own account (one not made from a package), so imported history
 * is never attributed to a local person (行政处罚法 art. 47: the record of who did what must hold).
 */
import type { PackageKind } from '../../../shared/packages/format.js';
import { packageRefusal } from '../../../shared/packages/refusals.js';
import type { Db } from '../core/db/database.js';
import { packagesRepo, type CarriedRecord } from './repo.js';
import type { Row } from './tables.js';

export interface ScopedRows {
  campaign: {
    campaign: Row[];
    users: Row[];
    units: Row[];
    cases: Row[];
    documents: Row[];
    pageText: Row[];
    ocrPages: Row[];
    campaignStandards: Row[];
    panelMembers: Row[];
    assignments: Row[];
    reviewRules: Row[];
    ledgerManualItems: Row[];
    ledgerManualEvidence: Row[];
    draws: Row[];
    drawnCases: Row[];
  };
  work: { sheets: Row[]; answers: Row[]; annotations: Row[]; caseReviews: Row[]; caseReviewAnswers: Row[] };
  audit: Row[];
}

type Value = Row[string] | undefined;
const str = (v: Value): string => String(v);

/** Throws `foreign_rows` / `local_actor` unless every row belongs to `campaignId`; sets each audit row's campaign to it. */
export function scopeToCampaign(db: Db, kind: PackageKind, campaignId: string, rows: ScopedRows): void {
  const foreign = (what: string, id: Value): never => {
    throw packageRefusal('foreign_rows', `${what} ${str(id).slice(0, 60)}`);
  };
  const c = rows.campaign;
  const w = rows.work;

  for (const r of [
    ...c.campaign,
    ...c.units,
    ...c.cases,
    ...c.campaignStandards,
    ...c.panelMembers,
    ...c.assignments,
    ...c.reviewRules,
    ...c.ledgerManualItems,
    ...c.draws,
  ]) {
    const id = 'campaign_id' in r ? r.campaign_id : r.id;
    if (id !== campaignId) foreign('评查活动', id);
  }

  // Ids already used here must be this campaign's own records.
  const repo = packagesRepo(db);
  const here = (what: CarriedRecord, id: Value): string | null => repo.campaignOf(what, id);
  const ownOrNew = (what: CarriedRecord, label: string, id: Value): void => {
    const c = here(what, id);
    if (c !== null && c !== campaignId) foreign(label, id);
  };
  for (const u of c.units) ownOrNew('unit', '被评查单位', u.id);
  for (const k of c.cases) ownOrNew('case', '案卷', k.id);
  for (const d of c.documents) ownOrNew('document', '案卷文件', d.id);
  for (const s of w.sheets) ownOrNew('sheet', '评查表', s.id);
  for (const a of w.annotations) ownOrNew('annotation', '批注', a.id);
  for (const m of c.ledgerManualItems) ownOrNew('ledgerItem', '整改台账', m.id);
  for (const e of c.ledgerManualEvidence) ownOrNew('ledgerEvidence', '整改佐证材料', e.id);
  for (const d of c.draws) ownOrNew('draw', '抽取记录', d.id);

  // What the rows hang on: this campaign's units, cases, documents and sheets, carried or already here.
  const units = new Set([...c.units.map((u) => str(u.id)), ...repo.unitIdsOf(campaignId)]);
  const cases = new Set([...c.cases.map((k) => str(k.id)), ...repo.caseIdsOf(campaignId)]);
  const inCase = (label: string, id: Value): void => void (cases.has(str(id)) || foreign(label, id));
  for (const k of c.cases) if (!units.has(str(k.unit_id))) foreign('被评查单位', k.unit_id);
  for (const m of c.ledgerManualItems) if (!units.has(str(m.unit_id))) foreign('被评查单位', m.unit_id);
  const ledgerItems = new Set(c.ledgerManualItems.map((m) => str(m.id)));
  for (const e of c.ledgerManualEvidence) if (!ledgerItems.has(str(e.manual_item_id))) foreign('整改台账', e.manual_item_id);
  for (const d of c.documents) inCase('案卷', d.case_id);
  const documents = new Set(c.documents.map((d) => str(d.id)));
  const documentHere = (id: Value): boolean => documents.has(str(id)) || here('document', id) === campaignId;
  for (const p of c.pageText) if (!documents.has(str(p.document_id))) foreign('案卷文件', p.document_id);
  // What OCR read is stored by file content: only for the files this package carries, so a package
  // cannot plant text under a file of another campaign.
  const carriedFiles = new Set(c.documents.map((d) => str(d.sha256)));
  for (const o of c.ocrPages) if (!carriedFiles.has(str(o.sha256))) foreign('案卷文件', o.sha256);
  for (const a of c.assignments) inCase('案卷', a.case_id);
  const draws = new Set(c.draws.map((d) => str(d.id)));
  for (const d of c.drawnCases) {
    if (!draws.has(str(d.draw_id))) foreign('抽取记录', d.draw_id);
    inCase('案卷', d.case_id);
  }
  for (const s of w.sheets) inCase('案卷', s.case_id);
  const sheets = new Set(w.sheets.map((s) => str(s.id)));
  for (const a of w.answers) if (!sheets.has(str(a.sheet_id))) foreign('评查表', a.sheet_id);
  for (const a of w.annotations) if (!documentHere(a.document_id)) foreign('案卷文件', a.document_id);
  for (const r of w.caseReviews) inCase('案卷', r.case_id);
  for (const r of w.caseReviewAnswers) inCase('案卷', r.case_id);

  // Accounts and history: a return package's rows are its signer's own (apply.ts checks that); other
  // packages come from another workstation, whose people are never this workstation's own accounts.
  if (kind !== 'return') {
    for (const u of c.users) if (repo.isNativeUser(u.id)) throw packageRefusal('local_actor', str(u.username).slice(0, 60));
    for (const r of rows.audit)
      if (r.actor_id !== null && repo.isNativeUser(r.actor_id))
        throw packageRefusal('local_actor', `操作日志 ${str(r.action).slice(0, 60)}`);
  }
  for (const r of rows.audit) r.campaign_id = campaignId;
}
