/** The cost of the contract layer itself: a read channel through the dispatcher vs the bare query. */
import type { BenchPart } from './index.js';
import { ms, percentile, ratio, row } from './format.js';
import { openTestBackend, setupAdmin } from '../support/backend.js';

const part: BenchPart = {
  name: 'dispatch',
  description: 'campaign:list through the dispatcher (validation + access + output check) vs the bare SQL',
  async run() {
    const t = openTestBackend();
    try {
      const admin = await setupAdmin(t.backend);
      for (let i = 0; i < 20; i++) await admin.call('campaign:create', { name: `活动${i}`, year: 2025, issuingBody: '某县司法局' });
      const N = 2000;
      const viaDispatcher: number[] = [];
      const bare: number[] = [];
      const stmt = t.backend.db.prepare('SELECT * FROM campaigns ORDER BY year DESC');
      for (let i = 0; i < N; i++) {
        let s = performance.now();
        await t.backend.dispatch('campaign:list', {}, admin.clientId);
        viaDispatcher.push(performance.now() - s);
        s = performance.now();
        stmt.all();
        bare.push(performance.now() - s);
      }
      viaDispatcher.sort((a, b) => a - b);
      bare.sort((a, b) => a - b);
      row('campaign:list via dispatcher p50 / p95', `${ms(percentile(viaDispatcher, 50))} / ${ms(percentile(viaDispatcher, 95))}`);
      row('bare SQL (baseline) p50 / p95', `${ms(percentile(bare, 50))} / ${ms(percentile(bare, 95))}`);
      row('ratio p50', ratio(percentile(viaDispatcher, 50), percentile(bare, 50)));
    } finally {
      t.close();
    }
  },
};
export default part;
