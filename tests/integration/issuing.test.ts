/**
 * Issuing and verifying a document end to end through the real back end: the issuer and a co-signer
 * sign with their passwords, the outputs (content, DOCX, PDF) are frozen and registered; every
 * sampled single-byte change to the PDF or the DOCX is detected; the QR code printed on the PDF
 * decodes (zbarimg) to the same id, digest and signature; another workstation trusts only what its
 * organiser accepted.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatFingerprint } from '../../shared/signing/fingerprint.js';
import { decodePayload } from '../../shared/signing/statement.js';
import type { IssueResult } from '../../electron/services/signing/issuer.js';
import { sm3Hex } from '../../electron/services/signing/sm2.js';
import { ADMIN, client, openTestBackend, setupAdmin, stage, type TestBackend } from '../support/backend.js';
import { downloadBytes, importIdentity, issueFixtureLetter } from '../support/signing.js';
import { sealPng } from '../support/seal-png.js';
import { outputDir, tempDir } from '../support/temp.js';

let a: TestBackend;
let b: TestBackend;
let issued: IssueResult;
const out = outputDir('signing');
const LEAD = { username: 'zhang', displayName: '张组长', role: 'lead' as const, affiliation: '某某县司法局', password: 'Lead3r!!' };

beforeAll(async () => {
  a = openTestBackend();
  b = openTestBackend();
  const admin = await setupAdmin(a.backend, 'a1');
  await admin.call('user:create', LEAD);
  const lead = client(a.backend, 'a2');
  await lead.call('auth:login', { username: LEAD.username, password: LEAD.password });
  await admin.call('key:create', { password: ADMIN.password });
  await lead.call('key:create', { password: LEAD.password });
});
afterAll(() => {
  a.close();
  b.close();
});

const issue = (
  t: TestBackend,
  overrides: { supersedes?: string; cosignerPassword?: string; useSeal?: boolean } = {},
): Promise<IssueResult> =>
  issueFixtureLetter(t.backend, {
    issuer: { username: 'admin', password: ADMIN.password },
    cosigners: [{ username: LEAD.username, password: overrides.cosignerPassword ?? LEAD.password }],
    ...(overrides.supersedes ? { supersedes: overrides.supersedes } : {}),
    ...(overrides.useSeal ? { useSeal: true } : {}),
  });

const bytesOf = (r: IssueResult, role: string): Buffer => Buffer.from(r.outputs.find((o) => o.role === role)!.bytes);

describe('issuing', () => {
  it('refuses a wrong co-signer password and records nothing', async () => {
    const before = a.backend.db.prepare('SELECT count(*) FROM signed_documents').pluck().get();
    await expect(issue(a, { cosignerPassword: 'wrong-pass1' })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('张组长的密码不正确'),
    });
    expect(a.backend.db.prepare('SELECT count(*) FROM signed_documents').pluck().get()).toBe(before);
  });

  it('signs, freezes and registers content, DOCX and PDF; each verifies as issued', async () => {
    const t0 = performance.now();
    issued = await issue(a);
    console.log(`issue (2 signers, content + DOCX + PDF): ${(performance.now() - t0).toFixed(0)} ms`);
    expect(issued.entry).toMatchObject({
      kind: 'letter',
      documentNumber: '某司监〔2025〕12号',
      unitName: '某某县市场监督管理局',
      supersededBy: null,
    });
    expect(issued.entry.signers.map((s) => [s.role, s.name])).toEqual([
      ['issuer', '王组长'],
      ['cosigner', '张组长'],
    ]);
    expect(issued.entry.files.map((f) => f.role).sort()).toEqual(['content', 'docx', 'pdf']);
    for (const o of issued.outputs) fs.writeFileSync(path.join(out, `issued.${o.role === 'content' ? 'content.json' : o.role}`), o.bytes);

    const admin = client(a.backend, 'a1');
    for (const role of ['pdf', 'docx', 'content']) {
      const report = await admin.call('verify:file', { sourceId: await stage(a.backend, admin, `x.${role}`, bytesOf(issued, role)) });
      expect(report, role).toMatchObject({ status: 'valid', scope: 'file', file: { matches: role, sm3: sm3Hex(bytesOf(issued, role)) } });
      expect(report.headline).toBe('由某某县司法局王组长于2025年3月5日签发，文件未被改动，2个签名均有效。');
      expect(report.signatures.every((s) => s.valid && s.trust === 'trusted')).toBe(true);
    }
    // The frozen outputs come back byte for byte.
    const pdf = await admin.call('register:download', { issuedId: issued.entry.id, what: 'pdf' });
    expect((await downloadBytes(a.backend, pdf.url)).equals(bytesOf(issued, 'pdf'))).toBe(true);
  });

  it('detects every sampled single-byte change to the issued PDF and DOCX', () => {
    const { verifier } = a.backend.services.signing;
    for (const role of ['pdf', 'docx']) {
      const original = bytesOf(issued, role);
      // Evenly spread positions, the first and last bytes, and the id marker itself.
      const marker = original.indexOf('PCDOC-ID:');
      const positions = new Set<number>([0, 1, original.length - 1, marker, marker + 12]);
      for (let i = 0; i < 300; i++) positions.add(Math.floor((i * original.length) / 300));
      const outcomes: Record<string, number> = {};
      const t0 = performance.now();
      for (const at of positions) {
        for (const delta of [0x01, 0x80]) {
          const copy = Buffer.from(original);
          copy[at] = copy[at]! ^ delta;
          const report = verifier.verifyFile(`x.${role}`, copy);
          expect(report.status, `${role} byte ${at} ^ ${delta}`).not.toBe('valid');
          outcomes[report.status] = (outcomes[report.status] ?? 0) + 1;
        }
      }
      console.log(
        `${role}: ${original.length} bytes, ${positions.size} positions × 2 changes in ${(performance.now() - t0).toFixed(0)} ms →`,
        outcomes,
      );
      // Where the id marker survives, the verifier names the letter and says it was altered.
      expect(outcomes.altered).toBeGreaterThan(positions.size);
    }
    expect(verifier.verifyFile('x.pdf', bytesOf(issued, 'pdf')).status).toBe('valid');
  });

  it('prints the 文号 and the 成文日期 the GB/T 9704 way on the frozen PDF and DOCX, and the register lists the number', async () => {
    const pdfText = execFileSync('pdftotext', [path.join(out, 'issued.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    const docx = await JSZip.loadAsync(bytesOf(issued, 'docx'));
    const docxText = (await docx.file('word/document.xml')!.async('string')).replace(/<[^>]+>/g, '');
    for (const text of [pdfText, docxText]) {
      expect(text).toContain('某司监〔2025〕12号');
      expect(text).toContain('2025年3月5日');
      expect(text).not.toMatch(/2025-03-05|2025\/0?3\/0?5|0?3\/0?5\/2025/);
    }
    const admin = client(a.backend, 'a1');
    expect((await admin.call('register:list', {})).find((e) => e.id === issued.entry.id)?.documentNumber).toBe('某司监〔2025〕12号');
  });

  it('prints a QR code that decodes (zbarimg) to the same id, content digest and signature', () => {
    const pdf = path.join(out, 'issued.pdf');
    const lastPage = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1]);
    const png = path.join(out, 'issued-qr-page');
    execFileSync('pdftoppm', ['-png', '-r', '300', '-f', String(lastPage), '-l', String(lastPage), '-singlefile', pdf, png]);
    const scanned = execFileSync('zbarimg', ['--quiet', '--raw', '-Sbinary', `${png}.png`], { stdio: ['ignore', 'pipe', 'pipe'] })
      .toString('utf8')
      .trim();
    expect(scanned).toBe(issued.payload);
    const decoded = decodePayload(scanned);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    const manifest = a.backend.services.signing.register.manifest(a.backend.services.signing.register.get(issued.entry.id)!);
    expect(decoded.statement.id).toBe(issued.entry.id);
    expect(decoded.statement.content).toBe(sm3Hex(bytesOf(issued, 'content')));
    expect(decoded.signature).toBe(manifest.manifest.statement!.signature);
    // The short code is printed beside it.
    expect(execFileSync('pdftotext', ['-f', String(lastPage), '-l', String(lastPage), pdf, '-'], { encoding: 'utf8' })).toContain(
      `核验码：${issued.shortCode}`,
    );
  });

  it('verifies the QR text and the short code; a changed QR text is refused', async () => {
    const admin = client(a.backend, 'a1');
    expect(await admin.call('verify:text', { text: issued.payload })).toMatchObject({ status: 'valid', scope: 'statement' });
    expect(await admin.call('verify:text', { text: issued.shortCode.toLowerCase() })).toMatchObject({ status: 'valid', scope: 'register' });
    const edited = issued.payload.replace('12号', '13号');
    const report = await admin.call('verify:text', { text: edited });
    expect(report).toMatchObject({ status: 'altered' });
    expect((await admin.call('verify:text', { text: 'ABCD-EFGH-JKMN-PQRS' })).status).toBe('not_registered');
    expect((await admin.call('verify:text', { text: '随便写的' })).status).toBe('unreadable');
  });

  it('the command-line verifier gives the same answers (npm run verify)', () => {
    const verify = (...args: string[]): { code: number; out: string } => {
      try {
        return {
          code: 0,
          out: execFileSync('npm', ['run', '--silent', 'verify', '--', ...args, '--data-dir', a.dir], {
            encoding: 'utf8',
            stdio: ['ignore', 'pipe', 'pipe'],
          }),
        };
      } catch (err) {
        const e = err as { status: number; stdout: string; stderr: string };
        return { code: e.status, out: e.stdout + e.stderr };
      }
    };
    const pdf = path.join(out, 'issued.pdf');
    const ok = verify(pdf);
    expect(ok).toMatchObject({
      code: 0,
      out: expect.stringContaining('✔ 核验通过：由某某县司法局王组长于2025年3月5日签发，文件未被改动，2个签名均有效。'),
    });
    expect(ok.out).toContain(`SM3 ${sm3Hex(bytesOf(issued, 'pdf'))}`);
    const altered = path.join(out, 'issued-altered.pdf');
    const copy = Buffer.from(bytesOf(issued, 'pdf'));
    copy[copy.length >> 1] = copy[copy.length >> 1]! ^ 0x20;
    fs.writeFileSync(altered, copy);
    expect(verify(altered)).toMatchObject({ code: 1, out: expect.stringContaining('✘ 文件已被改动') });
    const byCode = verify('--code', issued.payload, '--json');
    expect(byCode.code).toBe(0);
    expect(JSON.parse(byCode.out)).toMatchObject({
      status: 'valid',
      scope: 'statement',
      headline: expect.stringContaining('二维码与登记簿一致'),
    });
  });

  it('leaves the 交付签章 hand-off under test-output/signing/handoff/, which the command line checks on a PC without a workspace', async () => {
    const zipBytes = await downloadBytes(
      a.backend,
      (await client(a.backend, 'a1').call('register:download', { issuedId: issued.entry.id, what: 'handoff' })).url,
    );
    const handoff = path.join(out, 'handoff');
    fs.rmSync(handoff, { recursive: true, force: true });
    fs.mkdirSync(handoff, { recursive: true });
    fs.writeFileSync(path.join(out, 'handoff.zip'), zipBytes);
    const zip = await JSZip.loadAsync(zipBytes);
    for (const name of Object.keys(zip.files)) fs.writeFileSync(path.join(handoff, name), await zip.file(name)!.async('nodebuffer'));
    const pdf = path.join(handoff, '监督意见书.pdf');
    const manifest = path.join(handoff, 'manifest.json');
    expect(fs.readFileSync(pdf).equals(bytesOf(issued, 'pdf'))).toBe(true);

    // "Any PC": no --data-dir, no PINGCHA_DATA_DIR, and no workspace in the platform's default place.
    const bare = tempDir('pingcha-no-workspace-');
    const env: NodeJS.ProcessEnv = { ...process.env, XDG_DATA_HOME: bare.dir, APPDATA: bare.dir, HOME: bare.dir };
    delete env.PINGCHA_DATA_DIR;
    const verify = (...args: string[]): { code: number; out: string } => {
      try {
        return {
          code: 0,
          out: execFileSync('npm', ['run', '--silent', 'verify', '--', ...args], {
            encoding: 'utf8',
            env,
            stdio: ['ignore', 'pipe', 'pipe'],
          }),
        };
      } catch (err) {
        const e = err as { status: number; stdout: string; stderr: string };
        return { code: e.status, out: e.stdout + e.stderr };
      }
    };
    try {
      const [issuer, cosigner] = issued.entry.signers;
      const intact = verify(pdf, '--manifest', manifest);
      expect(intact.code, intact.out).toBe(3);
      expect(intact.out).toContain('文件与签名清单一致，2个签名均有效；签名人的公钥本机未登记');
      expect(intact.out).toContain(
        `签发人：某某县司法局王组长，签名有效；签名人公钥指纹 ${formatFingerprint(issuer!.fingerprint)}，本机未登记`,
      );
      expect(intact.out).toContain(
        `会签人：某某县司法局张组长，签名有效；签名人公钥指纹 ${formatFingerprint(cosigner!.fingerprint)}，本机未登记`,
      );
      expect(intact.out).toContain('信任依据：无（本机没有评查工作站数据）');
      expect(JSON.parse(verify(pdf, '--manifest', manifest, '--json').out)).toMatchObject({
        status: 'untrusted',
        trustBasis: { kind: 'manifest' },
        file: { matches: 'pdf' },
      });

      // One byte of the PDF changed: refused, as on a workstation.
      const altered = path.join(bare.dir, 'altered.pdf');
      const copy = Buffer.from(bytesOf(issued, 'pdf'));
      copy[copy.length >> 1] = copy[copy.length >> 1]! ^ 0x20;
      fs.writeFileSync(altered, copy);
      expect(verify(altered, '--manifest', manifest)).toMatchObject({ code: 1, out: expect.stringContaining('✘ 文件已被改动') });
      // A manifest edited after signing (another 文号): its signatures no longer verify.
      const forged = JSON.parse(fs.readFileSync(manifest, 'utf8'));
      forged.manifest.subject.documentNumber = '某司监〔2025〕99号';
      const forgedFile = path.join(bare.dir, 'forged.manifest.json');
      fs.writeFileSync(forgedFile, JSON.stringify(forged));
      expect(verify(pdf, '--manifest', forgedFile)).toMatchObject({ code: 1, out: expect.stringContaining('签名无效') });
      // Without the manifest, or with only a QR text, there is nothing to check against: cannot run.
      expect(verify(pdf)).toMatchObject({ code: 2, out: expect.stringContaining('请用 --manifest 附上签发时导出的签名清单') });
      expect(verify('--code', issued.payload)).toMatchObject({ code: 2, out: expect.stringContaining('本机没有评查工作站数据') });
      // The same hand-off with the issuing workstation's data folder: the keys are registered and trusted there.
      const trusted = verify(pdf, '--manifest', manifest, '--data-dir', a.dir);
      expect(trusted.code, trusted.out).toBe(0);
      expect(trusted.out).toContain(
        `签发人：某某县司法局王组长，签名有效；签名人公钥指纹 ${formatFingerprint(issuer!.fingerprint)}，已登记为本机信任的密钥`,
      );
      expect(verify(pdf, '--manifest', manifest, '--data-dir', path.join(bare.dir, 'nowhere'))).toMatchObject({
        code: 2,
        out: expect.stringContaining('找不到工作站的数据文件'),
      });
    } finally {
      bare.cleanup();
    }
  });

  it('on another workstation: untrusted until accepted, valid with the manifest, refused once revoked', async () => {
    const orgB = await setupAdmin(b.backend, 'b1');
    const before = await orgB.call('verify:text', { text: issued.payload });
    expect(before).toMatchObject({ status: 'untrusted', reasons: [expect.stringContaining('不在本工作站的信任列表')] });
    const noManifest = await orgB.call('verify:file', { sourceId: await stage(b.backend, orgB, 'l.pdf', bytesOf(issued, 'pdf')) });
    expect(noManifest).toMatchObject({ status: 'not_registered', reasons: [expect.stringContaining('签名清单')] });

    // The identity files travel on a USB stick; the organiser accepts them.
    for (const c of [client(a.backend, 'a1'), client(a.backend, 'a2')]) {
      const entry = await importIdentity(b.backend, orgB, await downloadBytes(a.backend, (await c.call('key:exportIdentity', {})).url));
      await orgB.call('trust:accept', { fingerprint: entry.fingerprint });
    }
    expect(await orgB.call('verify:text', { text: issued.payload })).toMatchObject({
      status: 'valid',
      scope: 'statement',
      document: { inRegister: false },
    });

    const manifest = await downloadBytes(
      a.backend,
      (await client(a.backend, 'a1').call('register:download', { issuedId: issued.entry.id, what: 'manifest' })).url,
    );
    const withManifest = await orgB.call('verify:file', {
      sourceId: await stage(b.backend, orgB, 'l.pdf', bytesOf(issued, 'pdf')),
      manifestSourceId: await stage(b.backend, orgB, 'l.manifest.json', manifest),
    });
    expect(withManifest).toMatchObject({ status: 'valid', file: { matches: 'pdf' }, document: { inRegister: false } });
    const changed = Buffer.from(bytesOf(issued, 'docx'));
    changed[100] = changed[100]! ^ 1;
    const altered = await orgB.call('verify:file', {
      sourceId: await stage(b.backend, orgB, 'l.docx', changed),
      manifestSourceId: await stage(b.backend, orgB, 'l.manifest.json', manifest),
    });
    expect(altered.status).toBe('altered');

    const issuerFp = issued.entry.signers[0]!.fingerprint;
    await orgB.call('trust:revoke', { fingerprint: issuerFp, reason: '签发人离职' });
    expect(await orgB.call('verify:text', { text: issued.payload })).toMatchObject({ status: 'revoked' });
  });

  it('keeps the register frozen: the database refuses edits and deletions', () => {
    const db = a.backend.db;
    expect(() =>
      db.prepare('UPDATE signed_documents SET document_number = ? WHERE id = ?').run('某司监〔2025〕99号', issued.entry.id),
    ).toThrow(/frozen/);
    expect(() => db.prepare('UPDATE signed_document_files SET sm3 = ? WHERE document_id = ?').run('0'.repeat(64), issued.entry.id)).toThrow(
      /frozen/,
    );
    expect(() => db.prepare('DELETE FROM signed_documents WHERE id = ?').run(issued.entry.id)).toThrow(/kept/);
    expect(() => db.prepare('DELETE FROM signed_document_files').run()).toThrow(/kept/);
  });

  it('places the seal image only when asked, says the PDF is a printed rendition, and audits each use', async () => {
    const admin = client(a.backend, 'a1');
    await expect(issue(a, { useSeal: true })).rejects.toMatchObject({
      code: 'not_found',
      message: expect.stringContaining('还没有载入印章图像'),
    });
    const opaque = await admin.fail('seal:upload', { sourceId: await stage(a.backend, admin, 'seal.png', sealPng(300, true)) });
    expect(opaque).toMatchObject({ code: 'unsupported_file', message: expect.stringContaining('透明背景') });
    const notPng = await admin.fail('seal:upload', { sourceId: await stage(a.backend, admin, 'seal.png', Buffer.from('GIF89a')) });
    expect(notPng.code).toBe('unsupported_file');
    expect(await admin.call('seal:upload', { sourceId: await stage(a.backend, admin, '公章.png', sealPng()) })).toMatchObject({
      present: true,
      fileName: '公章.png',
      widthPx: 400,
      useCount: 0,
    });
    expect((await client(a.backend, 'a2').fail('seal:upload', { sourceId: 'x' })).code).toBe('forbidden');

    const plain = await issue(a);
    const sealed = await issue(a, { useSeal: true });
    const text = (r: IssueResult): string => {
      const file = path.join(out, `seal-check-${r.entry.id}.pdf`);
      fs.writeFileSync(file, bytesOf(r, 'pdf'));
      try {
        return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
      } finally {
        fs.rmSync(file);
      }
    };
    expect(text(plain)).not.toContain('所示印章为图像');
    expect(text(sealed)).toContain('本件为打印版本：所示印章为图像，不是依法设立的电子印章');
    fs.writeFileSync(path.join(out, 'issued-with-seal.pdf'), bytesOf(sealed, 'pdf'));
    expect((await admin.call('seal:status', {})).useCount).toBe(1);
    const uses = a.backend.db.prepare(`SELECT after_json FROM audit_log WHERE action = 'seal.use'`).pluck().all() as string[];
    expect(uses.map((u) => JSON.parse(u).documentId)).toEqual([sealed.entry.id]);
    // The hand-off for a certified 签章 tool: the frozen PDF, the request (digest, where the seal goes) and the manifest.
    const zip = await JSZip.loadAsync(
      await downloadBytes(a.backend, (await admin.call('register:download', { issuedId: sealed.entry.id, what: 'handoff' })).url),
    );
    expect(Object.keys(zip.files).sort()).toEqual(['manifest.json', 'signing-request.json', '监督意见书.pdf', '说明.txt'].sort());
    expect((await zip.file('监督意见书.pdf')!.async('nodebuffer')).equals(bytesOf(sealed, 'pdf'))).toBe(true);
    const handoff = JSON.parse(await zip.file('signing-request.json')!.async('string'));
    expect(handoff).toMatchObject({
      format: 'pingcha-signing-request/1',
      file: { sm3: sm3Hex(bytesOf(sealed, 'pdf')), bytes: bytesOf(sealed, 'pdf').length },
      sealPosition: { diameterMm: 42, page: expect.any(Number) },
    });
    expect(handoff.purpose).toContain('不是电子印章');
  });

  it('a correction supersedes the original; both stay in the register and the original says so', async () => {
    const correction = await issue(a, { supersedes: issued.entry.id, useSeal: false });
    const list = await client(a.backend, 'a1').call('register:list', {});
    expect(list.find((e) => e.id === issued.entry.id)?.supersededBy).toBe(correction.entry.id);
    expect(list.find((e) => e.id === correction.entry.id)?.supersedes).toBe(issued.entry.id);
    const report = a.backend.services.signing.verifier.verifyFile('old.pdf', bytesOf(issued, 'pdf'));
    expect(report).toMatchObject({ status: 'valid', reasons: [expect.stringContaining('已被更正文书取代')] });
    await expect(issue(a, { supersedes: issued.entry.id })).rejects.toMatchObject({ code: 'conflict' });
    expect(() => a.backend.db.prepare('UPDATE signed_documents SET superseded_by = NULL WHERE id = ?').run(issued.entry.id)).toThrow(
      /frozen/,
    );
  });
});
