/**
 * People, panel and assignment through the real back end: people and lock-out, the panel and 回避, the reproducible draw
 * and its printed record (LibreOffice), preview-then-apply assignment, the file-visibility rule, and
 * the meeting agenda with its revision check and live event.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventName, EventPayload } from '../../shared/contract/index.js';
import { drawFromPool, type PoolEntry } from '../../shared/panel/draw.js';
import { client, openTestBackend, scoreLicencesWithTable, setupAdmin, stage, type TestBackend } from '../support/backend.js';
import { convertWithLibreOffice, pdfFacts } from '../support/office.js';
import { COUNTY_POOL, createPeople, importPool, loginAs, PASSWORD } from '../support/panel-fixtures.js';
import { outputDir } from '../support/temp.js';

let t: TestBackend;
let admin: Awaited<ReturnType<typeof setupAdmin>>;
let campaignId: string;
let people: Map<string, string>;
let cases: Map<string, string>;
const heard: Array<{ event: EventName; payload: EventPayload<EventName> }> = [];

beforeAll(async () => {
  t = openTestBackend();
  t.backend.events.subscribe((event, payload) => heard.push({ event, payload }));
  admin = await setupAdmin(t.backend);
  campaignId = (await admin.call('campaign:create', { name: '2025年度行政执法案卷集中评查', year: 2025, issuingBody: '某某县司法局' })).id;
  await scoreLicencesWithTable(admin, campaignId);
  people = await createPeople(admin);
  cases = await importPool(t.backend, admin, campaignId);
});
afterAll(() => t.close());

const auditActions = (prefix: string): string[] =>
  (t.backend.db.prepare('SELECT action FROM audit_log WHERE action LIKE ? ORDER BY id').all(`${prefix}%`) as Array<{ action: string }>).map(
    (r) => r.action,
  );

describe('people', () => {
  it('edits, disables and re-enables an account; a disabled account loses its window at once', async () => {
    const wu = await loginAs(t.backend, 'wu');
    const edited = await admin.call('user:update', { userId: people.get('wu')!, pastUnits: ['某某县林业局'], legalProfessional: false });
    expect(edited).toMatchObject({ displayName: '吴干事', pastUnits: ['某某县林业局'], disabled: false });
    await admin.call('user:setDisabled', { userId: people.get('wu')!, disabled: true });
    expect((await wu.fail('campaign:list', {})).code).toBe('unauthenticated');
    expect(await client(t.backend, 'x').fail('auth:login', { username: 'wu', password: PASSWORD })).toMatchObject({
      code: 'locked',
      message: expect.stringContaining('停用'),
    });
    await admin.call('user:setDisabled', { userId: people.get('wu')!, disabled: false });
    await loginAs(t.backend, 'wu');
    const lead = await loginAs(t.backend, 'zhao');
    expect((await lead.fail('user:update', { userId: people.get('wu')!, role: 'lead' })).code).toBe('forbidden');
    expect(
      (await admin.fail('user:setDisabled', { userId: (await admin.call('auth:status', {})).user!.id, disabled: true })).message,
    ).toContain('自己');
    expect((await admin.fail('user:update', { userId: (await admin.call('auth:status', {})).user!.id, role: 'reviewer' })).code).toBe(
      'conflict',
    );
  });

  it('locks after five wrong passwords; the organiser unlocks; a reset replaces the password; own change needs the current one', async () => {
    const w = client(t.backend, 'lock');
    for (let i = 0; i < 5; i++) await w.fail('auth:login', { username: 'sun', password: 'wrong-1' });
    expect((await w.fail('auth:login', { username: 'sun', password: PASSWORD })).code).toBe('locked');
    const locked = (await admin.call('user:directory', {})).find((u) => u.username === 'sun')!;
    expect(locked.lockedUntil).not.toBeNull();
    expect((await admin.call('user:unlock', { userId: locked.id })).lockedUntil).toBeNull();
    await w.call('auth:login', { username: 'sun', password: PASSWORD });

    await admin.call('user:resetPassword', { userId: people.get('li')!, password: 'Temp0rary!' });
    expect((await client(t.backend, 'l1').fail('auth:login', { username: 'li', password: PASSWORD })).code).toBe('invalid_input');
    const li = client(t.backend, 'l2');
    await li.call('auth:login', { username: 'li', password: 'Temp0rary!' });
    expect(await li.fail('user:changePassword', { currentPassword: 'nope', newPassword: 'An0ther!pass' })).toMatchObject({
      code: 'invalid_input',
      message: '当前密码不正确。',
    });
    expect((await li.fail('user:changePassword', { currentPassword: 'Temp0rary!', newPassword: 'short' })).message).toContain('密码');
    await li.call('user:changePassword', { currentPassword: 'Temp0rary!', newPassword: PASSWORD });
    await loginAs(t.backend, 'li', 'l3');
    await li.call('auth:logout', {});

    expect(auditActions('user.')).toEqual(
      expect.arrayContaining([
        'user.update',
        'user.disable',
        'user.enable',
        'user.locked',
        'user.unlock',
        'user.reset_password',
        'user.change_password_failed',
        'user.change_password',
        'user.logout',
      ]),
    );
    const logout = t.backend.db.prepare("SELECT actor_id FROM audit_log WHERE action = 'user.logout'").get() as { actor_id: string };
    expect(logout.actor_id).toBe(people.get('li'));
    const hashLeak = t.backend.db
      .prepare("SELECT count(*) AS n FROM audit_log WHERE after_json LIKE '%scrypt%' OR before_json LIKE '%scrypt%'")
      .get() as { n: number };
    expect(hashLeak.n).toBe(0);
  });
});

describe('panel and 回避', () => {
  it('derives conflicts from current and former units, plus declared ones', async () => {
    const reviewers = ['zhao', 'qian', 'sun', 'li', 'zhou', 'wu', 'zheng'].map((u) => people.get(u)!);
    const panel = await admin.call('panel:setMembers', { campaignId, userIds: reviewers });
    const member = (u: string) => panel.members.find((m) => m.username === u)!;
    expect(member('qian').conflicts.map((c) => [c.unitName, c.reasons[0]!.kind])).toEqual([['某某县公安局', 'current']]);
    expect(member('sun').conflicts.map((c) => [c.unitName, c.reasons[0]!.text])).toEqual([
      ['某某县市场监督管理局', '曾任职单位：某某县市场监督管理局'],
    ]);
    expect(member('zhou').conflicts.map((c) => c.unitName)).toEqual(['某某县交通运输局']);
    expect(member('li').conflicts).toEqual([]);
    expect(member('zheng').reviews).toBe(false);

    const eco = panel.units.find((u) => u.name === '某某县生态环境局')!;
    const declared = await admin.call('panel:declareConflict', {
      campaignId,
      userId: people.get('wu')!,
      unitId: eco.id,
      reason: '配偶在该局任职',
    });
    expect(declared.members.find((m) => m.username === 'wu')!.conflicts).toEqual([
      { unitId: eco.id, unitName: '某某县生态环境局', reasons: [{ kind: 'declared', text: '指定回避：配偶在该局任职' }] },
    ]);
    const lead = await loginAs(t.backend, 'zhao');
    expect((await lead.fail('panel:declareConflict', { campaignId, userId: people.get('wu')!, unitId: eco.id, reason: 'x' })).code).toBe(
      'forbidden',
    );
  });
});

let drawnIds: string[] = [];

describe('random draw', () => {
  it('draws N per unit per case type with a witness seed, recorded and verifiable', async () => {
    expect((await admin.fail('draw:run', { campaignId, perGroup: 0 })).message).toContain('至少抽取 1 件');
    const draw = await admin.call('draw:run', { campaignId, perGroup: 2, seed: '２０２５０３０５', witness: '县检察院 陈某' });
    expect(draw).toMatchObject({ seq: 1, seed: '20250305', seedSource: 'witness', poolSize: 16, unitCount: 4, drawnCount: 9 });
    expect(draw.groups.map((g) => [g.unitName, g.caseType, g.poolSize, g.drawn.length])).toEqual([
      ['某某县交通运输局', 'license', 3, 2],
      ['某某县公安局', 'penalty_general', 3, 2],
      ['某某县公安局', 'license', 5, 2],
      ['某某县市场监督管理局', 'license', 4, 2],
      ['某某县生态环境局', 'license', 1, 1],
    ]);
    drawnIds = draw.groups.flatMap((g) => g.drawn.map((f) => f.caseId));

    // Re-running the documented algorithm on the stored pool gives exactly these files.
    const row = t.backend.db.prepare('SELECT pool_json FROM draws WHERE id = ?').get(draw.id) as { pool_json: string };
    const again = drawFromPool(JSON.parse(row.pool_json) as PoolEntry[], { seed: '20250305', perGroup: 2 });
    expect(again.groups.flatMap((g) => g.drawn)).toEqual(drawnIds);
    expect(await admin.call('draw:verify', { campaignId })).toMatchObject({ matches: true, poolUnchanged: true, recomputedCount: 9 });

    const overview = await admin.call('assignment:list', { campaignId });
    expect(
      overview.cases
        .filter((c) => c.drawn)
        .map((c) => c.caseId)
        .sort(),
    ).toEqual([...drawnIds].sort());
    expect(overview.cases).toHaveLength(16);
  });

  it('a second draw needs a reason and keeps the first as superseded; a generated seed is shown', async () => {
    expect((await admin.fail('draw:run', { campaignId, perGroup: 3 })).message).toContain('须填写理由');
    const second = await admin.call('draw:run', {
      campaignId,
      perGroup: 3,
      caseTypes: ['license'],
      reason: '方案调整为每类 3 件，仅抽许可类',
    });
    expect(second.seq).toBe(2);
    expect(second.seed).toMatch(/^\d{4}-\d{4}-\d{4}$/);
    expect(second.seedSource).toBe('generated');
    expect(second.poolSize).toBe(13);
    const state = await admin.call('draw:get', { campaignId });
    expect(state.history.map((h) => [h.seq, h.supersededReason])).toEqual([
      [2, null],
      [1, '方案调整为每类 3 件，仅抽许可类'],
    ]);
    // Back to the witnessed draw for the rest of the tests.
    const third = await admin.call('draw:run', {
      campaignId,
      perGroup: 2,
      seed: '20250305',
      witness: '县检察院 陈某',
      reason: '恢复见证人在场时的抽取方案',
    });
    expect(third.groups.flatMap((g) => g.drawn.map((f) => f.caseId))).toEqual(drawnIds);
    expect(auditActions('draw.')).toEqual(['draw.run', 'draw.run', 'draw.run']);
  });

  it('prints a 抽取记录 that LibreOffice opens, listing pool size, seed and the drawn files', async () => {
    const out = await admin.call('draw:exportRecord', { campaignId });
    expect(out.fileName).toBe('抽取记录-2025年度行政执法案卷集中评查-第3次.docx');
    const response = await t.backend.handleBytes(new Request(`http://127.0.0.1${out.url}`));
    const dir = outputDir('panel');
    const docx = path.join(dir, 'draw-record.docx');
    fs.writeFileSync(docx, Buffer.from(await response!.arrayBuffer()));
    const facts = pdfFacts(convertWithLibreOffice(docx, dir));
    const text = facts.text.replace(/\s+/g, '');
    expect(Math.round(facts.widthPt)).toBe(595);
    expect(text).toContain('案卷随机抽取记录');
    expect(text).toContain('20250305');
    expect(text).toContain('16件，涉及4个被评查单位；抽中9件');
    expect(text).toContain('县检察院陈某');
    expect(text).toContain('SM3');
    expect(text).toContain('案件类型行政处罚（一般程序）、行政许可');
    const state = await admin.call('draw:get', { campaignId });
    for (const g of state.current!.groups) for (const f of g.drawn) expect(text).toContain(f.caseNumber);
    // The whole pool is on paper, each file marked, its 案号 on one line: enough to recompute the draw.
    const lines = facts.text.split('\n').map((l) => l.replace(/\s+/g, ''));
    const lineOf = (n: string) => lines.find((l) => l.includes(n)) ?? '';
    const notDrawn = [...cases.keys()].filter((n) => !drawnIds.includes(cases.get(n)!));
    expect(notDrawn).toHaveLength(7);
    for (const n of notDrawn) expect(lineOf(n)).toContain('未抽中');
    for (const n of [...cases.keys()].filter((k) => drawnIds.includes(cases.get(k)!)))
      expect(lines.some((l) => l.includes(n) && /抽中（\d）/.test(l))).toBe(true);
    // The signature block is never split across pages.
    const pages = facts.text.split('\f');
    const signed = pages.find((p) => p.includes('抽取人（签名）'))!;
    expect(signed).toContain('监督人（签名）');
    expect(signed).toContain('年');
  });

  it('can leave out files already reviewed in an earlier campaign', async () => {
    const later = (await admin.call('campaign:create', { name: '2026年度案卷评查', year: 2026, issuingBody: '某某县司法局' })).id;
    const spec = COUNTY_POOL[2]!; // 市场监管 licences: the same case numbers again
    const ids = await importPool(t.backend, admin, later, [spec]);
    const reviewedBefore = [...ids.keys()].filter((n) => drawnIds.includes(cases.get(n)!));
    expect(reviewedBefore).toHaveLength(2);
    const draw = await admin.call('draw:run', { campaignId: later, perGroup: 4, excludeReviewed: true });
    expect(draw.excluded.map((e) => [e.caseNumber, e.reason]).sort()).toEqual(
      reviewedBefore.map((n) => [n, '已在“2025年度行政执法案卷集中评查”中评查']).sort(),
    );
    expect(draw.poolSize).toBe(2);
    expect(draw.groups[0]!.drawn.map((f) => f.caseNumber).sort()).toEqual(
      [...ids.keys()].filter((n) => !reviewedBefore.includes(n)).sort(),
    );
  });
});

describe('a draw per unit', () => {
  it('takes N files per unit whatever their type, shows and prints the witness and the method in Chinese', async () => {
    const perUnit = (await admin.call('campaign:create', { name: '2025年度按单位抽查', year: 2025, issuingBody: '某某县司法局' })).id;
    await importPool(t.backend, admin, perUnit);
    const draw = await admin.call('draw:run', {
      campaignId: perUnit,
      perGroup: 3,
      grouping: 'unit',
      seed: '20250307',
      witness: '县人大 王某',
    });
    expect(draw).toMatchObject({ grouping: 'unit', witness: '县人大 王某', poolSize: 16, drawnCount: 10 });
    expect(draw.groups.map((g) => [g.unitName, g.caseType, g.poolSize, g.drawn.length])).toEqual([
      ['某某县交通运输局', null, 3, 3],
      ['某某县公安局', null, 8, 3],
      ['某某县市场监督管理局', null, 4, 3],
      ['某某县生态环境局', null, 1, 1],
    ]);
    expect(await admin.call('draw:verify', { campaignId: perUnit })).toMatchObject({ matches: true, recomputedCount: 10 });

    const out = await admin.call('draw:exportRecord', { campaignId: perUnit });
    const response = await t.backend.handleBytes(new Request(`http://127.0.0.1${out.url}`));
    const dir = outputDir('panel');
    const docx = path.join(dir, 'draw-record-per-unit.docx');
    fs.writeFileSync(docx, Buffer.from(await response!.arrayBuffer()));
    const text = pdfFacts(convertWithLibreOffice(docx, dir)).text.replace(/\s+/g, '');
    expect(text).toContain('每个被评查单位随机抽取3件，不足3件的全部抽取');
    expect(text).toContain('见证人县人大王某');
    expect(text).toContain('以种子经SM3杂凑确定的随机排列（可复现）');
    expect(text).toContain('每个单位的全部案卷为一组（不分案件类型）');
    expect(text).not.toContain('pingcha-draw');
    expect(text).not.toContain('Fisher–Yates)');
  });
});

describe('files registered without a PDF', () => {
  it('are never drawn: shown before the draw, excluded as 无案卷文件 with a count, and named on the 抽取记录', async () => {
    const only = (await admin.call('campaign:create', { name: '2025年度专项抽查', year: 2025, issuingBody: '某某县司法局' })).id;
    const withPdf = await importPool(t.backend, admin, only, [
      { unitName: '某某县公安局', caseType: 'license', count: 2, prefix: '某公许' },
    ]);
    // The case list names a third licence of the same unit whose PDF never came: registered without a file.
    const listId = await stage(
      t.backend,
      admin,
      '案件清单.csv',
      new TextEncoder().encode('案号,案件名称,案件类型,被评查单位\n某公许〔2025〕9号,未报送案卷,行政许可,某某县公安局\n'),
    );
    const layout = await admin.call('import:readList', { sourceId: listId });
    const list = { sourceId: listId, sheetName: layout.sheetName, headerRow: layout.headerRow, mapping: layout.mapping };
    const { jobId, batchId } = await admin.call('import:start', { campaignId: only, sourceIds: [], list, registerRowsWithoutFiles: true });
    await t.backend.services.jobs.wait(jobId);
    expect((await admin.call('import:result', { batchId })).counts).toMatchObject({ casesCreated: 1 });
    const missing = (await admin.call('case:list', { campaignId: only })).find((c) => c.caseNumber === '某公许〔2025〕9号')!;
    expect((await admin.call('case:get', { caseId: missing.id })).documents).toEqual([]);

    expect((await admin.call('draw:get', { campaignId: only })).withoutDocument).toEqual([
      { caseId: missing.id, caseNumber: '某公许〔2025〕9号', unitName: '某某县公安局', caseType: 'license' },
    ]);
    // Three per group would take every file of the group, the one without a PDF included.
    const draw = await admin.call('draw:run', { campaignId: only, perGroup: 3, seed: '20250306' });
    expect(draw).toMatchObject({ poolSize: 2, drawnCount: 2 });
    expect(draw.groups.flatMap((g) => g.drawn.map((f) => f.caseId)).sort()).toEqual([...withPdf.values()].sort());
    expect(draw.excluded).toEqual([
      { caseId: missing.id, caseNumber: '某公许〔2025〕9号', unitName: '某某县公安局', kind: 'noDocument', reason: '无案卷文件' },
    ]);
    expect((await admin.call('assignment:list', { campaignId: only })).cases.find((c) => c.caseId === missing.id)!.drawn).toBe(false);

    const out = await admin.call('draw:exportRecord', { campaignId: only });
    const response = await t.backend.handleBytes(new Request(`http://127.0.0.1${out.url}`));
    const dir = outputDir('panel');
    const docx = path.join(dir, 'draw-record-without-document.docx');
    fs.writeFileSync(docx, Buffer.from(await response!.arrayBuffer()));
    const text = pdfFacts(convertWithLibreOffice(docx, dir)).text.replace(/\s+/g, '');
    expect(text).toContain('2件，涉及1个被评查单位；抽中2件');
    expect(text).toContain('已登记但未导入案卷文件的1件不参加抽取');
    expect(text).toContain('二、案卷池及抽取结果');
    expect(text).toContain('某公许〔2025〕9号—不参加抽取：无案卷文件');

    // Nor can it come before the panel: nothing to project or decide on.
    const agenda = await admin.call('meeting:get', { campaignId: only });
    expect(await admin.fail('meeting:setAgenda', { campaignId: only, caseIds: [missing.id], revision: agenda.revision })).toMatchObject({
      code: 'conflict',
      message: '该案卷没有案卷文件（仅登记），不能列入议程。',
    });
  });
});

let proposalDigest = '';

describe('reviewer assignment', () => {
  it('previews a balanced, conflict-free assignment with a legal professional on every file', async () => {
    const p = await admin.call('assignment:preview', { campaignId, perFile: 2, requireLegal: true, seed: '分配-1' });
    expect(p.scope).toBe('drawn');
    expect(p.files).toHaveLength(9);
    const panel = await admin.call('panel:get', { campaignId });
    const conflicts = new Map(panel.members.map((m) => [m.userId, new Set(m.conflicts.map((c) => c.unitName))]));
    for (const f of p.files) {
      expect(f.reviewers).toHaveLength(2);
      expect(f.reviewers.some((r) => r.legal)).toBe(true);
      for (const r of f.reviewers) expect(conflicts.get(r.id)!.has(f.unitName)).toBe(false);
    }
    const counts = p.loads.map((l) => l.count);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    expect(p.balanced).toBe(true);
    expect(p.loads.map((l) => l.name).sort()).toEqual(['吴干事', '周法制', '孙科长', '李律师', '赵组长', '钱警官']);
    expect(p.avoided.map((a) => `${a.reviewerName}/${a.unitName}/${a.files}`).sort()).toEqual([
      '吴干事/某某县生态环境局/1',
      '周法制/某某县交通运输局/2',
      '孙科长/某某县市场监督管理局/2',
      '钱警官/某某县公安局/4',
    ]);
    expect(await admin.call('assignment:preview', { campaignId, perFile: 2, requireLegal: true, seed: '分配-1' })).toEqual(p);
    proposalDigest = p.digest;
  });

  it('refuses an impossible request with the files named', async () => {
    const e = await admin.fail('assignment:preview', { campaignId, perFile: 6, seed: 's' });
    expect(e.code).toBe('conflict');
    expect(e.message).toMatch(
      /^无法完成分配（不能满足“每卷 6 人”）：“某交许〔2025〕\d号”（某某县交通运输局）无须回避的评查人员只有 5 人，少于每卷 6 人；/,
    );
    expect(e.message).toContain('“某公罚〔2025〕1号”（某某县公安局）无须回避的评查人员只有 5 人');
    expect(e.message).toMatch(/（另有 4 项）。可改为每卷 5 人后重新预览。$/);
    expect(e.details).toMatchObject({ unmet: ['每卷 6 人'], relax: { perFile: 5, requireLegal: false } });
    expect((e.details as { problems: string[] }).problems).toHaveLength(9);
  });

  it('applies exactly the preview in one transaction, and refuses a stale one', async () => {
    const wrong = await admin.fail('assignment:apply', {
      campaignId,
      perFile: 2,
      requireLegal: true,
      seed: '分配-1',
      digest: 'f'.repeat(64),
    });
    expect(wrong.code).toBe('conflict');
    expect(t.backend.db.prepare('SELECT count(*) AS n FROM assignments').get()).toEqual({ n: 0 });
    const lead = await loginAs(t.backend, 'zhao');
    const out = await lead.call('assignment:apply', { campaignId, perFile: 2, requireLegal: true, seed: '分配-1', digest: proposalDigest });
    expect(out.applied).toBe(18);
    const overview = await admin.call('assignment:list', { campaignId });
    expect(overview.lastRun).toMatchObject({ seed: '分配-1', perFile: 2, requireLegal: true, appliedBy: '赵组长' });
    expect(overview.cases.filter((c) => c.reviewers.length === 2).every((c) => c.drawn)).toBe(true);
    expect(auditActions('assignment.')).toEqual(['assignment.apply']);
    // The drawn set is in use now: no new draw.
    expect((await admin.fail('draw:run', { campaignId, perGroup: 2, reason: '再抽一次' })).message).toContain('不能重新抽取');
  });

  it('checks manual changes against 回避 too', async () => {
    const policeFile = drawnIds.find((id) => [...cases].some(([n, cid]) => cid === id && n.startsWith('某公许')))!;
    const e = await admin.fail('assignment:add', { caseId: policeFile, reviewerId: people.get('qian')! });
    expect(e).toMatchObject({ code: 'conflict', message: '不能分配：钱警官须回避该案卷的被评查单位（现所在单位：某某县公安局）。' });
    const overview = await admin.call('assignment:list', { campaignId });
    const entry = overview.cases.find((c) => c.caseId === policeFile)!;
    const free = ['li', 'wu', 'zhao', 'sun', 'zhou'].map((u) => people.get(u)!).find((id) => !entry.reviewers.some((r) => r.id === id))!;
    await admin.call('assignment:add', { caseId: policeFile, reviewerId: free });
    await admin.call('assignment:remove', { caseId: policeFile, reviewerId: free });
    expect(auditActions('assignment.')).toEqual(['assignment.apply', 'assignment.add', 'assignment.remove']);
    const nonMember = await admin.call('user:create', { username: 'feng', displayName: '冯临时', role: 'reviewer', password: PASSWORD });
    expect((await admin.fail('assignment:add', { caseId: policeFile, reviewerId: nonMember.id })).message).toContain('加入本活动的评查组');
  });
});

describe('who sees which file', () => {
  it('a reviewer sees only the files assigned to them, everywhere', async () => {
    const li = await loginAs(t.backend, 'li', 'li-window');
    const overview = await admin.call('assignment:list', { campaignId });
    const mine = overview.cases.filter((c) => c.reviewers.some((r) => r.id === people.get('li'))).map((c) => c.caseId);
    expect(mine.length).toBeGreaterThanOrEqual(3);
    const list = await li.call('case:list', { campaignId });
    expect(list.map((c) => c.id).sort()).toEqual([...mine].sort());

    const other = [...cases.values()].find((id) => !mine.includes(id))!;
    const otherDetail = await admin.call('case:get', { caseId: other });
    const otherDoc = otherDetail.documents[0]!.id;
    for (const [channel, input] of [
      ['case:get', { caseId: other }],
      ['document:open', { documentId: otherDoc }],
      ['annotation:list', { documentId: otherDoc }],
      ['annotation:save', { documentId: otherDoc, upserts: [], deletes: [] }],
      ['sheet:open', { caseId: other }],
      ['export:caseSheet', { caseId: other }],
    ] as const) {
      expect(await li.fail(channel, input)).toMatchObject({ code: 'forbidden', message: '该案卷未分配给您，无权查看。' });
    }
    const own = await li.call('case:get', { caseId: mine[0]! });
    expect((await li.call('document:open', { documentId: own.documents[0]!.id })).url).toMatch(/^\/doc\//);

    const observer = await loginAs(t.backend, 'zheng');
    expect(await observer.call('case:list', { campaignId })).toHaveLength(16);
    expect((await observer.fail('sheet:open', { caseId: mine[0]! })).code).toBe('forbidden');
  });
});

describe('meeting-room mode', () => {
  it('two screens cannot advance the agenda twice; followers hear meeting:changed', async () => {
    const lead = await loginAs(t.backend, 'zhao', 'projector-control');
    const second = await loginAs(t.backend, 'zhao', 'second-screen');
    const agenda = drawnIds.slice(0, 4);
    const s0 = await lead.call('meeting:get', { campaignId });
    expect(s0).toMatchObject({ revision: 0, items: [] });
    const s1 = await lead.call('meeting:setAgenda', { campaignId, caseIds: agenda, revision: 0 });
    expect(s1).toMatchObject({ revision: 1, position: 0 });
    const before = heard.length;
    const moved = await lead.call('meeting:move', { campaignId, step: 'next', revision: 1 });
    expect(moved).toMatchObject({ revision: 2, position: 1 });
    const stale = await second.fail('meeting:move', { campaignId, step: 'next', revision: 1 });
    expect(stale).toMatchObject({ code: 'conflict', message: expect.stringContaining('现为第 2 项') });
    expect((await second.call('meeting:get', { campaignId })).position).toBe(1);
    expect(
      heard
        .slice(before)
        .filter((h) => h.event === 'meeting:changed')
        .map((h) => h.payload),
    ).toEqual([{ campaignId, revision: 2 }]);
    const back = await second.call('meeting:move', { campaignId, step: 'previous', revision: 2 });
    expect(back.position).toBe(0);
    expect(await second.fail('meeting:move', { campaignId, step: 'previous', revision: back.revision })).toMatchObject({
      code: 'invalid_input',
      message: '已经是议程的第一项。',
    });
    expect(auditActions('meeting.')).toEqual(['meeting.agenda', 'meeting.move', 'meeting.move']);
  });

  it('the projection: key facts, scores side by side, the evidence page; details withheld from conflicted members', async () => {
    const overview = await admin.call('assignment:list', { campaignId });
    const policeLicence = [...cases].filter(([n]) => n.startsWith('某公许')).map(([, id]) => id);
    const file = overview.cases.find((c) => policeLicence.includes(c.caseId) && c.reviewers.length === 2)!;
    const [a, b] = file.reviewers;
    const usernameOf = (id: string) => [...people].find(([, v]) => v === id)![0];
    const wa = await loginAs(t.backend, usernameOf(a!.id), 'wa');
    const wb = await loginAs(t.backend, usernameOf(b!.id), 'wb');
    const sa = await wa.call('sheet:start', { caseId: file.caseId });
    const doc = (await wa.call('case:get', { caseId: file.caseId })).documents[0]!;
    await wa.call('annotation:save', {
      documentId: doc.id,
      upserts: [{ id: crypto.randomUUID(), type: 'area', color: '#ff6b6b', pageIndex: 1, position: { rects: [[72, 700, 320, 760]] } }],
      deletes: [],
    });
    const mark = (await wa.call('annotation:list', { documentId: doc.id }))[0]!;
    await wa.call('sheet:answer', {
      sheetId: sa.sheet.id,
      itemId: 'xk-2',
      answer: { status: 'deduct', comment: '未一次性告知补正内容', evidence: [mark.id] },
      revision: sa.sheet.revision,
    });
    // The second reviewer has begun (one item 符合): a sheet without any answer would not be shown at all.
    const sb = await wb.call('sheet:start', { caseId: file.caseId });
    await wb.call('sheet:answer', { sheetId: sb.sheet.id, itemId: 'xk-1', answer: { status: 'pass' }, revision: sb.sheet.revision });

    const lead = await loginAs(t.backend, 'zhao', 'projector');
    let state = await lead.call('meeting:get', { campaignId });
    state = await lead.call('meeting:setAgenda', {
      campaignId,
      caseIds: [file.caseId, ...state.items.map((i) => i.caseId).filter((id) => id !== file.caseId)],
      revision: state.revision,
    });
    // The file on screen stays on screen when the agenda is edited; go to the new first item.
    expect(state.items[state.position]!.caseId).toBe(drawnIds[0]);
    state = await lead.call('meeting:move', { campaignId, step: 'goto', index: 0, revision: state.revision });
    expect(state.items[state.position]!.caseId).toBe(file.caseId);

    const shown = await lead.call('meeting:view', { campaignId });
    expect(shown.item).toMatchObject({ caseId: file.caseId, unitName: '某某县公安局', hidden: null });
    expect(shown.item!.conflicted).toEqual([{ userId: people.get('qian'), name: '钱警官', reasons: ['现所在单位：某某县公安局'] }]);
    expect(shown.item!.scores!.sheets.map((x) => [x.reviewerName, x.total]).sort()).toEqual(
      [
        [a!.name, 90],
        [b!.name, 100],
      ].sort(),
    );
    expect(shown.item!.page).toMatchObject({
      documentId: doc.id,
      pageNumber: 2,
      marks: [{ rects: [[72, 700, 320, 760]], color: '#ff6b6b', label: expect.stringContaining('未一次性告知补正内容') }],
    });
    expect(shown.item!.evidence).toEqual([
      {
        documentId: doc.id,
        documentTitle: doc.title,
        pageNumber: 2,
        place: `${shown.item!.caseNumber} 第2页`,
        label: expect.stringMatching(/^2 .*：未一次性告知补正内容$/),
      },
    ]);

    // Blind review: a reviewer (not the lead) following on a laptop sees their own draft, not the colleague's.
    const [blind, blindWindow] = a!.id === people.get('zhao') ? [b!, wb] : [a!, wa];
    const fromBlind = await blindWindow.call('meeting:view', { campaignId });
    expect(fromBlind.item!.scores!.sheets.map((x) => x.reviewerName)).toEqual([blind.name]);
    expect(fromBlind.item!.scores!.result).toBeNull();

    const qian = await loginAs(t.backend, 'qian', 'qian-laptop');
    const hidden = await qian.call('meeting:view', { campaignId });
    expect(hidden.item).toMatchObject({
      caseNumber: expect.stringMatching(/^某公许/),
      hidden: '按回避规定，本卷详情不向您显示（现所在单位：某某县公安局）。',
      facts: null,
      scores: null,
      page: null,
      evidence: [],
      vetoes: [],
    });

    state = await lead.call('meeting:focus', { campaignId, documentId: doc.id, page: 3, revision: state.revision });
    expect((await lead.call('meeting:view', { campaignId })).item!.page).toMatchObject({ pageNumber: 3, marks: [] });
    expect((await lead.fail('meeting:focus', { campaignId, documentId: doc.id, page: 9, revision: state.revision })).message).toBe(
      '该文件只有 3 页。',
    );
    state = await lead.call('meeting:options', { campaignId, veiled: true, revision: state.revision });
    expect((await lead.call('meeting:view', { campaignId })).item).toMatchObject({
      hidden: '组长已隐藏本卷详情（回避人员在场）。',
      facts: null,
    });
    state = await lead.call('meeting:options', { campaignId, veiled: false, hideFromConflicted: false, revision: state.revision });
    expect((await qian.call('meeting:view', { campaignId })).item!.hidden).toBeNull();

    const outsider = await loginAs(t.backend, 'feng');
    expect((await outsider.fail('meeting:view', { campaignId })).code).toBe('forbidden');
    expect((await qian.fail('meeting:move', { campaignId, step: 'next', revision: state.revision })).code).toBe('forbidden');
  });
});
