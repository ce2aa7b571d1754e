/**
 * Collecting what a package carries, from the database (read only; the service writes the zip and
 * records the export). Out-packages carry only the reviewer's files and what blind review lets them
 * see; return packages only the rows the reviewer owns; campaign packages everything of a campaign.
 */
import type { CampaignPayload, StandardVersionPayload, WorkPayload } from '../../../shared/packages/format.js';
import type { Db } from '../core/db/database.js';
import { packagesRepo } from './repo.js';
import { selectRows, type Row } from './tables.js';

const placeholders = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

/** `col IN (…)` over any number of ids, in chunks SQLite accepts. */
export function rowsIn(db: Db, table: Parameters<typeof selectRows>[1], column: string, ids: readonly string[], extra = ''): Row[] {
  const out: Row[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    out.push(...selectRows(db, table, `WHERE "${column}" IN (${placeholders(chunk.length)}) ${extra}`, ...chunk));
  }
  return out;
}

export function standardVersions(db: Db, versionIds: Iterable<string>): StandardVersionPayload[] {
  const repo = packagesRepo(db);
  return [...new Set(versionIds)].map((id) => repo.standardVersion(id));
}

export const standardRefs = (versions: StandardVersionPayload[]): WorkPayload['standardRefs'] =>
  versions.map((v) => ({ id: v.id, standardId: v.standardId, version: v.version, contentSha256: v.contentSha256 }));

/** Users named by the given ids (no password hashes, no login state). */
export function usersById(db: Db, ids: Iterable<string | null | undefined>): Row[] {
  const wanted = [...new Set([...ids].filter((id): id is string => !!id))];
  return rowsIn(db, 'users', 'id', wanted, 'ORDER BY id');
}

/** The campaign's structure restricted to `caseIds` (all of them for a campaign package). */
export function campaignPayload(
  db: Db,
  campaignId: string,
  caseIds: string[],
  extraUserIds: Array<string | null>,
  extraVersionIds: string[],
  options: { draws?: boolean } = {},
): CampaignPayload {
  const campaign = selectRows(db, 'campaigns', 'WHERE id = ?', campaignId)[0]!;
  const cases = rowsIn(db, 'cases', 'id', caseIds, 'ORDER BY id');
  const unitIds = [...new Set(cases.map((c) => c.unit_id as string))];
  const documents = rowsIn(db, 'documents', 'case_id', caseIds, 'ORDER BY id');
  const pageText = rowsIn(
    db,
    'page_texts',
    'document_id',
    documents.map((d) => d.id as string),
    'ORDER BY document_id, page_index',
  );
  const ocrPages = rowsIn(
    db,
    'ocr_pages',
    'sha256',
    [...new Set(documents.map((d) => d.sha256 as string))],
    'ORDER BY sha256, page_index, engine',
  );
  const caseTypes = new Set(cases.map((c) => c.case_type as string));
  const campaignStandards = selectRows(db, 'campaign_standards', 'WHERE campaign_id = ? ORDER BY case_type', campaignId).filter((r) =>
    caseTypes.has(r.case_type as string),
  );
  const assignments = rowsIn(db, 'assignments', 'case_id', caseIds, 'ORDER BY case_id, reviewer_id, round');
  // A draw names every file of the pool: only a whole-campaign package may carry it.
  const draws = options.draws ? selectRows(db, 'draws', 'WHERE campaign_id = ? ORDER BY seq', campaignId) : [];
  const drawnCases = rowsIn(
    db,
    'drawn_cases',
    'draw_id',
    draws.map((d) => d.id as string),
    'ORDER BY draw_id, case_id',
  );
  const userIds = [...assignments.map((a) => a.reviewer_id as string), ...draws.map((d) => d.drawn_by as string), ...extraUserIds];
  const panelMembers = selectRows(db, 'panel_members', 'WHERE campaign_id = ? ORDER BY user_id', campaignId).filter((p) =>
    userIds.includes(p.user_id as string),
  );
  return {
    campaign,
    users: usersById(db, userIds),
    units: rowsIn(db, 'units', 'id', unitIds, 'ORDER BY id'),
    cases,
    documents,
    pageText,
    ocrPages,
    standards: standardVersions(db, [...campaignStandards.map((r) => r.standard_version_id as string), ...extraVersionIds]),
    campaignStandards,
    panelMembers,
    assignments,
    reviewRules: selectRows(db, 'campaign_review_rules', 'WHERE campaign_id = ?', campaignId),
    ...(options.draws ? { draws, drawnCases } : {}),
  };
}

/** The 整改台账 rows the organiser entered by hand, with their evidence (campaign packages). */
export function ledgerManual(db: Db, campaignId: string): Pick<CampaignPayload, 'ledgerManualItems' | 'ledgerManualEvidence'> {
  const items = selectRows(db, 'ledger_manual_items', 'WHERE campaign_id = ? ORDER BY id', campaignId);
  return {
    ledgerManualItems: items,
    ledgerManualEvidence: rowsIn(
      db,
      'ledger_manual_evidence',
      'manual_item_id',
      items.map((i) => i.id as string),
      'ORDER BY id',
    ),
  };
}

/** Sheets (with answers) of the given ids. */
export function sheetsWithAnswers(db: Db, sheetIds: string[]): Pick<WorkPayload, 'sheets' | 'answers'> {
  return {
    sheets: rowsIn(db, 'sheets', 'id', sheetIds, 'ORDER BY id'),
    answers: rowsIn(db, 'sheet_answers', 'sheet_id', sheetIds, 'ORDER BY sheet_id, item_id'),
  };
}
