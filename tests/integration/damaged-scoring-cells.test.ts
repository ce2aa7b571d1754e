/**
 * JSON kept by scoring and the panel is read back through its schema: a reviewer's answer, a file's
 * stored problem list and a campaign's agreement sums damaged on disk (a faulty copy, a hand edit)
 * give corrupt_data in Chinese naming the record, instead of a crash deep in the sheet screen or a
 * 通报 list and an agreement report built from half a value.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, client, openTestBackend, type TestBackend } from '../support/backend.js';
import { tempDir } from '../support/temp.js';
import { seedWorkspace } from '../tools/seed.js';

const dir = tempDir('pingcha-damaged-scoring-');
let t: TestBackend;
let admin: ReturnType<typeof client>;
let campaignId: string;

/** Changes one cell as damage would, runs `check`, then puts the cell back. */
async function withDamaged(table: string, column: string, where: string, value: string, check: () => Promise<void>) {
  const db = t.backend.db;
  const before = db.prepare(`SELECT ${column} FROM ${table} WHERE ${where}`).pluck().get() as string;
  expect(before).toBeTypeOf('string');
  db.prepare(`UPDATE ${table} SET ${column} = ? WHERE ${where}`).run(value);
  try {
    await check();
  } finally {
    db.prepare(`UPDATE ${table} SET ${column} = ? WHERE ${where}`).run(before);
  }
}

beforeAll(async () => {
  await seedWorkspace({ dir: dir.dir, files: 6, units: 2, annotations: 0, reviewers: 3, letters: 0, say: () => undefined });
  t = openTestBackend(dir.dir);
  admin = client(t.backend, 'damaged-admin');
  await admin.call('auth:login', { username: ADMIN.username, password: ADMIN.password });
  campaignId = (await admin.call('campaign:list', {}))[0]!.id;
  // Every stored result and the agreement sums written before anything is damaged.
  await admin.call('review:agreement', { campaignId });
}, 600_000);

afterAll(() => {
  t?.close();
  dir.cleanup();
});

describe('a damaged JSON cell of scoring or the panel', () => {
  it('names the file whose stored problem list no longer reads, in the 通报 list', async () => {
    const db = t.backend.db;
    const kase = db
      .prepare(
        `SELECT c.id, c.case_number FROM case_summaries s JOIN cases c ON c.id = s.case_id
         WHERE s.campaign_id = ? AND s.outcome <> 'unscored' AND s.problems_json <> '[]' LIMIT 1`,
      )
      .get(campaignId) as { id: string; case_number: string };
    await withDamaged('case_summaries', 'problems_json', `case_id = '${kase.id}'`, '[{"itemId":7}]', async () => {
      const err = await admin.fail('letter:list', { campaignId });
      expect(err.code).toBe('corrupt_data');
      expect(err.message).toContain(`案卷“${kase.case_number}”保存的问题清单`);
      expect(err.message).toContain('字段 0.itemId 不符合要求');
    });
    expect((await admin.call('letter:list', { campaignId })).units.length).toBeGreaterThan(0);
  }, 120_000);

  it('names the campaign whose agreement sums no longer read, not a report of nothing', async () => {
    await withDamaged('agreement_sums', 'sums_json', `campaign_id = '${campaignId}'`, '{"files":3,"items":[],"raters":{}}', async () => {
      const err = await admin.fail('review:agreement', { campaignId });
      expect(err.code).toBe('corrupt_data');
      expect(err.message).toContain('的评查一致性汇总');
      expect(err.message).toContain('字段 items 不符合要求');
    });
    expect((await admin.call('review:agreement', { campaignId })).files).toBeGreaterThan(0);
  }, 120_000);

  it('names the sheet and the item whose answer is cut short, when its reviewer opens the file', async () => {
    const db = t.backend.db;
    const answer = db
      .prepare(
        `SELECT a.sheet_id, a.item_id, s.case_id, u.username FROM sheet_answers a JOIN sheets s ON s.id = a.sheet_id
         JOIN users u ON u.id = s.reviewer_id JOIN cases c ON c.id = s.case_id WHERE c.campaign_id = ? LIMIT 1`,
      )
      .get(campaignId) as { sheet_id: string; item_id: string; case_id: string; username: string };
    const reviewer = client(t.backend, `damaged-${answer.username}`);
    await reviewer.call('auth:login', { username: answer.username, password: ADMIN.password });
    const where = `sheet_id = '${answer.sheet_id}' AND item_id = '${answer.item_id}'`;
    await withDamaged('sheet_answers', 'answer_json', where, '{"status":', async () => {
      const err = await reviewer.fail('sheet:open', { caseId: answer.case_id });
      expect(err.code).toBe('corrupt_data');
      expect(err.message).toContain(`评查表 ${answer.sheet_id.slice(0, 8)}… 的第 ${answer.item_id} 项评定`);
      expect(err.message).toContain('不是有效的 JSON');
    });
    expect((await reviewer.call('sheet:open', { caseId: answer.case_id })).sheet?.id).toBe(answer.sheet_id);
  }, 120_000);
});
