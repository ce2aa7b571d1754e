/**
 * The 留痕 screen on a million-row trail: a page through the dispatcher with each filter (keyset on id,
 * one index per filter), a deep page, the export refusal check, and the whole-chain check. Baseline:
 * the bare newest-first query with no filter.
 */
import type { BenchPart } from './index.js';
import { ms, percentile, ratio, row } from './format.js';
import { openTestBackend, setupAdmin } from '../support/backend.js';
import { appendAuditRow, checkAuditChain } from '../../electron/services/core/audit.js';

const ROWS = Number(process.env.AUDIT_BENCH_ROWS ?? 1_000_000);

const part: BenchPart = {
  name: 'audit',
  description: `留痕 list and integrity check on ${ROWS.toLocaleString()} audit rows`,
  async run() {
    const t = openTestBackend();
    try {
      const admin = await setupAdmin(t.backend);
      const db = t.backend.db;
      const campaigns: string[] = [];
      for (let i = 0; i < 10; i++)
        campaigns.push((await admin.call('campaign:create', { name: `活动${i}`, year: 2025, issuingBody: '某县司法局' })).id);
      const actions = [
        'sheet.answer',
        'sheet.submit',
        'annotation.delete',
        'document.import',
        'case.update',
        'user.login',
        'export.create',
        'review.route',
        'reconcile.answer',
        'letter.issue',
      ];
      const start = Date.parse('2025-01-01T00:00:00Z');
      let s = performance.now();
      const batch = 50_000;
      for (let done = 0; done < ROWS; done += batch) {
        db.transaction(() => {
          for (let i = done; i < done + batch; i++) {
            appendAuditRow(db, {
              at: new Date(start + i * 30_000).toISOString(),
              actor_id: i % 997 === 0 ? 'rare-actor' : `actor-${i % 20}`,
              action: actions[i % actions.length]!,
              entity: 'sheet',
              entity_id: `sheet-${i % 50_000}`,
              campaign_id: campaigns[i % 10]!,
              before_json: null,
              after_json: JSON.stringify({ itemId: `xk-${i % 12}`, answer: { status: 'deduct', comment: '卷内材料未编页号' } }),
              origin_key: null,
              segment: '',
            });
          }
        })();
      }
      row(`write ${ROWS.toLocaleString()} chained rows`, `${ms(performance.now() - s)} (${ms((performance.now() - s) / ROWS)} per row)`);

      const time = async (label: string, input: Record<string, unknown>) => {
        const samples: number[] = [];
        for (let i = 0; i < 20; i++) {
          const t0 = performance.now();
          const r = await t.backend.dispatch('audit:list', { limit: 50, ...input }, admin.clientId);
          samples.push(performance.now() - t0);
          if (!r.ok) throw new Error(JSON.stringify(r.error));
        }
        samples.sort((a, b) => a - b);
        row(label, `p50 ${ms(percentile(samples, 50))} / p95 ${ms(percentile(samples, 95))}`);
        return percentile(samples, 50);
      };
      const bare = db.prepare('SELECT * FROM audit_log ORDER BY at DESC, id DESC LIMIT 51');
      const base: number[] = [];
      for (let i = 0; i < 20; i++) {
        const t0 = performance.now();
        bare.all();
        base.push(performance.now() - t0);
      }
      base.sort((a, b) => a - b);
      row('baseline: bare newest-first query, p50', ms(percentile(base, 50)));
      const first = await time('audit:list first page, no filter', {});
      row('ratio to baseline', ratio(first, percentile(base, 50)));
      await time('deep page (keyset at row 500000)', { before: { at: new Date(start + 500_000 * 30_000).toISOString(), id: 500_000 } });
      await time('filter: rare person (1 row in 997)', { actorId: 'rare-actor' });
      await time('filter: campaign', { campaignId: campaigns[3] });
      await time('filter: action', { action: 'letter.issue' });
      await time('filter: one file (entity id)', { entityId: 'sheet-4242' });
      await time('filter: one day', { from: '2025-06-01', to: '2025-06-01' });
      await time('filter: person + campaign + date range', {
        actorId: 'actor-3',
        campaignId: campaigns[3],
        from: '2025-03-01',
        to: '2025-04-30',
      });
      s = performance.now();
      const check = checkAuditChain(db);
      row(
        '检查留痕完整性 over the whole trail',
        `${ms(performance.now() - s)} (${check.intact ? 'intact' : 'BROKEN'}, ${check.rows} rows)`,
      );
    } finally {
      t.close();
    }
  },
};
export default part;
