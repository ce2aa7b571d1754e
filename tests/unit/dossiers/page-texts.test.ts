/**
 * Page text kept in a table indexed by file, the trigram search index built over it: a database
 * from before the change keeps every page searchable (by the index and by LIKE) and readable file by
 * file, writes after it keep the index in step, and every statement that reads one file's (or one
 * campaign's) pages finds them through the file index instead of reading every page held.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../electron/services/core/db/database.js';
import type { Db } from '../../../electron/services/core/db/database.js';
import { MIGRATIONS } from '../../../electron/services/core/db/migrations.js';
import { DossiersRepo, searchPagesSql } from '../../../electron/services/dossiers/repo.js';
import { OcrRepo } from '../../../electron/services/ocr/repo.js';
import { carriedColumns, checkRows, insertRows } from '../../../electron/services/packages/tables.js';
import { PrecheckRepo } from '../../../electron/services/precheck/repo.js';
import { tempDir } from '../../support/temp.js';

const dirs: Array<{ cleanup(): void }> = [];
const open: Db[] = [];
afterAll(() => {
  open.forEach((db) => db.close());
  dirs.forEach((d) => d.cleanup());
});

const byFile = MIGRATIONS.find((m) => m.name === 'page text kept in a table indexed by file, the search index built over it')!;
const NOW = '2025-03-01T08:00:00.000Z';
const DECISION = '清溪县市场监督管理局\n行政处罚决定书\n清市监罚〔2025〕12号\n罚款人民币80000元';
const NOTICE = '行政处罚告知书\n当事人享有陈述、申辩的权利';
const REGISTER = '立案审批表\n案由：销售不符合食品安全标准的食品';

/** A database at the schema before the change: two files of one case, three pages in the old index. */
function previousVersionDatabase(file: string): void {
  const db = new Database(file);
  for (const m of MIGRATIONS.filter((x) => x.version < byFile.version).sort((a, b) => a.version - b.version)) m.up(db);
  db.pragma(`user_version = ${byFile.version - 1}`);
  db.prepare(
    `INSERT INTO campaigns (id, name, year, issuing_body, created_at, updated_at) VALUES ('c1', '2025年度评查', 2025, '清溪县司法局', ?, ?)`,
  ).run(NOW, NOW);
  db.prepare(`INSERT INTO units (id, campaign_id, name, created_at) VALUES ('u1', 'c1', '清溪县市场监督管理局', ?)`).run(NOW);
  db.prepare(
    `INSERT INTO cases (id, campaign_id, unit_id, case_number, case_number_key, case_type, created_at, updated_at) VALUES ('k1', 'c1', 'u1', '清市监罚〔2025〕12号', '清市监罚〔2025〕12号', 'penalty_general', ?, ?)`,
  ).run(NOW, NOW);
  for (const sha of ['a', 'b']) db.prepare(`INSERT INTO blobs (sha256, size, created_at) VALUES (?, 1, ?)`).run(sha, NOW);
  const doc = db.prepare(
    `INSERT INTO documents (id, case_id, sha256, file_name, title, page_count, has_text, position, created_at) VALUES (?, 'k1', ?, ?, ?, 2, 1, ?, ?)`,
  );
  doc.run('d-decision', 'a', '决定书.pdf', '行政处罚决定书', 0, NOW);
  doc.run('d-register', 'b', '立案.pdf', '立案审批表', 1, NOW);
  const index = db.prepare('INSERT INTO page_text (text, document_id, page_index) VALUES (?, ?, ?)');
  index.run(DECISION, 'd-decision', 0);
  index.run(NOTICE, 'd-decision', 1);
  index.run(REGISTER, 'd-register', 1);
  db.close();
}

function upgraded(): Db {
  const dir = tempDir();
  dirs.push(dir);
  const file = path.join(dir.dir, 'pingcha.db');
  previousVersionDatabase(file);
  const db = openDatabase(file, { backupDir: path.join(dir.dir, 'backups') });
  open.push(db);
  return db;
}

const match = (db: Db, phrase: string): string[] =>
  db
    .prepare("SELECT document_id || ':' || page_index FROM page_text WHERE page_text MATCH ? ORDER BY rowid")
    .pluck()
    .all(`"${phrase}"`) as string[];

const search = (db: Db, indexed: boolean, pattern: string, caseId?: string) =>
  new DossiersRepo(db)
    .searchPages({ indexed, pattern, campaignId: 'c1', caseId, visibleIds: null, limit: 10 })
    .map((r) => `${r.document_id}:${r.page_index}`);

describe('page text after the upgrade', () => {
  it('keeps every page: found by the trigram index and by LIKE, and read file by file', () => {
    const db = upgraded();
    expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(byFile.version);
    expect(match(db, '清市监罚〔2025〕12号')).toEqual(['d-decision:0']);
    expect(match(db, '立案审批')).toEqual(['d-register:1']);
    expect(search(db, true, '"陈述、申辩"')).toEqual(['d-decision:1']);
    expect(search(db, true, '"行政处罚"', 'k1')).toEqual(['d-decision:0', 'd-decision:1']);
    // Two characters are below the trigram index: LIKE over the campaign's pages finds them.
    expect(search(db, false, '%案由%')).toEqual(['d-register:1']);
    expect(search(db, false, '%罚款%', 'k1')).toEqual(['d-decision:0']);

    const precheck = new PrecheckRepo(db);
    expect(precheck.layerPageIndexes('d-decision')).toEqual([0, 1]);
    expect(precheck.layerTexts('d-register')).toEqual(new Map([[1, REGISTER]]));
    const ocr = new OcrRepo(db);
    expect(ocr.pagesWithText('d-decision')).toEqual(new Set([0, 1]));
    expect(ocr.indexedWithContent('b', 1)).toEqual(new Set(['d-register']));
    expect(ocr.indexedWithContent('b', 0)).toEqual(new Set());
  });

  it('keeps the search index in step with pages written, rewritten and removed afterwards', () => {
    const db = upgraded();
    new DossiersRepo(db).indexPages('d-register', ['送达回证\n受送达人：清溪县某超市']);
    expect(match(db, '送达回证')).toEqual(['d-register:0']);
    db.prepare("UPDATE page_texts SET text = '听证通知书' WHERE document_id = 'd-register' AND page_index = 0").run();
    expect(match(db, '送达回证')).toEqual([]);
    expect(match(db, '听证通知')).toEqual(['d-register:0']);
    db.prepare("DELETE FROM page_texts WHERE document_id = 'd-register'").run();
    expect(match(db, '听证通知')).toEqual([]);
    expect(match(db, '立案审批')).toEqual([]);
    expect(match(db, '行政处罚')).toEqual(['d-decision:0', 'd-decision:1']);
    // The index agrees with its table (FTS5's own check of an external-content index).
    expect(() => db.prepare("INSERT INTO page_text (page_text, rank) VALUES ('integrity-check', 1)").run()).not.toThrow();
  });

  it('takes a work package’s page rows in the form packages have always carried them', () => {
    const db = upgraded();
    // The row number is this workstation's own: a package carries file, page and text, as before.
    expect(Object.keys(carriedColumns(db, 'page_texts')).sort()).toEqual(['document_id', 'page_index', 'text']);
    insertRows(db, 'page_texts', checkRows(db, 'page_texts', [{ document_id: 'd-register', page_index: 0, text: '送达回证' }]), 'plain');
    expect(match(db, '送达回证')).toEqual(['d-register:0']);
    expect(() => checkRows(db, 'page_texts', [{ id: 1, document_id: 'd-register', page_index: 0, text: '送达回证' }])).toThrow();
  });
});

describe('reading pages by file', () => {
  /** A province's worth of pages is not needed to see the plan: the statistics say the table is large. */
  function large(): Db {
    const db = upgraded();
    const insert = db.prepare('INSERT INTO page_texts (document_id, page_index, text) VALUES (?, ?, ?)');
    db.transaction(() => {
      for (let f = 0; f < 400; f++) for (let p = 0; p < 20; p++) insert.run(`other-${f}`, p, `第${p + 1}页 现场检查笔录`);
    })();
    db.exec('ANALYZE');
    return db;
  }

  const plan = (db: Db, sql: string): string[] => {
    const named = [...new Set([...sql.matchAll(/@(\w+)/g)].map((m) => m[1]!))];
    const params = named.length
      ? [Object.fromEntries(named.map((n) => [n, null]))]
      : Array.from({ length: (sql.match(/\?/g) ?? []).length }, () => null);
    return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((p) => p.detail);
  };

  it('finds a file’s pages through the file index, never by reading every page held', () => {
    const db = large();
    const statements = (repo: object): string[] =>
      Object.values((repo as { q: Record<string, Statement> }).q)
        .map((s) => s.source)
        .filter((sql) => /page_text/.test(sql));
    const sqls = [
      ...statements(new OcrRepo(db)),
      ...statements(new PrecheckRepo(db)),
      ...[true, false].flatMap((indexed) =>
        [true, false].flatMap((caseId) => [true, false].map((visible) => searchPagesSql({ indexed, caseId, visible }))),
      ),
    ];
    // pagesWithText, queuedPagesLeft, indexedWithContent, documentsToRead, layerPagesOfCampaign (OCR),
    // layerPageIndexes, layerTexts (pre-check), the eight shapes of the page search.
    expect(sqls.length).toBeGreaterThanOrEqual(15);
    const offenders = sqls
      .map((sql) => ({ sql: sql.replace(/\s+/g, ' ').slice(0, 120), plan: plan(db, sql) }))
      .filter((o) =>
        o.plan.some((d) => /SCAN p\b|SCAN t\b|SCAN page_texts\b/.test(d) || /page_text VIRTUAL TABLE INDEX \d+:(?!M)/.test(d)),
      );
    expect(offenders).toEqual([]);
    // The pre-check reads a file's text layer by the file index.
    expect(
      plan(
        db,
        statements(new PrecheckRepo(db)).find((s) => /page_index, text/.test(s))!,
      ).join(' '),
    ).toMatch(/SEARCH page_texts USING (COVERING )?INDEX page_texts_document/);
  });
});
