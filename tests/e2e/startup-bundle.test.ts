/**
 * What the built renderer evaluates before the first screen (index.html's entry and the chunks it
 * preloads): the app and pdf.js, and no zod. The shared modules keep their schemas apart from the
 * labels and logic the screens use, so start-up constructs none; an import of a schema module from a
 * start-up screen would bring them all back, slowing every start (the reader's first page above all).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/temp.js';

const built = path.join(REPO_ROOT, 'build', 'renderer');

function startupChunks(): string[] {
  const html = fs.readFileSync(path.join(built, 'index.html'), 'utf8');
  const entry = [...html.matchAll(/<script type="module"[^>]* src="\/([^"]+\.js)"/g)].map((m) => m[1]!);
  const preloaded = [...html.matchAll(/<link rel="modulepreload"[^>]* href="\/([^"]+\.js)"/g)].map((m) => m[1]!);
  return [...entry, ...preloaded];
}

function sourcesOf(chunk: string): string[] {
  const map = path.join(built, `${chunk}.map`);
  // The bundler's own module-loading runtime is the one chunk without a source map (it has no source).
  if (!fs.existsSync(map) && /\/rolldown-runtime-[\w-]+\.js$/.test(chunk)) return [];
  return (JSON.parse(fs.readFileSync(map, 'utf8')) as { sources: string[] }).sources;
}

describe('renderer start-up bundle', () => {
  it('preloads the app and pdf.js with the entry, and none of it is zod', () => {
    const chunks = startupChunks();
    const sources = chunks.flatMap(sourcesOf);
    expect(sources.some((s) => s.endsWith('renderer/src/app-root.tsx'))).toBe(true);
    expect(sources.some((s) => s.endsWith('renderer/src/screens/CaseScreen.tsx'))).toBe(true);
    expect(sources.some((s) => s.includes('node_modules/pdfjs-dist/build/pdf.mjs'))).toBe(true);
    expect(sources.filter((s) => s.includes('node_modules/zod/'))).toEqual([]);
  });
});
