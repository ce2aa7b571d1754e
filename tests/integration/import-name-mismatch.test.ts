/**
 * A file whose name says one case and whose pages another is a problem of the import review, not a
 * chip: counted, explained (文件名写 X，案卷内容为 Y), and settled by the person — 按内容登记 (the
 * default), 按文件名登记, or 暂不登记. Born-digital dossiers of 清溪县 under misleading names.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mismatchText } from '../../shared/import/match.js';
import { openWithCampaign, stage } from '../support/backend.js';
import { realisticCampaign, type RealisticCampaign } from '../support/dossiers/index.js';

let campaign: RealisticCampaign;
let t: Awaited<ReturnType<typeof openWithCampaign>>;

beforeAll(async () => {
  campaign = await realisticCampaign();
  t = await openWithCampaign('清溪县2025年度行政执法案卷评查');
}, 300_000);
afterAll(() => t.t.close());

describe('a file name that contradicts the file', () => {
  it('is a problem with both readings and three choices, and the choice is carried out', async () => {
    const { t: tb, admin, campaignId } = t;
    const born = campaign.dossiers.filter((d) => !d.truth.scanned);
    const [typo, byParty, other] = [born[0]!, born[1]!, born[2]!];
    const wrongNumber = typo.truth.caseNumber.replace('〔2025〕', '〔2023〕');
    const otherParty = other.truth.facts.party.name;

    const listId = await stage(tb.backend, admin, '清单.xlsx', fs.readFileSync(campaign.listXlsx));
    const layout = await admin.call('import:readList', { sourceId: listId });
    const list = { sourceId: listId, sheetName: layout.sheetName, headerRow: layout.headerRow, mapping: layout.mapping };
    const sourceIds = [
      await stage(tb.backend, admin, `${typo.truth.unitName}/${wrongNumber}${typo.truth.title}.pdf`, fs.readFileSync(typo.path)),
      await stage(tb.backend, admin, `${byParty.truth.unitName}/${otherParty}.pdf`, fs.readFileSync(byParty.path)),
    ];
    const preview = await admin.call('import:preview', { campaignId, sourceIds, list });
    const row = (caseNumber: string) => preview.targets.find((r) => r.caseNumber === caseNumber)!;

    const [a, b] = sourceIds.map((key) => preview.files.find((f) => f.key === key)!);
    expect(a!.mismatch).toMatchObject({
      by: 'caseNumber',
      fileSays: wrongNumber,
      contentSays: expect.stringContaining('〔2025〕'),
      contentTarget: row(typo.truth.caseNumber).key,
    });
    // 按文件名登记 offers a new case under the name's 案号, in the unit and type the pages name.
    const offered = preview.targets.find((r) => r.key === a!.mismatch!.nameTarget)!;
    expect(offered).toMatchObject({
      caseNumber: wrongNumber,
      origin: 'fileName',
      status: 'new',
      unitName: row(typo.truth.caseNumber).unitName,
      fileKeys: [],
    });
    expect(a!.target).toBe(a!.mismatch!.contentTarget);
    expect(mismatchText(a!.mismatch!, a!.content)).toBe(
      `文件名写案号 ${wrongNumber}，案卷内容为案号 ${a!.mismatch!.contentSays}（第 ${a!.content!.pageIndex + 1} 页）`,
    );

    expect(b!.mismatch).toMatchObject({
      by: 'party',
      fileSays: otherParty,
      contentTarget: row(byParty.truth.caseNumber).key,
      nameTarget: row(other.truth.caseNumber).key,
    });
    expect(b!.target).toBe(row(byParty.truth.caseNumber).key);
    expect(mismatchText(b!.mismatch!)).toBe(`文件名写当事人“${otherParty}”，案卷内容为案号 ${b!.mismatch!.contentSays}`);

    // The person registers the first by its name and leaves the second for later.
    const { jobId, batchId } = await admin.call('import:start', {
      campaignId,
      sourceIds,
      list,
      assignments: { [a!.key]: a!.mismatch!.nameTarget, [b!.key]: null },
      registerRowsWithoutFiles: false,
    });
    await tb.backend.services.jobs.wait(jobId);
    const result = await admin.call('import:result', { batchId });
    const cases = await admin.call('case:list', { campaignId });
    expect(cases.map((c) => c.caseNumber)).toEqual([wrongNumber]);
    expect(result.items.find((i) => i.kind === 'file' && i.path.endsWith(`${otherParty}.pdf`))).toMatchObject({
      outcome: 'rejected',
      message: '核对时选择不导入',
    });
    expect(result.items.find((i) => i.kind === 'row' && i.caseNumber === wrongNumber)).toMatchObject({
      outcome: 'created',
      path: '由文件名识别',
    });
  }, 300_000);
});
