/**
 * The dossier reader: pdf.js's own PDFViewer (continuous scroll; only the visible pages and two on
 * either side are rendered and kept; text layer; find controller with hit highlighting) plus our
 * annotation layer on each page that is alive.
 *
 * pdf.js removes foreign children when it resets a page, so each page's overlay element is kept
 * here and put back whenever the page starts or finishes drawing; React renders into it through a
 * portal only while the page is rendered (cost follows the visible pages, not the page count).
 */
import { forwardRef, memo, useCallback, useEffect, useImperativeHandle, useMemo, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist';
import type { Annotation, Rect } from '../../../../../shared/annotations/annotation';
import { boundingRect, mergeLineRects, normaliseRect, toUserPoint, type Matrix } from '../../../../../shared/core/geometry';
import type { OcrPageView } from '../../../../../shared/ocr/channels';
import { OcrTextLayer } from '../../ocr';
import { PageLayer, type LayerActions, type NewAnnotation, type PageGeometry, type Tool } from './PageLayer';
import { loadDocument, pdfjsLib } from './pdfjs';
import { ReaderL10n } from './l10n';
import { EventBus, PDFFindController, PDFLinkService, PDFViewer, RenderingStates } from './viewer-lib';
import { hideMatchesOn, pendingTextExtractions, visiblePages } from './viewer-internals';

export type { Tool, NewAnnotation } from './PageLayer';

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

export interface ViewerStatus {
  page: number;
  pages: number;
  /** The page's label when the PDF defines labels that differ from the numbers. */
  label: string | null;
  scaleValue: string;
  scale: number;
}

export interface FindStatus {
  state: 'idle' | 'pending' | 'found' | 'notfound' | 'wrapped';
  current: number;
  total: number;
}

export interface OutlineNode {
  title: string;
  dest: unknown;
  items: OutlineNode[];
}

export interface LoadedDocument {
  pdf: PDFDocumentProxy;
  pageCount: number;
  labels: string[] | null;
  outline: OutlineNode[] | null;
  /** Height / width of page 1, for placeholders (thumbnails) before a page is measured. */
  aspect: number;
}

export interface PdfViewerHandle {
  goToPage(pageNumber: number): void;
  /** A page label ("iii", "A-3") or number typed by a person; false when it names no page. */
  goToLabel(text: string): boolean;
  nextPage(): void;
  previousPage(): void;
  firstPage(): void;
  lastPage(): void;
  showAnnotation(a: Annotation): void;
  setZoom(value: string): void;
  zoomBy(steps: number): void;
  find(query: string, options?: { again?: boolean; previous?: boolean }): void;
  clearFind(): void;
  goToDestination(dest: unknown): void;
  /** The finished canvas of a rendered page (thumbnails copy it instead of rendering again). */
  renderedCanvas(pageIndex: number): HTMLCanvasElement | null;
  /** A thumbnail rendered this page: the viewer frees its resources if it is not showing it. */
  thumbnailRendered(pageIndex: number, page: PDFPageProxy): void;
  /** Turns the current text selection into highlights/underlines; false when nothing is selected. */
  markSelection(type: 'highlight' | 'underline'): boolean;
  focus(): void;
}

interface Props {
  url: string;
  annotations: Annotation[];
  tool: Tool;
  editable: boolean;
  userId: string;
  selectedId: string | null;
  popupOpen: boolean;
  /** Extra rotation per page index (degrees, multiples of 90). */
  rotations: Record<number, number>;
  initialPage?: number | undefined;
  initialQuery?: string | undefined;
  currentItem: { id: string; label: string } | null;
  itemLabel(itemId: string): string;
  /** What OCR read on the file's scanned pages: their invisible, selectable text layer. */
  ocrPages?: ReadonlyMap<number, OcrPageView> | null | undefined;
  actions: Omit<LayerActions, 'create'>;
  onCreate(a: NewAnnotation): void;
  onStatus(status: ViewerStatus): void;
  onFind(status: FindStatus): void;
  onLoaded(doc: LoadedDocument): void;
  /** The first page is on screen (later work — thumbnails, integrity checks — waits for it). */
  onFirstPaint?(): void;
  onError(message: string): void;
}

interface PageViewLike {
  id: number;
  div: HTMLDivElement;
  viewport: { width: number; height: number; scale: number; transform: number[] };
  rotation: number;
  renderingState: number;
  pdfPage: PDFPageProxy | null;
  thumbnailCanvas: HTMLCanvasElement | null;
  update(args: { rotation?: number }): void;
}

const FIND_STATES = ['found', 'notfound', 'wrapped', 'pending'] as const;

function pdfErrorMessage(err: unknown): string {
  const e = err as { name?: string; message?: string } | null;
  if (e?.name === 'PasswordException') return 'PDF 设有打开密码，无法显示。';
  if (e?.name === 'InvalidPDFException') return 'PDF 文件已损坏，无法显示。';
  if (e?.name === 'MissingPDFException' || e?.name === 'ResponseException')
    return 'PDF 文件读取失败（链接已失效或文件已丢失），请重新打开案卷。';
  return `PDF 打开失败：${e?.message ?? String(err)}`;
}

async function flattenOutline(pdf: PDFDocumentProxy): Promise<OutlineNode[] | null> {
  const raw = await pdf.getOutline().catch(() => null);
  if (!raw?.length) return null;
  const walk = (items: typeof raw): OutlineNode[] =>
    items.map((o) => ({ title: o.title || '（无标题）', dest: o.dest, items: walk(o.items ?? []) }));
  return walk(raw);
}

export const PdfViewer = memo(
  forwardRef<PdfViewerHandle, Props>(function PdfViewer(props, ref) {
    const containerRef = useRef<HTMLDivElement>(null);
    const viewerDivRef = useRef<HTMLDivElement>(null);
    const viewerRef = useRef<InstanceType<typeof PDFViewer> | null>(null);
    const busRef = useRef<InstanceType<typeof EventBus> | null>(null);
    const linkRef = useRef<InstanceType<typeof PDFLinkService> | null>(null);
    const pdfRef = useRef<PDFDocumentProxy | null>(null);
    const overlays = useRef(new Map<number, HTMLDivElement>());
    const [live, setLive] = useState<number[]>([]);
    const [errors, setErrors] = useState<Record<number, string>>({});
    const errorsRef = useRef(errors);
    errorsRef.current = errors;
    const [tick, setTick] = useState(0);
    const [flashId, setFlashId] = useState<string | null>(null);
    const probed = useRef(new Set<number>());
    const applyRotationsRef = useRef<() => void>(() => undefined);
    const propsRef = useRef(props);
    propsRef.current = props;
    const findRef = useRef<InstanceType<typeof PDFFindController> | null>(null);
    /** The query of the open find bar (null when closed), and whether it found nothing. */
    const findQuery = useRef<{ query: string; state: FindStatus['state'] } | null>(null);
    /** A page typed into the page box before the file's pages existed: turned to once they do. */
    const pendingPage = useRef<string | null>(null);
    const [findText, setFindText] = useState<string | null>(null);
    /** The find's current match (page and its order on the page), drawn apart from the other hits. */
    const [findSelected, setFindSelected] = useState<{ pageIdx: number; matchIdx: number } | null>(null);

    const pageView = useCallback((index: number): PageViewLike | null => {
      const v = viewerRef.current as unknown as { getPageView(i: number): PageViewLike | undefined } | null;
      return v?.getPageView(index) ?? null;
    }, []);

    const overlayFor = useCallback(
      (index: number): HTMLDivElement | null => {
        const pv = pageView(index);
        if (!pv) return null;
        let el = overlays.current.get(index);
        if (!el) {
          el = document.createElement('div');
          el.className = 'pc-overlay';
          el.dataset.pageIndex = String(index);
          overlays.current.set(index, el);
        }
        if (el.parentElement !== pv.div) pv.div.append(el);
        return el;
      },
      [pageView],
    );

    /** The pages pdf.js currently keeps rendered (visible ± its buffer), plus pages showing an error. */
    const refreshLive = useCallback(() => {
      const v = viewerRef.current;
      if (!v) return;
      const next: number[] = [];
      for (let i = 0; i < v.pagesCount; i++) {
        const pv = pageView(i);
        if (pv && pv.renderingState !== RenderingStates.INITIAL) {
          overlayFor(i);
          next.push(i);
        }
      }
      for (const i of Object.keys(errorsRef.current)) if (!next.includes(Number(i))) next.push(Number(i));
      next.sort((a, b) => a - b);
      // Let go of the overlays of pages pdf.js has dropped: React listens for events on every portal
      // container, so keeping one per page ever visited would grow with the document.
      for (const [i, el] of overlays.current) {
        if (!next.includes(i)) {
          el.remove();
          overlays.current.delete(i);
        }
      }
      setLive((prev) => (prev.length === next.length && prev.every((p, i) => p === next[i]) ? prev : next));
    }, [pageView, overlayFor]);

    useEffect(() => {
      const container = containerRef.current!;
      const eventBus = new EventBus();
      const linkService = new PDFLinkService({ eventBus });
      const findController = new PDFFindController({ eventBus, linkService });
      // Find-in-file reads a scanned page's text from what OCR read there (pdf.js finds none of its own).
      const setFindDocument = findController.setDocument.bind(findController);
      const ocrTextPages = new Set<number>();
      findController.setDocument = (doc) => {
        ocrTextPages.clear();
        setFindDocument(doc ? withOcrText(doc, (i) => propsRef.current.ocrPages?.get(i), ocrTextPages) : doc);
      };
      hideMatchesOn(findController, ocrTextPages);
      findRef.current = findController;
      const l10n = new ReaderL10n();
      const viewer = new PDFViewer({
        container,
        viewer: viewerDivRef.current!,
        eventBus,
        linkService,
        findController,
        textLayerMode: 1,
        annotationMode: pdfjsLib.AnnotationMode.ENABLE,
        // No links guessed from page text: nothing here is reachable from an air-gapped PC, and the
        // guessing (a Unicode-wide regex per page) would run on every page of every scan.
        enableAutoLinking: false,
        l10n: l10n.asOption(),
      });
      linkService.setViewer(viewer);
      viewerRef.current = viewer;
      busRef.current = eventBus;
      linkRef.current = linkService;
      overlays.current = new Map();
      probed.current = new Set();
      let firstPainted = false;

      let last = '';
      // Called on every scroll frame: tell the screen only when something it shows changed.
      const report = (): void => {
        const page = viewer.currentPageNumber;
        const label = viewer.currentPageLabel;
        const status: ViewerStatus = {
          page,
          pages: viewer.pagesCount,
          label: label && label !== String(page) ? label : null,
          scaleValue: String(viewer.currentScaleValue),
          scale: viewer.currentScale,
        };
        const key = JSON.stringify(status);
        if (key === last) return;
        last = key;
        propsRef.current.onStatus(status);
      };

      eventBus.on('pagesinit', () => {
        viewer.currentScaleValue = 'page-width';
        applyRotations();
        const start = propsRef.current.initialPage;
        const typed = pendingPage.current;
        pendingPage.current = null;
        const typedPage = typed ? viewer.pageLabelToPageNumber(typed) || (/^\d+$/.test(typed) ? Number(typed) : 0) : 0;
        if (typedPage >= 1 && typedPage <= viewer.pagesCount) viewer.currentPageNumber = typedPage;
        else if (start && start <= viewer.pagesCount) viewer.currentPageNumber = start;
        const query = propsRef.current.initialQuery;
        if (query) {
          findQuery.current = { query, state: 'pending' };
          setFindText(query);
          dispatchFind(eventBus, query, {});
        }
        report();
      });
      eventBus.on('annotationlayerrendered', ({ source }: { source: { annotationLayer?: { div?: HTMLElement | null } | null } }) => {
        const div = source.annotationLayer?.div;
        if (div) void l10n.translateOnce(div);
      });
      eventBus.on('pagerender', ({ pageNumber }: { pageNumber: number }) => overlayFor(pageNumber - 1));
      eventBus.on('pagerendered', ({ pageNumber, error }: { pageNumber: number; error: unknown }) => {
        overlayFor(pageNumber - 1);
        if (error) setErrors((e) => ({ ...e, [pageNumber - 1]: (error as Error)?.message ?? String(error) }));
        if (!firstPainted) {
          firstPainted = true;
          if (!error) performance.mark('pc:first-page-painted');
          propsRef.current.onFirstPaint?.();
          // The pages' screen-reader labels once the first page is shown: before, the idle moments are
          // the worker's, which is still preparing that page.
          window.requestIdleCallback(() => void l10n.translateOnce(viewerDivRef.current ?? container), { timeout: 1000 });
        }
        trimPages();
        refreshLive();
        // For measurements (benchmarks) and tests: a DOM event per painted page.
        container.dispatchEvent(new CustomEvent('pc-pagerendered', { detail: { pageNumber, error: !!error } }));
      });
      /**
       * Keep only the visible pages and two on either side: pdf.js's own buffer holds ten, which for a
       * 150-dpi scan is ten decoded page images and ten canvases. A page dropped here is simply
       * rendered again when it comes back into view (pdf.js does the same when its buffer evicts one).
       */
      const KEEP_AROUND = 2;
      const trimPages = (): void => {
        const visible = visiblePages(viewer);
        if (!visible.first || !visible.last) return;
        const lo = visible.first.id - KEEP_AROUND;
        const hi = visible.last.id + KEEP_AROUND;
        for (let i = 0; i < viewer.pagesCount; i++) {
          const pv = pageView(i) as (PageViewLike & { destroy(): void }) | null;
          if (pv && (pv.id < lo || pv.id > hi) && pv.renderingState === RenderingStates.FINISHED) pv.destroy();
        }
      };
      eventBus.on('updateviewarea', () => {
        trimPages();
        refreshLive();
        report();
        // A page whose dictionary cannot be read never starts rendering: ask pdf.js for it ourselves so
        // the reason shows on that page instead of a blank box.
        const visible = visiblePages<PageViewLike>(viewer);
        for (const { id, view } of visible.views) {
          if (view.pdfPage || probed.current.has(id) || !pdfRef.current) continue;
          probed.current.add(id);
          pdfRef.current.getPage(id).catch((err: Error) => {
            overlayFor(id - 1);
            setErrors((e) => ({ ...e, [id - 1]: `页面数据损坏（${err?.message ?? err}）` }));
            setLive((l) => (l.includes(id - 1) ? l : [...l, id - 1].sort((a, b) => a - b)));
          });
        }
      });
      eventBus.on('pagechanging', report);
      eventBus.on('scalechanging', () => {
        report();
        setTick((t) => t + 1);
      });
      const onFindState = (e: { state?: number; matchesCount: { current: number; total: number } }): void => {
        const state = e.state === undefined ? 'found' : (FIND_STATES[e.state] ?? 'found');
        if (findQuery.current && e.state !== undefined) findQuery.current.state = state;
        // After pdf.js has turned to the match's page (which puts the page's top in view).
        if (e.state !== undefined && state !== 'notfound' && state !== 'pending') window.setTimeout(() => showOcrMatch(), 50);
        propsRef.current.onFind({ state, current: e.matchesCount.current, total: e.matchesCount.total });
        const sel = findController.selected as { pageIdx: number; matchIdx: number } | undefined;
        const next = sel && sel.pageIdx >= 0 ? { pageIdx: sel.pageIdx, matchIdx: sel.matchIdx } : null;
        setFindSelected((f) => (f?.pageIdx === next?.pageIdx && f?.matchIdx === next?.matchIdx ? f : next));
      };
      /**
       * pdf.js scrolls a match into view through its own text layer; a match in OCR text is brought
       * into view here, on its line (once the page, if it was far away, is drawn with its OCR layer).
       */
      const showOcrMatch = (tries = 20): void => {
        const { pageIdx, matchIdx } = findController.selected ?? { pageIdx: -1, matchIdx: -1 };
        if (pageIdx < 0 || !ocrTextPages.has(pageIdx)) return;
        const hits = overlays.current.get(pageIdx)?.querySelectorAll('.pc-ocr-line.pc-ocr-hit');
        const line = hits?.[Math.min(Math.max(matchIdx, 0), hits.length - 1)];
        if (line) line.scrollIntoView({ block: 'center', inline: 'nearest' });
        else if (tries > 0) window.setTimeout(() => showOcrMatch(tries - 1), 100);
      };
      eventBus.on('updatefindcontrolstate', onFindState);
      eventBus.on('updatefindmatchescount', onFindState);

      function applyRotations(): void {
        const rotations = propsRef.current.rotations;
        let changed = false;
        for (let i = 0; i < viewer.pagesCount; i++) {
          const pv = pageView(i);
          const want = rotations[i] ?? 0;
          if (pv && pv.rotation !== want) {
            pv.update({ rotation: want });
            changed = true;
          }
        }
        if (changed) {
          // Page sizes changed: keep the page being read in view, as pdf.js does for its own rotation.
          viewer.scrollPageIntoView({ pageNumber: viewer.currentPageNumber });
          viewer.update();
          setTick((t) => t + 1);
        }
      }
      applyRotationsRef.current = applyRotations;

      // Ctrl + wheel zooms the document (around the pointer), not the whole page.
      const onWheel = (e: WheelEvent): void => {
        if (!e.ctrlKey && !e.metaKey) return;
        e.preventDefault();
        viewer.updateScale({ steps: e.deltaY < 0 ? 1 : -1, origin: [e.clientX, e.clientY], drawingDelay: 400 });
      };
      container.addEventListener('wheel', onWheel, { passive: false });

      const task = loadDocument(props.url);
      let cancelled = false;
      task.promise.then(
        async (pdf) => {
          if (cancelled) return;
          pdfRef.current = pdf;
          viewer.setDocument(pdf);
          linkService.setDocument(pdf, null);
          const [labels, outline, first] = await Promise.all([
            pdf.getPageLabels().catch(() => null),
            flattenOutline(pdf),
            pdf.getPage(1).catch(() => null),
          ]);
          if (cancelled) return;
          if (labels) viewer.setPageLabels(labels);
          const vp = first?.getViewport({ scale: 1 });
          propsRef.current.onLoaded({ pdf, pageCount: pdf.numPages, labels, outline, aspect: vp ? vp.height / vp.width : 1.414 });
        },
        (err: unknown) => {
          if (!cancelled) propsRef.current.onError(pdfErrorMessage(err));
        },
      );
      // A fitted zoom (适合宽度, 适合页面) follows the pane when the window or a side panel changes
      // size, as pdf.js's own viewer does; else the page keeps its old width behind a horizontal scrollbar.
      let fittedWidth = container.clientWidth;
      const refit = new ResizeObserver(() => {
        const width = container.clientWidth;
        // Leaving the screen (to 合议, say) removes the reader before this observer is disconnected: its
        // size drops to 0, and refitting a reader that is not laid out makes pdf.js scroll a page that
        // has no offsetParent (it logs "offsetParent is not set"). Nothing is shown, so nothing is fitted.
        if (!container.isConnected || container.offsetParent === null || width === 0) return;
        if (width === fittedWidth || !viewer.pagesCount) return;
        fittedWidth = width;
        const value = String(viewer.currentScaleValue);
        if (value === 'page-width' || value === 'page-fit' || value === 'auto') viewer.currentScaleValue = value;
      });
      refit.observe(container);
      return () => {
        cancelled = true;
        refit.disconnect();
        container.removeEventListener('wheel', onWheel);
        viewerRef.current = null;
        pdfRef.current = null;
        // The find controller may be reading a page's text: let that one request finish (the rest
        // stop by themselves once the document is gone) before the worker is torn down, or pdf.js
        // reports the cut-off request as an error.
        const extracting = pendingTextExtractions(findController);
        viewer.setDocument(null as never);
        void Promise.race([Promise.allSettled(extracting), new Promise((r) => setTimeout(r, 3000))]).then(() => task.destroy());
      };
    }, [props.url, overlayFor, refreshLive, pageView]);

    useEffect(() => applyRotationsRef.current(), [props.rotations]);

    // Pages OCR has read since the find controller took the file's text: it takes it again when no
    // search is open, and a search that found nothing (a campaign search hit opened on a scan before
    // its text arrived) runs again. A search under way or with hits is left alone: it takes what is
    // read by then as it reaches each page, and moving the reader away from its hit would be worse.
    useEffect(() => {
      const fc = findRef.current;
      const pdf = pdfRef.current;
      if (!fc || !pdf || !props.ocrPages || pendingTextExtractions(fc).length === 0) return;
      const open = findQuery.current;
      if (open && open.state !== 'notfound') return;
      fc.setDocument(pdf);
      if (open && busRef.current) dispatchFind(busRef.current, open.query, {});
    }, [props.ocrPages]);

    /** Rectangles of the current text selection, per page, in user space. */
    const selectionRects = useCallback((): { byPage: Map<number, Rect[]>; text: string } | null => {
      const sel = window.getSelection();
      if (!sel || sel.isCollapsed || !containerRef.current?.contains(sel.anchorNode)) return null;
      // Only text of the pages counts (not a comment being typed in a pop-up): pdf.js's text layer, or
      // the one OCR gave a scanned page.
      const anchor = sel.anchorNode instanceof Element ? sel.anchorNode : sel.anchorNode?.parentElement;
      if (!anchor?.closest('.textLayer, .pc-ocr-text')) return null;
      const byPage = new Map<number, Rect[]>();
      const boxes = [...overlays.current.entries()]
        .filter(([, el]) => el.isConnected)
        .map(([i, el]) => [i, el.getBoundingClientRect()] as const);
      for (let r = 0; r < sel.rangeCount; r++) {
        for (const cr of Array.from(sel.getRangeAt(r).getClientRects())) {
          if (cr.width < 1 || cr.height < 1) continue;
          const cx = cr.left + cr.width / 2;
          const cy = cr.top + cr.height / 2;
          for (const [index, box] of boxes) {
            if (cx < box.left || cx > box.right || cy < box.top || cy > box.bottom) continue;
            const vp = pageView(index)?.viewport;
            if (!vp) continue;
            const m = vp.transform as unknown as Matrix;
            const sx = vp.width / box.width;
            const sy = vp.height / box.height;
            const [x1, y1] = toUserPoint(m, (cr.left - box.left) * sx, (cr.top - box.top) * sy);
            const [x2, y2] = toUserPoint(m, (cr.right - box.left) * sx, (cr.bottom - box.top) * sy);
            byPage.set(index, [...(byPage.get(index) ?? []), normaliseRect([x1, y1, x2, y2])]);
          }
        }
      }
      return byPage.size ? { byPage, text: sel.toString().replace(/\s+/g, ' ').trim() } : null;
    }, [pageView]);

    const markSelection = useCallback(
      (type: 'highlight' | 'underline'): boolean => {
        const found = selectionRects();
        if (!found) return false;
        for (const [pageIndex, rects] of found.byPage) {
          propsRef.current.onCreate({ type, pageIndex, position: { rects: mergeLineRects(rects) }, selectedText: found.text });
        }
        window.getSelection()?.removeAllRanges();
        return true;
      },
      [selectionRects],
    );

    // A drag that starts in a gap of a scan's text layer (between table cells, left of a line) is
    // anchored by the browser at whatever line it picks, often another one further down, so the
    // highlight took text the reviewer never crossed. Such a drag is anchored here instead: at the
    // edge of the line level with the pointer, or nowhere when no line is level with it.
    useEffect(() => {
      const root = containerRef.current;
      if (!root) return;
      const onDown = (e: MouseEvent): void => {
        if (e.button !== 0 || e.detail > 1) return;
        const target = e.target instanceof Element ? e.target : null;
        const layer = target?.closest('.pc-ocr-text');
        if (!layer || target?.closest('.pc-ocr-line')) return;
        e.preventDefault();
        const sel = window.getSelection();
        sel?.removeAllRanges();
        const start = ocrCaretAt(layer, e.clientX, e.clientY);
        if (!start || !sel) return;
        const onMove = (m: MouseEvent): void => {
          const focus = ocrCaretAt(layer, m.clientX, m.clientY);
          if (focus) sel.setBaseAndExtent(start.node, start.offset, focus.node, focus.offset);
        };
        const onUp = (): void => {
          document.removeEventListener('mousemove', onMove);
          document.removeEventListener('mouseup', onUp);
        };
        document.addEventListener('mousemove', onMove);
        document.addEventListener('mouseup', onUp);
      };
      root.addEventListener('mousedown', onDown, true);
      return () => root.removeEventListener('mousedown', onDown, true);
    }, []);

    // Highlight / underline tools: a finished text selection becomes marks at once.
    useEffect(() => {
      const tool = props.tool;
      if ((tool !== 'highlight' && tool !== 'underline') || !props.editable) return;
      const onUp = (): void => void setTimeout(() => markSelection(tool), 0);
      document.addEventListener('pointerup', onUp);
      return () => document.removeEventListener('pointerup', onUp);
    }, [props.tool, props.editable, markSelection]);

    useImperativeHandle(
      ref,
      (): PdfViewerHandle => ({
        goToPage(n) {
          const v = viewerRef.current;
          if (v && !v.pagesCount && n >= 1) pendingPage.current = String(n);
          else if (v && n >= 1 && n <= v.pagesCount) v.currentPageNumber = n;
        },
        goToLabel(text) {
          const v = viewerRef.current;
          const t = text.trim();
          if (!t) return false;
          // Typed while the file is still opening (slow while OCR reads scans on the same PC): the
          // page is turned to as soon as the pages exist, not dropped.
          if (!v || !v.pagesCount) {
            pendingPage.current = t;
            return true;
          }
          const byLabel = v.pageLabelToPageNumber(t) ?? 0;
          const n = byLabel || (/^\d+$/.test(t) ? Number(t) : 0);
          if (n < 1 || n > v.pagesCount) return false;
          v.currentPageNumber = n;
          return true;
        },
        nextPage: () => void viewerRef.current?.nextPage(),
        previousPage: () => void viewerRef.current?.previousPage(),
        firstPage() {
          if (viewerRef.current) viewerRef.current.currentPageNumber = 1;
        },
        lastPage() {
          const v = viewerRef.current;
          if (v) v.currentPageNumber = v.pagesCount;
        },
        showAnnotation(a) {
          const v = viewerRef.current;
          if (!v) return;
          const box = boundingRect(a.position);
          v.scrollPageIntoView({
            pageNumber: a.pageIndex + 1,
            destArray: box ? [null, { name: 'XYZ' }, Math.max(0, box[0] - 40), box[3] + 60, null] : undefined,
            allowNegativeOffset: true,
            ignoreDestinationZoom: true,
          } as never);
          setFlashId(a.id);
          window.setTimeout(() => setFlashId((f) => (f === a.id ? null : f)), 1400);
        },
        setZoom(value) {
          if (viewerRef.current) viewerRef.current.currentScaleValue = value;
        },
        zoomBy(steps) {
          viewerRef.current?.updateScale({ steps });
        },
        find(query, options = {}) {
          findQuery.current = query ? { query, state: 'pending' } : null;
          setFindText(query || null);
          if (busRef.current) dispatchFind(busRef.current, query, options);
        },
        clearFind() {
          findQuery.current = null;
          setFindText(null);
          busRef.current?.dispatch('findbarclose', { source: null });
        },
        goToDestination(dest) {
          void linkRef.current?.goToDestination(dest as never);
        },
        renderedCanvas(pageIndex) {
          const pv = pageView(pageIndex);
          return pv && pv.renderingState === RenderingStates.FINISHED ? pv.thumbnailCanvas : null;
        },
        thumbnailRendered(pageIndex, page) {
          busRef.current?.dispatch('thumbnailrendered', { source: null, pageNumber: pageIndex + 1, pdfPage: page });
        },
        markSelection,
        focus() {
          containerRef.current?.focus({ preventScroll: true });
        },
      }),
      [pageView, markSelection],
    );

    const byPage = useMemo(() => {
      const m = new Map<number, Annotation[]>();
      for (const a of props.annotations) m.set(a.pageIndex, [...(m.get(a.pageIndex) ?? []), a]);
      return m;
    }, [props.annotations]);

    const actions = useMemo<LayerActions>(
      () => ({
        select: (id, open) => propsRef.current.actions.select(id, open),
        create: (draft) => propsRef.current.onCreate(draft),
        move: (id, dx, dy) => propsRef.current.actions.move(id, dx, dy),
        update: (id, patch, key) => propsRef.current.actions.update(id, patch, key),
        link: (id, itemId) => propsRef.current.actions.link(id, itemId),
        remove: (id) => propsRef.current.actions.remove(id),
        close: () => {
          propsRef.current.actions.close();
          containerRef.current?.focus({ preventScroll: true });
        },
      }),
      [],
    );

    void tick;
    return (
      <div className={`pc-viewer tool-${props.tool}${props.editable ? '' : ' read-only'}`}>
        <div ref={containerRef} className="pc-viewer-scroll" tabIndex={0} aria-label="案卷 PDF" data-testid="pdf-container">
          <div ref={viewerDivRef} className="pdfViewer" />
        </div>
        {live.map((pageIndex) => {
          const el = overlays.current.get(pageIndex);
          if (!el) return null;
          const pv = pageView(pageIndex);
          const geometry: PageGeometry | null = pv
            ? {
                transform: pv.viewport.transform as unknown as Matrix,
                width: pv.viewport.width,
                height: pv.viewport.height,
                pxPerPt: pv.viewport.scale,
                extraRotation: pv.rotation,
              }
            : null;
          const ocr = props.ocrPages?.get(pageIndex);
          return createPortal(
            <>
              {ocr && geometry && !errors[pageIndex] && (
                <OcrTextLayer
                  page={ocr}
                  geometry={geometry}
                  findQuery={findText}
                  currentHit={findText && findSelected?.pageIdx === pageIndex ? findSelected.matchIdx : null}
                />
              )}
              <PageLayer
                pageIndex={pageIndex}
                geometry={geometry}
                marks={byPage.get(pageIndex) ?? []}
                tool={props.tool}
                editable={props.editable}
                userId={props.userId}
                selectedId={props.selectedId}
                popupOpen={props.popupOpen}
                flashId={flashId}
                error={errors[pageIndex] ?? null}
                actions={actions}
                itemLabel={props.itemLabel}
                currentItem={props.currentItem}
              />
            </>,
            el,
            `overlay-${pageIndex}`,
          );
        })}
      </div>
    );
  }),
);

/**
 * The document as the find controller sees it: a page without text of its own gives the lines OCR read
 * on it, one text item per line. The controller only asks for pages and their text.
 */
/**
 * Where in a scan's text layer a point falls, as a caret: in the line under the point, at the
 * character there (a line is laid out over its box with even character widths, Chinese print), else
 * at the near edge of the line level with the point beside it; null when no line is level with it.
 */
function ocrCaretAt(layer: Element, x: number, y: number): { node: Text; offset: number } | null {
  let best: { span: Element; r: DOMRect; distance: number } | null = null;
  for (const span of Array.from(layer.querySelectorAll('.pc-ocr-line'))) {
    const r = span.getBoundingClientRect();
    if (y < r.top || y > r.bottom || !span.textContent) continue;
    const distance = x < r.left ? r.left - x : x > r.right ? x - r.right : 0;
    if (!best || distance < best.distance) best = { span, r, distance };
  }
  if (!best) return null;
  const length = best.span.textContent!.length;
  const at = Math.round(Math.min(1, Math.max(0, (x - best.r.left) / Math.max(1, best.r.width))) * length);
  return textPosition(best.span, at);
}

/** A character offset of a line as a text node and offset (a find hit splits a line into several nodes). */
function textPosition(el: Element, at: number): { node: Text; offset: number } | null {
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  let rest = at;
  let last: Text | null = null;
  for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) {
    if (rest <= n.length) return { node: n, offset: rest };
    rest -= n.length;
    last = n;
  }
  return last && { node: last, offset: last.length };
}

function withOcrText(pdf: PDFDocumentProxy, ocrOf: (pageIndex: number) => OcrPageView | undefined, fromOcr: Set<number>): PDFDocumentProxy {
  const wrapped = {
    getPage: async (n: number) => {
      const page = await pdf.getPage(n);
      return {
        getTextContent: async (options?: Parameters<PDFPageProxy['getTextContent']>[0]) => {
          const content = await page.getTextContent(options);
          const own = content.items.some((item) => 'str' in item && item.str.trim() !== '');
          const lines = own ? [] : (ocrOf(n - 1)?.lines ?? []);
          if (!lines.length) return content;
          fromOcr.add(n - 1);
          return {
            ...content,
            items: lines.map((l) => ({
              str: l.text,
              hasEOL: true,
              dir: 'ltr',
              width: 0,
              height: 0,
              transform: [1, 0, 0, 1, 0, 0],
              fontName: '',
            })),
          };
        },
      };
    },
  };
  return wrapped as unknown as PDFDocumentProxy;
}

function dispatchFind(bus: InstanceType<typeof EventBus>, query: string, options: { again?: boolean; previous?: boolean }): void {
  bus.dispatch('find', {
    source: null,
    type: options.again ? 'again' : '',
    query,
    caseSensitive: false,
    entireWord: false,
    highlightAll: true,
    findPrevious: options.previous === true,
    matchDiacritics: false,
  });
}
