/**
 * The case screen's facts come from the 案件清单: the import keeps the row it read for each case (file,
 * row number, every cell as written), and the combined 处罚金额/决定内容 column gives the 罚款.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWithCampaign, stage } from '../support/backend.js';
import { realisticCampaign, type RealisticCampaign } from '../support/dossiers/index.js';

let campaign: RealisticCampaign;
let t: Awaited<ReturnType<typeof openWithCampaign>>;

beforeAll(async () => {
  campaign = await realisticCampaign();
  t = await openWithCampaign('清溪县2025年度行政执法案卷评查');
}, 300_000);
afterAll(() => t.t.close());

describe('the list row behind a case', () => {
  it('is kept by the import and shown with the case; a case without a list has none', async () => {
    const { t: tb, admin, campaignId } = t;
    const fined = campaign.dossiers.find((d) => !d.truth.scanned && campaign.listRows.find((r) => r.caseId === d.truth.id)!.fine > 0)!;
    const truth = campaign.listRows.find((r) => r.caseId === fined.truth.id)!;
    const listId = await stage(tb.backend, admin, '清溪县案件清单.xlsx', fs.readFileSync(campaign.listXlsx));
    const layout = await admin.call('import:readList', { sourceId: listId });
    const list = { sourceId: listId, sheetName: layout.sheetName, headerRow: layout.headerRow, mapping: layout.mapping };
    const sourceIds = [await stage(tb.backend, admin, `${fined.truth.unitName}/${fined.truth.fileName}`, fs.readFileSync(fined.path))];
    const { jobId, batchId } = await admin.call('import:start', { campaignId, sourceIds, list, registerRowsWithoutFiles: false });
    await tb.backend.services.jobs.wait(jobId);
    expect((await admin.call('import:result', { batchId })).counts.casesCreated).toBe(1);

    const kase = (await admin.call('case:list', { campaignId })).find((c) => c.caseNumber === truth.caseNumber)!;
    expect(await admin.call('case:get', { caseId: kase.id })).toMatchObject({
      penaltyAmount: truth.fine,
      filedOn: truth.filedOn,
      closedOn: truth.closedOn,
    });
    const source = await admin.call('import:caseSource', { caseId: kase.id });
    expect(source).toMatchObject({ listName: '清溪县案件清单.xlsx', rowNumber: truth.rowNumber, importedBy: expect.any(String) });
    expect(source!.cells.map((c) => c.header)).toEqual(layout.headers);
    expect(source!.cells.find((c) => c.header === '处罚金额/决定内容')!.value).toBe(truth.cells.amount);
    expect(source!.cells.find((c) => c.header === '案号')!.value.trim()).toBe(truth.caseNumber);

    const single = await admin.call('dossier:importSingle', {
      campaignId,
      sourceId: await stage(tb.backend, admin, '单独一卷.pdf', fs.readFileSync(campaign.dossiers[2]!.path)),
      caseNumber: '清单外〔2025〕1号',
      unitName: '清溪县市场监督管理局',
      caseType: 'penalty_general',
    });
    expect(await admin.call('import:caseSource', { caseId: single.id })).toBeNull();
  }, 300_000);
});
