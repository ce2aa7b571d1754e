import { afterAll, describe, expect, it } from 'vitest';
import { CHANNELS, contract, type Channel } from '../../../shared/contract/index.js';
import { Dispatcher, type Handlers } from '../../../electron/services/core/dispatcher.js';
import type { Actor } from '../../../electron/services/core/context.js';
import { openDatabase } from '../../../electron/services/core/db/database.js';
import { Policy } from '../../../electron/services/core/policy.js';
import { tempDir } from '../../support/temp.js';

/** Handlers that only record that they ran: this tests the dispatcher, not a service. */
function recordingHandlers(calls: string[]): Handlers {
  return new Proxy({} as Handlers, {
    get: (_t, channel: string) => () => {
      calls.push(channel);
      throw new Error('a handler must not run in this test');
    },
  });
}

const organiser: Actor = { id: 'u1', username: 'admin', displayName: '管理员', role: 'organiser' };
const silent = { info: () => undefined, error: () => undefined };

/** The real access policy over an empty workspace database. */
function emptyWorkspacePolicy(): Policy {
  const t = tempDir();
  const db = openDatabase(`${t.dir}/pingcha.db`, { backupDir: `${t.dir}/backups` });
  afterAll(() => {
    db.close();
    t.cleanup();
  });
  return new Policy(db);
}
const policy = emptyWorkspacePolicy();

/** Inputs that are wrong for every channel's schema. */
const BAD_INPUTS: unknown[] = ['text', 42, [], { unexpectedField: true, campaignId: 7 }, { documentId: '' }];

describe('dispatcher', () => {
  it('never lets invalid input reach a service, on any channel', async () => {
    const calls: string[] = [];
    const d = new Dispatcher(recordingHandlers(calls), () => organiser, policy, silent);
    for (const channel of CHANNELS) {
      for (const input of BAD_INPUTS) {
        if (contract[channel].input.safeParse(input).success) continue; // e.g. {} for channels without input
        const result = await d.dispatch(channel, input, 'c1');
        expect(result.ok, `${channel} accepted ${JSON.stringify(input)}`).toBe(false);
        if (!result.ok) {
          expect(result.error.code).toBe('invalid_input');
          expect(result.error.message).toMatch(/[\u4e00-\u9fa5]/);
        }
      }
    }
    expect(calls).toEqual([]);
  });

  it('names the field in Chinese when input is wrong', async () => {
    const d = new Dispatcher(recordingHandlers([]), () => organiser, policy, silent);
    const result = await d.dispatch('campaign:create', { name: '', year: 2025, issuingBody: '某县司法局' }, 'c1');
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringContaining('请填写评查活动名称') } });
  });

  it('refuses unknown channels, anonymous callers and wrong roles before validation', async () => {
    const calls: string[] = [];
    const anonymous = new Dispatcher(recordingHandlers(calls), () => null, policy, silent);
    expect(await anonymous.dispatch('nope:nothing', {}, 'c')).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await anonymous.dispatch('campaign:list', {}, 'c')).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    const observer = new Dispatcher(recordingHandlers(calls), () => ({ ...organiser, role: 'observer' }), policy, silent);
    expect(await observer.dispatch('campaign:create', { name: 'x', year: 2025, issuingBody: 'y' }, 'c')).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(calls).toEqual([]);
  });

  it('turns a thrown bug into an internal error without leaking the stack', async () => {
    const handlers = {
      'campaign:list': () => {
        throw new Error('secret stack detail');
      },
    } as unknown as Handlers;
    const errors: unknown[] = [];
    const d = new Dispatcher(handlers, () => organiser, policy, { info: () => undefined, error: (_m, e) => errors.push(e) });
    const result = await d.dispatch('campaign:list', {}, 'c');
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(result)).not.toContain('secret');
    expect(errors).toHaveLength(1);
  });

  it('refuses output that does not match the contract', async () => {
    const handlers = { 'campaign:list': () => [{ id: 1 }] } as unknown as Handlers;
    const d = new Dispatcher(handlers, () => organiser, policy, silent);
    expect(await d.dispatch('campaign:list', {}, 'c')).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('every channel is named domain:verb', () => {
    for (const channel of CHANNELS as Channel[]) expect(channel).toMatch(/^[a-z]+:[a-zA-Z]+$/);
  });
});
