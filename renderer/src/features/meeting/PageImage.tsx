/**
 * One PDF page, fitted to its box, with evidence marks drawn over it — for the projector, where the
 * whole reader (tools, text layer, scrolling) would be in the way.
 */
import { useEffect, useRef, useState } from 'react';
import type { Rect } from '../../../../shared/annotations/annotation';
import { documentOptions, pdfjsLib } from '../dossiers';

type PdfDoc = Awaited<ReturnType<typeof pdfjsLib.getDocument>['promise']>;

export interface PageMark {
  rects: Rect[];
  color: string;
  label: string;
}

export function PageImage({
  url,
  pageNumber,
  marks,
  onError,
}: {
  url: string;
  pageNumber: number;
  marks: PageMark[];
  onError: (message: string) => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  // The loaded document with the URL it came from: a new URL destroys the old document, so a render
  // must only ever reach the live document of the current URL.
  const [loaded, setLoaded] = useState<{ url: string; doc: PdfDoc } | null>(null);
  const [boxes, setBoxes] = useState<Array<{ left: number; top: number; width: number; height: number; color: string; label: string }>>([]);
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  const onErrorRef = useRef(onError);
  onErrorRef.current = onError;

  useEffect(() => {
    const task = pdfjsLib.getDocument(documentOptions(url));
    let live = true;
    task.promise.then(
      (doc) => live && setLoaded({ url, doc }),
      () => live && onErrorRef.current('无法打开该文件，请确认文件仍在工作站中。'),
    );
    return () => {
      live = false;
      // Forget the document before destroying it: going back to this URL must load it again.
      setLoaded((current) => (current?.url === url ? null : current));
      void task.destroy();
    };
  }, [url]);

  const doc = loaded?.url === url ? loaded.doc : null;
  useEffect(() => {
    if (!doc) return;
    let live = true;
    let render: { cancel(): void; promise: Promise<unknown> } | null = null;
    doc
      .getPage(pageNumber)
      .then((page) => {
        if (!live || !box.current || !canvas.current) return;
        const unit = page.getViewport({ scale: 1 });
        const scale = Math.min(box.current.clientWidth / unit.width, box.current.clientHeight / unit.height);
        const viewport = page.getViewport({ scale });
        const ratio = window.devicePixelRatio || 1;
        const c = canvas.current;
        c.width = Math.floor(viewport.width * ratio);
        c.height = Math.floor(viewport.height * ratio);
        c.style.width = `${Math.floor(viewport.width)}px`;
        c.style.height = `${Math.floor(viewport.height)}px`;
        setSize({ width: Math.floor(viewport.width), height: Math.floor(viewport.height) });
        setBoxes(
          marks.flatMap((m) =>
            m.rects.map((r) => {
              const [x1, y1, x2, y2] = viewport.convertToViewportRectangle(r);
              return {
                left: Math.min(x1, x2),
                top: Math.min(y1, y2),
                width: Math.abs(x2 - x1),
                height: Math.abs(y2 - y1),
                color: m.color,
                label: m.label,
              };
            }),
          ),
        );
        const ctx = c.getContext('2d')!;
        ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
        render = page.render({ canvas: c, canvasContext: ctx, viewport });
        return render.promise;
      })
      // A render cancelled by the next page, or a document closed meanwhile, is not an error.
      .catch(() => undefined);
    return () => {
      live = false;
      render?.cancel();
    };
  }, [doc, pageNumber, marks]);

  return (
    <div className="page-image" ref={box}>
      <div className="page-image-sheet" style={size ?? undefined} data-page-number={pageNumber}>
        <canvas ref={canvas} aria-label={`第 ${pageNumber} 页`} />
        {boxes.map((b, i) => (
          <div
            key={i}
            className="page-mark"
            title={b.label}
            style={{ left: b.left, top: b.top, width: b.width, height: b.height, borderColor: b.color, background: `${b.color}33` }}
          />
        ))}
      </div>
    </div>
  );
}
