/**
 * `npm run verify -- <file> [--manifest <x.manifest.json>] [--data-dir <folder>] [--json]`
 * `npm run verify -- --code "<QR text or 16-character code>" [--data-dir <folder>]`
 *
 * The same check as the 核验 screen, from a terminal: every byte of the file (SM3), the signatures
 * of the issuer and co-signers, the register and the trust list of the workstation's data folder
 * (opened read-only; nothing is written). Exit code 0: valid; 1: not valid (the reason is printed);
 * 2: the check could not run.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { VERIFY_STATUS_LABELS, type VerificationReport } from '../../shared/signing/api.js';
import { SIGNER_ROLE_LABELS } from '../../shared/signing/manifest.js';
import { formatFingerprint } from '../../shared/signing/identity.js';
import { TRUST_STATUS_LABELS, fileRoleLabel } from '../../shared/signing/api.js';
import { dataLayout, resolveDataDir } from '../services/data-dir.js';
import { Register } from '../services/signing/register.js';
import { TrustList } from '../services/signing/trust.js';
import { Verifier } from '../services/signing/verifier.js';

const USAGE = `用法：
  npm run verify -- <文件> [--manifest <签名清单.json>] [--data-dir <数据文件夹>] [--json]
  npm run verify -- --code "<二维码内容或16位核验码>" [--data-dir <数据文件夹>] [--json]
退出码：0 核验通过；1 未通过（会说明原因）；2 无法核验。`;

const say = (text: string): void => void process.stdout.write(`${text}\n`);
const fail = (text: string): never => {
  process.stderr.write(`${text}\n`);
  process.exit(2);
};

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i >= 0) return args[i + 1] ?? fail(`${name} 后面缺少参数。\n${USAGE}`);
  return args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

function print(report: VerificationReport): void {
  say(`${report.status === 'valid' ? '✔' : '✘'} ${VERIFY_STATUS_LABELS[report.status]}：${report.headline}`);
  for (const r of report.reasons) say(`  · ${r}`);
  const d = report.document;
  if (d) {
    say(`  文书：${d.title}${d.documentNumber ? `（${d.documentNumber}）` : ''}`);
    if (d.unitName) say(`  主送：${d.unitName}`);
    say(`  签发：${d.issuedAt}${d.shortCode ? `，核验码 ${d.shortCode}` : ''}${d.inRegister ? '' : '（不在本机登记簿中）'}`);
  }
  if (report.file) {
    say(`  文件：${report.file.name}，${report.file.bytes} 字节，SM3 ${report.file.sm3}`);
    for (const e of report.file.expected) say(`    登记的${fileRoleLabel(e.role)}：SM3 ${e.sm3}（${e.bytes} 字节）${e.sm3 === report.file.sm3 ? ' ← 一致' : ''}`);
  }
  for (const s of report.signatures)
    say(
      `  ${SIGNER_ROLE_LABELS[s.role]}：${s.unit}${s.name}，指纹 ${formatFingerprint(s.fingerprint).slice(0, 19)}…，签名${s.valid ? '有效' : '无效'}，${s.trust ? TRUST_STATUS_LABELS[s.trust] : '不在信任列表'}${s.problem ? `：${s.problem}` : ''}`,
    );
}

function main(): void {
  const args = process.argv.slice(2);
  if (!args.length || args.includes('--help') || args.includes('-h')) {
    say(USAGE);
    process.exit(args.length ? 0 : 2);
  }
  const dataDir = resolveDataDir(args);
  const database = dataLayout(dataDir).database;
  if (!fs.existsSync(database)) fail(`找不到工作站的数据文件：${database}\n请用 --data-dir 指定数据文件夹。`);
  let db: Database.Database;
  try {
    db = new Database(database, { readonly: true, fileMustExist: true });
  } catch (err) {
    return fail(`无法打开数据文件：${(err as Error).message}`);
  }
  try {
    if (!db.prepare(`SELECT 1 FROM sqlite_schema WHERE name = 'signed_documents'`).get()) fail('该数据文件还没有签发登记簿：请先用新版评查工作站打开一次。');
    const verifier = new Verifier(new Register(db), new TrustList(db).lookup);
    const code = option(args, '--code');
    const manifest = option(args, '--manifest');
    const positional = args.filter((a, i) => !a.startsWith('--') && !['--code', '--manifest', '--data-dir'].includes(args[i - 1] ?? ''));
    let report: VerificationReport;
    if (code !== undefined) report = verifier.verifyText(code);
    else {
      const file = positional[0] ?? fail(`请指定要核验的文件。\n${USAGE}`);
      const read = (p: string): Buffer => {
        try {
          return fs.readFileSync(p);
        } catch (err) {
          return fail(`无法读取 ${p}：${(err as Error).message}`);
        }
      };
      report = verifier.verifyFile(path.basename(file), read(file), manifest ? read(manifest) : undefined);
    }
    if (args.includes('--json')) say(JSON.stringify(report, null, 2));
    else print(report);
    process.exitCode = report.status === 'valid' ? 0 : 1;
  } finally {
    db.close();
  }
}

main();
