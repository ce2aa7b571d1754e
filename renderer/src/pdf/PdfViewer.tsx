/**
 * The dossier reader: pdf.js's own PDFViewer (continuous scroll, lazy rendering of visible pages,
 * text layer) plus one overlay per page that draws our annotations. Annotations live in PDF
 * user-space coordinates; the overlay converts through each page's current viewport, so they stay
 * put at every zoom and rotation.
 */
import { forwardRef, useCallback, useEffect, useImperativeHandle, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { createPortal } from 'react-dom';
import type { Annotation, AnnotationInput, Rect } from '../../../shared/domain/annotation';
import { normaliseRect } from '../../../shared/geometry';
import { documentOptions, pdfjsLib } from './pdfjs';
import { EventBus, PDFLinkService, PDFViewer } from './viewer-lib';

export type Tool = 'select' | 'highlight' | 'area';
export const ZOOM_PRESETS = [
  { value: 'page-width', label: '适合宽度' },
  { value: 'page-fit', label: '适合页面' },
  { value: '0.5', label: '50%' },
  { value: '0.75', label: '75%' },
  { value: '1', label: '100%' },
  { value: '1.25', label: '125%' },
  { value: '1.5', label: '150%' },
  { value: '2', label: '200%' },
  { value: '3', label: '300%' },
] as const;

type NewAnnotation = Pick<AnnotationInput, 'type' | 'pageIndex' | 'position' | 'selectedText'>;

export interface PdfViewerHandle {
  goToPage(pageNumber: number): void;
  showAnnotation(a: Annotation): void;
  setZoom(value: string): void;
  zoomBy(factor: number): void;
}

interface Props {
  url: string;
  annotations: Annotation[];
  tool: Tool;
  selectedId: string | null;
  initialPage?: number | undefined;
  onSelect(id: string | null): void;
  onCreate(a: NewAnnotation): void;
  onStatus(status: { page: number; pages: number; scale: string }): void;
  onError(message: string): void;
}

interface Viewport {
  width: number;
  height: number;
  convertToViewportRectangle(rect: number[]): number[];
  convertToPdfPoint(x: number, y: number): number[];
}
type PageView = { div: HTMLDivElement; viewport: Viewport };

function percentBox(viewport: Viewport, rect: Rect) {
  const [a, b, c, d] = viewport.convertToViewportRectangle(rect) as [number, number, number, number];
  return {
    left: `${(Math.min(a, c) / viewport.width) * 100}%`,
    top: `${(Math.min(b, d) / viewport.height) * 100}%`,
    width: `${(Math.abs(c - a) / viewport.width) * 100}%`,
    height: `${(Math.abs(d - b) / viewport.height) * 100}%`,
  };
}

/** Joins the many small rectangles of a text selection into one per line. */
export function mergeLineRects(rects: Rect[]): Rect[] {
  const sorted = rects.map(normaliseRect).sort((p, q) => q[3] - p[3] || p[0] - q[0]);
  const out: Rect[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last) {
      const overlap = Math.min(last[3], r[3]) - Math.max(last[1], r[1]);
      const minHeight = Math.min(last[3] - last[1], r[3] - r[1]);
      if (overlap > minHeight * 0.5 && r[0] <= last[2] + 3) {
        out[out.length - 1] = [Math.min(last[0], r[0]), Math.min(last[1], r[1]), Math.max(last[2], r[2]), Math.max(last[3], r[3])];
        continue;
      }
    }
    out.push(r);
  }
  return out;
}

export const PdfViewer = forwardRef<PdfViewerHandle, Props>(function PdfViewer(props, ref) {
  const containerRef = useRef<HTMLDivElement>(null);
  const viewerDivRef = useRef<HTMLDivElement>(null);
  const viewerRef = useRef<InstanceType<typeof PDFViewer> | null>(null);
  const overlays = useRef<HTMLDivElement[]>([]);
  const [pageCount, setPageCount] = useState(0);
  const [layoutTick, setLayoutTick] = useState(0);
  const [drag, setDrag] = useState<{ pageIndex: number; x0: number; y0: number; x1: number; y1: number } | null>(null);
  const propsRef = useRef(props);
  propsRef.current = props;

  const pageView = useCallback((index: number): PageView | null => {
    const v = viewerRef.current as unknown as { getPageView(i: number): PageView | undefined } | null;
    return v?.getPageView(index) ?? null;
  }, []);

  const attach = useCallback(
    (pageNumber: number) => {
      const pv = pageView(pageNumber - 1);
      const el = overlays.current[pageNumber - 1];
      if (pv && el && el.parentElement !== pv.div) pv.div.append(el);
    },
    [pageView],
  );

  useEffect(() => {
    const container = containerRef.current!;
    const eventBus = new EventBus();
    const linkService = new PDFLinkService({ eventBus });
    const viewer = new PDFViewer({ container, viewer: viewerDivRef.current!, eventBus, linkService, textLayerMode: 1 });
    linkService.setViewer(viewer);
    viewerRef.current = viewer;
    const report = (): void =>
      propsRef.current.onStatus({ page: viewer.currentPageNumber, pages: viewer.pagesCount, scale: String(viewer.currentScaleValue) });

    eventBus.on('pagesinit', () => {
      overlays.current = Array.from({ length: viewer.pagesCount }, (_, i) => {
        const el = document.createElement('div');
        el.className = 'pc-overlay';
        el.dataset.pageIndex = String(i);
        return el;
      });
      viewer.currentScaleValue = 'page-width';
      const start = propsRef.current.initialPage;
      if (start && start <= viewer.pagesCount) viewer.currentPageNumber = start;
      setPageCount(viewer.pagesCount);
      for (let n = 1; n <= viewer.pagesCount; n++) attach(n);
      report();
    });
    // pdf.js clears a page's foreign children when it re-renders it; put the overlay back each time.
    const reattach = (e: { pageNumber: number }): void => {
      attach(e.pageNumber);
      setLayoutTick((t) => t + 1);
    };
    eventBus.on('pagerender', reattach);
    eventBus.on('pagerendered', reattach);
    eventBus.on('pagechanging', report);
    eventBus.on('scalechanging', report);
    eventBus.on('rotationchanging', () => setLayoutTick((t) => t + 1));

    const task = pdfjsLib.getDocument(documentOptions(props.url));
    let cancelled = false;
    task.promise.then(
      (doc) => {
        if (cancelled) return;
        viewer.setDocument(doc);
        linkService.setDocument(doc, null);
      },
      (err: Error) => {
        if (cancelled) return;
        const name = err?.name ?? '';
        propsRef.current.onError(
          name === 'PasswordException' ? 'PDF 设有打开密码，无法显示。' : name === 'InvalidPDFException' ? 'PDF 文件已损坏，无法显示。' : `PDF 打开失败：${err?.message ?? err}`,
        );
      },
    );
    return () => {
      cancelled = true;
      viewerRef.current = null;
      viewer.setDocument(null as never);
      void task.destroy();
    };
  }, [props.url, attach]);

  useImperativeHandle(
    ref,
    () => ({
      goToPage(n) {
        const v = viewerRef.current;
        if (v && n >= 1 && n <= v.pagesCount) v.currentPageNumber = n;
      },
      showAnnotation(a) {
        const v = viewerRef.current;
        if (!v) return;
        const top = Math.max(...(a.position.rects ?? [[0, 0, 0, 0]]).map((r) => Math.max(r[1], r[3])));
        v.scrollPageIntoView({ pageNumber: a.pageIndex + 1, destArray: [null, { name: 'XYZ' }, 0, top + 40, null] });
      },
      setZoom(value) {
        if (viewerRef.current) viewerRef.current.currentScaleValue = value;
      },
      zoomBy(factor) {
        const v = viewerRef.current;
        if (v) v.currentScale = Math.min(5, Math.max(0.25, v.currentScale * factor));
      },
    }),
    [],
  );

  // Highlight tool: a finished text selection becomes one highlight per page it touches.
  useEffect(() => {
    if (props.tool !== 'highlight') return;
    const onUp = (): void => {
      const sel = window.getSelection();
      if (!sel || sel.isCollapsed || !containerRef.current?.contains(sel.anchorNode)) return;
      const text = sel.toString().trim();
      const byPage = new Map<number, Rect[]>();
      for (let r = 0; r < sel.rangeCount; r++) {
        for (const cr of Array.from(sel.getRangeAt(r).getClientRects())) {
          if (cr.width < 1 || cr.height < 1) continue;
          const cx = cr.left + cr.width / 2;
          const cy = cr.top + cr.height / 2;
          overlays.current.forEach((el, index) => {
            if (!el.isConnected) return;
            const box = el.getBoundingClientRect();
            if (cx < box.left || cx > box.right || cy < box.top || cy > box.bottom) return;
            const vp = pageView(index)?.viewport;
            if (!vp) return;
            const sx = vp.width / box.width;
            const sy = vp.height / box.height;
            const [x1, y1] = vp.convertToPdfPoint((cr.left - box.left) * sx, (cr.top - box.top) * sy) as [number, number];
            const [x2, y2] = vp.convertToPdfPoint((cr.right - box.left) * sx, (cr.bottom - box.top) * sy) as [number, number];
            byPage.set(index, [...(byPage.get(index) ?? []), normaliseRect([x1, y1, x2, y2])]);
          });
        }
      }
      for (const [pageIndex, rects] of byPage) {
        propsRef.current.onCreate({ type: 'highlight', pageIndex, position: { rects: mergeLineRects(rects) }, selectedText: text });
      }
      if (byPage.size) sel.removeAllRanges();
    };
    document.addEventListener('pointerup', onUp);
    return () => document.removeEventListener('pointerup', onUp);
  }, [props.tool, pageView]);

  const pointFor = (e: ReactPointerEvent): [number, number] => {
    const box = (e.currentTarget as HTMLElement).getBoundingClientRect();
    return [(e.clientX - box.left) / box.width, (e.clientY - box.top) / box.height];
  };

  function finishArea(): void {
    if (!drag) return;
    const vp = pageView(drag.pageIndex)?.viewport;
    setDrag(null);
    if (!vp) return;
    const [ax, ay] = [Math.min(drag.x0, drag.x1), Math.min(drag.y0, drag.y1)];
    const [bx, by] = [Math.max(drag.x0, drag.x1), Math.max(drag.y0, drag.y1)];
    if ((bx - ax) * vp.width < 6 || (by - ay) * vp.height < 6) return; // a click, not a box
    const [x1, y1] = vp.convertToPdfPoint(ax * vp.width, ay * vp.height) as [number, number];
    const [x2, y2] = vp.convertToPdfPoint(bx * vp.width, by * vp.height) as [number, number];
    props.onCreate({ type: 'area', pageIndex: drag.pageIndex, position: { rects: [normaliseRect([x1, y1, x2, y2])] } });
  }

  const byPage = new Map<number, Annotation[]>();
  for (const a of props.annotations) byPage.set(a.pageIndex, [...(byPage.get(a.pageIndex) ?? []), a]);
  void layoutTick;

  return (
    <div className={`pc-viewer tool-${props.tool}`}>
      <div ref={containerRef} className="pc-viewer-scroll" tabIndex={0} aria-label="案卷 PDF">
        <div ref={viewerDivRef} className="pdfViewer" />
      </div>
      {overlays.current.slice(0, pageCount).map((el, pageIndex) => {
        const vp = pageView(pageIndex)?.viewport;
        const marks = byPage.get(pageIndex) ?? [];
        return createPortal(
          <div
            className="pc-layer"
            data-page-index={pageIndex}
            onPointerDown={(e) => {
              if (props.tool === 'select' && e.target === e.currentTarget) props.onSelect(null);
              if (props.tool !== 'area' || e.button !== 0) return;
              e.preventDefault();
              (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
              const [x, y] = pointFor(e);
              setDrag({ pageIndex, x0: x, y0: y, x1: x, y1: y });
            }}
            onPointerMove={(e) => {
              if (!drag || drag.pageIndex !== pageIndex) return;
              const [x, y] = pointFor(e);
              setDrag({ ...drag, x1: x, y1: y });
            }}
            onPointerUp={finishArea}
          >
            {vp &&
              marks.map((a) =>
                (a.position.rects ?? []).map((r, i) => (
                  <div
                    key={`${a.id}-${i}`}
                    className={`pc-mark pc-${a.type} ${props.selectedId === a.id ? 'selected' : ''}`}
                    data-annotation-id={a.id}
                    title={a.comment || a.selectedText || undefined}
                    style={{ ...percentBox(vp, r), ['--mark' as string]: a.color }}
                    onPointerDown={(e) => {
                      if (props.tool === 'area') return;
                      e.stopPropagation();
                      props.onSelect(a.id);
                    }}
                  />
                )),
              )}
            {drag && drag.pageIndex === pageIndex && (
              <div
                className="pc-drag"
                style={{
                  left: `${Math.min(drag.x0, drag.x1) * 100}%`,
                  top: `${Math.min(drag.y0, drag.y1) * 100}%`,
                  width: `${Math.abs(drag.x1 - drag.x0) * 100}%`,
                  height: `${Math.abs(drag.y1 - drag.y0) * 100}%`,
                }}
              />
            )}
          </div>,
          el,
          `overlay-${pageIndex}`,
        );
      })}
    </div>
  );
});
