/**
 * The agreement screen reads a campaign's kept sums, changed by the part of each file a change marks
 * stale. On a seeded workspace, the report must equal the one computed afresh from every delivered
 * sheet and agreed answer in the tables, after the start-up back-fill and after every kind of change:
 * an answer and a delivery, a reopened sheet, a 合议 decision and settlement. The start-up back-fill
 * is a job: the workspace opens before it is done, and the board is right before and after it.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, client, openTestBackend, submitPassingRest, type TestBackend } from '../support/backend.js';
import { tempDir } from '../support/temp.js';
import { comparable, fromTables, plainItem } from '../support/agreement-oracle.js';
import type { Actor } from '../../electron/services/core/context.js';
import { seedWorkspace } from '../tools/seed.js';

describe('agreement sums kept per campaign, on a seeded workspace', () => {
  let dir: ReturnType<typeof tempDir>;
  let t: TestBackend;
  let campaignId: string;
  let admin: ReturnType<typeof client>;
  const reviewer = async (id: string) => {
    const { username } = t.backend.db.prepare('SELECT username FROM users WHERE id = ?').get(id) as { username: string };
    const c = client(t.backend, `agreement-${username}`);
    await c.call('auth:login', { username, password: ADMIN.password });
    return c;
  };
  const stored = async () => {
    const { standardName: _s, ...view } = { standardName: null, ...(await admin.call('review:agreement', { campaignId })) };
    return comparable({
      ...view,
      items: view.items.map(({ standardName: _n, ...i }) => i),
      raters: view.raters.map(({ raterName: _n, ...r }) => r),
    });
  };
  const expectAgreement = async () => {
    const got = await stored();
    expect(got).toEqual(comparable(fromTables(t.backend.db, campaignId)));
    return got;
  };

  beforeAll(async () => {
    dir = tempDir('pingcha-agreement-');
    await seedWorkspace({ dir: dir.dir, files: 24, units: 3, annotations: 0, reviewers: 4, letters: 0, say: () => undefined });
    t = openTestBackend(dir.dir);
    admin = client(t.backend, 'agreement-admin');
    await admin.call('auth:login', { username: ADMIN.username, password: ADMIN.password });
    campaignId = (await admin.call('campaign:list', {}))[0]!.id;
  }, 600_000);
  afterAll(() => {
    t?.close();
    dir?.cleanup();
  });

  it('opens with stale results at once, the board right before and after the back-fill job', async () => {
    const board = (await admin.call('review:board', { campaignId })).rows.map((r) => [
      r.caseId,
      r.state,
      r.delivered,
      r.final?.total ?? null,
    ]);
    expect(board).toHaveLength(24);
    expect(board.filter((r) => r[1] === 'flagged').length).toBeGreaterThan(0);
    const before = await expectAgreement();
    expect(before.files).toBeGreaterThan(5);
    t.close();
    // As after an upgrade that adds a stored result: every file stale, nothing kept.
    const raw = new Database(path.join(dir.dir, 'pingcha.db'));
    raw.exec(`DELETE FROM case_summaries; DELETE FROM sheet_summaries; DELETE FROM agreement_files; DELETE FROM agreement_sums;
      INSERT INTO summary_stale SELECT id FROM cases WHERE id NOT IN (SELECT case_id FROM summary_stale);`);
    raw.close();
    t = openTestBackend(dir.dir);
    const { review, jobs } = t.backend.services;
    // The workspace opened without writing them: the job has them still to do (it starts on the next turn).
    expect(review.backfillJobId).not.toBeNull();
    expect((t.backend.db.prepare('SELECT count(*) AS n FROM summary_stale').get() as { n: number }).n).toBe(24);
    // A screen asking meanwhile sees the right results: the board's service writes what is stale itself.
    const organiser = t.backend.db
      .prepare('SELECT id, username, display_name AS displayName, role FROM users WHERE username = ?')
      .get(ADMIN.username) as Actor;
    expect(review.boardRows(campaignId, null, organiser).map((r) => [r.caseId, r.state, r.delivered, r.final?.total ?? null])).toEqual(
      board,
    );
    admin = client(t.backend, 'agreement-admin-2');
    await admin.call('auth:login', { username: ADMIN.username, password: ADMIN.password });
    const job = await jobs.wait(review.backfillJobId!);
    expect(job.status).toBe('done');
    expect((t.backend.db.prepare('SELECT count(*) AS n FROM summary_stale').get() as { n: number }).n).toBe(0);
    expect(
      (await admin.call('review:board', { campaignId })).rows.map((r) => [r.caseId, r.state, r.delivered, r.final?.total ?? null]),
    ).toEqual(board);
    expect(await expectAgreement()).toEqual(before);
  }, 300_000);

  it('equals the report from the tables after an answer, a delivery, a reopened sheet and a 合议 decision', async () => {
    const db = t.backend.db;
    // An answer on a sheet still being scored, then its delivery.
    const draft = db
      .prepare(
        `SELECT s.id, s.reviewer_id, s.revision FROM sheets s JOIN case_summaries x ON x.case_id = s.case_id
         WHERE s.status = 'draft' AND x.state != 'final' AND EXISTS (SELECT 1 FROM sheets o WHERE o.case_id = s.case_id AND o.status = 'submitted') LIMIT 1`,
      )
      .get() as { id: string; reviewer_id: string; revision: number };
    const owner = await reviewer(draft.reviewer_id);
    const view = await owner.call('sheet:open', {
      caseId: (db.prepare('SELECT case_id FROM sheets WHERE id = ?').get(draft.id) as { case_id: string }).case_id,
    });
    const item = plainItem(view.definition, (id) => view.answers[id] === undefined);
    const answered = await owner.call('sheet:answer', {
      sheetId: draft.id,
      itemId: item,
      answer: { status: 'deduct', comment: '询问笔录未由执法人员签名' },
      revision: view.sheet!.revision,
    });
    await expectAgreement();
    await submitPassingRest(owner, draft.id, answered.revision);
    const delivered = await expectAgreement();

    // The lead sends a delivered sheet of an unsettled file back; its reviewer changes it and delivers again.
    const back = db
      .prepare(
        `SELECT s.id, s.case_id, s.reviewer_id FROM sheets s JOIN case_summaries x ON x.case_id = s.case_id
         WHERE s.status = 'submitted' AND x.state = 'flagged' AND x.delivered >= 2 LIMIT 1`,
      )
      .get() as { id: string; case_id: string; reviewer_id: string };
    await admin.call('sheet:reopen', { sheetId: back.id, reason: '请核对第3页送达回证' });
    const reopened = await expectAgreement();
    expect(reopened.files).toBeLessThanOrEqual(delivered.files);
    const again = await reviewer(back.reviewer_id);
    const open = await again.call('sheet:open', { caseId: back.case_id });
    const first = plainItem(open.definition, (id) => open.answers[id]?.status === 'pass');
    const changed = await again.call('sheet:answer', {
      sheetId: back.id,
      itemId: first,
      answer: { status: 'deduct', comment: '送达回证无受送达人签名' },
      revision: open.sheet!.revision,
    });
    await again.call('sheet:submit', { sheetId: back.id, revision: changed.revision });
    await expectAgreement();

    // 合议: the panel decides every item the sheets differ on and settles the file.
    const flagged = db.prepare(`SELECT case_id FROM case_summaries WHERE state = 'flagged' AND delivered >= 2 LIMIT 1`).get() as {
      case_id: string;
    };
    const reconcile = await admin.call('reconcile:open', { caseId: flagged.case_id });
    let revision = reconcile.review.revision;
    for (const itemId of reconcile.proposal.undecided) {
      const answer = reconcile.sheets.map((s) => s.answers[itemId]).find((a) => a) ?? { status: 'pass' as const };
      revision = (await admin.call('reconcile:answer', { caseId: flagged.case_id, itemId, answer, note: '合议确定', revision })).revision;
    }
    await admin.call('reconcile:finalise', { caseId: flagged.case_id, note: '评查组合议定分', revision });
    const settled = await expectAgreement();
    expect(settled.raters.some((r) => (r.finalComparisons as number) > 0)).toBe(true);

    // The ledger counts the settled files' problems it holds no row for from their stored results.
    const missing = () =>
      t.backend.services.results
        .finalProblemKeys(campaignId)
        .filter(
          (p) =>
            !db.prepare('SELECT 1 FROM ledger_items WHERE case_id = ? AND item_id = ? AND withdrawn_at IS NULL').get(p.caseId, p.itemId),
        ).length;
    expect(missing()).toBeGreaterThan(0);
    expect((await admin.call('ledger:list', { campaignId })).unsynced).toBe(missing());
    await admin.call('ledger:sync', { campaignId });
    expect((await admin.call('ledger:list', { campaignId })).unsynced).toBe(0);
  }, 300_000);
});
