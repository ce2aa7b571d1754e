/**
 * Files from a USB stick cannot freeze or kill the back end, and a full disk or an unwritable data
 * folder ends in a clear Chinese refusal, with nothing committed lost:
 * - a 600,000-row case list and a zip-bomb workbook are refused while campaign:list keeps being
 *   answered within 200 ms (a responsiveness guarantee, not a speed benchmark);
 * - an import that fills the disk ends failed with per-file reasons and frees staging, and the
 *   workstation works again once space returns;
 * - a read-only data folder gives a Chinese start-up refusal.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { createBackend } from '../../electron/services/backend.js';
import { AppError } from '../../shared/core/errors.js';
import { openTestBackend, openWithCampaign, setupAdmin, stage, type client, type TestBackend } from '../support/backend.js';
import { zipOf } from '../support/import-fixtures.js';
import { dossierPdf } from '../support/pdf-fixtures.js';
import { importCase, setupPanel } from '../support/review-setup.js';
import { RESOURCES_DIR, tempDir } from '../support/temp.js';

const CACHE = path.resolve('test-output', 'bounded-faults');

/** Written streaming (exceljs WorkbookWriter), so the test itself stays small; cached between runs. */
async function hugeCaseList(rows: number): Promise<string> {
  const file = path.join(CACHE, `case-list-${rows}.xlsx`);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(CACHE, { recursive: true });
  const partial = `${file}.part`;
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: partial, useSharedStrings: false, useStyles: false });
  const sheet = book.addWorksheet('案件清单');
  sheet.addRow(['序号', '案号', '案件名称', '执法单位', '结案日期']).commit();
  for (let i = 1; i <= rows; i++)
    sheet
      .addRow([i, `清溪市监罚〔2025〕${i}号`, `某商户未按规定明码标价案${i}`, '清溪县市场监督管理局', `2025-0${(i % 9) + 1}-1${i % 10}`])
      .commit();
  sheet.commit();
  await book.commit();
  fs.renameSync(partial, file);
  return file;
}

/** A workbook whose one sheet inflates from a few hundred KB to 300 MB of nothing. */
async function zipBombWorkbook(): Promise<Buffer> {
  const filler = Buffer.alloc(300 * 1024 ** 2, 0x20);
  return zipOf([
    {
      name: '[Content_Types].xml',
      data: '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    },
    { name: 'xl/worksheets/sheet1.xml', data: filler },
  ]);
}

/** Calls campaign:list back to back until `until` settles; returns the slowest answer in ms. */
async function maxLatencyWhile(c: ReturnType<typeof client>, until: Promise<unknown>): Promise<{ max: number; calls: number }> {
  let settled = false;
  void until.then(
    () => (settled = true),
    () => (settled = true),
  );
  let max = 0;
  let calls = 0;
  while (!settled) {
    const start = performance.now();
    await c.call('campaign:list', {});
    max = Math.max(max, performance.now() - start);
    calls++;
    await new Promise((r) => setTimeout(r, 20));
  }
  return { max, calls };
}

describe('oversized files from outside', () => {
  let opened: Awaited<ReturnType<typeof openWithCampaign>>;
  afterAll(() => opened?.t.close());

  it('refuses a 600,000-row case list while other requests stay answered', async () => {
    opened = await openWithCampaign('清溪县2025年度评查');
    const { t, admin } = opened;
    const file = await hugeCaseList(600_000);
    const sourceId = await stage(t.backend, admin, '案件清单.xlsx', fs.readFileSync(file));
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    const reading = admin.fail('import:readList', { sourceId });
    const latency = await maxLatencyWhile(admin, reading);
    const error = await reading;
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(
      `600,000-row list: refused after ${seconds.toFixed(1)} s; ${latency.calls} campaign:list calls meanwhile, slowest ${latency.max.toFixed(0)} ms; heap +${Math.round((process.memoryUsage().heapUsed - heapBefore) / 1024 ** 2)} MB\n`,
    );
    expect(error.code).toBe('too_large');
    expect(error.message).toContain('清单超过 50,000 行，请拆分后导入');
    expect(latency.calls).toBeGreaterThan(0);
    expect(latency.max).toBeLessThan(200);
  }, 600_000);

  it('refuses a zip-bomb workbook before inflating it, as a list and as a standard', async () => {
    const { t, admin } = opened;
    const bytes = await zipBombWorkbook();
    const asList = await stage(t.backend, admin, '清单.xlsx', bytes);
    const reading = admin.fail('import:readList', { sourceId: asList });
    const latency = await maxLatencyWhile(admin, reading);
    const error = await reading;
    expect(error.code).toBe('too_large');
    expect(error.message).toContain('疑似压缩炸弹');
    expect(latency.max).toBeLessThan(200);
    const asStandard = await stage(t.backend, admin, '评查标准.xlsx', bytes);
    const refused = await admin.fail('standard:import', { sourceId: asStandard, dryRun: true });
    expect(refused.code).toBe('too_large');
    expect(refused.message).toContain('疑似压缩炸弹');
  }, 120_000);

  it('refuses a CSV list past 50,000 rows', async () => {
    const { t, admin } = opened;
    const lines = ['序号,案号,案件名称'];
    for (let i = 1; i <= 50_001; i++) lines.push(`${i},清溪市监罚〔2025〕${i}号,某案${i}`);
    const sourceId = await stage(t.backend, admin, '清单.csv', Buffer.from(lines.join('\n'), 'utf8'));
    const error = await admin.fail('import:readList', { sourceId });
    expect(error.code).toBe('too_large');
    expect(error.message).toContain('清单超过 50,000 行');
  }, 120_000);
});

/** A 20 MB tmpfs, so a disk can really be filled. */
function smallDisk(): { dir: string; cleanup(): void } {
  const t = tempDir();
  const dir = path.join(t.dir, 'disk');
  fs.mkdirSync(dir);
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=20m', 'tmpfs', dir]);
  return {
    dir,
    cleanup: () => {
      execFileSync('umount', ['-l', dir]);
      t.cleanup();
    },
  };
}

/** Writes until the disk refuses (ENOSPC); synchronous, so no job step runs in between. */
function fillDisk(dir: string): string {
  const filler = path.join(dir, 'filler.bin');
  const fd = fs.openSync(filler, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) fs.writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    fs.closeSync(fd);
  }
  return filler;
}

describe('a full disk', () => {
  let disk: ReturnType<typeof smallDisk>;
  let t: TestBackend;
  afterAll(() => {
    t?.backend.close();
    disk?.cleanup();
  });

  it('stops an import with reasons, keeps what was committed, frees staging, and works again when space returns', async () => {
    disk = smallDisk();
    t = openTestBackend(disk.dir);
    const admin = await setupAdmin(t.backend);
    const campaignId = (await admin.call('campaign:create', { name: '磁盘测试', year: 2025, issuingBody: '清溪县司法局' })).id;
    const defaults = { unitName: '清溪县市场监督管理局', caseType: 'penalty_general' as const };

    // A committed batch first.
    const first = await stage(t.backend, admin, '清溪市监罚〔2025〕1号.pdf', await dossierPdf(6, '第一卷'));
    const ok = await admin.call('import:start', { campaignId, sourceIds: [first], defaults });
    expect((await t.backend.services.jobs.wait(ok.jobId)).status).toBe('done');
    const committed = t.backend.db.prepare('SELECT sha256 FROM documents').all() as Array<{ sha256: string }>;
    expect(committed).toHaveLength(1);

    // A zip whose entries must be written out: the disk fills as soon as the job starts.
    const entries = await Promise.all(
      [2, 3, 4].map(async (i) => ({ name: `清溪市监罚〔2025〕${i}号.pdf`, data: await dossierPdf(8, `第${i}卷`), compress: false })),
    );
    const zip = await stage(t.backend, admin, '案卷.zip', await zipOf(entries));
    const started = await admin.call('import:start', { campaignId, sourceIds: [zip], defaults });
    const filler = fillDisk(disk.dir);
    const end = await t.backend.services.jobs.wait(started.jobId);
    expect(end.status).toBe('failed');
    expect(end.error?.code).toBe('disk_full');
    expect(end.error?.message).toContain(disk.dir);
    expect(end.error?.message).toContain('磁盘空间不足');

    // Space returns: the batch says why each file was not imported, staging is empty, nothing committed is lost.
    fs.rmSync(filler);
    const summary = await admin.call('import:result', { batchId: started.batchId });
    expect(summary.status).toBe('failed');
    const files = summary.items.filter((i) => i.kind === 'file');
    expect(files).toHaveLength(3);
    for (const item of files) expect(item.message).toMatch(/磁盘空间不足/);
    expect(fs.readdirSync(path.join(disk.dir, 'staging'))).toEqual([]);
    for (const { sha256 } of committed) expect(fs.existsSync(path.join(disk.dir, 'files', sha256.slice(0, 2), sha256))).toBe(true);
    expect(t.backend.db.pragma('integrity_check', { simple: true })).toBe('ok');

    const again = await stage(t.backend, admin, '案卷.zip', await zipOf(entries));
    const retry = await admin.call('import:start', { campaignId, sourceIds: [again], defaults });
    expect((await t.backend.services.jobs.wait(retry.jobId)).status).toBe('done');
    expect(t.backend.db.prepare('SELECT count(*) AS n FROM documents').get()).toEqual({ n: 4 });
  }, 300_000);

  it('refuses a reviewer scoring on a full disk in Chinese, keeps what was scored, and takes it once space returns', async () => {
    const scoringDisk = smallDisk();
    const s = openTestBackend(scoringDisk.dir);
    try {
      const panel = await setupPanel(s.backend);
      const caseId = await importCase(s.backend, panel, '清溪市监许〔2025〕7号');
      const reviewer = panel.users.zhang!.client;
      const view = await reviewer.call('sheet:start', { caseId });
      let revision = (
        await reviewer.call('sheet:answer', {
          sheetId: view.sheet.id,
          itemId: 'xk-2',
          answer: { status: 'deduct', comment: '未一次性告知补正内容' },
          revision: view.sheet.revision,
        })
      ).revision;
      const filler = fillDisk(scoringDisk.dir);
      // Long comments, so the writes outgrow the pages SQLite already holds.
      let refusal: { code: string; message: string } | null = null;
      for (let i = 0; i < 400 && !refusal; i++) {
        const answer = { status: 'deduct' as const, comment: `第${i}次修改：${'卷内材料未编页号，'.repeat(300)}`.slice(0, 4000) };
        const result = await s.backend.dispatch(
          'sheet:answer',
          { sheetId: view.sheet.id, itemId: 'xk-12.5', answer, revision },
          reviewer.clientId,
        );
        if (result.ok) revision = (result.value as { revision: number }).revision;
        else refusal = result.error;
      }
      expect(refusal?.code).toBe('disk_full');
      expect(refusal?.message).toContain('磁盘空间不足');
      expect(refusal?.message).toContain(scoringDisk.dir);
      fs.rmSync(filler);
      const after = await reviewer.call('sheet:answer', {
        sheetId: view.sheet.id,
        itemId: 'xk-4',
        answer: { status: 'deduct', comment: '受理决定超过法定期限' },
        revision,
      });
      expect(after.revision).toBeGreaterThan(revision);
      const reopened = await reviewer.call('sheet:start', { caseId });
      expect(JSON.stringify(reopened)).toContain('未一次性告知补正内容');
      expect(JSON.stringify(reopened)).toContain('受理决定超过法定期限');
      expect(s.backend.db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      s.backend.close();
      scoringDisk.cleanup();
    }
  }, 180_000);
});

describe('a read-only data folder', () => {
  it('ends start-up with a Chinese message naming the folder', () => {
    const t = tempDir();
    const dir = path.join(t.dir, 'ro');
    fs.mkdirSync(dir);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,ro', 'tmpfs', dir]);
    try {
      let error: unknown = null;
      try {
        createBackend({
          dataDir: dir,
          resourcesDir: RESOURCES_DIR,
          appVersion: '0.0.0-test',
          log: { info: () => undefined, error: () => undefined },
        }).close();
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('no_permission');
      expect((error as AppError).message).toContain(dir);
      expect((error as AppError).message).toMatch(/只读/);
    } finally {
      execFileSync('umount', ['-l', dir]);
      t.cleanup();
    }
  });
});
