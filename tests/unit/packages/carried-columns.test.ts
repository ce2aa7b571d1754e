/**
 * Packages carry what the schema holds: the columns of a carried table are read from the schema the
 * migrations leave, so every one of them travels unless it is listed as staying on its workstation
 * with a reason, and a column a later migration adds travels too.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../electron/services/core/db/database.js';
import {
  CARRIED_KEYS,
  CARRIED_TABLES,
  carriedColumns,
  checkRows,
  NOT_CARRIED,
  NOT_CARRIED_TABLES,
  type TableName,
} from '../../../electron/services/packages/tables.js';
import { tempDir } from '../../support/temp.js';

const t = tempDir();
const open = (name: string) => openDatabase(path.join(t.dir, name), { backupDir: path.join(t.dir, `${name}-backups`) });
const db = open('pingcha.db');
afterAll(() => {
  db.close();
  t.cleanup();
});

const schemaColumns = (table: string): string[] =>
  (db.prepare(`PRAGMA table_info("${table}")`).all() as Array<{ name: string }>).map((c) => c.name);

describe('columns a package carries', () => {
  it.each(CARRIED_TABLES)('%s: every column is carried or kept here for a reason', (table: TableName) => {
    const columns = schemaColumns(table);
    expect(columns.length, `${table} exists`).toBeGreaterThan(0);
    const carried = Object.keys(carriedColumns(db, table));
    const kept = NOT_CARRIED[table] ?? {};
    expect([...carried].sort(), `${table}: the schema's columns less those kept here`).toEqual(columns.filter((c) => !(c in kept)).sort());
    for (const [column, reason] of Object.entries(kept)) {
      expect(columns, `${table}.${column} is not a column any more`).toContain(column);
      expect(reason.length, `${table}.${column}: a reason`).toBeGreaterThan(10);
    }
    for (const key of CARRIED_KEYS[table] as readonly string[]) expect(carried, `${table}: its key ${key} travels`).toContain(key);
  });

  it('a column a migration adds to a carried table travels, with the type the schema gives it', () => {
    const later = open('later.db');
    try {
      later.exec("ALTER TABLE cases ADD COLUMN inspection_note TEXT NOT NULL DEFAULT ''");
      later.exec('ALTER TABLE sheets ADD COLUMN weight REAL');
      expect(carriedColumns(later, 'cases').inspection_note).toBe('text');
      expect(carriedColumns(later, 'sheets').weight).toBe('real?');
      // The receiver checks what a package brings in that column against the schema's type.
      const sheet = Object.fromEntries(
        Object.entries(carriedColumns(db, 'sheets')).map(([c, type]) => [c, type.startsWith('int') ? 1 : type.endsWith('?') ? null : 'x']),
      );
      expect(() => checkRows(later, 'sheets', [{ ...sheet, weight: 1.5 }])).not.toThrow();
      expect(() => checkRows(later, 'sheets', [{ ...sheet, weight: 'heavy' }])).toThrow(/sheets\.weight/);
      expect(() => checkRows(db, 'sheets', [{ ...sheet, weight: 1.5 }]), 'a column this schema lacks').toThrow(/sheets 的字段不符/);
    } finally {
      later.close();
    }
  });

  it('an account carries who the person is, never how they log in here', () => {
    expect(Object.keys(carriedColumns(db, 'users')).sort()).toEqual(
      ['affiliation', 'display_name', 'id', 'legal_professional', 'role', 'username'].sort(),
    );
  });

  it('tables no package carries exist, are not carried, and say why', () => {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((t) => t.name);
    // Every pre-check table is one or the other.
    for (const table of tables.filter((t) => t.startsWith('precheck_')))
      expect(table in CARRIED_KEYS || table in NOT_CARRIED_TABLES, `${table} is neither carried nor listed in NOT_CARRIED_TABLES`).toBe(
        true,
      );
    for (const [table, reason] of Object.entries(NOT_CARRIED_TABLES)) {
      expect(tables, table).toContain(table);
      expect(table in CARRIED_KEYS, `${table} is carried and listed as not carried`).toBe(false);
      expect(reason.length, `${table}: a reason`).toBeGreaterThan(10);
    }
  });
});
