/**
 * JSON kept in a column is read back through the schema that describes it, never cast: a cell damaged
 * on disk (a crash mid-write elsewhere, a hand edit, a faulty copy) then gives a clear Chinese error
 * naming the record, not a crash deep inside a screen or a document built from half a value.
 */
import type { z } from 'zod';
import { AppError } from '../../../../shared/core/errors.js';

/** Which record a JSON cell belongs to, in words a person can look up (e.g. “评查表 3f2a… 的第 xk-1 项”). */
export type RecordName = string | (() => string);

/** Parses `text` as JSON of `schema`; throws `corrupt_data` naming `record` when it is not. */
export function parseJsonColumn<T extends z.ZodType>(schema: T, text: string, record: RecordName): z.output<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw corrupt(record, '不是有效的 JSON');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw corrupt(record, issue?.path.length ? `字段 ${issue.path.join('.')} 不符合要求` : '内容不符合要求');
  }
  return parsed.data;
}

/** As parseJsonColumn, for a column that may be NULL. */
export function parseJsonColumnOrNull<T extends z.ZodType>(schema: T, text: string | null, record: RecordName): z.output<T> | null {
  return text === null ? null : parseJsonColumn(schema, text, record);
}

function corrupt(record: RecordName, why: string): AppError {
  const name = typeof record === 'function' ? record() : record;
  return new AppError('corrupt_data', `数据库中${name}的记录已损坏（${why}），无法读取。请从备份恢复，或导出日志联系技术支持。`, {
    record: name,
  });
}
