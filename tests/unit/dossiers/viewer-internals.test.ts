/**
 * The reader leans on a few pdf.js members that pdf.js does not publish (viewer-internals.ts). pdf.js's
 * viewer cannot be loaded without a DOM, so this reads the very file the renderer bundles and checks
 * that each member is still defined on its class: an upgrade that drops one fails here, not in a
 * reader that quietly stops trimming pages or cuts off a page-text read on close.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { RELIED_ON } from '../../../renderer/src/features/dossiers/pdf/viewer-internals.js';

const require = createRequire(import.meta.url);
const source = readFileSync(require.resolve('pdfjs-dist/web/pdf_viewer.mjs'), 'utf8');

/** The text of `class Name … {` up to the next top-level class. */
function classBody(name: string): string {
  const start = source.search(new RegExp(`\\nclass ${name}\\b[^{]*\\{`));
  expect(start, `pdf.js no longer defines ${name}`).toBeGreaterThanOrEqual(0);
  const next = source.slice(start + 1).search(/\nclass \w+/);
  return next < 0 ? source.slice(start) : source.slice(start, start + 1 + next);
}

/** A method, getter or field assignment of that name in a class body. */
function defines(body: string, member: string): boolean {
  const m = member.replace(/\$/g, '\\$');
  return new RegExp(`\\n\\s+(?:get |set |async )?${m}\\s*\\(|this\\.${m}\\s*=`).test(body);
}

describe('the pdf.js members the reader relies on', () => {
  for (const [cls, members] of Object.entries(RELIED_ON) as Array<[string, readonly string[]]>) {
    for (const member of members) {
      it(`${cls}.${member} is still there`, () => {
        expect(defines(classBody(cls), member)).toBe(true);
      });
    }
  }

  it('the check itself fails for a member pdf.js does not have', () => {
    expect(defines(classBody('PDFViewer'), '_noSuchMember')).toBe(false);
    expect(defines(classBody('PDFFindController'), '_getVisiblePages')).toBe(false);
  });
});
