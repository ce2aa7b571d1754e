/**
 * Work packages at panel scale: 10 reviewers × 40 files each (200 files, two reviewers a
 * file), every file marked and scored on the reviewers' laptops, all 10 return packages merged into
 * the lead's campaign. Prints export/import/merge times and package sizes. Baselines in the same run:
 * copying the same PDFs with the file system (for the out-packages), and only unzipping and hashing
 * the same return packages (for the merge: the floor of reading a package, no checks, no writes).
 * Packages are signed with real SM2 keys; each laptop confirms the lead's key, the lead each
 * reviewer's, on the first import (as people do), and the times include that.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { readPackageZip, DEFAULT_PACKAGE_LIMITS } from '../../electron/services/packages/zip.js';
import { client, scoreLicencesWithTable, setupAdmin, stage, submitPassingRest } from '../support/backend.js';
import { exportPackage, importConfirming, openWorkstation, type Workstation } from '../support/packages.js';
import { dossierPdf } from '../support/pdf-fixtures.js';
import { tempDir } from '../support/temp.js';
import type { BenchPart } from './index.js';
import { mb, ms, ratio, row } from './format.js';

const REVIEWERS = 10;
const FILES = 200;
const PASSWORD = 'Bench2025!x';

const part: BenchPart = {
  name: 'packages',
  description: `${REVIEWERS} reviewers × ${(FILES * 2) / REVIEWERS} files: out-packages, laptop imports, scoring with marks, return packages merged into one campaign`,
  async run() {
    const opened: Workstation[] = [];
    const scratch = tempDir('pingcha-bench-copy-');
    try {
      const lead = openWorkstation('bench-lead');
      opened.push(lead);
      const admin = await setupAdmin(lead.backend, 'admin');
      const { id: campaignId } = await admin.call('campaign:create', {
        name: '2025年度案卷评查（压力测试）',
        year: 2025,
        issuingBody: '某某市司法局',
      });
      await scoreLicencesWithTable(admin, campaignId);
      const leadUser = await admin.call('user:create', {
        username: 'zhao',
        displayName: '赵组长',
        role: 'lead',
        affiliation: '某某市司法局',
        password: PASSWORD,
      });
      const leadClient = client(lead.backend, 'lead');
      await leadClient.call('auth:login', { username: 'zhao', password: PASSWORD });
      await leadClient.call('key:create', { password: PASSWORD });
      const reviewers: Array<{ id: string; username: string }> = [];
      for (let r = 0; r < REVIEWERS; r++) {
        const u = await admin.call('user:create', {
          username: `r${r}`,
          displayName: `评查员${r + 1}`,
          role: 'reviewer',
          affiliation: `某某律师事务所${r + 1}`,
          password: PASSWORD,
        });
        reviewers.push({ id: u.id, username: u.username });
      }
      await admin.call('panel:setMembers', { campaignId, userIds: [leadUser.id, ...reviewers.map((r) => r.id)] });
      // 200 distinct 8-page PDFs (one generated, each made unique by a trailing comment after %%EOF).
      const base = await dossierPdf(8, '行政许可案卷');
      let started = performance.now();
      for (let f = 0; f < FILES; f++) {
        const bytes = Buffer.concat([Buffer.from(base), Buffer.from(`\n% variant ${f}\n`)]);
        const sourceId = await stage(lead.backend, admin, `${f}.pdf`, bytes);
        const kase = await admin.call('dossier:importSingle', {
          campaignId,
          sourceId,
          caseNumber: `某许〔2025〕${f + 1}号`,
          unitName: `某某县第${(f % 20) + 1}局`,
          caseType: 'license',
        });
        for (const r of [f % REVIEWERS, (f + 1) % REVIEWERS])
          await admin.call('assignment:add', { caseId: kase.id, reviewerId: reviewers[r]!.id });
      }
      row('setup: 200 files imported and assigned', ms(performance.now() - started));

      // Out-packages, against copying the same PDFs.
      const outs: Buffer[] = [];
      let outTime = 0;
      let copyTime = 0;
      for (const r of reviewers) {
        started = performance.now();
        outs.push(await exportPackage(lead.backend, leadClient, 'package:exportOut', { campaignId, reviewerId: r.id, password: PASSWORD }));
        outTime += performance.now() - started;
        const shas = (
          lead.backend.db
            .prepare('SELECT DISTINCT d.sha256 FROM documents d JOIN assignments a ON a.case_id = d.case_id WHERE a.reviewer_id = ?')
            .all(r.id) as Array<{ sha256: string }>
        ).map((x) => x.sha256);
        const dir = path.join(scratch.dir, r.username);
        fs.mkdirSync(dir, { recursive: true });
        started = performance.now();
        for (const sha of shas) fs.copyFileSync(path.join(lead.dir, 'files', sha.slice(0, 2), sha), path.join(dir, sha));
        copyTime += performance.now() - started;
      }
      const outSizes = outs.map((b) => b.length);
      row('export 10 out-packages (40 files each)', ms(outTime), `${ms(outTime / REVIEWERS)} each`);
      row('baseline: copy the same PDFs', ms(copyTime), `ratio ${ratio(outTime, copyTime)}`);
      row(
        'out-package size min / max',
        `${mb(Math.min(...outSizes))} / ${mb(Math.max(...outSizes))}`,
        `PDFs ${((base.length + 14) / 1024).toFixed(0)} KB each`,
      );

      // Each reviewer's laptop: import, then mark and score all 40 files.
      const returns: Buffer[] = [];
      let laptopImport = 0;
      let returnExport = 0;
      for (let r = 0; r < REVIEWERS; r++) {
        const pc = openWorkstation(`bench-r${r}`);
        opened.push(pc);
        const pcAdmin = await setupAdmin(pc.backend, 'admin');
        started = performance.now();
        await importConfirming(pc.backend, pcAdmin, outs[r]!, { reviewerPassword: PASSWORD });
        laptopImport += performance.now() - started;
        const me = client(pc.backend, 'me');
        await me.call('auth:login', { username: reviewers[r]!.username, password: PASSWORD });
        await me.call('key:create', { password: PASSWORD });
        for (const kase of await me.call('case:list', { campaignId })) {
          const doc = (await me.call('case:get', { caseId: kase.id })).documents[0]!;
          const evidence = randomUUID();
          await me.call('annotation:save', {
            documentId: doc.id,
            upserts: [
              {
                id: evidence,
                type: 'highlight',
                color: '#ffd400',
                pageIndex: 1,
                position: { rects: [[72, 700, 400, 716]] },
                comment: '送达回证无签名',
              },
            ],
            deletes: [],
          });
          const view = await me.call('sheet:start', { caseId: kase.id });
          const a = await me.call('sheet:answer', {
            sheetId: view.sheet.id,
            itemId: 'xk-11',
            answer: { status: 'deduct', comment: '送达回证无签名', evidence: [evidence] },
            revision: view.sheet.revision,
          });
          await submitPassingRest(me, view.sheet.id, a.revision);
        }
        started = performance.now();
        returns.push(await exportPackage(pc.backend, me, 'package:exportReturn', { campaignId, password: PASSWORD }));
        returnExport += performance.now() - started;
        pc.close();
        opened.pop();
      }
      const returnSizes = returns.map((b) => b.length);
      row('import out-package on a fresh laptop', ms(laptopImport / REVIEWERS), 'each, 40 files');
      row('export return package (40 sheets + marks)', ms(returnExport / REVIEWERS), 'each');
      row(
        'return package size min / max',
        `${(Math.min(...returnSizes) / 1024).toFixed(0)} KB / ${(Math.max(...returnSizes) / 1024).toFixed(0)} KB`,
      );

      // The merge into the lead's campaign, against only unzipping and hashing the same packages.
      const times: number[] = [];
      for (const bytes of returns) {
        started = performance.now();
        const merged = await importConfirming(lead.backend, leadClient, bytes);
        times.push(performance.now() - started);
        if (merged.outcome !== 'applied' || merged.counts.conflicts) throw new Error('merge did not apply cleanly');
      }
      const mergeTotal = times.reduce((a, b) => a + b, 0);
      let readTotal = 0;
      for (const [i, bytes] of returns.entries()) {
        const file = path.join(scratch.dir, `return-${i}.zip`);
        fs.writeFileSync(file, bytes);
        started = performance.now();
        await readPackageZip(file, path.join(scratch.dir, `x-${i}`), DEFAULT_PACKAGE_LIMITS);
        readTotal += performance.now() - started;
      }
      const counts = lead.backend.db
        .prepare(
          "SELECT (SELECT count(*) FROM sheets WHERE status IN ('submitted','final')) AS sheets, (SELECT count(*) FROM annotations) AS marks, (SELECT count(*) FROM case_reviews WHERE status = 'final') AS settled",
        )
        .get() as {
        sheets: number;
        marks: number;
        settled: number;
      };
      row(
        'merge 10 return packages into the campaign',
        ms(mergeTotal),
        `${ms(mergeTotal / REVIEWERS)} each, max ${ms(Math.max(...times))}`,
      );
      row('baseline: unzip + SM3 of the same packages', ms(readTotal), `ratio ${ratio(mergeTotal, readTotal)}`);
      row(
        'merged: delivered sheets / marks / settled files',
        `${counts.sheets} / ${counts.marks} / ${counts.settled}`,
        'expected 400 / 400 / 200',
      );
    } finally {
      for (const ws of opened) ws.close();
      scratch.cleanup();
    }
  },
};
export default part;
