/** The one reason a letter quotes per problem, and problem sentences that end once. */
import { describe, expect, it } from 'vitest';
import { rankUnits, standardShortNames, type FileFact } from '../../../shared/letters/facts.js';
import { asSentence, settledReason } from '../../../shared/scoring/settled-reason.js';

describe('the settled reason', () => {
  it('is the 评查组长’s own words where he scored the file, and the reading the panel adopted', () => {
    // Agreed (both reasons joined): the 组长's, though the reviewer delivered first.
    expect(settledReason('补正告知不全；未一次性告知补正内容', ['补正告知不全', '未一次性告知补正内容'], 1)).toBe('未一次性告知补正内容');
    expect(settledReason('', ['补正告知不全', '未一次性告知补正内容。'], 1)).toBe('未一次性告知补正内容');
    // Without the 组长's sheet, the first reviewer's.
    expect(settledReason('补正告知不全；未一次性告知补正内容', ['补正告知不全', '未一次性告知补正内容'])).toBe('补正告知不全');
    // The panel adopted one reviewer's reading: that one, even against the 组长's own words.
    expect(settledReason('卷内材料未按顺序编写页号', ['未编页号', '卷内材料未按顺序编写页号'], 0)).toBe('卷内材料未按顺序编写页号');
    expect(settledReason('未编页号', ['未编页号', '卷内材料未编页号'])).toBe('未编页号');
  });
  it('keeps the panel’s own reason and a reason all reviewers share', () => {
    expect(settledReason('合议认定：未告知听证权利', ['未告知听证权利', '送达回证无签名'])).toBe('合议认定：未告知听证权利');
    expect(settledReason('卷内材料未编页号', ['卷内材料未编页号', '卷内材料未编页号。'])).toBe('卷内材料未编页号');
    expect(settledReason('卷内材料未编页号', ['卷内材料未编页号', ''])).toBe('卷内材料未编页号');
  });

  it('prints one finding for two reviewers’ wordings of the same defect: the first reviewer’s, or words that contain it', () => {
    // Two reviewers' wordings of the one veto on a 现场检查笔录 (the 清自然资罚12 case): one finding, not both glued with "；".
    expect(
      settledReason('现场检查笔录仅一名执法人员签名；现场检查笔录只有一名执法人员签字', [
        '现场检查笔录仅一名执法人员签名',
        '现场检查笔录只有一名执法人员签字',
      ]),
    ).toBe('现场检查笔录仅一名执法人员签名');
    expect(
      settledReason('当场处罚决定书未载明执法证号。；决定书未写明执法人员证件编号（第3页）', [
        '当场处罚决定书未载明执法证号。',
        '决定书未写明执法人员证件编号（第3页）',
      ]),
    ).toBe('当场处罚决定书未载明执法证号');
    // Words that contain the first reviewer's say the same and more.
    expect(settledReason('未编页号；卷内材料未编页号', ['未编页号', '卷内材料未编页号'])).toBe('卷内材料未编页号');
    // The same words but for a full stop: one reason, not the same sentence twice.
    expect(settledReason('卷内材料未编页号；卷内材料未编页号。', ['卷内材料未编页号', '卷内材料未编页号。'])).toBe('卷内材料未编页号');
    // No agreed words at all (a provisional file): the first reviewer's.
    expect(settledReason('', ['送达回证无签名', '送达回证无受送达人签名'])).toBe('送达回证无签名');
  });

  it('ends a sentence once', () => {
    expect(asSentence('送达回证无签名；')).toBe('送达回证无签名。');
    expect(asSentence('送达回证无签名。。')).toBe('送达回证无签名。');
    expect(asSentence('  ')).toBe('');
  });
});

describe('lists of several standards', () => {
  it('shortens names while they stay distinct', () => {
    const short = standardShortNames(['行政许可案卷评查参考标准', '行政许可案卷评分表', '行政处罚案卷评查参考标准（一般程序）']);
    expect([...short.values()]).toEqual(['行政许可评查标准', '行政许可评分表', '行政处罚评查标准（一般程序）']);
  });
});

describe('the unit ranking', () => {
  const file = (caseId: string, total: number, over: Partial<FileFact> = {}): FileFact => ({
    caseId,
    caseNumber: caseId,
    caseTitle: '',
    caseTypeLabel: '行政处罚',
    party: '',
    final: true,
    total,
    max: 100,
    grade: total >= 90 ? '优秀' : '合格',
    vetoed: false,
    standardName: '测试评查标准',
    problems: [],
    ...over,
  });
  it('flags units with provisional files and keeps disputed files out of the average', () => {
    const ranking = rankUnits({
      bands: [
        { grade: '优秀', min: 90 },
        { grade: '合格', min: 60 },
        { grade: '不合格', min: 0 },
      ],
      units: [
        {
          unitId: 'a',
          unitName: '甲局',
          reviewedCount: 2,
          files: [file('1', 95), file('2', 49.75, { final: false, grade: '待合议', disagreement: '两份评查表结论不一' })],
        },
        { unitId: 'b', unitName: '乙局', reviewedCount: 1, files: [file('3', 80)] },
      ],
    });
    expect(ranking.map((r) => [r.rank, r.unitName, r.fileCount, r.average, r.provisionalCount, r.disputedCount])).toEqual([
      [1, '甲局', 2, 95, 1, 1],
      [2, '乙局', 1, 80, 0, 0],
    ]);
  });
});
