/**
 * The package log's record of what each package held is read back through its schema: a cell damaged
 * on disk gives corrupt_data naming the package, not a crash of the 工作包 screen or a half overview.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWithCampaign } from '../support/backend.js';

let opened: Awaited<ReturnType<typeof openWithCampaign>>;

beforeAll(async () => {
  opened = await openWithCampaign();
}, 60_000);

afterAll(() => opened.t.close());

describe('a damaged line of the package log', () => {
  it('reads a sound line, and names the package whose record is damaged', async () => {
    const { t, admin, campaignId } = opened;
    const log = t.backend.db.prepare(
      `INSERT INTO package_log (package_id, direction, kind, campaign_id, sequence, created_at, workstation_id, manifest_sm3, file_sha256, bytes, summary_json, at)
       VALUES (?, 'imported', 'campaign', ?, 0, '2025-06-01T08:00:00.000Z', 'ws', '', '', 1024, ?, '2025-06-01T08:00:00.000Z')`,
    );
    log.run('pkg-sound', campaignId, JSON.stringify({ cases: 3, sheets: 2 }));
    expect((await admin.call('package:overview', { campaignId })).log.map((l) => l.summary)).toEqual(['案卷 3 件，评查表 2 份']);

    // As a faulty copy leaves it: the record cut short.
    log.run('pkg-damaged', campaignId, '{"cases": 3, "she');
    const err = await admin.fail('package:overview', { campaignId });
    expect(err.code).toBe('corrupt_data');
    expect(err.message).toContain('工作包 pkg-damaged 的导入记录');
  });
});
