/** What the reader's page marker and the case list say about recognised text. */
import { describe, expect, it } from 'vitest';
import { LOW_OCR_CONFIDENCE, ocrFileState, ocrPageMarker, ocrPageNote, ocrTimeLeft } from '../../../shared/ocr/labels.js';

describe('the page marker of recognised text', () => {
  it('gives the mean confidence, and says so when it is low', () => {
    expect(ocrPageMarker({ status: 'text', meanConfidence: 0.964 })).toMatchObject({ label: '识别置信度 96%', low: false });
    const low = ocrPageMarker({ status: 'text', meanConfidence: LOW_OCR_CONFIDENCE - 0.01 });
    expect(low).toMatchObject({ label: '识别置信度 84%（偏低）', low: true });
    expect(low.title).toContain('橙色虚线');
  });

  it('says plainly when a page is blank or could not be read', () => {
    expect(ocrPageMarker({ status: 'blank', meanConfidence: null })).toMatchObject({ label: '空白页', low: false });
    expect(ocrPageMarker({ status: 'unreadable', meanConfidence: null })).toMatchObject({ label: '无法识别文字', low: true });
  });
});

describe('the line under the toolbar about a scanned page', () => {
  it('says the text was recognised only on a page that has recognised text', () => {
    expect(ocrPageNote({ status: 'text', meanConfidence: 1 })).toBe(
      '本页为扫描件，文字由离线识别得出 · 识别置信度 100%；引用为证据前请以原图为准。',
    );
    for (const status of ['blank', 'unreadable'] as const) {
      const note = ocrPageNote({ status, meanConfidence: null });
      expect(note).toMatch(/^本页为扫描件 · /);
      expect(note).not.toContain('识别得出');
    }
    expect(ocrPageNote({ status: 'blank', meanConfidence: null })).toBe('本页为扫描件 · 空白页，无文字');
    expect(ocrPageNote({ status: 'unreadable', meanConfidence: null })).toContain('无法识别文字');
  });
});

describe("a file's reading state in the case list", () => {
  const file = { pagesToRead: 20, pagesRead: 5, queued: true, reading: false, error: null };
  it('distinguishes read, being read, waiting, not queued and failed, in words that fit a case-list cell', () => {
    expect(ocrFileState({ ...file, pagesRead: 20, queued: false })).toEqual({ label: '已识别 20 页', short: '已识别', tone: 'ok' });
    expect(ocrFileState({ ...file, reading: true })).toEqual({ label: '正在识别 5/20 页', short: '识别中 5/20', tone: 'busy' });
    expect(ocrFileState(file)).toEqual({ label: '等待识别 5/20 页', short: '排队 5/20', tone: 'wait' });
    expect(ocrFileState({ ...file, queued: false })).toEqual({ label: '未识别 5/20 页', short: '未识别 5/20', tone: 'wait' });
    expect(ocrFileState({ ...file, queued: false, error: '读取文件失败（ENOENT）。' })).toEqual({
      label: '识别失败：读取文件失败（ENOENT）。',
      short: '识别失败',
      tone: 'error',
    });
  });
});

describe('time left of the reading', () => {
  it('says minutes, hours and minutes, or nothing when the pace is unknown', () => {
    expect(ocrTimeLeft(null)).toBeNull();
    expect(ocrTimeLeft(20)).toBe('不到 1 分钟');
    expect(ocrTimeLeft(35 * 60)).toBe('约 35 分钟');
    expect(ocrTimeLeft(125 * 60)).toBe('约 2 小时 5 分钟');
    expect(ocrTimeLeft(120 * 60)).toBe('约 2 小时');
  });
});
