/**
 * The meeting's agenda starts with the files that wait for people — 集体评议, 复核, 组长确认 — each
 * marked with why, and the first change keeps that list; the projector names the file's unit as it
 * is registered (and printed in the letters), never the case list's shorthand.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from '../../shared/scoring/scoring.js';
import { openTestBackend, setupAdmin, stage, submitPassingRest, type TestBackend } from '../support/backend.js';
import { realisticCampaign, type RealisticCampaign } from '../support/dossiers/index.js';
import { importCase, score, setupPanel, type Panel } from '../support/review-setup.js';

const deduct = (comment: string): Answer => ({ status: 'deduct', comment });

describe('the agenda the panel starts from', () => {
  let t: TestBackend;
  let panel: Panel;
  beforeAll(async () => {
    t = openTestBackend();
    panel = await setupPanel(t.backend);
  }, 120_000);
  afterAll(() => t.close());

  async function deliver(key: string, caseId: string, answers: Record<string, Answer>) {
    const s = await score(panel.users[key]!.client, caseId, answers);
    await submitPassingRest(panel.users[key]!.client, s.sheetId, s.revision);
  }

  it('lists every file that needs a decision with why, keeps it on the first change, offers files flagged later', async () => {
    const lead = panel.users.lead!.client;
    const { campaignId } = panel;
    // 复核: the totals differ by far more than 5 points.
    const recheck = await importCase(t.backend, panel, '某许〔2025〕21号');
    await deliver('zhang', recheck, { 'xk-2': deduct('未一次性告知'), 'xk-9': deduct('收费无票据') });
    await deliver('li', recheck, {});
    // 组长确认: one item each, the same total and grade — no rule fires, the lead confirms.
    const confirm = await importCase(t.backend, panel, '某许〔2025〕22号');
    await deliver('zhang', confirm, { 'xk-12.1': deduct('一案多卷') });
    await deliver('li', confirm, { 'xk-12.2': deduct('卷皮不规范') });
    // 集体评议: the lead sends a disputed file to the whole panel.
    const whole = await importCase(t.backend, panel, '某许〔2025〕23号');
    await deliver('zhang', whole, { 'xk-11': deduct('超期送达') });
    await deliver('li', whole, { 'xk-1': deduct('受理不当'), 'xk-3': deduct('未说明理由') });
    const routed = await lead.call('review:case', { caseId: whole });
    await lead.call('review:route', { caseId: whole, route: 'panel', assigneeId: null, revision: routed.revision });
    // Settled at once (both found the same): nothing to decide.
    const agreed = await importCase(t.backend, panel, '某许〔2025〕24号');
    await deliver('zhang', agreed, {});
    await deliver('li', agreed, {});

    const first = await lead.call('meeting:get', { campaignId });
    expect(first.revision).toBe(0);
    expect(first.items.map((i) => [i.caseNumber, i.route])).toEqual([
      ['某许〔2025〕23号', 'panel'],
      ['某许〔2025〕21号', 'recheck'],
      ['某许〔2025〕22号', 'confirm'],
    ]);
    expect(first.awaiting).toEqual([]);
    // The projector follows the same agenda before anyone touched it.
    expect((await lead.call('meeting:view', { campaignId })).count).toBe(3);

    // The first move keeps the agenda as shown; the organiser reorders it afterwards.
    const moved = await lead.call('meeting:move', { campaignId, step: 'next', revision: 0 });
    expect(moved).toMatchObject({ revision: 1, position: 1 });
    expect(moved.items.map((i) => i.caseId)).toEqual([whole, recheck, confirm]);
    const reordered = await panel.admin.call('meeting:setAgenda', { campaignId, caseIds: [confirm, whole, recheck], revision: 1 });
    expect(reordered.items.map((i) => i.route)).toEqual(['confirm', 'panel', 'recheck']);

    // A file flagged after the agenda was kept is offered, not slipped in.
    const later = await importCase(t.backend, panel, '某许〔2025〕25号');
    await deliver('zhang', later, { 'xk-6': deduct('未指派两名人员核查') });
    await deliver('li', later, {});
    const after = await lead.call('meeting:get', { campaignId });
    expect(after.items.map((i) => i.caseId)).toEqual([confirm, whole, recheck]);
    expect(after.awaiting.map((i) => [i.caseNumber, i.route])).toEqual([['某许〔2025〕25号', 'recheck']]);
  }, 120_000);
});

describe('the unit the projector names', () => {
  let campaign: RealisticCampaign;
  let t: TestBackend;
  beforeAll(async () => {
    campaign = await realisticCampaign();
    t = openTestBackend();
  }, 300_000);
  afterAll(() => t.close());

  it('is the registered full name where the list wrote it short', async () => {
    const tb = t;
    const admin = await setupAdmin(t.backend);
    const { id: campaignId } = await admin.call('campaign:create', {
      name: '清溪县2025年度行政执法案卷评查',
      year: 2025,
      issuingBody: '清溪县司法局',
    });
    // A row of the list that shortens its unit (县农业农村局 for 清溪县农业农村局), with its PDF.
    const row = campaign.listRows.find((r) => r.hasFile && r.cells.unit.trim() !== r.unitName)!;
    const dossier = campaign.dossiers.find((d) => d.truth.id === row.caseId)!;
    // The organiser registered the bureau by its full name before the list came in.
    await admin.call('unit:save', { campaignId, name: row.unitName });
    const listId = await stage(tb.backend, admin, '清溪县案件清单.xlsx', fs.readFileSync(campaign.listXlsx));
    const layout = await admin.call('import:readList', { sourceId: listId });
    const list = { sourceId: listId, sheetName: layout.sheetName, headerRow: layout.headerRow, mapping: layout.mapping };
    const sourceIds = [
      await stage(tb.backend, admin, `${dossier.truth.unitName}/${dossier.truth.fileName}`, fs.readFileSync(dossier.path)),
    ];
    const { jobId } = await admin.call('import:start', { campaignId, sourceIds, list, registerRowsWithoutFiles: false });
    await tb.backend.services.jobs.wait(jobId);
    const kase = (await admin.call('case:list', { campaignId })).find((c) => c.caseNumber === row.caseNumber)!;
    expect(kase.unitName).toBe(row.unitName);

    await admin.call('meeting:setAgenda', { campaignId, caseIds: [kase.id], revision: 0 });
    const view = await admin.call('meeting:view', { campaignId });
    expect(view.item!.unitName).toBe(row.unitName);
    expect(view.item!.facts!.enforcementBody).toBe(row.unitName);
    expect(JSON.stringify(view)).not.toContain(`"${row.cells.unit.trim()}"`);
  }, 300_000);
});
