/**
 * A fresh workstation: the organiser creates reviewer accounts (nobody ticked 法律专业 yet) and
 * previews the assignment with the screen's defaults. The defaults work; a requirement the panel
 * cannot meet is named, with the nearest settings that can be met, never a bare failure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignmentDefaults, relaxText } from '../../shared/panel/assign.js';
import { openWithCampaign } from '../support/backend.js';
import { createPeople, importPool } from '../support/panel-fixtures.js';

let t: Awaited<ReturnType<typeof openWithCampaign>>;
const FRESH = [
  { username: 'chen', displayName: '陈评查', role: 'reviewer' as const, affiliation: '某某县公安局' },
  { username: 'lin', displayName: '林评查', role: 'reviewer' as const, affiliation: '某某县财政局' },
  { username: 'he', displayName: '何评查', role: 'reviewer' as const, affiliation: '某某县审计局' },
];

beforeAll(async () => {
  t = await openWithCampaign();
  const people = await createPeople(t.admin, FRESH);
  await importPool(t.t.backend, t.admin, t.campaignId);
  await t.admin.call('panel:setMembers', { campaignId: t.campaignId, userIds: [...people.values()] });
}, 120_000);
afterAll(() => t.t.close());

describe('assignment on a fresh panel', () => {
  it('previews with the screen defaults when no account is a legal professional', async () => {
    const panel = await t.admin.call('panel:get', { campaignId: t.campaignId });
    const defaults = assignmentDefaults(panel.members.filter((m) => m.reviews).map((m) => ({ legal: m.legalProfessional })));
    expect(defaults).toEqual({ perFile: 2, requireLegal: false });
    const p = await t.admin.call('assignment:preview', { campaignId: t.campaignId, ...defaults, seed: '种子-1' });
    expect(p.files.length).toBeGreaterThan(0);
    expect(p.files.every((f) => f.reviewers.length === 2)).toBe(true);
  });

  it('names the legal-professional requirement it cannot meet and offers to drop it', async () => {
    const err = await t.admin.fail('assignment:preview', { campaignId: t.campaignId, perFile: 2, requireLegal: true, seed: '种子-1' });
    expect(err.code).toBe('conflict');
    expect(err.message).toContain('无法完成分配（不能满足“每卷至少一名法律专业人员”）');
    expect(err.message).toContain('可改为不要求每卷有法律专业人员后重新预览');
    expect(err.details).toMatchObject({ unmet: ['每卷至少一名法律专业人员'], relax: { perFile: 2, requireLegal: false } });
    const relaxed = err.details!.relax as { perFile: number; requireLegal: boolean };
    expect((await t.admin.call('assignment:preview', { campaignId: t.campaignId, ...relaxed, seed: '种子-1' })).requireLegal).toBe(false);
  });

  it('lowers the reviewers per file to what every file has after 回避 (陈 is of the 公安局, whose files have two)', async () => {
    const err = await t.admin.fail('assignment:preview', { campaignId: t.campaignId, perFile: 5, requireLegal: true, seed: '种子-1' });
    expect(err.message).toContain('不能满足“每卷 5 人”和“每卷至少一名法律专业人员”');
    expect(err.details).toMatchObject({ relax: { perFile: 2, requireLegal: false } });
    expect(relaxText({ perFile: 3, requireLegal: false }, { perFile: 5, requireLegal: true })).toBe('每卷 3 人、不要求每卷有法律专业人员');
  });
});
