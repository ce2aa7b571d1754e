/**
 * Stopping the OCR thread while it reads must never take the workstation down: closing (quit, a
 * restart of the back end) or giving up a cancelled job in the middle of a page waits for the line in
 * hand instead of ending the thread inside a model run, which aborts the whole process. Closed at
 * moments spread over the reading of real scanned pages, the reader rejects its job as cancelled and
 * this test process lives on.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OcrReader } from '../../electron/services/ocr/ocr-reader.js';
import { dossierFixture } from '../support/dossiers/index.js';
import { tempDir } from '../support/temp.js';

const work = tempDir('pingcha-ocr-stop-');
let file: string;

beforeAll(async () => {
  const scan = await dossierFixture({ scanned: true, caseType: 'penalty_general' });
  file = path.join(work.dir, scan.truth.fileName);
  fs.writeFileSync(file, scan.bytes);
}, 120_000);
afterAll(() => work.cleanup());

describe('stopping the OCR thread mid-page', () => {
  it('closes the reader at any moment of a reading without ending the process', async () => {
    for (const delay of [600, 1200, 1800, 2400, 3000, 3600]) {
      const reader = new OcrReader({ threads: 1 });
      await reader.warm();
      const reading = reader.read(file, { pages: [2, 3, 4] }).then(
        () => 'finished',
        (err: { code?: string }) => err.code,
      );
      await new Promise((r) => setTimeout(r, delay));
      await reader.close();
      expect(await reading).toBe('cancelled');
    }
  }, 300_000);

  it('gives up a cancelled job that does not stop in time, and the next job is read by the same thread', async () => {
    const reader = new OcrReader({ threads: 1 });
    try {
      await reader.warm();
      const abort = new AbortController();
      const first = reader.read(file, { pages: [2, 3, 4, 5], signal: abort.signal }).then(
        () => 'finished',
        (err: { code?: string }) => err.code,
      );
      await new Promise((r) => setTimeout(r, 1500));
      const thread = reader.threadId;
      abort.abort();
      expect(await first).toBe('cancelled');
      const [page] = await reader.read(file, { pages: [0] });
      expect(page).toMatchObject({ pageIndex: 0, status: 'text' });
      expect(reader.threadId).toBe(thread);
    } finally {
      await reader.close();
    }
  }, 300_000);
});
