import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin, type Rollup } from 'vite';

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

/**
 * The app's chunk (app-root, which main.tsx imports dynamically so that the entry stays tiny) and every
 * chunk and stylesheet it needs are named in index.html as preloads: fetched and compiled while the
 * entry runs, evaluated only when main.tsx asks for them.
 */
function preloadAppChunks(): Plugin {
  return {
    name: 'pingcha-preload-app',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const bundle = ctx.bundle as Rollup.OutputBundle | undefined;
        if (!bundle) return;
        const root = Object.values(bundle).find((c) => c.type === 'chunk' && c.facadeModuleId?.endsWith('/src/app-root.tsx'));
        if (!root) throw new Error('pingcha-preload-app: no chunk for src/app-root.tsx');
        const scripts = new Set<string>();
        const styles = new Set<string>();
        const walk = (fileName: string): void => {
          const chunk = bundle[fileName];
          // The entry itself is already a <script> of the page.
          if (scripts.has(fileName) || chunk?.type !== 'chunk' || chunk.isEntry) return;
          scripts.add(fileName);
          for (const css of chunk.viteMetadata?.importedCss ?? []) styles.add(css);
          for (const dep of chunk.imports) walk(dep);
        };
        walk(root.fileName);
        return [
          ...[...scripts].map((f) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `/${f}` }, injectTo: 'head' as const })),
          ...[...styles].map((f) => ({ tag: 'link', attrs: { rel: 'preload', as: 'style', href: `/${f}` }, injectTo: 'head' as const })),
        ];
      },
    },
  };
}

export default defineConfig({
  root: here,
  base: '/',
  plugins: [react(), pdfjsAssets(), preloadAppChunks()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'chrome120',
    sourcemap: true,
    chunkSizeWarningLimit: 2500,
    assetsInlineLimit: 0,
  },
  worker: { format: 'es' },
});
