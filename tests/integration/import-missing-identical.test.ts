/**
 * A listed case whose PDF did not arrive is registered as 缺卷 (so the organiser can chase the unit, and
 * the draw leaves it out) unless the person says not to; the PDF handed in later joins that case. The
 * same folder imported again adds nothing and says each file is already there.
 */
import fs from 'node:fs';
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { IDENTICAL_FILE_MESSAGE, MISSING_DOSSIER_MESSAGE } from '../../shared/import/outcomes.js';
import { reviewSummary } from '../../shared/import/review-summary.js';
import { openWithCampaign, stage } from '../support/backend.js';
import { lateDossier, realisticCampaign, type RealisticCampaign } from '../support/dossiers/index.js';

let campaign: RealisticCampaign;
let t: Awaited<ReturnType<typeof openWithCampaign>>;

beforeAll(async () => {
  campaign = await realisticCampaign();
  t = await openWithCampaign('清溪县2025年度行政执法案卷评查');
}, 300_000);
afterAll(() => t.t.close());

async function folder(): Promise<{
  sourceIds: string[];
  list: { sourceId: string; sheetName: string; headerRow: number; mapping: Record<string, number | null> };
}> {
  const { t: tb, admin } = t;
  const listId = await stage(tb.backend, admin, '清溪县案件清单.xlsx', fs.readFileSync(campaign.listXlsx));
  const layout = await admin.call('import:readList', { sourceId: listId });
  const sourceIds: string[] = [];
  for (const d of campaign.dossiers)
    sourceIds.push(await stage(tb.backend, admin, `${d.truth.unitName}/${d.truth.fileName}`, fs.readFileSync(d.path)));
  return { sourceIds, list: { sourceId: listId, sheetName: layout.sheetName, headerRow: layout.headerRow, mapping: layout.mapping } };
}

describe('a listed case without its PDF, and the same folder again', () => {
  it('registers the case as 缺卷, skips identical files on re-import, and attaches the late PDF to the case', async () => {
    const { t: tb, admin, campaignId } = t;
    const missing = campaign.listedWithoutFile.caseNumber;

    const first = await folder();
    const { jobId, batchId } = await admin.call('import:start', { campaignId, ...first });
    await tb.backend.services.jobs.wait(jobId);
    const result = await admin.call('import:result', { batchId });
    expect(result.counts).toMatchObject({ casesCreated: campaign.dossiers.length + 1, documents: campaign.dossiers.length, rejected: 0 });
    expect(result.items.find((i) => i.caseNumber === missing && i.kind === 'row')).toMatchObject({
      outcome: 'created',
      message: MISSING_DOSSIER_MESSAGE,
    });
    const registered = (await admin.call('case:list', { campaignId })).find((c) => c.caseNumber === missing)!;
    expect(registered.documentCount).toBe(0);
    // 共报送 counts what arrived; the listed case without its PDF is said apart (缺卷).
    expect(await admin.call('stats:campaign', { campaignId })).toMatchObject({
      submittedCount: campaign.dossiers.length,
      missingCount: 1,
    });

    // The same folder again: every file is already in its case, byte for byte.
    const again = await folder();
    const preview = await admin.call('import:preview', { campaignId, ...again });
    expect(preview.files).toHaveLength(campaign.dossiers.length);
    for (const f of preview.files) expect(f.refusal, f.path).toEqual({ code: 'duplicate_file', message: IDENTICAL_FILE_MESSAGE });
    // The review step counts each file once, as already imported, and only the case still without its PDF as 缺卷.
    const summary = reviewSummary(preview, {});
    expect(summary.identical).toHaveLength(campaign.dossiers.length);
    expect(summary.matched).toEqual([]);
    expect(summary.empty.map((r) => r.caseNumber)).toEqual([missing]);
    const second = await admin.call('import:start', { campaignId, ...again });
    await tb.backend.services.jobs.wait(second.jobId);
    const secondResult = await admin.call('import:result', { batchId: second.batchId });
    expect(secondResult.counts).toMatchObject({ casesCreated: 0, documents: 0, duplicates: campaign.dossiers.length, rejected: 0 });
    const cases = await admin.call('case:list', { campaignId });
    expect(cases).toHaveLength(campaign.dossiers.length + 1);
    expect(cases.reduce((n, c) => n + c.documentCount, 0)).toBe(campaign.dossiers.length);

    // The unit hands the PDF in: it joins the registered case.
    const late = await lateDossier(campaign);
    const sourceId = await stage(tb.backend, admin, `${campaign.listedWithoutFile.unit.name}/${late.truth.fileName}`, late.bytes);
    const third = await admin.call('import:start', { campaignId, sourceIds: [sourceId] });
    await tb.backend.services.jobs.wait(third.jobId);
    const thirdResult = await admin.call('import:result', { batchId: third.batchId });
    expect(thirdResult.counts).toMatchObject({ casesCreated: 0, documents: 1, rejected: 0 });
    expect(thirdResult.items.find((i) => i.kind === 'file')).toMatchObject({ outcome: 'imported', caseId: registered.id });
    const after = (await admin.call('case:list', { campaignId })).filter((c) => c.caseNumber === missing);
    expect(after).toEqual([expect.objectContaining({ id: registered.id, documentCount: 1 })]);
    expect(await admin.call('stats:campaign', { campaignId })).toMatchObject({
      submittedCount: campaign.dossiers.length + 1,
      missingCount: 0,
    });
  }, 600_000);

  it('leaves the case unregistered when the person chooses not to register it', async () => {
    const fresh = await openWithCampaign('清溪县2025年度行政执法案卷评查（不登记缺卷）');
    try {
      const { t: tb, admin, campaignId } = fresh;
      const listId = await stage(tb.backend, admin, '清溪县案件清单.xlsx', fs.readFileSync(campaign.listXlsx));
      const layout = await admin.call('import:readList', { sourceId: listId });
      const list = { sourceId: listId, sheetName: layout.sheetName, headerRow: layout.headerRow, mapping: layout.mapping };
      const d = campaign.dossiers[0]!;
      const sourceIds = [await stage(tb.backend, admin, `${d.truth.unitName}/${d.truth.fileName}`, fs.readFileSync(d.path))];
      const { jobId, batchId } = await admin.call('import:start', { campaignId, sourceIds, list, registerRowsWithoutFiles: false });
      await tb.backend.services.jobs.wait(jobId);
      const result = await admin.call('import:result', { batchId });
      expect(result.counts.casesCreated).toBe(1);
      expect(result.items.find((i) => i.caseNumber === campaign.listedWithoutFile.caseNumber && i.kind === 'row')).toMatchObject({
        outcome: 'rejected',
        code: 'no_files',
      });
    } finally {
      fresh.t.close();
    }
  }, 300_000);
});
