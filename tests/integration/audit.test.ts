/**
 * The 留痕: a hash chain over real actions, refused edits, a tamperer with direct SQLite access found
 * at the right row by the screen's check and by `npm run verify -- --audit`, the list and its export,
 * and the sweep of stored files no row refers to.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAuditChain } from '../../electron/services/core/audit.js';
import { localDateTime } from '../../shared/audit/labels.js';
import { client, openTestBackend, panelScorer, setupAdmin, stage, type TestBackend } from '../support/backend.js';
import { dossierPdf } from '../support/pdf-fixtures.js';
import { scoredCampaign } from '../support/scored-campaign.js';

let t: TestBackend;
let admin: ReturnType<typeof client>;
let campaignId: string;
let cases: Map<string, string>;

beforeAll(async () => {
  t = openTestBackend();
  admin = await setupAdmin(t.backend);
  ({ campaignId, cases } = await scoredCampaign(t.backend, admin));
  await admin.call('user:create', {
    username: 'li',
    displayName: '李评查',
    role: 'reviewer',
    affiliation: '某县公安局',
    password: 'Review3r!',
  });
}, 120_000);
afterAll(() => t.close());

const db = () => t.backend.db;
const verifyCli = (dir: string): { code: number; out: string } => {
  try {
    return {
      code: 0,
      out: execFileSync('npm', ['run', '--silent', 'verify', '--', '--audit', '--data-dir', dir], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    };
  } catch (err) {
    const e = err as { status: number; stdout: string; stderr: string };
    return { code: e.status, out: e.stdout + e.stderr };
  }
};

describe('the 留痕 chain', () => {
  it('chains every row of real work (import, marks, scoring, accounts) and verifies', async () => {
    const rows = db().prepare('SELECT id, segment, prev_hash, hash FROM audit_log ORDER BY id').all() as Array<{
      id: number;
      segment: string;
      prev_hash: string;
      hash: string;
    }>;
    expect(rows.length).toBeGreaterThan(10);
    expect(rows[0]!.prev_hash).toBe('0'.repeat(64));
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
    expect(new Set(rows.map((r) => r.hash)).size).toBe(rows.length);
    const check = await admin.call('audit:verify', {});
    expect(check).toMatchObject({ intact: true, rows: rows.length, segments: 1, protectedByTriggers: true, firstBreak: null });
  });

  it('refuses UPDATE and DELETE of a row', () => {
    expect(() => db().prepare("UPDATE audit_log SET action = 'x' WHERE id = 3").run()).toThrow('留痕记录只能追加，不能修改');
    expect(() => db().prepare('DELETE FROM audit_log WHERE id = 3').run()).toThrow('留痕记录只能追加，不能删除');
  });

  it('lists newest first a page at a time, filters, and shows Chinese names; only the organiser may read it', async () => {
    const total = (db().prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
    const seen: number[] = [];
    let before: { at: string; id: number } | undefined;
    do {
      const page = await admin.call('audit:list', { limit: 7, ...(before ? { before } : {}) });
      seen.push(...page.rows.map((r) => r.id));
      before = page.nextBefore ?? undefined;
    } while (before);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    const order = db().prepare('SELECT id FROM audit_log ORDER BY at DESC, id DESC').pluck().all();
    expect(seen).toEqual(order);

    const caseId = cases.values().next().value!;
    const byCase = await admin.call('audit:list', { entityId: caseId, limit: 200 });
    expect(byCase.rows.length).toBeGreaterThan(0);
    expect(byCase.rows.every((r) => r.entityId === caseId)).toBe(true);
    const answers = await admin.call('audit:list', { action: 'sheet.answer', campaignId, limit: 200 });
    const answerCount = (db().prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'sheet.answer'").get() as { n: number }).n;
    expect(answerCount).toBeGreaterThanOrEqual(3);
    expect(answers.rows.length).toBe(answerCount);
    expect(answers.rows.every((r) => r.action === 'sheet.answer' && r.campaignId === campaignId)).toBe(true);
    expect(answers.rows[0]).toMatchObject({ actorName: '王组长', campaignName: '2025年度行政执法案卷评查' });
    const today = new Date();
    const day = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
    expect((await admin.call('audit:list', { from: day, to: day, limit: 200 })).rows.length).toBe(Math.min(total, 200));
    expect((await admin.call('audit:list', { to: '2020-01-01', limit: 200 })).rows).toEqual([]);
    expect((await admin.fail('audit:list', { from: '2026-02-01', to: '2026-01-01' })).message).toContain('起始日期不能晚于截止日期');

    const li = client(t.backend, 'li');
    await li.call('auth:login', { username: 'li', password: 'Review3r!' });
    expect((await li.fail('audit:list', {})).code).toBe('forbidden');
    expect((await li.fail('audit:verify', {})).code).toBe('forbidden');
  });

  it('exports the filtered trail to XLSX with Chinese labels', async () => {
    const out = await admin.call('audit:export', { action: 'sheet.answer' });
    const response = await t.backend.handleBytes(new Request(`http://127.0.0.1${out.url}`));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await response!.arrayBuffer());
    const ws = wb.getWorksheet('留痕')!;
    expect(ws.getRow(1).values).toEqual([undefined, '序号', '时间', '操作人', '操作', '经过', '详情', '对象', '评查活动', '来源']);
    expect(ws.rowCount).toBe(
      1 + (db().prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'sheet.answer'").get() as { n: number }).n,
    );
    expect(ws.getRow(2).getCell(3).value).toBe('王组长');
    expect(ws.getRow(2).getCell(4).value).toBe('评分');
    expect(ws.getRow(2).getCell(5).value).toMatch(/^王组长 评定了.+的评查表的第 .+ 项/);
    expect(ws.getRow(2).getCell(7).value).toBe('评查表');
    expect(ws.getRow(2).getCell(9).value).toBe('本机');
  });

  it('finds a row a tamperer edited with direct SQLite access (triggers dropped and recreated), on the screen and on the command line', async () => {
    expect(verifyCli(t.dir)).toMatchObject({ code: 0, out: expect.stringContaining('✔ 留痕完整') });
    const target = db().prepare("SELECT id, at FROM audit_log WHERE action = 'sheet.answer' ORDER BY id LIMIT 1").get() as {
      id: number;
      at: string;
    };
    const trigger = (db().prepare("SELECT sql FROM sqlite_schema WHERE name = 'audit_log_no_update'").get() as { sql: string }).sql;
    db().exec('DROP TRIGGER audit_log_no_update');
    db().prepare(`UPDATE audit_log SET after_json = replace(after_json, '"deduct"', '"pass"') WHERE id = ?`).run(target.id);
    db().exec(trigger);

    const check = await admin.call('audit:verify', {});
    expect(check).toMatchObject({
      intact: false,
      protectedByTriggers: true,
      firstBreak: { id: target.id, at: target.at, kind: 'content_changed' },
    });
    expect(check.firstBreak!.message).toBe(
      `第 ${target.id} 条留痕（${localDateTime(target.at)}，本机留痕）的内容与其摘要不符：该记录在写入后被改动过。`,
    );
    const cli = verifyCli(t.dir);
    expect(cli.code).toBe(1);
    expect(cli.out).toContain(`✘ 留痕不完整：第 ${target.id} 条留痕`);
  }, 60_000);
});

describe('a removed row and imported segments', () => {
  it('a deleted row is found at the row after it; a package’s rows form their own segment', async () => {
    const w = openTestBackend();
    try {
      const a = await setupAdmin(w.backend);
      await a.call('campaign:create', { name: '2025年度评查', year: 2025, issuingBody: '某某县司法局' });
      await a.call('user:create', { username: 'zhao', displayName: '赵评查', role: 'reviewer', affiliation: '', password: 'Review3r!' });
      const d = w.backend.db;
      // Rows copied from another workstation: their own chain, interleaved with local rows.
      const { appendAuditRow } = await import('../../electron/services/core/audit.js');
      const copy = (n: number) =>
        appendAuditRow(d, {
          at: new Date().toISOString(),
          actor_id: null,
          action: 'sheet.answer',
          entity: 'sheet',
          entity_id: `s${n}`,
          campaign_id: null,
          before_json: null,
          after_json: '{}',
          origin_key: `ws-2:${n}`,
          segment: 'ws-2',
        });
      d.transaction(() => [1, 2].map(copy))();
      await a.call('user:create', { username: 'qian', displayName: '钱评查', role: 'reviewer', affiliation: '', password: 'Review3r!' });
      d.transaction(() => copy(3))();
      expect(checkAuditChain(d)).toMatchObject({ intact: true, segments: 2 });

      const rows = d.prepare("SELECT id FROM audit_log WHERE segment = '' ORDER BY id").pluck().all() as number[];
      const victim = rows[1]!;
      const trigger = (d.prepare("SELECT sql FROM sqlite_schema WHERE name = 'audit_log_no_delete'").get() as { sql: string }).sql;
      d.exec('DROP TRIGGER audit_log_no_delete');
      d.prepare('DELETE FROM audit_log WHERE id = ?').run(victim);
      const unprotected = checkAuditChain(d);
      expect(unprotected).toMatchObject({ intact: false, protectedByTriggers: false, firstBreak: { id: rows[2], kind: 'link_broken' } });
      d.exec(trigger);
      expect(verifyCli(w.dir)).toMatchObject({ code: 1, out: expect.stringContaining(`第 ${rows[2]} 条留痕`) });
    } finally {
      w.close();
    }
  }, 60_000);
});

describe('orphaned stored files', () => {
  it('removes a stored file and an export no row refers to, older than the process; keeps referenced and new ones', async () => {
    const layout = t.backend.layout;
    const referenced = (db().prepare('SELECT sha256 FROM documents LIMIT 1').get() as { sha256: string }).sha256;
    const orphan = 'ab'.repeat(32);
    const young = 'cd'.repeat(32);
    const put = (sha: string) => {
      fs.mkdirSync(path.join(layout.files, sha.slice(0, 2)), { recursive: true });
      fs.writeFileSync(path.join(layout.files, sha.slice(0, 2), sha), 'bytes left by a crash');
      return path.join(layout.files, sha.slice(0, 2), sha);
    };
    const old = new Date(Date.now() - 3600_000 * 24 * 10);
    const orphanFile = put(orphan);
    fs.utimesSync(orphanFile, old, old);
    const youngFile = put(young);
    const referencedFile = path.join(layout.files, referenced.slice(0, 2), referenced);
    fs.utimesSync(referencedFile, old, old);
    const strayExport = path.join(layout.exports, '2020-01', 'stray.docx');
    fs.mkdirSync(path.dirname(strayExport), { recursive: true });
    fs.writeFileSync(strayExport, 'half an export');
    fs.utimesSync(strayExport, old, old);
    const keptExport = path.join(
      layout.exports,
      (db().prepare('SELECT rel_path FROM exports LIMIT 1').get() as { rel_path: string }).rel_path,
    );
    fs.utimesSync(keptExport, old, old);

    const result = await t.backend.sweepOrphans();
    expect(result).toMatchObject({ blobsRemoved: 1, exportsRemoved: 1 });
    expect(fs.existsSync(orphanFile)).toBe(false);
    expect(fs.existsSync(strayExport)).toBe(false);
    expect(fs.existsSync(youngFile)).toBe(true);
    expect(fs.existsSync(referencedFile)).toBe(true);
    expect(fs.existsSync(keptExport)).toBe(true);
  });
});

describe('a reason typed in one go', () => {
  it('is one 留痕 entry from the first save to the last, while the chain keeps every autosave', async () => {
    const sourceId = await stage(t.backend, admin, '01-行政许可决定书.pdf', await dossierPdf(3, '行政许可案卷'));
    const kase = await admin.call('dossier:importSingle', {
      campaignId,
      sourceId,
      caseNumber: '某市监许〔2025〕77号',
      caseTitle: '食品经营许可',
      unitName: '某某县市场监督管理局',
      caseType: 'license',
    });
    const scorer = await panelScorer(t.backend, admin, kase.id);
    const view = await scorer.call('sheet:start', { caseId: kase.id });
    let revision = view.sheet.revision;
    const save = async (itemId: string, comment: string) =>
      ({ revision } = await scorer.call('sheet:answer', {
        sheetId: view.sheet.id,
        itemId,
        answer: { status: 'deduct', comment },
        revision,
      }));
    // The autosave as the reviewer types: the deduction with its first characters, then the reason growing.
    for (const text of ['未', '未告', '未告知', '未告知利害关系人']) await save('xk-8', text);
    await save('xk-9', '收费未使用统一票据');
    const raw = db().prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'sheet.answer' AND entity_id = ?").get(view.sheet.id) as {
      n: number;
    };
    expect(raw.n).toBe(5);
    const shown = (await admin.call('audit:list', { entityId: view.sheet.id, action: 'sheet.answer', limit: 200 })).rows;
    expect(shown).toHaveLength(2);
    const typed = shown[1]!;
    expect(typed.sentence).toContain('“未告知利害关系人”');
    expect(typed.sentence).not.toContain('“未告”');
    // From before the first save (not yet scored) to the whole reason.
    expect(JSON.parse(typed.before!)).toEqual({ itemId: 'xk-8', answer: null });
    // A change of the score itself stays its own entry.
    await scorer.call('sheet:answer', { sheetId: view.sheet.id, itemId: 'xk-8', answer: { status: 'pass' }, revision });
    expect((await admin.call('audit:list', { entityId: view.sheet.id, action: 'sheet.answer', limit: 200 })).rows).toHaveLength(3);
  });
});
