/**
 * Letters: 200 行政执法监督意见书 (one per unit, each with its problems, page references and the
 * problem-list attachment) exported in one run — ZIP of DOCX through the real back end — printed
 * beside the time LibreOffice needs to convert ONE of them to PDF (the baseline measured here).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import type { BenchPart } from './index.js';
import { ms, ratio, row } from './format.js';
import { openTestBackend, setupAdmin } from '../support/backend.js';
import { convertWithLibreOffice } from '../support/office.js';
import { agreeWithSheets, scoredCampaign, type FixtureFile } from '../support/scored-campaign.js';
import { tempDir } from '../support/temp.js';

const UNITS = 200;
const PROBLEMS: FixtureFile['problems'] = [
  { itemId: 'xk-2', comment: '申请材料不全，未一次性告知申请人需要补正的全部内容', page: 2 },
  { itemId: 'xk-8', comment: '依法应当告知申请人享有听证权利而未告知', page: 1 },
  { itemId: 'xk-11', comment: '送达回证无受送达人签名，送达日期无法确认', page: 3 },
  { itemId: 'xk-12.5', comment: '卷内材料未编页号' },
];

const part: BenchPart = {
  name: 'letters',
  description: `${UNITS} 份行政执法监督意见书一次导出（目标 ≤ 10 s），对照 LibreOffice 转换一份所需时间`,
  async run() {
    const t = openTestBackend();
    const scratch = tempDir('pingcha-bench-letters-');
    try {
      const admin = await setupAdmin(t.backend);
      const files: FixtureFile[] = Array.from({ length: UNITS }, (_, i) => ({
        caseNumber: `某许〔2025〕${i + 1}号`,
        title: `第${i + 1}号行政许可案`,
        unit: `某某县第${i + 1}执法单位`,
        party: '张三',
        problems: PROBLEMS.slice(0, 1 + (i % PROBLEMS.length)),
      }));
      const setupStart = performance.now();
      const { campaignId } = await scoredCampaign(t.backend, admin, files);
      agreeWithSheets(t.backend);
      const tpl = (await admin.call('letter:template', { kind: 'opinion' })).template;
      await admin.call('letter:saveTemplate', {
        kind: 'opinion',
        template: { ...tpl, numberPrefix: '某司监', contactName: '赵六', contactPhone: '0730-1234567' },
      });
      row('setup (import, mark, score 200 files)', ms(performance.now() - setupStart));

      // A preview warms the code paths (facts, compose) without taking a 文号.
      const list = await admin.call('letter:list', { campaignId });
      await admin.call('letter:preview', { campaignId, kind: 'opinion', unitId: list.units[0]!.unitId });

      // The figures are wall-clock times: say how busy the machine was.
      row('load average (1 min) / CPU cores', `${os.loadavg()[0]!.toFixed(1)} / ${os.cpus().length}`);
      const started = performance.now();
      const cpuBefore = process.cpuUsage();
      const out = await admin.call('letter:exportAll', { campaignId, kind: 'opinion', date: '2025-03-05' });
      const elapsed = performance.now() - started;
      const cpu = process.cpuUsage(cpuBefore);
      const response = await t.backend.handleBytes(new Request(`http://127.0.0.1${out.url}`));
      const zip = await JSZip.loadAsync(Buffer.from(await response!.arrayBuffer()));
      const names = Object.keys(zip.files);
      if (names.length !== UNITS || out.count !== UNITS) throw new Error(`expected ${UNITS} letters, got ${names.length}`);
      row(`${UNITS} letters exported in one run (ZIP)`, ms(elapsed), elapsed <= 10_000 ? 'target ≤ 10 s: met' : 'target ≤ 10 s: MISSED');
      row('per letter', ms(elapsed / UNITS));
      // CPU time barely depends on what else the machine runs: the figure to compare across runs.
      row('CPU time of that export (this process)', ms((cpu.user + cpu.system) / 1000), 'wall time above includes waiting for a busy CPU');
      row('ZIP size', `${(out.bytes / 1024 / 1024).toFixed(1)} MB`);

      // Baseline: LibreOffice converting ONE of these letters to PDF (what a person's office suite costs).
      const one = path.join(scratch.dir, 'letter.docx');
      fs.writeFileSync(one, await zip.file(names[0]!)!.async('nodebuffer'));
      const loStart = performance.now();
      convertWithLibreOffice(one, scratch.dir);
      const lo = performance.now() - loStart;
      row('LibreOffice: convert ONE letter to PDF (baseline)', ms(lo));
      row(`ratio: ${UNITS} letters / one LibreOffice conversion`, ratio(elapsed, lo));
    } finally {
      t.close();
      scratch.cleanup();
    }
  },
};
export default part;
