/**
 * What the screens say about recognised text, without zod (the reader is in the start-up bundle):
 * when a line or a page counts as uncertain, and how a page's and a file's reading state is worded.
 */

/**
 * Below this mean certainty a line (or a page) is shown as uncertain: the recogniser drops lines under
 * 0.5 altogether, and clean 150-dpi scans read at 0.95 and above, so what lies between is worth a
 * second look at the image before it is quoted as evidence.
 */
export const LOW_OCR_CONFIDENCE = 0.85;

export const percent = (confidence: number): string => `${Math.round(confidence * 100)}%`;

/** The marker on a page whose text comes from recognition. */
export function ocrPageMarker(page: { status: 'text' | 'blank' | 'unreadable'; meanConfidence: number | null }): {
  label: string;
  title: string;
  low: boolean;
} {
  if (page.status === 'blank') return { label: '空白页', title: '文字识别未在本页发现文字。', low: false };
  if (page.status === 'unreadable')
    return { label: '无法识别文字', title: '本页有图像或手写内容，但无法可靠识别出文字，请查看原图。', low: true };
  const c = page.meanConfidence ?? 0;
  const low = c < LOW_OCR_CONFIDENCE;
  return {
    label: `识别置信度 ${percent(c)}${low ? '（偏低）' : ''}`,
    title: `本页文字由离线文字识别得出（平均置信度 ${percent(c)}），可选择、复制和标注；引用为证据前请以原图为准。${low ? '置信度较低的行在鼠标悬停时以橙色虚线标出。' : ''}`,
    low,
  };
}

/**
 * The line under the toolbar about a scanned page in view: it says only what is true of that page,
 * so a blank or unreadable scan is not said to have recognised text.
 */
export function ocrPageNote(page: { status: 'text' | 'blank' | 'unreadable'; meanConfidence: number | null }): string {
  const marker = ocrPageMarker(page);
  if (page.status === 'blank') return '本页为扫描件 · 空白页，无文字';
  if (page.status === 'unreadable') return '本页为扫描件 · 无法识别文字，请查看原图';
  return `本页为扫描件，文字由离线识别得出 · ${marker.label}；引用为证据前请以原图为准。`;
}

/** A file's reading state as the case list shows it. */
export function ocrFileState(file: { pagesToRead: number; pagesRead: number; queued: boolean; reading: boolean; error: string | null }): {
  label: string;
  /** What fits a case-list cell; the whole label goes in its title. */
  short: string;
  tone: 'ok' | 'busy' | 'wait' | 'error';
} {
  const count = `${file.pagesRead}/${file.pagesToRead}`;
  if (file.error) return { label: `识别失败：${file.error}`, short: '识别失败', tone: 'error' };
  if (file.pagesRead >= file.pagesToRead) return { label: `已识别 ${file.pagesToRead} 页`, short: '已识别', tone: 'ok' };
  if (file.reading) return { label: `正在识别 ${count} 页`, short: `识别中 ${count}`, tone: 'busy' };
  if (file.queued) return { label: `等待识别 ${count} 页`, short: `排队 ${count}`, tone: 'wait' };
  return { label: `未识别 ${count} 页`, short: `未识别 ${count}`, tone: 'wait' };
}

/** How long the rest of the reading will take, as the progress line says it ("约 35 分钟"). */
export function ocrTimeLeft(seconds: number | null): string | null {
  if (seconds === null || !Number.isFinite(seconds)) return null;
  const minutes = Math.round(seconds / 60);
  if (minutes < 1) return '不到 1 分钟';
  if (minutes < 60) return `约 ${minutes} 分钟`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `约 ${hours} 小时 ${rest} 分钟` : `约 ${hours} 小时`;
}
