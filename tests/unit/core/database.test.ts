import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase, schemaVersion, WAL_SIZE_LIMIT } from '../../../electron/services/core/db/database.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../../electron/services/core/db/migrations.js';
import { AppError } from '../../../shared/core/errors.js';
import { tempDir } from '../../support/temp.js';

let cleanups: Array<() => void> = [];
afterEach(() => {
  cleanups.forEach((c) => c());
  cleanups = [];
});
function temp() {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

interface SchemaSnapshot {
  version: number;
  tables: Record<string, Array<{ name: string; type: string; notnull: number; pk: number; dflt_value: string | null }>>;
  indexes: string[];
}

function snapshot(db: Database.Database): SchemaSnapshot {
  const tables: SchemaSnapshot['tables'] = {};
  const names = db
    .prepare(
      "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_data' AND name NOT LIKE '%_idx' AND name NOT LIKE '%_docsize' AND name NOT LIKE '%_config' AND name NOT LIKE '%_content' ORDER BY name",
    )
    .all() as Array<{ name: string }>;
  for (const { name } of names) {
    tables[name] = (db.prepare(`PRAGMA table_info("${name}")`).all() as SchemaSnapshot['tables'][string]).map((c) => ({
      name: c.name,
      type: c.type,
      notnull: c.notnull,
      pk: c.pk,
      dflt_value: c.dflt_value,
    }));
  }
  const indexes = (
    db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{
      name: string;
    }>
  ).map((r) => r.name);
  return { version: schemaVersion(db), tables, indexes };
}

const SNAPSHOT_DIR = path.join(process.cwd(), 'tests', 'fixtures', 'schema');

describe('database', () => {
  it('opens with WAL, foreign keys and the latest schema', () => {
    const dir = temp();
    const db = openDatabase(path.join(dir, 'a.db'), { backupDir: path.join(dir, 'backups') });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    expect(() => db.prepare("INSERT INTO units (id, campaign_id, name, created_at) VALUES ('u', 'missing', 'x', 'now')").run()).toThrow(
      /FOREIGN KEY/,
    );
    db.close();
  });

  it('cuts the WAL back after a large write once a checkpoint has copied it, and leaves none on close', () => {
    const dir = temp();
    const file = path.join(dir, 'a.db');
    const db = openDatabase(file, { backupDir: path.join(dir, 'backups') });
    db.exec('CREATE TABLE bulk (id INTEGER PRIMARY KEY, body BLOB)');
    const insert = db.prepare('INSERT INTO bulk (body) VALUES (?)');
    const chunk = Buffer.alloc(64 * 1024, 7);
    // A merged package's worth of rows in one transaction: the WAL grows past the limit.
    db.transaction(() => {
      for (let i = 0; i < (2 * WAL_SIZE_LIMIT) / chunk.length; i++) insert.run(chunk);
    })();
    expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(WAL_SIZE_LIMIT);
    db.pragma('wal_checkpoint(PASSIVE)');
    insert.run(Buffer.from('next change'));
    expect(fs.statSync(`${file}-wal`).size).toBeLessThanOrEqual(WAL_SIZE_LIMIT);
    closeDatabase(db);
    expect(db.open).toBe(false);
    expect(fs.existsSync(`${file}-wal`) ? fs.statSync(`${file}-wal`).size : 0).toBe(0);
  });

  it('migrations only add: every earlier snapshot is contained in the current schema, the latest equals it', () => {
    const dir = temp();
    const db = openDatabase(path.join(dir, 'a.db'), { backupDir: path.join(dir, 'b') });
    const current = snapshot(db);
    db.close();
    const files = fs.readdirSync(SNAPSHOT_DIR).filter((f) => /^v\d+\.json$/.test(f));
    const latestFile = path.join(SNAPSHOT_DIR, `v${LATEST_SCHEMA_VERSION}.json`);
    if (process.env.UPDATE_SCHEMA_SNAPSHOT === '1' && !fs.existsSync(latestFile)) {
      fs.writeFileSync(latestFile, JSON.stringify(current, null, 2) + '\n');
    }
    expect(fs.existsSync(latestFile), `add ${path.relative(process.cwd(), latestFile)} (run with UPDATE_SCHEMA_SNAPSHOT=1)`).toBe(true);
    for (const f of files) {
      const old = JSON.parse(fs.readFileSync(path.join(SNAPSHOT_DIR, f), 'utf8')) as SchemaSnapshot;
      for (const [table, columns] of Object.entries(old.tables)) {
        expect(current.tables[table], `table ${table} of ${f} was dropped`).toBeDefined();
        for (const col of columns) expect(current.tables[table], `${table}.${col.name} of ${f} changed`).toContainEqual(col);
      }
      for (const index of old.indexes) expect(current.indexes, `index ${index} of ${f} was dropped`).toContain(index);
    }
    expect(current).toEqual(JSON.parse(fs.readFileSync(latestFile, 'utf8')));
  });

  it('backs up before migrating an older database, and migrates in one transaction', () => {
    const dir = temp();
    const file = path.join(dir, 'old.db');
    const raw = new Database(file);
    raw.exec('CREATE TABLE legacy (x INTEGER)');
    raw.pragma('user_version = 0');
    raw.close();
    const backups = path.join(dir, 'backups');
    const db = openDatabase(file, { backupDir: backups, now: () => new Date('2026-01-02T03:04:05Z') });
    db.close();
    const copies = fs.readdirSync(backups);
    expect(copies).toEqual(['pingcha-v0-2026-01-02T03-04-05-000Z.db']);
    const copy = new Database(path.join(backups, copies[0]!), { readonly: true });
    expect(copy.prepare("SELECT name FROM sqlite_schema WHERE name = 'legacy'").get()).toBeTruthy();
    expect(copy.pragma('user_version', { simple: true })).toBe(0);
    copy.close();
  });

  it('a failing migration leaves the database exactly as it was', () => {
    const dir = temp();
    const file = path.join(dir, 'x.db');
    const raw = new Database(file);
    raw.exec('CREATE TABLE users (id TEXT)'); // collides with migration 1
    raw.close();
    expect(() => openDatabase(file, { backupDir: path.join(dir, 'b') })).toThrow();
    const after = new Database(file, { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(0);
    expect(after.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'campaigns'").get()).toEqual({ n: 0 });
    after.close();
  });

  it('refuses a database written by a newer version, untouched, with a Chinese message', () => {
    const dir = temp();
    const file = path.join(dir, 'new.db');
    const raw = new Database(file);
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
    raw.close();
    const before = fs.readFileSync(file);
    let error: unknown;
    try {
      openDatabase(file, { backupDir: path.join(dir, 'b') });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('db_too_new');
    expect((error as AppError).message).toContain('请升级软件');
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('numbers migrations 1..N with no gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });
});
