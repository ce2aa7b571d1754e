/** Pure parts of the letters: masking, numbering, layout helpers, statistics, templates and composing. */
import { describe, expect, it } from 'vitest';
import { barChart } from '../../../shared/core/bar-chart.js';
import { isOverdue, ledgerRowProblem, ledgerStatusText, problemNumber } from '../../../shared/ledger/ledger.js';
import {
  chineseDate,
  chineseDateTime,
  documentNumber,
  parseDocumentNumber,
  signatureIndents,
  textWidthChars,
} from '../../../shared/core/gbt9704.js';
import {
  addDays,
  chineseNumber,
  composeBulletin,
  composeUnitLetter,
  mergeProblems,
  problemSentence,
} from '../../../shared/letters/compose.js';
import { docText } from '../../../shared/letters/document.js';
import {
  deductionTotalText,
  goodRate,
  gradeDistribution,
  gradeSummaryText,
  locationPages,
  problemCategory,
  problemsByCategory,
  problemReference,
  problemWhere,
  problemsByItem,
  rankUnits,
  type CampaignFact,
  type FileFact,
} from '../../../shared/letters/facts.js';
import { defaultTemplate, fillPlaceholders, templateProblem, unknownPlaceholders } from '../../../shared/letters/template.js';
import { looksLikePersonName, maskIdNumber, maskPersonName, maskPhone, maskText, personNamesIn } from '../../../shared/core/mask.js';

describe('脱敏', () => {
  it('keeps the surname of a person and leaves organisations alone', () => {
    expect(maskPersonName('张三')).toBe('张某');
    expect(maskPersonName('张三丰')).toBe('张某某');
    expect(maskPersonName('欧阳明华')).toBe('欧阳某某');
    expect(maskPersonName('李国城')).toBe('李某某');
    expect(maskPersonName('某某食品有限公司')).toBe('某某食品有限公司');
    expect(maskPersonName('王家小吃店')).toBe('王家小吃店');
    expect(looksLikePersonName('法定代表人')).toBe(false);
    expect(looksLikePersonName('张某')).toBe(false);
  });

  it('masks ID and phone numbers, keeping region code and last digits', () => {
    expect(maskIdNumber('430623199001011234')).toBe('430623********1234');
    expect(maskIdNumber('43062319900101123X')).toBe('430623********123X');
    expect(maskIdNumber('430623900101123')).toBe('430623*****1123');
    expect(maskIdNumber('12345')).toBe('12345');
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('0730-1234567')).toBe('0730-***4567');
    expect(maskPhone('12345')).toBe('12345');
  });

  it('finds the people in a party field and masks them in free text', () => {
    expect(personNamesIn('某某餐饮有限公司（法定代表人：李四）')).toEqual(['李四']);
    expect(personNamesIn('张三、王五')).toEqual(['张三', '王五']);
    const text = '申请人张三（身份证号430623199001011234，电话13812345678）与李四、张三丰到场';
    expect(maskText(text, ['张三', '张三丰', '某某公司'])).toBe(
      '申请人张某（身份证号430623********1234，电话138****5678）与李四、张某某到场',
    );
    expect(maskText('案号某市监许〔2025〕12号，罚款2000元', ['张三'])).toBe('案号某市监许〔2025〕12号，罚款2000元');
  });
});

describe('GB/T 9704 helpers', () => {
  it('numbers documents with the full year in 〔〕 and no leading zeros', () => {
    expect(documentNumber('某司监', 2025, 3)).toBe('某司监〔2025〕3号');
    expect(() => documentNumber('某司监', 2025, 0)).toThrow(RangeError);
  });

  it('reads a typed 文号 only in the GB/T 9704 form', () => {
    expect(parseDocumentNumber('清司监〔2026〕3号')).toEqual({ prefix: '清司监', year: 2026, serial: 3 });
    expect(parseDocumentNumber(' 清司监〔2026〕12号 ')).toEqual({ prefix: '清司监', year: 2026, serial: 12 });
    for (const wrong of [
      '清司监〔2026〕第3号',
      '清司监〔2026〕03号',
      '清司监[2026]3号',
      '清司监（2026）3号',
      '清司监〔26〕3号',
      '〔2026〕3号',
      '清司监〔2026〕3',
    ])
      expect(parseDocumentNumber(wrong)).toBeNull();
  });

  it('writes dates the bureau’s way', () => {
    expect(chineseDate('2026-12-07')).toBe('2026年12月7日');
    expect(chineseDateTime(new Date(2026, 11, 7, 8, 5).toISOString())).toBe('2026年12月7日 08:05');
  });

  it('centres the 署名 over the date, the date four characters from the right', () => {
    // Arabic numerals are half-width: 2025年3月5日 is 6 characters wide, 2025年12月25日 is 7.
    expect(textWidthChars('2025年3月5日')).toBe(6);
    expect(textWidthChars('2025年12月25日')).toBe(7);
    expect(signatureIndents('某某县司法局', '2025年3月5日')).toEqual({ signerRightChars: 4, dateRightChars: 4 });
    // Centres: 4 + 7 / 2 = 7.5 = signer indent + 5 / 2.
    expect(signatureIndents('某县司法局', '2025年12月25日').signerRightChars).toBe(5);
    expect(signatureIndents('某某省某某市某某县人民政府办公室', '2025年3月5日').signerRightChars).toBe(0);
  });

  it('counts days across months and years, and writes Chinese ordinals', () => {
    expect(addDays('2025-01-31', 30)).toBe('2025-03-02');
    expect(addDays('2024-12-20', 15)).toBe('2025-01-04');
    expect([1, 10, 11, 20, 23].map(chineseNumber)).toEqual(['一', '十', '十一', '二十', '二十三']);
  });
});

const problem = (over: Partial<FileFact['problems'][number]> = {}): FileFact['problems'][number] => ({
  itemId: 'i1',
  itemCode: '12.5',
  itemText: '卷内材料有页号',
  category: '文书制作与案卷归档',
  deduction: 1.5,
  veto: false,
  basis: '',
  comment: '卷内材料未编页号',
  location: '',
  pages: [2],
  ...over,
});

const file = (
  caseNumber: string,
  total: number,
  grade: string,
  problems: FileFact['problems'] = [],
  over: Partial<FileFact> = {},
): FileFact => ({
  caseId: caseNumber,
  caseNumber,
  caseTitle: `${caseNumber}案`,
  caseTypeLabel: '行政许可',
  party: '',
  final: true,
  total,
  max: 100,
  grade,
  vetoed: false,
  standardName: '行政许可案卷评分表',
  problems,
  ...over,
});

const BANDS = [
  { grade: '优秀', min: 90 },
  { grade: '合格', min: 60 },
  { grade: '不合格', min: 0 },
];

function campaign(units: Array<[string, FileFact[]]>): CampaignFact {
  return {
    campaignId: 'c',
    name: '2025年度行政执法案卷评查',
    year: 2025,
    issuingBody: '某某县司法局',
    standardNames: ['行政许可案卷评分表'],
    bands: BANDS,
    failGrade: '不合格',
    units: units.map(([name, files]) => ({ unitId: name, unitName: name, reviewedCount: files.length, files })),
  };
}

describe('statistics', () => {
  it('states 优良率 per unit and overall, leaving 待合议 files out, and prints a veto’s 扣分合计 as 否决, not 0', () => {
    const c = campaign([
      [
        '甲局',
        [
          file('A1', 95, '优秀'),
          file('A2', 70, '合格'),
          file('A3', 0, '待合议', [], { final: false, disagreement: '两份评查表结论不一：周芳 否决，李明 98 分（优秀），待合议' }),
        ],
      ],
      ['乙局', [file('B1', 0, '不合格', [problem({ itemId: 'v', category: '否决项', veto: true, deduction: 0 })], { vetoed: true })]],
    ]);
    expect(rankUnits(c).map((r) => [r.unitName, r.goodRate])).toEqual([
      ['甲局', 0.5],
      ['乙局', 0],
    ]);
    expect(goodRate(c.units.flatMap((u) => u.files))).toBeCloseTo(1 / 3);
    const [veto] = problemsByCategory(c.units.flatMap((u) => u.files));
    expect(veto).toMatchObject({ category: '否决项', vetoCount: 1, deduction: 0 });
    expect(deductionTotalText(veto!)).toBe('否决');
    expect(deductionTotalText({ count: 3, vetoCount: 1, deduction: 4 })).toBe('否决1项，扣4分');
    expect(deductionTotalText({ count: 3, vetoCount: 0, deduction: 4.5 })).toBe('4.5');
  });

  it('ranks by average, breaks ties by the sum, and shares a place only when both are equal', () => {
    const c = campaign([
      ['甲局', [file('A1', 90, '优秀'), file('A2', 80, '合格')]], // avg 85, sum 170
      ['乙局', [file('B1', 85, '合格')]], // avg 85, sum 85
      ['丙局', [file('C1', 95, '优秀'), file('C2', 75, '合格')]], // avg 85, sum 170
      ['丁局', [file('D1', 99, '优秀')]],
      ['戊局', []],
    ]);
    const r = rankUnits(c);
    expect(r.map((u) => [u.unitName, u.rank, u.average, u.sum, u.grade])).toEqual([
      ['丁局', 1, 99, 99, '优秀'],
      ['丙局', 2, 85, 170, '合格'],
      ['甲局', 2, 85, 170, '合格'],
      ['乙局', 4, 85, 85, '合格'],
    ]);
  });

  it('counts grades with rates and problems by category and by item', () => {
    const files = [
      file('A', 95, '优秀', [problem()]),
      file('B', 70, '合格', [
        problem(),
        problem({ itemId: 'i2', itemCode: '8', itemText: '告知听证权利', category: '审查与决定', deduction: 10 }),
      ]),
      file('C', 40, '不合格'),
    ];
    const dist = gradeDistribution(files, ['优秀', '合格', '不合格']);
    expect(dist.map((d) => [d.grade, d.count])).toEqual([
      ['优秀', 1],
      ['合格', 1],
      ['不合格', 1],
    ]);
    expect(gradeSummaryText(dist, true)).toBe('优秀1件，占33.3%；合格1件，占33.3%；不合格1件，占33.3%');
    expect(problemsByCategory(files)).toEqual([
      { category: '文书制作与案卷归档', count: 2, fileCount: 2, deduction: 3, vetoCount: 0 },
      { category: '审查与决定', count: 1, fileCount: 1, deduction: 10, vetoCount: 0 },
    ]);
    expect(problemsByItem(files)[0]).toMatchObject({ itemCode: '12.5', count: 2, deduction: 3 });
    expect(problemCategory({ category: '执法程序', blockTitles: ['受理'] })).toBe('执法程序');
    expect(problemCategory({ category: undefined, blockTitles: ['受理', '子块'] })).toBe('受理');
  });
});

describe('templates', () => {
  it('fills known placeholders and reports unknown ones', () => {
    expect(fillPlaceholders('请于{整改期限}前报送{评查机关}。{未知}', { 整改期限: '2025年4月4日', 评查机关: '某某县司法局' })).toBe(
      '请于2025年4月4日前报送某某县司法局。{未知}',
    );
    expect(unknownPlaceholders('{被评查单位}{单位名}')).toEqual(['单位名']);
    const t = defaultTemplate('opinion');
    expect(templateProblem('opinion', t)).toBeNull();
    expect(templateProblem('opinion', { ...t, paragraphs: { ...t.paragraphs, opinion: '请{单位名}整改' } })).toBe(
      '“监督意见”中的占位符 {单位名} 无法识别。',
    );
    expect(templateProblem('opinion', { ...t, reportBackDays: 10, deadlineDays: 30 })).toBe('报送整改情况的期限不能早于整改完成期限。');
  });
});

describe('composing letters', () => {
  const files = [
    file(
      '某市监许〔2025〕7号',
      88.5,
      '合格',
      [
        problem(),
        problem({
          itemId: 'i3',
          itemCode: '2',
          itemText: '一次性告知补正内容',
          category: '受理',
          deduction: 10,
          comment: '申请人张三电话13812345678未核实',
          pages: [],
          location: '受理通知书',
        }),
      ],
      { party: '张三' },
    ),
    file('某市监许〔2025〕12号', 100, '优秀', [], { final: false }),
  ];
  const c = campaign([
    ['某某县市场监督管理局', files],
    ['某某县交通运输局', [file('某交许〔2025〕3号', 98.5, '优秀')]],
  ]);

  it('names in a unit’s letter only the standards its own files were scored against', () => {
    const mixed = {
      ...campaign([
        [
          '某某县农业农村局',
          [
            file('某农罚〔2025〕1号', 95, '优秀', [], {
              caseTypeLabel: '行政处罚（一般程序）',
              standardName: '行政处罚案卷评查参考标准（一般程序）',
            }),
          ],
        ],
        ['某某县交通运输局', [file('某交许〔2025〕3号', 98.5, '优秀')]],
      ]),
      standardNames: ['行政处罚案卷评查参考标准（一般程序）', '行政许可案卷评分表'],
    };
    const t = defaultTemplate('opinion');
    const text = docText(composeUnitLetter('opinion', mixed, '某某县农业农村局', t, { date: '2025-03-05', documentNumber: null })).join(
      '\n',
    );
    expect(text).toContain('依据《行政处罚案卷评查参考标准（一般程序）》，');
    expect(text).not.toContain('行政许可案卷评分表');
    // The 通报 covers the whole campaign: every standard used.
    expect(docText(composeBulletin(mixed, defaultTemplate('bulletin'), { date: '2025-03-05', documentNumber: null })).join('\n')).toContain(
      '《行政处罚案卷评查参考标准（一般程序）》《行政许可案卷评分表》',
    );
  });

  it('in a draft where files are drawn but not yet scored or still 待合议, says so instead of counts that disagree and "平均得分—分"', () => {
    const pending = campaign([
      [
        '清溪县自然资源局',
        [
          file('清自然资罚〔2025〕22号', 0, '待合议', [], {
            final: false,
            disagreement: '两份评查表结论不一：周芳 否决，李明 98 分（优秀），待合议',
          }),
        ],
      ],
    ]);
    pending.units[0]!.reviewedCount = 3;
    const text = docText(
      composeUnitLetter('opinion', pending, '清溪县自然资源局', defaultTemplate('opinion'), { date: '2026-12-07', documentNumber: null }),
    ).join('\n');
    expect(text).toContain('对你单位报送的3件行政执法案卷');
    expect(text).toContain('本次共评查你单位案卷1件，平均得分和等次待评查组合议定分后确定。');
    expect(text).not.toContain('—分');
    expect(text).toContain('另有2件抽取案卷尚未完成评分，未列入本意见书，其评查结果另行反馈。');
    // A unit whose drawn files are all in the letter gets no such sentence.
    expect(
      docText(
        composeUnitLetter('opinion', c, '某某县交通运输局', defaultTemplate('opinion'), { date: '2026-12-07', documentNumber: null }),
      ).join('\n'),
    ).not.toContain('尚未完成评分');
  });

  it('writes each problem once as a bureau would — 问题, 依据, 整改要求 — citing the 案号 and 案卷 page, the same problem of several files merged', () => {
    const same = (n: string, page: number) => file(n, 90, '优秀', [problem({ pages: [page], basis: '《档案法》第十四条' })]);
    const unit = campaign([
      [
        '某某县市场监督管理局',
        [
          same('（2025）清市监罚字第12号', 7),
          same('（2025）清市监罚字第15号', 3),
          file('（2025）清市监罚字第20号', 95, '优秀', [problem({ comment: '', pages: [] })]),
        ],
      ],
    ]);
    const doc = composeUnitLetter('opinion', unit, '某某县市场监督管理局', defaultTemplate('opinion'), {
      date: '2025-03-05',
      documentNumber: null,
    });
    const items = doc.blocks.filter((b) => b.type === 'h3').map((b) => (b.type === 'h3' ? (b.rest ?? '') : ''));
    expect(items).toEqual([
      '卷内材料未编页号（见（2025）清市监罚字第12号案卷第7页；（2025）清市监罚字第15号案卷第3页）。依据：《档案法》第十四条；评查标准第12.5项“卷内材料有页号”，每件扣1.5分。整改要求：逐案补正或作出书面说明。',
      // No words of the reviewer's: the item's text is the problem, printed once.
      '卷内材料有页号（见（2025）清市监罚字第20号）。依据：评查标准第12.5项，扣1.5分。整改要求：予以补正或作出书面说明。',
    ]);
    for (const rest of items) expect(rest.split('卷内材料有页号').length - 1).toBe(1);
    expect(doc.blocks.filter((b) => b.type === 'h2').map((b) => b.text)).toEqual(['（一）文书制作与案卷归档方面']);
  });

  it('names each attachment in the 附件说明 exactly as the attached document is titled (GB/T 9704 §7.3.3, §8)', () => {
    const t = defaultTemplate('opinion');
    const one = composeUnitLetter('opinion', c, '某某县市场监督管理局', t, { date: '2025-03-05', documentNumber: null });
    expect(one.attachments).toEqual(['某某县市场监督管理局案卷评查问题清单']);
    expect(one.appendices.map((a) => [a.label, a.title])).toEqual([['附件', '某某县市场监督管理局案卷评查问题清单']]);
    const two = composeUnitLetter(
      'opinion',
      c,
      '某某县市场监督管理局',
      { ...t, extraAttachments: ['案卷评查表'] },
      { date: '2025-03-05', documentNumber: null },
    );
    expect(two.attachments).toEqual(['某某县市场监督管理局案卷评查问题清单', '案卷评查表']);
    expect(two.appendices.map((a) => a.label)).toEqual(['附件1']);
  });

  it('writes the 意见书: results table, problems with standard item, deduction and page', () => {
    const t = { ...defaultTemplate('opinion'), format: 'standard' as const, numberPrefix: '某司监' };
    const doc = composeUnitLetter('opinion', c, '某某县市场监督管理局', t, { date: '2025-03-05', documentNumber: '某司监〔2025〕3号' });
    expect(doc.head).toEqual({ bodyMark: '某某县司法局文件', documentNumber: '某司监〔2025〕3号' });
    expect(doc.addressee).toBe('某某县市场监督管理局');
    const text = docText(doc).join('\n');
    expect(text).toContain('卷内材料未编页号（见某市监许〔2025〕7号案卷第2页）。依据：评查标准第12.5项“卷内材料有页号”，扣1.5分。');
    expect(text).toContain('（见某市监许〔2025〕7号（受理通知书））。依据：评查标准第2项“一次性告知补正内容”，扣10分。');
    expect(text).toContain('于2025年4月4日前整改完毕，并于2025年4月9日前将整改情况书面报送某某县司法局');
    expect(text).toContain('100分（暂定）');
    expect(doc.notes.provisionalFiles).toEqual(['某市监许〔2025〕12号']);
    expect(doc.signature).toEqual({ signer: '某某县司法局', date: '2025-03-05', dateText: '2025年3月5日' });
    expect(doc.attachments).toEqual([doc.appendices[0]!.title]);
    // Not masked unless the template says so; masked when it does.
    expect(text).toContain('张三电话13812345678');
    const masked = docText(
      composeUnitLetter('opinion', c, '某某县市场监督管理局', { ...t, mask: true }, { date: '2025-03-05', documentNumber: null }),
    ).join('\n');
    expect(masked).toContain('张某电话138****5678');
    expect(masked).not.toContain('13812345678');
  });

  it('leaves out the sections the bureau switched off', () => {
    const t = defaultTemplate('opinion');
    const doc = composeUnitLetter(
      'opinion',
      c,
      '某某县市场监督管理局',
      { ...t, sections: { ...t.sections, results: false, problemAppendix: false } },
      { date: '2025-03-05', documentNumber: null },
    );
    expect(doc.blocks.filter((b) => b.type === 'h1').map((b) => b.text)).toEqual(['一、存在的问题', '二、监督意见和整改要求']);
    expect(doc.attachments).toEqual([]);
    expect(doc.head.bodyMark).toBe('某某县司法局');
    expect(doc.note).toBeNull();
  });

  it('writes the 通报 with the ranking, grade counts, charts and the most frequent problems, masked; a provisional score is not counted', () => {
    const doc = composeBulletin(c, defaultTemplate('bulletin'), { date: '2025-03-05', documentNumber: null });
    expect(doc.title).toBe('关于2025年度行政执法案卷评查结果的通报');
    expect(doc.addressee).toBe('各有关行政执法单位');
    const ranking = doc.blocks.find((b) => b.type === 'table')!;
    expect(ranking.type === 'table' && ranking.rows).toEqual([
      ['1', '某某县交通运输局', '1', '98.5', '98.5', '优秀'],
      ['2', '某某县市场监督管理局（部分未定分）', '1', '88.5', '88.5', '合格'],
    ]);
    // The files under review (the draw) are still counted: 3 files of 2 units.
    expect(docText(doc).join('\n')).toContain('从2个行政执法单位报送的案卷中随机抽取3件');
    expect(doc.blocks.filter((b) => b.type === 'chart')).toHaveLength(3);
    const text = docText(doc).join('\n');
    expect(text).toContain('（一）受理方面。共发现问题1项，涉及案卷1件。');
    expect(text).toContain('（二）文书制作与案卷归档方面。');
    expect(text).toContain('张某电话138****5678');
  });

  it('in the 通报, lists items that add up to the count: the same words once with their number, a reason’s own “；” no second item', () => {
    const found = [
      problem({ itemId: 'e1', category: '事实证据', comment: '现场检查笔录仅一名执法人员签名；未记录检查时间' }),
      problem({ itemId: 'e2', category: '事实证据', comment: '询问笔录未经当事人核对' }),
      problem({ itemId: 'e2', category: '事实证据', comment: '询问笔录未经当事人核对。' }),
      problem({ itemId: 'e3', category: '事实证据', comment: '证据未注明来源' }),
    ];
    const c = campaign([['甲局', [file('A1', 88, '合格', found.slice(0, 2)), file('A2', 90, '优秀', found.slice(2))]]]);
    const text = docText(composeBulletin(c, defaultTemplate('bulletin'), { date: '2025-03-05', documentNumber: null })).join('\n');
    expect(text).toContain(
      '事实证据方面。共发现问题4项，涉及案卷2件。具体为：询问笔录未经当事人核对（2项）；现场检查笔录仅一名执法人员签名，未记录检查时间；证据未注明来源。',
    );
  });

  it('in the 通报, lists as many examples as it counts or says it lists a selection, and never drops a 否决 finding', () => {
    const many = ['送达回证无签名', '文书未加盖印章', '卷内材料未编页号', '文书用语不规范'].map((comment, i) =>
      problem({ itemId: `d${i}`, category: '文书制作', comment }),
    );
    const c = campaign([
      ['甲局', [file('A1', 88, '合格', many)]],
      [
        '乙局',
        [
          file('B1', 0, '不合格', [problem({ itemId: 'v', category: '否决项', veto: true, deduction: 0, comment: '执法人员无执法证' })], {
            vetoed: true,
          }),
        ],
      ],
    ]);
    const text = docText(composeBulletin(c, defaultTemplate('bulletin'), { date: '2025-03-05', documentNumber: null })).join('\n');
    expect(text).toContain('共发现问题4项，涉及案卷1件。主要表现为：送达回证无签名；文书未加盖印章；卷内材料未编页号；另有其他问题1项。');
    expect(text).toContain('否决项方面。共发现问题1项，涉及案卷1件。具体为：执法人员无执法证（属否决情形）。');
    // A file failed and no unit reached 优秀 throughout: no generic praise.
    expect(text).not.toContain('好的做法');
  });

  it('says how a veto reads', () => {
    const [veto] = mergeProblems([
      file('某罚〔2025〕1号', 0, '不合格', [
        problem({ veto: true, deduction: 0, comment: '执法人员无执法证', itemCode: 'F1', itemText: '执法主体合法', pages: [4] }),
      ]),
    ]);
    expect(problemSentence(veto!)).toBe(
      '否决：执法人员无执法证（见某罚〔2025〕1号案卷第4页）。依据：评查标准第F1项“执法主体合法”，属否决情形。整改要求：依法组织复查，确有错误的予以纠正。',
    );
  });
});

describe('整改台账 rules', () => {
  it('derives 逾期 from the deadline and requires checker, opinion and date to close', () => {
    expect(isOverdue({ status: 'pending', deadline: '2025-03-01' }, '2025-03-02')).toBe(true);
    expect(isOverdue({ status: 'closed', deadline: '2025-03-01' }, '2025-03-02')).toBe(false);
    expect(isOverdue({ status: 'in_progress', deadline: '2025-03-02' }, '2025-03-02')).toBe(false);
    // The state and 逾期 are two facts: an overdue row keeps its state and says 逾期 beside it.
    expect(ledgerStatusText({ status: 'in_progress', overdue: true })).toBe('整改中（逾期）');
    expect(ledgerStatusText({ status: 'awaiting_check', overdue: false })).toBe('已整改待核');
    expect(problemNumber(2025, 7)).toBe('ZG2025-007');
    expect(ledgerRowProblem({ status: 'closed', checker: '', checkOpinion: '', closedOn: null, deadline: null })).toBe(
      '销号前请填写核查人。',
    );
    expect(
      ledgerRowProblem({ status: 'closed', checker: '赵六', checkOpinion: '已整改到位', closedOn: '2025-04-01', deadline: null }),
    ).toBeNull();
    expect(ledgerRowProblem({ status: 'pending', checker: '', checkOpinion: '', closedOn: '2025-04-01', deadline: null })).toBe(
      '只有已销号的问题才有销号日期。',
    );
  });
});

describe('charts', () => {
  it('draws a self-contained SVG with escaped labels and the numbers in words', () => {
    const chart = barChart({
      title: '各单位平均分',
      data: [
        { label: '甲<局>', value: 88.5 },
        { label: '乙&局', value: 0 },
      ],
      unit: '分',
      decimals: 2,
      max: 100,
      markers: [{ value: 60, label: '合格线60' }],
    });
    expect(chart.svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(chart.svg).toContain('甲&lt;局&gt;');
    expect(chart.svg).toContain('乙&amp;局');
    expect(chart.svg).not.toMatch(/<script|href=/);
    expect(chart.alt).toBe('各单位平均分：甲<局> 88.5分；乙&局 0分');
    expect(chart.heightPx).toBeGreaterThan(100);
  });
});

describe('a page cited once', () => {
  it('merges a location that only names pages (a taken pre-check finding) with the evidence pages', () => {
    expect(problemReference('清市监罚〔2025〕3号', { pages: [5], location: '第3、5页' })).toBe('清市监罚〔2025〕3号案卷第3、5页');
    expect(problemWhere({ pages: [5], location: '第3页、第5页' })).toBe('第3页、第5页');
    // A location that says more than pages stays as the reviewer wrote it.
    expect(problemReference('清市监罚〔2025〕3号', { pages: [5], location: '第5页右上角' })).toBe(
      '清市监罚〔2025〕3号案卷第5页（第5页右上角）',
    );
    expect(locationPages('送达回证背面')).toBeNull();
  });
});
