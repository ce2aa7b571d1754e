/** A real back end on a real SQLite file in a temp folder, called exactly as a transport calls it. */
import { createBackend, type Backend, type BackendOptions } from '../../electron/services/backend.js';
import type { Channel, ChannelInput, ChannelOutput } from '../../shared/contract/index.js';
import type { CaseType } from '../../shared/campaigns/case-types.js';
import type { AppErrorShape } from '../../shared/core/errors.js';
import { RESOURCES_DIR, tempDir } from './temp.js';

export interface TestBackend {
  backend: Backend;
  dir: string;
  close(): void;
}

export function openTestBackend(
  dir?: string,
  options: Partial<Pick<BackendOptions, 'inspect' | 'importLimits' | 'ocr' | 'precheck'>> = {},
): TestBackend {
  const t = dir ? { dir, cleanup: () => undefined } : tempDir();
  const backend = createBackend({
    dataDir: t.dir,
    resourcesDir: RESOURCES_DIR,
    appVersion: '0.0.0-test',
    ...options,
    log: {
      info: () => undefined,
      error: (m, d) => process.stderr.write(`[backend] ${m} ${d instanceof Error ? d.stack : JSON.stringify(d)}\n`),
    },
  });
  return {
    backend,
    dir: t.dir,
    close: () => {
      backend.close();
      t.cleanup();
    },
  };
}

export class CallFailed extends Error {
  constructor(readonly error: AppErrorShape) {
    super(`${error.code}: ${error.message}`);
  }
}

/** A client (one window) of a back end. */
export function client(backend: Backend, clientId = 'test-client') {
  return {
    clientId,
    async call<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
      const result = await backend.dispatch(channel, input, clientId);
      if (!result.ok) throw new CallFailed(result.error);
      return result.value as ChannelOutput<C>;
    },
    async fail<C extends Channel>(channel: C, input: unknown): Promise<AppErrorShape> {
      const result = await backend.dispatch(channel, input, clientId);
      if (result.ok) throw new Error(`expected ${channel} to fail`);
      return result.error;
    },
  };
}

/**
 * Delivers a sheet as a reviewer who found nothing more would: each open veto and 不适用 item is
 * decided 符合 one by one (the service never answers those in bulk), then the plain rest is passed
 * in one step.
 */
export async function submitPassingRest(
  c: ReturnType<typeof client>,
  sheetId: string,
  revision: number,
): Promise<ChannelOutput<'sheet:submit'>> {
  try {
    return await c.call('sheet:submit', { sheetId, revision, passRemaining: true });
  } catch (err) {
    if (!(err instanceof CallFailed) || err.error.code !== 'decision_required') throw err;
    let r = revision;
    for (const itemId of (err.error.details as { itemIds: string[] }).itemIds)
      r = (await c.call('sheet:answer', { sheetId, itemId, answer: { status: 'pass' }, revision: r })).revision;
    return c.call('sheet:submit', { sheetId, revision: r, passRemaining: true });
  }
}

export const ADMIN = { username: 'admin', displayName: '王组长', affiliation: '某某县司法局', password: 'Passw0rd!' };

/** First-run setup of an organiser on this client. */
export async function setupAdmin(backend: Backend, clientId = 'test-client') {
  const c = client(backend, clientId);
  await c.call('auth:setup', ADMIN);
  return c;
}

/** Stages bytes the way an upload does, returning the source id. */
export async function stage(backend: Backend, c: ReturnType<typeof client>, name: string, bytes: Uint8Array): Promise<string> {
  const ticket = await c.call('upload:ticket', {});
  const response = await backend.handleBytes(
    new Request(`http://127.0.0.1${ticket.url}?name=${encodeURIComponent(name)}`, { method: 'PUT', body: Buffer.from(bytes) }),
  );
  const result = (await response!.json()) as { ok: boolean; value: { sourceId: string }; error?: AppErrorShape };
  if (!result.ok) throw new CallFailed(result.error!);
  return result.value.sourceId;
}

/**
 * Licence files of the campaign are scored against the bundled 行政许可案卷评分表 (items xk-1 … xk-12.8,
 * which the review tests name) instead of the default 行政许可案卷评查参考标准. Call it before any
 * licence file has a sheet.
 */
export async function scoreLicencesWithTable(organiser: ReturnType<typeof client>, campaignId: string): Promise<void> {
  const table = (await organiser.call('standard:list', {})).find((s) => s.standardId === 'xingzheng-xuke-anjuan-pingfenbiao' && !s.retired);
  if (!table) throw new Error('the 行政许可案卷评分表 is not among the built-in standards');
  await organiser.call('campaign:setStandard', { campaignId, caseType: 'license', versionId: table.versionId });
}

/** Scores a campaign's files of one case type against a given standard (a test's own, not the built-in default). */
export async function scoreWithStandard(
  organiser: ReturnType<typeof client>,
  campaignId: string,
  caseType: CaseType,
  standardId: string,
): Promise<void> {
  const standard = (await organiser.call('standard:list', {})).find((s) => s.standardId === standardId && !s.retired);
  if (!standard) throw new Error(`no standard ${standardId}`);
  await organiser.call('campaign:setStandard', { campaignId, caseType, versionId: standard.versionId });
}

/** A fresh back end with its organiser logged in and one campaign (for tests that need nothing more to start). */
export async function openWithCampaign(name = '2025年度行政执法案卷评查', options: Parameters<typeof openTestBackend>[1] = {}) {
  const t = openTestBackend(undefined, options);
  const admin = await setupAdmin(t.backend);
  const campaignId = (await admin.call('campaign:create', { name, year: 2025, issuingBody: '某某县司法局' })).id;
  return { t, admin, campaignId };
}

/**
 * The account through which the organiser 王组长 scores fixture files: their own 评查组长 account in the
 * campaign's panel (the organiser account itself is never assigned files), same person, same name.
 */
export const SCORER = { username: 'wangzz', displayName: ADMIN.displayName, affiliation: ADMIN.affiliation, password: 'Sc0rer2025!' };

const scorers = new WeakMap<Backend, { id: string; window: ReturnType<typeof client> }>();

/**
 * The file's scorer as a campaign's panel makes one: the 评查组长 account (created by the organiser on
 * first use), a member of the campaign's panel, assigned the file through the manual assignment
 * channel. Answers the lead's logged-in window, which starts, marks and delivers the sheet; only an
 * assigned person starts a sheet, and the panel assigns reviewers and leads, never the organiser.
 */
export async function panelScorer(
  backend: Backend,
  organiser: ReturnType<typeof client>,
  caseId: string,
): Promise<ReturnType<typeof client>> {
  let scorer = scorers.get(backend);
  if (!scorer) {
    const { id } = await organiser.call('user:create', { ...SCORER, role: 'lead', pastUnits: [], legalProfessional: true });
    const window = client(backend, 'scorer-window');
    await window.call('auth:login', { username: SCORER.username, password: SCORER.password });
    scorer = { id, window };
    scorers.set(backend, scorer);
  }
  const { campaignId } = await organiser.call('case:get', { caseId });
  const panel = await organiser.call('panel:get', { campaignId });
  if (!panel.members.some((m) => m.userId === scorer.id))
    await organiser.call('panel:setMembers', { campaignId, userIds: [...panel.members.map((m) => m.userId), scorer.id] });
  await organiser.call('assignment:add', { caseId, reviewerId: scorer.id });
  return scorer.window;
}
