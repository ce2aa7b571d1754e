/**
 * The 留痕 read as sentences: real work (import, marks, scoring with 其余不扣分, submission, a unit
 * edit, a new account, settling) listed through `audit:list` and exported to XLSX says who did what to
 * which file by name — no UUIDs, no English keys — and every row about a campaign carries it.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRow } from '../../shared/audit/channels.js';
import { describeAudit } from '../../shared/audit/describe.js';
import { client, openTestBackend, setupAdmin, type TestBackend } from '../support/backend.js';
import { createPeople } from '../support/panel-fixtures.js';
import { deliverSheets, scoredCampaign } from '../support/scored-campaign.js';

let t: TestBackend;
let admin: ReturnType<typeof client>;
let campaignId: string;
let rows: AuditRow[];

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
/** Latin words a Chinese reader meets anyway: file kinds and digest names. */
const ALLOWED_LATIN = new Set([
  'XLSX',
  'PDF',
  'DOCX',
  'SM3',
  'SHA',
  'JSON',
  'MB',
  'KB',
  'ZIP',
  'PNG',
  'pdf',
  'docx',
  'xlsx',
  'json',
  'zip',
]);
/** Digests are shown as their first hex digits (「9e850c098a96…」): numbers, not words. */
const latinWords = (s: string): string[] =>
  (s.replace(/[0-9a-f]{12}…/g, '').match(/[A-Za-z_]{2,}/g) ?? []).filter((w) => !ALLOWED_LATIN.has(w));

beforeAll(async () => {
  t = openTestBackend();
  admin = await setupAdmin(t.backend);
  let cases: Map<string, string>;
  ({ campaignId, cases } = await scoredCampaign(t.backend, admin));
  await deliverSheets(admin, cases);
  const units = await admin.call('unit:list', { campaignId });
  const unit = units.find((u) => u.name === '某某县交通运输局')!;
  await admin.call('unit:save', {
    campaignId,
    unitId: unit.id,
    name: unit.name,
    shortName: '县交通局',
    field: unit.field,
    regionCode: unit.regionCode,
  });
  await admin.call('user:create', {
    username: 'li',
    displayName: '李评查',
    role: 'reviewer',
    affiliation: '某县公安局',
    password: 'Review3r!',
  });
  // The organiser's day: a panel, a witnessed draw and its record, and a
  // reviewer mistyping a password in a browser.
  const panel = await createPeople(admin, [
    { username: 'zhang', displayName: '张评查', role: 'reviewer', affiliation: '某某县公安局' },
    { username: 'chen', displayName: '陈评查', role: 'reviewer', affiliation: '某某县财政局', legalProfessional: true },
    { username: 'lz', displayName: '李组长', role: 'lead', affiliation: '某某县司法局', legalProfessional: true },
  ]);
  // (The panel keeps the 评查组长 who scored the files.)
  const scorers = (await admin.call('panel:get', { campaignId })).members.map((m) => m.userId);
  await admin.call('panel:setMembers', { campaignId, userIds: [...scorers, ...panel.values()] });
  await admin.call('draw:run', { campaignId, perGroup: 1, seed: '2025-1207-88', witness: '赵见证' });
  await admin.call('draw:exportRecord', { campaignId });
  // (A random assignment cannot be applied here: the organiser has begun every file's sheet; the
  // assignment entry's wording is checked in tests/unit/audit/describe.test.ts.)
  await client(t.backend, 'web:U_BUtXZwbNVZsqdESxLF-Q').fail('auth:login', { username: 'zhang', password: 'wrong-password' });
  rows = [];
  let before: { at: string; id: number } | undefined;
  do {
    const page = await admin.call('audit:list', { limit: 200, ...(before ? { before } : {}) });
    rows.push(...page.rows);
    before = page.nextBefore ?? undefined;
  } while (before);
}, 180_000);
afterAll(() => t.close());

describe('留痕 in sentences', () => {
  it('names the person, the file by its 案号 and the score when a sheet is submitted', () => {
    const submit = rows.find((r) => r.action === 'sheet.submit')!;
    expect(submit.sentence).toMatch(/^王组长 提交了某\S+许〔2025〕\d+号的评查表，得分 \d+(\.\d+)?（.+）$/);
    // The item by its 编号 and text, the answer in words (a deduction, whichever row it was).
    const answer = rows.find((r) => r.action === 'sheet.answer' && r.sentence.includes('：扣'))!;
    expect(answer.sentence).toMatch(/^王组长 评定了.+号的评查表的第 .+ 项“.+”：扣(分| [\d.]+ 分)/);
    const unit = rows.find((r) => r.action === 'unit.update')!;
    expect(unit.sentence).toBe('王组长 修改了被评查单位“某某县交通运输局”');
    expect(unit.details).toContain('简称：无 → 县交通局');
    expect(rows.filter((r) => r.action === 'user.create').map((r) => r.sentence)).toContain('王组长 新建了账号：李评查');
  });

  it('shows no id and no English key anywhere a person reads', () => {
    expect(rows.length).toBeGreaterThan(30);
    for (const r of rows) {
      const text = [r.sentence, ...r.details].join('\n');
      expect(text, `${r.action}: ${text}`).not.toMatch(UUID);
      expect(latinWords(r.sentence), `${r.action}: ${r.sentence}`).toEqual([]);
      // Labels and values alike: no key, code, enum value or batch id in Latin letters.
      // (A 用户名 is what the person types to sign in, Latin letters and all.)
      for (const d of r.details) expect(latinWords(/^(评查员)?用户名：/.test(d) ? d.split('：')[0]! : d), `${r.action}: ${d}`).toEqual([]);
      expect(text, `${r.action}: ${text}`).not.toMatch(/编号 [0-9a-f]{8}|^原无$/m);
    }
  });

  it('tells the draw and a failed sign-in in full and in words', () => {
    const draw = rows.find((r) => r.action === 'draw.run')!;
    expect(draw.details[0]).toBe('随机种子：2025-1207-88（见证人提供，见证人 赵见证）');
    expect(draw.details).toContain('抽取规则：每个被评查单位每类案件随机抽取 1 件，不足 1 件的全部抽取');
    expect(draw.details.find((d) => d.startsWith('抽中：'))).toMatch(/^抽中：\d+ 件：[^、]+〔2025〕\d+号(、[^、]+〔2025〕\d+号)*$/);
    const failed = rows.find((r) => r.action === 'user.login_failed')!;
    expect(failed.sentence).toBe('张评查登录时密码错误');
    expect(failed.details).toEqual(['来源：浏览器会话', '类别：登录']);
    const exported = rows.find((r) => r.action === 'export.create')!;
    expect(exported.details[0]).toBe('类别：抽取记录');
  });

  it('files every row about the campaign under it, 其余不扣分 included', () => {
    const about = rows.filter((r) => ['sheet', 'case', 'document', 'annotation', 'unit', 'import_batch'].includes(r.entity));
    expect(about.some((r) => r.action === 'sheet.pass_remaining')).toBe(true);
    for (const r of about) expect(r.campaignId, `${r.action} without a campaign`).toBe(campaignId);
    const stored = t.backend.db.prepare("SELECT campaign_id FROM audit_log WHERE action = 'sheet.pass_remaining'").pluck().all();
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.every((c) => c === campaignId)).toBe(true);
  });

  it('exports the same words to XLSX', async () => {
    const out = await admin.call('audit:export', {});
    const response = await t.backend.handleBytes(new Request(`http://127.0.0.1${out.url}`));
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await response!.arrayBuffer());
    const sheet = book.getWorksheet('留痕')!;
    expect(sheet.getRow(1).getCell(5).value).toBe('经过');
    const byId = new Map(rows.map((r) => [r.id, r]));
    let checked = 0;
    sheet.eachRow((row, n) => {
      if (n === 1) return;
      const r = byId.get(Number(row.getCell(1).value));
      if (!r) return;
      expect(row.getCell(5).value).toBe(r.sentence);
      expect(String(row.getCell(6).value ?? '')).toBe(r.details.join('\n'));
      checked++;
    });
    expect(checked).toBe(rows.length);
  });
});

describe('a row this version does not know', () => {
  it('is still readable: the action as recorded, known keys in Chinese, unknown keys as written', () => {
    const said = describeAudit(
      {
        action: 'future.thing',
        entity: 'widget',
        entityId: 'W-7',
        actorId: null,
        actorName: null,
        before: null,
        after: JSON.stringify({ caseNumber: '某〔2025〕1号', colourDepth: 3 }),
      },
      {},
    );
    expect(said.sentence).toBe('系统 future.thing：widget“W-7”');
    expect(said.details).toEqual(['案号：某〔2025〕1号', 'colourDepth：3']);
  });
});
