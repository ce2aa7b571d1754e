/**
 * What the database refers to on disk: the stored files (by SHA-256) and the export files (by path).
 * The orphan sweep removes what nobody refers to; the backup copies what somebody does. Every table
 * column that holds a SHA-256 of stored bytes counts (documents, signed files, ledger evidence, seal
 * images, packages …), found from the schema so a table added later is covered without a change here.
 */
import type { Db } from './database.js';

/** Every sha256 any table holds (columns named sha256 or ending in _sha256). */
export function referencedHashes(db: Db): Set<string> {
  const columns = db
    .prepare(
      `SELECT m.name AS tbl, c.name AS col FROM sqlite_schema m JOIN pragma_table_info(m.name) c
       WHERE m.type = 'table' AND (c.name = 'sha256' OR c.name LIKE '%\\_sha256' ESCAPE '\\')`,
    )
    .all() as Array<{ tbl: string; col: string }>;
  const seen = new Set<string>();
  // One statement per column the schema names (never from input), read once per sweep or backup.
  for (const { tbl, col } of columns) {
    for (const v of db.prepare(`SELECT DISTINCT "${col}" FROM "${tbl}" WHERE "${col}" IS NOT NULL`).pluck().iterate()) seen.add(String(v));
  }
  return seen;
}

/** The export files the database records, by their path under the exports folder as stored. */
export function exportPaths(db: Db): string[] {
  return db.prepare('SELECT rel_path FROM exports').pluck().all() as string[];
}
