/**
 * What a person decided about OCR, and what OCR could not do, outlives the workstation's process: a
 * reading paused with 暂停 stays paused when the workstation opens again (no reading starts by
 * itself), and a file that could not be read keeps its Chinese reason in the case list after a
 * restart and is not tried again until a person asks. A damaged OCR result on disk gives a clear
 * Chinese error naming the file and page, not a crash.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OCR_ENGINE_KEY } from '../../electron/services/ocr/index.js';
import { ADMIN, client, openTestBackend, setupAdmin, stage, type TestBackend } from '../support/backend.js';
import { dossierFixture, type DossierTruth } from '../support/dossiers/index.js';
import { tempDir } from '../support/temp.js';

const data = tempDir('pingcha-ocr-persist-');
let t: TestBackend;
let admin: ReturnType<typeof client>;
let scan: { bytes: Uint8Array; truth: DossierTruth };
let campaignId: string;
let documentId: string;
let sha256: string;

/** Closes the workstation and opens it again on the same data folder, logged in again. */
async function restart(): Promise<void> {
  t.backend.close();
  t = openTestBackend(data.dir);
  admin = client(t.backend, 'admin');
  await admin.call('auth:login', { username: ADMIN.username, password: ADMIN.password });
}

beforeAll(async () => {
  t = openTestBackend(data.dir);
  admin = await setupAdmin(t.backend, 'admin');
  scan = await dossierFixture({ scanned: true, caseType: 'penalty_general', seed: 7 });
  campaignId = (await admin.call('campaign:create', { name: '2025年度评查', year: 2025, issuingBody: '某某县司法局' })).id;
  const sourceId = await stage(t.backend, admin, scan.truth.fileName, scan.bytes);
  const detail = await admin.call('dossier:importSingle', {
    campaignId,
    sourceId,
    caseNumber: scan.truth.caseNumber,
    caseTitle: scan.truth.title,
    unitName: scan.truth.unitName,
    caseType: 'penalty_general',
  });
  documentId = detail.documents[0]!.id;
  sha256 = detail.documents[0]!.sha256;
}, 180_000);

afterAll(() => {
  t.backend.close();
  data.cleanup();
});

describe('OCR state across a restart', () => {
  it('a paused reading stays paused when the workstation opens again, until 继续', async () => {
    expect(await admin.call('ocr:campaign', { campaignId })).toMatchObject({ running: true, paused: false, filesQueued: 1 });
    expect(await admin.call('ocr:pause', { campaignId })).toMatchObject({ running: false, paused: true, filesQueued: 1 });

    await restart();
    const after = await admin.call('ocr:status', { campaignId });
    expect(after).toMatchObject({ running: false, paused: true, filesQueued: 1, jobId: null });
    expect(after.message).toMatch(/（已暂停）$/);
    // Opening the file in the reader does not start reading either.
    expect(await admin.call('ocr:prioritise', { documentId, pageIndex: 0 })).toMatchObject({ running: false, paused: true });

    // 继续 starts it; 取消 takes the file out of the queue.
    expect(await admin.call('ocr:campaign', { campaignId })).toMatchObject({ running: true, paused: false });
    await admin.call('ocr:cancel', { campaignId });
    await t.backend.services.ocr.idle();
    await restart();
    expect(await admin.call('ocr:status', { campaignId })).toMatchObject({ paused: false, running: false, filesQueued: 0 });
  }, 180_000);

  it('a file that could not be read keeps its Chinese reason after a restart, and is read again only when asked', async () => {
    const stored = path.join(t.backend.layout.files, sha256.slice(0, 2), sha256);
    const bytes = fs.readFileSync(stored);
    fs.rmSync(stored);
    await admin.call('ocr:campaign', { campaignId });
    await t.backend.services.ocr.idle();
    const reason = (await admin.call('ocr:status', { campaignId })).files[0]!.error;
    expect(reason).toMatch(/^读取文件失败/);

    await restart();
    expect((await admin.call('ocr:status', { campaignId })).files[0]).toMatchObject({ documentId, queued: false, error: reason });
    // A change in the campaign, or opening the file, does not try it again.
    t.backend.services.ocr.queueCampaign(campaignId);
    await admin.call('ocr:prioritise', { documentId });
    expect((await admin.call('ocr:status', { campaignId })).files[0]).toMatchObject({ queued: false, error: reason });

    // The file is back; 识别 clears the reason and queues it again.
    fs.writeFileSync(stored, bytes);
    expect((await admin.call('ocr:campaign', { campaignId })).files[0]).toMatchObject({ queued: true, error: null });
    await admin.call('ocr:pause', { campaignId });
    await restart();
    expect((await admin.call('ocr:status', { campaignId })).files[0]).toMatchObject({ queued: true, error: null });
    await admin.call('ocr:cancel', { campaignId });
  }, 180_000);
});

describe('a damaged OCR result in the database file', () => {
  it('answers corrupt_data in Chinese naming the file and page, and the rest of the workstation works on', async () => {
    t.backend.close();
    // Damage as a faulty copy or a hand edit leaves it: one cell cut short, another of the wrong shape.
    const raw = new Database(path.join(data.dir, 'pingcha.db'));
    const put = raw.prepare(
      `INSERT OR REPLACE INTO ocr_pages (sha256, page_index, engine, status, lines_json, mean_confidence, dpi, ms, read_at)
       VALUES (?, ?, ?, 'text', ?, 0.9, 150, 10, '2025-01-01T00:00:00.000Z')`,
    );
    put.run(sha256, 0, OCR_ENGINE_KEY, '[{"text":"行政处罚决定书","box":[1,2');
    put.run(sha256, 1, OCR_ENGINE_KEY, '[{"text":42}]');
    raw.close();
    t = openTestBackend(data.dir);
    admin = client(t.backend, 'admin');
    await admin.call('auth:login', { username: ADMIN.username, password: ADMIN.password });

    const cut = await admin.fail('ocr:pages', { documentId, pageIndexes: [0] });
    expect(cut.code).toBe('corrupt_data');
    expect(cut.message).toContain(`文件 ${sha256.slice(0, 12)}… 第 1 页的文字识别结果`);
    expect(cut.message).toContain('不是有效的 JSON');
    const shape = await admin.fail('ocr:pages', { documentId, pageIndexes: [1] });
    expect(shape.code).toBe('corrupt_data');
    expect(shape.message).toContain('第 2 页');
    expect(shape.message).toMatch(/已损坏.*请从备份恢复/);
    // Other requests are answered as before.
    expect((await admin.call('ocr:status', { campaignId })).campaignId).toBe(campaignId);
  }, 60_000);
});
