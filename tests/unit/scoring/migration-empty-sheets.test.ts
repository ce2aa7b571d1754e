/**
 * The upgrade that removes the score sheets opening a file used to create: a database built at the
 * schema before it, holding such sheets beside real work, keeps the work and loses only the empty
 * drafts, each removal audited in the upgrade's transaction.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../electron/services/core/db/database.js';
import { MIGRATIONS } from '../../../electron/services/core/db/migrations.js';
import { tempDir } from '../../support/temp.js';

const dirs: Array<{ cleanup(): void }> = [];
afterAll(() => dirs.forEach((d) => d.cleanup()));

const removal = MIGRATIONS.find((m) => m.name === 'remove score sheets created by opening a file')!;
const NOW = '2025-03-01T08:00:00.000Z';

/** A database at the schema just before the removal, with one campaign, one file and four sheets. */
function previousVersionDatabase(file: string): void {
  const db = new Database(file);
  for (const m of MIGRATIONS.filter((x) => x.version < removal.version).sort((a, b) => a.version - b.version)) m.up(db);
  db.pragma(`user_version = ${removal.version - 1}`);
  const insertUser = db.prepare(
    `INSERT INTO users (id, username, display_name, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, 'x', ?, ?)`,
  );
  for (const [id, role] of [
    ['organiser', 'organiser'],
    ['zhang', 'reviewer'],
    ['li', 'reviewer'],
    ['wang', 'reviewer'],
  ] as const)
    insertUser.run(id, id, id, role, NOW, NOW);
  db.prepare(
    `INSERT INTO campaigns (id, name, year, issuing_body, created_at, updated_at) VALUES ('c1', '2025年度评查', 2025, '某某县司法局', ?, ?)`,
  ).run(NOW, NOW);
  db.prepare(`INSERT INTO units (id, campaign_id, name, created_at) VALUES ('u1', 'c1', '某某县市场监督管理局', ?)`).run(NOW);
  db.prepare(
    `INSERT INTO cases (id, campaign_id, unit_id, case_number, case_number_key, case_type, created_at, updated_at) VALUES ('k1', 'c1', 'u1', '某许〔2025〕1号', '某许〔2025〕1号', 'license', ?, ?)`,
  ).run(NOW, NOW);
  db.prepare(`INSERT INTO standards (id, name, created_at) VALUES ('std', '行政许可案卷评分表', ?)`).run(NOW);
  db.prepare(
    `INSERT INTO standard_versions (id, standard_id, version, definition_json, content_sha256, created_at) VALUES ('v1', 'std', '参考版 1', '{}', 'x', ?)`,
  ).run(NOW);
  const insertSheet = db.prepare(
    `INSERT INTO sheets (id, case_id, reviewer_id, standard_version_id, status, revision, created_at, updated_at) VALUES (?, 'k1', ?, 'v1', ?, ?, ?, ?)`,
  );
  insertSheet.run('opened-by-organiser', 'organiser', 'draft', 0, NOW, NOW);
  insertSheet.run('answered-draft', 'zhang', 'draft', 1, NOW, NOW);
  insertSheet.run('delivered', 'li', 'submitted', 3, NOW, NOW);
  insertSheet.run('opened-by-reviewer', 'wang', 'draft', 0, NOW, NOW);
  db.prepare(
    `INSERT INTO sheet_answers (sheet_id, item_id, answer_json, updated_at) VALUES ('answered-draft', 'xk-2', '{"status":"deduct","evidence":["a1"]}', ?)`,
  ).run(NOW);
  db.prepare(
    `INSERT INTO sheet_answers (sheet_id, item_id, answer_json, updated_at) VALUES ('delivered', 'xk-1', '{"status":"pass"}', ?)`,
  ).run(NOW);
  db.close();
}

describe('removing the sheets opening a file created', () => {
  it('deletes only drafts without answers, audits each removal and keeps every sheet with work in it', () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = path.join(dir.dir, 'pingcha.db');
    previousVersionDatabase(file);

    const db = openDatabase(file, { backupDir: path.join(dir.dir, 'backups') });
    try {
      expect(db.prepare('SELECT id FROM sheets ORDER BY id').all()).toEqual([{ id: 'answered-draft' }, { id: 'delivered' }]);
      expect(db.prepare('SELECT count(*) AS n FROM sheet_answers').get()).toEqual({ n: 2 });
      const audit = db
        .prepare(
          "SELECT actor_id, entity, entity_id, campaign_id, before_json, after_json FROM audit_log WHERE action = 'sheet.remove_empty' ORDER BY entity_id",
        )
        .all() as Array<{
        actor_id: string | null;
        entity: string;
        entity_id: string;
        campaign_id: string;
        before_json: string;
        after_json: string;
      }>;
      expect(audit.map((a) => [a.entity, a.entity_id, a.campaign_id, a.actor_id])).toEqual([
        ['sheet', 'opened-by-organiser', 'c1', null],
        ['sheet', 'opened-by-reviewer', 'c1', null],
      ]);
      expect(JSON.parse(audit[0]!.before_json)).toMatchObject({ caseId: 'k1', reviewerId: 'organiser', versionId: 'v1' });
      expect(JSON.parse(audit[0]!.after_json).reason).toContain('未评定任何项目');
    } finally {
      db.close();
    }
    // The backup taken before the upgrade still has every sheet.
    const [backup] = fs.readdirSync(path.join(dir.dir, 'backups'));
    const before = new Database(path.join(dir.dir, 'backups', backup!), { readonly: true });
    expect(before.prepare('SELECT count(*) AS n FROM sheets').get()).toEqual({ n: 4 });
    before.close();
  });
});
