/** The clean-up of recognised text before it is stored, on lines the recogniser really wrote on the 清溪县 scans. */
import { describe, expect, it } from 'vitest';
import { normaliseOcrText } from '../../../shared/ocr/normalise.js';

describe('recognised text before it is stored', () => {
  it('writes a 文号 year between brackets of two kinds as 〔2025〕', () => {
    expect(normaliseOcrText('清交罚〔2025）11号')).toBe('清交罚〔2025〕11号');
    expect(normaliseOcrText('编号：清交罚立〔2025]11号')).toBe('编号：清交罚立〔2025〕11号');
    expect(normaliseOcrText('江清环强（2025]6号')).toBe('江清环强〔2025〕6号');
    expect(normaliseOcrText('编号：清农罚立〔2025】17号')).toBe('编号：清农罚立〔2025〕17号');
    expect(normaliseOcrText('本机关于2025年7月7日作出查封决定（江清环强〔2025）6号）。')).toBe(
      '本机关于2025年7月7日作出查封决定（江清环强〔2025〕6号）。',
    );
  });

  it('writes a 文号 read with round or square brackets on both sides as 〔2025〕', () => {
    expect(normaliseOcrText('清市监罚（2025）12号')).toBe('清市监罚〔2025〕12号');
    expect(normaliseOcrText('清自然资罚（2025）22号')).toBe('清自然资罚〔2025〕22号');
    expect(normaliseOcrText('行政处罚决定书（清自然资罚（2025）22号）')).toBe('行政处罚决定书（清自然资罚〔2025〕22号）');
    expect(normaliseOcrText('编号：清交罚立【2025】11号')).toBe('编号：清交罚立〔2025〕11号');
    expect(normaliseOcrText('清市监罚(2025) 12号')).toBe('清市监罚〔2025〕 12号');
  });

  it('leaves a court 案号, a year in prose and brackets around other things as printed', () => {
    for (const line of [
      '清自然资罚〔2025〕22号',
      '（2025）京0105民初123号',
      '江州市中级人民法院（2025）赣01行终12号',
      '本年度（2025）共办理12件',
      '（一）责令改正',
      '罚款（80000元）',
    ]) {
      expect(normaliseOcrText(line)).toBe(line);
    }
  });

  it('writes full-width digits and letters half-width, and keeps Chinese punctuation', () => {
    expect(normaliseOcrText('５')).toBe('5');
    expect(normaliseOcrText('Ｚ')).toBe('Z');
    expect(normaliseOcrText('罚款人民币８００００元，没收违法所得')).toBe('罚款人民币80000元，没收违法所得');
    expect(normaliseOcrText('执法证号：Ｌ２５０１３，电话：１３８****５６７８')).toBe('执法证号：L25013，电话：138****5678');
    expect(normaliseOcrText('〔２０２５】')).toBe('〔2025〕');
  });

  it('keeps every line the same length, so the text layer stays over the glyphs', () => {
    for (const line of ['清交罚〔2025）11号', '５', '〔２０２５】', '清自然资罚（2025）22号', '清市监罚(2025) 12号']) {
      expect(normaliseOcrText(line)).toHaveLength(line.length);
    }
  });
});
