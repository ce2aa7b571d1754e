/**
 * The upgrade that cleans the recognised page text already in the search index: a database built at
 * the schema before it, holding a scan's page read as 清市监罚（2025）12号 with full-width digits and a
 * text-layer PDF's own page, finds the scan's 文号 as printed afterwards and keeps the unit's own text.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../electron/services/core/db/database.js';
import { MIGRATIONS } from '../../../electron/services/core/db/migrations.js';
import { tempDir } from '../../support/temp.js';

const dirs: Array<{ cleanup(): void }> = [];
afterAll(() => dirs.forEach((d) => d.cleanup()));

const cleaning = MIGRATIONS.find((m) => m.name === 'recognised page text in the search index cleaned as it is now stored')!;
const NOW = '2025-03-01T08:00:00.000Z';
const SCAN_PAGE = '行政处罚决定书\n清市监罚（2025）12号\n罚款人民币８００００元';
const LAYER_PAGE = '行政处罚决定书\n（2025）赣01行终12号 清市监罚（2025）13号';

function previousVersionDatabase(file: string): void {
  const db = new Database(file);
  for (const m of MIGRATIONS.filter((x) => x.version < cleaning.version).sort((a, b) => a.version - b.version)) m.up(db);
  db.pragma(`user_version = ${cleaning.version - 1}`);
  db.prepare(
    `INSERT INTO campaigns (id, name, year, issuing_body, created_at, updated_at) VALUES ('c1', '2025年度评查', 2025, '清溪县司法局', ?, ?)`,
  ).run(NOW, NOW);
  db.prepare(`INSERT INTO units (id, campaign_id, name, created_at) VALUES ('u1', 'c1', '清溪县市场监督管理局', ?)`).run(NOW);
  db.prepare(
    `INSERT INTO cases (id, campaign_id, unit_id, case_number, case_number_key, case_type, created_at, updated_at) VALUES ('k1', 'c1', 'u1', '清市监罚〔2025〕12号', '清市监罚〔2025〕12号', 'penalty_general', ?, ?)`,
  ).run(NOW, NOW);
  for (const sha of ['scan', 'layer']) db.prepare(`INSERT INTO blobs (sha256, size, created_at) VALUES (?, 1, ?)`).run(sha, NOW);
  const doc = db.prepare(
    `INSERT INTO documents (id, case_id, sha256, file_name, title, page_count, has_text, created_at) VALUES (?, 'k1', ?, ?, ?, 1, ?, ?)`,
  );
  doc.run('d-scan', 'scan', '决定书.pdf', '行政处罚决定书', 0, NOW);
  doc.run('d-layer', 'layer', '决定书（电子）.pdf', '行政处罚决定书', 1, NOW);
  db.prepare(
    `INSERT INTO ocr_pages (sha256, page_index, engine, status, lines_json, dpi, ms, read_at) VALUES ('scan', 0, 'paddle', 'text', '[]', 300, 10, ?)`,
  ).run(NOW);
  const index = db.prepare('INSERT INTO page_text (text, document_id, page_index) VALUES (?, ?, 0)');
  index.run(SCAN_PAGE, 'd-scan');
  index.run(LAYER_PAGE, 'd-layer');
  db.close();
}

describe('recognised text already in the search index', () => {
  it('is cleaned as new pages are: the 文号 as printed finds the scan, and a text layer stays as the unit wrote it', () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = path.join(dir.dir, 'pingcha.db');
    previousVersionDatabase(file);
    const db = openDatabase(file, { backupDir: path.join(dir.dir, 'backups') });
    try {
      const text = (id: string) => db.prepare('SELECT text FROM page_text WHERE document_id = ?').pluck().get(id) as string;
      expect(text('d-scan')).toBe('行政处罚决定书\n清市监罚〔2025〕12号\n罚款人民币80000元');
      expect(text('d-scan')).toHaveLength(SCAN_PAGE.length);
      expect(text('d-layer')).toBe(LAYER_PAGE);
      // The trigram index holds the cleaned text: a search for the 文号 as printed finds the page.
      expect(db.prepare('SELECT document_id FROM page_text WHERE page_text MATCH ?').pluck().all('"清市监罚〔2025〕12号"')).toEqual([
        'd-scan',
      ]);
    } finally {
      db.close();
    }
  });
});
