import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import postcss from 'postcss';
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

/**
 * The parts of pdf.js's full viewer application that pdf_viewer.css also styles and this app never shows
 * (its sidebar, dialogs, annotation editors, signature and comment panels, menus, message bars).
 */
const UNUSED_PDFJS_UI =
  /#viewsManager|#outerContainer|#layersView|\.sidebar\b|\.dialog\b|\.signatureDialog|#addSignature|#editSignatureDescriptionDialog|#altText|#newAltText|\.altText|#commentManagerDialog|#editorCommentsSidebar|\.noComments|\.commentPopup|\.annotationCommentButton|\.annotationEditorLayer|\.editToolbar|\.editDescription|#editorUndoBar|#editorSignatureParamsToolbar|#highlightParamsToolbarContainer|\.colorPicker|\.basicColorPicker|\.popupMenu|hasPopupMenu|\.toggle-button|\.messageBar|\.treeView|\.newBadge|\.isDragging|\.pasteMode|data-editor-rotation/;

/**
 * pdf_viewer.css without the rules for that UI: three quarters of the file, parsed and matched against every
 * element of the app on each style recalculation, and some of it unscoped (`.dialog *`, `.sidebar *`),
 * so it reached the app's own dialogs. The viewer's pages, text, annotation and XFA layers keep theirs.
 */
function pdfjsViewerCss(): Plugin {
  return {
    name: 'pingcha-pdfjs-viewer-css',
    enforce: 'pre',
    transform(code, id) {
      if (!/pdfjs-dist[\\/]web[\\/]pdf_viewer\.css$/.test(id)) return null;
      const root = postcss.parse(code, { from: id });
      root.walkRules((rule) => {
        if (rule.parent?.type === 'atrule' && /keyframes$/.test((rule.parent as postcss.AtRule).name)) return;
        const kept = rule.selectors.filter((selector) => !UNUSED_PDFJS_UI.test(selector));
        if (kept.length === 0) rule.remove();
        else if (kept.length < rule.selectors.length) rule.selectors = kept;
      });
      // At-rules (@media, @supports) left with nothing inside, innermost first.
      const atRules: postcss.AtRule[] = [];
      root.walkAtRules((at) => void atRules.push(at));
      for (const at of atRules.reverse()) if (at.nodes?.length === 0) at.remove();
      return { code: root.toString(), map: null };
    },
  };
}

/**
 * The app's start-up code as one chunk: app-root.tsx and every module it needs that the entry (main.tsx)
 * and pdf.js's chunk do not already bring. Left to itself the bundler splits what app-root shares with the
 * lazy screens into a dozen small chunks, each one more request, compile and evaluation task in start-up.
 */
function appRootChunk(): { plugin: Plugin; test(id: string): boolean } {
  const members = new Set<string>();
  const plugin: Plugin = {
    name: 'pingcha-app-root-chunk',
    apply: 'build',
    buildEnd() {
      const closure = (from: string, into: Set<string>): Set<string> => {
        const stack = [from];
        while (stack.length) {
          const id = stack.pop()!;
          if (into.has(id)) continue;
          into.add(id);
          stack.push(...(this.getModuleInfo(id)?.importedIds ?? []));
        }
        return into;
      };
      const find = (suffix: string): string => {
        const id = [...this.getModuleIds()].find((m) => m.endsWith(suffix));
        if (!id) this.error(`app-root chunk: no module ends with ${suffix}`);
        return id;
      };
      const elsewhere = closure(find('/src/features/dossiers/pdf/pdfjs.ts'), closure(find('/src/main.tsx'), new Set()));
      members.clear();
      for (const id of closure(find('/src/app-root.tsx'), new Set())) if (!elsewhere.has(id)) members.add(id);
    },
  };
  return { plugin, test: (id) => members.has(id) };
}

const appRoot = appRootChunk();

export default defineConfig({
  root: here,
  base: '/',
  plugins: [react(), pdfjsViewerCss(), pdfjsAssets(), appRoot.plugin],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'chrome120',
    sourcemap: true,
    chunkSizeWarningLimit: 2500,
    assetsInlineLimit: 0,
    // .vite/manifest.json: which chunks each module needs (tests check what start-up evaluates).
    manifest: true,
    rolldownOptions: {
      output: { codeSplitting: { groups: [{ name: 'app-root', test: appRoot.test, includeDependenciesRecursively: false }] } },
    },
  },
  worker: { format: 'es' },
});
