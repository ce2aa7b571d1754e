/**
 * The pre-check on the 清溪县 campaign: every planted defect is found on the page it is on, lawful
 * files stay quiet (including those exactly at a limit), on the truth's page texts (what a perfect OCR
 * gives for the scans) and on the text layer pdf.js reads from the born-digital PDFs.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { addWorkingDays, daysBetween, isWorkingDay, workingDaysBetween } from '../../../shared/precheck/calendar.js';
import { runPrecheck } from '../../../shared/precheck/engine.js';
import { PRECHECK_RULES } from '../../../shared/precheck/rules.js';
import { inspectPdf } from '../../../electron/services/core/pdf/inspect.js';
import { realisticCampaign, type DossierTruth, type RealisticCampaign } from '../../support/dossiers/index.js';
import { agreementLine, expectedPages, measureAgreement, precision, recall, type Agreement } from '../../support/precheck-measure.js';

let campaign: RealisticCampaign;
beforeAll(async () => {
  campaign = await realisticCampaign();
}, 600_000);

/** The agreement floor per rule on the realistic fixtures: recall and precision each at least this. */
const FLOOR = 0.85;

/** Every rule that planted or raised anything meets the floor; the whole set does too. */
function expectFloor(a: Agreement): void {
  for (const [rule, t] of a.byRule) {
    if (t.planted) expect(recall(t), `${rule} recall ${t.found}/${t.planted}`).toBeGreaterThanOrEqual(FLOOR);
    if (t.raised) expect(precision(t), `${rule} precision ${t.right}/${t.raised}`).toBeGreaterThanOrEqual(FLOOR);
  }
  expect(recall(a.all)).toBeGreaterThanOrEqual(FLOOR);
  expect(precision(a.all)).toBeGreaterThanOrEqual(FLOOR);
}

describe('pre-check on the realistic campaign', () => {
  it('finds every planted defect on its page and nothing on lawful files (page texts of all 24 dossiers)', () => {
    const results = campaign.dossiers.map((d) => ({ truth: d.truth, result: runPrecheck(d.truth.pages.map((p) => p.text)) }));
    const agreement = measureAgreement(results.map((r) => ({ truth: r.truth, findings: r.result.findings })));
    const tally = agreement.all;
    console.log(agreementLine('预审（页面文字，24 卷）', tally));
    expectFloor(agreement);
    // Every rule the fixtures plant is planted at least once, so each floor above is measured.
    expect([...agreement.byRule].filter(([, t]) => t.planted > 0).length).toBeGreaterThanOrEqual(11);
    for (const { truth, result } of results) {
      for (const code of truth.defects)
        expect(
          result.findings.some((f) => f.rule === code && f.pages.some((p) => expectedPages(truth, code).includes(p))),
          `${truth.id} ${code}`,
        ).toBe(true);
      expect(
        result.findings.filter((f) => !(truth.defects as string[]).includes(f.rule)).map((f) => `${truth.id} ${f.rule}: ${f.message}`),
      ).toEqual([]);
    }
    expect(tally.found).toBe(tally.planted);
    expect(tally.right).toBe(tally.raised);
  });

  it('measures per rule: a finding on the wrong page misses, one of an unplanted rule is wrong', () => {
    const results = campaign.dossiers.map((d) => ({ truth: d.truth, findings: runPrecheck(d.truth.pages.map((p) => p.text)).findings }));
    const unsigned = results.find((r) => r.truth.defects.includes('service_receipt_unsigned'))!;
    // The receipt finding moved to page 1 and a stray hearing finding added on the same file.
    const doctored = results.map((r) =>
      r !== unsigned
        ? r
        : {
            ...r,
            findings: [
              ...r.findings.map((f) => (f.rule === 'service_receipt_unsigned' ? { ...f, pages: [1] } : f)),
              { rule: 'hearing_notice_too_late' as const, pages: [2] },
            ],
          },
    );
    const a = measureAgreement(doctored);
    const receipts = a.byRule.get('service_receipt_unsigned')!;
    expect(receipts.found).toBe(receipts.planted - 1);
    expect(a.byRule.get('hearing_notice_too_late')).toMatchObject({ raised: 1, right: 0 });
    expect(precision(a.byRule.get('hearing_notice_too_late')!)).toBe(0);
  });

  it('maps the documents, reads 案号, case type, catalogue, dates and officers as the truth has them', () => {
    for (const { truth } of campaign.dossiers) {
      const r = runPrecheck(truth.pages.map((p) => p.text));
      expect(r.caseNumber, truth.id).toBe(truth.caseNumber);
      expect(r.caseType, truth.id).toBe(truth.caseType);
      expect(r.party, truth.id).toBe(truth.facts.party.name);
      expect(
        r.documents.map((d) => [d.type, d.firstPage, d.lastPage]),
        truth.id,
      ).toEqual(truth.documents.map((d) => [d.type, d.firstPage, d.lastPage]));
      // The 目录 lists every 文书 between itself and the 备考表.
      expect(
        r.catalogue.map((e) => e.type),
        truth.id,
      ).toEqual(truth.documents.filter((d) => !['cover', 'contents', 'archive_note'].includes(d.type)).map((d) => d.type));
      const decided = r.facts.dates.find((d) => d.kind === 'decision');
      expect(decided?.date, truth.id).toBe(truth.facts.dates.decision);
      expect(truth.pages[decided!.span.page - 1]!.documentType, truth.id).toMatch(/decision/);
      if (truth.caseType === 'penalty_general') {
        expect(r.facts.dates.find((d) => d.kind === 'filed')?.date, truth.id).toBe(truth.facts.dates.filed);
        expect(r.facts.dates.find((d) => d.kind === 'service')?.date, truth.id).toBe(truth.facts.dates.service);
        expect(r.facts.amounts.find((a) => a.kind === 'fine' && a.documentType === 'decision')?.amount, truth.id).toBe(truth.facts.fine);
      }
      for (const rec of truth.officersPerRecord) {
        const found = r.facts.officers.find((o) => o.firstPage === rec.firstPage);
        expect(found?.officers.map((o) => o.name).sort(), `${truth.id} p${rec.firstPage}`).toEqual([...rec.officers].sort());
      }
    }
  });

  it('stays quiet exactly at the limits: decision on day 90, service on the 7th working day', () => {
    const atDecision = campaign.dossiers.find((d) => d.truth.edges.includes('decision_at_time_limit'))!.truth;
    const atService = campaign.dossiers.find((d) => d.truth.edges.includes('service_at_time_limit'))!.truth;
    expect(daysBetween(atDecision.facts.dates.filed, atDecision.facts.dates.decision)).toBe(90);
    expect(workingDaysBetween(atService.facts.dates.decision, atService.facts.dates.service)).toBe(7);
    // The 7 working days run over at least one weekend, so counting calendar days would have fired.
    expect(daysBetween(atService.facts.dates.decision, atService.facts.dates.service)).toBeGreaterThan(7);
    expect(runPrecheck(atDecision.pages.map((p) => p.text)).findings.map((f) => f.rule)).not.toContain('decision_over_time_limit');
    expect(runPrecheck(atService.pages.map((p) => p.text)).findings.map((f) => f.rule)).not.toContain('service_over_time_limit');
  });

  it('reads the born-digital PDFs through pdf.js as well as the truth texts', async () => {
    const born = campaign.dossiers.filter((d) => !d.truth.scanned);
    const results = [];
    for (const d of born) {
      const info = await inspectPdf(d.path, { withText: true });
      const result = runPrecheck(info.pageTexts!);
      expect(result.caseNumber, d.truth.id).toBe(d.truth.caseNumber);
      expect(
        result.documents.map((x) => [x.type, x.firstPage, x.lastPage]),
        d.truth.id,
      ).toEqual(d.truth.documents.map((x) => [x.type, x.firstPage, x.lastPage]));
      expect(result.catalogue.length, d.truth.id).toBeGreaterThan(3);
      results.push({ truth: d.truth, result });
    }
    const agreement = measureAgreement(results.map((r) => ({ truth: r.truth, findings: r.result.findings })));
    const tally = agreement.all;
    console.log(agreementLine(`预审（PDF 文字层，${born.length} 卷）`, tally));
    expectFloor(agreement);
    expect(tally.found).toBe(tally.planted);
    expect(tally.right).toBe(tally.raised);
  }, 120_000);

  it('catches what the campaign does not plant: a wrong 目录 page, another party name, a short 陈述申辩 period', () => {
    const truth = campaign.dossiers.find((d) => d.truth.id === 'QX-01')!.truth;
    const texts = truth.pages.map((p) => p.text);
    const report1 = truth.documents.find((d) => d.type === 'investigation_report')!;
    // The 目录 row of the 调查终结报告 gives a page one off.
    const contents = truth.documents.find((d) => d.type === 'contents')!.firstPage - 1;
    const lines = texts[contents]!.split('\n');
    const row = lines.indexOf('案件调查终结报告');
    lines[row + 2] = String(Number(lines[row + 2]) + 1);
    const wrongCatalogue = texts.map((t, i) => (i === contents ? lines.join('\n') : t));
    const c = runPrecheck(wrongCatalogue).findings.filter((f) => f.rule === 'catalogue_mismatch');
    expect(c.map((f) => f.pages)).toEqual([[contents + 1, report1.firstPage]]);

    const receipt = truth.documents.find((d) => d.type === 'service_receipt')!.firstPage - 1;
    const otherParty = texts.map((t, i) =>
      i === receipt ? t.replace(`受送达人\n${truth.facts.party.name}`, '受送达人\n江州某某贸易有限公司') : t,
    );
    expect(
      runPrecheck(otherParty)
        .findings.filter((f) => f.rule === 'party_inconsistent')
        .map((f) => f.pages),
    ).toEqual([[receipt + 1]]);

    // No 陈述申辩 record and a decision two working days after the notice.
    const notice = truth.documents.find((d) => d.type === 'prior_notice')!;
    const decision = truth.documents.find((d) => d.type === 'decision')!;
    const early = addWorkingDays(notice.date, 2);
    const cnEarly = `${Number(early.slice(0, 4))}年${Number(early.slice(5, 7))}月${Number(early.slice(8, 10))}日`;
    const cnDecided = `${Number(decision.date.slice(0, 4))}年${Number(decision.date.slice(5, 7))}月${Number(decision.date.slice(8, 10))}日`;
    const hurried = texts.map((t, i) => {
      if (truth.pages[i]!.documentType === 'statement_record' || truth.pages[i]!.documentType === 'statement_waiver') return '其他材料';
      return i === decision.lastPage - 1 ? t.replace(cnDecided, cnEarly) : t;
    });
    const s = runPrecheck(hurried).findings.filter((f) => f.rule === 'statement_period_not_respected');
    expect(s).toHaveLength(1);
    expect(s[0]!.pages).toEqual([notice.firstPage, decision.firstPage]);
  });
});

describe('working-day calendar (行政处罚法 art. 85)', () => {
  it('follows the State Council arrangements: holidays off, make-up weekend days on', () => {
    expect(isWorkingDay('2025-10-08')).toBe(false); // 国庆中秋
    expect(isWorkingDay('2025-09-28')).toBe(true); // Sunday, 调休上班
    expect(isWorkingDay('2024-02-18')).toBe(true);
    expect(isWorkingDay('2023-06-23')).toBe(false); // 端午
    expect(isWorkingDay('2026-02-14')).toBe(true); // Saturday before 春节
    expect(isWorkingDay('2026-02-20')).toBe(false);
    expect(isWorkingDay('2025-03-08')).toBe(false); // an ordinary Saturday
    // 2026 as the State Council notice of 2025-11-04 has it: every make-up working day and each holiday's edges.
    for (const d of ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'])
      expect(isWorkingDay(d), d).toBe(true);
    for (const d of [
      '2026-01-01',
      '2026-01-03',
      '2026-02-15',
      '2026-02-23',
      '2026-04-06',
      '2026-05-05',
      '2026-06-19',
      '2026-09-25',
      '2026-10-07',
    ])
      expect(isWorkingDay(d), d).toBe(false);
    expect(isWorkingDay('2026-02-24')).toBe(true); // the Tuesday after 春节
    expect(isWorkingDay('2026-10-08')).toBe(true);
    // Seven working days after Friday 2025-09-26: Sunday 09-28 and Saturday 10-11 count, 10-01…08 do not.
    expect(addWorkingDays('2025-09-26', 7)).toBe('2025-10-13');
  });
});

describe('pages not read', () => {
  it('cites the law of the file: 行政强制法 for a 行政强制 file, 行政许可法 for a 行政许可 file', () => {
    const law = { coercive_measure: '行政强制法', license: '行政许可法' } as const;
    let checked = 0;
    for (const { truth } of campaign.dossiers) {
      if (truth.caseType !== 'coercive_measure' && truth.caseType !== 'license') continue;
      // The file's own decision taken out of it: the missing 文书 is cited under its own law.
      const decision = truth.documents.find((d) => d.type === 'seizure_decision' || d.type === 'license_decision')!;
      const texts = truth.pages.filter((p) => p.page < decision.firstPage || p.page > decision.lastPage).map((p) => p.text);
      const missing = runPrecheck(texts).findings.find((f) => f.rule === 'document_missing');
      expect(missing?.statute, truth.id).toContain(law[truth.caseType]);
      expect(missing?.statute, truth.id).not.toContain('行政处罚法');
      expect(PRECHECK_RULES.single_officer.statuteByType?.[truth.caseType]).toContain(law[truth.caseType]);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(2);
  });

  it('reads both officers when OCR wraps a certificate number or a name onto the next line', () => {
    // The offline OCR engine's reading of two scanned pages of the 清溪县 campaign (seed 7).
    const verification = [
      '11',
      '现场核查记录',
      '申请人',
      '许永胜',
      '核查地点',
      '清溪县清河镇人民路65号',
      '核查时间',
      '2025年5月15日',
      '核查人员',
      '郭金龙（执法证号：36233098781）、朱雪梅（执法证号：3623',
      '3043080)',
      '核查情况',
      '申请人车辆技术等级评定为一级，驾驶员持有相应从业资格证。',
      '核查结论',
      '符合许可条件',
    ].join('\n');
    const inquiry = [
      '3',
      '询问笔录',
      '询问时间：2025年4月28日8时25分至12时43分',
      '询问地点：清溪县交通运输局执法办案室',
      '询问人：郭金龙、朱雪梅记录人：朱雪梅',
      '被询问人：林秀英性别：男身份证号码：362330********3752',
      '问：我们是清溪县交通运输局的执法人员郭金龙（执法证号：36233098781）、朱雪',
      '梅（执法证号：36233043080），这是我们的执法证件，请过目。',
    ].join('\n');
    // Each behind its file's cover: the number of officers is the law of the file's kind (许可法 art. 34, 处罚法 art. 42).
    const licenseCover = '行政许可案卷';
    for (const pages of [
      [licenseCover, verification],
      ['行政处罚案卷', inquiry],
    ]) {
      const r = runPrecheck(pages);
      expect(r.facts.officers[0]!.officers.map((o) => o.name).sort()).toEqual(['朱雪梅', '郭金龙']);
      expect(r.findings.filter((f) => f.rule === 'single_officer')).toEqual([]);
    }
    // One officer is still one officer.
    const alone = runPrecheck([licenseCover, verification.replace(/、朱雪梅（执法证号：3623\n3043080\)/, '')]);
    expect(alone.findings.filter((f) => f.rule === 'single_officer').map((f) => f.statute)).toEqual([
      '《中华人民共和国行政许可法》第三十四条第三款',
    ]);
  });

  it('takes a page-number break read by OCR only when the pages after it follow the new run', () => {
    let checked = 0;
    for (const { truth } of campaign.dossiers) {
      if (truth.defects.includes('page_numbers_missing')) continue;
      const texts = truth.pages.map((p) => p.text);
      // A stamp in the middle of the file misread: 11 → 1 (or 1x → x).
      const at = texts.findIndex((t, i) => i > 3 && i < texts.length - 3 && /\n\s*1\d\s*$/.test(t));
      if (at < 0) continue;
      const misread = texts.map((t, i) => (i === at ? t.replace(/1(\d)\s*$/, '$1') : t));
      expect(
        runPrecheck(misread, { ocr: true }).findings.filter((f) => f.rule === 'page_numbers_missing'),
        truth.id,
      ).toEqual([]);
      // From a text layer the same break is the file's own.
      expect(
        runPrecheck(misread).findings.map((f) => f.rule),
        truth.id,
      ).toContain('page_numbers_missing');
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('never writes an undefined page number when a page of a 目录 entry has no text', () => {
    for (const { truth } of campaign.dossiers) {
      const texts = truth.pages.map((p) => p.text);
      for (const d of truth.documents.filter((x) => x.lastPage > x.firstPage)) {
        const blanked = texts.map((t, i) => (i === d.lastPage - 1 ? '' : t));
        for (const f of runPrecheck(blanked).findings) expect(f.message, `${truth.id} ${d.type}`).not.toMatch(/undefined|NaN/);
      }
    }
  });

  it('says nothing about pages without text (a scan before OCR)', () => {
    const r = runPrecheck(['', '', '']);
    expect(r.findings).toEqual([]);
    expect(r.caseNumber).toBeNull();
  });
});

describe('a 卷内目录 read by OCR', () => {
  // The offline OCR engine's reading of QX-18's 目录 (a 150 dpi scan): a 1 read as I, 3-4 with a stray
  // full stop, a full-width ６ misread for 9, and the 调查终结报告's page number lost.
  const OCR_CONTENTS = [
    '卷内目录',
    '序号',
    '文书名称',
    '日期',
    '页号',
    '备注',
    '立案审批表',
    '2025年7月21日',
    'I',
    '2',
    '现场检查笔录',
    '2025年7月21日',
    '2',
    '3',
    '询问笔录',
    '2025年7月24日',
    '3-4.',
    '证据材料',
    '2025年7月29日',
    '5-6',
    '5',
    '案件调查终结报告',
    '2025年8月21日',
    '9',
    '行政处罚事先告知书',
    '2025年8月25日',
    '8',
    '2',
    '放弃陈述申辩权利书',
    '2025年8月26日',
    '６',
    '8',
    '行政处罚决定书',
    '2025年9月5日',
    '10',
    '6',
    '送达回证',
    '2025年9月8日',
    '11',
    '10',
    '罚没款缴纳凭证',
    '2025年9月19日',
    '12',
    '11',
    '结案审批表',
    '2025年9月23日',
    '13',
  ];

  it('keeps the rows it can read and reports no disagreement that OCR noise explains', () => {
    const truth = campaign.dossiers.find((d) => d.truth.id === 'QX-18')!.truth;
    const texts = truth.pages.map((p) => p.text);
    texts[1] = OCR_CONTENTS.join('\n');
    const r = runPrecheck(texts, { ocr: true });
    expect(r.catalogue.find((e) => e.type === 'filing_approval')).toMatchObject({ from: 1, to: 1 });
    expect(r.catalogue.find((e) => e.type === 'inquiry_record')).toMatchObject({ from: 3, to: 4 });
    expect(r.findings.filter((f) => f.rule === 'catalogue_mismatch')).toEqual([]);
    // Read as a text layer, the same numbers would be taken at their word.
    expect(runPrecheck(texts).findings.filter((f) => f.rule === 'catalogue_mismatch').length).toBeGreaterThan(0);
  });
});

describe('stamped page numbers read by OCR', () => {
  it('takes a stamp OCR missed for unread, not for missing, and sees a real gap', () => {
    const truth = campaign.dossiers.find((d) => d.truth.id === 'QX-01')!.truth;
    const texts = truth.pages.map((p) => p.text);
    // OCR lost the stamp of one page: in the middle of a numbered run that is no gap.
    const stamped = truth.pages.filter((p) => p.stampedNumber !== null);
    const lost = stamped[3]!;
    const withoutStamp = texts.map((t, i) => (i === lost.page - 1 ? t.replace(/\n\d+$/, '') : t));
    expect(runPrecheck(withoutStamp, { ocr: true }).findings.filter((f) => f.rule === 'page_numbers_missing')).toEqual([]);
    expect(
      runPrecheck(withoutStamp)
        .findings.filter((f) => f.rule === 'page_numbers_missing')
        .map((f) => f.pages),
    ).toEqual([[lost.page]]);
    // A number skipped in the stamping is a gap whatever read the text.
    const skipped = texts.map((t, i) =>
      truth.pages[i]!.stampedNumber !== null && i >= lost.page - 1 ? t.replace(/\n(\d+)$/, (_, n: string) => `\n${Number(n) + 1}`) : t,
    );
    expect(
      runPrecheck(skipped, { ocr: true })
        .findings.filter((f) => f.rule === 'page_numbers_missing')
        .map((f) => f.pages),
    ).toEqual([[lost.page - 1, lost.page]]);
  });
});

describe('the 卷内目录 against a file read by OCR, with the noise OCR brings', () => {
  /**
   * QX-01 as the offline engine reads a scan: each page's stamp first (it reads from the top), one stamp
   * misread ("13" read as "3"), one lost with a stray digit line where it was, a 目录 row whose title
   * and date were misread (so it is not split into cells), and a 文书 whose title was misread on its
   * own page (so it is not recognised and runs into the 文书 before it).
   */
  function ocrLike(): { texts: string[]; truth: DossierTruth; contents: number; doc: (t: string) => DossierTruth['documents'][number] } {
    const truth = campaign.dossiers.find((d) => d.truth.id === 'QX-01')!.truth;
    const doc = (t: string) => truth.documents.find((d) => d.type === t)!;
    const contents = doc('contents').firstPage - 1;
    const texts = truth.pages.map((p) => {
      const lines = p.text.split('\n');
      return p.stampedNumber === null ? p.text : [lines.pop()!, ...lines].join('\n');
    });
    const decision = doc('decision').firstPage - 1;
    texts[decision] = texts[decision]!.replace(/^(\d)(\d)\n/, '$2\n');
    const receipt = doc('service_receipt').firstPage - 1;
    texts[receipt] = texts[receipt]!.replace(/^\d+\n([^\n]*)\n/, '$1\n2\n');
    texts[contents] = texts[contents]!.replace('案件调查终结报告\n2025年', '案件调查终结报吉\n2025午');
    const closing = doc('closing_approval').firstPage - 1;
    texts[closing] = texts[closing]!.replace('结案审批表', '结案审枇表');
    return { texts, truth, contents, doc };
  }
  const catalogueFindings = (texts: string[], ocr = true) =>
    runPrecheck(texts, { ocr }).findings.filter((f) => f.rule === 'catalogue_mismatch');

  it('reports no disagreement the noise explains', () => {
    const { texts } = ocrLike();
    // The noise is really there: the stamps read and the 目录 row lost.
    const r = runPrecheck(texts, { ocr: true });
    expect(r.catalogue.map((e) => e.type)).not.toContain('investigation_report');
    expect(r.documents.map((d) => d.type)).not.toContain('closing_approval');
    expect(catalogueFindings(texts).map((f) => f.message)).toEqual([]);
  });

  it('still reports a 文书 the 目录 leaves out, one listed but not in the file, and rows a page off', () => {
    const { texts, contents, doc } = ocrLike();
    // The 事先告知书's row left off the 目录.
    const unlisted = texts.map((t, i) => (i === contents ? t.replace(/行政处罚事先告知书\n[^\n]+\n\d+\n/, '') : t));
    expect(catalogueFindings(unlisted).map((f) => [f.message, f.pages])).toEqual([
      [expect.stringMatching(/^卷内有《行政处罚事先告知书》.*卷内目录未列/), [doc('prior_notice').firstPage]],
    ]);
    // The 陈述申辩笔录 the 目录 lists taken out of the file.
    const gone = doc('statement_record');
    const missing = texts.filter((_, i) => i < gone.firstPage - 1 || i > gone.lastPage - 1);
    expect(catalogueFindings(missing).map((f) => f.message)).toContainEqual(expect.stringMatching(/列有《陈述申辩笔录》.*卷内未见该文书/));
    // A 目录 written before a page was taken out: every row from the 决定书 on a page too many.
    const rows = texts[contents]!.split('\n');
    const from = rows.indexOf('行政处罚决定书');
    const long = rows.map((l, i) =>
      i > from && /^\d+(-\d+)?$/.test(l) && rows[i - 1]!.startsWith('2025') ? l.replace(/\d+/g, (n) => String(Number(n) + 1)) : l,
    );
    const off = catalogueFindings(texts.map((t, i) => (i === contents ? long.join('\n') : t))).map((f) => f.message);
    expect(off).toContainEqual(expect.stringMatching(/卷内目录记载《行政处罚决定书》为第12页，实际为第11页/));
    expect(off).toContainEqual(expect.stringMatching(/卷内目录记载《送达回证》为第13页，实际为第12页/));
  });

  it('does not take the next row’s 序号 for a page number OCR lost', () => {
    const { texts, contents } = ocrLike();
    // As the engine read QX-14's 目录: 立案审批表's page "1" lost (the 2 after it is the next row's
    // 序号), 现场检查笔录's page read as "z", a full stop after 行政处罚决定书.
    const rows = texts[contents]!.split('\n');
    const first = rows.indexOf('立案审批表');
    const second = rows.indexOf('现场检查笔录');
    const lost = rows
      .map((l, i) => (i === first + 2 ? null : i === second + 2 ? 'z' : l === '行政处罚决定书' ? '行政处罚决定书.' : l))
      .filter((l): l is string => l !== null);
    const read = texts.map((t, i) => (i === contents ? lost.join('\n') : t));
    const r = runPrecheck(read, { ocr: true });
    expect(r.catalogue.find((e) => e.type === 'filing_approval')).toMatchObject({ from: 2 });
    expect(r.catalogue.find((e) => e.title === '行政处罚决定书')?.type).toBe('decision');
    expect(catalogueFindings(read)).toEqual([]);
  });

  it('takes a 目录 number that fits its neighbours for a misreading only when it could be one', () => {
    const { texts, contents, truth } = ocrLike();
    const rows = texts[contents]!.split('\n');
    const at = rows.indexOf('证据材料') + 2;
    expect(rows[at]).toBe('5-7');
    // 5-7 read as 5-1? No: that would not fit. Read as 6-7 (a 5 read as 6) it fits and is a misreading.
    const misread = rows.map((l, i) => (i === at ? '6-7' : l)).join('\n');
    expect(catalogueFindings(texts.map((t, i) => (i === contents ? misread : t)))).toEqual([]);
    // From a text layer (no other noise) the same row is the 目录's own.
    const clean = truth.pages.map((p, i) => (i === contents ? misread : p.text));
    expect(catalogueFindings(clean, false).map((f) => f.message)).toContain('卷内目录记载《证据材料》为第6-7页，实际为第5-7页。');
  });
});
