/**
 * The access policy holds for every channel from its declaration alone: each write is refused on a
 * read-only copy of a campaign (a reviewer's laptop copy only scores and marks; a reported copy only
 * reads), each call that names a file is refused to a reviewer the file is not assigned to, and every
 * scope resolves against the real schema.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, contract, SCOPE_FIELDS, type Channel, type Scope } from '../../shared/contract/index.js';
import { AppError } from '../../shared/core/errors.js';
import { Policy, READ_ONLY_MESSAGES, type ResolvedScope } from '../../electron/services/core/policy.js';
import type { Actor } from '../../electron/services/core/context.js';
import { openTestBackend, type TestBackend } from '../support/backend.js';
import { importCase, setupPanel, type Panel } from '../support/review-setup.js';

let t: TestBackend;
let p: Panel;
let policy: Policy;
let caseId: string;
let documentId: string;
let otherCaseId: string;
const actor = (key: string, role: Actor['role']): Actor => ({ id: p.users[key]!.id, username: key, displayName: key, role });

function failure(run: () => unknown): AppError | null {
  try {
    run();
    return null;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
}

/** Makes the campaign the kind of read-only copy a package import leaves behind (or an original again). */
function setCopyKind(kind: 'reviewer' | 'report' | null): void {
  t.backend.db.prepare('DELETE FROM campaign_replicas WHERE campaign_id = ?').run(p.campaignId);
  if (kind)
    t.backend.db
      .prepare(
        `INSERT INTO campaign_replicas (campaign_id, kind, reviewer_id, origin_package_id, origin_workstation_id, origin_created_at, imported_at)
         VALUES (?, ?, ?, 'pkg-test', 'ws-lead', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`,
      )
      .run(p.campaignId, kind, kind === 'reviewer' ? p.users.zhang!.id : null);
}

const writing = CHANNELS.filter((c) => contract[c].writes === 'structure' || contract[c].writes === 'scoring');

beforeAll(async () => {
  t = openTestBackend();
  p = await setupPanel(t.backend);
  policy = new Policy(t.backend.db);
  caseId = await importCase(t.backend, p, '某市监许〔2025〕1号', 'license', ['zhang']);
  otherCaseId = await importCase(t.backend, p, '某市监许〔2025〕2号', 'license', ['li']);
  documentId = (await p.admin.call('case:get', { caseId })).documents[0]!.id;
});
afterAll(() => {
  setCopyKind(null);
  t.close();
});

describe('read-only copies, for every channel that writes to a campaign', () => {
  const scopeOnCampaign: ResolvedScope = { campaignId: '', caseId: null };
  it.each([
    ['report', ['structure', 'scoring']],
    ['reviewer', ['structure']],
  ] as const)('a %s copy refuses %j writes and allows the rest', (kind, refused) => {
    expect(writing.length).toBeGreaterThan(30);
    setCopyKind(kind);
    const organiser: Actor = { id: 'nobody', username: 'admin', displayName: '管理员', role: 'organiser' };
    for (const channel of writing) {
      const err = failure(() => policy.enforce(contract[channel], organiser, { ...scopeOnCampaign, campaignId: p.campaignId }));
      if ((refused as readonly string[]).includes(contract[channel].writes)) {
        expect(err?.code, `${channel} on a ${kind} copy`).toBe('locked');
        expect(err?.message).toBe(READ_ONLY_MESSAGES[kind]);
      } else expect(err, `${channel} on a ${kind} copy`).toBeNull();
    }
    setCopyKind(null);
    for (const channel of writing)
      expect(
        failure(() => policy.enforce(contract[channel], organiser, { ...scopeOnCampaign, campaignId: p.campaignId })),
        channel,
      ).toBeNull();
  });

  it('through the dispatcher: settings, units, import, ledger, letters and the meeting are the lead PC’s, not a report copy’s', async () => {
    const units = await p.admin.call('unit:list', { campaignId: p.campaignId });
    setCopyKind('report');
    try {
      const unitSave = await p.admin.fail('unit:save', { campaignId: p.campaignId, unitId: units[0]!.id, name: units[0]!.name });
      expect(unitSave).toMatchObject({ code: 'locked', details: { reason: 'read_only_copy' } });
      expect(await p.admin.fail('meeting:move', { campaignId: p.campaignId, step: 'next', revision: 0 })).toMatchObject({ code: 'locked' });
      // Reading stays possible.
      expect((await p.admin.call('case:list', { campaignId: p.campaignId })).length).toBe(2);
    } finally {
      setCopyKind(null);
    }
  });
});

describe('files reach only the reviewers they are assigned to, for every channel that names one', () => {
  const named = CHANNELS.filter((c) => ['case', 'document'].includes(contract[c].scope));
  it.each(named)('%s', (channel: Channel) => {
    const scope = contract[channel].scope;
    const input = { [SCOPE_FIELDS[scope]!]: scope === 'case' ? caseId : documentId };
    const zhang = actor('zhang', 'reviewer');
    const li = actor('li', 'reviewer');
    expect(failure(() => policy.check(contract[channel], zhang, input))).toBeNull();
    expect(failure(() => policy.check(contract[channel], li, input))).toMatchObject({ code: 'forbidden' });
    expect(failure(() => policy.check(contract[channel], actor('lead', 'lead'), input))).toBeNull();
  });

  it('a reviewer’s lists hold only their files', async () => {
    const zhang = p.users.zhang!.client;
    expect((await zhang.call('case:list', { campaignId: p.campaignId })).map((c) => c.id)).toEqual([caseId]);
    expect(await zhang.fail('case:get', { caseId: otherCaseId })).toMatchObject({ code: 'forbidden' });
  });
});

describe('every scope resolves against the real schema', () => {
  it.each(Object.keys(SCOPE_FIELDS).filter((s) => s !== 'none') as Scope[])('%s: an unknown id is not found, in Chinese', (scope) => {
    const err = failure(() => policy.resolve(scope, { [SCOPE_FIELDS[scope]!]: 'no-such-row' }));
    expect(err?.code).toBe('not_found');
    expect(err?.message).toMatch(/[\u4e00-\u9fa5]/);
  });

  it('a file resolves to its campaign', () => {
    expect(policy.resolve('case', { caseId })).toEqual({ campaignId: p.campaignId, caseId });
    expect(policy.resolve('document', { documentId })).toEqual({ campaignId: p.campaignId, caseId });
    expect(policy.resolve('campaign', { campaignId: p.campaignId })).toEqual({ campaignId: p.campaignId, caseId: null });
  });
});
