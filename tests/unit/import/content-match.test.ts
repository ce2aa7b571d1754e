import { describe, expect, it } from 'vitest';
import { matchContent, nameContradiction, type MatchTarget } from '../../../shared/import/match.js';
import { caseNumberKey, caseNumbersIn } from '../../../shared/dossiers/case-number.js';
import { filesToReadContent, newTarget, type PlanFile } from '../../../electron/services/import/plan.js';

const target = (key: string, caseNumber: string): MatchTarget => ({
  key,
  caseNumberKey: caseNumberKey(caseNumber),
  title: '',
  party: '',
  serial: '',
  unitName: '清溪县市场监督管理局',
});
const targets = [target('r1', '清溪市监罚〔2025〕12号'), target('r2', '清溪市监罚〔2025〕13号'), target('r3', '清溪交罚〔2025〕12号')];

describe('matching a file by the 案号 its pages state', () => {
  it('finds the row even when text before the 案号 runs into it (OCR joins lines)', () => {
    const found = caseNumbersIn('行政处罚决定书\n清溪县市场监督管理局\n清溪市监罚[2025]13号');
    expect(matchContent(targets, found)).toEqual({ target: 'r2', caseNumber: found[0] });
  });

  it('does not match a year and serial shared by two bureaus unless the prefix says which', () => {
    expect(matchContent(targets, ['〔2025〕12号'])).toBeNull();
    expect(matchContent(targets, ['清溪交罚〔2025〕12号'])).toEqual({ target: 'r3', caseNumber: '清溪交罚〔2025〕12号' });
    expect(matchContent(targets, ['清溪市监罚〔2024〕12号'])).toBeNull();
  });

  it('flags a file name whose 案号 contradicts the pages, not one that agrees or has none', () => {
    expect(nameContradiction('市场监管局/清溪市监罚〔2024〕12号某某超市案.pdf', '清溪市监罚〔2025〕12号')).toBe('清溪市监罚〔2024〕12号');
    expect(nameContradiction('市场监管局/清溪市监罚(2025)第12号.pdf', '清溪市监罚〔2025〕12号')).toBeNull();
    expect(nameContradiction('扫描件/新建文件001.pdf', '清溪市监罚〔2025〕12号')).toBeNull();
  });
});

describe('which files have their first pages read for a 案号', () => {
  const file = (key: string, path: string): PlanFile => ({
    key,
    path,
    size: 1,
    origin: { kind: 'disk', file: `/tmp/${key}.pdf` },
    refusal: null,
    target: null,
    how: null,
    candidates: [],
  });
  const files = [file('a', '扫描件/新建文件001.pdf'), file('b', '市场监管局/清溪市监罚〔2025〕12号.pdf')];

  it('reads none when there is no case to match a read 案号 against (no list, no files yet): no OCR for nothing', () => {
    expect(filesToReadContent([], files)).toEqual([]);
  });

  it('reads those whose names do not settle their case when there are cases', () => {
    const t = newTarget('r1', { caseNumber: '清溪市监罚〔2025〕12号', unitName: '清溪县市场监督管理局', caseType: 'penalty_general' });
    expect(filesToReadContent([t], files).map((f) => f.key)).toEqual(['a']);
  });
});
