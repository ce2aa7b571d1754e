/**
 * The 文书 map the reader shows, built from the realistic 清溪县 dossiers' page texts: every 文书 where
 * the truth has it, cut into the PDFs it lies in, unread scan pages never counted into a 文书, and the
 * 卷内目录 held against the file.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDocumentMap, type MapInputPage } from '../../../shared/precheck/document-map.js';
import { realisticCampaign, type DossierTruth, type RealisticCampaign } from '../../support/dossiers/index.js';

let campaign: RealisticCampaign;
beforeAll(async () => {
  campaign = await realisticCampaign();
}, 600_000);

const onePdf = (truth: DossierTruth, ocr = false): MapInputPage[] =>
  truth.pages.map((_, i) => ({ documentId: 'pdf-1', pageIndex: i, ocr }));

describe('the 文书 map', () => {
  it('gives every 文书 of the 24 dossiers its type and pages as the truth has them, with a quiet 目录 where nothing is wrong', () => {
    expect(campaign.dossiers).toHaveLength(24);
    for (const { truth } of campaign.dossiers) {
      const map = buildDocumentMap(
        'c',
        truth.pages.map((p) => p.text),
        onePdf(truth),
        [],
      );
      expect(
        map.documents.map((d) => [d.type, d.firstPage, d.lastPage, d.fromIndex, d.toIndex]),
        truth.id,
      ).toEqual(truth.documents.map((d) => [d.type, d.firstPage, d.lastPage, d.firstPage - 1, d.lastPage - 1]));
      expect(map.hasCatalogue, truth.id).toBe(true);
      expect(map.catalogue.length, truth.id).toBe(truth.documents.length - 3);
      // The fixtures' 目录 list every 文书 with its stamped pages.
      expect(map.issues, truth.id).toEqual([]);
    }
  });

  it('lists pages OCR has not read as such, never inside the 文书 before them, and the rest of a 文书 after them as continued', () => {
    const truth = campaign.dossiers.find((d) => d.truth.scanned)!.truth;
    const texts = truth.pages.map((p) => p.text);
    const long = truth.documents.find((d) => d.lastPage - d.firstPage >= 2)!;
    const next = truth.documents[truth.documents.indexOf(long) + 1]!;
    // The middle page of a long 文书 and the first page of the 文书 after it are not read yet.
    const unread = [long.firstPage + 1, next.firstPage];
    const read = texts.map((t, i) => (unread.includes(i + 1) ? '' : t));
    const map = buildDocumentMap('c', read, onePdf(truth, true), unread);
    expect(map.unreadPages).toBe(2);
    const rows = map.documents.map((d) => [d.type, d.firstPage, d.lastPage, d.continued]);
    expect(rows).toContainEqual([long.type, long.firstPage, long.firstPage, false]);
    expect(rows).toContainEqual(['unread', long.firstPage + 1, long.firstPage + 1, false]);
    expect(rows).toContainEqual([long.type, long.firstPage + 2, long.lastPage, true]);
    expect(rows).toContainEqual(['unread', next.firstPage, next.firstPage, false]);
    // What follows the unread first page is not claimed for the 文书 before it.
    expect(map.documents.find((d) => d.firstPage <= next.firstPage && next.firstPage <= d.lastPage)!.unread).toBe(true);
    // Pages are never lost or counted twice.
    expect(map.documents.reduce((n, d) => n + d.lastPage - d.firstPage + 1, 0)).toBe(truth.pageCount);
  });

  it('cuts a 文书 at the end of its PDF and places each part in its own file', () => {
    const truth = campaign.dossiers[0]!.truth;
    const evidence = truth.documents.find((d) => d.lastPage > d.firstPage)!;
    const split = evidence.firstPage; // the second PDF starts on the 文书's second page
    const pages: MapInputPage[] = truth.pages.map((_, i) =>
      i < split ? { documentId: 'pdf-1', pageIndex: i, ocr: false } : { documentId: 'pdf-2', pageIndex: i - split, ocr: false },
    );
    const map = buildDocumentMap(
      'c',
      truth.pages.map((p) => p.text),
      pages,
      [],
    );
    const parts = map.documents.filter(
      (d) => d.type === evidence.type && d.firstPage >= evidence.firstPage && d.lastPage <= evidence.lastPage,
    );
    expect(parts.map((d) => [d.documentId, d.fromIndex, d.toIndex, d.continued])).toEqual([
      ['pdf-1', evidence.firstPage - 1, evidence.firstPage - 1, false],
      ['pdf-2', 0, evidence.lastPage - split - 1, true],
    ]);
  });

  it('says which 文书 the 目录 lists but the file lacks, with the 目录 row to open', () => {
    const truth = campaign.dossiers[0]!.truth;
    const gone = truth.documents.find((d) => d.type === 'investigation_report')!;
    const kept = truth.pages.filter((p) => p.page < gone.firstPage || p.page > gone.lastPage);
    const map = buildDocumentMap(
      'c',
      kept.map((p) => p.text),
      kept.map((_, i) => ({ documentId: 'pdf-1', pageIndex: i, ocr: false })),
      [],
    );
    const missing = map.issues.filter((i) => i.kind === 'missing');
    expect(missing).toHaveLength(1);
    expect(missing[0]!.message).toMatch(/调查终结报告/);
    const contents = truth.documents.find((d) => d.type === 'contents')!;
    expect(missing[0]!.pages[0]).toMatchObject({ documentId: 'pdf-1', pageIndex: contents.firstPage - 1 });
  });
});
