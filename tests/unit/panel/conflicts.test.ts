/** 回避 by unit identity: the same unit however written, a sub-unit, the short name; another level or bureau is not. */
import { describe, expect, it } from 'vitest';
import { conflictReasons, sameOrganisation, unitNameKey } from '../../../shared/panel/conflicts.js';

const unit = { id: 'u1', name: '某某县市场监督管理局', shortName: '县市场监管局' };
const ctx = { region: '某某县' };

describe('conflicts', () => {
  it('matches the same organisation however it is written', () => {
    expect(sameOrganisation('某某县市场监督管理局', unit, ctx)).toBe(true);
    expect(sameOrganisation(' 某某县 市场监督管理局 ', unit, ctx)).toBe(true);
    expect(sameOrganisation('某某县市场监督管理局城关市场监管所', unit, ctx)).toBe(true);
    expect(sameOrganisation('县市场监管局', unit, ctx)).toBe(true);
    expect(unitNameKey('某局(法制科)')).toBe(unitNameKey('某局（法制科）'));
  });

  it('does not match other units, empty or too-short names', () => {
    expect(sameOrganisation('某某县公安局', unit, ctx)).toBe(false);
    expect(sameOrganisation('', unit, ctx)).toBe(false);
    expect(sameOrganisation('某某', unit, ctx)).toBe(false);
    expect(sameOrganisation('某某律师事务所', unit, ctx)).toBe(false);
    expect(sameOrganisation('某市市场监督管理局', unit, ctx)).toBe(false);
  });

  it('matches a short unit name to a full affiliation (the list says 县市场监管局, the account the full name)', () => {
    const listed = { id: 'u2', name: '县市场监管局' };
    expect(sameOrganisation('某某县市场监督管理局', listed, ctx)).toBe(true);
    expect(sameOrganisation('某某县市场监督管理局', { id: 'u3', name: '市场监管局' }, ctx)).toBe(true);
    expect(sameOrganisation('某某县交通运输局', { id: 'u4', name: '县交通局' }, ctx)).toBe(true);
    expect(sameOrganisation('某某县公安局', { id: 'u5', name: '县交通局' }, ctx)).toBe(false);
  });

  it('lists every reason: current unit, former units, declared', () => {
    const person = { affiliation: '某某县市场监督管理局', pastUnits: ['某某县公安局', '县市场监管局'] };
    expect(
      conflictReasons(
        person,
        unit,
        [
          { unitId: 'u1', reason: '配偶在该局任职' },
          { unitId: 'u2', reason: 'x' },
        ],
        ctx,
      ),
    ).toEqual([
      { kind: 'current', text: '现所在单位：某某县市场监督管理局' },
      { kind: 'past', text: '曾任职单位：县市场监管局' },
      { kind: 'declared', text: '指定回避：配偶在该局任职' },
    ]);
    expect(conflictReasons({ affiliation: '某某律师事务所', pastUnits: [] }, unit, [], ctx)).toEqual([]);
  });
});
