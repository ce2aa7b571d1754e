/**
 * One slim line under the reader's toolbar about the page in view when it is a scan: how sure the
 * recognition of its text is, or that it has not been recognised yet (and what works on it then).
 * It sits outside the page so nothing covers the page's corners, where page numbers are checked.
 */
import type { OcrPagesOfFile } from './use-ocr-pages';
import { ocrPageMarker, ocrPageNote } from '../../../../shared/ocr/labels';

/** Tools that need the page's text: on an unrecognised scan they cannot take hold of anything. */
const TEXT_TOOLS = new Set(['select', 'highlight', 'underline']);
const TOOL_NAMES: Record<string, string> = { select: '选择文字', highlight: '高亮', underline: '下划线' };

export function OcrPageNote({ ocr, page, tool }: { ocr: OcrPagesOfFile | null; page: number; tool: string }) {
  if (!ocr) return null;
  const index = page - 1;
  if (ocr.unread.has(index))
    return (
      <div className="ocr-page-note ocr-page-unread" role="status" data-testid="ocr-page-note">
        <strong>本页为扫描件，尚未识别文字；可用框选标注。</strong>
        {TEXT_TOOLS.has(tool)
          ? ` “${TOOL_NAMES[tool]}”需要识别出的文字，本页识别完成前无法使用，请改用“框选”。`
          : ' 识别完成后可选择、高亮和检索本页文字。'}
      </div>
    );
  const read = ocr.byIndex.get(index);
  if (!read) return null;
  const marker = ocrPageMarker(read);
  return (
    <div className={`ocr-page-note${marker.low ? ' ocr-page-low' : ''}`} title={marker.title} data-testid="ocr-page-note">
      {ocrPageNote(read)}
    </div>
  );
}
