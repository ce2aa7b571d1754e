/**
 * Standards in and out of the workstation as files — JSON in the project's format, or an Excel
 * workbook a bureau maintains and carries on a USB stick. An import is all or nothing: the file is
 * read and checked completely before one transaction stores it, and a refusal names every problem
 * by sheet, row and field.
 */
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { ChannelOutput } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/core/errors.js';
import { allItems, type StandardDefinition } from '../../../shared/standards/model.js';
import { tablesToDefinition } from '../../../shared/standards/table.js';
import { checkDefinition, type DefinitionIssue } from '../../../shared/standards/validate.js';
import { nextVersionLabel } from '../../../shared/standards/version-label.js';
import type { Staging } from '../core/bytes.js';
import { requireActor, type Actor, type CallContext } from '../core/context.js';
import { tx, type Db } from '../core/db/database.js';
import type { Handlers } from '../core/dispatcher.js';
import type { EventHub } from '../core/event-hub.js';
import type { ExportsService } from '../core/downloads.js';
import { safeFileName } from '../core/fs-atomic.js';
import { runBoundedWorker } from '../core/workers.js';
import { checkWorkbookZip } from '../core/xlsx-guard.js';
import type { StandardTables } from '../../../shared/standards/table.js';
import { standardToXlsx } from './standard-xlsx.js';
import { refuse, type StandardsService } from './standards-service.js';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** A standard is a few hundred rows; anything near this is not one. */
const MAX_STANDARD_FILE_BYTES = 20 * 1024 ** 2;
const XLSX_THREAD = new URL('./standard-xlsx-thread', import.meta.url);

type ImportOutput = ChannelOutput<'standard:import'>;

/** "at position 123" in a JSON.parse message → line and column, which a person can find in an editor. */
function jsonPosition(text: string, message: string): string {
  const m = /position (\d+)/.exec(message);
  if (!m) return '';
  const before = text.slice(0, Number(m[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `第 ${line} 行第 ${column} 列附近`;
}

export class StandardFilesService {
  constructor(
    private readonly db: Db,
    private readonly standards: StandardsService,
    private readonly staging: Staging,
    private readonly exportsService: ExportsService,
    private readonly events: EventHub,
  ) {}

  /** Reads and checks a file completely; throws a refusal that names each problem. */
  async read(file: string, fileName: string): Promise<{ definition: StandardDefinition; warnings: DefinitionIssue[] }> {
    const ext = path.extname(fileName).toLowerCase();
    if (ext !== '.json' && ext !== '.xlsx')
      throw new AppError('unsupported_file', `“${fileName}”不是评查标准文件，请选择 .json 或 .xlsx（Excel）文件。`);
    // The size is checked before reading, so an oversized file is never loaded.
    let size: number;
    try {
      size = (await fsp.stat(file)).size;
    } catch (err) {
      throw new AppError('io_error', `读取“${fileName}”失败：${(err as Error).message}`);
    }
    if (size > MAX_STANDARD_FILE_BYTES) throw new AppError('too_large', `“${fileName}”超过 20 MB，不像是评查标准文件。`);
    if (ext === '.xlsx') {
      // A workbook from outside is inflated only after its zip directory is checked, and parsed in
      // a bounded thread, so neither a zip bomb nor a huge sheet can stall or kill the back end.
      await checkWorkbookZip(file, fileName, { maxTotalBytes: 200 * 1024 ** 2, maxRatio: 200 });
      const tables = await runBoundedWorker<StandardTables>(
        XLSX_THREAD,
        { file, fileName },
        {
          heapMb: 512,
          timeMs: 60_000,
          overLimit: `“${fileName}”过大或过于复杂，读取时超出了允许的内存或时间，不像是评查标准文件。`,
        },
      );
      const result = tablesToDefinition(tables);
      if (!result.ok) throw refuse(`“${fileName}”：`, result.errors, result.warnings);
      return result;
    }
    let bytes: Buffer;
    try {
      bytes = await fsp.readFile(file);
    } catch (err) {
      throw new AppError('io_error', `读取“${fileName}”失败：${(err as Error).message}`);
    }
    const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      const where = jsonPosition(text, (err as Error).message);
      throw new AppError('damaged_file', `“${fileName}”不是有效的 JSON 文件${where ? `（${where}有语法错误）` : ''}，无法导入。`);
    }
    const result = checkDefinition(raw);
    if (!result.ok) throw refuse(`“${fileName}”：`, result.errors, result.warnings);
    return result;
  }

  async import(sourceId: string, dryRun: boolean, actor: Actor): Promise<ImportOutput> {
    const staged = this.staging.get(sourceId, actor.id);
    let checked: { definition: StandardDefinition; warnings: DefinitionIssue[] };
    try {
      checked = await this.read(staged.file, staged.name);
    } catch (err) {
      await this.staging.discard(staged.sourceId);
      throw err;
    }
    const { definition, warnings } = checked;
    const plan = (): { def: StandardDefinition; preview: ImportOutput['preview'] } => {
      const exists = this.standards.standardExists(definition.standardId);
      const same = exists ? this.standards.versionWithContent(definition) : undefined;
      if (same) {
        const existing = this.standards.summary(same);
        throw new AppError('conflict', `“${staged.name}”与已有的“${existing.name}”（${existing.version}）内容完全相同，无需重复导入。`);
      }
      const taken = exists ? this.standards.labelsOf(definition.standardId) : [];
      const label = taken.includes(definition.version) ? nextVersionLabel(definition.version, taken) : definition.version;
      return {
        def: { ...definition, version: label },
        preview: {
          standardId: definition.standardId,
          name: definition.name,
          version: label,
          caseTypes: definition.caseTypes,
          itemCount: allItems(definition).length,
          target: exists ? 'newVersion' : 'newStandard',
          renamedFrom: label === definition.version ? null : definition.version,
        },
      };
    };
    const messages = warnings.map((w) => w.message);
    if (dryRun) {
      try {
        return { preview: plan().preview, saved: null, warnings: messages };
      } catch (err) {
        await this.staging.discard(staged.sourceId);
        throw err;
      }
    }
    let result: { versionId: string; preview: ImportOutput['preview'] };
    try {
      result = tx(this.db, () => {
        const { def, preview } = plan();
        const versionId = this.standards.insertVersion(def, {
          actorId: actor.id,
          builtin: false,
          basedOn: null,
          changeNote: `导入自“${staged.name}”`,
        });
        return { versionId, preview };
      });
    } finally {
      await this.staging.discard(staged.sourceId);
    }
    this.events.emit('data:changed', { entity: 'standard', id: result.versionId });
    return {
      preview: result.preview,
      saved: { summary: this.standards.summary(result.versionId), created: true, unchanged: false, warnings: messages },
      warnings: messages,
    };
  }

  async export(versionId: string, format: 'json' | 'xlsx', ctx: CallContext) {
    const { definition } = this.standards.getVersion(versionId);
    const base = `评查标准-${definition.name}-${definition.version}`;
    if (format === 'json') {
      const bytes = Buffer.from(`${JSON.stringify(definition, null, 2)}\n`, 'utf8');
      return this.exportsService.register('standardJson', safeFileName(`${base}.json`), bytes, 'application/json', ctx);
    }
    const bytes = await standardToXlsx(definition);
    return this.exportsService.register('standardXlsx', safeFileName(`${base}.xlsx`), bytes, XLSX_MIME, ctx);
  }

  handlers(): Pick<Handlers, 'standard:import' | 'standard:export'> {
    return {
      'standard:import': ({ sourceId, dryRun }, ctx) => this.import(sourceId, dryRun, requireActor(ctx)),
      'standard:export': ({ versionId, format }, ctx) => this.export(versionId, format, ctx),
    };
  }
}
