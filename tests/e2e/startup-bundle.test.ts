/**
 * What the built renderer evaluates to show its first screen (the entry, and app-root with every chunk
 * it imports, read from Vite's build manifest): the app and pdf.js, and no zod. The shared modules keep
 * their schemas apart from the labels and logic the screens use, so start-up constructs none; an
 * import of a schema module from a start-up screen would bring them all back, slowing every start
 * (the reader's first page above all).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/temp.js';

const built = path.join(REPO_ROOT, 'build', 'renderer');

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
}

/** The files evaluated before the first screen: the entry, app-root, and what they import statically. */
function startupChunks(): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(built, '.vite', 'manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const entry = Object.keys(manifest).find((k) => manifest[k]!.isEntry);
  expect(entry).toBeDefined();
  expect(manifest['src/app-root.tsx']).toBeDefined();
  const seen = new Set<string>();
  const walk = (key: string): void => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const dep of manifest[key]!.imports ?? []) walk(dep);
  };
  walk(entry!);
  walk('src/app-root.tsx');
  return [...seen].map((k) => manifest[k]!.file);
}

function sourcesOf(chunk: string): string[] {
  const map = path.join(built, `${chunk}.map`);
  // The bundler's own module-loading runtime is the one chunk without a source map (it has no source).
  if (!fs.existsSync(map) && /\/rolldown-runtime-[\w-]+\.js$/.test(chunk)) return [];
  return (JSON.parse(fs.readFileSync(map, 'utf8')) as { sources: string[] }).sources;
}

describe('renderer start-up bundle', () => {
  it('holds the app and pdf.js, and none of it is zod', () => {
    const sources = startupChunks().flatMap(sourcesOf);
    expect(sources.some((s) => s.endsWith('renderer/src/app-root.tsx'))).toBe(true);
    expect(sources.some((s) => s.endsWith('renderer/src/screens/CaseScreen.tsx'))).toBe(true);
    expect(sources.some((s) => s.includes('node_modules/pdfjs-dist/build/pdf.mjs'))).toBe(true);
    expect(sources.filter((s) => s.includes('node_modules/zod/'))).toEqual([]);
  });
});
