/**
 * A unit's 意见书 on a drawn campaign says what was reviewed: "从你单位报送的4件案卷中随机抽取2件进行
 * 了评查", with the numbers from the draw; it cites the laws of the case types reviewed for that unit
 * (行政强制 → 《中华人民共和国行政强制法》), not always 处罚法 and 许可法; and while one of the unit's
 * drawn files is still unscored it is refused (results_pending) like a file awaiting its final score.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseType } from '../../shared/campaigns/case-types.js';
import type { StandardDefinition } from '../../shared/standards/model.js';
import { scoreWithStandard, stage, submitPassingRest, type TestBackend } from '../support/backend.js';
import { convertWithLibreOffice, pdfFacts } from '../support/office.js';
import { dossierPdf } from '../support/pdf-fixtures.js';
import { TEST_STANDARD } from '../support/review-fixtures.js';
import { openBackendWithStandards, setupPanel, type Panel } from '../support/review-setup.js';
import { downloadBytes } from '../support/signing.js';
import { outputDir } from '../support/temp.js';

let t: TestBackend;
let p: Panel;
const OUT = outputDir('letters-draw');
const MARKET = '某某县市场监督管理局';
const TRANSPORT = '某某县交通运输局';
let marketDrawn: Array<{ id: string; caseNumber: string }> = [];
let transportFile = '';
/** The same items, for 行政强制措施 files. */
const COERCIVE_STANDARD: StandardDefinition = {
  ...TEST_STANDARD,
  standardId: 'test-coercive',
  name: '测试评查标准（行政强制）',
  caseTypes: ['coercive_measure'],
};

async function importFile(caseNumber: string, unitName: string, caseType: CaseType): Promise<string> {
  const sourceId = await stage(t.backend, p.admin, `${caseNumber}.pdf`, await dossierPdf(3, '行政执法案卷'));
  const detail = await p.admin.call('dossier:importSingle', {
    campaignId: p.campaignId,
    sourceId,
    caseNumber,
    caseTitle: `${unitName.replace('某某县', '')}案卷`,
    unitName,
    caseType,
  });
  return detail.id;
}

/** Both reviewers score the file alike: one reasoned deduction, everything else 符合. */
async function scoreBoth(caseId: string): Promise<void> {
  for (const who of ['zhang', 'li']) {
    await p.admin.call('assignment:add', { caseId, reviewerId: p.users[who]!.id });
    const c = p.users[who]!.client;
    const view = await c.call('sheet:start', { caseId });
    const { revision } = await c.call('sheet:answer', {
      sheetId: view.sheet.id,
      itemId: 'a2',
      answer: { status: 'deduct', comment: '未告知陈述申辩权利' },
      revision: view.sheet.revision,
    });
    await submitPassingRest(c, view.sheet.id, revision);
  }
}

const unitId = async (name: string) =>
  (await p.admin.call('letter:list', { campaignId: p.campaignId })).units.find((u) => u.unitName === name)!.unitId;

async function opinionText(name: string, file: string): Promise<string> {
  const out = await p.admin.call('letter:export', {
    campaignId: p.campaignId,
    kind: 'opinion',
    unitId: await unitId(name),
    includeProvisional: false,
  });
  const docx = path.join(OUT, `${file}.docx`);
  fs.writeFileSync(docx, await downloadBytes(t.backend, out.url));
  return pdfFacts(convertWithLibreOffice(docx, OUT)).text.replace(/\s+/g, '');
}

beforeAll(async () => {
  t = openBackendWithStandards([TEST_STANDARD, COERCIVE_STANDARD]);
  p = await setupPanel(t.backend);
  await scoreWithStandard(p.admin, p.campaignId, 'penalty_general', TEST_STANDARD.standardId);
  await scoreWithStandard(p.admin, p.campaignId, 'coercive_measure', COERCIVE_STANDARD.standardId);
  for (let i = 1; i <= 4; i++) await importFile(`某市监罚〔2025〕${i}号`, MARKET, 'penalty_general');
  transportFile = await importFile('某交强〔2025〕1号', TRANSPORT, 'coercive_measure');
  // The case list names a fifth file of the market bureau whose PDF never came: registered without a file, never in the draw's pool.
  const listId = await stage(
    t.backend,
    p.admin,
    '案件清单.csv',
    new TextEncoder().encode(`案号,案件名称,案件类型,被评查单位\n某市监罚〔2025〕9号,未报送案卷,行政处罚,${MARKET}\n`),
  );
  const layout = await p.admin.call('import:readList', { sourceId: listId });
  const list = { sourceId: listId, sheetName: layout.sheetName, headerRow: layout.headerRow, mapping: layout.mapping };
  const { jobId } = await p.admin.call('import:start', { campaignId: p.campaignId, sourceIds: [], list, registerRowsWithoutFiles: true });
  await t.backend.services.jobs.wait(jobId);
  await p.admin.call('draw:run', { campaignId: p.campaignId, perGroup: 2, grouping: 'unit', seed: '2025-1207-31', witness: '赵见证' });
  marketDrawn = t.backend.db
    .prepare(
      `SELECT c.id, c.case_number AS caseNumber FROM drawn_cases dc JOIN draws dr ON dr.id = dc.draw_id JOIN cases c ON c.id = dc.case_id
       JOIN units u ON u.id = c.unit_id WHERE dr.campaign_id = ? AND u.name = ? ORDER BY c.case_number`,
    )
    .all(p.campaignId, MARKET) as Array<{ id: string; caseNumber: string }>;
  await scoreBoth(marketDrawn[0]!.id);
  await scoreBoth(transportFile);
}, 180_000);
afterAll(() => t.close());

describe('a unit’s 意见书 on a drawn campaign', () => {
  it('is refused while one of the unit’s drawn files is unscored, naming it', async () => {
    expect(marketDrawn).toHaveLength(2);
    const refused = await p.admin.fail('letter:export', {
      campaignId: p.campaignId,
      kind: 'opinion',
      unitId: await unitId(MARKET),
      includeProvisional: false,
    });
    expect(refused.code).toBe('conflict');
    expect(refused.details).toMatchObject({ reason: 'results_pending', pending: [marketDrawn[1]!.caseNumber] });
    expect(refused.message).toContain(`${marketDrawn[1]!.caseNumber}（未评分）`);
  });

  it('refuses the batch export the same way: every unit’s letter speaks for its whole draw', async () => {
    const single = await p.admin.fail('letter:export', {
      campaignId: p.campaignId,
      kind: 'opinion',
      unitId: await unitId(MARKET),
      includeProvisional: false,
    });
    for (const kind of ['opinion', 'notice'] as const) {
      const batch = await p.admin.fail('letter:exportAll', { campaignId: p.campaignId, kind, includeProvisional: false });
      expect(batch.code).toBe('conflict');
      expect(batch.details).toMatchObject({ reason: 'results_pending', pending: [marketDrawn[1]!.caseNumber] });
      expect(batch.message).toBe(single.message);
    }
    // 包含暂定结果 lets both through, the unscored file counted among the unit's drawn files.
    const zip = await p.admin.call('letter:exportAll', { campaignId: p.campaignId, kind: 'opinion', includeProvisional: true });
    expect(zip.count).toBe(2);
    expect(t.backend.db.prepare(`SELECT COUNT(*) FROM letters WHERE kind = 'opinion'`).pluck().get()).toBe(2);
  });

  it('says how many files the unit submitted and how many were drawn, and cites the 行政处罚法 (real DOCX through LibreOffice)', async () => {
    await scoreBoth(marketDrawn[1]!.id);
    const text = await opinionText(MARKET, 'opinion-market');
    // The pool the 抽取记录 shows (4 files with a PDF), not the 5 registered; the file without a PDF is named apart.
    expect(text).toContain('从你单位报送的4件案卷中随机抽取2件（另有1件案卷登记后未提交案卷文件，未纳入抽取范围）进行了评查');
    expect(text).toContain('根据《中华人民共和国行政处罚法》和行政执法监督有关规定');
    expect(text).not.toContain('行政许可法');
  }, 60_000);

  it('cites the 行政强制法 for a unit whose reviewed files are 行政强制 files', async () => {
    const text = await opinionText(TRANSPORT, 'opinion-transport');
    expect(text).toContain('根据《中华人民共和国行政强制法》和行政执法监督有关规定');
    expect(text).toContain('对你单位报送的1件行政执法案卷进行了评查');
    expect(text).not.toContain('行政处罚法》');
    expect(text).not.toContain('行政许可法');
  }, 60_000);
});
