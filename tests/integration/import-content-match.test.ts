/**
 * Files matched to the case list by what their pages say: the 清溪县 campaign's scan QX-08 carries
 * last year's 〔2024〕 in its file name; its cover, read by OCR, states the listed 案号, so it is
 * matched to the right row and its name is flagged. A born-digital dossier saved under a meaningless
 * name is matched by its text layer.
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

describe('matching files by their content', () => {
  it('matches the misnamed scan by the 案号 OCR reads on its cover and flags its name; a born-digital file by its text', async () => {
    const { t: tb, admin, campaignId } = t;
    const misnamed = campaign.dossiers.find((d) => d.truth.id === 'QX-08')!;
    expect(misnamed.truth.scanned).toBe(true);
    expect(misnamed.truth.fileName).not.toContain(misnamed.truth.caseNumber);
    const born = campaign.dossiers.find((d) => !d.truth.scanned)!;

    const listId = await stage(tb.backend, admin, '清单.xlsx', fs.readFileSync(campaign.listXlsx));
    const layout = await admin.call('import:readList', { sourceId: listId });
    const list = { sourceId: listId, sheetName: layout.sheetName, headerRow: layout.headerRow, mapping: layout.mapping };
    const sourceIds = [
      await stage(tb.backend, admin, `${misnamed.truth.unitName}/${misnamed.truth.fileName}`, fs.readFileSync(misnamed.path)),
      await stage(tb.backend, admin, '扫描件/新建文件001.pdf', fs.readFileSync(born.path)),
    ];
    const preview = await admin.call('import:preview', { campaignId, sourceIds, list });
    const rowOf = new Map(preview.targets.map((r) => [r.key, r.caseNumber]));

    const scan = preview.files.find((f) => f.path.endsWith(misnamed.truth.fileName))!;
    expect(rowOf.get(scan.target ?? '')).toBe(misnamed.truth.caseNumber);
    expect(scan).toMatchObject({ how: 'content', content: { source: 'ocr', caseNumber: expect.stringContaining('〔2025〕') } });
    expect(scan.content!.pageIndex).toBeLessThan(2);
    expect(scan.nameConflict).toContain('〔2024〕');

    const renamed = preview.files.find((f) => f.path.endsWith('新建文件001.pdf'))!;
    expect(rowOf.get(renamed.target ?? '')).toBe(born.truth.caseNumber);
    expect(renamed).toMatchObject({ how: 'content', content: { source: 'text' }, nameConflict: null });
    // The number read, not the cover's heading and field label run into it (…行政处罚案卷案号清市监处罚…).
    expect(renamed.content!.caseNumber).toBe(born.truth.caseNumber);
    expect(scan.content!.caseNumber).not.toMatch(/案卷|案号|局/);

    // The scan's first pages were kept: importing it later does not read them again.
    const kept = tb.backend.db.prepare('SELECT count(*) AS n FROM ocr_pages').get() as { n: number };
    expect(kept.n).toBeGreaterThanOrEqual(1);
    const again = await admin.call('import:preview', { campaignId, sourceIds, list });
    expect(again.files.find((f) => f.key === scan.key)).toMatchObject({ how: 'content', content: scan.content });
    expect(tb.backend.db.prepare('SELECT count(*) AS n FROM ocr_pages').get()).toEqual(kept);
  }, 400_000);
});
