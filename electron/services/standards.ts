/**
 * The standards library: built-in versions seeded from resources/standards, stored versions frozen
 * once a score uses them, and the campaign → case type → version mapping.
 */
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { CaseType } from '../../shared/domain/case-types.js';
import { AppError } from '../../shared/errors.js';
import { allItems, StandardDefinitionSchema, type StandardDefinition } from '../../shared/standard/model.js';
import { describeZodError } from '../../shared/validation.js';
import type { StandardSummarySchema } from '../../shared/contract.js';
import type { z } from 'zod';
import { nowIso } from './context.js';
import { tx, type Db } from './db/database.js';
import type { Handlers } from './dispatcher.js';
import type { Logger } from './logger.js';

export type StandardSummary = z.infer<typeof StandardSummarySchema>;

interface VersionRow {
  id: string;
  standard_id: string;
  name: string;
  version: string;
  definition_json: string;
  builtin: number;
  frozen_at: string | null;
}

export function parseDefinition(json: string, where: string): StandardDefinition {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    throw new AppError('invalid_input', `${where}：不是有效的 JSON（${(err as Error).message}）。`);
  }
  const parsed = StandardDefinitionSchema.safeParse(raw);
  if (!parsed.success) throw new AppError('invalid_input', `${where}：${describeZodError(parsed.error).message}`);
  return parsed.data;
}

export function summaryOf(row: VersionRow, def: StandardDefinition): StandardSummary {
  return {
    versionId: row.id,
    standardId: row.standard_id,
    name: def.name,
    version: row.version,
    caseTypes: def.caseTypes,
    total: def.total,
    mode: def.mode,
    builtin: row.builtin === 1,
    frozen: row.frozen_at !== null,
    itemCount: allItems(def).length,
    completeness: def.completeness ?? '',
  };
}

const SELECT_VERSION = `SELECT v.id, v.standard_id, s.name, v.version, v.definition_json, v.builtin, v.frozen_at
  FROM standard_versions v JOIN standards s ON s.id = v.standard_id`;

export class StandardsService {
  constructor(
    private readonly db: Db,
    private readonly log: Logger,
  ) {}

  /** Loads every built-in standard file; a new file or a changed one becomes a stored version. */
  seedBuiltins(dir: string): number {
    if (!fs.existsSync(dir)) return 0;
    let added = 0;
    for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
      const json = fs.readFileSync(path.join(dir, name), 'utf8');
      let def: StandardDefinition;
      try {
        def = parseDefinition(json, `内置标准 ${name}`);
      } catch (err) {
        this.log.error(`built-in standard ${name} is invalid`, err);
        continue;
      }
      const sha = createHash('sha256').update(json).digest('hex');
      tx(this.db, () => {
        const existing = this.db
          .prepare('SELECT id, content_sha256 FROM standard_versions WHERE standard_id = ? AND version = ?')
          .get(def.standardId, def.version) as { id: string; content_sha256: string } | undefined;
        if (existing) return;
        const now = nowIso();
        this.db
          .prepare('INSERT OR IGNORE INTO standards (id, name, builtin, created_at) VALUES (?, ?, 1, ?)')
          .run(def.standardId, def.name, now);
        this.db
          .prepare(
            `INSERT INTO standard_versions (id, standard_id, version, definition_json, content_sha256, builtin, created_at)
             VALUES (?, ?, ?, ?, ?, 1, ?)`,
          )
          .run(randomUUID(), def.standardId, def.version, JSON.stringify(def), sha, now);
        added++;
      });
    }
    return added;
  }

  getVersion(versionId: string): { row: VersionRow; definition: StandardDefinition } {
    const row = this.db.prepare(`${SELECT_VERSION} WHERE v.id = ?`).get(versionId) as VersionRow | undefined;
    if (!row) throw new AppError('not_found', '评查标准不存在。');
    return { row, definition: parseDefinition(row.definition_json, `评查标准 ${row.name}`) };
  }

  list(): StandardSummary[] {
    const rows = this.db.prepare(`${SELECT_VERSION} WHERE s.retired_at IS NULL ORDER BY s.name, v.created_at`).all() as VersionRow[];
    return rows.map((row) => summaryOf(row, parseDefinition(row.definition_json, row.name)));
  }

  /** The newest version applicable to a case type, built-ins first, for a new campaign's defaults. */
  defaultFor(caseType: CaseType): VersionRow | undefined {
    const rows = this.db
      .prepare(`${SELECT_VERSION} WHERE s.retired_at IS NULL ORDER BY v.builtin DESC, v.created_at DESC`)
      .all() as VersionRow[];
    return rows.find((r) => parseDefinition(r.definition_json, r.name).caseTypes.includes(caseType));
  }

  /** Marks a version as used; from then on it can never change (edits make a new version). */
  freeze(versionId: string): void {
    this.db.prepare('UPDATE standard_versions SET frozen_at = ? WHERE id = ? AND frozen_at IS NULL').run(nowIso(), versionId);
  }

  handlers(): Pick<Handlers, 'standard:list' | 'standard:get'> {
    return {
      'standard:list': () => this.list(),
      'standard:get': ({ versionId }) => {
        const { row, definition } = this.getVersion(versionId);
        return { summary: summaryOf(row, definition), definition };
      },
    };
  }
}
