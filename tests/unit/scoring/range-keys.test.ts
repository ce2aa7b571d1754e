/**
 * On a 视情况扣分 item the digit key deducts that many points; the choice list must name the same key
 * next to the same points, or a reviewer who reads "3：2 分" and presses 3 deducts 3 分.
 */
import { describe, expect, it } from 'vitest';
import { rangeChoices } from '../../../shared/scoring/scoring.js';
import type { ItemNode } from '../../../shared/standards/model.js';
import { rangeKey, SHEET_KEY_HELP } from '../../../renderer/src/features/scoring/keys.js';

const item = {
  id: 'b2',
  code: '2.2',
  text: '证据不充分',
  points: 6,
  rule: { kind: 'range', min: 1, max: 6, step: 0.5 },
} as unknown as ItemNode;

describe('number keys on a 视情况扣分 item', () => {
  it('give each whole-point choice its own number as key and none to half points', () => {
    const choices = rangeChoices(item);
    expect(choices[0]).toBe(1);
    const keyed = choices.map((c) => [c, rangeKey(c)]);
    expect(keyed.slice(0, 4)).toEqual([
      [1, '1'],
      [1.5, null],
      [2, '2'],
      [2.5, null],
    ]);
    // Every key names the points it deducts.
    for (const [c, k] of keyed) if (k) expect(Number(k)).toBe(c);
  });

  it('say so in the shortcut help', () => {
    expect(SHEET_KEY_HELP.find(([k]) => k === '1–9')![1]).toContain('2 扣 2 分');
  });
});
