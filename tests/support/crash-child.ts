/**
 * The child of the crash test: scores items of one sheet through the real back end as fast as it
 * can, and prints each change only after the back end confirmed it. The parent kills it with
 * SIGKILL at a random moment and then checks that every printed change is in the database.
 *
 *   node --import tsx tests/support/crash-child.ts <dataDir> <caseId> <seed>
 * Prints `READY <revision>`, then one `OK <revision> <itemId> <answer JSON>` line per confirmed change.
 */
import fs from 'node:fs';
import { createBackend } from '../../electron/services/backend.js';
import { allItems } from '../../shared/standards/model.js';
import { rangeChoices, type Answer } from '../../shared/scoring/scoring.js';
import { client } from './backend.js';
import { PANEL_PASSWORD } from './review-setup.js';
import { RESOURCES_DIR } from './temp.js';

const [dataDir, caseId, seedText] = process.argv.slice(2);
if (!dataDir || !caseId) throw new Error('usage: crash-child <dataDir> <caseId> <seed>');

// A small deterministic generator (mulberry32), so a failing run can be replayed from its seed.
let seed = Number(seedText ?? 1) >>> 0;
const random = (): number => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;

// Synchronous writes: a line is on the pipe before the next change starts.
const say = (line: string): void => void fs.writeSync(1, `${line}\n`);

const backend = createBackend({
  dataDir,
  resourcesDir: RESOURCES_DIR,
  appVersion: '0.0.0-crash',
  log: { info: () => undefined, error: (m) => process.stderr.write(`${m}\n`) },
});
const zhang = client(backend, 'crash-child');
await zhang.call('auth:login', { username: 'zhang', password: PANEL_PASSWORD });
const view = await zhang.call('sheet:start', { caseId });
const items = allItems(view.definition);
let revision = view.sheet.revision;
const comments = new Map<string, string>(Object.entries(view.answers).map(([id, a]) => [id, a.comment ?? '']));
say(`READY ${revision}`);

for (;;) {
  const item = pick(items);
  let answer: Answer | null;
  const roll = random();
  if (roll < 0.1) answer = null;
  else if (roll < 0.35) answer = { status: 'pass' };
  else if (roll < 0.45 && item.notApplicable) answer = { status: 'na', comment: '本案不涉及' };
  else {
    // A deduction whose reason grows a character at a time, like someone typing it.
    const typed = (comments.get(item.id) ?? '') + pick(['卷', '内', '材', '料', '未', '编', '页', '号', '，', '第', '3', '页']);
    comments.set(item.id, typed.length > 60 ? '' : typed);
    answer = { status: 'deduct', comment: typed };
    if (item.rule.kind === 'range') answer.deduction = pick(rangeChoices(item));
    if (item.rule.kind === 'perOccurrence') answer.occurrences = 1 + Math.floor(random() * 5);
  }
  const res = await zhang.call('sheet:answer', { sheetId: view.sheet.id, itemId: item.id, answer, revision });
  revision = res.revision;
  say(`OK ${revision} ${item.id} ${JSON.stringify(answer)}`);
}
