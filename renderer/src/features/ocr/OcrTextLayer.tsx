/**
 * The invisible text layer of a scanned page: each line OCR read lies, transparent and selectable,
 * exactly over its words in the image, so a reviewer selects, copies and marks text on a scan as on
 * a born-digital page. Lines are placed from their boxes in PDF user space through the page's
 * viewport transform (any zoom, any rotation) and stretched to their box's width, as pdf.js does
 * with its own text layer. The marker in the corner says the text comes from recognition and how
 * sure it is; uncertain lines show themselves on hover.
 */
import { Fragment, memo } from 'react';
import type { OcrPageView } from '../../../../shared/ocr/channels';
import { LOW_OCR_CONFIDENCE, percent } from '../../../../shared/ocr/labels';
import { applyTransform, type Matrix } from '../../../../shared/core/geometry';
import './ocr.css';

/** The font the layer's spans use, also used to measure them: stretching must match what is drawn. */
const FONT_FAMILY = 'sans-serif';
let measurer: CanvasRenderingContext2D | null = null;
const widths = new Map<string, number>();

/** Width of `text` at a font size of 1, in the same unit. */
function naturalWidth(text: string): number {
  let w = widths.get(text);
  if (w !== undefined) return w;
  measurer ??= document.createElement('canvas').getContext('2d');
  if (!measurer) return text.length;
  measurer.font = `100px ${FONT_FAMILY}`;
  w = measurer.measureText(text).width / 100;
  if (widths.size > 20_000) widths.clear();
  widths.set(text, w);
  return w;
}

export interface OcrLayerGeometry {
  transform: Matrix;
  /** Viewport size in CSS pixels at the current scale. */
  width: number;
  height: number;
}

/** Text as find-in-file compares it: no spaces, letters in one case. */
const comparable = (text: string): string => text.replace(/\s+/g, '').toLowerCase();

/**
 * The words found, marked inside their line. OCR gives one box per line, not per word; the line is
 * laid out over its box with even character widths (Chinese print), so the part of the line the
 * words take is where they are printed, near enough to see which words matched.
 */
function HitInLine({ text, query }: { text: string; query: string }) {
  const q = query.trim().toLowerCase();
  const at = q ? text.toLowerCase().indexOf(q) : -1;
  // Spaces in the query or the line (find compares without them): mark the whole line.
  if (at < 0) return <mark className="pc-ocr-hit-words">{text}</mark>;
  return (
    <>
      {text.slice(0, at)}
      <mark className="pc-ocr-hit-words">{text.slice(at, at + q.length)}</mark>
      {text.slice(at + q.length)}
    </>
  );
}

export const OcrTextLayer = memo(function OcrTextLayer({
  page,
  geometry: g,
  findQuery,
  currentHit = null,
}: {
  page: OcrPageView;
  geometry: OcrLayerGeometry;
  findQuery?: string | null;
  /** Which hit on this page is the find's current one (in reading order), or null. */
  currentHit?: number | null;
}) {
  const wanted = findQuery ? comparable(findQuery) : '';
  const m = g.transform;
  // Direction of the page's x axis on screen: the page's own /Rotate plus the reader's rotation.
  const angle = (Math.atan2(m[1], m[0]) * 180) / Math.PI;
  // The find's current match is the n-th line with a hit (find counts matches in reading order).
  const hitLines = wanted ? page.lines.flatMap((l, i) => (comparable(l.text).includes(wanted) ? [i] : [])) : [];
  const currentLine = currentHit === null || hitLines.length === 0 ? -1 : hitLines[Math.min(Math.max(currentHit, 0), hitLines.length - 1)]!;
  return (
    <>
      {page.lines.length > 0 && (
        <div className="pc-ocr-text" data-testid={`ocr-text-${page.pageIndex}`} lang="zh-CN">
          {page.lines.map((line, i) => {
            const [x0, y0, x1, y1] = line.box;
            const [left, top] = applyTransform(m, x0, y1);
            const height = Math.max(1, y1 - y0);
            const natural = naturalWidth(line.text) * height;
            const stretch = natural > 0 ? (x1 - x0) / natural : 1;
            const low = line.confidence < LOW_OCR_CONFIDENCE;
            const hit = !!wanted && comparable(line.text).includes(wanted);
            return (
              <Fragment key={i}>
                <span
                  className={`pc-ocr-line${low ? ' pc-ocr-low' : ''}${hit ? ' pc-ocr-hit' : ''}${i === currentLine ? ' pc-ocr-hit-current' : ''}`}
                  title={low ? `识别置信度较低（${percent(line.confidence)}），请对照原图核对` : undefined}
                  style={{
                    left: `${(left / g.width) * 100}%`,
                    top: `${(top / g.height) * 100}%`,
                    fontSize: `calc(var(--scale-factor) * ${height.toFixed(2)}px)`,
                    transform: `rotate(${angle.toFixed(1)}deg) scaleX(${stretch.toFixed(4)})`,
                  }}
                >
                  {hit ? <HitInLine text={line.text} query={findQuery ?? ''} /> : line.text}
                </span>
                <br />
              </Fragment>
            );
          })}
        </div>
      )}
    </>
  );
});
