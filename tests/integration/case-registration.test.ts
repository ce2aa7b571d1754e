/**
 * A case enters a campaign one way, whether a reviewer adds one PDF or a unit's whole folder comes in
 * as a batch: the same 案号 typed the same loose way is stored tidied under the same key, in the same
 * unit, with the same columns, and its document the same. An archived campaign takes no new file by
 * either path.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWithCampaign, stage, type setupAdmin, type TestBackend } from '../support/backend.js';
import { dossierFixture } from '../support/dossiers/index.js';

let t: TestBackend;
let admin: Awaited<ReturnType<typeof setupAdmin>>;
let single: string;
let bulk: string;
let pdf: { bytes: Uint8Array; truth: { caseNumber: string; unitName: string; caseType: string; title: string } };

beforeAll(async () => {
  ({ t, admin, campaignId: single } = await openWithCampaign('单份导入'));
  bulk = (await admin.call('campaign:create', { name: '批量导入', year: 2025, issuingBody: '某某县司法局' })).id;
  pdf = await dossierFixture({ seed: 31 });
});
afterAll(() => t.close());

// The 案号 as a clerk types it: half-width brackets and stray spaces around the year.
const loose = (n: string): string => n.replace('〔', ' [').replace('〕', '] ');

const CASE_COLUMNS = `case_number, case_number_key, title, case_type, cause, party, enforcement_body, filed_on, closed_on, decision,
  penalty_amount, confiscated_amount, penalty_text, handler, external_code, u.name AS unit`;
const DOC_COLUMNS = 'd.sha256, d.file_name, d.title, d.page_count, d.has_text, d.metadata_json, d.position';

function stored(campaignId: string) {
  const db = t.backend.db;
  const cases = db
    .prepare(`SELECT c.id, ${CASE_COLUMNS} FROM cases c JOIN units u ON u.id = c.unit_id WHERE c.campaign_id = ?`)
    .all(campaignId) as Array<Record<string, unknown>>;
  expect(cases).toHaveLength(1);
  const { id, ...kase } = cases[0]!;
  const docs = db.prepare(`SELECT d.id, ${DOC_COLUMNS} FROM documents d WHERE d.case_id = ?`).all(id) as Array<Record<string, unknown>>;
  expect(docs).toHaveLength(1);
  const { id: documentId, ...doc } = docs[0]!;
  const pages = db.prepare('SELECT count(*) AS n FROM page_text WHERE document_id = ?').get(documentId) as { n: number };
  const audit = db
    .prepare('SELECT action FROM audit_log WHERE campaign_id = ? ORDER BY rowid')
    .all(campaignId)
    .map((r) => (r as { action: string }).action);
  return { kase, doc, pages: pages.n, audit: audit.filter((a) => ['unit.create', 'case.create', 'document.import'].includes(a)) };
}

describe('one path to register a case and its document', () => {
  it('single and bulk import store the same case and document for the same file and 案号', async () => {
    const { truth, bytes } = pdf;
    const fileName = `${loose(truth.caseNumber)}.pdf`;
    const one = await stage(t.backend, admin, fileName, bytes);
    await admin.call('dossier:importSingle', {
      campaignId: single,
      sourceId: one,
      caseNumber: loose(truth.caseNumber),
      unitName: truth.unitName,
      caseType: truth.caseType as never,
    });

    const many = await stage(t.backend, admin, fileName, bytes);
    const { jobId, batchId } = await admin.call('import:start', {
      campaignId: bulk,
      sourceIds: [many],
      defaults: { unitName: truth.unitName, caseType: truth.caseType as never },
    });
    await t.backend.services.jobs.wait(jobId);
    const summary = await admin.call('import:result', { batchId });
    expect(summary.counts).toMatchObject({ casesCreated: 1, documents: 1 });

    const a = stored(single);
    const b = stored(bulk);
    expect(a.kase.case_number).toBe(truth.caseNumber);
    expect(b.kase).toEqual(a.kase);
    expect(b.doc).toEqual(a.doc);
    expect(a.pages).toBeGreaterThan(0);
    expect(b.pages).toBe(a.pages);
    expect(b.audit).toEqual(a.audit);
  });

  it('an archived campaign refuses a single file as it refuses a batch', async () => {
    const archived = (await admin.call('campaign:create', { name: '已归档', year: 2024, issuingBody: '某某县司法局' })).id;
    t.backend.db.prepare("UPDATE campaigns SET status = 'archived' WHERE id = ?").run(archived);
    const one = await stage(t.backend, admin, 'x.pdf', pdf.bytes);
    const err = await admin.fail('dossier:importSingle', {
      campaignId: archived,
      sourceId: one,
      caseNumber: pdf.truth.caseNumber,
      unitName: pdf.truth.unitName,
      caseType: pdf.truth.caseType as never,
    });
    expect(err).toMatchObject({ code: 'locked' });
    expect(t.backend.db.prepare('SELECT count(*) AS n FROM cases WHERE campaign_id = ?').get(archived)).toEqual({ n: 0 });
    const many = await stage(t.backend, admin, 'x.pdf', pdf.bytes);
    expect(
      await admin.fail('import:start', {
        campaignId: archived,
        sourceIds: [many],
        defaults: { unitName: pdf.truth.unitName, caseType: pdf.truth.caseType as never },
      }),
    ).toMatchObject({ code: 'locked' });
  });
});
