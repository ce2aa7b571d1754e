/**
 * A 抽取记录 damaged in the database file (a faulty copy, a hand edit) is named, not crashed on: the
 * draw screen answers corrupt_data in Chinese naming the draw and the part that no longer reads,
 * and the rest of the panel works on.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, client, openTestBackend, scoreLicencesWithTable, setupAdmin, type TestBackend } from '../support/backend.js';
import { importPool } from '../support/panel-fixtures.js';
import { tempDir } from '../support/temp.js';

const data = tempDir('pingcha-damaged-draw-');
let t: TestBackend;
let campaignId: string;

/** Closes the workstation, changes cells of its draw as damage would, and opens it again. */
async function damage(cells: { pool_json: string; groups_json?: string }) {
  t.backend.close();
  const raw = new Database(path.join(data.dir, 'pingcha.db'));
  raw.prepare('UPDATE draws SET pool_json = ? WHERE campaign_id = ?').run(cells.pool_json, campaignId);
  if (cells.groups_json) raw.prepare('UPDATE draws SET groups_json = ? WHERE campaign_id = ?').run(cells.groups_json, campaignId);
  raw.close();
  t = openTestBackend(data.dir);
  const admin = client(t.backend, 'admin');
  await admin.call('auth:login', { username: ADMIN.username, password: ADMIN.password });
  return admin;
}

beforeAll(async () => {
  t = openTestBackend(data.dir);
  const admin = await setupAdmin(t.backend);
  campaignId = (await admin.call('campaign:create', { name: '2025年度行政执法案卷集中评查', year: 2025, issuingBody: '某某县司法局' })).id;
  await scoreLicencesWithTable(admin, campaignId);
  await importPool(t.backend, admin, campaignId);
  await admin.call('draw:run', { campaignId, perGroup: 2, seed: '2025-0305-0001', witness: '县检察院 陈某' });
}, 180_000);
afterAll(() => {
  t.backend.close();
  data.cleanup();
});

describe('a damaged draw record', () => {
  it('answers corrupt_data naming the draw and its pool or result, and the panel still opens', async () => {
    const admin = await damage({ pool_json: '[{"caseId":"a","unitName":' });
    const cut = await admin.fail('draw:get', { campaignId });
    expect(cut.code).toBe('corrupt_data');
    expect(cut.message).toContain('第 1 次抽取记录的案卷池');
    expect(cut.message).toContain('不是有效的 JSON');
    expect((await admin.fail('draw:verify', { campaignId, drawId: 'x' })).code).toBe('not_found');
    expect((await admin.call('panel:get', { campaignId })).campaignId).toBe(campaignId);

    // A readable pool, a result of the wrong shape.
    const again = await damage({ pool_json: '[]', groups_json: '[{"unitName":7,"caseType":null,"poolSize":1,"drawn":[]}]' });
    const shape = await again.fail('draw:get', { campaignId });
    expect(shape.code).toBe('corrupt_data');
    expect(shape.message).toContain('第 1 次抽取记录的抽取结果');
    expect(shape.message).toContain('字段 0.unitName 不符合要求');
  }, 180_000);
});
