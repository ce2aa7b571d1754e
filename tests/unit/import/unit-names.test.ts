/** One identity per 被评查单位: messy names from county case lists, reviewers' accounts and old campaigns. */
import { describe, expect, it } from 'vitest';
import {
  belongsToUnit,
  howUnitMatches,
  inferRegion,
  matchUnitName,
  normaliseUnitName,
  regionOfIssuingBody,
  sameUnit,
  unitContext,
  unitGroupNames,
  unitMatchText,
} from '../../../shared/import/unit-names.js';

const county = { region: '清溪县' };

describe('unit names', () => {
  it('normalises width, spaces, brackets and trailing punctuation', () => {
    expect(normaliseUnitName(' 清溪县　市场监督管理局 ')).toBe('清溪县市场监督管理局');
    expect(normaliseUnitName('清溪县城市管理局(综合行政执法局)')).toBe('清溪县城市管理局（综合行政执法局）');
    expect(normaliseUnitName('清溪县公安局【交警大队】。')).toBe('清溪县公安局（交警大队）');
    expect(normaliseUnitName('ＡＢ局')).toBe('AB局');
  });

  it('reads the region of the issuing body, or of the units themselves', () => {
    expect(regionOfIssuingBody('清溪县司法局')).toBe('清溪县');
    expect(regionOfIssuingBody('某市某区司法局')).toBe('某市某区');
    expect(regionOfIssuingBody('清溪县人民政府行政执法监督局')).toBe('清溪县');
    expect(regionOfIssuingBody('评查组')).toBe('');
    expect(inferRegion(['清溪县公安局', '清溪县市场监督管理局', '桃源县公安局', '县交通局'])).toBe('清溪县');
    expect(unitContext('某市司法局', ['清溪县公安局', '清溪县林业局'])).toEqual({ region: '清溪县' });
    expect(unitContext('清溪县司法局', ['桃源县公安局'])).toEqual({ region: '清溪县' });
  });

  it('one county bureau however the list, the account or an old campaign writes it', () => {
    const same: Array<[string, string]> = [
      ['县市场监管局', '清溪县市场监督管理局'],
      ['市场监管局', '清溪县市场监督管理局'],
      ['清溪县 市场监管局 ', '县市场监督管理局'],
      ['县交通局', '清溪县交通运输局'],
      ['县自然资源局', '清溪县自然资源和规划局'],
      ['国土资源局', '清溪县自然资源和规划局'],
      ['县城管局', '清溪县综合行政执法局'],
      ['城市管理局', '县综合行政执法局'],
      ['县卫健委', '清溪县卫生健康局'],
      ['卫生健康委员会', '县卫健局'],
      ['县农业局', '清溪县农业农村局'],
      ['文旅局', '清溪县文化广电旅游局'],
      ['清溪县文化和旅游局', '县文化广电和旅游局'],
      ['县应急局', '清溪县应急管理局'],
      ['县环保局', '清溪县生态环境分局'],
      ['某市生态环境局清溪分局', '清溪县生态环境分局'],
      ['市生态环境局清溪分局', '县生态环境局'],
      ['县林业局', '清溪县林业和草原局'],
      ['公安局', '清溪县公安局'],
      ['某市清溪县公安局', '清溪县公安局'],
    ];
    for (const [a, b] of same) expect([a, b, sameUnit(a, b, county)]).toEqual([a, b, true]);
  });

  it('keeps apart units that only look alike', () => {
    const apart: Array<[string, string]> = [
      ['县市场监管局', '市市场监管局'],
      ['清溪县市场监督管理局', '桃源县市场监督管理局'],
      ['公安局', '公安局交警大队'],
      ['清溪县公安局', '清溪县公安局交通警察大队'],
      ['县交通运输局', '县公安局'],
      ['县人民法院', '县人民检察院'],
      ['县教育局', '县教育体育局交流中心'],
      ['', ''],
    ];
    for (const [a, b] of apart) expect([a, b, sameUnit(a, b, county)]).toEqual([a, b, false]);
  });

  it('a sub-unit belongs to its bureau for 回避, but not to another level or bureau', () => {
    expect(belongsToUnit('清溪县交通运输局法制科', '县交通局', county)).toBe(true);
    expect(belongsToUnit('清溪县公安局交警大队', '县公安局', county)).toBe(true);
    expect(belongsToUnit('清溪县市场监督管理局城关市场监管所', '县市场监管局', county)).toBe(true);
    expect(belongsToUnit('清溪县市场监督管理局', '市市场监管局', county)).toBe(false);
    expect(belongsToUnit('清溪律师事务所', '县市场监管局', county)).toBe(false);
    expect(belongsToUnit('', '县市场监管局', county)).toBe(false);
  });

  it('says how a name matched, and picks the strongest and fullest match', () => {
    const units = [{ name: '清溪县市场监督管理局' }, { name: '清溪县交通运输局', shortName: '县交通局' }, { name: '市市场监督管理局' }];
    expect(matchUnitName('县市场监管局', units, county)).toEqual({ unit: units[0], how: 'alias' });
    expect(matchUnitName('县市场监督管理局', units, county)).toEqual({ unit: units[0], how: 'region' });
    expect(matchUnitName('清溪县 市场监督管理局', units, county)).toEqual({ unit: units[0], how: 'written' });
    expect(matchUnitName('县交通局', units, county)).toEqual({ unit: units[1], how: 'region' });
    expect(matchUnitName('市市场监管局', units, county)?.unit).toBe(units[2]);
    expect(matchUnitName('县公安局', units, county)).toBeNull();
    expect(howUnitMatches('清溪县市场监督管理局', units[0]!, county)).toBe('same');
  });

  it('groups split units by identity under their fullest name', () => {
    const groups = unitGroupNames(
      [
        { id: 'a', name: '县市场监管局' },
        { id: 'b', name: '清溪县市场监督管理局' },
        { id: 'c', name: '清溪县公安局' },
        { id: 'd', name: '公安局交警大队' },
      ],
      county,
    );
    expect(Object.fromEntries(groups)).toEqual({
      a: '清溪县市场监督管理局',
      b: '清溪县市场监督管理局',
      c: '清溪县公安局',
      d: '公安局交警大队',
    });
  });
});

describe('what the review says about a unit name', () => {
  const base = { imported: '县市场监管局', unitName: '清溪县市场监督管理局', how: 'alias' as const, rows: 3 };
  it('says one thing: filed under a registered unit, or a unit registered now', () => {
    expect(unitMatchText({ ...base, existing: true, kept: false })).toBe('按别名归入已登记的 清溪县市场监督管理局');
    expect(unitMatchText({ ...base, existing: false, kept: false })).toBe('新登记单位 清溪县市场监督管理局（首次出现）');
    expect(unitMatchText({ ...base, existing: true, kept: true })).toBe('新登记单位 县市场监管局（首次出现，不与已知单位合并）');
    for (const existing of [true, false])
      for (const kept of [true, false]) {
        const said = unitMatchText({ ...base, existing, kept });
        // Never both "归入已登记" and "新登记" at once, never a bare arrow with a label.
        expect(said.includes('归入已登记') && said.startsWith('新登记'), said).toBe(false);
        expect(said).not.toMatch(/^→|（别名）$/);
      }
  });
});
