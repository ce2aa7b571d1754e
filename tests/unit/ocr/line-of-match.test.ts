import { describe, expect, it } from 'vitest';
import { lineOfMatch, ocrIndexText } from '../../../electron/services/ocr/index.js';
import type { OcrLine } from '../../../shared/ocr/page-text.js';

const line = (text: string, y: number): OcrLine => ({ text, box: [72, y, 520, y + 14], confidence: 0.95 });
const lines = [line('询问笔录', 760), line('当事人于2025年3月12日在清溪县', 700), line('城关镇销售过期食品。', 680)];

describe('the OCR line a search match sits in', () => {
  it('joins lines without a break, so a phrase wrapped across two lines is found, and gives the line it starts in', () => {
    expect(ocrIndexText(lines)).toBe('询问笔录当事人于2025年3月12日在清溪县城关镇销售过期食品。');
    expect(lineOfMatch(lines, '清溪县城关镇')).toBe(lines[1]);
    expect(lineOfMatch(lines, '过期食品')).toBe(lines[2]);
    expect(lineOfMatch(lines, '询问')).toBe(lines[0]);
    expect(lineOfMatch(lines, '听证')).toBeNull();
  });
});
