/**
 * Page thumbnails, rendered lazily: only those scrolled into (or near) view, one at a time and after
 * a short pause so the main view always renders first. A page the reader has already painted is
 * copied from its canvas instead of being rendered again (pdf.js's thumbnail viewer does the same);
 * after rendering one itself, it tells the viewer, which frees the page if it is not showing it.
 */
import { useEffect, useRef, useState, type RefObject } from 'react';
import type { LoadedDocument, PdfViewerHandle } from './pdf/PdfViewer';

const THUMB_WIDTH = 116;

export function Thumbnails({
  doc,
  currentPage,
  rotations,
  viewer,
  onPick,
}: {
  doc: LoadedDocument;
  currentPage: number;
  rotations: Record<number, number>;
  viewer: RefObject<PdfViewerHandle | null>;
  onPick(pageNumber: number): void;
}) {
  const listRef = useRef<HTMLOListElement>(null);
  const canvases = useRef(new Map<number, HTMLCanvasElement>());
  const drawn = useRef(new Map<number, number>()); // page index → rotation it was drawn with
  const queue = useRef<number[]>([]);
  const busy = useRef(false);
  const [failed, setFailed] = useState<Set<number>>(new Set());
  const rotationsRef = useRef(rotations);
  rotationsRef.current = rotations;

  const pump = useRef<() => void>(() => undefined);
  pump.current = () => {
    if (busy.current) return;
    const index = queue.current.shift();
    if (index === undefined) return;
    const canvas = canvases.current.get(index);
    const rotation = rotationsRef.current[index] ?? 0;
    if (!canvas || drawn.current.get(index) === rotation) return pump.current();
    busy.current = true;
    void draw(index, canvas, rotation).finally(() => {
      busy.current = false;
      window.setTimeout(() => pump.current(), 16);
    });
  };

  async function draw(index: number, canvas: HTMLCanvasElement, rotation: number): Promise<void> {
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const source = rotation === 0 ? viewer.current?.renderedCanvas(index) : null;
    if (source && source.width > 0) {
      const h = Math.round((THUMB_WIDTH * source.height) / source.width);
      canvas.width = THUMB_WIDTH * devicePixelRatio;
      canvas.height = h * devicePixelRatio;
      ctx.drawImage(source, 0, 0, canvas.width, canvas.height);
      drawn.current.set(index, rotation);
      return;
    }
    try {
      const page = await doc.pdf.getPage(index + 1);
      const base = page.getViewport({ scale: 1, rotation: page.rotate + rotation });
      const viewport = page.getViewport({ scale: (THUMB_WIDTH / base.width) * devicePixelRatio, rotation: page.rotate + rotation });
      canvas.width = Math.round(viewport.width);
      canvas.height = Math.round(viewport.height);
      await page.render({ canvas, canvasContext: ctx, viewport }).promise;
      drawn.current.set(index, rotation);
      viewer.current?.thumbnailRendered(index, page);
    } catch {
      setFailed((f) => new Set(f).add(index));
    }
  }

  // Render what comes into view (with a margin), nearest first.
  useEffect(() => {
    const root = listRef.current!;
    const observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          const index = Number((entry.target as HTMLElement).dataset.index);
          if (entry.isIntersecting && !queue.current.includes(index)) queue.current.push(index);
          if (!entry.isIntersecting) queue.current = queue.current.filter((i) => i !== index);
        }
        window.setTimeout(() => pump.current(), 120);
      },
      { root, rootMargin: '300px 0px' },
    );
    for (const li of Array.from(root.children)) observer.observe(li);
    return () => observer.disconnect();
  }, [doc]);

  // A rotated page's thumbnail is drawn again.
  useEffect(() => {
    for (const [index, rot] of drawn.current) {
      if ((rotations[index] ?? 0) !== rot && !queue.current.includes(index)) queue.current.unshift(index);
    }
    pump.current();
  }, [rotations]);

  useEffect(() => {
    const li = listRef.current?.children[currentPage - 1] as HTMLElement | undefined;
    li?.scrollIntoView({ block: 'nearest' });
  }, [currentPage]);

  return (
    <ol ref={listRef} className="thumbs" aria-label="页面缩略图">
      {Array.from({ length: doc.pageCount }, (_, i) => {
        const turned = (rotations[i] ?? 0) % 180 !== 0;
        const label = doc.labels?.[i];
        return (
          <li key={i} data-index={i}>
            <button
              type="button"
              className="thumb"
              aria-current={currentPage === i + 1 ? 'page' : undefined}
              aria-label={`第 ${i + 1} 页${label && label !== String(i + 1) ? `（${label}）` : ''}`}
              onClick={() => onPick(i + 1)}
            >
              <span className="thumb-box" style={{ aspectRatio: turned ? `${doc.aspect} / 1` : `1 / ${doc.aspect}` }}>
                {failed.has(i) ? (
                  <span className="thumb-error">无法显示</span>
                ) : (
                  <canvas
                    width={0}
                    height={0}
                    ref={(el) => {
                      if (el) canvases.current.set(i, el);
                      else canvases.current.delete(i);
                    }}
                  />
                )}
              </span>
              <span className="thumb-num">{label && label !== String(i + 1) ? `${i + 1} · ${label}` : i + 1}</span>
            </button>
          </li>
        );
      })}
    </ol>
  );
}
