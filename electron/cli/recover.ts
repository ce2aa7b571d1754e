/**
 * `npm run recover -- [--data-dir <folder>] [--user <登录名>] [--new-password]`
 *
 * Run on the workstation itself when the organiser cannot log in (locked out by wrong passwords, or
 * the password forgotten): lifts every lock of the organiser's account and, with --new-password, sets
 * a new login password read from the terminal (standard input), never from the command line. Audited.
 * Exit code 0: done; 1: refused (the reason is printed); 2: the data folder cannot be opened.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import { AppError } from '../../shared/core/errors.js';
import { openDatabase } from '../services/core/db/database.js';
import { dataLayout, resolveDataDir } from '../services/core/data-dir.js';
import { recoverOrganiser } from '../services/people/recovery.js';

const USAGE = `用法：npm run recover -- [--data-dir <数据文件夹>] [--user <组织者登录名>] [--new-password]
  解除组织者账户的全部锁定；加 --new-password 时再设置新的登录密码（从终端输入，不写在命令行上）。
  本工作站只有一位组织者时可不写 --user。须在工作站电脑上运行，操作记入审计日志。`;

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i >= 0) return args[i + 1];
  return args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

async function readPassword(prompt: string): Promise<string> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: false });
  if (process.stdin.isTTY) process.stderr.write(prompt);
  for await (const line of rl) {
    rl.close();
    return line.replace(/\r$/, '');
  }
  return '';
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const layout = dataLayout(resolveDataDir(args));
  if (!fs.existsSync(layout.database)) {
    process.stderr.write(`找不到工作站的数据文件：${layout.database}\n${USAGE}\n`);
    return 2;
  }
  const newPassword = args.includes('--new-password') ? await readPassword('请输入新密码：') : undefined;
  let db;
  try {
    db = openDatabase(layout.database, { backupDir: layout.backups });
  } catch (err) {
    process.stderr.write(`无法打开数据文件：${(err as Error).message}\n`);
    return 2;
  }
  try {
    const done = await recoverOrganiser(db, { username: option(args, '--user'), ...(newPassword !== undefined ? { newPassword } : {}) });
    process.stdout.write(
      `已解除组织者“${done.displayName}”（${done.username}）的全部锁定${done.passwordReset ? '，并设置了新密码' : ''}。已记入审计日志。\n`,
    );
    if (done.passwordReset) process.stdout.write('注意：签名密钥仍由原密码加密；如需签名，请用原密码、密钥备份或生成新密钥。\n');
    return 0;
  } catch (err) {
    process.stderr.write(`${err instanceof AppError ? err.message : (err as Error).message}\n`);
    return 1;
  } finally {
    db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`恢复失败：${(err as Error).message}\n`);
    process.exit(2);
  },
);
