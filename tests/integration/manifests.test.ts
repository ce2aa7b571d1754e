/**
 * The manifest API other services use (work packages): the lead's workstation signs a
 * package manifest with the lead's password; a reviewer's laptop (another data folder) checks it
 * against its own trust list, file by file, and says why a package does not count.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManifestSigning, type ManifestRequest } from '../../electron/services/signing/manifests.js';
import { sm3Hex } from '../../electron/services/signing/sm2.js';
import { ADMIN, client, openTestBackend, setupAdmin, type TestBackend } from '../support/backend.js';
import { downloadBytes, importIdentity } from '../support/signing.js';

let lead: TestBackend; // the lead's workstation
let laptop: TestBackend; // a reviewer's laptop, never connected to it
const LEAD = { username: 'zhang', displayName: '张组长', role: 'lead' as const, affiliation: '某某县司法局', password: 'Lead3r!!' };
const files = [
  { role: 'campaign', name: 'campaign.json', mediaType: 'application/json', bytes: Buffer.from('{"name":"2025年度评查"}', 'utf8') },
  { role: 'document', name: 'files/ab/abcdef.pdf', mediaType: 'application/pdf', bytes: Buffer.from('%PDF-1.7 fixture bytes …', 'latin1') },
];
const request = (id = 'pkg-1'): ManifestRequest => ({
  kind: 'work-package',
  id,
  subject: { campaign: '2025年度评查', reviewer: '李评查' },
  files,
});
const userId = (t: TestBackend, username: string): string =>
  t.backend.db.prepare('SELECT id FROM users WHERE username = ?').pluck().get(username) as string;

beforeAll(async () => {
  lead = openTestBackend();
  laptop = openTestBackend();
  const admin = await setupAdmin(lead.backend, 'l1');
  await admin.call('user:create', LEAD);
  const zhang = client(lead.backend, 'l2');
  await zhang.call('auth:login', { username: LEAD.username, password: LEAD.password });
  await zhang.call('key:create', { password: LEAD.password });
});
afterAll(() => {
  lead.close();
  laptop.close();
});

describe('signed manifests for packages', () => {
  it('signs with the lead’s password; a wrong password or a person without a key is refused', async () => {
    const m = lead.backend.services.signing.manifests;
    await expect(m.sign(request(), { userId: userId(lead, 'zhang'), password: 'wrong-pass1' })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('张组长的密码不正确'),
    });
    await expect(m.sign(request(), { userId: userId(lead, 'admin'), password: ADMIN.password })).rejects.toMatchObject({
      code: 'not_found',
    });
    const signed = await m.sign(request(), { userId: userId(lead, 'zhang'), password: LEAD.password });
    expect(signed.manifest).toMatchObject({
      format: 'pingcha-signed/1',
      kind: 'work-package',
      id: 'pkg-1',
      statement: null,
      rendition: null,
    });
    expect(signed.manifest.files.map((f) => [f.name, f.sm3, f.bytes])).toEqual(files.map((f) => [f.name, sm3Hex(f.bytes), f.bytes.length]));
    expect(signed.signatures).toEqual([expect.objectContaining({ role: 'issuer', name: '张组长' })]);
    // On the signing workstation itself the lead's key is trusted at once.
    expect(m.check(ManifestSigning.toBytes(signed), files)).toMatchObject({ ok: true, status: 'valid', reasons: [] });
  });

  it('on the laptop: untrusted until the lead’s identity is accepted, then valid; every altered, missing or extra file is named', async () => {
    const signed = await lead.backend.services.signing.manifests.sign(request(), {
      userId: userId(lead, 'zhang'),
      password: LEAD.password,
    });
    const bytes = ManifestSigning.toBytes(signed);
    const m = laptop.backend.services.signing.manifests;
    expect(m.check(bytes, files)).toMatchObject({
      ok: false,
      status: 'untrusted',
      reasons: [expect.stringContaining('不在本工作站的信任列表中')],
    });

    const zhang = client(lead.backend, 'l2');
    const identity = await downloadBytes(lead.backend, (await zhang.call('key:exportIdentity', {})).url);
    const org = await setupAdmin(laptop.backend, 'p1');
    const entry = await importIdentity(laptop.backend, org, identity);
    expect(m.check(bytes, files)).toMatchObject({ ok: false, status: 'untrusted', reasons: [expect.stringContaining('尚未经组织者确认')] });
    await org.call('trust:accept', { fingerprint: entry.fingerprint });

    const ok = m.check(bytes, files);
    expect(ok).toMatchObject({
      ok: true,
      status: 'valid',
      reasons: [],
      files: files.map((f) => ({ name: f.name, role: f.role, status: 'ok' })),
    });
    expect(ok.signatures).toEqual([
      expect.objectContaining({ role: 'issuer', name: '张组长', username: 'zhang', valid: true, trust: 'trusted', problem: null }),
    ]);
    // Streamed digests count the same as bytes.
    expect(
      m.check(
        bytes,
        files.map((f) => ({ name: f.name, sm3: sm3Hex(f.bytes) })),
      ).ok,
    ).toBe(true);
    // Signatures only (the caller checks entries as it streams them).
    expect(m.check(signed).ok).toBe(true);

    for (let i = 0; i < files[1]!.bytes.length; i += 5) {
      const flipped = Buffer.from(files[1]!.bytes);
      flipped[i]! ^= 0x01;
      const r = m.check(bytes, [files[0]!, { name: files[1]!.name, bytes: flipped }]);
      expect(r, `byte ${i}`).toMatchObject({ ok: false, status: 'altered', files: [{ status: 'ok' }, { status: 'altered' }] });
    }
    expect(m.check(bytes, [files[0]!])).toMatchObject({ ok: false, status: 'altered', reasons: ['缺少文件“files/ab/abcdef.pdf”。'] });
    expect(m.check(bytes, [...files, { name: '../evil', bytes: Buffer.from('x') }])).toMatchObject({
      ok: false,
      status: 'altered',
      reasons: ['文件“../evil”不在签名清单中。'],
    });

    // The manifest itself edited: a digest, the subject, or the signature.
    const edit = (f: (v: typeof signed) => void) => {
      const copy = structuredClone(signed);
      f(copy);
      return m.check(copy, files);
    };
    expect(edit((v) => (v.manifest.files[1]!.sm3 = sm3Hex(Buffer.from('other'))))).toMatchObject({ ok: false, status: 'bad_signature' });
    expect(edit((v) => (v.manifest.subject.reviewer = '王评查'))).toMatchObject({ ok: false, status: 'bad_signature' });
    expect(edit((v) => (v.signatures[0]!.role = 'cosigner'))).toMatchObject({ ok: false });
    expect(m.check(Buffer.from('not json'), files)).toMatchObject({ ok: false, status: 'unreadable', manifest: null });
    expect(m.check({ manifest: {}, signatures: [] })).toMatchObject({ ok: false, status: 'unreadable' });

    await org.call('trust:revoke', { fingerprint: entry.fingerprint, reason: '组长更换' });
    expect(m.check(bytes, files)).toMatchObject({ ok: false, status: 'revoked', reasons: [expect.stringContaining('组长更换')] });
  });

  it('refuses duplicate file names and a manifest without an issuer', async () => {
    const m = lead.backend.services.signing.manifests;
    await expect(
      m.sign({ ...request(), files: [files[0]!, files[0]!] }, { userId: userId(lead, 'zhang'), password: LEAD.password }),
    ).rejects.toMatchObject({ code: 'invalid_input' });
    const signer = await lead.backend.services.signing.keys.unlock(userId(lead, 'zhang'), LEAD.password);
    expect(() => m.signWith(request(), [{ signer, role: 'cosigner' }])).toThrow(/签发人/);
    const cosignedOnly = m.signWith(request(), [{ signer, role: 'issuer' }]);
    cosignedOnly.signatures[0]!.role = 'cosigner';
    expect(m.check(cosignedOnly, files)).toMatchObject({ ok: false });
  });
});
