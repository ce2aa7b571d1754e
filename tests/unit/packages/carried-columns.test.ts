/**
 * Packages carry what the schema holds: every column of a carried table, as the migrations leave it,
 * is either carried or listed as staying on its workstation with a reason.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../electron/services/core/db/database.js';
import { NOT_CARRIED, NOT_CARRIED_TABLES, TABLES, type TableName } from '../../../electron/services/packages/tables.js';
import { tempDir } from '../../support/temp.js';

const t = tempDir();
const db = openDatabase(path.join(t.dir, 'pingcha.db'), { backupDir: path.join(t.dir, 'backups') });
afterAll(() => {
  db.close();
  t.cleanup();
});

describe('columns a package carries', () => {
  it.each(Object.keys(TABLES) as TableName[])('%s: every column is carried or kept here for a reason', (table) => {
    const columns = (db.prepare(`PRAGMA table_info("${table}")`).all() as Array<{ name: string }>).map((c) => c.name);
    expect(columns.length, `${table} exists`).toBeGreaterThan(0);
    const carried = Object.keys(TABLES[table].columns);
    const kept = NOT_CARRIED[table] ?? {};
    for (const column of columns) {
      expect(column in TABLES[table].columns || column in kept, `${table}.${column} is neither carried nor listed in NOT_CARRIED`).toBe(
        true,
      );
      if (column in kept) expect(kept[column]!.length, `${table}.${column}: a reason`).toBeGreaterThan(10);
    }
    for (const column of [...carried, ...Object.keys(kept)])
      expect(columns, `${table}.${column} is not a column any more`).toContain(column);
  });

  it('tables no package carries exist, are not carried, and say why', () => {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((t) => t.name);
    // Every pre-check table is one or the other.
    for (const table of tables.filter((t) => t.startsWith('precheck_')))
      expect(table in TABLES || table in NOT_CARRIED_TABLES, `${table} is neither carried nor listed in NOT_CARRIED_TABLES`).toBe(true);
    for (const [table, reason] of Object.entries(NOT_CARRIED_TABLES)) {
      expect(tables, table).toContain(table);
      expect(table in TABLES, `${table} is carried and listed as not carried`).toBe(false);
      expect(reason.length, `${table}: a reason`).toBeGreaterThan(10);
    }
  });
});
