/**
 * Backup and restore of a whole workspace on the realistic 清溪县 campaign: a restore onto a fresh
 * workstation holds every table and stored file as they were; a damaged or partial backup is refused
 * with the file named and nothing written; a second backup to the same stick copies only new files;
 * a cancelled backup or one stopped by a full stick is never taken for complete; a restore onto a
 * workstation with data keeps that data in a dated folder.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKUP_MANIFEST } from '../../shared/backup/manifest.js';
import { prepareRestore, swapInRestore, verifyBackup } from '../../electron/services/backup/index.js';
import { referencedHashes } from '../../electron/services/core/orphans.js';
import { client, openTestBackend, openWithCampaign, setupAdmin, stage, ADMIN } from '../support/backend.js';
import { dossierFixture, realisticCampaign, type RealisticCampaign } from '../support/dossiers/index.js';
import { tempDir } from '../support/temp.js';

let campaign: RealisticCampaign;
let t: Awaited<ReturnType<typeof openWithCampaign>>;
const scratch = tempDir('pingcha-backup-');
const stick = path.join(scratch.dir, 'U盘', '工作站备份');

async function importCampaign(): Promise<void> {
  const { t: tb, admin, campaignId } = t;
  const listId = await stage(tb.backend, admin, '清单.xlsx', fs.readFileSync(campaign.listXlsx));
  const layout = await admin.call('import:readList', { sourceId: listId });
  const sourceIds: string[] = [];
  for (const d of campaign.dossiers)
    sourceIds.push(await stage(tb.backend, admin, `${d.truth.unitName}/${d.truth.fileName}`, fs.readFileSync(d.path)));
  const { jobId } = await admin.call('import:start', {
    campaignId,
    sourceIds,
    list: { sourceId: listId, sheetName: layout.sheetName, headerRow: layout.headerRow, mapping: layout.mapping },
  });
  const job = await tb.backend.services.jobs.wait(jobId);
  expect(job.status).toBe('done');
}

async function backup(folder: string) {
  const { jobId } = await t.admin.call('backup:start', { folder });
  const job = await t.t.backend.services.jobs.wait(jobId);
  return { job, jobId };
}

/** Every row of every table, in a stable order. */
function tables(file: string): Map<string, string[]> {
  const db = new Database(file, { readonly: true });
  try {
    const names = db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .pluck()
      .all() as string[];
    // Sorted by content: some tables have no rowid.
    return new Map(
      names.map((n) => [
        n,
        db
          .prepare(`SELECT * FROM "${n}"`)
          .all()
          .map((r) => JSON.stringify(r))
          .sort(),
      ]),
    );
  } finally {
    db.close();
  }
}

/** Stored files by name with the SHA-256 of their bytes. */
function blobs(root: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const shard of fs.readdirSync(path.join(root, 'files')).filter((s) => /^[0-9a-f]{2}$/.test(s)))
    for (const name of fs.readdirSync(path.join(root, 'files', shard)))
      out.set(
        name,
        createHash('sha256')
          .update(fs.readFileSync(path.join(root, 'files', shard, name)))
          .digest('hex'),
      );
  return out;
}

function copyBackup(to: string): string {
  fs.cpSync(stick, to, { recursive: true });
  return to;
}

beforeAll(async () => {
  campaign = await realisticCampaign();
  t = await openWithCampaign('清溪县2025年度行政执法案卷评查');
  await importCampaign();
}, 600_000);
afterAll(() => {
  t.t.close();
  scratch.cleanup();
});

describe('a backup of the whole workspace', () => {
  let firstBlobs = 0;

  it('restores onto a fresh workstation with every table and stored file identical', async () => {
    const { job, jobId } = await backup(stick);
    expect(job.status, JSON.stringify(job.error)).toBe('done');
    const outcome = await t.admin.call('backup:result', { jobId });
    const liveBlobs = blobs(t.t.dir);
    firstBlobs = outcome.blobsCopied;
    expect(outcome.blobsCopied).toBeGreaterThanOrEqual(campaign.dossiers.length);
    expect(outcome.blobsKept).toBe(0);
    const manifest = JSON.parse(fs.readFileSync(path.join(stick, BACKUP_MANIFEST), 'utf8')) as {
      schemaVersion: number;
      appVersion: string;
      entries: Array<{ path: string; sm3: string }>;
    };
    expect(manifest).toMatchObject({ appVersion: '0.0.0-test', schemaVersion: t.t.backend.db.pragma('user_version', { simple: true }) });
    expect(manifest.entries.every((e) => /^[0-9a-f]{64}$/.test(e.sm3))).toBe(true);
    // The stick holds the backup and nothing else: no scratch copies of the database or their -wal/-shm.
    expect(fs.readdirSync(stick).sort()).toEqual(['files', BACKUP_MANIFEST, 'pingcha.db'].sort());

    // The state the backup caught is the live one up to its own audit row.
    const fresh = tempDir('pingcha-restored-');
    const target = path.join(fresh.dir, '数据');
    try {
      const prepared = path.join(fresh.dir, 'prepared');
      await prepareRestore(stick, prepared);
      expect(swapInRestore(prepared, target)).toBeNull();
      const restored = tables(path.join(target, 'pingcha.db'));
      const live = tables(t.t.backend.layout.database);
      expect([...restored.keys()]).toEqual([...live.keys()]);
      expect(restored.get('documents')!.length).toBe(campaign.dossiers.length);
      for (const [name, rows] of restored) {
        const liveRows = live.get(name)!;
        if (name === 'audit_log') {
          // The live trail has one row more: the backup itself, written once it was complete.
          const extra = liveRows.filter((r) => !rows.includes(r));
          expect(rows.every((r) => liveRows.includes(r))).toBe(true);
          expect(extra.map((r) => (JSON.parse(r) as { action: string }).action)).toEqual(['workspace.backup']);
        } else expect(rows, name).toEqual(liveRows);
      }
      const restoredBlobs = blobs(target);
      for (const [name, sha] of restoredBlobs) expect(sha).toBe(name);
      const restoredDb = new Database(path.join(target, 'pingcha.db'), { readonly: true });
      expect([...restoredBlobs.keys()].sort()).toEqual([...referencedHashes(restoredDb)].filter((h) => liveBlobs.has(h)).sort());
      restoredDb.close();
      for (const name of restoredBlobs.keys()) expect(liveBlobs.get(name)).toBe(name);

      // The restored workstation opens, its organiser logs in and its trail is intact.
      const reopened = openTestBackend(target);
      try {
        const admin = client(reopened.backend, 'restored');
        await admin.call('auth:login', { username: ADMIN.username, password: ADMIN.password });
        expect((await admin.call('campaign:list', {})).map((c) => c.name)).toEqual(['清溪县2025年度行政执法案卷评查']);
        expect(await admin.call('audit:verify', {})).toMatchObject({ intact: true });
      } finally {
        reopened.backend.close();
      }
    } finally {
      fresh.cleanup();
    }
  }, 300_000);

  it('before asking, checks the folder and says what the backup holds; offers the folders backed up to before', async () => {
    // A folder that does not exist, and one that is not a backup: refused before anyone is asked.
    expect(await t.admin.fail('backup:inspect', { folder: path.join(scratch.dir, '不存在的文件夹') })).toMatchObject({
      code: 'not_found',
      message: expect.stringContaining('不存在'),
    });
    const notBackup = path.join(scratch.dir, '不是备份');
    fs.mkdirSync(notBackup, { recursive: true });
    expect(await t.admin.fail('backup:inspect', { folder: notBackup })).toMatchObject({
      code: 'damaged_file',
      message: expect.stringContaining('这不是评查工作站的备份'),
    });
    const held = await t.admin.call('backup:inspect', { folder: stick });
    expect(held).toMatchObject({ folder: path.resolve(stick), campaigns: ['清溪县2025年度行政执法案卷评查'] });
    expect(held.blobs).toBeGreaterThanOrEqual(campaign.dossiers.length);
    expect(held.bytes).toBeGreaterThan(0);
    const status = await t.admin.call('backup:status', {});
    expect(status.recentFolders).toEqual([path.resolve(stick)]);
    expect(status.defaultFolder).toMatch(/评查工作站备份$/);
  });

  it('refuses a backup folder inside the data folder, or an empty path', async () => {
    const inside = path.join(t.t.dir, 'exports', '备份');
    const { job } = await backup(inside);
    expect(job.status).toBe('failed');
    expect(job.error).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('不能在数据文件夹') });
    expect(fs.existsSync(inside)).toBe(false);
    expect(await t.admin.fail('backup:start', { folder: '  ' })).toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('请填写文件夹路径'),
    });
    expect(await t.admin.fail('backup:restore', { folder: stick, replaceExisting: false })).toMatchObject({ code: 'invalid_input' });
  });

  it('refuses a backup with one flipped byte, naming the file, and writes nothing', async () => {
    const damaged = copyBackup(path.join(scratch.dir, '翻转'));
    const manifest = JSON.parse(fs.readFileSync(path.join(damaged, BACKUP_MANIFEST), 'utf8')) as {
      entries: Array<{ path: string; size: number }>;
    };
    const victim = manifest.entries.find((e) => e.path.startsWith('files/') && e.size > 1000)!;
    const file = path.join(damaged, victim.path);
    fs.chmodSync(file, 0o644);
    const bytes = fs.readFileSync(file);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
    fs.writeFileSync(file, bytes);

    const { jobId } = await t.admin.call('backup:restore', { folder: damaged, replaceExisting: true });
    const job = await t.t.backend.services.jobs.wait(jobId);
    expect(job.status).toBe('failed');
    expect(job.error).toMatchObject({ code: 'damaged_file' });
    expect(job.error!.message).toContain(victim.path);
    // Named as a person knows it: the case number and the file's name, not only its hash.
    const owner = t.t.backend.db
      .prepare(
        'SELECT c.case_number AS caseNumber, d.file_name AS fileName FROM documents d JOIN cases c ON c.id = d.case_id WHERE d.sha256 = ?',
      )
      .get(path.posix.basename(victim.path)) as { caseNumber: string; fileName: string };
    expect(job.error!.message).toContain(`案卷 ${owner.caseNumber} 的《${owner.fileName}》`);
    expect(job.error!.message).toContain('SM3');
    expect(job.error!.message).toContain('未恢复任何数据');
    expect(fs.existsSync(`${t.t.dir}.restore-pending`)).toBe(false);
    expect((await t.admin.call('backup:status', {})).pendingRestore).toBeNull();
  }, 120_000);

  it('refuses a backup with a stored file missing, or with its manifest changed', async () => {
    const partial = copyBackup(path.join(scratch.dir, '缺文件'));
    const manifest = JSON.parse(fs.readFileSync(path.join(partial, BACKUP_MANIFEST), 'utf8')) as {
      entries: Array<{ path: string; size: number }>;
      appVersion: string;
    };
    const gone = manifest.entries.filter((e) => e.path.startsWith('files/')).at(-1)!;
    fs.rmSync(path.join(partial, gone.path), { force: true });
    const into = path.join(scratch.dir, '不应出现');
    await expect(prepareRestore(partial, into)).rejects.toMatchObject({
      code: 'damaged_file',
      message: expect.stringMatching(new RegExp(`缺少文件案卷 .+ 的《.+》（备份中的“${gone.path}”）`)),
    });
    expect(fs.existsSync(into)).toBe(false);

    const edited = copyBackup(path.join(scratch.dir, '改清单'));
    fs.writeFileSync(
      path.join(edited, BACKUP_MANIFEST),
      JSON.stringify({ ...JSON.parse(fs.readFileSync(path.join(edited, BACKUP_MANIFEST), 'utf8')), appVersion: '9.9.9' }),
    );
    await expect(verifyBackup(edited)).rejects.toMatchObject({ code: 'damaged_file', message: expect.stringContaining('被改动过') });
  }, 120_000);

  it('copies only the new stored files on a second backup to the same folder', async () => {
    const extra = await dossierFixture({ seed: 77 });
    const { t: tb, admin, campaignId } = t;
    const sourceId = await stage(tb.backend, admin, `${campaign.dossiers[0]!.truth.unitName}/${extra.truth.fileName}`, extra.bytes);
    const documentsBefore = tb.backend.db.prepare('SELECT count(*) FROM documents').pluck().get() as number;
    const { jobId: importJob, batchId } = await admin.call('import:start', {
      campaignId,
      sourceIds: [sourceId],
      defaults: { unitName: campaign.dossiers[0]!.truth.unitName, caseType: 'penalty_general' },
    });
    expect((await tb.backend.services.jobs.wait(importJob)).status).toBe('done');
    expect(
      tb.backend.db.prepare('SELECT count(*) FROM documents').pluck().get(),
      JSON.stringify(await admin.call('import:result', { batchId })),
    ).toBe(documentsBefore + 1);

    const { job, jobId } = await backup(stick);
    expect(job.status, JSON.stringify(job.error)).toBe('done');
    const outcome = await admin.call('backup:result', { jobId });
    expect(outcome.blobsCopied).toBe(1);
    expect(outcome.blobsKept).toBe(firstBlobs);
    await expect(verifyBackup(stick)).resolves.toMatchObject({ counts: { blobs: firstBlobs + 1 } });
  }, 300_000);

  it('leaves a cancelled backup without a manifest, so it is refused as incomplete', async () => {
    const folder = path.join(scratch.dir, '取消');
    const { jobId } = await t.admin.call('backup:start', { folder });
    await new Promise<void>((resolve) => {
      const off = t.t.backend.events.subscribe((event, payload) => {
        const p = payload as { jobId?: string; done?: number; finished?: boolean };
        if (event === 'job:progress' && p.jobId === jobId && ((p.done ?? 0) >= 3 || p.finished)) {
          off();
          t.t.backend.services.jobs.cancel(jobId);
          resolve();
        }
      });
    });
    const job = await t.t.backend.services.jobs.wait(jobId);
    expect(job.status).toBe('cancelled');
    expect(fs.existsSync(path.join(folder, 'files'))).toBe(true);
    expect(fs.existsSync(path.join(folder, BACKUP_MANIFEST))).toBe(false);
    expect(fs.readdirSync(folder, { recursive: true }).some((f) => String(f).endsWith('.partial'))).toBe(false);
    await expect(verifyBackup(folder)).rejects.toMatchObject({ code: 'damaged_file', message: expect.stringContaining('备份未完成') });
  }, 120_000);

  it('keeps the data a restore replaces in a dated folder, and puts the backup in place at the next start', async () => {
    const dir = tempDir('pingcha-replaced-');
    const other = openTestBackend(path.join(dir.dir, 'data'));
    try {
      const admin = await setupAdmin(other.backend);
      const replaced = await admin.call('campaign:create', { name: '将被替换的评查活动', year: 2024, issuingBody: '某某县司法局' });
      const { jobId } = await admin.call('backup:restore', { folder: stick, replaceExisting: true });
      const job = await other.backend.services.jobs.wait(jobId);
      expect(job.status, JSON.stringify(job.error)).toBe('done');
      expect(await admin.call('backup:restored', { jobId })).toMatchObject({ folder: stick, blobs: firstBlobs + 1 });
      expect((await admin.call('backup:status', {})).pendingRestore).toMatchObject({ folder: stick });
      // Work done now would be lost at the restart: scoring and changes wait for it.
      expect(await admin.fail('unit:save', { campaignId: replaced.id, name: '恢复前新建的单位' })).toMatchObject({
        code: 'locked',
        details: { reason: 'restore_pending' },
      });
      other.backend.close();

      const restarted = openTestBackend(path.join(dir.dir, 'data'));
      try {
        const c = client(restarted.backend, 'after');
        await c.call('auth:login', { username: ADMIN.username, password: ADMIN.password });
        expect((await c.call('campaign:list', {})).map((x) => x.name)).toEqual(['清溪县2025年度行政执法案卷评查']);
        // The restored trail says where it came from, and still checks out.
        const last = restarted.backend.db.prepare("SELECT action, after_json FROM audit_log WHERE action = 'workspace.restored'").get() as {
          after_json: string;
        };
        // …which backup (made when) and who checked and prepared it: the 准备恢复 row stayed in the replaced data.
        expect(JSON.parse(last.after_json)).toMatchObject({
          folder: stick,
          keptAt: expect.stringContaining('data.恢复前-'),
          createdAt: expect.stringMatching(/^\d{4}-/),
          preparedBy: ADMIN.displayName,
          preparedAt: expect.stringMatching(/^\d{4}-/),
        });
        expect(await c.call('audit:verify', {})).toMatchObject({ intact: true });
      } finally {
        restarted.backend.close();
      }
      const kept = fs.readdirSync(dir.dir).filter((n) => /^data\.恢复前-\d{8}-\d{6}$/.test(n));
      expect(kept).toHaveLength(1);
      const old = new Database(path.join(dir.dir, kept[0]!, 'pingcha.db'), { readonly: true });
      expect(old.prepare('SELECT name FROM campaigns').pluck().all()).toEqual(['将被替换的评查活动']);
      old.close();
      expect(fs.existsSync(path.join(dir.dir, 'data.restore-pending'))).toBe(false);
    } finally {
      dir.cleanup();
    }
  }, 300_000);
});

describe('npm run backup / npm run restore', () => {
  const run = (script: string, args: string[], input = '') => {
    const r = spawnSync(
      process.execPath,
      [path.join('node_modules', 'tsx', 'dist', 'cli.mjs'), path.join('electron', 'cli', script), ...args],
      { input, encoding: 'utf8', timeout: 120_000 },
    );
    return { code: r.status, out: r.stdout, err: r.stderr };
  };

  it('backs up a running workstation, restores onto a fresh folder, asks before replacing data and refuses a damaged backup', () => {
    const folder = path.join(scratch.dir, '命令行备份');
    const backedUp = run('backup.ts', [folder, '--data-dir', t.t.dir]);
    expect(backedUp.code, backedUp.err).toBe(0);
    expect(backedUp.out).toContain('备份完成');

    const target = path.join(scratch.dir, '命令行恢复', 'data');
    const restored = run('restore.ts', [folder, '--data-dir', target]);
    expect(restored.code, restored.err).toBe(0);
    expect(tables(path.join(target, 'pingcha.db')).get('documents')).toEqual(tables(path.join(folder, 'pingcha.db')).get('documents'));

    const declined = run('restore.ts', [folder, '--data-dir', target], '否\n');
    expect(declined.code).toBe(3);
    expect(declined.err).toContain('已有数据');
    expect(fs.readdirSync(path.dirname(target))).toEqual(['data']);

    const manifest = JSON.parse(fs.readFileSync(path.join(folder, BACKUP_MANIFEST), 'utf8')) as { entries: Array<{ path: string }> };
    const victim = manifest.entries.find((e) => e.path === 'pingcha.db')!;
    const file = path.join(folder, victim.path);
    const bytes = fs.readFileSync(file);
    bytes[100]! ^= 0xff;
    fs.writeFileSync(file, bytes);
    const refused = run('restore.ts', [folder, '--data-dir', target, '--yes']);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('数据库文件“pingcha.db”已损坏');
    expect(fs.readdirSync(path.dirname(target))).toEqual(['data']);
  }, 300_000);
});

/** A 120 MB tmpfs standing in for a small USB stick (the campaign's files take about 55 MB). */
describe('a full USB stick', () => {
  it('stops the backup with a Chinese refusal naming the folder, marks nothing complete, and succeeds once space returns', async () => {
    const mount = path.join(scratch.dir, 'stick');
    fs.mkdirSync(mount);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=120m', 'tmpfs', mount]);
    try {
      const filler = path.join(mount, 'filler.bin');
      const fd = fs.openSync(filler, 'w');
      // Leave room for the database but not for the stored files.
      const dbSize = fs.statSync(t.t.backend.layout.database).size;
      fs.writeSync(fd, Buffer.alloc(120 * 1024 * 1024 - dbSize - 2 * 1024 * 1024, 1));
      fs.closeSync(fd);
      const folder = path.join(mount, '备份');
      const { job } = await backup(folder);
      expect(job.status).toBe('failed');
      expect(job.error).toMatchObject({ code: 'disk_full' });
      expect(job.error!.message).toContain(folder);
      expect(fs.existsSync(path.join(folder, BACKUP_MANIFEST))).toBe(false);

      fs.rmSync(filler);
      const again = await backup(folder);
      expect(again.job.status, JSON.stringify(again.job.error)).toBe('done');
      await expect(verifyBackup(folder)).resolves.toMatchObject({ format: 'pingcha-backup/1' });
    } finally {
      execFileSync('umount', ['-l', mount]);
    }
  }, 300_000);
});
