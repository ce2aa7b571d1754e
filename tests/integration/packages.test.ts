/**
 * Work packages between workstations, each a real back end on its own data folder: the
 * lead's PC and two reviewers' laptops. Out → import on a fresh laptop → score on both sides →
 * return → merge, then every row compared; a conflict resolved by a person; newer supersedes older;
 * re-import is a no-op; a whole campaign moved; every refusal, each proven to change nothing.
 * Keys and trust lists are the signing feature's, for real: the lead's key is confirmed by fingerprint on each
 * fresh laptop, each reviewer's key by the lead when their first return package arrives.
 */
import { CARRIED_KEYS, CARRIED_TABLES, carriedColumns } from '../../electron/services/packages/tables.js';
import { checkAuditChain } from '../../electron/services/core/audit.js';
import { randomUUID } from 'node:crypto';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from '../../shared/scoring/scoring.js';
import { ManifestSigning } from '../../electron/services/signing/manifests.js';
import { sm3Hex } from '../../electron/services/signing/sm2.js';
import type { SignedManifest } from '../../shared/signing/manifest.js';
import { ADMIN, client, setupAdmin, stage, submitPassingRest } from '../support/backend.js';
import {
  download,
  everyRow,
  exportPackage,
  importConfirming,
  importPackage,
  openWorkstation,
  refusePackage,
  rows,
  type Workstation,
} from '../support/packages.js';
import { importCase, PANEL_PASSWORD, score, setupPanel, type Client, type Panel } from '../support/review-setup.js';
import { importIdentity } from '../support/signing.js';

const LAPTOP_PASSWORD = 'Laptop2025!';

let lead!: Workstation;
let zhangPc: Workstation;
let liPc: Workstation;
let p: Panel;
const cases: Record<string, string> = {};
const ids: Record<string, string> = {};
const packages: Record<string, Buffer> = {};
let zhangOnLaptop: Client;
let liOnLaptop: Client;
let wangPc: Workstation;
let wangOnLaptop: Client;
const opened: Workstation[] = [];
/** Key fingerprints: the lead's (on the lead's PC), each reviewer's (made on their laptop). */
const fingerprints: Record<string, string> = {};

const who = (key: string): Client => p.users[key]!.client;

async function mark(c: Client, caseId: string, comment: string, page = 0): Promise<string> {
  const doc = (await c.call('case:get', { caseId })).documents[0]!;
  const id = randomUUID();
  await c.call('annotation:save', {
    documentId: doc.id,
    upserts: [{ id, type: 'area', color: '#ff6666', pageIndex: page, position: { rects: [[72, 600, 300, 640]] }, comment }],
    deletes: [],
  });
  return id;
}

async function exportOut(reviewer: string): Promise<Buffer> {
  return exportPackage(lead.backend, who('lead'), 'package:exportOut', {
    campaignId: p.campaignId,
    reviewerId: ids[reviewer]!,
    password: PANEL_PASSWORD,
  });
}

async function exportReturn(ws: Workstation, c: Client): Promise<Buffer> {
  return exportPackage(ws.backend, c, 'package:exportReturn', { campaignId: p.campaignId, password: LAPTOP_PASSWORD });
}

async function tamper(bytes: Buffer, edit: (zip: JSZip) => Promise<void> | void): Promise<Buffer> {
  const zip = await JSZip.loadAsync(bytes);
  await edit(zip);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', platform: 'UNIX' });
}

/**
 * A reviewer's laptop: fresh install, its own administrator (an organiser) who compares the lead's
 * fingerprint and confirms it while importing, gives the reviewer a password; the reviewer makes a key.
 */
async function laptop(name: string, reviewer: string, bytes: Buffer): Promise<{ ws: Workstation; reviewerClient: Client }> {
  const ws = openWorkstation(name);
  opened.push(ws);
  const admin = await setupAdmin(ws.backend, 'admin');
  const preview = await importPackage(ws.backend, admin, bytes, { dryRun: true });
  expect(preview).toMatchObject({ outcome: 'preview', kind: 'out', needsReviewerPassword: true, reviewerUsername: reviewer });
  expect(preview.signer).toMatchObject({
    name: '赵组长',
    username: 'zhao',
    role: 'lead',
    trust: 'confirm',
    mayConfirm: true,
    fingerprint: fingerprints.lead,
  });
  expect(everyRow(ws.backend).campaigns).toEqual([]);
  // Not without the person's confirmation of the fingerprint, nor without the reviewer's password.
  expect(await refusePackage(ws.backend, admin, bytes, { reviewerPassword: LAPTOP_PASSWORD })).toMatchObject({
    code: 'forbidden',
    details: { reason: 'untrusted_signer', path: 'trustSigner' },
  });
  expect(await refusePackage(ws.backend, admin, bytes, { trustSigner: fingerprints.lead })).toMatchObject({
    code: 'invalid_input',
    details: { path: 'reviewerPassword' },
  });
  expect(everyRow(ws.backend).trusted_keys).toEqual([]);
  const done = await importPackage(ws.backend, admin, bytes, { reviewerPassword: LAPTOP_PASSWORD, trustSigner: fingerprints.lead });
  expect(done.outcome).toBe('applied');
  expect(done.signer).toMatchObject({ name: '赵组长', trust: 'confirmed' });
  // The lead's key is trusted here now, accepted by the person who confirmed it, and that is audited.
  expect(await admin.call('trust:list', {})).toEqual([
    expect.objectContaining({ fingerprint: fingerprints.lead, status: 'trusted', origin: 'imported', acceptedBy: '王组长' }),
  ]);
  expect(rows(ws.backend, 'SELECT action FROM audit_log WHERE entity_id = ? ORDER BY id', fingerprints.lead).map((r) => r.action)).toEqual([
    'trust.import',
    'trust.accept',
    'package.trust_signer',
  ]);
  const reviewerClient = client(ws.backend, `${reviewer}-laptop`);
  await reviewerClient.call('auth:login', { username: reviewer, password: LAPTOP_PASSWORD });
  fingerprints[reviewer] = (await reviewerClient.call('key:create', { password: LAPTOP_PASSWORD })).fingerprint;
  return { ws, reviewerClient };
}

beforeAll(async () => {
  lead = openWorkstation('lead');
  p = await setupPanel(lead.backend);
  for (const key of ['lead', 'zhang', 'li', 'wang']) ids[key] = p.users[key]!.id;
  fingerprints.lead = (await who('lead').call('key:create', { password: PANEL_PASSWORD })).fingerprint;
  // C1 goes to 张三 and 李四, C2 to them and 王五, C3 to 李四 alone.
  const panelOf: Record<string, string[]> = { '1': ['zhang', 'li'], '2': ['zhang', 'li', 'wang'], '3': ['li'] };
  for (const n of ['1', '2', '3']) cases[`C${n}`] = await importCase(lead.backend, p, `某许〔2025〕${n}号`, 'license', panelOf[n]);
  // Before the packages: 张三 began C1 on the lead's PC, and the lead marked C1 (a mark 张三 may not see yet: blind review).
  await score(who('zhang'), cases.C1!, { 'xk-1': { status: 'pass' } });
  await mark(who('zhang'), cases.C1!, '张三在组长电脑上的标注');
  await mark(who('lead'), cases.C1!, '组长的标注');
  await score(who('wang'), cases.C2!, { 'xk-1': { status: 'pass' } });

  packages.outZhang = await exportOut('zhang');
  packages.outLi = await exportOut('li');
  ({ ws: zhangPc, reviewerClient: zhangOnLaptop } = await laptop('zhang', 'zhang', packages.outZhang));
  ({ ws: liPc, reviewerClient: liOnLaptop } = await laptop('li', 'li', packages.outLi));
  ({ ws: wangPc, reviewerClient: wangOnLaptop } = await laptop('wang', 'wang', await exportOut('wang')));
}, 240_000);

afterAll(() => {
  for (const ws of [lead, ...opened]) ws?.close();
});

describe('out to the reviewers', () => {
  it('creates a read-only campaign on the laptop with only that reviewer’s files, their sheet and the marks they may see', async () => {
    const mine = await zhangOnLaptop.call('case:list', { campaignId: p.campaignId });
    expect(mine.map((c) => c.caseNumber).sort()).toEqual(['某许〔2025〕1号', '某许〔2025〕2号']);
    expect(rows(zhangPc.backend, 'SELECT id FROM cases ORDER BY id')).toEqual([cases.C1, cases.C2].sort().map((id) => ({ id })));
    // Same rows as on the lead's PC, column for column.
    const cols =
      'id, campaign_id, unit_id, case_number, case_number_key, title, case_type, cause, party, enforcement_body, filed_on, closed_on, decision, handler, external_code, created_at, updated_at';
    expect(rows(zhangPc.backend, `SELECT ${cols} FROM cases ORDER BY id`)).toEqual(
      rows(lead.backend, `SELECT ${cols} FROM cases WHERE id IN (?, ?) ORDER BY id`, cases.C1, cases.C2),
    );
    expect(
      rows(zhangPc.backend, 'SELECT id, case_id, sha256, file_name, title, page_count, has_text, position FROM documents ORDER BY id'),
    ).toEqual(
      rows(
        lead.backend,
        'SELECT id, case_id, sha256, file_name, title, page_count, has_text, position FROM documents WHERE case_id IN (?, ?) ORDER BY id',
        cases.C1,
        cases.C2,
      ),
    );
    // The PDF bytes arrived and open.
    const doc = (await zhangOnLaptop.call('case:get', { caseId: cases.C1! })).documents[0]!;
    const opened = await zhangOnLaptop.call('document:open', { documentId: doc.id });
    expect((await download(zhangPc.backend, opened.url)).subarray(0, 5).toString()).toBe('%PDF-');
    // The sheet begun on the lead's PC came along; the lead's mark did not (blind review).
    const sheet = await zhangOnLaptop.call('sheet:start', { caseId: cases.C1! });
    expect(sheet.answers['xk-1']).toEqual({ status: 'pass' });
    const marks = await zhangOnLaptop.call('annotation:list', { documentId: doc.id });
    expect(marks.map((m) => m.comment)).toEqual(['张三在组长电脑上的标注']);
    // Read-only: the campaign's structure belongs to the lead's PC.
    const laptopAdmin = client(zhangPc.backend, 'admin');
    expect(await laptopAdmin.fail('assignment:add', { caseId: cases.C1!, reviewerId: ids.li! })).toMatchObject({
      code: 'locked',
      details: { reason: 'read_only_copy' },
    });
    expect(await zhangOnLaptop.fail('document:rename', { documentId: doc.id, title: '改名' })).toMatchObject({
      code: 'locked',
      details: { reason: 'read_only_copy' },
    });
    const overview = await zhangOnLaptop.call('package:overview', { campaignId: p.campaignId });
    expect(overview.replica).toMatchObject({ kind: 'reviewer', readOnly: true, reviewerName: '张三' });
    // Other people exist only as accounts that cannot log in.
    expect(await client(zhangPc.backend, 'x').fail('auth:login', { username: 'li', password: 'Pingcha2025' })).toMatchObject({
      code: expect.any(String),
    });
  });
});

describe('scores back and merged', () => {
  it('merges two reviewers’ returns: nothing lost, nothing doubled, every row the same as on the laptops', async () => {
    // 张三 scores both files on the laptop (C1 continuing the sheet begun on the lead's PC) and marks evidence.
    const evidence = await mark(zhangOnLaptop, cases.C1!, '送达回证无签名', 2);
    let s = await score(zhangOnLaptop, cases.C1!, { 'xk-11': { status: 'deduct', comment: '送达回证无签名', evidence: [evidence] } });
    await submitPassingRest(zhangOnLaptop, s.sheetId, s.revision);
    s = await score(zhangOnLaptop, cases.C2!, { 'xk-2': { status: 'deduct', comment: '未一次性告知补正材料' } });
    await submitPassingRest(zhangOnLaptop, s.sheetId, s.revision);
    // 李四 scores C1 and C2 the same way as 张三 and leaves C3 half done.
    for (const c of ['C1', 'C2']) {
      const answers: Record<string, Answer> =
        c === 'C1'
          ? { 'xk-11': { status: 'deduct', comment: '送达回证无受送达人签名' } }
          : { 'xk-2': { status: 'deduct', comment: '补正告知不全' } };
      const t = await score(liOnLaptop, cases[c]!, answers);
      await submitPassingRest(liOnLaptop, t.sheetId, t.revision);
    }
    await score(liOnLaptop, cases.C3!, { 'xk-3': { status: 'deduct', comment: '未按期受理' } });
    await mark(liOnLaptop, cases.C3!, '受理日期');

    const trail = (ws: Workstation, where: string, ...params: unknown[]) =>
      rows(
        ws.backend,
        `SELECT at, actor_id, action, entity, entity_id, campaign_id, before_json, after_json FROM audit_log WHERE ${where} ORDER BY at, action, entity_id`,
        ...params,
      );
    const laptopTrail = trail(zhangPc, 'actor_id = ? AND origin_key IS NULL AND campaign_id = ?', ids.zhang, p.campaignId);
    packages.returnZhang1 = await exportReturn(zhangPc, zhangOnLaptop);
    packages.returnLi1 = await exportReturn(liPc, liOnLaptop);

    // 张三's key is new on the lead's PC: the lead compares the fingerprint with 张三 and confirms it once.
    const preview = await importPackage(lead.backend, who('lead'), packages.returnZhang1, { dryRun: true });
    expect(preview.signer).toMatchObject({
      name: '张三',
      username: 'zhang',
      trust: 'confirm',
      mayConfirm: true,
      fingerprint: fingerprints.zhang,
    });
    expect(await refusePackage(lead.backend, who('lead'), packages.returnZhang1)).toMatchObject({
      details: { reason: 'untrusted_signer', path: 'trustSigner' },
    });
    const merged = await importPackage(lead.backend, who('lead'), packages.returnZhang1, { trustSigner: fingerprints.zhang });
    expect(merged).toMatchObject({
      outcome: 'applied',
      kind: 'return',
      reviewerName: '张三',
      counts: { sheets: 2, conflicts: 0 },
      signer: { trust: 'confirmed' },
    });
    expect((await who('lead').call('trust:list', {})).find((t) => t.fingerprint === fingerprints.zhang)).toMatchObject({
      status: 'trusted',
      acceptedBy: '赵组长',
    });
    // 张三's rows on the lead's PC are exactly the laptop's.
    const sheetCols = `s.id, s.case_id, s.reviewer_id, s.round, s.status, s.revision, s.created_at, s.updated_at, s.submitted_at, v.content_sha256`;
    const sheetsOf = (ws: Workstation, reviewer: string) =>
      rows(
        ws.backend,
        `SELECT ${sheetCols} FROM sheets s JOIN standard_versions v ON v.id = s.standard_version_id WHERE s.reviewer_id = ? ORDER BY s.id`,
        ids[reviewer],
      );
    const answersOf = (ws: Workstation, reviewer: string) =>
      rows(
        ws.backend,
        'SELECT a.* FROM sheet_answers a JOIN sheets s ON s.id = a.sheet_id WHERE s.reviewer_id = ? ORDER BY a.sheet_id, a.item_id',
        ids[reviewer],
      );
    const marksOf = (ws: Workstation, reviewer: string) =>
      rows(ws.backend, 'SELECT * FROM annotations WHERE author_id = ? ORDER BY id', ids[reviewer]);
    expect(sheetsOf(lead, 'zhang')).toEqual(sheetsOf(zhangPc, 'zhang'));
    expect(sheetsOf(lead, 'zhang')).toHaveLength(2);
    expect(answersOf(lead, 'zhang')).toEqual(answersOf(zhangPc, 'zhang'));
    expect(marksOf(lead, 'zhang')).toEqual(marksOf(zhangPc, 'zhang'));
    // The laptop's audit trail of 张三 arrived once each, marked with where it came from.
    expect(laptopTrail.length).toBeGreaterThan(5);
    expect(trail(lead, 'origin_key IS NOT NULL AND actor_id = ?', ids.zhang)).toEqual(laptopTrail);

    // Re-importing the same package changes nothing at all.
    const before = everyRow(lead.backend);
    expect(await importPackage(lead.backend, who('lead'), packages.returnZhang1)).toMatchObject({ outcome: 'already' });
    expect(everyRow(lead.backend)).toEqual(before);

    expect(await importConfirming(lead.backend, who('lead'), packages.returnLi1)).toMatchObject({
      outcome: 'applied',
      counts: { sheets: 3, conflicts: 0 },
    });
    expect(answersOf(lead, 'li')).toEqual(answersOf(liPc, 'li'));
    expect(marksOf(lead, 'li')).toEqual(marksOf(liPc, 'li'));
    // Nothing doubled: one sheet per file and reviewer.
    expect(rows(lead.backend, 'SELECT case_id, reviewer_id, count(*) AS n FROM sheets GROUP BY case_id, reviewer_id HAVING n > 1')).toEqual(
      [],
    );
    // Both opinions of C1 are in: the file is judged as if both had scored on the lead's PC.
    const review = await who('lead').call('review:case', { caseId: cases.C1! });
    expect(review.delivered).toBe(2);
    expect(['final', 'flagged']).toContain(review.state);
    const reconcile = await who('lead').call('reconcile:open', { caseId: cases.C1! });
    expect(reconcile.sheets.map((x) => x.sheet.reviewerName).sort()).toEqual(['张三', '李四']);
  });

  it('a newer return supersedes the older one; an older one arriving late is refused and changes nothing', async () => {
    // 李四 finishes C3 on the laptop and makes two more return packages; the newer arrives first.
    const view = await liOnLaptop.call('sheet:start', { caseId: cases.C3! });
    await submitPassingRest(liOnLaptop, view.sheet.id, view.sheet.revision);
    packages.returnLi2 = await exportReturn(liPc, liOnLaptop);
    packages.returnLi3 = await exportReturn(liPc, liOnLaptop);
    expect(await importPackage(lead.backend, who('lead'), packages.returnLi3)).toMatchObject({
      outcome: 'applied',
      counts: { sheets: 1, conflicts: 0 },
    });
    const c3 = rows(lead.backend, 'SELECT status FROM sheets WHERE case_id = ? AND reviewer_id = ?', cases.C3, ids.li)[0];
    expect(['submitted', 'final']).toContain(c3!.status);
    const before = everyRow(lead.backend);
    const error = await refusePackage(lead.backend, who('lead'), packages.returnLi2);
    expect(error).toMatchObject({ code: 'conflict', details: { reason: 'older_package' } });
    expect(error.message).toContain('第 3 次');
    expect(everyRow(lead.backend)).toEqual(before);
  });

  it('the same sheet changed on both machines is a conflict, shown side by side, resolved by a person', async () => {
    // 王五 began C2 on the lead's PC and took it home; he changes item 2 on the laptop, and (at the
    // lead's PC, before the return arrives) differently there.
    const there = await score(wangOnLaptop, cases.C2!, { 'xk-2': { status: 'pass' } });
    const here = await score(who('wang'), cases.C2!, { 'xk-2': { status: 'deduct', comment: '组长电脑上的修改' } });
    packages.returnWang = await exportReturn(wangPc, wangOnLaptop);

    const merged = await importConfirming(lead.backend, who('lead'), packages.returnWang);
    expect(merged.counts.conflicts).toBe(1);
    expect(merged.warnings.join('')).toContain('冲突');
    // Nothing was overwritten: the lead's PC still has its own answer.
    expect((await who('wang').call('sheet:open', { caseId: cases.C2! })).answers['xk-2']).toMatchObject({ comment: '组长电脑上的修改' });
    const [conflict] = await who('lead').call('package:conflicts', { campaignId: p.campaignId });
    expect(conflict).toMatchObject({
      caseId: cases.C2,
      reviewerName: '王五',
      status: 'open',
      local: { revision: here.revision },
      incoming: { revision: there.revision },
    });
    expect(conflict!.items).toEqual([
      expect.objectContaining({
        itemId: 'xk-2',
        local: expect.objectContaining({ comment: '组长电脑上的修改' }),
        incoming: { status: 'pass' },
      }),
    ]);
    expect((await who('lead').call('package:overview', { campaignId: p.campaignId })).openConflicts).toBe(1);

    // A reviewer may not decide it; the lead takes the laptop's version.
    expect(await who('wang').fail('package:resolve', { conflictId: conflict!.id, choice: 'incoming' })).toMatchObject({
      code: 'forbidden',
    });
    const resolved = await who('lead').call('package:resolve', { conflictId: conflict!.id, choice: 'incoming' });
    expect(resolved).toMatchObject({ status: 'resolved', resolution: 'incoming', resolvedByName: '赵组长' });
    expect((await who('wang').call('sheet:open', { caseId: cases.C2! })).answers['xk-2']).toEqual({ status: 'pass' });
    expect(rows(lead.backend, "SELECT count(*) AS n FROM audit_log WHERE action = 'package.resolve'")[0]!.n).toBe(1);
    expect(await who('lead').fail('package:resolve', { conflictId: conflict!.id, choice: 'local' })).toMatchObject({ code: 'conflict' });
    // Later work on the laptop merges cleanly on top of the chosen version.
    await score(wangOnLaptop, cases.C2!, { 'xk-3': { status: 'pass' } });
    expect(await importPackage(lead.backend, who('lead'), await exportReturn(wangPc, wangOnLaptop))).toMatchObject({
      counts: { sheets: 1, conflicts: 0 },
    });
  });
});

describe('refused with a clear reason, nothing half-applied', () => {
  async function expectRefused(
    ws: Workstation,
    c: Client,
    bytes: Buffer,
    reason: string,
    extra: { reviewerPassword?: string; trustSigner?: string } = {},
  ) {
    const before = everyRow(ws.backend);
    const error = await refusePackage(ws.backend, c, bytes, extra);
    expect(error.details?.reason, error.message).toBe(reason);
    expect(error.message).toMatch(/[\u4e00-\u9fa5]/);
    expect(everyRow(ws.backend)).toEqual(before);
    return error;
  }

  it('refuses damaged, unsafe and foreign packages', async () => {
    const admin = client(zhangPc.backend, 'admin');
    const out = packages.outZhang!;
    // Truncated (a copy cut short) and corrupt bytes.
    const truncated = await expectRefused(zhangPc, admin, out.subarray(0, Math.floor(out.length / 2)), 'zip_damaged');
    const garbage = await expectRefused(zhangPc, admin, Buffer.from('这不是压缩包'.repeat(50)), 'zip_damaged');
    // Said in Chinese only: the zip reader's English ("End of central directory record …") stays in the log.
    for (const e of [truncated, garbage]) {
      expect(e.message).toContain('工作包已损坏或不完整');
      expect(e.message).not.toMatch(/[A-Za-z]{4,}/);
    }
    // Any altered byte of an entry: the SM3 digest no longer matches the signed manifest.
    await expectRefused(
      zhangPc,
      admin,
      await tamper(
        out,
        async (z) =>
          void z.file(
            'data/work.json',
            (await z.file('data/work.json')!.async('string')).replace('张三在组长电脑上的标注', '张三在组长电脑上的标注！'),
          ),
      ),
      'digest_mismatch',
    );
    // The manifest re-written to match: the SM2 signature fails.
    const forged = await tamper(out, async (z) => {
      const manifest = JSON.parse(await z.file('manifest.json')!.async('string')) as { campaign: { name: string } };
      manifest.campaign.name = '伪造的活动';
      z.file('manifest.json', JSON.stringify(manifest));
    });
    await expectRefused(zhangPc, admin, forged, 'digest_mismatch');
    // …and the signed list edited to match: the SM2 signature no longer fits it.
    const relisted = await tamper(forged, async (z) => {
      const signed = JSON.parse(await z.file('signature.json')!.async('string')) as SignedManifest;
      signed.manifest.files.find((f) => f.name === 'manifest.json')!.sm3 = sm3Hex(await z.file('manifest.json')!.async('uint8array'));
      z.file('signature.json', JSON.stringify(signed));
    });
    await expectRefused(zhangPc, admin, relisted, 'bad_signature');
    await expectRefused(zhangPc, admin, await tamper(out, (z) => void z.remove('signature.json')), 'unsigned');
    // Entries with absolute or `..` paths, links, entries the manifest does not list.
    await expectRefused(zhangPc, admin, await tamper(out, (z) => void z.file('../../evil.txt', 'x')), 'unsafe_path');
    await expectRefused(zhangPc, admin, await tamper(out, (z) => void z.file('/etc/evil.txt', 'x')), 'unsafe_path');
    await expectRefused(
      zhangPc,
      admin,
      await tamper(out, (z) => void z.file('files/link', '/etc/passwd', { unixPermissions: 0o120777 })),
      'link_entry',
    );
    await expectRefused(zhangPc, admin, await tamper(out, (z) => void z.file('data/extra.json', '{}')), 'unlisted_entry');
    await expectRefused(zhangPc, admin, await tamper(out, (z) => void z.remove('manifest.json')), 'not_a_package');
    // A package from a newer app version.
    const newer = await tamper(out, async (z) => {
      const manifest = JSON.parse(await z.file('manifest.json')!.async('string')) as { formatVersion: number; appVersion: string };
      manifest.formatVersion = 2;
      manifest.appVersion = '9.0.0';
      z.file('manifest.json', JSON.stringify(manifest));
    });
    const error = await expectRefused(zhangPc, admin, newer, 'newer_version');
    expect(error.message).toContain('请升级软件');
    // 李四's package on 张三's laptop: the campaign here is 张三's.
    await expectRefused(zhangPc, admin, packages.outLi!, 'wrong_reviewer', { reviewerPassword: LAPTOP_PASSWORD });
    // The lead's own package back on the lead's PC; a return package on a laptop.
    await expectRefused(lead, who('lead'), packages.outZhang!, 'wrong_direction');
    await expectRefused(zhangPc, admin, packages.returnLi1!, 'wrong_direction', { trustSigner: fingerprints.li });
  });

  it('refuses untrusted, revoked and wrong signers; only an organiser, or the lead for their own reviewer, confirms a new key', async () => {
    const reviewerReturn = await exportReturn(zhangPc, zhangOnLaptop);
    // Signed by a key the lead trusts (李四's) but not the package's author's.
    const wrongSigner = await tamper(reviewerReturn, async (z) => {
      const body = (JSON.parse(await z.file('signature.json')!.async('string')) as SignedManifest).manifest;
      const files = body.files.map((f) => ({ role: f.role, name: f.name, mediaType: f.mediaType, sm3: f.sm3, size: f.bytes }));
      const bySomeoneElse = await liPc.backend.services.signing.manifests.sign(
        { kind: body.kind, id: body.id, subject: body.subject, files },
        { userId: ids.li!, password: LAPTOP_PASSWORD },
      );
      z.file('signature.json', ManifestSigning.toBytes(bySomeoneElse));
    });
    await expectRefused(lead, who('lead'), wrongSigner, 'wrong_signer');

    // Another bureau's workstation, which never sent 张三 anything.
    const other = openWorkstation('other');
    opened.push(other);
    const admin = await setupAdmin(other.backend, 'admin');
    await admin.call('user:create', {
      username: 'qian',
      displayName: '钱组长',
      role: 'lead',
      affiliation: '某某市司法局',
      password: PANEL_PASSWORD,
    });
    const otherLead = client(other.backend, 'qian');
    await otherLead.call('auth:login', { username: 'qian', password: PANEL_PASSWORD });
    // Without a confirmation the key does not count; a lead there may not confirm a stranger's key.
    await expectRefused(other, admin, reviewerReturn, 'untrusted_signer');
    const notAllowed = await expectRefused(other, otherLead, reviewerReturn, 'untrusted_signer', { trustSigner: fingerprints.zhang });
    expect(notAllowed).toMatchObject({ code: 'forbidden', message: expect.stringContaining('组织者') });
    // A fingerprint that is not the signer's is no confirmation.
    await expectRefused(other, admin, reviewerReturn, 'untrusted_signer', { trustSigner: fingerprints.li });
    // The organiser confirms, the package goes on to its next check (this campaign is not here), and the trust decision is rolled back with it.
    await expectRefused(other, admin, reviewerReturn, 'wrong_campaign', { trustSigner: fingerprints.zhang });
    // Listed as 待确认 from an identity file, then revoked: refused for good, confirmation or not.
    const identity = await download(zhangPc.backend, (await zhangOnLaptop.call('key:exportIdentity', {})).url);
    await importIdentity(other.backend, admin, identity);
    await expectRefused(other, admin, reviewerReturn, 'untrusted_signer');
    await admin.call('trust:revoke', { fingerprint: fingerprints.zhang!, reason: '笔记本电脑遗失' });
    await expectRefused(other, admin, reviewerReturn, 'revoked_signer', { trustSigner: fingerprints.zhang });
    // And the genuine package still merges on the lead's PC afterwards.
    expect((await importPackage(lead.backend, who('lead'), reviewerReturn)).outcome).toBe('applied');
  });

  it('refuses a package over the size limits before writing anything', async () => {
    const small = openWorkstation('small', { limits: { maxEntryBytes: 2000 } });
    opened.push(small);
    const admin = await setupAdmin(small.backend, 'admin');
    await expectRefused(small, admin, packages.outZhang!, 'too_large', {
      reviewerPassword: LAPTOP_PASSWORD,
      trustSigner: fingerprints.lead,
    });
  });
});

describe('a whole campaign between workstations', () => {
  it('carries every file, sheet, mark and result to another bureau, read-only as a report, idempotently', async () => {
    // A case's amounts (from the case list) travel with it.
    lead.backend.db.prepare('UPDATE cases SET penalty_amount = 5000 WHERE id = (SELECT id FROM cases ORDER BY id LIMIT 1)').run();
    // So does the 整改台账 the lead entered by hand, with its evidence file (what a province supervises).
    const unitId = rows(lead.backend, 'SELECT id FROM units WHERE campaign_id = ? ORDER BY id', p.campaignId)[0]!.id as string;
    const manual = await who('lead').call('ledger:add', {
      campaignId: p.campaignId,
      entry: {
        unitId,
        source: 'inspection',
        subject: '2025年法治督察反馈问题第3项',
        description: '行政执法公示平台未按时公示行政处罚决定',
        measure: '7个工作日内补充公示',
        responsible: '李科长',
        deadline: '2099-01-10',
      },
    });
    const evidenceBytes = new TextEncoder().encode('公示截图（佐证）');
    await who('lead').call('ledger:attach', {
      rowId: manual.id,
      sourceId: await stage(lead.backend, who('lead'), '公示截图.png', evidenceBytes),
    });
    // The campaign's draw and the files it drew travel with it.
    const drawn = await who('lead').call('draw:run', { campaignId: p.campaignId, perGroup: 20, grouping: 'unit' });
    const bytes = await exportPackage(lead.backend, who('lead'), 'package:exportCampaign', {
      campaignId: p.campaignId,
      purpose: 'report',
      password: PANEL_PASSWORD,
    });
    const city = openWorkstation('city');
    opened.push(city);
    const admin = await setupAdmin(city.backend, 'admin');
    const done = await importConfirming(city.backend, admin, bytes);
    expect(done).toMatchObject({ outcome: 'applied', kind: 'campaign', counts: { cases: 3 } });
    // Every carried column of every row of the campaign arrived as it was (accounts: those the package named).
    const cases = 'SELECT id FROM cases WHERE campaign_id = @c';
    const documents = `SELECT id FROM documents WHERE case_id IN (${cases})`;
    const ofCampaign: Record<string, string> = {
      campaigns: 'id = @c',
      users: "id IN (SELECT user_id FROM panel_members WHERE campaign_id = @c) AND username <> 'admin'",
      documents: `case_id IN (${cases})`,
      page_texts: `document_id IN (${documents})`,
      ocr_pages: `sha256 IN (SELECT sha256 FROM documents WHERE case_id IN (${cases}))`,
      annotations: `document_id IN (${documents})`,
      sheets: `case_id IN (${cases})`,
      sheet_answers: `sheet_id IN (SELECT id FROM sheets WHERE case_id IN (${cases}))`,
      case_reviews: `case_id IN (${cases})`,
      case_review_answers: `case_id IN (${cases})`,
      ledger_manual_evidence: 'manual_item_id IN (SELECT id FROM ledger_manual_items WHERE campaign_id = @c)',
      // Standards of the case types the campaign has files of.
      drawn_cases: 'draw_id IN (SELECT id FROM draws WHERE campaign_id = @c)',
      campaign_standards: 'campaign_id = @c AND case_type IN (SELECT case_type FROM cases WHERE campaign_id = @c)',
    };
    for (const table of CARRIED_TABLES) {
      if (table === 'audit_log') continue; // counted below: the receiver marks where each row came from
      // A standard version is matched by its content where it arrives (it may already be there under another id).
      const carried = Object.keys(carriedColumns(lead.backend.db, table));
      const columns = carried
        .map((c) => (c === 'standard_version_id' ? `(SELECT content_sha256 FROM standard_versions WHERE id = "${c}") AS "${c}"` : `"${c}"`))
        .join(', ');
      const key: readonly string[] = CARRIED_KEYS[table];
      const order = (key.length ? key : carried).join(', ');
      const query = `SELECT ${columns} FROM ${table} WHERE ${ofCampaign[table] ?? 'campaign_id = @c'} ORDER BY ${order}`;
      const sent = lead.backend.db.prepare(query).all({ c: p.campaignId });
      if (!['page_texts', 'ocr_pages', 'campaign_review_rules', 'case_review_answers'].includes(table))
        expect(sent.length, `${table} has rows to carry`).toBeGreaterThan(0);
      expect(city.backend.db.prepare(query).all({ c: p.campaignId }), table).toEqual(sent);
    }
    expect(rows(city.backend, 'SELECT penalty_amount FROM cases WHERE penalty_amount IS NOT NULL')).toEqual([{ penalty_amount: 5000 }]);
    // The evidence file itself arrived (the province can open it), and the row reads as it did at the county.
    const evidenceId = rows(city.backend, 'SELECT id FROM ledger_manual_evidence')[0]!.id as string;
    const evidence = await admin.call('ledger:evidence', { evidenceId });
    expect(await download(city.backend, evidence.url)).toEqual(Buffer.from(evidenceBytes));
    expect((await admin.call('ledger:list', { campaignId: p.campaignId })).rows.find((r) => r.id === manual.id)).toMatchObject({
      source: 'inspection',
      description: '行政执法公示平台未按时公示行政处罚决定',
    });
    // The draw arrived as the current one: the files show as drawn there and it verifies from its pool and seed.
    expect(rows(city.backend, 'SELECT count(*) AS n FROM draws WHERE superseded_at IS NULL')[0]!.n).toBe(1);
    expect((await admin.call('draw:get', { campaignId: p.campaignId })).current).toMatchObject({ id: drawn.id, seed: drawn.seed });
    expect(await admin.call('draw:verify', { campaignId: p.campaignId })).toMatchObject({ matches: true });
    // The campaign's audit trail travelled too, once.
    // (all but the two entries the export itself wrote after collecting: export.create, package.export_campaign)
    expect(rows(city.backend, 'SELECT count(*) AS n FROM audit_log WHERE origin_key IS NOT NULL')[0]!.n).toBe(
      (rows(lead.backend, 'SELECT count(*) AS n FROM audit_log WHERE campaign_id = ?', p.campaignId)[0]!.n as number) - 2,
    );
    // Copied rows form the sending workstation's own chain segment beside this PC's, and both verify.
    expect(rows(city.backend, 'SELECT count(DISTINCT segment) AS n FROM audit_log WHERE origin_key IS NOT NULL')[0]!.n).toBe(1);
    expect(rows(city.backend, "SELECT count(*) AS n FROM audit_log WHERE origin_key IS NOT NULL AND segment = ''")[0]!.n).toBe(0);
    expect(checkAuditChain(city.backend.db)).toMatchObject({ intact: true, segments: 2 });
    const before = everyRow(city.backend);
    expect((await importPackage(city.backend, admin, bytes)).outcome).toBe('already');
    expect(everyRow(city.backend)).toEqual(before);
    // A report is read-only where it arrives.
    const sheetId = rows(city.backend, 'SELECT id FROM sheets LIMIT 1')[0]!.id as string;
    expect(await admin.fail('sheet:submit', { sheetId, revision: 0 })).toMatchObject({
      code: 'locked',
      details: { reason: 'read_only_copy' },
    });
    const board = (await admin.call('review:board', { campaignId: p.campaignId })).rows;
    expect(board).toHaveLength(3);
  });

  it('says why the other workstation’s accounts cannot log in here, keeps them as panel members, and enables one only with a password', async () => {
    const city = opened.find((w) => w.name === 'city')!;
    const admin = client(city.backend, 'city-admin-2');
    await admin.call('auth:login', { username: 'admin', password: ADMIN.password });
    const directory = await admin.call('user:directory', {});
    const zhang = directory.find((u) => u.username === 'zhang')!;
    expect(zhang).toMatchObject({ disabled: true, fromPackage: true });
    expect(directory.find((u) => u.username === 'admin')).toMatchObject({ disabled: false, fromPackage: false });
    // On the panel they are members who review (their assignments came with the package).
    const panel = await admin.call('panel:get', { campaignId: p.campaignId });
    expect(panel.members.find((m) => m.username === 'zhang')).toMatchObject({ fromPackage: true, assigned: 2 });
    // Enabling without a password would leave an account nobody can log in to.
    expect(await admin.fail('user:setDisabled', { userId: zhang.id, disabled: false })).toMatchObject({
      code: 'conflict',
      details: { reason: 'no_password_here' },
    });
    await admin.call('user:resetPassword', { userId: zhang.id, password: 'Zhang2025city' });
    expect(await admin.call('user:setDisabled', { userId: zhang.id, disabled: false })).toMatchObject({
      disabled: false,
      fromPackage: false,
    });
    const zhangHere = client(city.backend, 'zhang-city');
    expect(await zhangHere.call('auth:login', { username: 'zhang', password: 'Zhang2025city' })).toMatchObject({ username: 'zhang' });
  });
});

describe('jobs and re-issued packages', () => {
  it('an export or import cancelled as a job leaves nothing behind', async () => {
    const before = everyRow(lead.backend);
    const { jobId } = await who('lead').call('package:exportOut', {
      campaignId: p.campaignId,
      reviewerId: ids.li!,
      password: PANEL_PASSWORD,
    });
    await who('lead').call('job:cancel', { jobId });
    expect(await lead.backend.services.jobs.wait(jobId)).toMatchObject({ status: 'cancelled' });
    expect(await who('lead').fail('package:jobResult', { jobId })).toMatchObject({ code: 'cancelled' });
    expect(everyRow(lead.backend)).toEqual(before);
    // A wrong password is answered at once, before any job starts.
    expect(
      await who('lead').fail('package:exportOut', { campaignId: p.campaignId, reviewerId: ids.li!, password: 'wrong-pass1' }),
    ).toMatchObject({ code: 'invalid_input', details: { path: 'password' } });
  });

  it('a re-issued work package withdraws on the laptop the assignments withdrawn on the lead’s PC', async () => {
    cases.C4 = await importCase(lead.backend, p, '某许〔2025〕4号', 'license', ['li']);
    await importPackage(liPc.backend, client(liPc.backend, 'admin'), await exportOut('li'));
    expect((await liOnLaptop.call('case:list', { campaignId: p.campaignId })).map((c) => c.id)).toContain(cases.C4);
    await who('lead').call('assignment:remove', { caseId: cases.C4!, reviewerId: ids.li! });
    const reissued = await importPackage(liPc.backend, client(liPc.backend, 'admin'), await exportOut('li'));
    expect(reissued.warnings.join('')).toContain('撤回 1 件');
    expect((await liOnLaptop.call('case:list', { campaignId: p.campaignId })).map((c) => c.id)).not.toContain(cases.C4);
    expect(rows(liPc.backend, "SELECT count(*) AS n FROM audit_log WHERE action = 'assignment.withdrawn_by_package'")[0]!.n).toBe(1);
  });
});
