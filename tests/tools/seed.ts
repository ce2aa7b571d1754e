/**
 * `npm run seed -- --dir <folder> [--files 20000] [--units 200] [--annotations 200000] [--reviewers 24] [--letters 20]`
 *
 * Builds a province-sized workspace in a data folder to measure the workstation at scale: one
 * campaign (a city aggregating its counties), units, a case list, small real PDFs (one inspected
 * PDF whose stored blob every file shares), two or three reviewers' sheets per file with answers,
 * evidence marks, the ledger rows of every deduction, letters for some units and the audit trail of
 * all of it. The campaign, accounts, assignment, the panel's settlements, ledger and letters go
 * through the real channels; case registration uses the repository functions the bulk import calls
 * (registerCase, addDocument); the reviewers' sheets and marks use the services' own in-transaction
 * steps the channels call (SheetsService.start/answer, ReviewService.submit, AnnotationsService.save:
 * the same checks, audit rows and automatic settlement), a few hundred files per transaction. Each
 * phase prints its time and the channels it called.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { addDocument, registerCase } from '../../electron/services/dossiers/register.js';
import { tx, type Db } from '../../electron/services/core/db/database.js';
import { allItems, isPlaceholder } from '../../shared/standards/tree.js';
import type { CaseType } from '../../shared/campaigns/case-types.js';
import type { Answer } from '../../shared/scoring/answer.js';
import type { AnnotationInput } from '../../shared/annotations/annotation.js';
import { openTestBackend, setupAdmin, stage, ADMIN } from '../support/backend.js';
import type { Actor } from '../../electron/services/core/context.js';
import { bulkPassPlan } from '../../shared/scoring/completion.js';
import { dossierPdf } from '../support/pdf-fixtures.js';
import { SeededStream } from '../../shared/panel/random.js';

export interface SeedOptions {
  dir: string;
  files: number;
  units: number;
  annotations: number;
  reviewers: number;
  letters: number;
  /** Progress lines (stdout by default). */
  say?: (line: string) => void;
}

const COUNTIES = ['城关', '河西', '清溪', '青山', '白沙', '南岭', '东湖', '北塘', '石桥', '柳江'];
const BUREAUS: Array<{ name: string; code: string; type: CaseType }> = [
  { name: '市场监督管理局', code: '市监罚', type: 'penalty_general' },
  { name: '交通运输局', code: '交罚', type: 'penalty_general' },
  { name: '自然资源局', code: '自然资罚', type: 'penalty_general' },
  { name: '生态环境分局', code: '环罚', type: 'penalty_general' },
  { name: '应急管理局', code: '应急罚', type: 'penalty_general' },
  { name: '城市管理综合行政执法局', code: '综执罚', type: 'penalty_general' },
  { name: '卫生健康局', code: '卫健罚', type: 'penalty_simple' },
  { name: '农业农村局', code: '农罚', type: 'penalty_general' },
  { name: '文化广电和旅游局', code: '文旅罚', type: 'penalty_general' },
  { name: '行政审批局', code: '审批许', type: 'license' },
];
const PROBLEMS = [
  '未载明当事人陈述申辩权利',
  '送达回证无受送达人签名',
  '询问笔录未由执法人员签名',
  '证据未注明出处',
  '处罚决定书未载明救济途径',
  '立案审批表无负责人签批',
];

/** 20 units a county in the province's usual naming; more units than that take a numbered district. */
function unitName(i: number): { name: string; code: string; type: CaseType } {
  const bureau = BUREAUS[i % BUREAUS.length]!;
  const county = COUNTIES[Math.floor(i / BUREAUS.length) % COUNTIES.length]!;
  const round = Math.floor(i / (BUREAUS.length * COUNTIES.length));
  const district = `${county}${round ? `第${round + 1}` : ''}`;
  return { ...bureau, code: `${district}${bureau.code}`, name: `${district}区${bureau.name}` };
}

/**
 * Channel calls made inside one open transaction: each call's own transaction nests in it as a
 * savepoint, so a batch costs one commit (one disk flush under synchronous = FULL) instead of one a call.
 */
async function together(db: Db, fn: () => Promise<void>): Promise<void> {
  db.exec('BEGIN IMMEDIATE');
  try {
    await fn();
    db.exec('COMMIT');
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw err;
  }
}

export async function seedWorkspace(
  o: SeedOptions,
): Promise<{ campaignId: string; cases: number; sheets: number; annotations: number; ledgerRows: number }> {
  const say = o.say ?? ((l: string) => console.log(l));
  fs.mkdirSync(o.dir, { recursive: true });
  const t = openTestBackend(o.dir);
  const { backend } = t;
  const db = backend.db;
  // A generated workspace is read back whole many times over (sheets, marks, summaries): a page cache
  // of the tool's own, larger than the app's default, keeps it from re-reading the file from disk.
  db.pragma('cache_size = -262144');
  const spent = new Map<string, { n: number; ms: number }>();
  const orig = backend.dispatch.bind(backend);
  backend.dispatch = (async (ch: string, input: unknown, id: string) => {
    const t0 = performance.now();
    try {
      return await orig(ch as never, input, id);
    } finally {
      const e = spent.get(ch) ?? { n: 0, ms: 0 };
      e.n++;
      e.ms += performance.now() - t0;
      spent.set(ch, e);
    }
  }) as typeof backend.dispatch;
  const stream = new SeededStream('seed-workspace');
  const random = () => stream.below(1_000_000) / 1_000_000;
  const phase = (() => {
    let last = performance.now();
    return (label: string) => {
      const now = performance.now();
      say(`  ${label.padEnd(44)} ${((now - last) / 1000).toFixed(1).padStart(7)} s`);
      for (const [ch, e] of spent)
        say(`      ${ch.padEnd(24)} ${String(e.n).padStart(7)} calls ${(e.ms / e.n).toFixed(2).padStart(8)} ms each`);
      spent.clear();
      last = now;
    };
  })();
  try {
    const admin = await setupAdmin(backend, 'seed-admin');
    const { id: campaignId } = await admin.call('campaign:create', {
      name: '2025年度全市行政执法案卷评查',
      year: 2025,
      issuingBody: '某某市司法局',
    });
    const rules = await admin.call('review:rules', { campaignId });
    await admin.call('review:setRules', { campaignId, rules: { ...rules, requiredSheets: 2 } });
    // Accounts are made through the channel (scrypt hashes each password on the thread pool, so they
    // are made side by side); the reviewers' work below goes through the services, needing no login.
    const reviewers: Actor[] = await Promise.all(
      Array.from({ length: o.reviewers }, async (_, i) => {
        const username = `pc${String(i + 1).padStart(3, '0')}`;
        const displayName = `评查员${i + 1}`;
        const user = await admin.call('user:create', {
          username,
          displayName,
          role: 'reviewer',
          affiliation: '某某市司法局',
          password: ADMIN.password,
        });
        return { id: user.id, username, displayName, role: 'reviewer' as const };
      }),
    );
    await admin.call('panel:setMembers', { campaignId, userIds: reviewers.map((r) => r.id) });
    phase(`campaign, ${o.reviewers} reviewers (passwords hashed)`);

    // One real PDF, inspected by the real single import; every other file stores the same bytes.
    const pdf = await dossierPdf(6, '行政处罚案卷');
    const sourceId = await stage(backend, admin, '01-行政处罚决定书.pdf', pdf);
    const first = unitName(0);
    const firstCase = await admin.call('dossier:importSingle', {
      campaignId,
      sourceId,
      caseNumber: `${first.code}〔2025〕1号`,
      caseTitle: '某某商贸有限公司销售过期食品案',
      unitName: first.name,
      caseType: first.type,
    });
    const doc = firstCase.documents[0]!;
    const actor = {
      id: (db.prepare('SELECT id FROM users WHERE username = ?').get(ADMIN.username) as { id: string }).id,
      role: 'organiser' as const,
      username: ADMIN.username,
      displayName: ADMIN.displayName,
    };
    const perUnit = Math.ceil(o.files / o.units);
    let registered = 1;
    const CHUNK = 1000;
    while (registered < o.files) {
      tx(db, () => {
        for (let k = 0; k < CHUNK && registered < o.files; k++, registered++) {
          const u = Math.floor(registered / perUnit);
          const unit = unitName(u);
          const serial = (registered % perUnit) + 1;
          const { id } = registerCase(db, actor, campaignId, {
            caseNumber: `${unit.code}〔2025〕${serial}号`,
            caseType: unit.type,
            unitName: unit.name,
            unitMatch: 'exact',
            title: `${['某某', '城南', '新港', '宏达'][serial % 4]}${['商贸有限公司', '餐饮店', '建材经营部', '运输有限公司'][u % 4]}${PROBLEMS[serial % PROBLEMS.length]!.slice(0, 4)}案`,
            party: `当事人${serial}`,
            cause: '违反行政管理秩序',
            filedOn: `2025-${String((serial % 12) + 1).padStart(2, '0')}-10`,
            penaltyAmount: 1000 * ((serial % 20) + 1),
          });
          addDocument(db, actor, campaignId, id, {
            fileName: doc.fileName,
            sha256: doc.sha256,
            size: doc.size,
            pageCount: doc.pageCount,
            hasText: doc.hasText,
            metadata: {},
          });
        }
      });
    }
    phase(`${o.files} cases in ${o.units} units (shared PDF)`);

    // Two or three reviewers a file, as the random assignment staffs it.
    const perFile = Math.min(3, o.reviewers);
    const preview = await admin.call('assignment:preview', { campaignId, perFile, requireLegal: false });
    await admin.call('assignment:apply', { campaignId, perFile, requireLegal: false, seed: preview.seed, digest: preview.digest });
    phase(`assignments (${perFile} a file)`);

    // Sheets: every assigned reviewer of most files scores; a third of the files keep their third sheet
    // unstarted (two delivered sheets settle them), a few are still being scored. Written through the
    // services' own in-transaction steps (start, answer, submit: the checks, the audit rows and the
    // automatic settlement of agreeing files the channels run), one transaction per few hundred
    // files: a commit per call (a disk flush each) and the sheet's score recomputed after every
    // answer are what made 50,000 sheets through the channels take hours.
    const rows = db
      .prepare('SELECT a.case_id, a.reviewer_id FROM assignments a WHERE a.campaign_id = ? ORDER BY a.case_id, a.reviewer_id')
      .all(campaignId) as Array<{ case_id: string; reviewer_id: string }>;
    const { sheets: sheetService, review, annotations: annotationService } = backend.services;
    const byId = new Map(reviewers.map((r) => [r.id, r]));
    let sheets = 0;
    let nth = 0;
    let lastCase = '';
    const deductItems = new Map<string, Array<{ id: string; answer: Answer }>>();
    const SHEET_BATCH = 600;
    for (let from = 0; from < rows.length; from += SHEET_BATCH) {
      tx(db, () => {
        for (const r of rows.slice(from, from + SHEET_BATCH)) {
          nth = r.case_id === lastCase ? nth + 1 : 0;
          lastCase = r.case_id;
          const roll = random();
          if (nth === 2 && roll < 0.33) continue;
          const sheet = sheetService.start(r.case_id, r.reviewer_id);
          const def = sheetService.definition(sheet.standard_version_id);
          let items = deductItems.get(sheet.standard_version_id);
          if (!items) {
            items = allItems(def)
              .filter((i) => i.points !== null && i.rule.kind !== 'veto' && !isPlaceholder(i))
              .map((i) => ({
                id: i.id,
                answer: (i.rule.kind === 'perOccurrence'
                  ? { status: 'deduct', occurrences: 1 }
                  : i.rule.kind === 'range'
                    ? { status: 'deduct', deduction: i.rule.min }
                    : { status: 'deduct' }) as Answer,
              }));
            deductItems.set(sheet.standard_version_id, items);
          }
          let revision = sheet.revision;
          // Reviewers mostly agree (the same first problem), sometimes not.
          const picks = [
            items[Math.floor(roll * 3) % items.length]!,
            ...(roll > 0.7 ? [items[Math.floor(roll * 97) % items.length]!] : []),
          ];
          for (const p of picks)
            revision = sheetService.answer(
              sheet.id,
              p.id,
              { ...p.answer, comment: PROBLEMS[Math.floor(roll * 60) % PROBLEMS.length]! },
              revision,
              r.reviewer_id,
            ).revision;
          if (roll < 0.95) {
            // Veto and 不适用 items are decided one by one, as the sheet asks; the plain rest is passed in one step.
            for (const itemId of bulkPassPlan(def, sheetService.answers(sheet.id)).decide)
              revision = sheetService.answer(sheet.id, itemId, { status: 'pass' }, revision, r.reviewer_id).revision;
            review.submit(sheet.id, revision, true, r.reviewer_id);
          }
          sheets++;
        }
      });
      if (Math.floor((from + SHEET_BATCH) / 10_000) > Math.floor(from / 10_000)) say(`    … ${sheets} sheets`);
    }
    phase(`${sheets} sheets with answers`);

    // 合议: the panel settles every other file whose delivered sheets differ, taking the first answer
    // given for each item in dispute; the rest stay 待合议 (routed to 确认, 复核 or 集体评议).
    await admin.call('review:board', { campaignId }); // brings the stored results up to date
    const flagged = db
      .prepare("SELECT case_id FROM case_summaries WHERE campaign_id = ? AND state = 'flagged' AND delivered >= 2 ORDER BY case_id")
      .pluck()
      .all(campaignId) as string[];
    // Through the channels as the lead settles them, a few hundred files per open transaction (each
    // call's own transaction nests in it), so the disk is flushed once per batch, not per answer.
    let settled = 0;
    const toSettle = flagged.filter((_, i) => i % 2 === 0);
    for (let from = 0; from < toSettle.length; from += 200) {
      await together(db, async () => {
        for (const caseId of toSettle.slice(from, from + 200)) {
          const open = await admin.call('reconcile:open', { caseId });
          let revision = open.review.revision;
          for (const itemId of open.proposal.undecided) {
            const answer = open.sheets.map((s) => s.answers[itemId]).find((a) => a) ?? { status: 'pass' as const };
            revision = (await admin.call('reconcile:answer', { caseId, itemId, answer, note: '合议确定', revision })).revision;
          }
          await admin.call('reconcile:finalise', { caseId, note: '评查组合议定分', revision });
          settled++;
        }
      });
    }
    phase(`${settled} files settled by the panel`);

    // Evidence marks: spread over the files, a hundred on some; saved by the service's own step (shape
    // checks, audit row per mark), a few thousand files' marks per transaction.
    let marks = 0;
    const docs = db
      .prepare(
        `SELECT d.id, a.reviewer_id FROM documents d JOIN assignments a ON a.case_id = d.case_id WHERE a.campaign_id = ? ORDER BY d.id, a.reviewer_id`,
      )
      .all(campaignId) as Array<{ id: string; reviewer_id: string }>;
    // Every 50th file's reviewer marks it a hundred times; the rest share what is left, the first
    // few one more each, so the total is exactly what was asked.
    const heavy = Math.ceil(docs.length / 50);
    const light = Math.max(1, docs.length - heavy);
    const left = Math.max(0, o.annotations - heavy * 100);
    const base = Math.max(1, Math.floor(left / light));
    let extra = Math.max(0, left - base * light);
    const MARK_BATCH = 20_000;
    let i = 0;
    while (i < docs.length && marks < o.annotations) {
      const before = marks;
      tx(db, () => {
        for (; i < docs.length && marks < o.annotations && marks - before < MARK_BATCH; i++) {
          const d = docs[i]!;
          const want = Math.min(o.annotations - marks, i % 50 === 0 ? 100 : base + (extra-- > 0 ? 1 : 0));
          const upserts: AnnotationInput[] = [];
          for (let k = 0; k < want; k++) {
            upserts.push({
              id: crypto.randomUUID(),
              type: k % 3 === 0 ? 'highlight' : 'area',
              color: '#ff6666',
              pageIndex: k % doc.pageCount,
              position: { rects: [[72, 600 - (k % 20) * 20, 300, 615 - (k % 20) * 20]] },
              comment: PROBLEMS[k % PROBLEMS.length]!,
            });
          }
          annotationService.save(byId.get(d.reviewer_id)!, d.id, upserts, []);
          marks += upserts.length;
        }
      });
      if (Math.floor(marks / 200_000) > Math.floor(before / 200_000)) say(`    … ${marks} marks`);
    }
    phase(`${marks} annotations`);

    const ledger = await admin.call('ledger:sync', { campaignId });
    const ledgerRows = (db.prepare('SELECT count(*) AS n FROM ledger_items WHERE campaign_id = ?').get(campaignId) as { n: number }).n;
    phase(`ledger rows (${ledgerRows}; ${JSON.stringify(ledger).slice(0, 60)})`);

    const units = await admin.call('unit:list', { campaignId });
    let letters = 0;
    for (const unit of units.slice(0, o.letters)) {
      await admin.call('letter:export', { campaignId, kind: 'opinion', unitId: unit.id, includeProvisional: true }).then(
        () => letters++,
        (err: unknown) => say(`    letter for ${unit.name} not made: ${(err as Error).message}`),
      );
    }
    phase(`${letters} letters`);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.exec('ANALYZE');
    phase('checkpoint and ANALYZE');
    return { campaignId, cases: registered, sheets, annotations: marks, ledgerRows };
  } finally {
    backend.close();
  }
}

if (process.argv[1] && /seed\.ts$/.test(process.argv[1])) {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string' },
      files: { type: 'string', default: '20000' },
      units: { type: 'string', default: '200' },
      annotations: { type: 'string', default: '200000' },
      reviewers: { type: 'string', default: '24' },
      letters: { type: 'string', default: '20' },
    },
  });
  if (!values.dir) {
    console.error(
      '用法：npm run seed -- --dir <数据目录> [--files 20000] [--units 200] [--annotations 200000] [--reviewers 24] [--letters 20]',
    );
    process.exit(2);
  }
  const started = performance.now();
  const out = await seedWorkspace({
    dir: values.dir,
    files: Number(values.files),
    units: Number(values.units),
    annotations: Number(values.annotations),
    reviewers: Number(values.reviewers),
    letters: Number(values.letters),
  });
  console.log(`seeded ${values.dir}: ${JSON.stringify(out)} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}
