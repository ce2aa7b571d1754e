/**
 * What the built renderer evaluates to show its first screen (the entry, and app-root with every chunk
 * it imports, read from Vite's build manifest): the app and pdf.js in three files, and no zod. The shared
 * modules keep their schemas apart from the labels and logic the screens use, so start-up constructs
 * none; an import of a schema module from a start-up screen would bring them all back, slowing every
 * start (the reader's first page above all). And what app-root shares with the lazy screens stays in
 * app-root (renderer/vite.config.ts) instead of a dozen small chunks, each one more request and task.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/temp.js';

const built = path.join(REPO_ROOT, 'build', 'renderer');

interface ManifestChunk {
  file: string;
  name?: string;
  isEntry?: boolean;
  imports?: string[];
}

/** The files evaluated before the first screen: the entry, app-root, and what they import statically. */
function startupChunks(): ManifestChunk[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(built, '.vite', 'manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const entry = Object.keys(manifest).find((k) => manifest[k]!.isEntry);
  expect(entry).toBeDefined();
  const appRoot = Object.keys(manifest).find((k) => manifest[k]!.name === 'app-root' && k.endsWith('.js'));
  expect(appRoot).toBeDefined();
  const seen = new Set<string>();
  const walk = (key: string): void => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const dep of manifest[key]!.imports ?? []) walk(dep);
  };
  walk(entry!);
  walk(appRoot!);
  return [...seen].map((k) => manifest[k]!);
}

function sourcesOf(chunk: string): string[] {
  const map = path.join(built, `${chunk}.map`);
  return (JSON.parse(fs.readFileSync(map, 'utf8')) as { sources: string[] }).sources;
}

describe('renderer start-up bundle', () => {
  it('holds the app and pdf.js in three files, and none of it is zod', () => {
    const chunks = startupChunks();
    expect(chunks.map((c) => c.name).sort()).toEqual(['app-root', 'index', 'pdfjs']);
    const sources = chunks.map((c) => c.file).flatMap(sourcesOf);
    expect(sources.some((s) => s.endsWith('renderer/src/app-root.tsx'))).toBe(true);
    expect(sources.some((s) => s.endsWith('renderer/src/features/dossiers/CaseScreen.tsx'))).toBe(true);
    expect(sources.some((s) => s.includes('node_modules/pdfjs-dist/build/pdf.mjs'))).toBe(true);
    expect(sources.filter((s) => s.includes('node_modules/zod/'))).toEqual([]);
  });
});
