/**
 * The case type a late file without a case list shows itself to be, on the 清溪县 dossiers: from the
 * first pages the import reads (封面 heading, decisive 文书), else the 案号's mark; said in words.
 */
import { describe, expect, it } from 'vitest';
import { guessCaseType, guessSentence } from '../../../shared/precheck/case-type.js';
import { realisticCampaign } from '../../support/dossiers/index.js';

describe('the case type of a file without a case list', () => {
  it('is read off the first pages of every text dossier of the realistic campaign', async () => {
    const campaign = await realisticCampaign({ seed: 2025 });
    const texts = campaign.dossiers.filter((d) => !d.truth.scanned);
    expect(texts.length).toBeGreaterThanOrEqual(10);
    for (const d of texts) {
      // What the import reads of a file: its first three pages.
      const guess = guessCaseType(
        d.truth.pages.slice(0, 3).map((p) => p.text),
        '',
      );
      expect({ file: d.truth.fileName, type: guess?.caseType }).toEqual({ file: d.truth.fileName, type: d.truth.caseType });
      expect(guess!.because).toMatch(/^(封面题为“.*案卷.*”|卷内有.+)$/);
    }
  }, 240_000);

  it('falls back on the 案号’s mark, says what it inferred, and guesses nothing when neither is clear', () => {
    expect(guessCaseType([''], '清市监罚〔2025〕12号')).toEqual({
      caseType: 'penalty_general',
      because: '案号“清市监罚〔2025〕12号”中有“罚”字',
    });
    expect(guessCaseType([''], '清市监许〔2025〕3号')?.caseType).toBe('license');
    expect(guessCaseType([''], '清公强〔2025〕1号')?.caseType).toBe('coercive_measure');
    // A scan's first page has no text, and “清司〔2025〕1号” names no type: nothing is guessed.
    expect(guessCaseType([''], '清司〔2025〕1号')).toBeNull();
    expect(guessCaseType(['清溪县市场监督管理局\n行政许可案卷\n案号 清市监许〔2025〕3号'], '清市监罚〔2025〕3号')).toEqual({
      caseType: 'license',
      because: '封面题为“行政许可案卷”',
    });
    expect(guessSentence({ caseType: 'license', because: '封面题为“行政许可案卷”' })).toBe(
      '已按案卷内容推断为行政许可（封面题为“行政许可案卷”），如不对请更改。',
    );
  });
});
