/**
 * `npm run precheck -- <folder of PDFs> [--list <案件清单.xlsx|.csv>] --json <out.json> [--ocr]`
 *
 * Runs the smart pre-check (智能预审) over every PDF of a folder: per file the 案号 and case type it
 * finds, its document map, facts and findings (rule, 1-based pages, message, suggested checklist
 * item), then a summary table. With --list, each file's 案号 is looked up in the county's 案件清单 and
 * a disagreement (not listed, another case type) is reported. Files without a text layer (scans) are
 * read by the offline OCR engine when --ocr is given; otherwise they are reported as not read.
 *
 * `npm run precheck -- --fixtures [--ocr] [--ids QX-03,…] [--json <out.json>]` measures, rule by rule, how well the
 * findings agree with the defects planted in the realistic fixtures (recall and precision).
 */
import fs from 'node:fs';
import path from 'node:path';
import { CASE_TYPE_LABELS, type CaseType } from '../../shared/campaigns/case-types.js';
import { caseNumberKey } from '../../shared/dossiers/case-number.js';
import { guessLayout, readCaseList, type CaseDraft } from '../../shared/import/rows.js';
import { runPrecheck, type PrecheckResult } from '../../shared/precheck/engine.js';
import { PRECHECK_RULESET_VERSION } from '../../shared/precheck/rules.js';
import { inspectPdf } from '../../electron/services/core/pdf/inspect.js';
import { readListFile } from '../../electron/services/import/case-list.js';
import { OcrReader } from '../../electron/services/ocr/ocr-reader.js';

const args = process.argv.slice(2);
const valueOf = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0
    ? args[i + 1]
    : args
        .find((a) => a.startsWith(`--${name}=`))
        ?.split('=')
        .slice(1)
        .join('=');
};
const folder = args.find((a, i) => !a.startsWith('--') && !['--list', '--json', '--ids'].includes(args[i - 1] ?? ''));
const jsonOut = valueOf('json');
const listFile = valueOf('list');
const useOcr = args.includes('--ocr');
if (args.includes('--fixtures')) {
  await measureFixtures();
  process.exit(0);
}
if (!folder || !fs.existsSync(folder) || !jsonOut) {
  console.error(
    '用法：npm run precheck -- <PDF 文件夹> [--list <案件清单.xlsx>] --json <输出.json> [--ocr]\n　　或：npm run precheck -- --fixtures [--ocr] [--ids QX-03,QX-18] [--json <输出.json>]',
  );
  process.exit(2);
}

/**
 * `--fixtures`: the agreement of the pre-check with the planted truth of the realistic 清溪县 campaign,
 * per rule (recall of planted defects on their pages, precision of the findings). Born-digital files
 * are read through their text layer; scans through OCR with --ocr, otherwise through their true page
 * texts (what a perfect OCR reads), and the table says which.
 */
async function measureFixtures(): Promise<void> {
  const { realisticCampaign } = await import('../support/dossiers/index.js');
  const { agreementLine, agreementRows, measureAgreement } = await import('../support/precheck-measure.js');
  const { ocrTexts } = await import('../support/ocr-texts.js');
  const campaign = await realisticCampaign();
  // --ids QX-03,QX-18: only these dossiers (OCR of every scan takes long on a busy machine).
  const ids = valueOf('ids')
    ?.split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  const dossiers = ids ? campaign.dossiers.filter((d) => ids.includes(d.truth.id)) : campaign.dossiers;
  const reader = useOcr ? new OcrReader() : null;
  const results = [];
  try {
    for (const d of dossiers) {
      const t0 = performance.now();
      let texts: string[];
      let read: string;
      if (!d.truth.scanned) {
        texts = (await inspectPdf(d.path, { withText: true })).pageTexts ?? [];
        read = '文字层';
      } else if (reader) {
        texts = await ocrTexts(reader, d.path);
        read = 'OCR';
      } else {
        texts = d.truth.pages.map((p) => p.text);
        read = '页面真值';
      }
      const result = runPrecheck(texts, { ocr: read === 'OCR' });
      results.push({
        truth: d.truth,
        findings: result.findings,
        documents: result.documents,
        read,
        seconds: (performance.now() - t0) / 1000,
      });
    }
  } finally {
    await reader?.close();
  }
  const agreement = measureAgreement(results);
  console.log(
    `智能预审与埋设缺陷的一致性（清溪县 ${results.length} 卷；扫描件读取方式：${useOcr ? 'OCR' : '页面真值（加 --ocr 由离线 OCR 读取）'}；规则版本 ${PRECHECK_RULESET_VERSION}）`,
  );
  console.table(agreementRows(agreement));
  for (const how of ['文字层', 'OCR', '页面真值']) {
    const part = results.filter((r) => r.read === how);
    if (part.length) console.log(agreementLine(`  ${how}（${part.length} 卷）`, measureAgreement(part).all));
  }
  // The 文书 map the reader shows: a 文书 counts as right when its type and its page range are the truth's.
  for (const how of ['文字层', 'OCR', '页面真值']) {
    const part = results.filter((r) => r.read === how);
    if (!part.length) continue;
    const truthDocs = part.reduce((n, r) => n + r.truth.documents.length, 0);
    const right = part.reduce(
      (n, r) =>
        n +
        r.truth.documents.filter((t) =>
          r.documents.some((d) => d.type === t.type && d.firstPage === t.firstPage && d.lastPage === t.lastPage),
        ).length,
      0,
    );
    const typed = part.reduce(
      (n, r) => n + r.truth.documents.filter((t) => r.documents.some((d) => d.type === t.type && d.firstPage === t.firstPage)).length,
      0,
    );
    const found = part.reduce((n, r) => n + r.documents.length, 0);
    console.log(
      `  文书目录（${how}，${part.length} 卷）：真值 ${truthDocs} 份，识别 ${found} 份；类型与首页正确 ${typed} 份，类型与页码范围全对 ${right} 份（${Math.round((1000 * right) / truthDocs) / 10}%）`,
    );
  }
  const missed = results.flatMap((r) =>
    r.truth.defects.filter((code) => !r.findings.some((f) => f.rule === code)).map((code) => `${r.truth.id} ${code}`),
  );
  const wrong = results.flatMap((r) =>
    r.findings
      .filter((f) => !(r.truth.defects as string[]).includes(f.rule))
      .map((f) => `${r.truth.id} ${f.rule}（第${f.pages.join('、')}页）`),
  );
  if (missed.length) console.log(`未找到：${missed.join('；')}`);
  if (wrong.length) console.log(`误报：${wrong.join('；')}`);
  if (jsonOut) {
    fs.mkdirSync(path.dirname(path.resolve(jsonOut)), { recursive: true });
    fs.writeFileSync(
      jsonOut,
      JSON.stringify(
        {
          ruleset: PRECHECK_RULESET_VERSION,
          all: agreement.all,
          byRule: Object.fromEntries(agreement.byRule),
          files: results.map((r) => ({
            id: r.truth.id,
            read: r.read,
            defects: r.truth.defects,
            findings: r.findings.map((f) => ({ rule: f.rule, pages: f.pages })),
            seconds: Math.round(r.seconds * 100) / 100,
          })),
        },
        null,
        1,
      ),
    );
    console.log(`结果已写入 ${jsonOut}`);
  }
}

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return walk(full);
    return e.isFile() && /\.pdf$/i.test(e.name) ? [full] : [];
  });
}

async function listRows(file: string): Promise<Map<string, CaseDraft>> {
  const rows = new Map<string, CaseDraft>();
  for (const table of await readListFile(file, path.basename(file))) {
    const { headerRow, mapping } = guessLayout(table);
    for (const d of readCaseList(table, headerRow, mapping).drafts) if (d.caseNumber) rows.set(d.caseNumberKey, d);
  }
  return rows;
}

interface FileReport {
  file: string;
  read: 'text' | 'ocr' | 'not_read';
  note?: string;
  pageCount: number;
  caseNumber: string | null;
  caseType: CaseType;
  caseTypeLabel: string;
  party: string | null;
  list?: { row: number | null; message: string | null };
  documents: PrecheckResult['documents'];
  catalogue: PrecheckResult['catalogue'];
  facts: PrecheckResult['facts'];
  findings: Array<{ rule: string; title: string; severity: string; pages: number[]; message: string; item: string; statute: string }>;
  seconds: number;
}

const pdfs = walk(folder).sort();
const list = listFile ? await listRows(listFile) : null;
const ocr = useOcr ? new OcrReader() : null;
const reports: FileReport[] = [];
const started = performance.now();
try {
  for (const file of pdfs) {
    const t0 = performance.now();
    const rel = path.relative(folder, file);
    let info;
    try {
      info = await inspectPdf(file, { withText: true });
    } catch (err) {
      console.log(`  ${rel}：无法读取（${(err as Error).message}）`);
      continue;
    }
    let texts = info.pageTexts ?? [];
    let read: FileReport['read'] = 'text';
    let note: string | undefined;
    if (!info.hasText) {
      if (ocr) {
        texts = (await ocr.read(file)).map((p) => p.lines.map((l) => l.text).join('\n'));
        read = 'ocr';
      } else {
        read = 'not_read';
        note = '扫描件无文字层，未做文字识别（加 --ocr 由离线 OCR 读取）';
      }
    }
    const result = runPrecheck(texts, { ocr: read === 'ocr' });
    const report: FileReport = {
      file: rel,
      read,
      ...(note ? { note } : {}),
      pageCount: info.pageCount,
      caseNumber: result.caseNumber,
      caseType: result.caseType,
      caseTypeLabel: CASE_TYPE_LABELS[result.caseType],
      party: result.party,
      documents: result.documents,
      catalogue: result.catalogue,
      facts: result.facts,
      findings: result.findings.map((f) => ({
        rule: f.rule,
        title: f.title,
        severity: f.severity,
        pages: f.pages,
        message: f.message,
        item: f.item,
        statute: f.statute,
      })),
      seconds: Math.round((performance.now() - t0) / 100) / 10,
    };
    if (list && read !== 'not_read') {
      const row = result.caseNumber ? list.get(caseNumberKey(result.caseNumber)) : undefined;
      report.list = !row
        ? { row: null, message: result.caseNumber ? `案号 ${result.caseNumber} 不在案件清单中` : '未识别出案号，无法与清单对照' }
        : {
            row: row.rowNumber,
            message:
              row.caseType && row.caseType !== result.caseType
                ? `清单登记为${CASE_TYPE_LABELS[row.caseType]}，案卷为${CASE_TYPE_LABELS[result.caseType]}`
                : null,
          };
    }
    reports.push(report);
    console.log(
      `  ${rel}：${report.caseNumber ?? '（未识别案号）'}，${report.caseTypeLabel}，${report.documents.length} 份文书，${report.findings.length} 条提示${note ? `（${note}）` : ''}`,
    );
  }
} finally {
  await ocr?.close();
}

const rules = new Map<string, { title: string; count: number; files: Set<string> }>();
for (const r of reports)
  for (const f of r.findings) {
    const entry = rules.get(f.rule) ?? { title: f.title, count: 0, files: new Set<string>() };
    entry.count++;
    entry.files.add(r.caseNumber ?? r.file);
    rules.set(f.rule, entry);
  }
const seen = new Set(reports.flatMap((r) => (r.caseNumber ? [caseNumberKey(r.caseNumber)] : [])));
const listedWithoutFile = list
  ? [...list.values()]
      .filter((d) => !seen.has(d.caseNumberKey))
      .map((d) => ({ row: d.rowNumber, caseNumber: d.caseNumber, title: d.title }))
  : [];
const summary = {
  listedWithoutFile,
  ruleset: PRECHECK_RULESET_VERSION,
  files: reports.length,
  readByText: reports.filter((r) => r.read === 'text').length,
  readByOcr: reports.filter((r) => r.read === 'ocr').length,
  notRead: reports.filter((r) => r.read === 'not_read').length,
  findings: [...rules].map(([rule, e]) => ({ rule, title: e.title, count: e.count, cases: [...e.files] })),
  seconds: Math.round((performance.now() - started) / 100) / 10,
};
fs.mkdirSync(path.dirname(path.resolve(jsonOut)), { recursive: true });
fs.writeFileSync(jsonOut, JSON.stringify({ summary, files: reports }, null, 1));

console.log(
  `\n预审 ${summary.files} 个案卷（文字层 ${summary.readByText}，OCR ${summary.readByOcr}，未读取 ${summary.notRead}），用时 ${summary.seconds} 秒，规则版本 ${summary.ruleset}`,
);
console.table(
  reports.map((r) => ({
    文件: r.file.slice(-36),
    案号: r.caseNumber ?? '',
    类型: r.caseTypeLabel,
    页数: r.pageCount,
    读取: { text: '文字层', ocr: 'OCR', not_read: '未读取' }[r.read],
    提示: r.findings.map((f) => `${f.title}（第${f.pages.join('、')}页）`).join('；'),
    清单: r.list?.message ?? '',
  })),
);
console.table(summary.findings.map((f) => ({ 规则: f.rule, 名称: f.title, 次数: f.count, 案卷: f.cases.join('、') })));
if (listedWithoutFile.length)
  console.log(
    `清单有而未见（或未读取）案卷的 ${listedWithoutFile.length} 行：${listedWithoutFile.map((d) => `第${d.row}行 ${d.caseNumber}`).join('；')}`,
  );
console.log(`结果已写入 ${jsonOut}`);
