/**
 * Turns a full disk or a folder that may not be written — from Node's fs (ENOSPC, EACCES, EPERM,
 * EROFS) or from SQLite (SQLITE_FULL, SQLITE_READONLY…, SQLITE_CANTOPEN) — into a Chinese
 * refusal that names the folder and says what to do, instead of "程序内部错误". Anything else is
 * returned as null and stays the caller's business.
 */
import path from 'node:path';
import { AppError } from '../../../shared/core/errors.js';

const FULL = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);
const DENIED = new Set(['EACCES', 'EPERM', 'EROFS', 'SQLITE_READONLY', 'SQLITE_CANTOPEN', 'SQLITE_PERM', 'SQLITE_AUTH']);

function faultCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Whether `err` is a storage fault (of any flavour SQLite reports, e.g. SQLITE_READONLY_DBMOVED). */
export function storageFault(err: unknown, dataDir: string): AppError | null {
  if (err instanceof AppError) return err.code === 'disk_full' || err.code === 'no_permission' ? err : null;
  const code = faultCode(err);
  if (!code) return null;
  const base = code.startsWith('SQLITE_') ? code.split('_').slice(0, 2).join('_') : code;
  const file = (err as { path?: unknown }).path;
  const folder = typeof file === 'string' && file ? path.dirname(file) : dataDir;
  if (FULL.has(code) || FULL.has(base))
    return new AppError(
      'disk_full',
      `磁盘空间不足：“${folder}”所在的磁盘已满，本次操作未完成，已保存的数据未受影响。请清理该磁盘（或把数据文件夹移到空间充足的磁盘，用 --data-dir 指定）后重试。`,
      { folder },
    );
  if (DENIED.has(code) || DENIED.has(base))
    return new AppError(
      'no_permission',
      `无法写入“${folder}”：没有写入权限，或该文件夹（磁盘）是只读的。请检查文件夹权限、去掉只读属性，或用 --data-dir 选择一个可写的数据文件夹后重试。`,
      { folder },
    );
  return null;
}
