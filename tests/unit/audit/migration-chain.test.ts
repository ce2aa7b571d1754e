/**
 * The upgrade that chains the audit trail: a database from before it, with rows made here and rows
 * copied from another workstation's package, comes out with every row chained in its own segment,
 * protected by the append-only triggers, and the chain verifies.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { checkAuditChain, GENESIS_HASH, writeAudit } from '../../../electron/services/core/audit.js';
import { openDatabase, tx } from '../../../electron/services/core/db/database.js';
import { MIGRATIONS } from '../../../electron/services/core/db/migrations.js';
import { tempDir } from '../../support/temp.js';

const dirs: Array<{ cleanup(): void }> = [];
afterAll(() => dirs.forEach((d) => d.cleanup()));
const chaining = MIGRATIONS.find((m) => m.name === 'tamper-evident audit trail')!;

describe('chaining an existing audit trail on upgrade', () => {
  it('hashes old rows per segment, adds the triggers, and new rows continue the local chain', () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = path.join(dir.dir, 'pingcha.db');
    const old = new Database(file);
    for (const m of MIGRATIONS.filter((x) => x.version < chaining.version).sort((a, b) => a.version - b.version)) m.up(old);
    old.pragma(`user_version = ${chaining.version - 1}`);
    const insert = old.prepare(
      `INSERT INTO audit_log (at, actor_id, action, entity, entity_id, campaign_id, before_json, after_json, origin_key) VALUES (?, ?, ?, 'sheet', ?, 'c1', NULL, '{}', ?)`,
    );
    insert.run('2025-03-01T08:00:00.000Z', 'u1', 'sheet.create', 's1', null);
    insert.run('2025-03-01T08:01:00.000Z', 'u2', 'sheet.answer', 's2', 'ws-lap:7');
    insert.run('2025-03-01T08:02:00.000Z', 'u1', 'sheet.answer', 's1', null);
    insert.run('2025-03-01T08:03:00.000Z', 'u2', 'sheet.submit', 's2', 'ws-lap:8');
    old.close();

    const db = openDatabase(file, { backupDir: path.join(dir.dir, 'backups') });
    try {
      const rows = db.prepare('SELECT id, segment, prev_hash, hash FROM audit_log ORDER BY id').all() as Array<{
        id: number;
        segment: string;
        prev_hash: string;
        hash: string;
      }>;
      expect(rows.map((r) => r.segment)).toEqual(['', 'ws-lap', '', 'ws-lap']);
      expect(rows[0]!.prev_hash).toBe(GENESIS_HASH);
      expect(rows[1]!.prev_hash).toBe(GENESIS_HASH);
      expect(rows[2]!.prev_hash).toBe(rows[0]!.hash);
      expect(rows[3]!.prev_hash).toBe(rows[1]!.hash);
      tx(db, () => writeAudit(db, { actorId: 'u1', action: 'sheet.submit', entity: 'sheet', entityId: 's1', campaignId: 'c1' }));
      const last = db.prepare('SELECT prev_hash FROM audit_log ORDER BY id DESC LIMIT 1').pluck().get();
      expect(last).toBe(rows[2]!.hash);
      expect(checkAuditChain(db)).toMatchObject({ intact: true, rows: 5, segments: 2, protectedByTriggers: true });
      expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow('留痕记录只能追加，不能删除');
    } finally {
      db.close();
    }
  });
});
