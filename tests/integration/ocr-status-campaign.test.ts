/**
 * The campaign's OCR status is read for all its files at once (a province's 20,000 files were read
 * one by one, each a pass over the whole page text): each file's figures must still be that file's —
 * the scanned pages of a scan, none of a file with a text layer, and the same for two files with the
 * same bytes — and agree with what the reader is told of the file (`ocr:pages`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { client } from '../support/backend.js';
import { openTestBackend, setupAdmin, stage, type TestBackend } from '../support/backend.js';
import { dossierFixture } from '../support/dossiers/index.js';

let t: TestBackend;
let admin: ReturnType<typeof client>;
let campaignId: string;
const documents: Array<{ id: string; caseId: string; pageCount: number; scanned: boolean }> = [];

beforeAll(async () => {
  t = openTestBackend();
  admin = await setupAdmin(t.backend, 'admin');
  campaignId = (await admin.call('campaign:create', { name: '2025年度评查', year: 2025, issuingBody: '某某县司法局' })).id;
  const scan = await dossierFixture({ scanned: true, caseType: 'penalty_general', seed: 11 });
  const text = await dossierFixture({ scanned: false, caseType: 'penalty_general', seed: 12 });
  // The scan twice (the same bytes in two files), and a file with a text layer.
  for (const [i, d] of [scan, scan, text].entries()) {
    const sourceId = await stage(t.backend, admin, d.truth.fileName, d.bytes);
    const detail = await admin.call('dossier:importSingle', {
      campaignId,
      sourceId,
      caseNumber: `${d.truth.caseNumber}-${i}`,
      caseTitle: d.truth.title,
      unitName: d.truth.unitName,
      caseType: 'penalty_general',
    });
    const doc = detail.documents[0]!;
    documents.push({ id: doc.id, caseId: detail.id, pageCount: detail.pageCount, scanned: d === scan });
  }
}, 180_000);

afterAll(() => t.close());

describe('a campaign OCR status read for all its files at once', () => {
  it('gives each file its own scanned pages, as the reader is told, and none to a file with a text layer', async () => {
    const status = await admin.call('ocr:status', { campaignId });
    const byDocument = new Map(status.files.map((f) => [f.documentId, f]));
    for (const d of documents) {
      const unread = (await admin.call('ocr:pages', { documentId: d.id })).unreadPages;
      const file = byDocument.get(d.id);
      if (d.scanned) {
        expect(unread.length).toBeGreaterThan(0);
        expect(file).toMatchObject({ caseId: d.caseId, pagesToRead: unread.length, pagesRead: 0 });
      } else {
        expect(unread).toEqual([]);
        expect(file).toBeUndefined();
      }
    }
    expect(status.pagesToRead).toBe(documents.filter((d) => d.scanned).reduce((n, d) => n + byDocument.get(d.id)!.pagesToRead, 0));

    // One file's status (the reader's) is that file's line of the campaign's.
    const one = await admin.call('ocr:status', { campaignId, caseId: documents[1]!.caseId });
    expect(one.files).toEqual([byDocument.get(documents[1]!.id)]);
  });
});
