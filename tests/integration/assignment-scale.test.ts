/**
 * Reviewer assignment at a city's size: 2,000 files of 40 units staffed three a file by a panel with
 * 回避, applied in one step. What is checked is behaviour (exactly the preview, no conflicted or
 * doubled reviewer, a legal professional on every file, one audit row and one change event for the
 * whole run, a second run replacing the first); the time it takes is the bench's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAuditChain } from '../../electron/services/core/audit.js';
import { tx } from '../../electron/services/core/db/database.js';
import { addDocument, registerCase } from '../../electron/services/dossiers/register.js';
import type { Actor } from '../../electron/services/core/context.js';
import { ADMIN, openTestBackend, setupAdmin, stage, type TestBackend } from '../support/backend.js';
import { createPeople, loginAs, type Person } from '../support/panel-fixtures.js';
import { dossierPdf } from '../support/pdf-fixtures.js';

const FILES = 2000;
const UNITS = 40;
const BUREAUS = ['公安局', '市场监督管理局', '交通运输局', '自然资源局', '生态环境局', '农业农村局', '卫生健康局', '应急管理局'];
const unitName = (u: number): string => `${['城关', '河西', '清溪', '青山', '白沙'][u % 5]}区${BUREAUS[u % BUREAUS.length]}`;

/** A city panel: reviewers seconded from some of the units under review (回避), two lawyers, a lead. */
const PANEL: Person[] = [
  { username: 'lead', displayName: '赵组长', role: 'lead', affiliation: '某某市司法局', legalProfessional: true },
  { username: 'r1', displayName: '钱警官', role: 'reviewer', affiliation: unitName(0) },
  { username: 'r2', displayName: '孙科长', role: 'reviewer', affiliation: unitName(1), pastUnits: [unitName(9)] },
  { username: 'r3', displayName: '李律师', role: 'reviewer', affiliation: '某某律师事务所', legalProfessional: true },
  { username: 'r4', displayName: '周法制', role: 'reviewer', affiliation: unitName(2), legalProfessional: true },
  { username: 'r5', displayName: '吴干事', role: 'reviewer', affiliation: unitName(5) },
  { username: 'r6', displayName: '郑科员', role: 'reviewer', affiliation: '某某市财政局' },
  { username: 'r7', displayName: '王律师', role: 'reviewer', affiliation: '某某律师事务所', legalProfessional: true },
];

let t: TestBackend;
let campaignId: string;
let admin: Awaited<ReturnType<typeof setupAdmin>>;
let changes = 0;

beforeAll(async () => {
  t = openTestBackend();
  admin = await setupAdmin(t.backend);
  campaignId = (await admin.call('campaign:create', { name: '2025年度全市行政执法案卷评查', year: 2025, issuingBody: '某某市司法局' })).id;
  const people = await createPeople(admin, PANEL);
  await admin.call('panel:setMembers', { campaignId, userIds: [...people.values()] });
  // One file imported as a user does; the rest registered by the functions the case-list import
  // calls, sharing its stored PDF.
  const sourceId = await stage(t.backend, admin, '01-行政处罚决定书.pdf', await dossierPdf(3, '行政处罚案卷'));
  const first = await admin.call('dossier:importSingle', {
    campaignId,
    sourceId,
    caseNumber: `${unitName(0)}罚〔2025〕1号`,
    caseTitle: '某某商贸有限公司销售过期食品案',
    unitName: unitName(0),
    caseType: 'penalty_general',
  });
  const doc = first.documents[0]!;
  const db = t.backend.db;
  const actor: Actor = {
    id: (db.prepare('SELECT id FROM users WHERE username = ?').get(ADMIN.username) as { id: string }).id,
    role: 'organiser',
    username: ADMIN.username,
    displayName: ADMIN.displayName,
  };
  tx(db, () => {
    for (let i = 1; i < FILES; i++) {
      const unit = unitName(i % UNITS);
      const { id } = registerCase(db, actor, campaignId, {
        caseNumber: `${unit}罚〔2025〕${Math.floor(i / UNITS) + 1}号`,
        caseType: 'penalty_general',
        unitName: unit,
        unitMatch: 'exact',
        title: `当事人${i}违法经营案`,
        party: `当事人${i}`,
      });
      addDocument(db, actor, campaignId, id, { ...doc, metadata: {} });
    }
  });
  t.backend.events.subscribe((event, payload) => {
    if (event === 'data:changed') changes++;
    void payload;
  });
}, 120_000);
afterAll(() => t.close());

const pairsInDb = (): Map<string, string[]> => {
  const out = new Map<string, string[]>();
  for (const r of t.backend.db
    .prepare('SELECT case_id, reviewer_id FROM assignments WHERE campaign_id = ? ORDER BY case_id, reviewer_id')
    .all(campaignId) as Array<{ case_id: string; reviewer_id: string }>)
    out.set(r.case_id, [...(out.get(r.case_id) ?? []), r.reviewer_id]);
  return out;
};

const applyRows = () =>
  t.backend.db.prepare("SELECT before_json, after_json FROM audit_log WHERE action = 'assignment.apply' ORDER BY id").all() as Array<{
    before_json: string;
    after_json: string;
  }>;

describe('assignment of 2,000 files', () => {
  it('applies exactly the preview: three distinct, unconflicted reviewers a file, a lawyer on each, one audit row, one event', async () => {
    const preview = await admin.call('assignment:preview', { campaignId, perFile: 3, requireLegal: true, seed: '全市-1' });
    expect(preview.files).toHaveLength(FILES);
    const panel = await admin.call('panel:get', { campaignId });
    const conflicts = new Map(panel.members.map((m) => [m.userId, new Set(m.conflicts.map((c) => c.unitName))]));
    const legal = new Set(panel.members.filter((m) => m.legalProfessional).map((m) => m.userId));
    expect(conflicts.get(panel.members.find((m) => m.displayName === '孙科长')!.userId)).toEqual(new Set([unitName(1), unitName(9)]));

    const lead = await loginAs(t.backend, 'lead');
    changes = 0;
    const out = await lead.call('assignment:apply', { campaignId, perFile: 3, requireLegal: true, seed: '全市-1', digest: preview.digest });
    expect(out.applied).toBe(3 * FILES);
    expect(changes).toBe(1);

    const stored = pairsInDb();
    expect(stored.size).toBe(FILES);
    for (const f of preview.files) {
      const ids = stored.get(f.caseId)!;
      expect(ids).toEqual(f.reviewers.map((r) => r.id).sort());
      expect(new Set(ids).size).toBe(3);
      expect(ids.some((id) => legal.has(id))).toBe(true);
      for (const id of ids) expect(conflicts.get(id)!.has(f.unitName)).toBe(false);
    }
    const loads = preview.loads.map((l) => l.count);
    expect(loads.reduce((a, b) => a + b, 0)).toBe(3 * FILES);

    const rows = applyRows();
    expect(rows).toHaveLength(1);
    const after = JSON.parse(rows[0]!.after_json) as { runId: string; assignments: Array<[string, string[]]> };
    expect(after.runId).toBe(out.runId);
    expect(new Map(after.assignments.map(([caseId, ids]) => [caseId, ids.slice().sort()]))).toEqual(stored);
    expect(JSON.parse(rows[0]!.before_json)).toEqual([]);
    expect(checkAuditChain(t.backend.db)).toMatchObject({ intact: true });
  }, 120_000);

  it('a second run with another seed replaces the first whole, its audit row keeping what it replaced', async () => {
    const before = pairsInDb();
    const preview = await admin.call('assignment:preview', { campaignId, perFile: 2, requireLegal: false, seed: '全市-2' });
    expect(preview.replaces).toBe(3 * FILES);
    await admin.call('assignment:apply', { campaignId, perFile: 2, requireLegal: false, seed: '全市-2', digest: preview.digest });
    const stored = pairsInDb();
    expect([...stored.values()].every((ids) => ids.length === 2)).toBe(true);
    expect(stored).not.toEqual(before);
    const rows = applyRows();
    expect(rows).toHaveLength(2);
    const replaced = JSON.parse(rows[1]!.before_json) as Array<{ case_id: string; reviewer_id: string }>;
    expect(replaced).toHaveLength(3 * FILES);
    expect(new Set(replaced.map((r) => `${r.case_id}/${r.reviewer_id}`))).toEqual(
      new Set([...before].flatMap(([caseId, ids]) => ids.map((id) => `${caseId}/${id}`))),
    );
    expect((await admin.call('assignment:list', { campaignId })).lastRun).toMatchObject({ seed: '全市-2', perFile: 2 });
  }, 120_000);
});
