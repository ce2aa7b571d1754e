/**
 * The realistic dossier generator (tests/support/dossiers) checked against itself and against the
 * product: every dossier is 15–25 pages with its 文书 where the truth says; born-digital pages carry
 * exactly the known text (through pdf.js, as the import reads it); scans carry no text and one JPEG a
 * page; the 案件清单 goes through the real import service; and each planted defect can be seen in the
 * dossier's own content, while lawful dossiers (edge cases included) show none.
 */
import fs from 'node:fs';
import { PDFDict, PDFDocument, PDFName, type PDFRawStream } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectPdf } from '../../electron/services/core/pdf/inspect.js';
import { openWithCampaign, stage } from '../support/backend.js';
import { campaignFacts } from '../support/dossiers/campaign.js';
import { cnDate, isWorkingDay } from '../support/dossiers/calendar.js';
import {
  daysBetween,
  DECISION_LIMIT_DAYS,
  DEFECT_CODES,
  documentText,
  dossierFixture,
  realisticCampaign,
  SERVICE_LIMIT_WORKING_DAYS,
  workingDaysBetween,
  type DefectCode,
  type DossierTruth,
  type RealisticCampaign,
} from '../support/dossiers/index.js';

let campaign: RealisticCampaign;

beforeAll(async () => {
  const started = performance.now();
  campaign = await realisticCampaign({ seed: 2025 });
  process.stderr.write(`[dossier fixtures] campaign ready in ${Math.round(performance.now() - started)} ms\n`);
}, 300_000);

const squash = (s: string): string => s.replace(/\s+/g, '');

const doc = (t: DossierTruth, type: string) => t.documents.find((d) => d.type === type);
const fineIn = (text: string): number | null => {
  const m = /罚款人民币(\d+)元/.exec(squash(text));
  return m ? Number(m[1]) : null;
};

/** The defects a reviewer would find in the dossier's content, judged from the truth's pages and dates alone. */
function observedDefects(t: DossierTruth): DefectCode[] {
  const f = t.facts;
  const found: DefectCode[] = [];
  const general = f.caseType === 'penalty_general';
  if (general && !doc(t, 'prior_notice')) found.push('prior_notice_missing');
  if (general && daysBetween(doc(t, 'filing_approval')!.date, doc(t, 'decision')!.date) > DECISION_LIMIT_DAYS)
    found.push('decision_over_time_limit');
  if (general && workingDaysBetween(doc(t, 'decision')!.date, doc(t, 'service_receipt')!.date) > SERVICE_LIMIT_WORKING_DAYS)
    found.push('service_over_time_limit');
  if (t.officersPerRecord.some((r) => r.officers.length < 2)) found.push('single_officer');
  if (general && doc(t, 'filing_approval')!.date > doc(t, 'inquiry_record')!.date) found.push('filing_after_investigation');
  const decision = squash(documentText(t, 'decision'));
  if (general && decision.includes('依据相关法律法规的规定')) found.push('legal_basis_missing');
  if (general && /采矿|采砂/.test(f.cause) && decision.includes('依据《中华人民共和国土地管理法》')) found.push('legal_basis_mismatch');
  if (t.pages.every((p) => p.stampedNumber === null)) found.push('page_numbers_missing');
  const receipt = doc(t, 'service_receipt');
  if (receipt && !squash(documentText(t, 'service_receipt')).includes(squash(`${f.party.representative}${cnDate(receipt.date)}`)))
    found.push('service_receipt_unsigned');
  if (general && f.hearingDue && !doc(t, 'hearing_notice')) found.push('hearing_not_offered');
  if (general && f.major && !doc(t, 'legal_review')) found.push('legal_review_missing');
  const noticeFine = fineIn(documentText(t, 'prior_notice'));
  if (noticeFine !== null && noticeFine !== fineIn(decision)) found.push('amount_inconsistent');
  return DEFECT_CODES.filter((c) => found.includes(c));
}

describe('the 清溪县 campaign', () => {
  it('has 24 dossiers of 15–25 pages, half of them scans, with about a third carrying planted defects', () => {
    expect(campaign.dossiers).toHaveLength(24);
    for (const { truth } of campaign.dossiers) {
      expect(truth.pageCount, truth.id).toBeGreaterThanOrEqual(15);
      expect(truth.pageCount, truth.id).toBeLessThanOrEqual(25);
    }
    expect(campaign.dossiers.filter((d) => d.truth.scanned)).toHaveLength(12);
    const defective = campaign.dossiers.filter((d) => d.truth.defects.length);
    expect(defective.length).toBeGreaterThanOrEqual(7);
    expect(defective.length).toBeLessThanOrEqual(10);
    expect(new Set(defective.flatMap((d) => d.truth.defects))).toEqual(new Set(DEFECT_CODES));
    expect(new Set(campaign.dossiers.map((d) => d.truth.unitName)).size).toBe(6);
    expect(new Set(campaign.dossiers.map((d) => d.truth.caseType))).toEqual(
      new Set(['penalty_general', 'penalty_simple', 'license', 'coercive_measure']),
    );
    // Names as a county names them; one scan's 案号 mistyped in its file name.
    const mistyped = campaign.dossiers.filter((d) => !d.truth.fileName.startsWith(d.truth.caseNumber));
    expect(mistyped.map((d) => [d.truth.scanned, d.truth.fileName.endsWith(`${d.truth.title}.pdf`)])).toEqual([[true, true]]);
    // The list as several people typed it: one more row than files, short unit names, four date forms, five amount forms.
    const rows = campaign.listRows;
    expect(rows.filter((r) => !r.hasFile).map((r) => r.caseNumber)).toEqual([campaign.listedWithoutFile.caseNumber]);
    expect(rows.some((r) => r.cells.unit.trim() === '县市场监管局')).toBe(true);
    expect(rows.some((r) => r.cells.caseNumber.endsWith(' '))).toBe(true);
    const dates = rows.map((r) => r.cells.filedOn);
    expect(dates.some((d) => d instanceof Date)).toBe(true);
    for (const form of [/^2025\.\d{1,2}\.\d{1,2}$/, /^2025年\d{1,2}月\d{1,2}日$/, /^2025\/\d{2}\/\d{2}$/])
      expect(
        dates.some((d) => typeof d === 'string' && form.test(d)),
        String(form),
      ).toBe(true);
    const amounts = rows.map((r) => r.cells.amount);
    for (const form of [
      /^\d+$/,
      /^\d{1,3}(,\d{3})+元$/,
      /^[壹贰叁肆伍陆柒捌玖拾佰仟万零]+元整$/,
      /^[\d,]+（含没收违法所得\d+）$/,
      /^警告$/,
    ])
      expect(
        amounts.some((a) => form.test(a)),
        String(form),
      ).toBe(true);
  });

  it('binds each dossier in order: 封面, 卷内目录, the 文书 over every page, 卷内备考表 last, stamped numbers matching the 目录', async () => {
    for (const { truth, path } of campaign.dossiers) {
      const pdf = await PDFDocument.load(fs.readFileSync(path));
      expect(pdf.getPageCount(), truth.id).toBe(truth.pageCount);
      expect(truth.documents[0]).toMatchObject({ type: 'cover', firstPage: 1, lastPage: 1 });
      expect(truth.documents[1]).toMatchObject({ type: 'contents', firstPage: 2 });
      expect(truth.documents.at(-1)).toMatchObject({ type: 'archive_note', lastPage: truth.pageCount });
      truth.documents.forEach((d, i) => i && expect(d.firstPage, `${truth.id} ${d.type}`).toBe(truth.documents[i - 1]!.lastPage + 1));
      expect(truth.pages.map((p) => p.page)).toEqual(Array.from({ length: truth.pageCount }, (_, i) => i + 1));
      // A 询问笔录 of 2–4 pages in every penalty and coercive file (a licence file has a 现场核查记录 instead).
      const inquiry = doc(truth, 'inquiry_record');
      expect(!!inquiry, truth.id).toBe(truth.caseType !== 'license');
      if (inquiry) expect(inquiry.lastPage - inquiry.firstPage + 1, truth.id).toBeGreaterThanOrEqual(2);
      if (inquiry) expect(inquiry.lastPage - inquiry.firstPage + 1, truth.id).toBeLessThanOrEqual(4);
      // The 目录 lists each numbered 文书 with the stamped range its pages carry.
      const contents = squash(truth.pages[1]!.text);
      for (const d of truth.documents.filter((x) => !['cover', 'contents', 'archive_note'].includes(x.type))) {
        const first = d.firstPage - 2;
        const last = d.lastPage - 2;
        expect(contents, `${truth.id} ${d.title}`).toContain(
          squash(`${d.title}\n${cnDate(d.date)}\n${first === last ? first : `${first}-${last}`}`),
        );
        if (!truth.defects.includes('page_numbers_missing')) expect(truth.pages[d.firstPage - 1]!.stampedNumber).toBe(first);
      }
    }
  });

  it('born-digital pages give exactly their known text through pdf.js, as the import reads them', async () => {
    for (const { truth, path } of campaign.dossiers.filter((d) => !d.truth.scanned)) {
      const info = await inspectPdf(path, { withText: true });
      expect(info).toMatchObject({ pageCount: truth.pageCount, hasText: true, metadata: { Title: truth.title } });
      truth.pages.forEach((p, i) => expect(squash(info.pageTexts![i]!), `${truth.id} page ${p.page}`).toBe(squash(p.text)));
    }
  });

  it('scans have no text layer and one JPEG per page at 150 or 200 dpi, pages slightly turned', async () => {
    for (const { truth, path } of campaign.dossiers.filter((d) => d.truth.scanned)) {
      const info = await inspectPdf(path, { withText: true });
      expect(info).toMatchObject({ pageCount: truth.pageCount, hasText: false });
      expect(
        info.pageTexts!.every((text) => text === ''),
        truth.id,
      ).toBe(true);
      const doc = await PDFDocument.load(fs.readFileSync(path));
      for (const page of doc.getPages()) {
        const resources = page.node.Resources()!;
        expect(resources.lookupMaybe(PDFName.of('Font'), PDFDict)?.keys() ?? []).toEqual([]);
        const xobjects = resources.lookup(PDFName.of('XObject'), PDFDict);
        expect(xobjects.keys()).toHaveLength(1);
        const image = doc.context.lookup(xobjects.get(xobjects.keys()[0]!)) as PDFRawStream;
        expect(image.dict.get(PDFName.of('Filter'))).toBe(PDFName.of('DCTDecode'));
        expect(image.dict.get(PDFName.of('Width'))!.toString()).toBe(String(Math.round((595.28 * truth.scan!.dpi) / 72)));
      }
      for (const angle of truth.scan!.rotations) {
        expect(Math.abs(angle)).toBeGreaterThanOrEqual(0.3);
        expect(Math.abs(angle)).toBeLessThanOrEqual(1.5);
      }
    }
  });

  it('plants exactly the declared defects; lawful dossiers show none, even at the edge of a limit', () => {
    for (const { truth } of campaign.dossiers) expect(observedDefects(truth), truth.id).toEqual(truth.defects);
    const edge = (code: string) => campaign.dossiers.find((d) => d.truth.edges.includes(code as never))!.truth;
    const atDecision = edge('decision_at_time_limit');
    expect(daysBetween(atDecision.facts.dates.filed, atDecision.facts.dates.decision)).toBe(DECISION_LIMIT_DAYS);
    const atService = edge('service_at_time_limit');
    const { decision, service } = atService.facts.dates;
    expect(workingDaysBetween(decision, service)).toBe(SERVICE_LIMIT_WORKING_DAYS);
    // Across a weekend: more calendar days than working days between them.
    expect(daysBetween(decision, service)).toBeGreaterThan(SERVICE_LIMIT_WORKING_DAYS);
    expect(isWorkingDay(service)).toBe(true);
    // Just outside the limits, the defects say so.
    const late = campaign.dossiers.find((d) => d.truth.defects.includes('decision_over_time_limit'))!.truth;
    expect(daysBetween(late.facts.dates.filed, late.facts.dates.decision)).toBe(121);
  });

  it('keeps the dates of every seed on the declared side of each limit', () => {
    for (let seed = 1; seed <= 40; seed++) {
      for (const f of campaignFacts(seed * 7919).cases.filter((c) => c.caseType === 'penalty_general')) {
        const { filed, decision, service, inquiries } = f.dates;
        const days = daysBetween(filed, decision);
        const workingDays = workingDaysBetween(decision, service);
        const label = `seed ${seed * 7919} ${f.id}`;
        expect(days > DECISION_LIMIT_DAYS, label).toBe(f.defects.includes('decision_over_time_limit'));
        expect(days === DECISION_LIMIT_DAYS, label).toBe(f.edges.includes('decision_at_time_limit'));
        expect(workingDays > SERVICE_LIMIT_WORKING_DAYS, label).toBe(f.defects.includes('service_over_time_limit'));
        expect(workingDays === SERVICE_LIMIT_WORKING_DAYS, label).toBe(f.edges.includes('service_at_time_limit'));
        expect(inquiries[0]! < filed, label).toBe(f.defects.includes('filing_after_investigation'));
        expect(
          [decision, service].every((d) => isWorkingDay(d)),
          label,
        ).toBe(true);
      }
    }
  });

  it('is deterministic: the same seed gives the same facts and the same bytes; another seed other names but the same defects', async () => {
    expect(campaignFacts(2025)).toEqual(campaignFacts(2025));
    const other = campaignFacts(7).cases;
    expect(other.map((c) => c.defects)).toEqual(campaign.dossiers.map((d) => d.truth.defects));
    expect(other.map((c) => c.party.name)).not.toEqual(campaign.dossiers.map((d) => d.truth.facts.party.name));
    const a = await dossierFixture({ defects: ['amount_inconsistent'] });
    const b = await dossierFixture({ defects: ['amount_inconsistent'] });
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
    expect(observedDefects(a.truth)).toEqual(['amount_inconsistent']);
  });
});

describe('the 案件清单 through the real import service', () => {
  let t: Awaited<ReturnType<typeof openWithCampaign>>;
  beforeAll(async () => {
    t = await openWithCampaign('清溪县2025年度行政执法案卷评查');
  });
  afterAll(() => t.t.close());

  it('reads the .xlsx and the GBK .csv past the title and blank rows, every row a case with its dates', async () => {
    const { t: tb, admin, campaignId } = t;
    for (const [name, file] of [
      ['清单.xlsx', campaign.listXlsx],
      ['清单.csv', campaign.listCsv],
    ] as const) {
      const listId = await stage(tb.backend, admin, name, fs.readFileSync(file));
      const layout = await admin.call('import:readList', { sourceId: listId });
      expect(layout.headerRow, name).toBe(2);
      expect(layout.headers).toEqual([
        '序号',
        '案号',
        '案件名称',
        '案由',
        '当事人',
        '执法单位',
        '案件类型',
        '立案日期',
        '结案日期',
        '处罚金额/决定内容',
        '承办人',
      ]);
      const list = { sourceId: listId, sheetName: layout.sheetName, headerRow: layout.headerRow, mapping: layout.mapping };
      const preview = await admin.call('import:preview', { campaignId, sourceIds: [], list });
      expect(preview.targets, name).toHaveLength(campaign.listRows.length);
      expect(preview.targets.map((r) => [r.rowNumber, r.caseNumber, r.filedOn, r.closedOn])).toEqual(
        campaign.listRows.map((r) => [r.rowNumber, r.caseNumber, r.filedOn, r.closedOn]),
      );
      expect(preview.targets.every((r) => r.status === 'new')).toBe(true);
    }
  });

  it('matches every PDF of the folder to its row (the mistyped one by its name), and leaves the row without a file alone', async () => {
    const { t: tb, admin, campaignId } = t;
    const listId = await stage(tb.backend, admin, '清单.xlsx', fs.readFileSync(campaign.listXlsx));
    const layout = await admin.call('import:readList', { sourceId: listId });
    const list = { sourceId: listId, sheetName: layout.sheetName, headerRow: layout.headerRow, mapping: layout.mapping };
    const sourceIds: string[] = [];
    for (const d of campaign.dossiers)
      sourceIds.push(await stage(tb.backend, admin, `${d.truth.unitName}/${d.truth.fileName}`, fs.readFileSync(d.path)));
    const preview = await admin.call('import:preview', { campaignId, sourceIds, list });
    const rowOf = new Map(preview.targets.map((r) => [r.key, r.caseNumber]));
    for (const d of campaign.dossiers) {
      const file = preview.files.find((f) => f.path.endsWith(d.truth.fileName))!;
      expect(rowOf.get(file.target ?? ''), d.truth.fileName).toBe(d.truth.caseNumber);
    }
    expect(preview.targets.find((r) => r.caseNumber === campaign.listedWithoutFile.caseNumber)!.fileKeys).toEqual([]);
    // The preview reads the covers of 24 dossiers, half of them scans: minutes on a busy 2-core machine.
  }, 180_000);
});
