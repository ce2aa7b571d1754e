/** One vocabulary for where a file stands, on every screen: each state says itself and no two read alike. */
import { describe, expect, it } from 'vitest';
import {
  REVIEW_STAGES,
  REVIEW_STAGE_LABELS,
  REVIEW_STATE_LABELS,
  REVIEW_STATES,
  reviewStage,
} from '../../../shared/panel/review-states.js';
import { pendingLabel } from '../../../shared/letters/facts.js';

describe('the words for where a file stands', () => {
  it('tells a file nobody scored from one being scored, one waiting for 合议 and a settled one', () => {
    expect(REVIEW_STATES.map((s) => REVIEW_STATE_LABELS[s])).toEqual(['未评分', '评分中', '待合议', '已定分']);
    const stages = REVIEW_STAGES.map((s) => REVIEW_STAGE_LABELS[s]);
    expect(new Set(stages).size).toBe(stages.length);
    // The case list's column and its filter use the state's own word where no route is shown.
    for (const s of REVIEW_STATES) expect(REVIEW_STAGE_LABELS[reviewStage(s, null)]).toBe(REVIEW_STATE_LABELS[s]);
    expect(REVIEW_STAGE_LABELS[reviewStage('flagged', 'panel')]).toBe('待集体评议');
    // The letters' readiness list says the same word for a file nobody scored.
    expect(pendingLabel({ caseNumber: '某许〔2025〕1号', state: 'unscored' })).toBe('某许〔2025〕1号（未评分）');
    expect(pendingLabel({ caseNumber: '某许〔2025〕1号', state: 'provisional' })).toBe('某许〔2025〕1号（未定分）');
  });
});
