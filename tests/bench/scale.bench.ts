/**
 * Province scale: a workspace of thousands of files (SCALE_DIR=<folder made by `npm run seed`>, else
 * a 1,000-file workspace seeded here) opened as the app opens it. Each question a screen asks is
 * timed through the real dispatcher (validation, access rules, output check) and, as the baseline in
 * the same run, as bare SQL on the same database answering the same question; start-up to the first
 * screen's data, the back end's memory and the database size per 1,000 files are printed too.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BenchPart } from './index.js';
import { mb, ms, percentile, ratio, row } from './format.js';
import { ADMIN, client, openTestBackend } from '../support/backend.js';
import { tempDir } from '../support/temp.js';
import { seedWorkspace } from '../tools/seed.js';
import { casePageSql } from '../../electron/services/dossiers/repo.js';
import { ledgerPageSql } from '../../electron/services/ledger/repo.js';
import { boardPageSql } from '../../electron/services/panel/repo.js';
import { STATISTICS_SQL } from '../../electron/services/letters/repo.js';
import type { BoardFilter } from '../../shared/panel/views.js';
import type { LedgerFilter } from '../../shared/ledger/ledger.js';
import type { Channel, ChannelInput } from '../../shared/contract/index.js';
import { measureScreens } from './scale-screens.js';

const RUNS = Number(process.env.SCALE_RUNS ?? 20);

async function timed(runs: number, f: () => unknown, before?: () => unknown): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    before?.();
    const s = performance.now();
    await f();
    out.push(performance.now() - s);
  }
  return out.sort((a, b) => a - b);
}

const part: BenchPart = {
  name: 'scale',
  description:
    'a province-sized workspace: each list and statistic through the dispatcher vs bare SQL (p95, target ≤ 50 ms), start-up, memory, size',
  async run() {
    let dir = process.env.SCALE_DIR;
    let cleanup = () => undefined as void;
    if (!dir) {
      const t = tempDir('pingcha-scale-');
      dir = t.dir;
      cleanup = t.cleanup;
      console.log(
        '  (no SCALE_DIR: seeding 1,000 files here; `npm run seed -- --dir <folder> --files 20000` then SCALE_DIR=<folder> for the province figures)',
      );
      await seedWorkspace({ dir, files: 1000, units: 20, annotations: 20000, reviewers: 6, letters: 2, say: () => undefined });
    }
    try {
      // Start-up: open the workspace (migrations, services), log in, and read what the first screen shows.
      const started = performance.now();
      const t = openTestBackend(dir);
      const opened = performance.now();
      const admin = client(t.backend, 'bench-admin');
      await admin.call('auth:login', { username: ADMIN.username, password: ADMIN.password });
      const loggedIn = performance.now();
      const campaigns = await admin.call('campaign:list', {});
      const campaignId = campaigns[0]!.id;
      await admin.call('campaign:get', { campaignId });
      const first = await admin.call('case:page', { campaignId, limit: 100 });
      const firstScreen = performance.now();
      row('start-up: open workspace', ms(opened - started));
      row(
        'start-up: first screen data (after login)',
        ms(firstScreen - loggedIn),
        `${first.total} files; login itself ${ms(loggedIn - opened)} (scrypt, and whatever background job holds the back end)`,
      );

      const db = t.backend.db;
      const files = (db.prepare('SELECT count(*) AS n FROM cases WHERE campaign_id = ?').get(campaignId) as { n: number }).n;
      const counts = db
        .prepare(
          `SELECT (SELECT count(*) FROM sheets) AS sheets, (SELECT count(*) FROM sheet_answers) AS answers, (SELECT count(*) FROM annotations) AS marks,
        (SELECT count(*) FROM ledger_items) AS ledger, (SELECT count(*) FROM audit_log) AS audit`,
        )
        .get() as Record<string, number>;
      row(
        'workspace',
        `${files} files`,
        Object.entries(counts)
          .map(([k, v]) => `${k} ${v}`)
          .join(', '),
      );

      const unit = db.prepare('SELECT id FROM units WHERE campaign_id = ? LIMIT 1 OFFSET 3').get(campaignId) as { id: string };
      const reviewer = db.prepare("SELECT id FROM users WHERE role = 'reviewer' LIMIT 1").get() as { id: string };
      const heavyDoc = db
        .prepare('SELECT document_id AS id, count(*) AS n FROM annotations GROUP BY document_id ORDER BY n DESC LIMIT 1')
        .get() as { id: string; n: number } | undefined;
      const heavyCase = heavyDoc
        ? (db.prepare('SELECT case_id AS id FROM documents WHERE id = ?').get(heavyDoc.id) as { id: string })
        : null;

      // The first page, its total and the count of each stage beside the filter, as the channel answers
      // them (without the figures it keeps until the next change).
      const pageBare = (filter: Record<string, string>, sort: 'caseNumber' | 'unit' = 'caseNumber') => {
        const sql = casePageSql({ filter, sort });
        const stmt = db.prepare(sql.page);
        const states = db.prepare(sql.stateCounts);
        const count = sql.statesCountAll ? null : db.prepare(sql.count);
        const params: Record<string, unknown> = { campaignId, limit: 101, ...filter };
        const countParams: Record<string, unknown> = { campaignId, ...filter };
        return () => [stmt.all(params), states.all(countParams), count?.get(countParams)];
      };
      // The ledger's first page with a filter, against the same page and counts as bare SQL (no
      // mapping, evidence or validation). A deadline a month back (set through the dispatcher) makes a third of the rows overdue.
      const ledgerUnit = (
        db
          .prepare('SELECT c.unit_id AS id FROM ledger_items li JOIN cases c ON c.id = li.case_id WHERE li.campaign_id = ? LIMIT 1')
          .get(campaignId) as { id: string } | undefined
      )?.id;
      const due = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
      const third = db.prepare('SELECT id, revision FROM ledger_items WHERE campaign_id = ? AND serial % 3 = 0').all(campaignId) as Array<{
        id: string;
        revision: number;
      }>;
      for (const r of third) await admin.call('ledger:update', { rowId: r.id, patch: { deadline: due }, revision: r.revision });
      const ledgerBare = (filter: LedgerFilter) => {
        const today = new Date().toISOString().slice(0, 10);
        const sql = ledgerPageSql({ campaignId, filter, sort: 'serial', today, after: null, limit: 51 });
        const page = db.prepare(sql.page);
        const counts = db.prepare(sql.counts);
        return () => [page.all(sql.params), counts.all(sql.countParams)];
      };
      // The board's page, its counts and the organiser's own workload, as bare statements.
      const boardBare = (filter: BoardFilter, drive: 'cases' | 'summaries' = 'cases') => {
        const sql = boardPageSql({ filter, role: 'organiser', after: false, visible: false, drive });
        const statements = [sql.page, sql.count, sql.counts, sql.mine].map((q) => db.prepare(q));
        const params = { campaignId, actor: reviewer.id, limit: 201, ...filter };
        return () => statements.map((q) => q.all(params));
      };
      // The statistics' grouped rows, as bare statements.
      const statisticsGrouped = [STATISTICS_SQL.casesPerUnit, STATISTICS_SQL.countedProblems].map((q) => db.prepare(q));
      const statisticsGroups = db.prepare(STATISTICS_SQL.scoredGroups);
      const statisticsBare = () => [...statisticsGrouped.map((q) => q.all(campaignId)), statisticsGroups.all({ campaignId, draw: null })];
      const questions: Array<{ label: string; channel: Channel; input: unknown; bare: () => unknown; before?: () => unknown }> = [
        { label: 'case list first page', channel: 'case:page', input: { campaignId }, bare: pageBare({}) },
        { label: 'case list by unit', channel: 'case:page', input: { campaignId, sort: 'unit' }, bare: pageBare({}, 'unit') },
        {
          label: 'case list filter unit',
          channel: 'case:page',
          input: { campaignId, filter: { unitId: unit.id } },
          bare: pageBare({ unitId: unit.id }),
        },
        {
          label: 'case list filter type',
          channel: 'case:page',
          input: { campaignId, filter: { caseType: 'license' } },
          bare: pageBare({ caseType: 'license' }),
        },
        {
          label: 'case list filter state 待合议',
          channel: 'case:page',
          input: { campaignId, filter: { state: 'flagged' } },
          bare: pageBare({ state: 'flagged' }),
        },
        {
          label: 'case list filter reviewer',
          channel: 'case:page',
          input: { campaignId, filter: { reviewerId: reviewer.id } },
          bare: pageBare({ reviewerId: reviewer.id }),
        },
        {
          label: 'case list search text (campaign search)',
          channel: 'case:page',
          input: { campaignId, filter: { text: '餐饮' } },
          bare: pageBare({ text: '餐饮' }),
        },
        {
          label: 'results board first page',
          channel: 'review:board',
          input: { campaignId },
          bare: boardBare({}),
        },
        {
          label: 'results board filter 待合议',
          channel: 'review:board',
          input: { campaignId, filter: { state: 'flagged' } },
          bare: boardBare({ state: 'flagged' }, 'summaries'),
        },
        {
          label: 'statistics (units, grades, problems)',
          channel: 'stats:campaign',
          input: { campaignId },
          bare: statisticsBare,
        },
        {
          // Any write makes the statistics be computed again: the first visit after a change.
          label: 'statistics, first visit after a change',
          channel: 'stats:campaign',
          input: { campaignId },
          before: () => db.prepare('UPDATE campaigns SET name = name WHERE id = ?').run(campaignId),
          bare: statisticsBare,
        },
        {
          label: 'agreement statistics',
          channel: 'review:agreement',
          input: { campaignId },
          bare: () =>
            db
              .prepare(
                `SELECT s.case_id, s.reviewer_id, a.item_id, a.answer_json FROM cases c JOIN sheets s ON s.case_id = c.id JOIN sheet_answers a ON a.sheet_id = s.id
                 WHERE c.campaign_id = ? AND s.status IN ('submitted','final')`,
              )
              .all(campaignId),
        },
        {
          label: 'ledger first page',
          channel: 'ledger:list',
          input: { campaignId, limit: 50 },
          bare: ledgerBare({}),
        },
        {
          label: 'ledger filter 逾期 + unit',
          channel: 'ledger:list',
          input: { campaignId, filter: { overdue: true, unitId: ledgerUnit }, limit: 50 },
          bare: ledgerBare({ overdue: true, unitId: ledgerUnit }),
        },
        {
          label: 'ledger filter state 待整改',
          channel: 'ledger:list',
          input: { campaignId, filter: { state: 'pending' }, limit: 50 },
          bare: ledgerBare({ state: 'pending' }),
        },
        {
          label: 'ledger search text',
          channel: 'ledger:list',
          input: { campaignId, filter: { text: '送达回证' }, limit: 50 },
          bare: ledgerBare({ text: '送达回证' }),
        },
      ];
      if (heavyCase && heavyDoc)
        questions.push({
          label: `a file's marks (${heavyDoc.n})`,
          channel: 'annotation:listCase',
          input: { caseId: heavyCase.id },
          bare: () =>
            db
              .prepare(
                'SELECT a.* FROM annotations a JOIN documents d ON d.id = a.document_id WHERE d.case_id = ? AND a.deleted_at IS NULL ORDER BY a.sort_key',
              )
              .all(heavyCase.id),
        });

      console.log(`  ${'question'.padEnd(42)} ${'dispatcher p50 / p95'.padStart(22)}   ${'bare SQL p95'.padStart(12)}   ratio p95`);
      for (const q of questions) {
        const runs =
          q.channel === 'case:page' || q.channel === 'annotation:listCase' || q.channel === 'ledger:list'
            ? RUNS * 2
            : Math.max(3, Math.floor(RUNS / 4));
        const via = await timed(runs, () => admin.call(q.channel, q.input as ChannelInput<typeof q.channel>), q.before);
        const bare = await timed(runs, q.bare);
        const p95 = percentile(via, 95);
        console.log(
          `  ${q.label.padEnd(42)} ${`${ms(percentile(via, 50))} / ${ms(p95)}`.padStart(22)}   ${ms(percentile(bare, 95)).padStart(12)}   ${ratio(p95, percentile(bare, 95)).padStart(8)}  ${p95 <= 50 ? 'ok' : 'over 50 ms'}`,
        );
      }

      // Walking the whole list page by page, as scrolling the windowed list does.
      const walk = performance.now();
      let after: string | null = null;
      let pages = 0;
      do {
        const page: { next: string | null } = await admin.call('case:page', { campaignId, limit: 200, ...(after ? { after } : {}) });
        after = page.next;
        pages++;
      } while (after);
      row(
        'whole list page by page (200 a page)',
        ms(performance.now() - walk),
        `${pages} pages, ${ms((performance.now() - walk) / pages)} a page`,
      );

      global.gc?.();
      row('bench process RSS after every question', mb(process.memoryUsage().rss), 'tsx, the sources and the bench’s own data included');
      const campaignName = campaigns[0]!.name;
      t.backend.close();
      // The back end as the app runs it (built, in a process of its own) asked the same questions.
      if (fs.existsSync(path.join(process.cwd(), 'build', 'electron', 'services', 'backend.js'))) {
        const questionsFile = path.join(os.tmpdir(), `pingcha-bench-questions-${process.pid}.json`);
        const asked = questions.map((q) => [q.channel, q.input]);
        fs.writeFileSync(questionsFile, JSON.stringify({ ...ADMIN, campaignId, questions: asked, runs: 5 }));
        const out = execFileSync(
          process.execPath,
          ['--expose-gc', path.join('tests', 'bench', 'scale-memory-child.mjs'), dir, questionsFile],
          {
            encoding: 'utf8',
            maxBuffer: 1 << 20,
          },
        );
        fs.rmSync(questionsFile, { force: true });
        type Usage = { rss: number; heapUsed: number; heapTotal: number; threads: number };
        const m = JSON.parse(out.trim().split('\n').at(-1)!) as { started: Usage; asked: Usage; peak: number; collected: Usage };
        const heap = (u: Usage) => `JS heap ${mb(u.heapUsed)} of ${mb(u.heapTotal)}, ${u.threads} OS threads`;
        row('back-end RSS (built) after start-up', mb(m.started.rss), heap(m.started));
        row(
          'back-end RSS (built) after every question',
          mb(m.asked.rss),
          `${heap(m.asked)}; target ≤ 400 MB → ${m.asked.rss <= 400 * 1024 ** 2 ? 'met' : 'NOT met'}`,
        );
        row('back-end peak RSS (built)', mb(m.peak), 'the kernel’s high-water mark over the whole run');
        row('back-end RSS (built) after a forced GC', mb(m.collected.rss), heap(m.collected));
      } else console.log('  (built back end not measured: run `npm run build` first)');
      const size = ['pingcha.db', 'pingcha.db-wal']
        .map((f) => path.join(t.backend.layout.root, f))
        .filter((f) => fs.existsSync(f))
        .reduce((a, f) => a + fs.statSync(f).size, 0);
      row('database size', mb(size), `${mb((size / Math.max(1, files)) * 1000)} per 1,000 files`);
      // The screens, in Chromium through the loopback host, on the same workspace.
      if (fs.existsSync(path.join(process.cwd(), 'build', 'renderer', 'index.html'))) await measureScreens(dir, campaignName);
      else console.log('  (screens skipped: run `npm run build` first)');
    } finally {
      cleanup();
    }
  },
};
export default part;
