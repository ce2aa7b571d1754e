import fsp from 'node:fs/promises';
import { AppError } from '../../../shared/core/errors.js';
import type { Staging } from '../core/bytes.js';

/** Reads an uploaded (staged) file whole and drops it from staging; refuses files over `maxBytes`. */
export async function takeStaged(
  staging: Staging,
  sourceId: string,
  userId: string,
  maxBytes: number,
  tooLarge: string,
): Promise<{ name: string; bytes: Buffer }> {
  const staged = staging.get(sourceId, userId);
  try {
    if (staged.size > maxBytes) throw new AppError('too_large', tooLarge);
    return { name: staged.name, bytes: await fsp.readFile(staged.file) };
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('io_error', `读取上传的文件失败：${(err as Error).message}`);
  } finally {
    await staging.discard(sourceId);
  }
}
