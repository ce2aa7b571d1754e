/**
 * Keys and trust between two air-gapped workstations (two data folders): key pairs sealed under the
 * password, identity files carried across, accepted and revoked by an organiser, signed manifests
 * verified on the other side, encrypted backups restored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../shared/signing/canonical.js';
import type { IdentityFile } from '../../shared/signing/identity.js';
import { MANIFEST_FORMAT, type ManifestBody } from '../../shared/signing/manifest.js';
import { checkManifest, describeFiles, signManifest } from '../../electron/services/signing/signer.js';
import { openPrivateKey, type SealedKey } from '../../electron/services/signing/sm2.js';
import { ADMIN, client, openTestBackend, setupAdmin, stage, type TestBackend } from '../support/backend.js';
import { downloadBytes, importIdentity } from '../support/signing.js';

let a: TestBackend; // the bureau's workstation
let b: TestBackend; // a county's workstation, never connected to it
beforeAll(() => {
  a = openTestBackend();
  b = openTestBackend();
});
afterAll(() => {
  a.close();
  b.close();
});

const body = (id: string, bytes: Uint8Array): ManifestBody => ({
  format: MANIFEST_FORMAT,
  kind: 'test',
  id,
  issuedAt: new Date().toISOString(),
  subject: { title: '测试文书' },
  files: describeFiles([{ role: 'pdf', name: 'a.pdf', mediaType: 'application/pdf', bytes }]),
  statement: null,
  supersedes: null,
  rendition: null,
});

describe('keys and trust across two workstations', () => {
  let identity: Buffer;

  it('makes a key sealed under the login password; the password is checked first', async () => {
    const admin = await setupAdmin(a.backend, 'a1');
    expect(await admin.call('key:mine', {})).toEqual({ active: null, retired: [] });
    expect(await admin.fail('key:create', { password: 'wrong-one1' })).toMatchObject({ code: 'invalid_input', message: '密码不正确。' });
    const key = await admin.call('key:create', { password: ADMIN.password });
    expect(key).toMatchObject({ status: 'active', trust: 'trusted' });
    expect(key.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect((await admin.fail('key:create', { password: ADMIN.password })).code).toBe('conflict');
    const row = a.backend.db.prepare('SELECT sealed_private_key FROM signing_keys').get() as { sealed_private_key: string };
    const sealed = JSON.parse(row.sealed_private_key) as SealedKey;
    expect(sealed).toMatchObject({ kdf: 'scrypt', cipher: 'aes-256-gcm' });
    const privateKey = await openPrivateKey(sealed, ADMIN.password, key.fingerprint);
    expect(privateKey).toMatch(/^[0-9a-f]{64}$/);
    // Nowhere in the database in the clear.
    const dump =
      JSON.stringify(a.backend.db.prepare('SELECT * FROM signing_keys').all()) +
      JSON.stringify(a.backend.db.prepare('SELECT * FROM audit_log').all());
    expect(dump).not.toContain(privateKey!);

    const out = await admin.call('key:exportIdentity', {});
    expect(out.fileName).toMatch(/^签名身份-王组长-[0-9A-F]{16}\.json$/);
    identity = await downloadBytes(a.backend, out.url);
    const parsed = JSON.parse(identity.toString('utf8')) as IdentityFile;
    expect(parsed).toMatchObject({
      holder: { name: '王组长', unit: '某某县司法局', role: 'organiser', username: 'admin' },
      fingerprint: key.fingerprint,
      userId: '1234567812345678',
    });
    expect(identity.toString()).not.toContain(privateKey!);
  });

  it('another workstation lists the key as 待确认 until an organiser accepts it; edited files are refused', async () => {
    const orgB = await setupAdmin(b.backend, 'b1');
    const leadB = client(b.backend, 'b2');
    await orgB.call('user:create', {
      username: 'zhang',
      displayName: '张组长',
      role: 'lead',
      affiliation: '某某县司法局',
      password: 'Lead3r!!',
    });
    await leadB.call('auth:login', { username: 'zhang', password: 'Lead3r!!' });

    const edited = JSON.parse(identity.toString()) as IdentityFile;
    edited.holder.name = '李某';
    const refused = await leadB.fail('trust:import', {
      sourceId: await stage(b.backend, leadB, 'id.json', Buffer.from(JSON.stringify(edited))),
    });
    expect(refused).toMatchObject({ code: 'damaged_file', message: expect.stringContaining('自签名无效') });
    const notJson = await leadB.fail('trust:import', { sourceId: await stage(b.backend, leadB, 'id.json', Buffer.from('%PDF-1.7')) });
    expect(notJson.code).toBe('unsupported_file');

    const entry = await importIdentity(b.backend, leadB, identity);
    expect(entry).toMatchObject({ status: 'pending', name: '王组长', origin: 'imported', addedBy: '张组长' });
    await expect(importIdentity(b.backend, leadB, identity)).rejects.toMatchObject({ error: { code: 'conflict' } });
    expect((await leadB.fail('trust:accept', { fingerprint: entry.fingerprint })).code).toBe('forbidden');
    const accepted = await orgB.call('trust:accept', { fingerprint: entry.fingerprint });
    expect(accepted).toMatchObject({ status: 'trusted', acceptedBy: ADMIN.displayName });
    const audit = b.backend.db.prepare(`SELECT action FROM audit_log WHERE entity = 'trustedKey' ORDER BY id`).all();
    expect(audit).toEqual([{ action: 'trust.import' }, { action: 'trust.accept' }]);
  });

  it('a manifest signed on A verifies on B while the key is trusted, and is refused once revoked', async () => {
    const signer = await a.backend.services.signing.keys.unlock(
      a.backend.db.prepare('SELECT id FROM users').pluck().get() as string,
      ADMIN.password,
    );
    const pdf = Buffer.from('%PDF-1.7 测试');
    const signed = JSON.parse(JSON.stringify(signManifest(body('doc-1', pdf), [{ signer, role: 'issuer' }], new Date().toISOString())));
    const trustB = b.backend.services.signing.trust.lookup;
    expect(checkManifest(signed, trustB)).toEqual([
      expect.objectContaining({ valid: true, trust: 'trusted', problem: null, name: '王组长' }),
    ]);

    // Any change to what was signed breaks the signature.
    const tampered = JSON.parse(canonicalJson(signed));
    tampered.manifest.files[0].sm3 = 'f'.repeat(64);
    expect(checkManifest(tampered, trustB)[0]).toMatchObject({ valid: false, problem: expect.stringContaining('签名验证失败') });
    // Unknown on a third, fresh workstation: refused as untrusted.
    const c = openTestBackend();
    try {
      expect(checkManifest(signed, c.backend.services.signing.trust.lookup)[0]).toMatchObject({
        trust: null,
        problem: expect.stringContaining('不在本工作站的信任列表'),
      });
    } finally {
      c.close();
    }

    const orgB = client(b.backend, 'b1');
    expect((await orgB.fail('trust:revoke', { fingerprint: signer.fingerprint, reason: '' })).message).toContain('撤销原因');
    const revoked = await orgB.call('trust:revoke', { fingerprint: signer.fingerprint, reason: '密钥所在电脑丢失' });
    expect(revoked).toMatchObject({ status: 'revoked', revokedBy: ADMIN.displayName, revokeReason: '密钥所在电脑丢失' });
    expect(checkManifest(signed, trustB)[0]).toMatchObject({ valid: true, trust: 'revoked', problem: expect.stringContaining('被撤销') });
    expect((await orgB.fail('trust:accept', { fingerprint: signer.fingerprint })).code).toBe('locked');
    expect(() => b.backend.db.prepare(`UPDATE trusted_keys SET status = 'trusted'`).run()).toThrow(/stays revoked/);
    expect(() => b.backend.db.prepare(`DELETE FROM trusted_keys`).run()).toThrow(/kept/);
  });

  it('a revoked key cannot sign on its own workstation either', async () => {
    const admin = client(a.backend, 'a1');
    const fp = (await admin.call('key:mine', {})).active!.fingerprint;
    const userId = a.backend.db.prepare('SELECT id FROM users').pluck().get() as string;
    await expect(a.backend.services.signing.keys.unlock(userId, 'Wrong-pass1')).rejects.toMatchObject({ code: 'invalid_input' });
    await admin.call('trust:revoke', { fingerprint: fp, reason: '测试撤销' });
    await expect(a.backend.services.signing.keys.unlock(userId, ADMIN.password)).rejects.toMatchObject({ code: 'locked' });
    // A new key replaces it; the old one is kept (retired) for verifying what it signed.
    const fresh = await admin.call('key:create', { password: ADMIN.password, replace: true });
    expect(fresh.fingerprint).not.toBe(fp);
    const mine = await admin.call('key:mine', {});
    expect(mine.retired.map((k) => k.fingerprint)).toEqual([fp]);
    expect(mine.retired[0]!.trust).toBe('revoked');
    await expect(a.backend.services.signing.keys.unlock(userId, ADMIN.password)).resolves.toMatchObject({ fingerprint: fresh.fingerprint });
  });

  it('exports an encrypted backup (password required) and restores it after the key was replaced', async () => {
    const admin = client(a.backend, 'a1');
    expect((await admin.fail('key:exportBackup', { password: 'nope-nope1' })).code).toBe('invalid_input');
    const current = (await admin.call('key:mine', {})).active!;
    const out = await admin.call('key:exportBackup', { password: ADMIN.password });
    const backup = await downloadBytes(a.backend, out.url);
    const parsed = JSON.parse(backup.toString());
    expect(parsed).toMatchObject({ format: 'pingcha-key-backup/1', sealedPrivateKey: { kdf: 'scrypt', cipher: 'aes-256-gcm' } });
    const privateKey = await openPrivateKey(parsed.sealedPrivateKey, ADMIN.password, current.fingerprint);
    expect(backup.toString()).not.toContain(privateKey!);

    await admin.call('key:create', { password: ADMIN.password, replace: true });
    const wrong = await admin.fail('key:restore', {
      sourceId: await stage(a.backend, admin, 'b.json', backup),
      backupPassword: 'bad-pass1',
      password: ADMIN.password,
    });
    expect(wrong).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('备份密码不正确') });
    const restored = await admin.call('key:restore', {
      sourceId: await stage(a.backend, admin, 'b.json', backup),
      backupPassword: ADMIN.password,
      password: ADMIN.password,
    });
    expect(restored.fingerprint).toBe(current.fingerprint);
    expect((await admin.call('key:mine', {})).active?.fingerprint).toBe(current.fingerprint);
    const actions = a.backend.db.prepare(`SELECT action FROM audit_log WHERE entity = 'signingKey' ORDER BY id`).pluck().all();
    expect(actions).toEqual(
      expect.arrayContaining(['key.create', 'key.exportIdentity', 'key.exportBackup', 'key.retire', 'key.restore', 'key.unlock_failed']),
    );
  });

  it('changing one’s own password re-seals the key; after an organiser’s reset the refusal says why', async () => {
    const orgB = client(b.backend, 'b1');
    const leadB = client(b.backend, 'b2');
    await leadB.call('key:create', { password: 'Lead3r!!' });
    const leadId = b.backend.db.prepare(`SELECT id FROM users WHERE username = 'zhang'`).pluck().get() as string;
    await leadB.call('user:changePassword', { currentPassword: 'Lead3r!!', newPassword: 'N3w-Lead3r' });
    await expect(b.backend.services.signing.keys.unlock(leadId, 'N3w-Lead3r')).resolves.toMatchObject({ name: '张组长' });
    await expect(b.backend.services.signing.keys.unlock(leadId, 'Lead3r!!')).rejects.toMatchObject({ code: 'invalid_input' });

    await orgB.call('user:resetPassword', { userId: leadId, password: 'Reset-123' });
    await expect(b.backend.services.signing.keys.unlock(leadId, 'Reset-123')).rejects.toMatchObject({
      message: expect.stringContaining('被组织者重置过'),
    });
    await expect(b.backend.services.signing.keys.unlock(leadId, 'N3w-Lead3r')).resolves.toMatchObject({ name: '张组长' });
  });
});
