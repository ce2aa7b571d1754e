/**
 * `npm run restore -- <备份文件夹> [--data-dir <数据文件夹>] [--yes]`
 *
 * Run with the workstation closed. Checks every file of the backup against its manifest (SM3) and
 * refuses a damaged or partial backup, naming the file, before anything is written; then restores it
 * into the data folder. A data folder that already holds a workspace is replaced only after the
 * person answers 是 (or with --yes); its data is kept whole in a dated folder beside it.
 * Exit code 0: restored; 1: refused (the reason is printed); 3: the person declined.
 */
import path from 'node:path';
import readline from 'node:readline';
import { AppError } from '../../shared/core/errors.js';
import { holdsData, prepareRestore, swapInRestore } from '../services/backup/index.js';
import { resolveDataDir } from '../services/core/data-dir.js';
import { positional } from './args.js';

const USAGE = `用法：npm run restore -- <备份文件夹> [--data-dir <数据文件夹>] [--yes]
  请先关闭工作站。逐一核对备份中每个文件的 SM3 摘要，通过后恢复到数据文件夹；
  数据文件夹中已有数据时先询问（--yes 不询问），原有数据整体保留在旁边带日期的文件夹中。`;

async function ask(question: string): Promise<string> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: false });
  process.stderr.write(question);
  for await (const line of rl) {
    rl.close();
    return line.trim();
  }
  return '';
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const folder = positional(args);
  if (!folder || args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return folder ? 0 : 1;
  }
  const dataDir = resolveDataDir(args);
  const prepared = `${path.resolve(dataDir)}.restoring`;
  try {
    process.stderr.write('正在核对备份…\n');
    const summary = await prepareRestore(folder, prepared);
    if (holdsData(dataDir) && !args.includes('--yes')) {
      const answer = await ask(
        `数据文件夹“${dataDir}”中已有数据。用 ${summary.createdAt} 的备份替换它？原有数据将保留在旁边带日期的文件夹中。输入“是”继续：`,
      );
      if (answer !== '是' && answer.toLowerCase() !== 'y' && answer.toLowerCase() !== 'yes') {
        const { rmSync } = await import('node:fs');
        rmSync(prepared, { recursive: true, force: true });
        process.stderr.write('已取消，数据文件夹未作任何改动。\n');
        return 3;
      }
    }
    const keptAt = swapInRestore(prepared, dataDir);
    process.stdout.write(`恢复完成：${dataDir}\n  备份时间 ${summary.createdAt}，案卷文件 ${summary.blobs} 个。\n`);
    if (keptAt) process.stdout.write(`  原有数据保留在：${keptAt}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`恢复失败：${err instanceof AppError ? err.message : (err as Error).message}\n`);
    return 1;
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`恢复失败：${(err as Error).message}\n`);
    process.exit(2);
  },
);
