/**
 * What a bureau signs must be right: a letter counts only the files actually reviewed, names the
 * drawn files still pending and cannot be finalised while any is; a deduction without a reason never
 * reaches a letter; evidence is cited by the case's registered 案号 and its 案卷 page, not by the PDF's
 * (mistyped) file name; the 通报's drawn and reviewed counts agree with the statistics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docText } from '../../shared/letters/document.js';
import {
  panelScorer,
  openTestBackend,
  scoreLicencesWithTable,
  setupAdmin,
  stage,
  submitPassingRest,
  ADMIN,
  type client,
  type TestBackend,
} from '../support/backend.js';
import { dossierFixture } from '../support/dossiers/index.js';

let t: TestBackend;
let admin: ReturnType<typeof client>;
let campaignId: string;
let unitId: string;
const UNIT = '清溪县市场监督管理局';
const TYPED = ['（2025）清市监许字第12号', '（2025）清市监许字第15号', '（2025）清市监许字第18号', '（2025）清市监许字第21号'];
/** The 案号 as registered (the registry writes the year in 〔〕). */
const NUMBERS: string[] = [];
const cases = new Map<string, { caseId: string; documentId: string }>();

async function score(caseNumber: string, problems: Array<{ itemId: string; comment: string; page?: number }>) {
  const { caseId, documentId } = cases.get(caseNumber)!;
  const scorer = await panelScorer(t.backend, admin, caseId);
  const view = await scorer.call('sheet:start', { caseId });
  let revision = view.sheet.revision;
  for (const p of problems) {
    const evidence: string[] = [];
    if (p.page) {
      const id = crypto.randomUUID();
      await scorer.call('annotation:save', {
        documentId,
        upserts: [
          { id, type: 'area', color: '#ff6666', pageIndex: p.page - 1, position: { rects: [[72, 700, 300, 730]] }, comment: p.comment },
        ],
        deletes: [],
      });
      evidence.push(id);
    }
    revision = (
      await scorer.call('sheet:answer', {
        sheetId: view.sheet.id,
        itemId: p.itemId,
        answer: { status: 'deduct', comment: p.comment, evidence },
        revision,
      })
    ).revision;
  }
  await submitPassingRest(scorer, view.sheet.id, revision);
  return view.sheet.id;
}

/** The reason on the sheet and in the file's settled answers alike. */
function setReason(sheetId: string, comment: string): void {
  const db = t.backend.db;
  db.prepare(`UPDATE sheet_answers SET answer_json = json_set(answer_json, '$.comment', ?) WHERE sheet_id = ? AND item_id = 'xk-12.3'`).run(
    comment,
    sheetId,
  );
  db.prepare(
    `UPDATE case_review_answers SET answer_json = json_set(answer_json, '$.comment', ?) WHERE case_id = (SELECT case_id FROM sheets WHERE id = ?) AND item_id = 'xk-12.3'`,
  ).run(comment, sheetId);
}

const text = (doc: Parameters<typeof docText>[0]): string => docText(doc).join('\n');

beforeAll(async () => {
  t = openTestBackend();
  admin = await setupAdmin(t.backend, 'w1');
  ({ id: campaignId } = await admin.call('campaign:create', {
    name: '清溪县2025年度行政执法案卷评查',
    year: 2025,
    issuingBody: '清溪县司法局',
  }));
  await scoreLicencesWithTable(admin, campaignId);
  for (const [i, caseNumber] of TYPED.entries()) {
    const { bytes } = await dossierFixture({ seed: 40 + i, caseType: 'license' });
    // The unit mistyped the first file's 案号 in its file name (第21号 for 第12号).
    const name = i === 0 ? '（2025）清市监许字第21号某某餐饮店食品经营许可.pdf' : `${caseNumber}.pdf`;
    const sourceId = await stage(t.backend, admin, name, bytes);
    const kase = await admin.call('dossier:importSingle', {
      campaignId,
      sourceId,
      caseNumber,
      caseTitle: `某某餐饮店食品经营许可${i + 1}`,
      unitName: UNIT,
      caseType: 'license',
    });
    NUMBERS.push(kase.caseNumber);
    cases.set(kase.caseNumber, { caseId: kase.id, documentId: kase.documents[0]!.id });
  }
  unitId = (await admin.call('letter:list', { campaignId })).units.find((u) => u.unitName === UNIT)!.unitId;
  // One of the unit's four files is settled; three are not scored yet.
  await score(NUMBERS[0]!, [{ itemId: 'xk-12.5', comment: '卷内材料未编页号', page: 7 }]);
}, 120_000);
afterAll(() => t.close());

describe('a letter on a partly reviewed unit', () => {
  it('counts the files reviewed, lists the pending ones, and refuses 核对定稿 naming them', async () => {
    const { doc, readiness } = await admin.call('letter:preview', { campaignId, kind: 'opinion', unitId, date: '2025-03-05' });
    expect(text(doc)).toContain('本次共评查你单位案卷1件');
    expect(text(doc)).not.toContain('案卷4件');
    expect(readiness.pending.map((p) => [p.caseNumber, p.state])).toEqual(NUMBERS.slice(1).map((n) => [n, 'unscored']));
    expect((await admin.call('letter:list', { campaignId })).units.find((u) => u.unitId === unitId)!.pendingFiles).toEqual(
      NUMBERS.slice(1),
    );

    const refused = await admin.fail('letter:check', {
      campaignId,
      kind: 'opinion',
      unitId,
      date: '2025-03-05',
      documentNumber: '清司监〔2025〕1号',
    });
    expect(refused.code).toBe('conflict');
    expect(refused.details).toMatchObject({ reason: 'results_pending', pending: NUMBERS.slice(1) });
    for (const n of NUMBERS.slice(1)) expect(refused.message).toContain(`${n}（未评分）`);
    expect(t.backend.db.prepare(`SELECT COUNT(*) FROM letters WHERE status = 'checked'`).pluck().get()).toBe(0);
  });

  it('cites evidence by the registered 案号 and the 案卷 page, never the PDF’s file name', async () => {
    const { doc } = await admin.call('letter:preview', { campaignId, kind: 'opinion', unitId, date: '2025-03-05' });
    expect(text(doc)).toContain(`卷内材料未编页号（见${NUMBERS[0]}案卷第7页）`);
    expect(text(doc)).not.toContain('第21号');
  });

  it('gives the 通报 the statistics’ counts: drawn files and the files with a settled result', async () => {
    const stats = await admin.call('stats:campaign', { campaignId });
    expect([stats.fileCount, stats.finalCount]).toEqual([4, 1]);
    const { doc, readiness } = await admin.call('letter:preview', { campaignId, kind: 'bulletin', date: '2025-03-05' });
    expect(text(doc)).toContain(`随机抽取${stats.fileCount}件`);
    expect(text(doc)).toContain(`经评查，${stats.finalCount}件案卷中`);
    expect(readiness.pending).toHaveLength(3);
    expect(
      (await admin.fail('letter:check', { campaignId, kind: 'bulletin', date: '2025-03-05', documentNumber: '清司监〔2025〕2号' })).details,
    ).toMatchObject({ reason: 'results_pending' });
  });
});

describe('a deduction without a reason', () => {
  it('is listed with file, item and reviewer, and keeps the letter from being exported or finalised', async () => {
    await score(NUMBERS[1]!, [{ itemId: 'xk-12.5', comment: '卷内材料未编页号', page: 3 }]);
    await score(NUMBERS[2]!, []);
    const sheetId = await score(NUMBERS[3]!, [{ itemId: 'xk-12.3', comment: '卷内目录未填写文件页码' }]);
    // A sheet written before reasons were required (or carried in by a package) has none.
    setReason(sheetId, '');

    const { doc, readiness } = await admin.call('letter:preview', { campaignId, kind: 'opinion', unitId, date: '2025-03-05' });
    expect(readiness.pending).toEqual([]);
    expect(readiness.unreasoned).toEqual([
      expect.objectContaining({ caseNumber: NUMBERS[3], itemCode: '12.3', reviewers: [ADMIN.displayName] }),
    ]);
    // The same problem of two files is stated once, with both 案号 and pages.
    expect(text(doc)).toContain(`卷内材料未编页号（见${NUMBERS[0]}案卷第7页；${NUMBERS[1]}案卷第3页）`);
    expect(text(doc)).toContain('本次共评查你单位案卷4件');

    const check = await admin.fail('letter:check', {
      campaignId,
      kind: 'opinion',
      unitId,
      date: '2025-03-05',
      documentNumber: '清司监〔2025〕1号',
    });
    expect(check.code).toBe('conflict');
    expect(check.details).toMatchObject({
      reason: 'deduction_without_reason',
      items: [{ caseNumber: NUMBERS[3], itemCode: '12.3', reviewers: [ADMIN.displayName] }],
    });
    expect(check.message).toContain(`${NUMBERS[3]} 第12.3项`);
    expect(check.message).toContain(`评查人：${ADMIN.displayName}`);
    expect((await admin.fail('letter:export', { campaignId, kind: 'opinion', unitId, date: '2025-03-05' })).details).toMatchObject({
      reason: 'deduction_without_reason',
    });
    expect((await admin.fail('letter:exportAll', { campaignId, kind: 'opinion', date: '2025-03-05' })).details).toMatchObject({
      reason: 'deduction_without_reason',
    });

    // With the reason given, the letter is finalised.
    setReason(sheetId, '卷内目录未填写文件页码');
    const state = await admin.call('letter:check', {
      campaignId,
      kind: 'opinion',
      unitId,
      date: '2025-03-05',
      documentNumber: '清司监〔2025〕1号',
    });
    expect(state.open).toMatchObject({ status: 'checked', documentNumber: '清司监〔2025〕1号' });
  });
});
