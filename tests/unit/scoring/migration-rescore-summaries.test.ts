/**
 * The upgrade that writes every stored file result again under the rule that a file some of whose
 * reviewers are still scoring has no result: a database at the schema before it, whose stored results
 * were all current, has each of its files marked for the back-fill afterwards.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../electron/services/core/db/database.js';
import { MIGRATIONS } from '../../../electron/services/core/db/migrations.js';
import { tempDir } from '../../support/temp.js';

const dirs: Array<{ cleanup(): void }> = [];
afterAll(() => dirs.forEach((d) => d.cleanup()));

const rewrite = MIGRATIONS.find((m) => m.name === 'stored file results written again: no result while reviewers are still scoring')!;
const NOW = '2025-03-01T08:00:00.000Z';

describe('stored file results after the 评分中 rule', () => {
  it('are all written again on the next start', () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = path.join(dir.dir, 'pingcha.db');
    const old = new Database(file);
    for (const m of MIGRATIONS.filter((x) => x.version < rewrite.version).sort((a, b) => a.version - b.version)) m.up(old);
    old.pragma(`user_version = ${rewrite.version - 1}`);
    old
      .prepare(
        `INSERT INTO campaigns (id, name, year, issuing_body, created_at, updated_at) VALUES ('c1', '2025年度评查', 2025, '某某县司法局', ?, ?)`,
      )
      .run(NOW, NOW);
    old.prepare(`INSERT INTO units (id, campaign_id, name, created_at) VALUES ('u1', 'c1', '某某县市场监督管理局', ?)`).run(NOW);
    const kase = old.prepare(
      `INSERT INTO cases (id, campaign_id, unit_id, case_number, case_number_key, case_type, created_at, updated_at) VALUES (?, 'c1', 'u1', ?, ?, 'license', ?, ?)`,
    );
    kase.run('k1', '某许〔2025〕1号', '某许〔2025〕1号', NOW, NOW);
    kase.run('k2', '某许〔2025〕2号', '某许〔2025〕2号', NOW, NOW);
    // Both were written under the old rule (one as 暂定 with one of two sheets in): nothing marks them stale.
    old.exec('DELETE FROM summary_stale');
    old.close();

    const db = openDatabase(file, { backupDir: path.join(dir.dir, 'backups') });
    try {
      expect(db.prepare('SELECT case_id FROM summary_stale ORDER BY case_id').pluck().all()).toEqual(['k1', 'k2']);
    } finally {
      db.close();
    }
  });
});
