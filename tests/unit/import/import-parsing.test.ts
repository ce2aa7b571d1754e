/** The pure half of import: 案号 keys, header synonyms, dates, amounts, case types, rows, matching. */
import { describe, expect, it } from 'vitest';
import { caseNumberKey, caseNumberParts, caseNumbersIn, tidyCaseNumber } from '../../../shared/dossiers/case-number.js';
import { guessMapping, headerScore, mappingToSaved, normaliseHeader, savedToMapping } from '../../../shared/import/fields.js';
import { matchFiles, type MatchTarget } from '../../../shared/import/match.js';
import { isSystemFile } from '../../../shared/import/outcomes.js';
import { guessLayout, previewValue, readCaseList, type SheetTable } from '../../../shared/import/rows.js';
import {
  cellText,
  describePenalty,
  excelSerialToIso,
  parseAmount,
  parseCaseType,
  parseChineseAmount,
  parseDate,
  parsePenalty,
} from '../../../shared/import/values.js';

describe('案号', () => {
  it('gives every spelling of one 案号 the same key', () => {
    const spellings = [
      '某市监处罚〔2025〕12号',
      '某市监处罚[2025]12号',
      '某市监处罚【2025】12号',
      '某市监处罚（2025）12号',
      '某市监处罚(2025)012号',
      '某市监处罚 〔2025〕 第12号 ',
      '某市监处罚［２０２５］１２号',
      '某市监处罚\u200b〔2025〕12號',
    ];
    const keys = new Set(spellings.map(caseNumberKey));
    expect([...keys]).toEqual(['某市监处罚〔2025〕12号']);
    expect(caseNumberKey('某市监处罚〔2025〕121号')).not.toBe(caseNumberKey('某市监处罚〔2025〕12号'));
  });

  it('tidies half-width brackets for display and keeps the rest as written', () => {
    expect(tidyCaseNumber(' 某罚[2025]7号 ')).toBe('某罚〔2025〕7号');
    expect(tidyCaseNumber('某罚(2025)7号')).toBe('某罚〔2025〕7号');
    expect(tidyCaseNumber('XZCF-2025-0007')).toBe('XZCF-2025-0007');
  });

  it('splits prefix, year and serial, and finds 案号 inside file names', () => {
    expect(caseNumberParts('某罚[2025]第007号')).toEqual({ prefix: '某罚', year: 2025, serial: 7 });
    expect(caseNumberParts('XZCF-2025-0007')).toBeNull();
    expect(caseNumbersIn('市场监管局/01-某罚[2025]12号 询问笔录.pdf')).toEqual(['某罚〔2025〕12号']);
    expect(caseNumbersIn('〔2025〕3号.pdf')).toEqual(['〔2025〕3号']);
    expect(caseNumbersIn('扫描件001.pdf')).toEqual([]);
  });
});

describe('header names', () => {
  it('normalises spaces, full-width forms, stars and bracketed units', () => {
    expect(normaliseHeader(' 案　号 ')).toEqual({ key: '案号', unit: '' });
    expect(normaliseHeader('*处罚金额\n（万元）')).toEqual({ key: '处罚金额', unit: '万元' });
    expect(normaliseHeader('立案日期(年月日)')).toEqual({ key: '立案日期', unit: '年月日' });
    expect(normaliseHeader('ＮＯ．')).toEqual({ key: 'NO.', unit: '' });
  });

  it('maps synonyms and takes each column once', () => {
    const headers = [
      '序号',
      '行政处罚决定书文号',
      '案件名称',
      '当事人名称',
      '案由',
      '执法单位',
      '案件类型',
      '立案时间',
      '办结日期',
      '罚款金额（元）',
      '处理结果',
      '办案人员',
      '一案一码',
    ];
    const m = guessMapping(headers);
    expect(m).toMatchObject({
      serial: 0,
      caseNumber: 1,
      title: 2,
      party: 3,
      cause: 4,
      enforcementBody: 5,
      caseType: 6,
      filedOn: 7,
      closedOn: 8,
      penaltyAmount: 9,
      decision: 10,
      handler: 11,
      externalCode: 12,
      unitName: null,
    });
    expect(headerScore('决定书文号', 'caseNumber')).toBeGreaterThan(headerScore('文号及日期', 'caseNumber'));
    expect(headerScore('联系电话', 'caseNumber')).toBe(0);
  });

  it('saves a mapping by header text so it follows a moved column', () => {
    const saved = mappingToSaved({ caseNumber: 3, title: 0 }, ['名称', '甲', '乙', '编 号']);
    expect(saved).toEqual({ caseNumber: '编号', title: '名称' });
    expect(savedToMapping(saved, ['编号', '名称', '其他'])).toMatchObject({ caseNumber: 0, title: 1, party: null });
    expect(savedToMapping(saved, ['案号', '名称'])).toBeNull();
  });
});

describe('dates', () => {
  it.each([
    ['2025-03-05', '2025-03-05'],
    ['2025/3/5', '2025-03-05'],
    ['2025.3.5', '2025-03-05'],
    ['2025. 03. 05', '2025-03-05'],
    ['2025年3月5日', '2025-03-05'],
    ['2025 年 03 月 05 日', '2025-03-05'],
    ['２０２５年３月５日', '2025-03-05'],
    ['二〇二五年三月五日', '2025-03-05'],
    ['二〇二五年十二月三十一日', '2025-12-31'],
    ['20250305', '2025-03-05'],
    ['2025-03-05 14:30:00', '2025-03-05'],
    ['45721', '2025-03-05'],
  ])('reads %s', (text, iso) => {
    expect(parseDate(text)).toMatchObject({ ok: true, value: iso });
  });

  it('reads Excel dates and serials, and leaves blanks empty', () => {
    expect(parseDate({ date: '2025-03-05' })).toEqual({ ok: true, value: '2025-03-05' });
    expect(parseDate(45721)).toEqual({ ok: true, value: '2025-03-05' });
    expect(parseDate(20250305)).toEqual({ ok: true, value: '2025-03-05' });
    expect(excelSerialToIso(45000)).toBe('2023-03-15');
    expect(excelSerialToIso(-1)).toBeNull();
    for (const blank of [null, '', '—', '/', '无']) expect(parseDate(blank)).toEqual({ ok: true, value: null });
  });

  it('refuses impossible and unreadable dates with a reason', () => {
    const feb30 = parseDate('2025-02-30');
    expect(feb30.ok).toBe(false);
    expect(!feb30.ok && feb30.reason).toContain('不是存在的日期');
    const word = parseDate('三月初');
    expect(!word.ok && word.reason).toContain('无法识别为日期');
    expect(parseDate(12).ok).toBe(false);
  });
});

describe('amounts', () => {
  it.each([
    [12000, '', 12000],
    ['12,000', '', 12000],
    ['12,000.50元', '', 12000.5],
    ['￥3，500', '', 3500],
    ['1.2万元', '', 12000],
    ['1.2万', '', 12000],
    ['1.2', '万元', 12000],
    [0.5, '万元', 5000],
    ['500元', '万元', 500],
    ['人民币壹万贰仟伍佰元整', '', 12500],
    ['罚款5000元，没收违法所得300元', '', 5000],
    ['—', '', null],
  ])('reads %s (header unit %s)', (value, unit, expected) => {
    expect(parseAmount(value, unit)).toEqual({ ok: true, value: expected });
  });

  it('reads Chinese numerals and refuses text that is not an amount', () => {
    expect(parseChineseAmount('叁仟元')).toBe(3000);
    expect(parseChineseAmount('贰拾万元整')).toBe(200000);
    expect(parseChineseAmount('壹佰元伍角')).toBe(100.5);
    const warning = parseAmount('警告');
    expect(!warning.ok && warning.reason).toContain('无法识别为金额');
  });
});

describe('the 处罚金额 cell: 罚款 and 没收 as counties write them', () => {
  it.each([
    ['5000', 5000, null],
    ['5,000元', 5000, null],
    ['5000.00', 5000, null],
    ['伍仟元整', 5000, null],
    ['0.5万元', 5000, null],
    ['1.2万', 12000, null],
    ['罚款5000元，没收违法所得120元', 5000, 120],
    ['没收违法所得120元，罚款伍仟元', 5000, 120],
    ['没收非法财物折价3,000元', null, 3000],
    ['10,120（含没收违法所得120）', 10000, 120],
    ['10120元(其中没收违法所得120元)', 10000, 120],
  ] as const)('reads %s as 罚款 %s, 没收 %s', (text, fine, confiscated) => {
    const parsed = parsePenalty(text);
    expect(parsed).toMatchObject({ ok: true, value: { fine, confiscated } });
  });

  it('says what it assumed for a total that includes the confiscation', () => {
    const parsed = parsePenalty('10,120（含没收违法所得120）');
    expect(parsed.ok && parsed.value.assumption).toBe('合计 10,120 元中含没收违法所得 120 元，罚款按其余的 10,000 元计');
    expect(parsed.ok && describePenalty(parsed.value)).toBe('罚款 10,000 元，没收违法所得 120 元');
  });

  it('takes 警告 and 责令改正 as decisions without an amount, blanks as nothing, and refuses what is neither', () => {
    for (const words of ['警告', '责令改正', '不予处罚'])
      expect(parsePenalty(words)).toEqual({ ok: true, value: { fine: null, confiscated: null, decisionText: words, assumption: null } });
    for (const blank of [null, '', '—', '无'])
      expect(parsePenalty(blank)).toEqual({ ok: true, value: { fine: null, confiscated: null, decisionText: '', assumption: null } });
    // "一批" is no amount: the confiscation is a decision, not "1 元".
    expect(parsePenalty('没收非法财物一批')).toMatchObject({
      ok: true,
      value: { fine: null, confiscated: null, decisionText: '没收非法财物一批' },
    });
    expect(parsePenalty('若干').ok).toBe(false);
    expect(parsePenalty('10,120（含没收违法所得20,000）').ok).toBe(false);
  });
});

describe('every value the import changes or cannot read is listed with its row, for all rows', () => {
  const header = ['序号', '案号', '案件名称', '处罚金额', '决定内容', '立案日期'];
  const rows: SheetTable['rows'] = [header];
  for (let n = 1; n <= 20; n++) rows.push([n, `某市监罚〔2025〕${n}号`, `案件${n}`, 1000 * n, '', '2025-01-06']);
  // Far below any preview: rows 18, 19, 20 and 21 of the sheet.
  rows[17] = [17, '某市监罚〔2025〕17号', '案件17', '10,120（含没收违法所得120）', '', '2025.3.5'];
  rows[18] = [18, '某市监罚〔2025〕18号', '案件18', '警告', '', '45703'];
  rows[19] = [19, '某市监罚〔2025〕19号', '案件19', '若干', '', '三月初'];
  rows[20] = [20, '某市监罚〔2025〕20号', '案件20', '', '罚款5000元，没收违法所得300元', { date: '2025-03-05' }];
  const table: SheetTable = { name: '清单', rows };

  it('keeps both amounts and the text as written, and says so row by row', () => {
    const layout = guessLayout(table);
    const reading = readCaseList(table, layout.headerRow, layout.mapping, {
      unitName: '某某县市场监督管理局',
      caseType: 'penalty_general',
    });
    const row = (n: number) => reading.drafts.find((d) => d.rowNumber === n)!;
    expect(row(18)).toMatchObject({
      penaltyAmount: 10000,
      confiscatedAmount: 120,
      penaltyText: '10,120（含没收违法所得120）',
      filedOn: '2025-03-05',
      status: 'ok',
    });
    expect(row(18).issues).toEqual([
      {
        field: 'penaltyAmount',
        severity: 'info',
        message: '合计 10,120 元中含没收违法所得 120 元，罚款按其余的 10,000 元计',
        raw: '10,120（含没收违法所得120）',
        stored: '罚款 10,000 元，没收违法所得 120 元',
      },
    ]);
    expect(row(19)).toMatchObject({ penaltyAmount: null, decision: '警告', filedOn: '2025-02-15', status: 'ok' });
    expect(row(19).issues).toEqual([
      { field: 'filedOn', severity: 'info', message: '立案日期按 Excel 日期序号读出', raw: '45703', stored: '2025-02-15' },
      {
        field: 'penaltyAmount',
        severity: 'info',
        message: '处罚金额栏写的是决定内容，没有金额',
        raw: '警告',
        stored: '无金额，记为决定内容「警告」',
      },
    ]);
    expect(row(20)).toMatchObject({ penaltyAmount: null, penaltyText: '若干', filedOn: null, status: 'ok' });
    expect(row(20).issues.map((i) => [i.field, i.severity, i.raw, i.stored])).toEqual([
      ['filedOn', 'warning', '三月初', '留空'],
      ['penaltyAmount', 'warning', '若干', '留空'],
    ]);
    expect(row(21)).toMatchObject({ penaltyAmount: 5000, confiscatedAmount: 300, filedOn: '2025-03-05' });
    expect(row(21).issues).toEqual([
      {
        field: 'decision',
        severity: 'info',
        message: '处罚金额栏没有金额，金额按决定内容读出',
        raw: '罚款5000元，没收违法所得300元',
        stored: '罚款 5,000 元，没收违法所得 300 元',
      },
    ]);
    // Plain values are stored as written and say nothing.
    expect(row(5)).toMatchObject({ penaltyAmount: 4000, confiscatedAmount: null, issues: [] });
  });

  it('says what a continuation row of a merged case and an overlong cell lose', () => {
    const merged: SheetTable = {
      name: '清单',
      rows: [
        ['案号', '当事人', '案由', '处罚金额'],
        ['某市监罚〔2025〕1号', '甲公司', '超范围经营', '3000'],
        [null, '乙公司', null, '2000'],
        ['某市监罚〔2025〕2号', '丙公司', '虚'.repeat(2100), '500'],
      ],
      mergedFromAbove: ['2,0'],
    };
    const layout = guessLayout(merged);
    const [first, second] = readCaseList(merged, layout.headerRow, layout.mapping, {
      unitName: '某局',
      caseType: 'penalty_general',
    }).drafts;
    expect(first).toMatchObject({ party: '甲公司；乙公司', penaltyAmount: 3000 });
    expect(first!.issues).toEqual([
      {
        field: 'penaltyAmount',
        severity: 'warning',
        message: '第 3 行是本案的续行（案号单元格合并），该行的处罚金额未登记',
        raw: '2000',
        stored: '未登记',
      },
    ]);
    expect(second!.cause).toHaveLength(2000);
    expect(second!.issues).toEqual([{ field: 'cause', severity: 'warning', message: '案由超过 2000 字，只登记前 2000 字（共 2100 字）' }]);
  });
});

describe('case types', () => {
  it('reads the words units use', () => {
    expect(parseCaseType('行政处罚')).toBe('penalty_general');
    expect(parseCaseType('行政处罚（简易程序）')).toBe('penalty_simple');
    expect(parseCaseType('一般程序')).toBe('penalty_general');
    expect(parseCaseType('行政许可')).toBe('license');
    expect(parseCaseType('查封扣押')).toBe('coercive_measure');
    expect(parseCaseType('行政强制执行')).toBe('coercive_enforcement');
    expect(parseCaseType('行政检查')).toBe('inspection');
    expect(parseCaseType('行政确认')).toBe('other');
    expect(parseCaseType('不知道')).toBeNull();
  });
});

describe('reading a messy list', () => {
  const table: SheetTable = {
    name: '案件清单',
    rows: [
      [
        '某某县市场监督管理局2025年度行政执法案卷清单',
        '某某县市场监督管理局2025年度行政执法案卷清单',
        '某某县市场监督管理局2025年度行政执法案卷清单',
      ],
      ['填报单位：某某县市场监督管理局', null, null],
      ['序 号', '决定书文号 ', '案件名称', '当事人', '案件类型', '立案日期', '结案日期', '处罚金额\n（万元）', '承办人'],
      [1, '某市监罚[2025]1号  ', '某某超市销售过期食品案 ', '某某超市', '行政处罚', { date: '2025-01-06' }, '2025.3.5', 1.2, '张三、李四'],
      [null, null, null, null, null, null, null, null, null],
      [2, '某市监罚（2025）第002号', '某某药店案', '某某药店', '简易程序', 45703, '2025年3月5日', '500元', '王五'],
      [3, '', '无案号的案件', '某人', '行政处罚', null, null, null, null],
      [4, '某市监罚〔2025〕1号', '重复登记', '某某超市', '行政处罚', null, null, null, null],
      [5, '某市监罚〔2025〕5号', '日期写错的案件', '某公司', '稽查', '2025-02-30', '2025-01-01', '警告', '赵六'],
      ['序号', '决定书文号', '案件名称', '当事人', '案件类型', '立案日期', '结案日期', '处罚金额', '承办人'],
      ['合计', null, null, null, null, null, null, 1.25, null],
      ['填表人：孙七', null, null, null, null, null, null, null, null],
    ],
  };

  it('finds the header below the title rows and maps the spaced, bracketed names', () => {
    const layout = guessLayout(table);
    expect(layout.headerRow).toBe(2);
    expect(layout.mapping).toMatchObject({
      serial: 0,
      caseNumber: 1,
      title: 2,
      party: 3,
      caseType: 4,
      filedOn: 5,
      closedOn: 6,
      penaltyAmount: 7,
      handler: 8,
      unitName: null,
    });
  });

  it('normalises every row and keeps each problem with its row', () => {
    const layout = guessLayout(table);
    const reading = readCaseList(table, layout.headerRow, layout.mapping, { unitName: '某某县市场监督管理局' });
    expect(reading.blankRows).toBe(1);
    expect(reading.skipped.map((s) => s.rowNumber)).toEqual([10, 11, 12]);
    const [r1, r2, r3, r4, r5] = reading.drafts;
    expect(r1).toMatchObject({
      rowNumber: 4,
      caseNumber: '某市监罚〔2025〕1号',
      caseNumberKey: '某市监罚〔2025〕1号',
      title: '某某超市销售过期食品案',
      unitName: '某某县市场监督管理局',
      caseType: 'penalty_general',
      filedOn: '2025-01-06',
      closedOn: '2025-03-05',
      penaltyAmount: 12000,
      status: 'ok',
      issues: [],
    });
    expect(r2).toMatchObject({
      caseNumberKey: '某市监罚〔2025〕2号',
      caseType: 'penalty_simple',
      filedOn: '2025-02-15',
      closedOn: '2025-03-05',
      penaltyAmount: 500,
      status: 'ok',
    });
    expect(r3).toMatchObject({ status: 'error', issues: [{ field: 'caseNumber', severity: 'error', message: '缺少案号' }] });
    expect(r4).toMatchObject({ status: 'duplicate', duplicateOf: 'r4' });
    expect(r4!.issues[0]!.message).toContain('与第 4 行重复');
    expect(r5!.status).toBe('error');
    expect(r5!.issues.map((i) => i.message)).toEqual([
      expect.stringContaining('案件类型“稽查”无法识别'),
      expect.stringContaining('立案日期“2025-02-30”不是存在的日期'),
      '处罚金额栏写的是决定内容，没有金额',
    ]);
    expect(r5!.decision).toBe('警告');
  });

  it('uses the default case type for unreadable types, with a warning', () => {
    const layout = guessLayout(table);
    const reading = readCaseList(table, layout.headerRow, layout.mapping, { unitName: '某局', caseType: 'inspection' });
    const r5 = reading.drafts.find((d) => d.rowNumber === 9)!;
    expect(r5).toMatchObject({ caseType: 'inspection', status: 'ok' });
    expect(r5.issues.every((i) => i.severity !== 'error')).toBe(true);
  });

  it('joins the rows of one case whose 案号 cell is merged', () => {
    const merged: SheetTable = {
      name: 's',
      rows: [
        ['案号', '当事人', '被评查单位', '案件类型'],
        ['某罚〔2025〕9号', '甲公司', '某局', '处罚'],
        ['某罚〔2025〕9号', '乙公司', '某局', '处罚'],
        ['某罚〔2025〕10号', '丙', '某局', '处罚'],
      ],
      mergedFromAbove: ['2,0', '2,2', '2,3'],
    };
    const reading = readCaseList(merged, 0, guessMapping(['案号', '当事人', '被评查单位', '案件类型']));
    expect(reading.drafts.map((d) => [d.caseNumber, d.party, d.status])).toEqual([
      ['某罚〔2025〕9号', '甲公司；乙公司', 'ok'],
      ['某罚〔2025〕10号', '丙', 'ok'],
    ]);
  });

  it('refuses rows without a unit when the list has no unit column and none is given', () => {
    const t: SheetTable = {
      name: 's',
      rows: [
        ['案号', '案件类型'],
        ['某罚〔2025〕1号', '处罚'],
      ],
    };
    const reading = readCaseList(t, 0, guessMapping(['案号', '案件类型']));
    expect(reading.drafts[0]).toMatchObject({ status: 'error', issues: [{ field: 'unitName', severity: 'error' }] });
  });
});

describe('matching files to cases', () => {
  const target = (key: string, caseNumber: string, extra: Partial<MatchTarget> = {}): MatchTarget => ({
    key,
    caseNumberKey: caseNumberKey(caseNumber),
    title: '',
    party: '',
    serial: '',
    unitName: '某某县市场监督管理局',
    ...extra,
  });
  const targets = [
    target('r1', '某市监罚〔2025〕1号', { title: '某某超市销售过期食品案', party: '某某超市', serial: '1' }),
    target('r2', '某市监罚〔2025〕12号', { party: '张三', serial: '2' }),
    target('r3', '某交罚〔2025〕12号', { unitName: '某某县交通运输局', unitShortName: '交通局', serial: '3' }),
    target('r4', 'XZCF-2025-0044', { serial: '4' }),
  ];

  it('matches by 案号 in any spelling, by year and serial, name, party and 序号', () => {
    const results = matchFiles(targets, [
      { key: 'a', path: '市场监管/某市监罚[2025]1号/01-立案审批表.pdf' },
      { key: 'b', path: '某市监罚（2025）第012号.pdf' },
      { key: 'c', path: '交通局/〔2025〕12号 处罚决定书.pdf' },
      { key: 'd', path: '某某超市销售过期食品案-询问笔录.pdf' },
      { key: 'e', path: '张三/决定书.pdf' },
      { key: 'f', path: '04/扫描件.pdf' },
      { key: 'g', path: '案卷/XZCF-2025-0044.pdf' },
      { key: 'h', path: '〔2025〕12号.pdf' },
      { key: 'i', path: '无关文件.pdf' },
      { key: 'j', path: '某市监罚〔2025〕121号.pdf' },
    ]);
    expect(Object.fromEntries(results)).toEqual({
      a: { status: 'matched', target: 'r1', how: 'caseNumber' },
      b: { status: 'matched', target: 'r2', how: 'caseNumber' },
      c: { status: 'matched', target: 'r3', how: 'yearSerial' },
      d: { status: 'matched', target: 'r1', how: 'title' },
      e: { status: 'matched', target: 'r2', how: 'party' },
      f: { status: 'matched', target: 'r4', how: 'serial' },
      g: { status: 'matched', target: 'r4', how: 'caseNumber' },
      h: { status: 'ambiguous', candidates: ['r2', 'r3'] },
      i: { status: 'unmatched' },
      j: { status: 'unmatched' },
    });
  });

  it('ignores the litter of Windows and macOS copies', () => {
    expect(isSystemFile('案卷/__MACOSX/._a.pdf')).toBe(true);
    expect(isSystemFile('案卷/Thumbs.db')).toBe(true);
    expect(isSystemFile('案卷/~$清单.xlsx')).toBe(true);
    expect(isSystemFile('案卷/某罚〔2025〕1号.pdf')).toBe(false);
  });
});

describe('cell text', () => {
  it('trims, folds spaces and keeps numbers as written', () => {
    expect(cellText('  某某  超市 \u3000')).toBe('某某 超市');
    expect(cellText(12000)).toBe('12000');
    expect(cellText(0.1 + 0.2)).toBe('0.3');
    expect(cellText({ date: '2025-03-05' })).toBe('2025-03-05');
  });
});

describe('the mapping preview shows values as the import stores them', () => {
  it('tidies 案号, converts dates and 万元 amounts, names case types, and flags what it cannot read', () => {
    expect(previewValue('caseNumber', '某市监罚[2025]1号  ')).toEqual({ text: '某市监罚〔2025〕1号', ok: true });
    expect(previewValue('filedOn', '45703')).toEqual({ text: '2025-02-15', ok: true });
    expect(previewValue('closedOn', '二〇二五年二月十日')).toEqual({ text: '2025-02-10', ok: true });
    expect(previewValue('closedOn', '下月')).toEqual({ text: '下月', ok: false });
    expect(previewValue('penaltyAmount', '1.2', '处罚金额\n（万元）')).toEqual({ text: '12,000 元', ok: true });
    expect(previewValue('penaltyAmount', '15,000.00', '罚款金额（元）')).toEqual({ text: '15,000 元', ok: true });
    expect(previewValue('penaltyAmount', '若干')).toEqual({ text: '若干', ok: false });
    expect(previewValue('penaltyAmount', '10,120（含没收违法所得120）')).toEqual({ text: '罚款 10,000 元，没收违法所得 120 元', ok: true });
    expect(previewValue('penaltyAmount', '警告')).toEqual({ text: '（决定内容）警告', ok: true });
    expect(previewValue('caseType', '行政处罚（一般程序）')).toEqual({ text: expect.stringContaining('一般'), ok: true });
    expect(previewValue('caseType', '会议纪要')).toMatchObject({ text: '会议纪要', ok: false });
    expect(previewValue('party', '某某超市')).toEqual({ text: '某某超市', ok: true });
  });

  it('shows a combined 处罚金额/决定内容 column as the amounts it stores, in 元', () => {
    const header = '处罚金额/决定内容';
    expect(previewValue('decision', '50,320（含没收违法所得320）', '', header)).toEqual({
      text: '罚款 50,000 元，没收违法所得 320 元',
      ok: true,
    });
    expect(previewValue('decision', '200,000元', '', header)).toEqual({ text: '罚款 200,000 元', ok: true });
    expect(previewValue('decision', '伍仟元整', '', header)).toEqual({ text: '罚款 5,000 元', ok: true });
    expect(previewValue('decision', '1.2', '', '罚款金额或处理结果（万元）')).toEqual({ text: '罚款 12,000 元', ok: true });
    // Words only, or a plain 决定内容 column: stored as written.
    expect(previewValue('decision', '准予许可', '', header)).toEqual({ text: '准予许可', ok: true });
    expect(previewValue('decision', '200,000元')).toEqual({ text: '200,000元', ok: true });
  });
});
