/**
 * A finding is stored beside the item of the standard the file is scored on: a 行政许可 file of a
 * campaign that scores 许可 files on the 行政许可案卷评分表 gets that table's items, and the reference
 * standard's once the campaign changes to it; either way it cites 行政许可法, not 行政处罚法.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestBackend, stage, type TestBackend } from '../support/backend.js';
import { dossierFixture, type DossierTruth } from '../support/dossiers/index.js';
import { setupPanel, type Panel } from '../support/review-setup.js';
import { tempDir } from '../support/temp.js';

const data = tempDir('pingcha-precheck-items-');
let t: TestBackend;
let p: Panel;
let license: { bytes: Uint8Array; truth: DossierTruth };
let caseId: string;

beforeAll(async () => {
  t = openTestBackend(data.dir);
  p = await setupPanel(t.backend);
  license = await dossierFixture({ caseType: 'license', defects: ['service_receipt_unsigned'] });
  const sourceId = await stage(t.backend, p.admin, license.truth.fileName, license.bytes);
  const detail = await p.admin.call('dossier:importSingle', {
    campaignId: p.campaignId,
    sourceId,
    caseNumber: license.truth.caseNumber,
    caseTitle: license.truth.title,
    unitName: license.truth.unitName,
    caseType: 'license',
  });
  caseId = detail.id;
}, 300_000);

afterAll(() => {
  t.backend.close();
  data.cleanup();
});

async function scoredOn(standardId: string): Promise<{ itemId: string; items: string[]; statute: string }> {
  const versions = await p.admin.call('standard:list', {});
  const version = versions.find((v) => v.standardId === standardId)!;
  await p.admin.call('campaign:setStandard', { campaignId: p.campaignId, caseType: 'license', versionId: version.versionId });
  const { jobId } = await p.admin.call('precheck:run', { campaignId: p.campaignId, caseId, force: true });
  expect((await t.backend.services.jobs.wait(jobId)).status).toBe('done');
  const view = await p.admin.call('precheck:case', { caseId });
  const unsigned = view.findings.filter((f) => f.rule === 'service_receipt_unsigned');
  expect(unsigned).toHaveLength(1);
  return unsigned[0]!;
}

describe('pre-check items follow the campaign’s standard for the case type', () => {
  it('suggests the 评分表’s item 11, then the reference standard’s 4.4, citing 行政许可法 art. 44', async () => {
    const table = await scoredOn('xingzheng-xuke-anjuan-pingfenbiao');
    expect(table.itemId).toBe('xk-11');
    expect(table.items).toEqual(['xk-11']);
    expect(table.statute).toBe('《中华人民共和国行政许可法》第四十四条');
    const reference = await scoredOn('cankao-xingzheng-xuke');
    expect(reference.itemId).toBe('ckxk-4.4');
    expect(reference.statute).toBe('《中华人民共和国行政许可法》第四十四条');
  });
});
