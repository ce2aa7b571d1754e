/**
 * A review panel on a real back end: the organiser, a lead, reviewers and an observer, each logged in
 * on their own client (window), and licence files imported from generated PDFs. Used by the review
 * integration test, the crash test, the scoring benchmark and the reconciliation E2E test.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createBackend, type Backend } from '../../electron/services/backend.js';
import type { CaseType } from '../../shared/campaigns/case-types.js';
import type { Role } from '../../shared/people/roles.js';
import type { StandardDefinition } from '../../shared/standards/model.js';
import type { Answer } from '../../shared/scoring/scoring.js';
import { client, scoreLicencesWithTable, setupAdmin, stage, submitPassingRest, type TestBackend } from './backend.js';
import { dossierPdf } from './pdf-fixtures.js';
import { RESOURCES_DIR, tempDir } from './temp.js';

export type Client = ReturnType<typeof client>;

export const PANEL_PASSWORD = 'Pingcha2025';
export const PANEL: Array<{ key: string; username: string; displayName: string; role: Role }> = [
  { key: 'lead', username: 'zhao', displayName: '赵组长', role: 'lead' },
  { key: 'zhang', username: 'zhang', displayName: '张三', role: 'reviewer' },
  { key: 'li', username: 'li', displayName: '李四', role: 'reviewer' },
  { key: 'wang', username: 'wang', displayName: '王五', role: 'reviewer' },
  { key: 'observer', username: 'qian', displayName: '钱监督', role: 'observer' },
];

export interface Panel {
  admin: Client;
  campaignId: string;
  users: Record<string, { id: string; client: Client }>;
}

/** First-run setup, a campaign, and the panel's accounts; each member logs in on a client named after them. */
export async function setupPanel(backend: Backend, options: { login?: boolean } = {}): Promise<Panel> {
  const admin = await setupAdmin(backend, 'admin');
  const campaign = await admin.call('campaign:create', { name: '2025年度行政执法案卷评查', year: 2025, issuingBody: '某某县司法局' });
  await scoreLicencesWithTable(admin, campaign.id);
  const users: Panel['users'] = {};
  for (const p of PANEL) {
    const view = await admin.call('user:create', {
      username: p.username,
      displayName: p.displayName,
      role: p.role,
      affiliation: '某某县司法局',
      password: PANEL_PASSWORD,
    });
    const c = client(backend, p.key);
    if (options.login !== false) await c.call('auth:login', { username: p.username, password: PANEL_PASSWORD });
    users[p.key] = { id: view.id, client: c };
  }
  // The lead and the reviewers form the campaign's panel, so files can be assigned to them.
  await admin.call('panel:setMembers', {
    campaignId: campaign.id,
    userIds: PANEL.filter((p) => p.role !== 'observer').map((p) => users[p.key]!.id),
  });
  return { admin, campaignId: campaign.id, users };
}

let pdf: Uint8Array | null = null;
/**
 * Imports a file, assigns it to the given reviewers (张三 and 李四 unless told otherwise) and returns
 * its case id; licence files are scored against the bundled 行政许可案卷评分表.
 */
export async function importCase(
  backend: Backend,
  panel: Panel,
  caseNumber: string,
  caseType: CaseType = 'license',
  reviewers: string[] = ['zhang', 'li'],
  registered: { unitName?: string; caseTitle?: string } = {},
): Promise<string> {
  pdf ??= await dossierPdf(3, '行政许可案卷');
  const sourceId = await stage(backend, panel.admin, `${caseNumber}.pdf`, pdf);
  const detail = await panel.admin.call('dossier:importSingle', {
    campaignId: panel.campaignId,
    sourceId,
    caseNumber,
    caseTitle: registered.caseTitle ?? '某某公司食品经营许可',
    unitName: registered.unitName ?? '某某县市场监督管理局',
    caseType,
  });
  for (const key of reviewers) await panel.admin.call('assignment:add', { caseId: detail.id, reviewerId: panel.users[key]!.id });
  return detail.id;
}

/**
 * A real back end whose built-in standards are the bundled ones plus `extra` (written to a temp
 * resources folder), so a test can score against a hand-made standard with veto items.
 */
export function openBackendWithStandards(extra: StandardDefinition[]): TestBackend {
  const data = tempDir();
  const resources = tempDir('pingcha-resources-');
  fs.cpSync(path.join(RESOURCES_DIR, 'standards'), path.join(resources.dir, 'standards'), { recursive: true });
  // The fonts the letters' charts are drawn with (a 通报 exported in such a test needs them).
  fs.symlinkSync(path.join(RESOURCES_DIR, 'fonts'), path.join(resources.dir, 'fonts'));
  for (const def of extra) fs.writeFileSync(path.join(resources.dir, 'standards', `${def.standardId}.json`), JSON.stringify(def));
  const backend = createBackend({
    dataDir: data.dir,
    resourcesDir: resources.dir,
    appVersion: '0.0.0-test',
    log: { info: () => undefined, error: (m) => process.stderr.write(`[backend] ${m}\n`) },
  });
  return {
    backend,
    dir: data.dir,
    close: () => {
      backend.close();
      data.cleanup();
      resources.cleanup();
    },
  };
}

/** Opens the caller's sheet for a file and sets the given answers, one change at a time. */
export async function score(c: Client, caseId: string, answers: Record<string, Answer>) {
  const view = await c.call('sheet:start', { caseId });
  let revision = view.sheet.revision;
  for (const [itemId, answer] of Object.entries(answers))
    revision = (await c.call('sheet:answer', { sheetId: view.sheet.id, itemId, answer, revision })).revision;
  return { sheetId: view.sheet.id, revision };
}

/** The reviewer answers these items and delivers the sheet, every other item 符合. */
export async function deliverSheet(c: Client, caseId: string, answers: Record<string, Answer>): Promise<void> {
  const { sheetId, revision } = await score(c, caseId, answers);
  await submitPassingRest(c, sheetId, revision);
}
