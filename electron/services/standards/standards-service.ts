/**
 * The standards library: built-in versions seeded from resources/standards, stored versions frozen
 * once a score uses them, edits, clones and retirement.
 *
 * Versions: a version is one stored definition. Once a sheet scores against it (`frozen_at`), or if
 * it is built in, it never changes again — saving an edit to it makes a new version of the same
 * standard (`based_on_version_id` says which), so scores already given keep the exact rules they were
 * given under. A draft (unfrozen, not built in) is edited in place, guarded by its content hash.
 */
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import type { StandardSavedSchema, StandardSummarySchema } from '../../../shared/contract/index.js';
import type { CaseType } from '../../../shared/campaigns/case-types.js';
import { AppError } from '../../../shared/core/errors.js';
import { allItems, StandardDefinitionSchema, type StandardDefinition } from '../../../shared/standards/model.js';
import { checkDefinition, errorsOf, validateDefinition, warningsOf, type DefinitionIssue } from '../../../shared/standards/validate.js';
import { nextVersionLabel } from '../../../shared/standards/version-label.js';
import { describeZodError } from '../../../shared/core/validation.js';
import { writeAudit } from '../core/audit.js';
import { nowIso, requireActor, type Actor } from '../core/context.js';
import { tx, type Db } from '../core/db/database.js';
import type { Handlers } from '../core/dispatcher.js';
import type { EventHub } from '../core/event-hub.js';
import type { Logger } from '../core/logger.js';
import { standardsRepo, type StandardsRepo, type VersionRow } from './repo.js';

export type { VersionRow } from './repo.js';

export type StandardSummary = z.infer<typeof StandardSummarySchema>;
export type StandardSaved = z.infer<typeof StandardSavedSchema>;

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
  const issues = validateDefinition(def);
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
    contentSha256: row.content_sha256,
    retired: row.retired_at !== null || row.standard_retired_at !== null,
    createdAt: row.created_at,
    basedOnVersionId: row.based_on_version_id,
    changeNote: row.change_note,
    errorCount: errorsOf(issues).length,
    warningCount: warningsOf(issues).length,
  };
}

/** The stored text of a definition and its hash (the hash an editor must name to save over it). */
export function storedForm(def: StandardDefinition): { json: string; sha256: string } {
  const json = JSON.stringify(def);
  return { json, sha256: createHash('sha256').update(json).digest('hex') };
}

/** All of a check's errors as one refusal: the first named in the message, every one in the details. */
export function refuse(fileOrWhat: string, errors: DefinitionIssue[], warnings: DefinitionIssue[] = []): AppError {
  const more = errors.length > 1 ? `（共 ${errors.length} 处问题）` : '';
  return new AppError('invalid_input', `${fileOrWhat}${errors[0]!.message}${more}`, {
    issues: errors.map((e) => e.message),
    warnings: warnings.map((w) => w.message),
  });
}

/** Every item names the law and article it rests on. */
const citesBasis = (def: StandardDefinition): boolean => allItems(def).every((i) => Boolean(i.basis?.trim()));

export class StandardsService {
  private readonly repo: StandardsRepo;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly events?: EventHub,
  ) {
    this.repo = standardsRepo(db);
  }

  /**
   * Loads every built-in standard file; a file with a version label not yet stored becomes a version.
   * A workstation upgraded from an earlier release keeps what it stored then, so two corrections are
   * made here: a built-in version nobody has scored with yet takes the shipped file's corrected
   * content, and a built-in version no longer shipped (a partial reconstruction withdrawn because it
   * could not be scored) is retired, so that it is never offered again while the scores given under
   * it stay as they were.
   */
  seedBuiltins(dir: string): number {
    if (!fs.existsSync(dir)) return 0;
    let added = 0;
    const shipped = new Set<string>();
    for (const name of fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()) {
      const json = fs.readFileSync(path.join(dir, name), 'utf8');
      let def: StandardDefinition;
      try {
        def = parseDefinition(json, `内置标准 ${name}`);
      } catch (err) {
        this.log.error(`built-in standard ${name} is invalid`, err);
        continue;
      }
      // A built-in that cannot score every item (a placeholder, English notes) would become a
      // campaign's default: it is not offered at all.
      const errors = errorsOf(validateDefinition(def));
      if (errors.length) {
        this.log.error(`built-in standard ${name} is not usable: ${errors.map((e) => e.message).join(' / ')}`);
        continue;
      }
      shipped.add(JSON.stringify([def.standardId, def.version]));
      tx(this.db, () => {
        const existing = this.repo.versionLabelled(def.standardId, def.version);
        if (!existing) {
          this.insertVersion(def, { actorId: null, builtin: true, basedOn: null, changeNote: '' });
          added++;
          return;
        }
        const stored = storedForm(def);
        if (existing.builtin && !existing.frozen && existing.contentSha256 !== stored.sha256)
          this.repo.replaceContent(existing.id, stored, nowIso());
      });
    }
    const withdrawn = this.repo.activeBuiltins().filter((v) => !shipped.has(JSON.stringify([v.standardId, v.version])));
    if (withdrawn.length)
      tx(this.db, () => {
        for (const v of withdrawn) this.repo.setRetired(v.id, nowIso());
      });
    return added;
  }

  getVersion(versionId: string): { row: VersionRow; definition: StandardDefinition } {
    const found = this.repo.version(versionId);
    if (!found) throw new AppError('not_found', '评查标准不存在。');
    return found;
  }

  summary(versionId: string): StandardSummary {
    const { row, definition } = this.getVersion(versionId);
    return summaryOf(row, definition);
  }

  list(): StandardSummary[] {
    return this.repo.library().map(({ row, definition }) => summaryOf(row, definition));
  }

  /**
   * The version a new campaign uses for a case type: the library's own (imported or edited)
   * standards before the built-in references, the general before the field-specific (生态环境,
   * 测绘 …), one whose every item cites its legal basis (the 参考评查标准 built from the statutes)
   * before a reconstruction, then the newest. Retired versions and versions with errors (items
   * that cannot be scored) are never chosen.
   */
  defaultFor(caseType: CaseType): VersionRow | undefined {
    const candidates = this.repo
      .activeNewestFirst()
      .map(({ row, definition }) => ({ row, def: definition }))
      .filter((c) => c.def.caseTypes.includes(caseType) && errorsOf(validateDefinition(c.def)).length === 0);
    // Stable sort: among equals the newest (rows come newest first) wins.
    candidates.sort(
      (a, b) =>
        a.row.builtin - b.row.builtin ||
        Number(a.def.field !== undefined) - Number(b.def.field !== undefined) ||
        Number(!citesBasis(a.def)) - Number(!citesBasis(b.def)),
    );
    return candidates[0]?.row;
  }

  /** Marks a version as used; from then on it can never change (edits make a new version). */
  freeze(versionId: string): void {
    this.repo.freeze(versionId, nowIso());
  }

  /** Version labels already used by a standard. */
  labelsOf(standardId: string): string[] {
    return this.repo.labelsOf(standardId);
  }

  standardExists(standardId: string): boolean {
    return this.repo.standardExists(standardId);
  }

  /** The stored version of a standard whose content is exactly this, if any. */
  versionWithContent(def: StandardDefinition): string | undefined {
    const { sha256 } = storedForm(def);
    return this.repo.versionWithContent(def.standardId, sha256);
  }

  /** Stores a definition as a new version (inside the caller's transaction). */
  insertVersion(
    def: StandardDefinition,
    meta: { actorId: string | null; builtin: boolean; basedOn: string | null; changeNote: string },
  ): string {
    const now = nowIso();
    const { json, sha256 } = storedForm(def);
    this.repo.upsertStandard(def.standardId, def.name, meta.builtin, now);
    const id = randomUUID();
    this.repo.insertVersion({
      id,
      standardId: def.standardId,
      version: def.version,
      json,
      sha256,
      builtin: meta.builtin,
      createdBy: meta.actorId,
      at: now,
      basedOn: meta.basedOn,
      changeNote: meta.changeNote,
    });
    if (meta.actorId)
      writeAudit(this.db, {
        actorId: meta.actorId,
        action: 'standard.version.create',
        entity: 'standard_version',
        entityId: id,
        after: { standardId: def.standardId, version: def.version, sha256, basedOn: meta.basedOn, changeNote: meta.changeNote },
      });
    return id;
  }

  /** A checked definition from untrusted input, or a refusal naming every problem. */
  private checked(raw: unknown): { definition: StandardDefinition; warnings: DefinitionIssue[] } {
    const result = checkDefinition(raw);
    if (!result.ok) throw refuse('', result.errors, result.warnings);
    return result;
  }

  private saved(versionId: string, created: boolean, unchanged: boolean, warnings: DefinitionIssue[]): StandardSaved {
    return { summary: this.summary(versionId), created, unchanged, warnings: warnings.map((w) => w.message) };
  }

  private changed(versionId: string): void {
    this.events?.emit('data:changed', { entity: 'standard', id: versionId });
  }

  update(versionId: string, raw: unknown, expectedSha256: string, changeNote: string, actor: Actor): StandardSaved {
    const { definition, warnings } = this.checked(raw);
    const { json, sha256 } = storedForm(definition);
    const out = tx(this.db, () => {
      const { row } = this.getVersion(versionId);
      if (definition.standardId !== row.standard_id)
        throw new AppError('invalid_input', `标准ID不能修改（原为“${row.standard_id}”）。如需另立标准，请使用“复制为新标准”。`);
      if (row.content_sha256 !== expectedSha256) throw new AppError('conflict', '该版本已被其他人修改，请重新打开后再编辑。');
      if (sha256 === row.content_sha256) return { id: row.id, created: false, unchanged: true };
      const taken = this.labelsOf(row.standard_id).filter((l) => l !== row.version);
      if (row.frozen_at !== null || row.builtin === 1) {
        // Scores (or the built-in reference) rely on this exact content: the edit becomes a new version.
        const label =
          definition.version !== row.version && !taken.includes(definition.version)
            ? definition.version
            : nextVersionLabel(row.version, [...taken, row.version]);
        const id = this.insertVersion(
          { ...definition, version: label },
          { actorId: actor.id, builtin: false, basedOn: row.id, changeNote },
        );
        return { id, created: true, unchanged: false };
      }
      if (taken.includes(definition.version)) throw new AppError('conflict', `版本“${definition.version}”已存在，请换一个版本名称。`);
      const edited = this.repo.editDraft({
        id: row.id,
        json,
        sha256,
        version: definition.version,
        changeNote: changeNote || row.change_note,
        at: nowIso(),
        expectedSha256,
      });
      if (!edited) throw new AppError('conflict', '该版本刚被评分使用或修改，请重新打开后再编辑。');
      this.repo.renameStandard(row.standard_id, definition.name);
      writeAudit(this.db, {
        actorId: actor.id,
        action: 'standard.version.edit',
        entity: 'standard_version',
        entityId: row.id,
        before: { sha256: row.content_sha256, version: row.version },
        after: { sha256, version: definition.version, changeNote },
      });
      return { id: row.id, created: false, unchanged: false };
    });
    if (!out.unchanged) this.changed(out.id);
    return this.saved(out.id, out.created, out.unchanged, warnings);
  }

  clone(versionId: string, options: { version?: string | undefined; name?: string | undefined }, actor: Actor): StandardSaved {
    const out = tx(this.db, () => {
      const { row, definition } = this.getVersion(versionId);
      const errors = errorsOf(validateDefinition(definition));
      // A copy of a standard that cannot score every item would be one more such standard: fix it by editing (an edit is checked when saved).
      if (errors.length) throw refuse(`“${definition.name}”（${row.version}）不能复制：`, errors);
      const asNewStandard = options.name !== undefined && options.name !== '' && options.name !== definition.name;
      let def: StandardDefinition;
      if (asNewStandard) {
        def = { ...definition, standardId: `std-${randomUUID().slice(0, 8)}`, name: options.name!, version: options.version || '1' };
      } else {
        const taken = this.labelsOf(row.standard_id);
        if (options.version && taken.includes(options.version))
          throw new AppError('conflict', `版本“${options.version}”已存在，请换一个版本名称。`);
        def = { ...definition, version: options.version || nextVersionLabel(row.version, taken) };
      }
      const note = asNewStandard ? `复制自“${definition.name}”（${row.version}）` : `复制自版本“${row.version}”`;
      return this.insertVersion(def, { actorId: actor.id, builtin: false, basedOn: row.id, changeNote: note });
    });
    this.changed(out);
    return this.saved(out, true, false, warningsOf(validateDefinition(this.getVersion(out).definition)));
  }

  retire(versionId: string, retired: boolean, actor: Actor): StandardSummary {
    tx(this.db, () => {
      const { row } = this.getVersion(versionId);
      if ((row.retired_at !== null) === retired) return;
      this.repo.setRetired(versionId, retired ? nowIso() : null);
      writeAudit(this.db, {
        actorId: actor.id,
        action: retired ? 'standard.version.retire' : 'standard.version.restore',
        entity: 'standard_version',
        entityId: versionId,
      });
    });
    this.changed(versionId);
    return this.summary(versionId);
  }

  handlers(): Pick<Handlers, 'standard:list' | 'standard:get' | 'standard:update' | 'standard:clone' | 'standard:retire'> {
    return {
      'standard:list': () => this.list(),
      'standard:get': ({ versionId }) => {
        const { row, definition } = this.getVersion(versionId);
        return { summary: summaryOf(row, definition), definition };
      },
      'standard:update': ({ versionId, definition, expectedSha256, changeNote }, ctx) =>
        this.update(versionId, definition, expectedSha256, changeNote, requireActor(ctx)),
      'standard:clone': ({ versionId, version, name }, ctx) => this.clone(versionId, { version, name }, requireActor(ctx)),
      'standard:retire': ({ versionId, retired }, ctx) => this.retire(versionId, retired, requireActor(ctx)),
    };
  }
}
