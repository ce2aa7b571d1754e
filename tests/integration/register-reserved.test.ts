/**
 * The 签发登记簿 shows a 文号 as taken from the moment a letter holds it: 已编号，待签发 (kind, unit,
 * 成文日期) apart from issued documents, until signing moves it into the issued entries.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, client, openTestBackend, setupAdmin, type TestBackend } from '../support/backend.js';
import { deliverSheets, scoredCampaign } from '../support/scored-campaign.js';

let t: TestBackend;
let admin: ReturnType<typeof client>;
let reviewer: ReturnType<typeof client>;
let campaignId: string;
let cases: Map<string, string>;
let unitId: string;
const REVIEWER = { username: 'li', displayName: '李评查', role: 'reviewer' as const, affiliation: '某某县司法局', password: 'Revi3w!!x' };

beforeAll(async () => {
  t = openTestBackend();
  admin = await setupAdmin(t.backend, 'w1');
  await admin.call('user:create', REVIEWER);
  reviewer = client(t.backend, 'w2');
  await reviewer.call('auth:login', { username: REVIEWER.username, password: REVIEWER.password });
  await admin.call('key:create', { password: ADMIN.password });
  ({ campaignId, cases } = await scoredCampaign(t.backend, admin));
  await deliverSheets(admin, cases);
  const { template } = await admin.call('letter:template', { kind: 'opinion' });
  await admin.call('letter:saveTemplate', { kind: 'opinion', template: { ...template, numberPrefix: '某司监' } });
  const list = await admin.call('letter:list', { campaignId });
  unitId = list.units.find((u) => u.unitName === '某某县市场监督管理局')!.unitId;
});
afterAll(() => t.close());

const key = () => ({ campaignId, kind: 'opinion' as const, unitId });

describe('reserved 文号 in the 签发登记簿', () => {
  it('lists a numbered letter as 已编号，待签发 until it is signed, then only as issued', async () => {
    expect(await admin.call('register:reserved', {})).toEqual([]);

    // Exporting the draft takes the next number of the sequence: it is reserved, not issued.
    await admin.call('letter:export', { ...key(), includeProvisional: false, date: '2025-03-05' });
    expect(await admin.call('register:reserved', {})).toEqual([
      expect.objectContaining({
        campaignId,
        campaignName: '2025年度行政执法案卷评查',
        kind: 'opinion',
        documentNumber: '某司监〔2025〕1号',
        unitName: '某某县市场监督管理局',
        status: 'draft',
        date: null,
      }),
    ]);
    expect(await admin.call('register:list', {})).toEqual([]);

    // 核对定稿 fixes the 成文日期 the register then shows beside the number.
    const checked = await admin.call('letter:check', { ...key(), date: '2025-03-06' });
    const [reserved] = await admin.call('register:reserved', {});
    expect(reserved).toMatchObject({
      letterId: checked.open!.id,
      status: 'checked',
      date: '2025-03-06',
      documentNumber: '某司监〔2025〕1号',
    });

    // A reviewer does not see the letters in preparation.
    expect((await reviewer.fail('register:reserved', {})).code).toBe('forbidden');

    // Signing turns the reserved row into the issued entry with the same 文号.
    await admin.call('letter:issue', { letterId: checked.open!.id, password: ADMIN.password });
    expect(await admin.call('register:reserved', {})).toEqual([]);
    expect(await admin.call('register:list', {})).toEqual([
      expect.objectContaining({ documentNumber: '某司监〔2025〕1号', unitName: '某某县市场监督管理局', kind: 'letter' }),
    ]);
  });
});
