/**
 * Reviewer assignment at a province's size (ASSIGN_FILES, default 20,000 files of 200 units, a panel
 * of 24 with 回避, three a file): `assignment:preview` and `assignment:apply` through the dispatcher,
 * and as the baseline in the same run the bare write of the same pairs (one transaction, one
 * prepared INSERT) on a copy of the table. Target: apply in a few seconds.
 */
import type { BenchPart } from './index.js';
import { ms, ratio, row } from './format.js';
import { ADMIN, openTestBackend, setupAdmin, stage } from '../support/backend.js';
import { dossierPdf } from '../support/pdf-fixtures.js';
import { tx } from '../../electron/services/core/db/database.js';
import { addDocument, registerCase } from '../../electron/services/dossiers/register.js';
import type { Actor } from '../../electron/services/core/context.js';

const FILES = Number(process.env.ASSIGN_FILES ?? 20_000);
const UNITS = 200;
const REVIEWERS = 24;

const part: BenchPart = {
  name: 'assignment',
  description: `random assignment of ${FILES} files (3 a file, 24 reviewers with 回避): preview and apply vs the bare write (target apply ≤ 5 s)`,
  async run() {
    const t = openTestBackend();
    try {
      const admin = await setupAdmin(t.backend);
      const { id: campaignId } = await admin.call('campaign:create', {
        name: '2025年度全省行政执法案卷评查',
        year: 2025,
        issuingBody: '某某省司法厅',
      });
      const unit = (u: number) => `第${u + 1}区${['市场监督管理局', '交通运输局', '自然资源局', '生态环境局'][u % 4]}`;
      // A panel drawn from some of the units under review: each of them avoids their own unit.
      const ids = await Promise.all(
        Array.from({ length: REVIEWERS }, (_, i) =>
          admin
            .call('user:create', {
              username: `pc${i}`,
              displayName: `评查员${i + 1}`,
              role: 'reviewer',
              affiliation: i % 2 ? unit(i * 7) : '某某律师事务所',
              legalProfessional: i % 3 === 0,
              password: ADMIN.password,
            })
            .then((u) => u.id),
        ),
      );
      await admin.call('panel:setMembers', { campaignId, userIds: ids });
      const sourceId = await stage(t.backend, admin, '01-行政处罚决定书.pdf', await dossierPdf(3, '行政处罚案卷'));
      const first = await admin.call('dossier:importSingle', {
        campaignId,
        sourceId,
        caseNumber: `${unit(0)}罚〔2025〕1号`,
        caseTitle: '某某商贸有限公司销售过期食品案',
        unitName: unit(0),
        caseType: 'penalty_general',
      });
      const doc = first.documents[0]!;
      const db = t.backend.db;
      const actor: Actor = {
        id: (db.prepare('SELECT id FROM users WHERE username = ?').get(ADMIN.username) as { id: string }).id,
        role: 'organiser',
        username: ADMIN.username,
        displayName: ADMIN.displayName,
      };
      tx(db, () => {
        for (let i = 1; i < FILES; i++) {
          const u = unit(i % UNITS);
          const { id } = registerCase(db, actor, campaignId, {
            caseNumber: `${u}罚〔2025〕${Math.floor(i / UNITS) + 1}号`,
            caseType: 'penalty_general',
            unitName: u,
            unitMatch: 'exact',
            title: `当事人${i}违法经营案`,
          });
          addDocument(db, actor, campaignId, id, { ...doc, metadata: {} });
        }
      });

      const input = { campaignId, perFile: 3, requireLegal: true, seed: '全省-1' };
      let s = performance.now();
      const preview = await admin.call('assignment:preview', input);
      const previewMs = performance.now() - s;
      s = performance.now();
      const out = await admin.call('assignment:apply', { ...input, digest: preview.digest });
      const applyMs = performance.now() - s;

      // Baseline: the same pairs written bare, on a copy of the table with its indexes and triggers' target.
      db.exec('CREATE TEMP TABLE bare AS SELECT * FROM assignments WHERE 0');
      const insert = db.prepare(
        "INSERT INTO bare (case_id, reviewer_id, round, campaign_id, source, run_id, created_by, created_at) VALUES (?, ?, 1, ?, 'random', 'x', ?, 'now')",
      );
      s = performance.now();
      tx(db, () => {
        for (const f of preview.files) for (const r of f.reviewers) insert.run(f.caseId, r.id, campaignId, actor.id);
      });
      const bareMs = performance.now() - s;

      row('files / pairs written', `${FILES} / ${out.applied}`);
      row('assignment:preview', ms(previewMs));
      row('assignment:apply (recomputes, checks, writes)', ms(applyMs), applyMs <= 5000 ? '≤ 5 s ✓' : '> 5 s ✗');
      row('bare write of the same pairs', ms(bareMs), `apply ${ratio(applyMs, bareMs)}`);
    } finally {
      t.close();
    }
  },
};

export default part;
