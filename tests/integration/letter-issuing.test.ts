/**
 * Issuing real letters (a 监督意见书 from a scored campaign): draft → checked → issued with the
 * issuer's and a co-signer's passwords; the frozen content, DOCX and PDF verify; no channel can change
 * an issued letter; a correction supersedes it and both are kept.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, contract, type Channel } from '../../shared/contract/index.js';
import { canonicalJson } from '../../shared/signing/canonical.js';
import { docText, type GongwenDoc } from '../../shared/letters/document.js';
import type { LetterIssueState } from '../../shared/signing/api.js';
import { sm3Hex } from '../../electron/services/signing/sm2.js';
import { ADMIN, client, openTestBackend, setupAdmin, stage, type TestBackend } from '../support/backend.js';
import { docxParts } from '../support/docx-xml.js';
import { convertWithLibreOffice, pdfFacts, pdfFonts, renderFirstPage } from '../support/office.js';
import { deliverSheets, scoredCampaign } from '../support/scored-campaign.js';
import { downloadBytes } from '../support/signing.js';
import { outputDir } from '../support/temp.js';

let t: TestBackend;
let admin: ReturnType<typeof client>;
let lead: ReturnType<typeof client>;
let campaignId: string;
let cases: Map<string, string>;
let unitId: string;
let issuedState: LetterIssueState;
const LEAD = { username: 'zhang', displayName: '张组长', role: 'lead' as const, affiliation: '某某县司法局', password: 'Lead3r!!' };
const out = outputDir('signing');
const userId = (username: string): string =>
  t.backend.db.prepare('SELECT id FROM users WHERE username = ?').pluck().get(username) as string;

beforeAll(async () => {
  t = openTestBackend();
  admin = await setupAdmin(t.backend, 'w1');
  await admin.call('user:create', LEAD);
  lead = client(t.backend, 'w2');
  await lead.call('auth:login', { username: LEAD.username, password: LEAD.password });
  await admin.call('key:create', { password: ADMIN.password });
  await lead.call('key:create', { password: LEAD.password });
  ({ campaignId, cases } = await scoredCampaign(t.backend, admin));
  const { template } = await admin.call('letter:template', { kind: 'opinion' });
  await admin.call('letter:saveTemplate', { kind: 'opinion', template: { ...template, numberPrefix: '某司监' } });
  const list = await admin.call('letter:list', { campaignId });
  unitId = list.units.find((u) => u.unitName === '某某县市场监督管理局')!.unitId;
});
afterAll(() => t.close());

const key = () => ({ campaignId, kind: 'opinion' as const, unitId });

describe('issuing a 监督意见书', () => {
  it('goes draft → checked → issued; issuing needs final results, the check and every signer’s password', async () => {
    // Sheets not yet delivered: the results are provisional (ResultsService), and a letter quoting them cannot be checked for issuing.
    expect(await admin.fail('letter:check', { ...key(), date: '2025-03-05' })).toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('签发的文书只能引用最终结果'),
    });
    expect(await admin.call('letter:issueState', key())).toEqual({ open: null, issued: [] });
    await deliverSheets(admin, cases);
    const board = (await admin.call('review:board', { campaignId })).rows;
    expect(board.map((r) => r.final !== null)).toEqual([...cases.keys()].map(() => true));
    await admin.call('letter:export', { ...key(), includeProvisional: false, date: '2025-03-05' });
    const draft = await admin.call('letter:issueState', key());
    expect(draft.open).toMatchObject({ status: 'draft', documentNumber: '某司监〔2025〕1号' });
    const letterId = draft.open!.id;
    expect(await admin.fail('letter:issue', { letterId, password: ADMIN.password })).toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('核对定稿'),
    });

    const checked = await admin.call('letter:check', { ...key(), date: '2025-03-05' });
    expect(checked.open).toMatchObject({ id: letterId, status: 'checked', checkedBy: ADMIN.displayName, date: '2025-03-05' });
    expect((await admin.fail('letter:check', { ...key(), date: '2025-03-05' })).code).toBe('conflict');
    // While checked, the preview and the DOCX export show exactly the checked content.
    const snapshot = JSON.parse(
      t.backend.db.prepare('SELECT checked_content_json FROM letters WHERE id = ?').pluck().get(letterId) as string,
    ) as GongwenDoc;
    expect((await admin.call('letter:preview', { ...key(), date: '2030-01-01' })).doc).toEqual(snapshot);

    const holders = await admin.call('key:holders', {});
    expect(holders.map((h) => h.name).sort()).toEqual(['张组长', '王组长'].sort());
    expect(await admin.fail('letter:issue', { letterId, password: 'wrong-pass1', cosigners: [] })).toMatchObject({ code: 'invalid_input' });
    expect(
      await admin.fail('letter:issue', {
        letterId,
        password: ADMIN.password,
        cosigners: [{ userId: userId('zhang'), password: 'nope-nope1' }],
      }),
    ).toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('张组长的密码不正确'),
    });
    expect(t.backend.db.prepare('SELECT status FROM letters WHERE id = ?').pluck().get(letterId)).toBe('checked');

    const t0 = performance.now();
    issuedState = await admin.call('letter:issue', {
      letterId,
      password: ADMIN.password,
      cosigners: [{ userId: userId('zhang'), password: LEAD.password }],
    });
    console.log(`letter:issue (scored campaign, 2 signers): ${(performance.now() - t0).toFixed(0)} ms`);
    expect(issuedState.open).toBeNull();
    expect(issuedState.issued).toHaveLength(1);
    expect(issuedState.issued[0]).toMatchObject({
      letterId,
      documentNumber: '某司监〔2025〕1号',
      unitName: '某某县市场监督管理局',
      issuedBy: ADMIN.displayName,
      signers: [expect.objectContaining({ role: 'issuer', name: '王组长' }), expect.objectContaining({ role: 'cosigner', name: '张组长' })],
    });
    expect(issuedState.issued[0]!.files.map((f) => f.role).sort()).toEqual(['content', 'docx', 'pdf']);
    const audit = t.backend.db
      .prepare(`SELECT action FROM audit_log WHERE entity IN ('letter', 'signedDocument') AND entity_id = ? ORDER BY id`)
      .pluck()
      .all(letterId);
    expect(audit).toEqual(['letter.number', 'letter.check', 'letter.issue', 'document.issue']);
  });

  it('freezes the checked content, the DOCX and a PDF rendition that poppler reads back, all verifying', async () => {
    const entry = issuedState.issued[0]!;
    const snapshot = JSON.parse(
      t.backend.db.prepare('SELECT checked_content_json FROM letters WHERE id = ?').pluck().get(entry.letterId) as string,
    ) as GongwenDoc;
    expect(entry.files.find((f) => f.role === 'content')!.sm3).toBe(sm3Hex(canonicalJson(snapshot)));

    const pdfBytes = await downloadBytes(t.backend, (await admin.call('register:download', { issuedId: entry.id, what: 'pdf' })).url);
    const docxBytes = await downloadBytes(t.backend, (await admin.call('register:download', { issuedId: entry.id, what: 'docx' })).url);
    const pdf = path.join(out, 'letter-issued.pdf');
    fs.writeFileSync(pdf, pdfBytes);
    fs.writeFileSync(path.join(out, 'letter-issued.docx'), docxBytes);
    renderFirstPage(pdf, 110);
    const facts = pdfFacts(pdf);
    expect([Math.round(facts.widthPt), Math.round(facts.heightPt)]).toEqual([595, 842]);
    for (const row of pdfFonts(pdf).trim().split('\n').slice(2)) expect(row).toMatch(/\s+yes yes yes\s+/);
    const text = execFileSync('pdftotext', ['-raw', pdf, '-'], { encoding: 'utf8' })
      .replace(/—\s*\d+\s*—/g, '')
      .replace(/\s+/g, '');
    let from = 0;
    for (const piece of docText(snapshot)
      .map((s) => s.replace(/\s+/g, ''))
      .filter(Boolean)) {
      const at = text.indexOf(piece, from);
      expect(at, piece).toBeGreaterThanOrEqual(from);
      from = at + piece.length;
    }
    expect(text).toContain(`核验码：${entry.shortCode}`);

    // The DOCX printed from an office suite carries the same verification block: LibreOffice shows the code, and its QR scans.
    const officeDir = path.join(out, 'docx-via-office');
    fs.mkdirSync(officeDir, { recursive: true });
    const viaOffice = convertWithLibreOffice(path.join(out, 'letter-issued.docx'), officeDir);
    const officeText = execFileSync('pdftotext', ['-raw', viaOffice, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(officeText).toContain(`核验码：${entry.shortCode}`);
    const signaturePage =
      execFileSync('pdftotext', ['-layout', viaOffice, '-'], { encoding: 'utf8' })
        .split('\f')
        .findIndex((p) => p.includes('核验码')) + 1;
    const scan = path.join(out, 'letter-issued-docx-verification');
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      '300',
      '-f',
      String(signaturePage),
      '-l',
      String(signaturePage),
      '-singlefile',
      viaOffice,
      scan,
    ]);
    const scanned = execFileSync('zbarimg', ['--quiet', '--raw', '-Sbinary', `${scan}.png`], { stdio: ['ignore', 'pipe', 'pipe'] })
      .toString('utf8')
      .trim();
    expect((await admin.call('verify:text', { text: scanned })).status).toBe('valid');

    for (const [name, bytes] of [
      ['l.pdf', pdfBytes],
      ['l.docx', docxBytes],
    ] as const) {
      const report = await admin.call('verify:file', { sourceId: await stage(t.backend, admin, name, bytes) });
      expect(report).toMatchObject({ status: 'valid', document: { documentNumber: '某司监〔2025〕1号' } });
      expect(report.headline).toBe('由某某县司法局王组长于2025年3月5日签发，文件未被改动，2个签名均有效。');
    }
  });

  it('no channel can change an issued letter, and the database refuses it too', async () => {
    const entry = issuedState.issued[0]!;
    const db = t.backend.db;
    const snapshot = () => ({
      letter: db.prepare('SELECT * FROM letters WHERE id = ?').get(entry.letterId),
      register: db.prepare('SELECT * FROM signed_documents WHERE id = ?').get(entry.id),
      files: db.prepare('SELECT * FROM signed_document_files WHERE document_id = ? ORDER BY role').all(entry.id),
    });
    const before = snapshot();

    expect(await admin.fail('letter:reopen', { letterId: entry.letterId })).toMatchObject({ code: 'locked' });
    expect(await admin.fail('letter:issue', { letterId: entry.letterId, password: ADMIN.password })).toMatchObject({ code: 'locked' });
    // Every channel that names a letter or an issued document, called with this one's id, as the organiser.
    const naming = CHANNELS.filter((c) => {
      const shape = (contract[c].input as unknown as { shape?: Record<string, unknown> }).shape ?? {};
      return ['letterId', 'issuedId'].some((k) => k in shape);
    });
    expect(naming.sort()).toEqual(['letter:issue', 'letter:reopen', 'register:download'].sort());
    for (const channel of naming) {
      const result = await t.backend.dispatch(
        channel,
        { letterId: entry.letterId, issuedId: entry.id, password: ADMIN.password, what: 'pdf' },
        'w1',
      );
      if (result.ok) expect(channel).toBe('register:download'); // a read
    }
    // Channels that change letters by campaign and unit make a new letter or touch the template, never this one.
    const sweep: Array<[Channel, unknown]> = [
      ['letter:export', { ...key(), includeProvisional: false, date: '2025-03-06' }],
      ['letter:exportAll', { campaignId, kind: 'opinion', includeProvisional: false, date: '2025-03-06' }],
      [
        'letter:saveTemplate',
        { kind: 'opinion', template: { ...(await admin.call('letter:template', { kind: 'opinion' })).template, paragraphs: {} } },
      ],
      ['letter:check', { ...key(), date: '2025-03-06' }],
    ];
    for (const [channel, input] of sweep) await t.backend.dispatch(channel, input, 'w1');
    expect(snapshot()).toEqual(before);
    const reopened = await admin.call('letter:issueState', key());
    expect(reopened.open).toMatchObject({ status: 'checked', documentNumber: '某司监〔2025〕2号' });
    expect(reopened.open!.id).not.toBe(entry.letterId);

    expect(() => db.prepare(`UPDATE letters SET document_number = '某司监〔2025〕9号' WHERE id = ?`).run(entry.letterId)).toThrow(/frozen/);
    expect(() => db.prepare(`UPDATE letters SET status = 'draft' WHERE id = ?`).run(entry.letterId)).toThrow(/frozen/);
    expect(() => db.prepare('DELETE FROM letters WHERE id = ?').run(entry.letterId)).toThrow(/kept/);
    expect(snapshot()).toEqual(before);
  });

  it('a correction is a new letter that supersedes the issued one; both stay verifiable', async () => {
    const state = await admin.call('letter:issueState', key());
    const correction = state.open!;
    const noNote = await admin.fail('letter:issue', { letterId: correction.id, password: ADMIN.password });
    expect(noNote).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('更正说明') });
    const after = await admin.call('letter:issue', {
      letterId: correction.id,
      password: ADMIN.password,
      correctionNote: '更正第二部分所列扣分依据',
    });
    expect(after.issued.map((e) => [e.documentNumber, e.supersededBy !== null])).toEqual([
      ['某司监〔2025〕2号', false],
      ['某司监〔2025〕1号', true],
    ]);
    expect(after.issued[1]!.supersededBy).toBe(after.issued[0]!.id);
    expect(after.issued[0]!.supersedes).toBe(after.issued[1]!.id);
    const old = fs.readFileSync(path.join(out, 'letter-issued.pdf'));
    const report = await admin.call('verify:file', { sourceId: await stage(t.backend, admin, 'old.pdf', old) });
    expect(report).toMatchObject({ status: 'valid', reasons: [expect.stringContaining('已被更正文书取代')] });
  });
});

describe('文号 at issue', () => {
  const noticeOf = async (unitName: string) => ({
    campaignId,
    kind: 'notice' as const,
    unitId: (await admin.call('letter:list', { campaignId })).units.find((u) => u.unitName === unitName)!.unitId,
  });
  const issueOpen = async (k: { campaignId: string; kind: 'notice' | 'bulletin'; unitId?: string }) => {
    const state = await admin.call('letter:issueState', k);
    return admin.call('letter:issue', { letterId: state.open!.id, password: ADMIN.password });
  };

  it('numbers two letters consecutively from the bureau’s sequence, shown before 核对定稿', async () => {
    const { template } = await admin.call('letter:template', { kind: 'notice' });
    await admin.call('letter:saveTemplate', { kind: 'notice', template: { ...template, numberPrefix: '某司整改' } });
    const transport = await noticeOf('某某县交通运输局');
    const land = await noticeOf('某某县自然资源局');
    expect(await admin.call('letter:numbering', { ...transport, date: '2025-03-05' })).toMatchObject({
      issuingBody: '某某县司法局',
      prefix: '某司整改',
      year: 2025,
      nextSerial: 1,
      assigned: null,
      proposed: '某司整改〔2025〕1号',
    });
    expect((await admin.call('letter:check', { ...transport, date: '2025-03-05' })).open!.documentNumber).toBe('某司整改〔2025〕1号');
    expect((await admin.call('letter:numbering', { ...land, date: '2025-03-05' })).proposed).toBe('某司整改〔2025〕2号');
    expect((await admin.call('letter:check', { ...land, date: '2025-03-05' })).open!.documentNumber).toBe('某司整改〔2025〕2号');
    expect((await issueOpen(transport)).issued[0]!.documentNumber).toBe('某司整改〔2025〕1号');
    expect((await issueOpen(land)).issued[0]!.documentNumber).toBe('某司整改〔2025〕2号');
  });

  it('the bureau sets where the sequence continues; an edited number is used, a duplicate or a wrong form refused', async () => {
    const market = await noticeOf('某某县市场监督管理局');
    expect(await admin.fail('letter:setNextNumber', { campaignId, kind: 'notice', year: 2025, nextSerial: 2 })).toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('已被'),
    });
    expect((await admin.call('letter:setNextNumber', { campaignId, kind: 'notice', year: 2025, nextSerial: 10 })).proposed).toBe(
      '某司整改〔2025〕10号',
    );
    expect((await admin.call('letter:numbering', { ...market, date: '2025-03-05' })).proposed).toBe('某司整改〔2025〕10号');

    const duplicate = await admin.fail('letter:check', { ...market, date: '2025-03-05', documentNumber: '某司整改〔2025〕1号' });
    expect(duplicate).toMatchObject({
      code: 'conflict',
      message: '文号“某司整改〔2025〕1号”已被2025年度行政执法案卷评查的某某县交通运输局整改通知书使用，文号不能重复，请改用其他文号。',
    });
    expect(await admin.fail('letter:check', { ...market, date: '2025-03-05', documentNumber: '某司整改〔2025〕第05号' })).toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('如“清司监〔2026〕3号”'),
    });
    expect(await admin.fail('letter:check', { ...market, date: '2025-03-05', documentNumber: '某司整改(2025)15号' })).toMatchObject({
      code: 'invalid_input',
    });
    const checked = await admin.call('letter:check', { ...market, date: '2025-03-05', documentNumber: '某司整改〔2025〕15号' });
    expect(checked.open!.documentNumber).toBe('某司整改〔2025〕15号');
    // Frozen with the content: a different number needs 退回修改 first.
    expect(await admin.fail('letter:check', { ...market, date: '2025-03-05', documentNumber: '某司整改〔2025〕16号' })).toMatchObject({
      code: 'conflict',
    });
    const issued = (await issueOpen(market)).issued[0]!;
    expect(issued.documentNumber).toBe('某司整改〔2025〕15号');
    // The sequence continues after the number typed.
    expect((await admin.call('letter:numbering', { ...market, date: '2025-03-05' })).nextSerial).toBe(16);

    // Frozen into the issued DOCX and PDF.
    const docx = await downloadBytes(t.backend, (await admin.call('register:download', { issuedId: issued.id, what: 'docx' })).url);
    const { runs } = await docxParts(docx);
    expect(runs.map((r) => r.text).join('')).toContain('某司整改〔2025〕15号');
    const pdfPath = path.join(out, 'notice-edited-number.pdf');
    fs.writeFileSync(
      pdfPath,
      await downloadBytes(t.backend, (await admin.call('register:download', { issuedId: issued.id, what: 'pdf' })).url),
    );
    const pdfText = execFileSync('pdftotext', [pdfPath, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(pdfText).toContain('某司整改〔2025〕15号');
    expect(pdfText).toContain('2025年3月5日');
    expect(pdfText).not.toMatch(/2025-03-05|3\/5\/2025|2025\/3\/5/);
  });

  it('a letter is not checked for issuing without a 文号; the register shows every number', async () => {
    const bulletin = { campaignId, kind: 'bulletin' as const };
    expect(await admin.fail('letter:check', { ...bulletin, date: '2025-03-05' })).toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('须有发文字号'),
    });
    expect(
      (await admin.call('letter:check', { ...bulletin, date: '2025-03-05', documentNumber: '某司通〔2025〕1号' })).open!.documentNumber,
    ).toBe('某司通〔2025〕1号');
    await issueOpen(bulletin);
    const register = await admin.call('register:list', {});
    expect(register.map((e) => e.documentNumber).sort()).toEqual(
      [
        '某司整改〔2025〕15号',
        '某司整改〔2025〕1号',
        '某司整改〔2025〕2号',
        '某司监〔2025〕1号',
        '某司监〔2025〕2号',
        '某司通〔2025〕1号',
      ].sort(),
    );
  });
});
