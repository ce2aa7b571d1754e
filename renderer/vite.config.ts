import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));
const pdfjsRoot = path.join(here, '..', 'node_modules', 'pdfjs-dist');
const outDir = path.join(here, '..', 'build', 'renderer');

/** pdf.js's cMaps, standard fonts, ICC profiles and wasm decoders are served from the app itself, never fetched. */
function pdfjsAssets(): Plugin {
  return {
    name: 'pingcha-pdfjs-assets',
    apply: 'build',
    closeBundle() {
      for (const dir of ['cmaps', 'standard_fonts', 'wasm', 'iccs']) {
        const from = path.join(pdfjsRoot, dir);
        if (fs.existsSync(from)) fs.cpSync(from, path.join(outDir, 'pdfjs', dir), { recursive: true });
      }
    },
  };
}

export default defineConfig({
  root: here,
  base: '/',
  plugins: [react(), pdfjsAssets()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'chrome120',
    sourcemap: true,
    chunkSizeWarningLimit: 2500,
    assetsInlineLimit: 0,
    // .vite/manifest.json: which chunks each module needs (tests check what start-up evaluates).
    manifest: true,
  },
  worker: { format: 'es' },
});
