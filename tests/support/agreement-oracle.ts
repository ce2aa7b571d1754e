/**
 * The agreement report computed afresh from the tables (every delivered sheet, every settled file's
 * agreed answers), to hold the kept sums the agreement screen reads against.
 */
import { agreementReport, type AgreementReport, type RatedFile } from '../../shared/panel/agreement.js';
import type { Answer, Answers } from '../../shared/scoring/scoring.js';
import type { StandardDefinition } from '../../shared/standards/model.js';
import { allItems, isPlaceholder } from '../../shared/standards/tree.js';
import type { Db } from '../../electron/services/core/db/database.js';

/** The report computed from the tables alone: every delivered round-1 sheet, the agreed answers of settled files. */
export function fromTables(db: Db, campaignId: string): AgreementReport {
  const defs = new Map<string, StandardDefinition>();
  const definition = (id: string): StandardDefinition => {
    let d = defs.get(id);
    if (!d) {
      const row = db.prepare('SELECT definition_json FROM standard_versions WHERE id = ?').get(id) as { definition_json: string };
      defs.set(id, (d = JSON.parse(row.definition_json) as StandardDefinition));
    }
    return d;
  };
  const sheets = db
    .prepare(
      `SELECT s.id, s.case_id, s.reviewer_id, s.standard_version_id FROM sheets s JOIN cases c ON c.id = s.case_id
       WHERE c.campaign_id = ? AND s.round = 1 AND s.status IN ('submitted', 'final') ORDER BY s.case_id, s.created_at, s.id`,
    )
    .all(campaignId) as Array<{ id: string; case_id: string; reviewer_id: string; standard_version_id: string }>;
  const answersOf = (sql: string, id: string): Answers =>
    Object.fromEntries(
      (db.prepare(sql).all(id) as Array<{ item_id: string; answer_json: string }>).map((r) => [
        r.item_id,
        JSON.parse(r.answer_json) as Answer,
      ]),
    );
  const files = new Map<string, RatedFile>();
  for (const s of sheets) {
    let f = files.get(s.case_id);
    if (!f) {
      const review = db.prepare('SELECT status FROM case_reviews WHERE case_id = ?').get(s.case_id) as { status: string } | undefined;
      f = {
        fileId: s.case_id,
        versionId: s.standard_version_id,
        definition: definition(s.standard_version_id),
        ratings: [],
        final:
          review?.status === 'final'
            ? answersOf('SELECT item_id, answer_json FROM case_review_answers WHERE case_id = ?', s.case_id)
            : null,
      };
      files.set(s.case_id, f);
    }
    (f.ratings as Array<RatedFile['ratings'][number]>).push({
      raterId: s.reviewer_id,
      answers: answersOf('SELECT item_id, answer_json FROM sheet_answers WHERE sheet_id = ?', s.id),
    });
  }
  return agreementReport([...files.values()]);
}

/** An item a plain 扣分 answer fits (full or fixed deduction), among those `pick` accepts. */
export const plainItem = (def: StandardDefinition, pick: (itemId: string) => boolean): string =>
  allItems(def).find((i) => (i.rule.kind === 'full' || i.rule.kind === 'fixed') && i.points !== null && !isPlaceholder(i) && pick(i.id))!
    .id;

/** Both reports in one order, numbers to 9 places (sums kept over many changes differ in the last bits). */
export function comparable(r: AgreementReport): { files: number; items: unknown[]; raters: Array<Record<string, unknown>> } {
  const round = (v: unknown): unknown =>
    typeof v === 'number'
      ? Math.round(v * 1e9) / 1e9
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, round(x)]))
        : v;
  return {
    ...(round({ ...r, items: null, raters: null }) as { files: number }),
    items: [...r.items].sort((a, b) => (a.versionId + a.itemId).localeCompare(b.versionId + b.itemId)).map((i) => round(i)),
    raters: [...r.raters].sort((a, b) => a.raterId.localeCompare(b.raterId)).map((x) => round(x) as Record<string, unknown>),
  };
}
