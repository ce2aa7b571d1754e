/**
 * Nothing confirmed is lost: a child process scores items through the real back end and is killed
 * with SIGKILL at random moments, many times over the same workspace. After every kill the database
 * passes `PRAGMA integrity_check`; at the end every change the child confirmed is in the database,
 * in order, with its audit row, and the stored answers are exactly what the audit trail says.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestBackend, type TestBackend } from '../support/backend.js';
import { importCase, setupPanel } from '../support/review-setup.js';
import { REPO_ROOT, tempDir } from '../support/temp.js';

const ITERATIONS = Number(process.env.CRASH_ITERATIONS ?? 30);
const CHILD = path.join(REPO_ROOT, 'tests', 'support', 'crash-child.ts');

const work = tempDir('pingcha-crash-');
let caseId: string;
let sheetId: string;

beforeAll(async () => {
  const t: TestBackend = openTestBackend(work.dir);
  const panel = await setupPanel(t.backend);
  caseId = await importCase(t.backend, panel, '某许〔2025〕99号', 'license', ['zhang']);
  sheetId = (await panel.users.zhang!.client.call('sheet:start', { caseId })).sheet.id;
  t.close();
});
afterAll(() => work.cleanup());

interface Confirmed {
  revision: number;
  itemId: string;
  answer: unknown;
}

/** Runs the child until a random moment, kills it with SIGKILL, and returns what it confirmed. */
function runAndKill(
  seed: number,
  killAfterReadyMs: number | null,
  killAfterSpawnMs: number,
): Promise<{ ready: boolean; confirmed: Confirmed[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, work.dir, caseId, String(seed)], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let stderr = '';
    let ready = false;
    const kill = (): void => void child.kill('SIGKILL');
    const timers: NodeJS.Timeout[] = [];
    if (killAfterReadyMs === null) timers.push(setTimeout(kill, killAfterSpawnMs));
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (!ready && out.includes('READY')) {
        ready = true;
        if (killAfterReadyMs !== null) timers.push(setTimeout(kill, killAfterReadyMs));
      }
    });
    child.stderr.on('data', (c) => (stderr += String(c)));
    timers.push(setTimeout(() => reject(new Error(`child did not start in time: ${stderr}`)), 60_000));
    child.on('exit', (code, signal) => {
      timers.forEach(clearTimeout);
      if (signal !== 'SIGKILL') return reject(new Error(`child exited by itself (code ${code}): ${stderr}`));
      // Only complete lines count: a line cut by the kill was never confirmed to anyone.
      const lines = out.split('\n').slice(0, -1);
      const confirmed = lines
        .filter((l) => l.startsWith('OK '))
        .map((l) => {
          const [, rev, itemId, ...json] = l.split(' ');
          return { revision: Number(rev), itemId: itemId!, answer: JSON.parse(json.join(' ')) };
        });
      resolve({ ready, confirmed, stderr });
    });
  });
}

function integrity(): string {
  const db = new Database(path.join(work.dir, 'pingcha.db'));
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

describe('crash safety of scoring', () => {
  it(`keeps every confirmed change through ${ITERATIONS} SIGKILLs`, async () => {
    const confirmed: Confirmed[] = [];
    let killedWhileScoring = 0;
    for (let i = 0; i < ITERATIONS; i++) {
      // Most kills land while changes stream in; one in six lands during start-up.
      const duringStartup = i % 6 === 5;
      const run = await runAndKill(1000 + i, duringStartup ? null : Math.floor(Math.random() * 400), Math.floor(Math.random() * 1500));
      if (run.confirmed.length) killedWhileScoring++;
      confirmed.push(...run.confirmed);
      expect(integrity(), `integrity after kill ${i + 1}`).toBe('ok');
    }
    expect(killedWhileScoring).toBeGreaterThan(ITERATIONS / 2);
    expect(confirmed.length).toBeGreaterThan(ITERATIONS * 5);

    const db = new Database(path.join(work.dir, 'pingcha.db'), { readonly: true });
    try {
      const sheet = db.prepare('SELECT revision FROM sheets WHERE id = ?').get(sheetId) as { revision: number };
      const audit = (
        db.prepare("SELECT after_json FROM audit_log WHERE action = 'sheet.answer' AND entity_id = ? ORDER BY id").all(sheetId) as Array<{
          after_json: string;
        }>
      ).map((r) => JSON.parse(r.after_json) as { itemId: string; answer: unknown });
      // Each committed change bumped the revision once and wrote one audit row, never half of it.
      expect(sheet.revision).toBe(audit.length);
      // Every confirmed change is there, at the revision the back end confirmed.
      for (const c of confirmed) expect(audit[c.revision - 1], `revision ${c.revision}`).toEqual({ itemId: c.itemId, answer: c.answer });
      // The stored answers are the last change of each item, as the audit trail says.
      const last = new Map<string, unknown>();
      for (const a of audit) last.set(a.itemId, a.answer);
      const stored = new Map(
        (
          db.prepare('SELECT item_id, answer_json FROM sheet_answers WHERE sheet_id = ?').all(sheetId) as Array<{
            item_id: string;
            answer_json: string;
          }>
        ).map((r) => [r.item_id, JSON.parse(r.answer_json)]),
      );
      for (const [itemId, answer] of last) expect(stored.get(itemId) ?? null, itemId).toEqual(answer);
      expect(stored.size).toBe([...last.values()].filter((a) => a !== null).length);
      console.log(
        `crash test: ${ITERATIONS} kills (${killedWhileScoring} while scoring), ${confirmed.length} confirmed changes checked, ${audit.length} committed`,
      );
    } finally {
      db.close();
    }
  }, 600_000);
});
