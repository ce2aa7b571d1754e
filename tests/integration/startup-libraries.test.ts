/**
 * A workstation that only reads and scores files must not carry the document libraries (docx,
 * pdf-lib, fontkit, resvg, exceljs, pdf.js in the main thread): each weighs megabytes once loaded,
 * and a province-sized workspace needs that memory for its lists. They are loaded on first use.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { HeavyLibsReport } from '../support/heavy-libs-child.js';
import { REPO_ROOT, tempDir } from '../support/temp.js';

const CHILD = path.join(REPO_ROOT, 'tests', 'support', 'heavy-libs-child.ts');

describe('back-end start-up', () => {
  const work = tempDir('pingcha-startup-libs-');
  afterAll(() => work.cleanup());

  it('opens a workspace and answers the first screens without loading any document library', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', CHILD, work.dir], { cwd: REPO_ROOT, encoding: 'utf8' });
    const report = JSON.parse(out.trim().split('\n').at(-1)!) as HeavyLibsReport;
    expect(report.atStart).toEqual([]);
    // The probe does see a library once something asks for it.
    expect(report.afterWordBuilders).toContain('docx');
  }, 120_000);
});
