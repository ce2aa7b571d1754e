/**
 * Which document libraries a back end has loaded, seen from a process of its own (the test runner
 * has loaded them for other tests):
 *
 *   node --import tsx tests/support/heavy-libs-child.ts <empty folder>
 *
 * A loader hook notes every module the process loads; a fresh back end is opened, an organiser logs
 * in and the screens' lists are read. Prints one JSON line: the heavy libraries loaded by then, and
 * those loaded after a Word builder was asked for (which shows the probe sees them).
 */
import fs from 'node:fs';
import { createRequire, register } from 'node:module';
import path from 'node:path';

/** Libraries of megabytes each that only exporting, importing or issuing a document needs. */
export const HEAVY_LIBS = ['docx', 'pdf-lib', '@pdf-lib/fontkit', '@resvg/resvg-wasm', 'qrcode', 'exceljs', 'pdfjs-dist'] as const;

export interface HeavyLibsReport {
  /** After start-up, login and the first screens' questions. */
  atStart: string[];
  /** After the letters feature's Word builders were loaded. */
  afterWordBuilders: string[];
}

const HOOK = `
import fs from 'node:fs';
let file;
export function initialize(data) { file = data.file; }
export async function load(url, context, next) { fs.appendFileSync(file, url + '\\n'); return next(url, context); }
`;

async function main(): Promise<void> {
  const dir = process.argv[2]!;
  const seenFile = path.join(dir, 'loaded-modules.txt');
  fs.writeFileSync(seenFile, '');
  register(`data:text/javascript,${encodeURIComponent(HOOK)}`, { data: { file: seenFile } });
  const require = createRequire(import.meta.url);
  const loaded = (): string[] => {
    const urls = [...fs.readFileSync(seenFile, 'utf8').split('\n'), ...Object.keys(require.cache)];
    return HEAVY_LIBS.filter((lib) => urls.some((u) => u.includes(`/node_modules/${lib}/`)));
  };

  const { openTestBackend, setupAdmin } = await import('./backend.js');
  const t = openTestBackend(path.join(dir, 'ws'));
  const admin = await setupAdmin(t.backend);
  const { id: campaignId } = await admin.call('campaign:create', { name: '启动测量', year: 2025, issuingBody: '某县司法局' });
  await admin.call('campaign:list', {});
  await admin.call('campaign:get', { campaignId });
  await admin.call('case:page', { campaignId, limit: 100 });
  await admin.call('review:board', { campaignId });
  await admin.call('stats:campaign', { campaignId });
  await admin.call('ledger:list', { campaignId, limit: 50 });
  const atStart = loaded();

  const { loadGongwenDocx } = await import('../../electron/services/letters/index.js');
  await loadGongwenDocx();
  const report: HeavyLibsReport = { atStart, afterWordBuilders: loaded() };
  t.backend.close();
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

void main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
