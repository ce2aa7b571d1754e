/**
 * 智能预审 on dossiers it was not tuned on: a held-out set from the fixture generator (seed
 * BENCH_PRECHECK_SEED, default 9051) with the catalogue's cases given defects drawn afresh (other 文书,
 * other cases, a 卷内目录 that disagrees with its file), another county's bureaus and 文号, other parties,
 * some files bound in another usual order. Recall and precision per rule:
 * - 文字层: the born-digital files through the text layer pdf.js reads;
 * - OCR: the scans through the offline OCR engine (cached by file hash under test-output/ocr-cache;
 *   BENCH_PRECHECK_SCANS limits how many scans are read, default all), and the same scans through
 *   their known page texts (what a perfect OCR reads), to tell the engine's misses from the reading's.
 * Then the time to check the thickest file once its text exists, engine alone and through the
 * service (text gathered from the database, findings stored), against the target of 10 s.
 */
import fs from 'node:fs';
import type { BenchPart } from './index.js';
import { row } from './format.js';
import { runPrecheck } from '../../shared/precheck/engine.js';
import { PRECHECK_RULESET_VERSION } from '../../shared/precheck/rules.js';
import { inspectPdf } from '../../electron/services/core/pdf/inspect.js';
import { OcrReader } from '../../electron/services/ocr/ocr-reader.js';
import { heldOutSet, type CampaignDossier } from '../support/dossiers/index.js';
import { agreementLine, agreementRows, measureAgreement, plantedIn } from '../support/precheck-measure.js';
import { ocrTexts } from '../support/ocr-texts.js';
import { openTestBackend, ADMIN, client, stage } from '../support/backend.js';
import { tempDir } from '../support/temp.js';

const SEED = Number(process.env.BENCH_PRECHECK_SEED ?? 9051);
const SCANS = process.env.BENCH_PRECHECK_SCANS === undefined ? Infinity : Number(process.env.BENCH_PRECHECK_SCANS);

type Read = '文字层' | 'OCR' | '页面真值';

function report(label: string, results: Array<{ truth: CampaignDossier['truth']; findings: ReturnType<typeof runPrecheck>['findings'] }>) {
  if (!results.length) return;
  const a = measureAgreement(results);
  console.log(`\n  ${label}（${results.length} 卷）`);
  console.table(agreementRows(a).filter((r) => r['埋设'] !== 0 || r['提示'] !== 0));
  console.log(agreementLine(`  ${label}`, a.all));
  const missed = results.flatMap((r) =>
    plantedIn(r.truth)
      .filter((c) => !r.findings.some((f) => f.rule === c))
      .map((c) => `${r.truth.id} ${c}`),
  );
  const wrong = results.flatMap((r) =>
    r.findings
      .filter((f) => !(plantedIn(r.truth) as string[]).includes(f.rule))
      .map((f) => `${r.truth.id} ${f.rule}（第${f.pages.join('、')}页）`),
  );
  if (missed.length) console.log(`  未找到：${missed.join('；')}`);
  if (wrong.length) console.log(`  误报：${wrong.join('；')}`);
}

const part: BenchPart = {
  name: 'precheck',
  description: `智能预审：未参与调校的留出案卷（种子 ${SEED}）上各规则的召回率与精确率（文字层、OCR），及 25 页案卷的预审用时`,
  async run() {
    const set = await heldOutSet(SEED);
    console.log(
      `  留出集：${set.length} 卷（文字层 ${set.filter((d) => !d.truth.scanned).length}，扫描件 ${set.filter((d) => d.truth.scanned).length}），埋设缺陷 ${set.reduce((n, d) => n + plantedIn(d.truth).length, 0)} 处，规则版本 ${PRECHECK_RULESET_VERSION}`,
    );
    const byRead = new Map<Read, Array<{ truth: CampaignDossier['truth']; findings: ReturnType<typeof runPrecheck>['findings'] }>>();
    const push = (read: Read, truth: CampaignDossier['truth'], texts: string[]): void => {
      const findings = runPrecheck(texts, { ocr: read === 'OCR' }).findings;
      byRead.set(read, [...(byRead.get(read) ?? []), { truth, findings }]);
    };
    for (const d of set.filter((x) => !x.truth.scanned))
      push('文字层', d.truth, (await inspectPdf(d.path, { withText: true })).pageTexts ?? []);
    const scans = set.filter((x) => x.truth.scanned).slice(0, SCANS);
    const reader = scans.length ? new OcrReader() : null;
    try {
      for (const d of scans) {
        const t0 = performance.now();
        push('OCR', d.truth, await ocrTexts(reader!, d.path));
        console.log(`  OCR ${d.truth.id}（${d.truth.pageCount} 页）${((performance.now() - t0) / 1000).toFixed(1)} s`);
        push(
          '页面真值',
          d.truth,
          d.truth.pages.map((p) => p.text),
        );
      }
    } finally {
      await reader?.close();
    }
    report('文字层（PDF 文字层）', byRead.get('文字层') ?? []);
    report('OCR（离线文字识别）', byRead.get('OCR') ?? []);
    report('同一批扫描件的页面真值（完美识别）', byRead.get('页面真值') ?? []);

    // The thickest file of the set (the generator binds 15–25 pages), once its text exists; per page
    // too, so the figure for 25 pages can be read off whatever the set holds.
    const thick = [...set].filter((d) => !d.truth.scanned).sort((a, b) => b.truth.pageCount - a.truth.pageCount)[0]!;
    const texts = (await inspectPdf(thick.path, { withText: true })).pageTexts ?? [];
    const engine: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      runPrecheck(texts);
      engine.push(performance.now() - t0);
    }
    engine.sort((a, b) => a - b);
    const dir = tempDir('pingcha-bench-precheck-');
    const t = openTestBackend(dir.dir);
    try {
      const admin = client(t.backend, 'admin');
      await admin.call('auth:setup', ADMIN);
      const campaignId = (await admin.call('campaign:create', { name: '预审用时', year: 2025, issuingBody: '云岭县司法局' })).id;
      const detail = await admin.call('dossier:importSingle', {
        campaignId,
        sourceId: await stage(t.backend, admin, `${thick.truth.id}.pdf`, fs.readFileSync(thick.path)),
        caseNumber: thick.truth.caseNumber,
        caseTitle: thick.truth.title,
        unitName: thick.truth.unitName,
        caseType: thick.truth.caseType,
      });
      const service: number[] = [];
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        t.backend.services.precheck.runCase(detail.id, null);
        service.push(performance.now() - t0);
      }
      service.sort((a, b) => a - b);
      const per = (v: number): string =>
        `每页 ${(v / thick.truth.pageCount).toFixed(1)} ms，折合 25 页 ${((25 * v) / thick.truth.pageCount).toFixed(0)} ms`;
      row(`${thick.truth.pageCount} 页案卷预审（引擎，中位数）`, `${engine[2]!.toFixed(0)} ms`, `${per(engine[2]!)}；目标 25 页 < 10 s`);
      row(
        `${thick.truth.pageCount} 页案卷预审（服务：读文字、存结果，中位数）`,
        `${service[1]!.toFixed(0)} ms`,
        `${per(service[1]!)}；目标 25 页 < 10 s`,
      );
    } finally {
      t.backend.close();
      dir.cleanup();
    }
  },
};

export default part;
