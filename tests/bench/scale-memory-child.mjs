/**
 * The back end's memory on a province-sized workspace, measured on the BUILT back end (what the app
 * runs) in a process of its own: the bench process also holds tsx, its own statements and timings.
 *
 *   node --expose-gc tests/bench/scale-memory-child.mjs <workspace> <questions.json>
 *
 * Opens the workspace, logs in as the organiser, asks each question (channel and input) a few times,
 * walks the whole case list page by page, and prints one JSON line with the RSS after start-up, after
 * the questions, its peak, and the same after a forced GC, each with the JS heap beside it.
 */
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [dir, questionsFile] = process.argv.slice(2);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { createBackend } = await import(pathToFileURL(path.join(root, 'build', 'electron', 'services', 'backend.js')).href);

const status = () => fs.readFileSync('/proc/self/status', 'utf8');
const kb = (key) => Number(status().match(new RegExp(`${key}:\\s+(\\d+)`))?.[1] ?? 0) * 1024;
const usage = () => {
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, threads: Number(status().match(/Threads:\s+(\d+)/)?.[1] ?? 0) };
};

const backend = createBackend({
  dataDir: dir,
  resourcesDir: path.join(root, 'resources'),
  appVersion: '0.0.0-bench',
  log: { info: () => undefined, error: (m) => process.stderr.write(`[backend] ${m}\n`) },
});
const call = async (channel, input) => {
  const r = await backend.dispatch(channel, input, 'bench-memory');
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value;
};
const { username, password, campaignId, questions, runs } = JSON.parse(fs.readFileSync(questionsFile, 'utf8'));
await call('auth:login', { username, password });
await call('campaign:list', {});
await call('campaign:get', { campaignId });
await call('case:page', { campaignId, limit: 100 });
const started = usage();
for (const [channel, input] of questions) for (let i = 0; i < runs; i++) await call(channel, input);
let after = null;
do after = (await call('case:page', { campaignId, limit: 200, ...(after ? { after } : {}) })).next;
while (after);
const asked = usage();
const peak = kb('VmHWM');
globalThis.gc?.();
const collected = usage();
backend.close();
process.stdout.write(`${JSON.stringify({ started, asked, peak, collected })}\n`);
