/**
 * Turns a schema failure into one Chinese sentence that names the field, for the UI and the API.
 * The renderer validates forms with the same contract schemas and this same formatter.
 */
import { z } from 'zod';
import { FIELD_LABELS } from './errors.js';

// Zod's own messages in Chinese for anything a schema does not word itself.
z.config(z.locales.zhCN());

export function fieldLabel(path: ReadonlyArray<PropertyKey>): string {
  const parts: string[] = [];
  for (const key of path) {
    if (typeof key === 'number') parts.push(`第 ${key + 1} 项`);
    else parts.push(FIELD_LABELS[String(key)] ?? String(key));
  }
  return parts.join(' › ');
}

export interface ValidationFailure {
  message: string;
  path: string;
  issues: Array<{ path: string; message: string }>;
}

export function describeZodError(error: z.ZodError): ValidationFailure {
  const issues = error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
  const first = error.issues[0];
  if (!first) return { message: '输入的内容不符合要求。', path: '', issues };
  const label = fieldLabel(first.path);
  const message = label ? `${label}：${first.message}` : first.message;
  return { message, path: issues[0]!.path, issues };
}
