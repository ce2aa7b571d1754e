/**
 * Wrong passwords: counted before the hash runs, per account and per source, shared by login,
 * co-signing and key unlocking; an organiser can always get back in (recovery command on the PC).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword, SCRYPT, verifyPassword } from '../../electron/services/people/auth.js';
import { ADMIN, client, openTestBackend, setupAdmin, type TestBackend } from '../support/backend.js';
import { issueFixtureLetter } from '../support/signing.js';
import { REPO_ROOT } from '../support/temp.js';

let t: TestBackend;
const LEAD = { username: 'zhang', displayName: '张组长', role: 'lead' as const, affiliation: '某某县司法局', password: 'Lead3r!!' };
const REVIEWER = { username: 'li', displayName: '李评查', role: 'reviewer' as const, affiliation: '某县公安局', password: 'Review3r!' };

const userId = (username: string): string =>
  t.backend.db.prepare('SELECT id FROM users WHERE username = ?').pluck().get(username) as string;
const throttleOf = (username: string, source: string) =>
  t.backend.db
    .prepare('SELECT failures, guesses, lockouts, locked_until AS lockedUntil FROM login_throttle WHERE user_id = ? AND source = ?')
    .get(userId(username), source) as { failures: number; guesses: number; lockouts: number; lockedUntil: string | null } | undefined;

beforeAll(async () => {
  t = openTestBackend();
  const admin = await setupAdmin(t.backend, 'admin-window');
  await admin.call('user:create', LEAD);
  await admin.call('user:create', REVIEWER);
  await admin.call('key:create', { password: ADMIN.password });
  const lead = client(t.backend, 'lead-window');
  await lead.call('auth:login', { username: LEAD.username, password: LEAD.password });
  await lead.call('key:create', { password: LEAD.password });
  await lead.call('auth:logout', {});
});
afterAll(() => t.close());

// N = 2^17 hashes take a while on a busy two-core machine; the counts, not the times, are asserted.
describe('wrong passwords', { timeout: 240_000 }, () => {
  it('thirty wrong logins sent at once are thirty failures, and lock the source after the fifth guess', async () => {
    const w = client(t.backend, 'hammer-1');
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: 30 }, () => w.fail('auth:login', { username: REVIEWER.username, password: 'wrong-guess1' })),
    );
    const ms = performance.now() - started;
    expect(results.filter((r) => r.code === 'locked')).toHaveLength(26);
    expect(results.filter((r) => r.code === 'invalid_input')).toHaveLength(4);
    // Only five passwords were ever hashed: the other 25 were refused before scrypt ran.
    expect(throttleOf(REVIEWER.username, 'hammer-1')).toMatchObject({ failures: 30, guesses: 5, lockouts: 1 });
    expect(t.backend.db.prepare('SELECT failed_logins FROM users WHERE username = ?').pluck().get(REVIEWER.username)).toBe(30);
    // The right password from the locked source is refused too.
    expect((await w.fail('auth:login', { username: REVIEWER.username, password: REVIEWER.password })).code).toBe('locked');
    console.log(`30 concurrent wrong logins answered in ${ms.toFixed(0)} ms`);
  });

  it('a stranger hammering one window does not keep the person out of another', async () => {
    const other = client(t.backend, 'reviewer-own-window');
    expect(await other.call('auth:login', { username: REVIEWER.username, password: REVIEWER.password })).toMatchObject({
      username: REVIEWER.username,
    });
    // The stranger's window stays locked.
    expect((await client(t.backend, 'hammer-1').fail('auth:login', { username: REVIEWER.username, password: 'wrong-guess2' })).code).toBe(
      'locked',
    );
  });

  it('the only organiser logs in from another window while a stranger keeps locking one', async () => {
    const stranger = client(t.backend, 'stranger');
    for (let round = 0; round < 2; round++) {
      await Promise.all(Array.from({ length: 6 }, () => stranger.fail('auth:login', { username: ADMIN.username, password: 'not-it-1' })));
      expect((throttleOf(ADMIN.username, 'stranger')?.lockedUntil ?? '') > new Date().toISOString()).toBe(true);
      const admin = client(t.backend, `admin-${round}`);
      expect(await admin.call('auth:login', { username: ADMIN.username, password: ADMIN.password })).toMatchObject({ role: 'organiser' });
      // Let the stranger's lock run out (as if 15 minutes had passed), keeping its count of locks.
      t.backend.db
        .prepare('UPDATE login_throttle SET locked_until = ? WHERE source = ?')
        .run(new Date(Date.now() - 1000).toISOString(), 'stranger');
    }
  });

  it('each further lock of the same source lasts twice as long', async () => {
    const w = client(t.backend, 'backoff');
    const lockFor = async (): Promise<number> => {
      for (let i = 0; i < 5; i++) await w.fail('auth:login', { username: LEAD.username, password: 'nope-nope1' });
      const until = Date.parse(throttleOf(LEAD.username, 'backoff')!.lockedUntil!);
      t.backend.db
        .prepare('UPDATE login_throttle SET locked_until = ? WHERE source = ?')
        .run(new Date(Date.now() - 1000).toISOString(), 'backoff');
      return (until - Date.now()) / 60_000;
    };
    const first = await lockFor();
    const second = await lockFor();
    expect(first).toBeGreaterThan(14);
    expect(first).toBeLessThan(15.1);
    expect(second).toBeGreaterThan(29);
    expect(second).toBeLessThan(30.1);
    expect(throttleOf(LEAD.username, 'backoff')!.lockouts).toBe(2);
    await client(t.backend, 'lead-window').call('auth:login', { username: LEAD.username, password: LEAD.password });
  });

  it('guesses from many sources lock the account itself', async () => {
    for (let s = 0; s < 5; s++) {
      const w = client(t.backend, `rotating-${s}`);
      await Promise.all(
        Array.from({ length: 5 }, (_, i) => w.fail('auth:login', { username: REVIEWER.username, password: `rot-${s}-${i}x` })),
      );
    }
    const fresh = client(t.backend, 'fresh-window');
    expect((await fresh.fail('auth:login', { username: REVIEWER.username, password: REVIEWER.password })).code).toBe('locked');
    // An organiser's 解锁 lifts every lock of the account.
    await client(t.backend, 'admin-0').call('user:unlock', { userId: userId(REVIEWER.username) });
    expect(await fresh.call('auth:login', { username: REVIEWER.username, password: REVIEWER.password })).toMatchObject({
      username: REVIEWER.username,
    });
  });

  it('co-signer passwords guessed at the signing table count toward the same lock-out', async () => {
    const cosign = (password: string) =>
      issueFixtureLetter(t.backend, {
        issuer: { username: ADMIN.username, password: ADMIN.password },
        cosigners: [{ username: LEAD.username, password }],
      });
    for (let i = 0; i < 4; i++) await expect(cosign(`guess-${i}aa`)).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(cosign('guess-4aa')).rejects.toMatchObject({ code: 'locked' });
    // Now even the right password is refused at that table, without being tried.
    await expect(cosign(LEAD.password)).rejects.toMatchObject({ code: 'locked' });
    expect(throttleOf(LEAD.username, 'test')).toMatchObject({ failures: 6, guesses: 5 });
    const actions = t.backend.db
      .prepare("SELECT action FROM audit_log WHERE entity_id = ? AND action LIKE 'user.%' ORDER BY id")
      .pluck()
      .all(userId(LEAD.username));
    expect(actions.filter((a) => a === 'user.cosign_failed')).toHaveLength(4);
    // The co-signer still logs in at their own window, and opening their key from it works.
    const lead = client(t.backend, 'lead-window');
    await lead.call('auth:login', { username: LEAD.username, password: LEAD.password });
    const signer = await t.backend.services.signing.keys.unlock(userId(LEAD.username), LEAD.password, undefined, 'lead-window');
    expect(signer.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('wrong passwords typed to open one’s own key (key backup export) count too', async () => {
    const w = client(t.backend, 'key-window');
    await w.call('auth:login', { username: REVIEWER.username, password: REVIEWER.password });
    await w.call('key:create', { password: REVIEWER.password });
    for (let i = 0; i < 4; i++) expect((await w.fail('key:exportBackup', { password: `bad-${i}-pass` })).code).toBe('invalid_input');
    expect((await w.fail('key:exportBackup', { password: 'bad-4-pass' })).code).toBe('locked');
    expect((await w.fail('key:exportBackup', { password: REVIEWER.password })).code).toBe('locked');
  });
});

describe('scrypt cost', { timeout: 120_000 }, () => {
  it('hashes logins with N = 2^17 and re-hashes a weaker stored hash at the next login', async () => {
    expect(SCRYPT.N).toBeGreaterThanOrEqual(1 << 17);
    const started = performance.now();
    const hash = await hashPassword('Measure1!');
    const hashMs = performance.now() - started;
    const v0 = performance.now();
    expect(await verifyPassword('Measure1!', hash)).toBe(true);
    console.log(`scrypt N=2^17 r=8: hash ${hashMs.toFixed(0)} ms, verify ${(performance.now() - v0).toFixed(0)} ms`);

    // A hash written by an older version (N = 2^15) is replaced by today's cost on login.
    const { scrypt, randomBytes } = await import('node:crypto');
    const salt = randomBytes(16);
    const key = await new Promise<Buffer>((r, j) =>
      scrypt('Older1pass', salt, 32, { N: 1 << 15, r: 8, p: 1, maxmem: 64 << 20 }, (e, k) => (e ? j(e) : r(k))),
    );
    t.backend.db
      .prepare('UPDATE users SET password_hash = ? WHERE username = ?')
      .run(['scrypt', 1 << 15, 8, 1, salt.toString('base64'), key.toString('base64')].join('$'), REVIEWER.username);
    const l0 = performance.now();
    await client(t.backend, 'rehash-window').call('auth:login', { username: REVIEWER.username, password: 'Older1pass' });
    console.log(`login with re-hash: ${(performance.now() - l0).toFixed(0)} ms`);
    const stored = t.backend.db.prepare('SELECT password_hash FROM users WHERE username = ?').pluck().get(REVIEWER.username) as string;
    expect(stored.split('$')[1]).toBe(String(1 << 17));
    expect(await verifyPassword('Older1pass', stored)).toBe(true);
  });

  it('seals signing keys with N = 2^17', () => {
    const sealed = JSON.parse(
      t.backend.db.prepare('SELECT sealed_private_key FROM signing_keys WHERE user_id = ?').pluck().get(userId(ADMIN.username)) as string,
    ) as { N: number };
    expect(sealed.N).toBeGreaterThanOrEqual(1 << 17);
  });
});

describe('recovery command', { timeout: 120_000 }, () => {
  it('npm run recover lifts every lock of the organiser and sets a new password, audited', async () => {
    // The organiser locked out everywhere (how many sources it takes is tested above).
    t.backend.db
      .prepare('UPDATE users SET locked_until = ? WHERE username = ?')
      .run(new Date(Date.now() + 3_600_000).toISOString(), ADMIN.username);
    expect(
      (await client(t.backend, 'organiser-desk').fail('auth:login', { username: ADMIN.username, password: ADMIN.password })).code,
    ).toBe('locked');

    const run = (args: string[], input = '') =>
      spawnSync(
        process.execPath,
        [
          path.join(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs'),
          path.join(REPO_ROOT, 'electron/cli/recover.ts'),
          '--data-dir',
          t.dir,
          ...args,
        ],
        {
          input,
          encoding: 'utf8',
          cwd: REPO_ROOT,
        },
      );
    const weak = run(['--new-password'], 'short\n');
    expect(weak.status).toBe(1);
    expect(weak.stderr).toContain('密码');
    const unknown = run(['--user', 'nobody']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('没有登录名为');

    const done = run(['--new-password'], 'Recovered9!\n');
    expect(done.stderr).toBe('');
    expect(done.status).toBe(0);
    expect(done.stdout).toContain('已解除组织者“王组长”（admin）的全部锁定，并设置了新密码');
    expect(
      (await client(t.backend, 'organiser-desk').fail('auth:login', { username: ADMIN.username, password: ADMIN.password })).code,
    ).toBe('invalid_input');
    expect(
      await client(t.backend, 'organiser-desk').call('auth:login', { username: ADMIN.username, password: 'Recovered9!' }),
    ).toMatchObject({ role: 'organiser' });
    const audit = t.backend.db
      .prepare(
        "SELECT action, after_json AS after FROM audit_log WHERE entity_id = ? AND action IN ('user.recover_unlock', 'user.reset_password')",
      )
      .all(userId(ADMIN.username)) as Array<{ action: string; after: string }>;
    expect(audit.map((a) => a.action)).toEqual(['user.recover_unlock', 'user.reset_password']);
    expect(JSON.parse(audit[0]!.after)).toMatchObject({ by: 'npm run recover' });
  });
});
