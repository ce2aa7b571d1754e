import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, openTestBackend, setupAdmin, type TestBackend } from '../support/backend.js';

let t: TestBackend;
beforeAll(() => {
  t = openTestBackend();
});
afterAll(() => t.close());

describe('accounts and sessions', () => {
  it('first run creates one organiser; a second setup is refused', async () => {
    const anon = client(t.backend, 'w0');
    expect(await anon.call('auth:status', {})).toEqual({ needsSetup: true, user: null });
    await setupAdmin(t.backend, 'w1');
    expect((await anon.fail('auth:setup', { username: 'x2', displayName: 'x', password: 'Passw0rd2' })).code).toBe('conflict');
    expect((await anon.call('auth:status', {})).needsSetup).toBe(false);
  });

  it('the organiser creates a reviewer, who logs in on another window with a role-limited session', async () => {
    const admin = client(t.backend, 'w1');
    const reviewer = await admin.call('user:create', {
      username: 'li',
      displayName: '李评查',
      role: 'reviewer',
      affiliation: '某县公安局',
      password: 'Review3r!',
    });
    expect(reviewer).toMatchObject({ role: 'reviewer', displayName: '李评查' });
    expect(
      (await admin.fail('user:create', { username: 'LI', displayName: '重名', role: 'reviewer', password: 'Review3r!' })).message,
    ).toContain('已被使用');
    const weak = await admin.fail('user:create', { username: 'zhao', displayName: '赵', role: 'reviewer', password: 'short' });
    expect(weak).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('密码') });

    const w2 = client(t.backend, 'w2');
    await w2.call('auth:login', { username: 'li', password: 'Review3r!' });
    expect((await w2.call('auth:status', {})).user?.displayName).toBe('李评查');
    expect((await w2.fail('user:create', { username: 'z', displayName: 'z', role: 'lead', password: 'Passw0rd9' })).code).toBe('forbidden');
    // Two windows, two people: the organiser's window is unaffected.
    expect((await admin.call('auth:status', {})).user?.role).toBe('organiser');
    await w2.call('auth:logout', {});
    expect((await w2.fail('campaign:list', {})).code).toBe('unauthenticated');
  });

  it('locks an account after five wrong passwords, without revealing which names exist', async () => {
    const w3 = client(t.backend, 'w3');
    const unknown = await w3.fail('auth:login', { username: 'nobody', password: 'whatever1' });
    expect(unknown.message).toBe('登录名或密码不正确。');
    for (let i = 0; i < 4; i++) expect((await w3.fail('auth:login', { username: 'li', password: 'wrong' })).code).toBe('invalid_input');
    const locked = await w3.fail('auth:login', { username: 'li', password: 'wrong' });
    expect(locked).toMatchObject({ code: 'locked', message: expect.stringContaining('锁定') });
    expect((await w3.fail('auth:login', { username: 'li', password: 'Review3r!' })).code).toBe('locked');
    const actions = t.backend.db
      .prepare("SELECT action FROM audit_log WHERE action LIKE 'user.%' ORDER BY id")
      .all()
      .map((r) => (r as { action: string }).action);
    expect(actions.filter((a) => a === 'user.login_failed')).toHaveLength(4);
    expect(actions).toContain('user.locked');
  });
});
