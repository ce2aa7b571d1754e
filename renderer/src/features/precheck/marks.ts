/**
 * The evidence marks 采纳 puts on a finding's pages: a box around the text the finding was read from
 * (found in the page's text layer by pdf.js) or, where the page has no such text (a scan, or the
 * text is not on it), a note at the page's top left carrying the finding. Each mark says it came from
 * the pre-check, so 撤销 and 不采纳 can take back exactly the marks 采纳 made.
 */
import type { AnnotationInput, Rect } from '../../../../shared/annotations/annotation';
import { noteRect } from '../../../../shared/core/geometry';
import type { PrecheckFindingView } from '../../../../shared/precheck/channels';

/** What of a loaded pdf.js document the marks need. */
export interface PdfPages {
  getPage(n: number): Promise<{
    view: number[];
    getTextContent(): Promise<{ items: Array<{ str?: string; transform?: number[]; width?: number; height?: number }> }>;
  }>;
}

/** Red, the palette's colour for a defect, so the machine's marks stand apart from yellow reading marks. */
export const PRECHECK_MARK_COLOR = '#ff6666';

/** The text every mark of a finding carries: how 撤销 finds the marks 采纳 made. */
export const markComment = (f: PrecheckFindingView): string => `【智能预审】${f.title}：${f.message}`;

const squeeze = (s: string): string => s.replace(/\s+/g, '');

/** The box around `quote` on the page, in PDF user space, or null when the text layer does not hold it. */
async function boxOf(page: Awaited<ReturnType<PdfPages['getPage']>>, quote: string): Promise<Rect | null> {
  const { items } = await page.getTextContent();
  let text = '';
  const owner: number[] = [];
  items.forEach((it, i) => {
    const s = squeeze(it.str ?? '');
    text += s;
    for (let k = 0; k < s.length; k++) owner.push(i);
  });
  // The quote as read, else its words before what the engine added to it (a "：（空白）" it saw missing).
  const whole = squeeze(quote).slice(0, 16);
  const needle = [whole, whole.split(/[：:（(]/)[0] ?? ''].find((n) => n.length >= 2 && text.includes(n));
  if (!needle) return null;
  const at = text.indexOf(needle);
  const hit = new Set(owner.slice(at, at + needle.length));
  let box: Rect | null = null;
  for (const i of hit) {
    const it = items[i]!;
    const t = it.transform;
    if (!t) continue;
    const h = it.height || Math.abs(t[3] ?? 0) || 10;
    const r: Rect = [t[4]!, t[5]! - h * 0.25, t[4]! + (it.width ?? 0), t[5]! + h];
    box = box ? [Math.min(box[0], r[0]), Math.min(box[1], r[1]), Math.max(box[2], r[2]), Math.max(box[3], r[3])] : r;
  }
  return box && [box[0] - 2, box[1] - 2, box[2] + 2, box[3] + 2];
}

/**
 * One mark per page the finding cites, linked to its checklist item. `pdfOf` gives the loaded
 * document of a file when it is the one open (other files get a note placed for an A4 page).
 */
export async function findingMarks(
  f: PrecheckFindingView,
  pdfOf: (documentId: string) => PdfPages | null,
  color: string,
  /** What OCR read on a scanned page, line by line with its box. */
  ocrLinesOf: (documentId: string, pageIndex: number) => Promise<Array<{ text: string; box: Rect }>>,
): Promise<Array<{ documentId: string; input: AnnotationInput }>> {
  const out: Array<{ documentId: string; input: AnnotationInput }> = [];
  const comment = markComment(f);
  const seen = new Set<string>();
  for (const p of f.pages) {
    const key = `${p.documentId}:${p.pageIndex}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const pdf = pdfOf(p.documentId);
    const page = pdf ? await pdf.getPage(p.pageIndex + 1).catch(() => null) : null;
    let rect: Rect | null = null;
    if (page)
      for (const q of f.quotes.filter((x) => x.page === p.casePage)) {
        rect = await boxOf(page, q.text).catch(() => null);
        if (rect) break;
      }
    if (!rect) {
      // A scan: the line OCR read the quoted text from.
      const lines = await ocrLinesOf(p.documentId, p.pageIndex).catch(() => []);
      for (const q of f.quotes.filter((x) => x.page === p.casePage)) {
        const needle = squeeze(q.text).slice(0, 8);
        const line = needle.length >= 2 && lines.find((l) => squeeze(l.text).includes(needle));
        if (line) {
          rect = [line.box[0] - 2, line.box[1] - 2, line.box[2] + 2, line.box[3] + 2];
          break;
        }
      }
    }
    const base = { id: crypto.randomUUID(), color, pageIndex: p.pageIndex, comment, checklistItemId: f.itemId };
    const view = page?.view ?? [0, 0, 595, 842];
    out.push({
      documentId: p.documentId,
      input: rect
        ? { ...base, type: 'area', position: { rects: [rect] } }
        : { ...base, type: 'note', position: { rects: [noteRect(view[0]! + 28, view[3]! - 28)] } },
    });
  }
  return out;
}
