/**
 * Background OCR on a real back end with the real engine: a scanned 行政处罚 dossier (image-only,
 * rotated, noisy, sealed) imported into a campaign becomes searchable page by page; the same file in
 * another campaign is not read again; a reading stopped by closing the workstation resumes at the
 * next start without reading committed pages again; a package carries what was read. Only a few
 * pages are read per test: the engine is slow on a shared CPU.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OcrPageViewSchema } from '../../shared/ocr/channels.js';
import { OCR_ENGINE_KEY } from '../../electron/services/ocr/index.js';
import { ADMIN, client, openTestBackend, setupAdmin, stage, type TestBackend } from '../support/backend.js';
import { dossierFixture, type DossierTruth } from '../support/dossiers/index.js';
import { exportPackage, importConfirming, openWorkstation, rows } from '../support/packages.js';
import { PANEL, PANEL_PASSWORD, setupPanel, type Panel } from '../support/review-setup.js';
import { RESOURCES_DIR, tempDir } from '../support/temp.js';
import { startHost } from '../../electron/host/host.js';

const data = tempDir('pingcha-ocr-bg-');
let t: TestBackend;
let p: Panel;
let scan: { bytes: Uint8Array; truth: DossierTruth };
let caseId: string;
let documentId: string;
let sha256: string;

async function importScan(campaignId: string, caseNumber: string): Promise<{ caseId: string; documentId: string }> {
  const sourceId = await stage(t.backend, p.admin, scan.truth.fileName, scan.bytes);
  const detail = await p.admin.call('dossier:importSingle', {
    campaignId,
    sourceId,
    caseNumber,
    caseTitle: scan.truth.title,
    unitName: scan.truth.unitName,
    caseType: 'penalty_general',
  });
  return { caseId: detail.id, documentId: detail.documents[0]!.id };
}

const ocrRows = (sha: string): Array<{ page_index: number; read_at: string; status: string }> =>
  t.backend.db
    .prepare('SELECT page_index, read_at, status FROM ocr_pages WHERE sha256 = ? AND engine = ? ORDER BY page_index')
    .all(sha, OCR_ENGINE_KEY) as Array<{ page_index: number; read_at: string; status: string }>;

/** The panel's windows on the reopened workstation. */
async function loginAgain(): Promise<void> {
  p.admin = client(t.backend, 'admin');
  await p.admin.call('auth:login', { username: ADMIN.username, password: ADMIN.password });
  for (const member of PANEL) {
    const c = client(t.backend, member.key);
    await c.call('auth:login', { username: member.username, password: PANEL_PASSWORD });
    p.users[member.key]!.client = c;
  }
}

beforeAll(async () => {
  t = openTestBackend(data.dir);
  p = await setupPanel(t.backend);
  scan = await dossierFixture({ scanned: true, caseType: 'penalty_general' });
  ({ caseId, documentId } = await importScan(p.campaignId, scan.truth.caseNumber));
  sha256 = (await p.admin.call('case:get', { caseId })).documents[0]!.sha256;
}, 180_000);

afterAll(() => {
  t.backend.close();
  data.cleanup();
});

describe('background OCR of scanned pages', () => {
  it('makes a scanned page findable by a phrase through search:pages, with the box of its line', async () => {
    // Image-only: the import found no text, so every page waits for OCR.
    expect(rows(t.backend, 'SELECT count(*) AS n FROM page_text WHERE document_id = ?', documentId)[0]!.n).toBe(0);
    const before = await p.admin.call('ocr:status', { campaignId: p.campaignId });
    expect(before).toMatchObject({ pagesToRead: scan.truth.pageCount, pagesRead: 0 });
    expect(before.message).toBe(`文字识别 0 / ${scan.truth.pageCount} 页`);

    t.backend.services.ocr.queueFile(documentId, { pages: [0, 1] });
    await t.backend.services.ocr.idle();
    expect(ocrRows(sha256).map((r) => r.page_index)).toEqual([0, 1]);
    const after = await p.admin.call('ocr:status', { campaignId: p.campaignId, caseId });
    expect(after).toMatchObject({ pagesToRead: scan.truth.pageCount, pagesRead: 2, filesQueued: 0, running: false });
    expect(after.message).toBe(`文字识别 2 / ${scan.truth.pageCount} 页`);

    // The case's title is printed on its cover (page 1); OCR read it, so search finds it there.
    expect(scan.truth.pages[0]!.text).toContain(scan.truth.title);
    const { hits } = await p.admin.call('search:pages', { campaignId: p.campaignId, query: scan.truth.title });
    const hit = hits.find((h) => h.documentId === documentId && h.pageIndex === 0);
    expect(hit).toMatchObject({ caseId, source: 'ocr', match: scan.truth.title });
    const [x0, y0, x1, y1] = hit!.box!;
    // The box lies on the A4 page, in PDF points.
    expect(x0).toBeGreaterThanOrEqual(0);
    expect(y0).toBeGreaterThanOrEqual(0);
    expect(x1).toBeLessThanOrEqual(596);
    expect(y1).toBeLessThanOrEqual(843);
    expect(x1 - x0).toBeGreaterThan(20);

    // The reader's lines for the text layer: per page, status, engine, lines with boxes.
    const reviewer = p.users.zhang!.client;
    await p.admin.call('assignment:add', { caseId, reviewerId: p.users.zhang!.id });
    const lines = await reviewer.call('ocr:pages', { documentId, pageIndexes: [1] });
    expect(lines.pages.map((pg) => pg.pageIndex)).toEqual([1]);
    // The pages still waiting, for the reader to say so on them (pages 0 and 1 were read).
    expect(lines.unreadPages).toEqual(Array.from({ length: scan.truth.pageCount - 2 }, (_, i) => i + 2));
    const page = OcrPageViewSchema.parse(lines.pages[0]);
    expect(page.status).toBe('text');
    expect(page.lines.length).toBeGreaterThan(3);
    expect(page.meanConfidence).toBeGreaterThan(0.8);
    // A reviewer reaches only the files assigned to them.
    const other = await importScan(p.campaignId, `${scan.truth.caseNumber}-副本`);
    expect(await p.users.li!.client.fail('ocr:pages', { documentId: other.documentId })).toMatchObject({ code: 'forbidden' });
  }, 300_000);

  it('reads the same file in a second campaign only once', async () => {
    const second = await p.admin.call('campaign:create', { name: '2026年度复查', year: 2026, issuingBody: '某某县司法局' });
    const copy = await importScan(second.id, scan.truth.caseNumber);
    const readBefore = ocrRows(sha256);
    t.backend.services.ocr.queueFile(copy.documentId, { pages: [0, 1] });
    await t.backend.services.ocr.idle();
    // Nothing read again: the same rows, read at the same moments; the text is indexed for the copy.
    expect(ocrRows(sha256)).toEqual(readBefore);
    const { hits } = await p.admin.call('search:pages', { campaignId: second.id, query: scan.truth.title });
    expect(hits.map((h) => [h.documentId, h.pageIndex, h.source])).toContainEqual([copy.documentId, 0, 'ocr']);
    expect(await p.admin.call('ocr:status', { campaignId: second.id })).toMatchObject({ pagesRead: 2 });
  }, 120_000);

  it('resumes reading after the workstation was closed mid-job, without reading committed pages again', async () => {
    const wanted = [2, 3, 4];
    t.backend.services.ocr.queueFile(documentId, { pages: wanted });
    // Close as soon as the first of these pages is committed.
    const deadline = Date.now() + 240_000;
    while (ocrRows(sha256).filter((r) => wanted.includes(r.page_index)).length === 0) {
      if (Date.now() > deadline) throw new Error('no page committed in time');
      await new Promise((r) => setTimeout(r, 50));
    }
    t.backend.close();
    t = openTestBackend(data.dir);
    const committed = ocrRows(sha256).filter((r) => wanted.includes(r.page_index));
    expect(committed.length).toBeGreaterThanOrEqual(1);
    expect(committed.length).toBeLessThan(wanted.length);

    await loginAgain();

    // Reading started again by itself, with only the pages left.
    const status = t.backend.services.ocr.status(p.campaignId, 'all');
    expect(status.running).toBe(true);
    const job = await t.backend.services.jobs.wait(status.jobId!);
    expect(job).toMatchObject({ status: 'done', done: wanted.length - committed.length });
    const after = ocrRows(sha256).filter((r) => wanted.includes(r.page_index));
    expect(after.map((r) => r.page_index)).toEqual(wanted);
    // The pages committed before the stop were not read again.
    for (const c of committed) expect(after.find((r) => r.page_index === c.page_index)!.read_at).toBe(c.read_at);
    expect(t.backend.db.prepare('SELECT count(*) AS n FROM ocr_queue').get()).toEqual({ n: 0 });
  }, 400_000);

  it('carries what OCR read in a package, so the receiving workstation finds the scanned text without reading', async () => {
    const lead = p.users.lead!.client;
    await lead.call('key:create', { password: PANEL_PASSWORD });
    const bytes = await exportPackage(t.backend, lead, 'package:exportCampaign', {
      campaignId: p.campaignId,
      purpose: 'report',
      password: PANEL_PASSWORD,
    });
    const city = openWorkstation('city-ocr');
    try {
      const admin = await setupAdmin(city.backend, 'admin');
      expect(await importConfirming(city.backend, admin, bytes)).toMatchObject({ outcome: 'applied' });
      const sent = ocrRows(sha256);
      expect(rows(city.backend, 'SELECT page_index, read_at, status FROM ocr_pages WHERE sha256 = ? ORDER BY page_index', sha256)).toEqual(
        sent,
      );
      const { hits } = await admin.call('search:pages', { campaignId: p.campaignId, query: scan.truth.title });
      expect(hits.find((h) => h.documentId === documentId && h.pageIndex === 0)).toMatchObject({ source: 'ocr', box: expect.any(Array) });
      const lines = await admin.call('ocr:pages', { documentId });
      expect(lines.pages.map((pg) => pg.pageIndex)).toEqual(sent.map((r) => r.page_index));
      // Nothing to read there: the package brought every page read here (for both files with these bytes).
      expect(city.backend.services.ocr.status(p.campaignId, 'all')).toMatchObject({
        pagesRead: 2 * sent.length,
        filesQueued: 0,
        running: false,
      });
    } finally {
      city.close();
    }
  }, 300_000);
});

describe('reading queued after an import, as in the desktop app', () => {
  it('queues the imported scan by itself, and a cancelled reading waits, paused, with its file still queued', async () => {
    const own = openTestBackend(undefined, { ocr: { afterImport: true } });
    try {
      const admin = await setupAdmin(own.backend, 'admin');
      const campaignId = (await admin.call('campaign:create', { name: '2025年度评查', year: 2025, issuingBody: '某某县司法局' })).id;
      const sourceId = await stage(own.backend, admin, scan.truth.fileName, scan.bytes);
      await admin.call('dossier:importSingle', {
        campaignId,
        sourceId,
        caseNumber: scan.truth.caseNumber,
        caseTitle: scan.truth.title,
        unitName: scan.truth.unitName,
        caseType: 'penalty_general',
      });
      const deadline = Date.now() + 20_000;
      let status = await admin.call('ocr:status', { campaignId });
      while (!status.running && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        status = await admin.call('ocr:status', { campaignId });
      }
      expect(status).toMatchObject({ running: true, filesQueued: 1, pagesToRead: scan.truth.pageCount });
      await admin.call('job:cancel', { jobId: status.jobId! });
      await own.backend.services.ocr.idle();
      const paused = await admin.call('ocr:status', { campaignId });
      expect(paused).toMatchObject({ running: false, filesQueued: 1, jobId: null });
      expect(paused.message).toMatch(/^文字识别 \d+ \/ \d+ 页（已暂停）$/);
    } finally {
      own.close();
    }
  }, 120_000);

  it('queues an imported scan by itself in the loopback host too (the browser build behaves as the desktop app)', async () => {
    const folder = tempDir('pingcha-ocr-host-');
    const host = await startHost({ dataDir: folder.dir, rendererDir: folder.dir, resourcesDir: RESOURCES_DIR, appVersion: '0.0.0-test' });
    try {
      const admin = await setupAdmin(host.backend, 'admin');
      const campaignId = (await admin.call('campaign:create', { name: '2025年度评查', year: 2025, issuingBody: '某某县司法局' })).id;
      const sourceId = await stage(host.backend, admin, scan.truth.fileName, scan.bytes);
      await admin.call('dossier:importSingle', {
        campaignId,
        sourceId,
        caseNumber: scan.truth.caseNumber,
        caseTitle: scan.truth.title,
        unitName: scan.truth.unitName,
        caseType: 'penalty_general',
      });
      const deadline = Date.now() + 20_000;
      let status = await admin.call('ocr:status', { campaignId });
      while (status.filesQueued === 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        status = await admin.call('ocr:status', { campaignId });
      }
      expect(status).toMatchObject({ filesQueued: 1, pagesToRead: scan.truth.pageCount });
    } finally {
      await host.close();
      folder.cleanup();
    }
  }, 120_000);

  it("pauses, continues and cancels a campaign's reading, and says in Chinese why a file could not be read", async () => {
    const own = openTestBackend();
    try {
      const admin = await setupAdmin(own.backend, 'admin');
      const campaignId = (await admin.call('campaign:create', { name: '2025年度评查', year: 2025, issuingBody: '某某县司法局' })).id;
      const sourceId = await stage(own.backend, admin, scan.truth.fileName, scan.bytes);
      const detail = await admin.call('dossier:importSingle', {
        campaignId,
        sourceId,
        caseNumber: scan.truth.caseNumber,
        caseTitle: scan.truth.title,
        unitName: scan.truth.unitName,
        caseType: 'penalty_general',
      });
      const doc = detail.documents[0]!;

      expect(await admin.call('ocr:campaign', { campaignId })).toMatchObject({ running: true, paused: false, filesQueued: 1 });
      // 暂停: nothing reads, the file stays queued, and opening it in the reader does not start reading.
      const paused = await admin.call('ocr:pause', { campaignId });
      expect(paused).toMatchObject({ running: false, paused: true, filesQueued: 1, jobId: null });
      expect(paused.message).toMatch(/（已暂停）$/);
      expect(await admin.call('ocr:prioritise', { documentId: doc.id, pageIndex: 3 })).toMatchObject({ running: false, paused: true });
      // 继续.
      expect(await admin.call('ocr:campaign', { campaignId })).toMatchObject({ running: true, paused: false, filesQueued: 1 });
      // 取消: the campaign's files leave the queue; reading stops.
      const cancelled = await admin.call('ocr:cancel', { campaignId });
      expect(cancelled).toMatchObject({ filesQueued: 0 });
      await own.backend.services.ocr.idle();
      expect(await admin.call('ocr:status', { campaignId })).toMatchObject({
        running: false,
        filesQueued: 0,
        files: [{ documentId: doc.id, queued: false, reading: false, error: null }],
      });
      // Only an organiser or a lead controls the reading.
      expect(await client(own.backend, 'nobody').fail('ocr:pause', { campaignId })).toMatchObject({ code: 'unauthenticated' });

      // A file gone from the store: the case list says why it was not read, in Chinese.
      fs.rmSync(path.join(own.backend.layout.files, doc.sha256.slice(0, 2), doc.sha256));
      await admin.call('ocr:campaign', { campaignId });
      await own.backend.services.ocr.idle();
      const failed = await admin.call('ocr:status', { campaignId });
      expect(failed.files[0]).toMatchObject({ queued: false, reading: false, error: expect.stringMatching(/^读取文件失败/) });
      // Later changes in the campaign and opening the file do not try it again; 识别 / 继续 does.
      own.backend.services.ocr.queueCampaign(campaignId);
      await admin.call('ocr:prioritise', { documentId: doc.id });
      expect((await admin.call('ocr:status', { campaignId })).files[0]).toMatchObject({
        queued: false,
        error: expect.stringMatching(/^读取文件失败/),
      });
      expect((await admin.call('ocr:campaign', { campaignId })).files[0]).toMatchObject({ queued: true, error: null });
      await own.backend.services.ocr.idle();
    } finally {
      own.close();
    }
  }, 180_000);

  it('取消 sticks: changes in the campaign, opening a file and a restart do not start reading again; 开始识别 does', async () => {
    const folder = tempDir('pingcha-ocr-cancel-');
    let own = openTestBackend(folder.dir, { ocr: { afterImport: true } });
    try {
      const admin = await setupAdmin(own.backend, 'admin');
      const campaignId = (await admin.call('campaign:create', { name: '2025年度评查', year: 2025, issuingBody: '某某县司法局' })).id;
      const sourceId = await stage(own.backend, admin, scan.truth.fileName, scan.bytes);
      const detail = await admin.call('dossier:importSingle', {
        campaignId,
        sourceId,
        caseNumber: scan.truth.caseNumber,
        caseTitle: scan.truth.title,
        unitName: scan.truth.unitName,
        caseType: 'penalty_general',
      });
      const doc = detail.documents[0]!;
      expect(await admin.call('ocr:campaign', { campaignId })).toMatchObject({ running: true, cancelled: false });
      const cancelled = await admin.call('ocr:cancel', { campaignId });
      expect(cancelled).toMatchObject({ filesQueued: 0, cancelled: true, secondsLeft: null });
      await own.backend.services.ocr.idle();
      // What an import's settle timer and the reader do after a change: nothing is queued again.
      own.backend.services.ocr.queueCampaign(campaignId);
      expect(await admin.call('ocr:prioritise', { documentId: doc.id, pageIndex: 2 })).toMatchObject({
        running: false,
        filesQueued: 0,
        cancelled: true,
      });
      own.close();
      own = openTestBackend(folder.dir, { ocr: { afterImport: true } });
      own.backend.services.ocr.resume();
      const again = client(own.backend, 'admin');
      await again.call('auth:login', { username: ADMIN.username, password: ADMIN.password });
      own.backend.services.ocr.queueCampaign(campaignId);
      expect(await again.call('ocr:status', { campaignId })).toMatchObject({ running: false, filesQueued: 0, cancelled: true });
      // 开始识别 lifts the cancel.
      expect(await again.call('ocr:campaign', { campaignId })).toMatchObject({ running: true, filesQueued: 1, cancelled: false });
      await again.call('ocr:cancel', { campaignId });
      await own.backend.services.ocr.idle();
    } finally {
      own.close();
      folder.cleanup();
    }
  }, 180_000);

  it('reads drawn files first, an opened undrawn file after them, and estimates the time left from the pace', async () => {
    const own = openTestBackend();
    try {
      const admin = await setupAdmin(own.backend, 'admin');
      const campaignId = (await admin.call('campaign:create', { name: '2025年度评查', year: 2025, issuingBody: '某某县司法局' })).id;
      const docs: Array<{ caseId: string; documentId: string }> = [];
      for (const n of [1, 2]) {
        const sourceId = await stage(own.backend, admin, scan.truth.fileName, scan.bytes);
        const d = await admin.call('dossier:importSingle', {
          campaignId,
          sourceId,
          caseNumber: `清溪综执罚〔2025〕${n}号`,
          caseTitle: scan.truth.title,
          unitName: scan.truth.unitName,
          caseType: 'penalty_general',
        });
        docs.push({ caseId: d.id, documentId: d.documents[0]!.id });
      }
      const draw = await admin.call('draw:run', { campaignId, perGroup: 1, seed: '2025-1207-07', witness: '赵见证' });
      const drawnCase = draw.groups[0]!.drawn[0]!.caseId;
      const drawn = docs.find((d) => d.caseId === drawnCase)!;
      const undrawn = docs.find((d) => d.caseId !== drawnCase)!;
      await admin.call('ocr:pause', { campaignId });
      own.backend.services.ocr.queueCampaign(campaignId);
      // The organiser opens the undrawn file: it is asked for, but the drawn one is read first.
      await admin.call('ocr:prioritise', { documentId: undrawn.documentId, pageIndex: 4 });
      await admin.call('ocr:campaign', { campaignId });
      const deadline = Date.now() + 20_000;
      let status = await admin.call('ocr:status', { campaignId });
      while (!status.files.some((f) => f.reading) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        status = await admin.call('ocr:status', { campaignId });
      }
      expect(status.files.find((f) => f.reading)?.documentId).toBe(drawn.documentId);
      // Opening the undrawn file again while the drawn one is read does not stop it.
      await admin.call('ocr:prioritise', { documentId: undrawn.documentId, pageIndex: 4 });
      expect((await admin.call('ocr:status', { campaignId })).files.find((f) => f.reading)?.documentId).toBe(drawn.documentId);
      // Once a page was read, the time left follows the measured pace.
      while ((status = await admin.call('ocr:status', { campaignId })).pagesRead === 0 && Date.now() < deadline + 60_000)
        await new Promise((r) => setTimeout(r, 200));
      const ms = (own.backend.db.prepare('SELECT ms FROM ocr_pages WHERE ms > 0').all() as Array<{ ms: number }>).map((r) => r.ms);
      expect(ms.length).toBeGreaterThan(0);
      const left = status.pagesToRead - status.pagesRead;
      expect(status.secondsLeft).toBeGreaterThan(0);
      // Both files hold the same bytes, so what is read counts for both; the estimate is of the same order as pages × pace.
      expect(status.secondsLeft!).toBeLessThan((left * Math.max(...ms) * 1.2) / 1000 + 1);
      await admin.call('ocr:cancel', { campaignId });
      await own.backend.services.ocr.idle();
    } finally {
      own.close();
    }
  }, 240_000);

  it('reads the files two people opened in turn, a few pages each, instead of one taking the engine from the other', async () => {
    const own = openTestBackend();
    try {
      const admin = await setupAdmin(own.backend, 'admin');
      const campaignId = (await admin.call('campaign:create', { name: '2025年度评查', year: 2025, issuingBody: '清溪县司法局' })).id;
      const docs: Array<{ documentId: string; sha256: string }> = [];
      // Two different scans (different bytes), so each is read on its own.
      for (const [n, seed] of [
        [1, 2025],
        [2, 2031],
      ] as const) {
        const other = await dossierFixture({ scanned: true, caseType: 'penalty_general', seed });
        const sourceId = await stage(own.backend, admin, other.truth.fileName, other.bytes);
        const d = await admin.call('dossier:importSingle', {
          campaignId,
          sourceId,
          caseNumber: `清溪综执罚〔2025〕${n}号`,
          caseTitle: other.truth.title,
          unitName: other.truth.unitName,
          caseType: 'penalty_general',
        });
        docs.push({ documentId: d.documents[0]!.id, sha256: d.documents[0]!.sha256 });
      }
      const [first, second] = docs as [(typeof docs)[0], (typeof docs)[0]];
      const readOf = (sha: string) =>
        (own.backend.db.prepare('SELECT count(*) AS n FROM ocr_pages WHERE sha256 = ?').get(sha) as { n: number }).n;
      const scannedOf = async (documentId: string) =>
        (await admin.call('ocr:status', { campaignId })).files.find((f) => f.documentId === documentId)!.pagesToRead;
      await admin.call('ocr:pause', { campaignId });
      // One person opens the first file, another the second a moment later.
      await admin.call('ocr:prioritise', { documentId: first.documentId, pageIndex: 0 });
      await new Promise((r) => setTimeout(r, 5));
      await admin.call('ocr:prioritise', { documentId: second.documentId, pageIndex: 0 });
      await admin.call('ocr:campaign', { campaignId });
      const deadline = Date.now() + 150_000;
      while (readOf(second.sha256) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      // The second file got its turn after a few pages of the first, long before the first was done.
      expect(readOf(second.sha256)).toBeGreaterThan(0);
      const firstRead = readOf(first.sha256);
      expect(firstRead).toBeGreaterThanOrEqual(1);
      expect(firstRead).toBeLessThanOrEqual(4);
      expect(firstRead).toBeLessThan(await scannedOf(first.documentId));
      await admin.call('ocr:cancel', { campaignId });
      await own.backend.services.ocr.idle();
    } finally {
      own.close();
    }
  }, 240_000);
});
