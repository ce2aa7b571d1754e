/**
 * `npm run bench [-- <name> …]`: runs every benchmark part in tests/bench/*.bench.ts (or the named
 * ones). Each part measures its figures AND a baseline in the same run and prints both with the
 * ratio, so a figure means something on whatever machine runs it. Targets are printed, not asserted.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface BenchPart {
  /** Short name, e.g. "import". */
  name: string;
  description: string;
  run(): Promise<void>;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = fs
  .readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort();

for (const file of files) {
  const mod = (await import(pathToFileURL(path.join(here, file)).href)) as { default: BenchPart };
  const part = mod.default;
  if (wanted.length && !wanted.includes(part.name)) continue;
  console.log(`\n━━ ${part.name}: ${part.description}`);
  const started = Date.now();
  await part.run();
  console.log(`━━ ${part.name} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
