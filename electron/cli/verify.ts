/**
 * `npm run verify -- <file> [--manifest <x.manifest.json>] [--data-dir <folder>] [--json]`
 * `npm run verify -- --code "<QR text or 16-character code>" [--data-dir <folder>]`
 * `npm run verify -- --audit [--data-dir <folder>] [--json]`: the 留痕 chain, link by link (exit 0 intact, 1 broken)
 *
 * The same check as the 核验 screen, from a terminal: every byte of the file (SM3), the signatures
 * of the issuer and co-signers, the register and the trust list of the workstation's data folder
 * (opened read-only; nothing is written). On a PC without a workspace a file is checked against the
 * manifest that came with it, each signature with the public key inside the manifest: that proves
 * the file is what the key's holder signed, not who the holder is, and the output says so.
 * Exit code 0: valid, by keys this workstation trusts; 1: not valid (the reason is printed); 2: the
 * check could not run; 3: file and signatures intact, but the signers' keys are not trusted here.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { VERIFY_STATUS_LABELS, type VerificationReport } from '../../shared/signing/api.js';
import { SIGNER_ROLE_LABELS } from '../../shared/signing/manifest.js';
import { fileRoleLabel } from '../../shared/signing/api.js';
import { DATA_DIR_ENV, dataLayout, defaultDataDir, resolveDataDir } from '../services/core/data-dir.js';
import { Register } from '../services/signing/register.js';
import { TrustList } from '../services/signing/trust.js';
import { checkAuditChain } from '../services/core/audit.js';
import { NO_REGISTER, NO_TRUST, onlyTrustMissing, trustSentence, Verifier } from '../services/signing/verifier.js';

const USAGE = `用法：
  npm run verify -- <文件> --manifest <签名清单.json> [--json]                     （任何电脑，无需工作站数据）
  npm run verify -- <文件> [--manifest <签名清单.json>] [--data-dir <数据文件夹>] [--json]
  npm run verify -- --code "<二维码内容或16位核验码>" [--data-dir <数据文件夹>] [--json]
  npm run verify -- --audit [--data-dir <数据文件夹>] [--json]                     （检查留痕完整性：0 完好，1 有断链）
不指定 --data-dir 时使用本机评查工作站的数据文件夹；本机没有时，按签名清单中所附的公钥核验签名。
退出码：0 核验通过（签名人为本机信任的密钥）；1 未通过（会说明原因）；2 无法核验；
        3 文件与签名完好，但签名人的公钥未在本机登记为信任（请与签发人核对公钥指纹）。`;

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

/** Where trust comes from: a workstation's data folder, or only the keys inside the manifest. */
type Basis = { kind: 'workspace'; dataDir: string } | { kind: 'manifest' };

function print(report: VerificationReport, basis: Basis): void {
  const intactOnly = onlyTrustMissing(report.status, report.signatures);
  say(`${report.status === 'valid' ? '✔' : intactOnly ? '△' : '✘'} ${VERIFY_STATUS_LABELS[report.status]}：${report.headline}`);
  for (const r of report.reasons) say(`  · ${r}`);
  say(
    basis.kind === 'workspace'
      ? `  信任依据：数据文件夹 ${basis.dataDir} 的信任列表和签发登记簿`
      : '  信任依据：无（本机没有评查工作站数据），签名按签名清单中所附的公钥核验',
  );
  const d = report.document;
  if (d) {
    say(`  文书：${d.title}${d.documentNumber ? `（${d.documentNumber}）` : ''}`);
    if (d.unitName) say(`  主送：${d.unitName}`);
    say(
      `  签发：${d.issuedAt}${d.shortCode ? `，核验码 ${d.shortCode}` : ''}${d.inRegister ? '' : basis.kind === 'workspace' ? '（不在本机登记簿中）' : ''}`,
    );
  }
  if (report.file) {
    say(`  文件：${report.file.name}，${report.file.bytes} 字节，SM3 ${report.file.sm3}`);
    for (const e of report.file.expected)
      say(
        `    ${d?.inRegister ? '登记' : '清单'}的${fileRoleLabel(e.role)}：SM3 ${e.sm3}（${e.bytes} 字节）${e.sm3 === report.file.sm3 ? ' ← 一致' : ''}`,
      );
  }
  for (const s of report.signatures) say(`  ${SIGNER_ROLE_LABELS[s.role]}：${s.unit}${s.name}，${trustSentence(s)}`);
}

/** The data folder named by --data-dir or PINGCHA_DATA_DIR (must exist), else this PC's own, if it has one. */
function workspaceOf(args: string[]): string | null {
  const named = args.some((a) => a === '--data-dir' || a.startsWith('--data-dir=')) || !!process.env[DATA_DIR_ENV];
  const dir = resolveDataDir(args);
  if (named) {
    if (!fs.existsSync(dataLayout(dir).database))
      fail(
        `找不到工作站的数据文件：${dataLayout(dir).database}\n请检查 --data-dir 指定的数据文件夹；在没有工作站数据的电脑上，不指定 --data-dir、用 --manifest 附上签名清单即可核验。`,
      );
    return dir;
  }
  const own = defaultDataDir();
  return fs.existsSync(dataLayout(own).database) ? own : null;
}

function readOrFail(p: string): Buffer {
  try {
    return fs.readFileSync(p);
  } catch (err) {
    return fail(`无法读取 ${p}：${(err as Error).message}`);
  }
}

/** The 留痕 chain of a data folder, opened read-only: the same check as the screen's 检查留痕完整性. */
function verifyAudit(args: string[]): void {
  const dataDir = workspaceOf(args) ?? fail('本机没有评查工作站数据：请用 --data-dir 指定数据文件夹。');
  let db: Database.Database;
  try {
    db = new Database(dataLayout(dataDir).database, { readonly: true, fileMustExist: true });
  } catch (err) {
    return fail(`无法打开数据文件：${(err as Error).message}`);
  }
  try {
    if (!db.prepare(`SELECT 1 FROM pragma_table_info('audit_log') WHERE name = 'hash'`).get())
      fail('该数据文件的留痕还没有完整性摘要：请先用新版评查工作站打开一次。');
    const check = checkAuditChain(db);
    if (args.includes('--json')) say(JSON.stringify({ ...check, dataDir }, null, 2));
    else {
      say(
        check.intact
          ? `✔ 留痕完整：共 ${check.rows} 条，${check.segments} 段，逐条衔接无误。`
          : `✘ 留痕不完整：${check.firstBreak!.message}`,
      );
      if (!check.intact)
        say(`  已核对到第 ${check.rows} 条记录时发现问题（记录编号 ${check.firstBreak!.id}，写入时间 ${check.firstBreak!.at}）。`);
      if (!check.protectedByTriggers) say('  注意：数据库中防止修改、删除留痕的保护触发器缺失，数据文件曾被其他程序改动。');
      say(`  数据文件夹：${dataDir}`);
    }
    process.exitCode = check.intact ? 0 : 1;
  } finally {
    db.close();
  }
}

function main(): void {
  // Output piped into `head` and cut short is not a failure of the check.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  const args = process.argv.slice(2);
  if (!args.length || args.includes('--help') || args.includes('-h')) {
    say(USAGE);
    process.exit(args.length ? 0 : 2);
  }
  if (args.includes('--audit')) return verifyAudit(args);
  const code = option(args, '--code');
  const manifest = option(args, '--manifest');
  const positional = args.filter((a, i) => !a.startsWith('--') && !['--code', '--manifest', '--data-dir'].includes(args[i - 1] ?? ''));
  const dataDir = workspaceOf(args);

  let db: Database.Database | null = null;
  if (dataDir) {
    try {
      db = new Database(dataLayout(dataDir).database, { readonly: true, fileMustExist: true });
    } catch (err) {
      return fail(`无法打开数据文件：${(err as Error).message}`);
    }
    if (!db.prepare(`SELECT 1 FROM sqlite_schema WHERE name = 'signed_documents'`).get())
      fail('该数据文件还没有签发登记簿：请先用新版评查工作站打开一次。');
  } else if (code !== undefined) {
    fail(
      '本机没有评查工作站数据：核验二维码或核验码需要签发登记簿或签发人的公钥。请用 --data-dir 指定数据文件夹，或用“<文件> --manifest <签名清单>”核验文件。',
    );
  } else if (!manifest) {
    fail(
      `本机没有评查工作站数据：请用 --manifest 附上签发时导出的签名清单（.manifest.json，或交付签章文件包中的 manifest.json）。\n${USAGE}`,
    );
  }
  try {
    const basis: Basis = db ? { kind: 'workspace', dataDir: dataDir! } : { kind: 'manifest' };
    const verifier = db ? new Verifier(new Register(db), new TrustList(db).lookup) : new Verifier(NO_REGISTER, NO_TRUST, false);
    let report: VerificationReport;
    if (code !== undefined) report = verifier.verifyText(code);
    else {
      const file = positional[0] ?? fail(`请指定要核验的文件。\n${USAGE}`);
      report = verifier.verifyFile(path.basename(file), readOrFail(file), manifest ? readOrFail(manifest) : undefined);
    }
    if (args.includes('--json')) say(JSON.stringify({ ...report, trustBasis: basis }, null, 2));
    else print(report, basis);
    process.exitCode = report.status === 'valid' ? 0 : onlyTrustMissing(report.status, report.signatures) ? 3 : 1;
  } finally {
    db?.close();
  }
}

main();
