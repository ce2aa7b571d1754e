/**
 * One identity per 被评查单位 through the real back end. A 清溪县 case list names some bureaus in full
 * and some short (县市场监管局, 县交通运输局, 县自然资源局); the reviewers' accounts name their bureaus in
 * full. The import shows and applies the matches (6 units, not 9), the draw and the assignment never
 * give a reviewer a file of their own bureau, whatever the seed; a unit split anyway is merged with
 * its cases, declared conflicts, drawn files, letters and ledger rows, audited and remembered.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../electron/services/backend.js';
import type { ChannelInput } from '../../shared/contract/index.js';
import { client, openTestBackend, setupAdmin, stage, type TestBackend } from '../support/backend.js';
import { dossierPdf } from '../support/pdf-fixtures.js';

const PASSWORD = 'Review3r!';

/** The six bureaus and how the list writes each (full, or short on some rows). */
const BUREAUS = [
  { full: '清溪县公安局', listed: ['清溪县公安局'], prefix: '清公罚' },
  { full: '清溪县市场监督管理局', listed: ['清溪县市场监督管理局', '县市场监管局'], prefix: '清市监罚' },
  { full: '清溪县交通运输局', listed: ['清溪县交通运输局', '县交通运输局'], prefix: '清交罚' },
  { full: '清溪县自然资源和规划局', listed: ['清溪县自然资源和规划局', '县自然资源局'], prefix: '清自然罚' },
  { full: '清溪县生态环境分局', listed: ['清溪县生态环境分局'], prefix: '清环罚' },
  { full: '清溪县农业农村局', listed: ['清溪县农业农村局'], prefix: '清农罚' },
];

interface Row {
  caseNumber: string;
  unit: string;
  bureau: number;
}

/** Five cases a bureau; rows 3 and 4 of a bureau written short where the list does that. */
const ROWS: Row[] = BUREAUS.flatMap((b, bureau) =>
  Array.from({ length: 5 }, (_, i) => ({
    caseNumber: `${b.prefix}〔2025〕${i + 1}号`,
    unit: i >= 3 ? b.listed[b.listed.length - 1]! : b.listed[0]!,
    bureau,
  })),
);

async function listXlsx(rows: Row[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('案件清单');
  ws.addRow(['序号', '案号', '案件名称', '当事人', '案件类型', '被评查单位']);
  rows.forEach((r, i) =>
    ws.addRow([i + 1, r.caseNumber, `案件${i + 1}`, `当事人${i + 1}`, '行政处罚（一般程序）', i === 4 ? ` ${r.unit} ` : r.unit]),
  );
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Reviewers from each bureau (full names, one with a former unit written short), and two lawyers. */
const PEOPLE = [
  { username: 'gong', displayName: '龚警官', affiliation: '清溪县公安局交通警察大队', pastUnits: [] as string[], bureaus: [0] },
  { username: 'shi', displayName: '施科长', affiliation: '清溪县市场监督管理局', pastUnits: [], bureaus: [1] },
  { username: 'jiao', displayName: '焦科长', affiliation: '清溪县交通运输局法制股', pastUnits: ['县自然资源局'], bureaus: [2, 3] },
  { username: 'zi', displayName: '资股长', affiliation: '清溪县 自然资源和规划局', pastUnits: [], bureaus: [3] },
  { username: 'huan', displayName: '桓干事', affiliation: '清溪县生态环境分局', pastUnits: [], bureaus: [4] },
  { username: 'nong', displayName: '农主任', affiliation: '清溪县农业农村局', pastUnits: [], bureaus: [5] },
  { username: 'lv1', displayName: '吕律师', affiliation: '清溪律师事务所', pastUnits: [], bureaus: [] as number[], legal: true },
  { username: 'lv2', displayName: '闾律师', affiliation: '县法律援助中心', pastUnits: [], bureaus: [], legal: true },
];

let t: TestBackend;
let admin: Awaited<ReturnType<typeof setupAdmin>>;
let campaignId: string;

beforeAll(async () => {
  t = openTestBackend();
  admin = await setupAdmin(t.backend);
  campaignId = (await admin.call('campaign:create', { name: '2025年度清溪县行政执法案卷评查', year: 2025, issuingBody: '清溪县司法局' }))
    .id;
});
afterAll(() => t.close());

async function importList(b: Backend, c: typeof admin, campaign: string, rows: Row[], extra: Partial<ChannelInput<'import:start'>> = {}) {
  const listId = await stage(b, c, '清溪县案件清单.xlsx', await listXlsx(rows));
  const layout = await c.call('import:readList', { sourceId: listId });
  // Each file has its dossier (a draw never picks a file registered without one).
  const sourceIds: string[] = [];
  for (const row of rows) sourceIds.push(await stage(b, c, `${row.caseNumber}.pdf`, await dossierPdf(2, `行政处罚案卷 ${row.caseNumber}`)));
  const request = {
    campaignId: campaign,
    sourceIds,
    list: { sourceId: listId, sheetName: layout.sheetName, headerRow: layout.headerRow, mapping: layout.mapping },
    ...extra,
  };
  const preview = await c.call('import:preview', request);
  const { jobId, batchId } = await c.call('import:start', { ...request, registerRowsWithoutFiles: true });
  await b.services.jobs.wait(jobId);
  return { preview, summary: await c.call('import:result', { batchId }) };
}

const sql = <T>(query: string, ...args: unknown[]): T[] => t.backend.db.prepare(query).all(...args) as T[];

describe('import', () => {
  it('shows how the short names match, registers 6 units (not 9) and remembers the confirmed aliases', async () => {
    const { preview, summary } = await importList(t.backend, admin, campaignId, ROWS);
    expect(preview.unitMatches).toEqual([
      { imported: '县市场监管局', unitName: '清溪县市场监督管理局', how: 'alias', existing: false, rows: 2, kept: false },
      { imported: '县交通运输局', unitName: '清溪县交通运输局', how: 'region', existing: false, rows: 2, kept: false },
      { imported: '县自然资源局', unitName: '清溪县自然资源和规划局', how: 'alias', existing: false, rows: 2, kept: false },
    ]);
    expect(preview.targets.filter((r) => r.status === 'new').map((r) => r.unitName)).not.toContain('县市场监管局');
    expect(summary.items.filter((i) => i.outcome === 'rejected')).toEqual([]);

    const units = await admin.call('unit:list', { campaignId });
    expect(units.map((u) => [u.name, u.caseCount]).sort()).toEqual(BUREAUS.map((b) => [b.full, 5]).sort());
    expect((await admin.call('campaign:get', { campaignId })).unitCount).toBe(6);
    expect(
      sql<{ alias: string; unit_name: string; region: string }>('SELECT alias, unit_name, region FROM unit_aliases ORDER BY alias'),
    ).toEqual([
      { alias: '县交通运输局', unit_name: '清溪县交通运输局', region: '清溪县' },
      { alias: '县市场监管局', unit_name: '清溪县市场监督管理局', region: '清溪县' },
      { alias: '县自然资源局', unit_name: '清溪县自然资源和规划局', region: '清溪县' },
    ]);
    expect(sql<{ n: number }>("SELECT count(*) AS n FROM audit_log WHERE action = 'unit.alias'")[0]!.n).toBe(3);
  });

  it('a later campaign of the region matches the remembered alias; a name kept as new stays a unit of its own', async () => {
    const later = (await admin.call('campaign:create', { name: '2026年度清溪县行政执法案卷评查', year: 2026, issuingBody: '清溪县司法局' }))
      .id;
    const rows: Row[] = [
      { caseNumber: '清市监罚〔2026〕1号', unit: '县市场监管局', bureau: 1 },
      { caseNumber: '清公罚〔2026〕1号', unit: '公安局交警大队', bureau: 0 },
      { caseNumber: '清公罚〔2026〕2号', unit: '清溪县公安局', bureau: 0 },
      { caseNumber: '清交罚〔2026〕1号', unit: '县交通局', bureau: 2 },
    ];
    const { preview } = await importList(t.backend, admin, later, rows, { keepUnitNames: ['县交通局'] });
    expect(preview.unitMatches).toEqual([
      { imported: '县市场监管局', unitName: '清溪县市场监督管理局', how: 'remembered', existing: false, rows: 1, kept: false },
      { imported: '县交通局', unitName: '清溪县交通运输局', how: 'alias', existing: false, rows: 1, kept: true },
    ]);
    const units = (await admin.call('unit:list', { campaignId: later })).map((u) => u.name).sort();
    expect(units).toEqual(['公安局交警大队', '县交通局', '清溪县公安局', '清溪县市场监督管理局'].sort());
  });
});

describe('回避 by unit identity', () => {
  let people: Map<string, string>;
  const unitBureau = new Map<string, number>();

  beforeAll(async () => {
    people = new Map();
    for (const p of PEOPLE) {
      const user = await admin.call('user:create', {
        username: p.username,
        displayName: p.displayName,
        role: 'reviewer',
        affiliation: p.affiliation,
        password: PASSWORD,
        pastUnits: p.pastUnits,
        legalProfessional: p.legal ?? false,
      });
      people.set(p.username, user.id);
    }
    await admin.call('panel:setMembers', { campaignId, userIds: [...people.values()] });
    for (const u of await admin.call('unit:list', { campaignId }))
      unitBureau.set(
        u.id,
        BUREAUS.findIndex((b) => b.full === u.name),
      );
  });

  it('the panel lists each reviewer’s own bureau (and a former one written short) as a conflict', async () => {
    const panel = await admin.call('panel:get', { campaignId });
    const conflicts = (u: string) =>
      panel.members
        .find((m) => m.username === u)!
        .conflicts.map((c) => c.unitName)
        .sort();
    expect(conflicts('shi')).toEqual(['清溪县市场监督管理局']);
    expect(conflicts('gong')).toEqual(['清溪县公安局']);
    expect(conflicts('jiao')).toEqual(['清溪县交通运输局', '清溪县自然资源和规划局'].sort());
    expect(conflicts('zi')).toEqual(['清溪县自然资源和规划局']);
    expect(conflicts('lv1')).toEqual([]);
  });

  it('whatever the seeds, the draw and the assignment never give a reviewer a file of their own bureau', async () => {
    const caseUnit = new Map(
      sql<{ id: string; unit_id: string }>('SELECT id, unit_id FROM cases WHERE campaign_id = ?', campaignId).map((r) => [r.id, r.unit_id]),
    );
    const bureauOf = new Map(PEOPLE.map((p) => [people.get(p.username)!, p.bureaus]));
    const drawSeeds = ['20250305', '清溪-2', '7731-0042-1198'];
    for (const [i, drawSeed] of drawSeeds.entries()) {
      const draw = await admin.call('draw:run', { campaignId, perGroup: 3, seed: drawSeed, ...(i ? { reason: `复核种子 ${i + 1}` } : {}) });
      expect(draw.unitCount).toBe(6);
      expect(draw.groups.map((g) => g.unitName).sort()).toEqual(BUREAUS.map((b) => b.full).sort());
      expect(draw.drawnCount).toBe(18);
      for (const assignSeed of ['1', '2', '3', '4']) {
        const proposal = await admin.call('assignment:preview', {
          campaignId,
          perFile: 2,
          requireLegal: true,
          seed: `${drawSeed}/${assignSeed}`,
        });
        expect(proposal.files).toHaveLength(18);
        for (const f of proposal.files) {
          const bureau = unitBureau.get(caseUnit.get(f.caseId)!)!;
          for (const r of f.reviewers)
            expect([f.caseNumber, r.name, bureauOf.get(r.id)!.includes(bureau)]).toEqual([f.caseNumber, r.name, false]);
        }
        // The preview counts what the draw drew: 3 files of her bureau avoided by 施科长.
        const shi = proposal.avoided.filter((a) => a.reviewerId === people.get('shi'));
        expect(shi).toEqual([
          {
            reviewerId: people.get('shi'),
            reviewerName: '施科长',
            unitName: '清溪县市场监督管理局',
            files: 3,
            reasons: ['现所在单位：清溪县市场监督管理局'],
          },
        ]);
      }
    }
    const proposal = await admin.call('assignment:preview', { campaignId, perFile: 2, requireLegal: true, seed: 'apply' });
    await admin.call('assignment:apply', { campaignId, perFile: 2, requireLegal: true, seed: 'apply', digest: proposal.digest });
    const written = sql<{ case_id: string; reviewer_id: string }>(
      'SELECT case_id, reviewer_id FROM assignments WHERE campaign_id = ?',
      campaignId,
    );
    expect(written).toHaveLength(36);
    for (const a of written) expect(bureauOf.get(a.reviewer_id)!.includes(unitBureau.get(caseUnit.get(a.case_id)!)!)).toBe(false);
    const shiCase = [...caseUnit].find(([, u]) => unitBureau.get(u) === 1)![0];
    expect((await admin.fail('assignment:add', { caseId: shiCase, reviewerId: people.get('shi')! })).message).toContain('须回避');
  });
});

describe('merge', () => {
  let mergeCampaign: string;
  let split: string;
  let full: string;

  beforeAll(async () => {
    mergeCampaign = (await admin.call('campaign:create', { name: '2025年度清溪县专项评查', year: 2025, issuingBody: '清溪县司法局' })).id;
    const rows: Row[] = [
      { caseNumber: '清市监罚〔2025〕101号', unit: '清溪县市场监督管理局', bureau: 1 },
      { caseNumber: '清市监罚〔2025〕102号', unit: '清溪县市场监督管理局', bureau: 1 },
      { caseNumber: '清市监罚〔2025〕103号', unit: '市场监管局', bureau: 1 },
      { caseNumber: '清市监罚〔2025〕104号', unit: '市场监管局', bureau: 1 },
      { caseNumber: '清公罚〔2025〕101号', unit: '清溪县公安局', bureau: 0 },
    ];
    // Kept apart at import (as the old code did by accident), to be merged on the units panel.
    await importList(t.backend, admin, mergeCampaign, rows, { keepUnitNames: ['市场监管局'] });
    const units = await admin.call('unit:list', { campaignId: mergeCampaign });
    split = units.find((u) => u.name === '市场监管局')!.id;
    full = units.find((u) => u.name === '清溪县市场监督管理局')!.id;
  });

  it('renaming onto the full name offers the merge; the merge moves cases, conflicts, drawn files, letters and ledger rows, audited', async () => {
    expect(await admin.fail('unit:save', { campaignId: mergeCampaign, unitId: split, name: '清溪县市场监督管理局' })).toMatchObject({
      code: 'conflict',
      details: { reason: 'unit_exists', unitId: full },
    });
    expect((await admin.fail('unit:save', { campaignId: mergeCampaign, unitId: split, name: '县市场监督管理局' })).details).toMatchObject({
      reason: 'unit_exists',
      unitId: full,
    });

    const shi = (await admin.call('user:directory', {})).find((u) => u.username === 'shi')!.id;
    const lv1 = (await admin.call('user:directory', {})).find((u) => u.username === 'lv1')!.id;
    await admin.call('panel:setMembers', { campaignId: mergeCampaign, userIds: [shi, lv1] });
    await admin.call('panel:declareConflict', { campaignId: mergeCampaign, userId: lv1, unitId: split, reason: '曾代理该局行政诉讼' });
    const draw = await admin.call('draw:run', { campaignId: mergeCampaign, perGroup: 5, seed: '1' });
    expect(draw.unitCount).toBe(2);
    // A draft letter and a ledger row of the split unit (their own screens make them from scored files).
    const db = t.backend.db;
    const now = new Date().toISOString();
    const splitCase = sql<{ id: string }>('SELECT id FROM cases WHERE unit_id = ? ORDER BY case_number', split)[0]!.id;
    db.prepare(
      "INSERT INTO letters (id, campaign_id, unit_id, kind, issuing_body, created_at, updated_at) VALUES ('l-split', ?, ?, 'opinion', '清溪县司法局', ?, ?)",
    ).run(mergeCampaign, split, now, now);
    db.prepare(
      "INSERT INTO ledger_items (id, campaign_id, case_id, item_id, serial, problem_json, created_at, updated_at) VALUES ('li-split', ?, ?, 'x1', 1, '{}', ?, ?)",
    ).run(mergeCampaign, splitCase, now, now);

    const preview = await admin.call('unit:mergePreview', { campaignId: mergeCampaign, sourceUnitId: split, targetUnitId: full });
    expect(preview).toMatchObject({
      source: { name: '市场监管局' },
      target: { name: '清溪县市场监督管理局' },
      cases: 2,
      declaredConflicts: 1,
      drawnCases: 2,
      letters: 1,
      ledgerItems: 1,
      blocked: null,
    });
    const lead = client(t.backend, 'lead-window');
    await admin.call('user:create', {
      username: 'lead1',
      displayName: '组长',
      role: 'lead',
      affiliation: '清溪县司法局',
      password: PASSWORD,
      pastUnits: [],
      legalProfessional: false,
    });
    await lead.call('auth:login', { username: 'lead1', password: PASSWORD });
    expect((await lead.fail('unit:merge', { campaignId: mergeCampaign, sourceUnitId: split, targetUnitId: full })).code).toBe('forbidden');

    const merged = await admin.call('unit:merge', { campaignId: mergeCampaign, sourceUnitId: split, targetUnitId: full });
    expect(merged).toMatchObject({ id: full, name: '清溪县市场监督管理局', caseCount: 4 });
    expect((await admin.call('unit:list', { campaignId: mergeCampaign })).map((u) => u.name).sort()).toEqual([
      '清溪县公安局',
      '清溪县市场监督管理局',
    ]);
    expect(sql('SELECT unit_id FROM letters WHERE id = ?', 'l-split')).toEqual([{ unit_id: full }]);
    expect(sql('SELECT c.unit_id FROM ledger_items li JOIN cases c ON c.id = li.case_id WHERE li.id = ?', 'li-split')).toEqual([
      { unit_id: full },
    ]);
    expect(sql('SELECT unit_id, reason FROM declared_conflicts WHERE campaign_id = ?', mergeCampaign)).toEqual([
      { unit_id: full, reason: '曾代理该局行政诉讼' },
    ]);
    const overview = await admin.call('assignment:list', { campaignId: mergeCampaign });
    expect(overview.cases.filter((c) => c.drawn)).toHaveLength(5);
    const audit = sql<{ entity_id: string; before_json: string; after_json: string }>(
      "SELECT entity_id, before_json, after_json FROM audit_log WHERE action = 'unit.merge'",
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]!.entity_id).toBe(full);
    expect(JSON.parse(audit[0]!.before_json)).toMatchObject({ unitId: split, name: '市场监管局' });
    expect(JSON.parse(audit[0]!.after_json)).toMatchObject({
      moved: { cases: 2, declaredConflicts: 1, drawnCases: 2, letters: 1, ledgerItems: 1 },
    });
    expect(sql("SELECT unit_name FROM unit_aliases WHERE alias = '市场监管局'")).toEqual([{ unit_name: '清溪县市场监督管理局' }]);
    // The declared conflict now covers the merged unit's files: 吕律师 is avoided on all four.
    const panel = await admin.call('panel:get', { campaignId: mergeCampaign });
    expect(panel.members.find((m) => m.userId === lv1)!.conflicts).toEqual([
      { unitId: full, unitName: '清溪县市场监督管理局', reasons: [{ kind: 'declared', text: '指定回避：曾代理该局行政诉讼' }] },
    ]);
  });

  it('refuses to merge away a unit an issued letter was sent to', async () => {
    const units = await admin.call('unit:list', { campaignId: mergeCampaign });
    const police = units.find((u) => u.name === '清溪县公安局')!.id;
    const now = new Date().toISOString();
    t.backend.db
      .prepare(
        "INSERT INTO letters (id, campaign_id, unit_id, kind, issuing_body, status, created_at, updated_at) VALUES ('l-issued', ?, ?, 'opinion', '清溪县司法局', 'issued', ?, ?)",
      )
      .run(mergeCampaign, police, now, now);
    const preview = await admin.call('unit:mergePreview', { campaignId: mergeCampaign, sourceUnitId: police, targetUnitId: full });
    expect(preview.blocked).toContain('签发');
    expect(await admin.fail('unit:merge', { campaignId: mergeCampaign, sourceUnitId: police, targetUnitId: full })).toMatchObject({
      code: 'conflict',
    });
    expect((await admin.call('unit:list', { campaignId: mergeCampaign })).map((u) => u.name)).toContain('清溪县公安局');
  });
});
