/**
 * Checks an .xlsx workbook's zip directory before any parser inflates it: a workbook from a USB
 * stick may declare parts of gigabytes (a zip bomb) that would exhaust memory long before a row
 * limit is reached. Only the central directory is read; nothing is decompressed.
 */
import yauzl from 'yauzl';
import { AppError } from '../../../shared/core/errors.js';
import { libraryErrorText } from './library-errors.js';

export interface WorkbookZipLimits {
  /** Largest declared uncompressed size of all parts together. */
  maxTotalBytes: number;
  /** Largest uncompressed/compressed ratio of a part above 1 MB (XML compresses ~10–30×). */
  maxRatio: number;
}

const mb = (n: number): string => `${Math.round(n / 1024 ** 2)} MB`;

export async function checkWorkbookZip(file: string, name: string, limits: WorkbookZipLimits): Promise<void> {
  let zip: yauzl.ZipFile;
  try {
    zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
      yauzl.open(file, { lazyEntries: true, autoClose: false }, (err, z) => (err ? reject(err) : resolve(z))),
    );
  } catch (err) {
    throw new AppError('damaged_file', `“${name}”无法作为 Excel 文件读取，文件可能已损坏（${libraryErrorText(err)}）。`);
  }
  try {
    let total = 0;
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        total += entry.uncompressedSize;
        const ratio = entry.compressedSize > 0 ? entry.uncompressedSize / entry.compressedSize : Infinity;
        if (entry.uncompressedSize > 1024 ** 2 && ratio > limits.maxRatio) {
          reject(
            new AppError(
              'too_large',
              `“${name}”中的“${entry.fileName}”压缩比异常（${mb(entry.compressedSize)} 解压为 ${mb(entry.uncompressedSize)}），疑似压缩炸弹，已拒绝。`,
            ),
          );
          return;
        }
        if (total > limits.maxTotalBytes) {
          reject(
            new AppError(
              'too_large',
              `“${name}”解压后超过 ${mb(limits.maxTotalBytes)}，远大于一份清单或评查标准，已拒绝。请拆分后再导入。`,
            ),
          );
          return;
        }
        zip.readEntry();
      });
      zip.on('end', () => resolve());
      zip.on('error', (err: Error) => reject(new AppError('damaged_file', `“${name}”的压缩结构已损坏（${libraryErrorText(err)}）。`)));
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
}
