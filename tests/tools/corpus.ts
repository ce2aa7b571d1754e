/**
 * `npm run corpus -- <folder> [--timeout=<s>] [--threads=<n>] [--keep]`
 *
 * Robustness run: imports every PDF under a folder into a fresh temporary workspace, one case per
 * file, through the same import job the app runs (worker threads, per-file time limit, one
 * transaction per accepted file), then prints accepted / rejected counts by reason, the slowest
 * files and the wall time. It is a tool, not a test (the corpus is not in CI).
 */
import fs from 'node:fs';
import path from 'node:path';
import { outcomeLabel } from '../../shared/import/api.js';
import { newTarget, type Plan, type PlanFile, type PlanTarget } from '../../electron/services/import/plan.js';
import { openTestBackend, setupAdmin } from '../support/backend.js';

const args = process.argv.slice(2);
const folder = args.find((a) => !a.startsWith('--'));
const option = (name: string, fallback: number): number => Number(args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
if (!folder || !fs.existsSync(folder)) {
  console.error('用法：npm run corpus -- <文件夹> [--timeout=秒] [--threads=线程数] [--keep]');
  process.exit(2);
}
const timeoutMs = option('timeout', 20) * 1000;
const threads = option('threads', 0);

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return walk(full);
    return e.isFile() && /\.pdf$/i.test(e.name) ? [full] : [];
  });
}

const pdfs = walk(folder).sort();
const t = openTestBackend(undefined, { inspect: { timeoutMs, timeoutPerMbMs: 0, ...(threads ? { size: threads } : {}) } });
const started = performance.now();
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
try {
  const admin = await setupAdmin(t.backend);
  const campaignId = (await admin.call('campaign:create', { name: '语料库导入', year: 2025, issuingBody: '测试' })).id;
  const actor = t.backend.db
    .prepare("SELECT id, username, display_name AS displayName, role FROM users WHERE username = 'admin'")
    .get() as Parameters<typeof t.backend.services.imports.launch>[1];

  const targets: PlanTarget[] = [];
  const files: PlanFile[] = [];
  pdfs.forEach((file, i) => {
    const rel = path.relative(folder, file);
    targets.push(
      newTarget(`c${i}`, { caseNumber: `语料〔2025〕${i + 1}号`, title: rel.slice(0, 200), unitName: '语料库', caseType: 'other' }),
    );
    files.push({
      key: `f${i}`,
      path: rel,
      size: fs.statSync(file).size,
      origin: { kind: 'disk', file },
      refusal: null,
      target: `c${i}`,
      how: 'caseNumber',
      candidates: [],
    });
  });
  const plan: Plan = { campaignId, listName: '', targets, files, skippedRows: [], blankRows: 0, ignoredFiles: 0, sourceIds: [] };

  console.log(`语料：${folder}，PDF ${pdfs.length} 个，单文件时限 ${timeoutMs / 1000} 秒，线程 ${threads || '默认'}`);
  const { jobId, batchId } = await t.backend.services.imports.launch(plan, actor, { registerRowsWithoutFiles: false });
  let lastLine = 0;
  const off = t.backend.events.subscribe((event, payload) => {
    if (event !== 'job:progress' || Date.now() - lastLine < 5000) return;
    lastLine = Date.now();
    const p = payload as { done: number; total: number; pages?: number };
    console.log(`  … ${p.done} / ${p.total}，${p.pages ?? 0} 页，${((performance.now() - started) / 1000).toFixed(0)} 秒`);
  });
  const job = await t.backend.services.jobs.wait(jobId);
  off();
  const wall = (performance.now() - started) / 1000;
  const summary = await admin.call('import:result', { batchId });
  const fileItems = summary.items.filter((i) => i.kind === 'file');
  const accepted = fileItems.filter((i) => i.outcome === 'imported');
  const rejected = fileItems.filter((i) => i.outcome !== 'imported');
  const noReason = rejected.filter((i) => !i.code || !/[\u4e00-\u9fa5]/.test(i.message));

  console.log(
    `\n任务状态：${job.status}；用时 ${wall.toFixed(1)} 秒；峰值内存（主进程 RSS，含工作线程）${(peakRss / 1024 ** 2).toFixed(0)} MB`,
  );
  console.log(
    `导入 ${accepted.length} 个（${summary.counts.pages} 页，其中无文字层 ${summary.counts.scans} 个）；未导入 ${rejected.length} 个；无原因的 ${noReason.length} 个`,
  );
  const byCode = new Map<string, typeof rejected>();
  for (const i of rejected) byCode.set(i.code, [...(byCode.get(i.code) ?? []), i]);
  console.log('\n未导入原因：');
  for (const [code, items] of [...byCode].sort((a, b) => b[1].length - a[1].length)) {
    console.log(`  ${outcomeLabel(code)}（${code}）：${items.length} 个，例如 ${items[0]!.path}：${items[0]!.message.slice(0, 100)}`);
  }
  console.log('\n最慢的 10 个文件：');
  const timed = fileItems.filter((i) => i.ms !== null).sort((a, b) => b.ms! - a.ms!);
  for (const i of timed.slice(0, 10)) console.log(`  ${(i.ms! / 1000).toFixed(2)} 秒  ${i.path}（${i.pageCount} 页）`);
  const timeouts = byCode.get('timeout') ?? [];
  if (timeouts.length) console.log(`\n超时中止（每个 ${timeoutMs / 1000} 秒）：${timeouts.map((i) => i.path).join('、')}`);
  if (noReason.length || job.status !== 'done' || fileItems.length !== pdfs.length) {
    console.error(`\n不符合预期：状态 ${job.status}，记录 ${fileItems.length} / ${pdfs.length}，无原因 ${noReason.length}`);
    process.exitCode = 1;
  }
} finally {
  clearInterval(sampler);
  if (args.includes('--keep')) console.log(`工作区保留在 ${t.dir}`);
  else t.close();
}
