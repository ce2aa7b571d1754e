/**
 * One page's annotation layer (Zotero's reader draws one overlay per page the same way): the marks
 * of that page, the drawing tools, moving a selected mark, and the comment pop-up. Everything is
 * placed in percent of the page box, computed from the page viewport's transform, so a mark follows
 * the page through pdf.js's CSS zoom and re-renders, and stays right under rotation.
 */
import { useRef, useState, type PointerEvent as ReactPointerEvent, type ReactNode } from 'react';
import type { Annotation, AnnotationInput, Rect } from '../../../../../shared/annotations/annotation';
import {
  applyTransform,
  boundingRect,
  noteRect,
  roundCoord,
  simplifyPath,
  textBoxHeight,
  toUserPoint,
  toUserRect,
  toViewportBox,
  type Matrix,
} from '../../../../../shared/core/geometry';
import { AnnotationPopup, type PopupActions } from '../../annotations';

export type Tool = 'select' | 'highlight' | 'underline' | 'area' | 'note' | 'ink' | 'text';

export type NewAnnotation = Pick<AnnotationInput, 'type' | 'pageIndex' | 'position' | 'selectedText' | 'comment'>;

export interface PageGeometry {
  transform: Matrix;
  /** Viewport size in CSS pixels at the current scale. */
  width: number;
  height: number;
  /** CSS pixels per PDF point at the current zoom. */
  pxPerPt: number;
  /** Rotation the reader adds to the page's own /Rotate (degrees). */
  extraRotation: number;
}

export interface LayerActions extends PopupActions {
  select(id: string | null, openPopup?: boolean): void;
  create(draft: NewAnnotation): void;
  /** Moves an annotation by (dx, dy) in user space. */
  move(id: string, dx: number, dy: number): void;
}

/** Default size of a new text box, in points. */
export const TEXT_BOX_WIDTH = 200;
export const TEXT_FONT_SIZE = 14;
export const INK_WIDTH = 2;

const pct = (v: number, total: number): string => `${(v / total) * 100}%`;

/** An SVG path through flat x0,y0,x1,y1,… points (a lone point becomes a dot). */
function svgPath(flat: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) parts.push(`${i ? 'L' : 'M'}${flat[i]!.toFixed(1)} ${flat[i + 1]!.toFixed(1)}`);
  return parts.length === 1 ? `${parts[0]} l0.01 0` : parts.join(' ');
}
const MOVABLE = new Set(['area', 'note', 'ink', 'text']);

type Draft =
  | { kind: 'box'; x0: number; y0: number; x1: number; y1: number }
  | { kind: 'ink'; points: number[] }
  | { kind: 'move'; id: string; x0: number; y0: number; x1: number; y1: number };

export function PageLayer(props: {
  pageIndex: number;
  geometry: PageGeometry | null;
  marks: Annotation[];
  tool: Tool;
  editable: boolean;
  userId: string;
  selectedId: string | null;
  popupOpen: boolean;
  flashId: string | null;
  error: string | null;
  actions: LayerActions;
  itemLabel(itemId: string): string;
  currentItem: { id: string; label: string } | null;
}) {
  const { geometry: g, pageIndex, tool, actions } = props;
  const layerRef = useRef<HTMLDivElement>(null);
  const [draft, setDraft] = useState<Draft | null>(null);

  if (props.error) {
    return (
      <div className="pc-layer">
        <div className="pc-page-error" role="alert">
          <strong>第 {pageIndex + 1} 页无法显示</strong>
          <span>{props.error}</span>
          <span className="muted">其他页面不受影响，可继续阅读和评查。</span>
        </div>
      </div>
    );
  }
  if (!g) return null;

  /** Pointer position in viewport pixels. */
  const pointOf = (e: { clientX: number; clientY: number }): [number, number] => {
    const box = layerRef.current!.getBoundingClientRect();
    return [((e.clientX - box.left) / box.width) * g.width, ((e.clientY - box.top) / box.height) * g.height];
  };
  const drawing = props.editable && (tool === 'area' || tool === 'ink' || tool === 'note' || tool === 'text');

  function onLayerDown(e: ReactPointerEvent<HTMLDivElement>): void {
    if (e.button !== 0) return;
    if (!drawing) {
      if (e.target === e.currentTarget) actions.select(null);
      return;
    }
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    const [x, y] = pointOf(e);
    setDraft(tool === 'ink' ? { kind: 'ink', points: [x, y] } : { kind: 'box', x0: x, y0: y, x1: x, y1: y });
  }

  function onMove(e: ReactPointerEvent<HTMLDivElement>): void {
    if (!draft) return;
    const [x, y] = pointOf(e);
    if (draft.kind === 'ink') {
      const n = draft.points.length;
      if (Math.hypot(x - draft.points[n - 2]!, y - draft.points[n - 1]!) >= 1.5) setDraft({ kind: 'ink', points: [...draft.points, x, y] });
    } else setDraft({ ...draft, x1: x, y1: y });
  }

  function onUp(): void {
    if (!draft || !g) return;
    setDraft(null);
    const m = g.transform;
    if (draft.kind === 'move') {
      const [ax, ay] = toUserPoint(m, draft.x0, draft.y0);
      const [bx, by] = toUserPoint(m, draft.x1, draft.y1);
      if (Math.hypot(draft.x1 - draft.x0, draft.y1 - draft.y0) > 3) actions.move(draft.id, roundCoord(bx - ax), roundCoord(by - ay));
      return;
    }
    if (draft.kind === 'ink') {
      const flat: number[] = [];
      for (let i = 0; i + 1 < draft.points.length; i += 2) flat.push(...toUserPoint(m, draft.points[i]!, draft.points[i + 1]!));
      actions.create({ type: 'ink', pageIndex, position: { paths: [simplifyPath(flat, 0.6)], width: INK_WIDTH } });
      return;
    }
    const dragged = Math.abs(draft.x1 - draft.x0) >= 6 && Math.abs(draft.y1 - draft.y0) >= 6;
    if (tool === 'area') {
      if (dragged)
        actions.create({ type: 'area', pageIndex, position: { rects: [toUserRect(m, draft.x0, draft.y0, draft.x1, draft.y1)] } });
      return;
    }
    // Notes and text boxes sit at the point pressed: the top-left corner as the reader sees the page.
    const [ux, uy] = toUserPoint(m, Math.min(draft.x0, draft.x1), Math.min(draft.y0, draft.y1));
    if (tool === 'note') {
      actions.create({ type: 'note', pageIndex, position: { rects: [noteRect(ux, uy)] }, comment: '' });
      return;
    }
    const widthPx = dragged ? Math.abs(draft.x1 - draft.x0) : TEXT_BOX_WIDTH * g.pxPerPt;
    const [ex, ey] = toUserPoint(
      m,
      Math.min(draft.x0, draft.x1) + widthPx,
      Math.min(draft.y0, draft.y1) + textBoxHeight(1, TEXT_FONT_SIZE) * g.pxPerPt,
    );
    const rect = toUserRect(m, ...applyTransform(m, ux, uy), ...applyTransform(m, ex, ey));
    actions.create({ type: 'text', pageIndex, position: { rects: [rect], fontSize: TEXT_FONT_SIZE }, comment: '' });
  }

  function startMove(e: ReactPointerEvent, a: Annotation): void {
    if (tool !== 'select' || e.button !== 0) return;
    e.stopPropagation();
    actions.select(a.id, true);
    if (!props.editable || a.authorId !== props.userId || !MOVABLE.has(a.type)) return;
    e.preventDefault();
    layerRef.current!.setPointerCapture(e.pointerId);
    const [x, y] = pointOf(e);
    setDraft({ kind: 'move', id: a.id, x0: x, y0: y, x1: x, y1: y });
  }

  const moving = draft?.kind === 'move' ? draft : null;
  const shift = (id: string) =>
    moving && moving.id === id ? { transform: `translate(${moving.x1 - moving.x0}px, ${moving.y1 - moving.y0}px)` } : undefined;

  const boxStyle = (r: Rect) => {
    const b = toViewportBox(g.transform, r);
    return { left: pct(b.left, g.width), top: pct(b.top, g.height), width: pct(b.width, g.width), height: pct(b.height, g.height) };
  };

  const marks: ReactNode[] = [];
  const inkPaths: ReactNode[] = [];
  for (const a of props.marks) {
    const cls = `pc-mark pc-${a.type}${props.selectedId === a.id ? ' selected' : ''}${props.flashId === a.id ? ' flash' : ''}${a.checklistItemId ? ' linked' : ''}`;
    const common = {
      'data-annotation-id': a.id,
      title: [a.comment, a.selectedText].filter(Boolean).join('\n') || undefined,
      onPointerDown: (e: ReactPointerEvent) => startMove(e, a),
    };
    if (a.type === 'ink') {
      const d = (a.position.paths ?? [])
        .map((p) => {
          const screen: number[] = [];
          for (let i = 0; i + 1 < p.length; i += 2) screen.push(...applyTransform(g.transform, p[i]!, p[i + 1]!));
          return svgPath(screen);
        })
        .join(' ');
      const w = (a.position.width ?? INK_WIDTH) * g.pxPerPt;
      inkPaths.push(
        <g key={a.id} className={cls} {...common} style={{ ['--mark' as string]: a.color, ...shift(a.id) }}>
          <path className="hit" d={d} strokeWidth={Math.max(12, w * 4)} />
          <path d={d} strokeWidth={w} />
        </g>,
      );
      continue;
    }
    const rects = a.position.rects ?? [];
    if (a.type === 'text') {
      const b = toViewportBox(g.transform, rects[0]!);
      const turned = g.extraRotation % 180 !== 0;
      marks.push(
        <div
          key={a.id}
          className={cls}
          {...common}
          style={{
            ['--mark' as string]: a.color,
            left: pct(b.left + b.width / 2, g.width),
            top: pct(b.top + b.height / 2, g.height),
            width: pct(turned ? b.height : b.width, g.width),
            height: pct(turned ? b.width : b.height, g.height),
            fontSize: `calc(var(--scale-factor) * ${a.position.fontSize ?? TEXT_FONT_SIZE}px)`,
            transform: `translate(-50%, -50%) rotate(${g.extraRotation}deg)${moving?.id === a.id ? ` translate(${moving.x1 - moving.x0}px, ${moving.y1 - moving.y0}px)` : ''}`,
          }}
        >
          {a.comment || <span className="placeholder">（空白文字框）</span>}
        </div>,
      );
      continue;
    }
    rects.forEach((r, i) =>
      marks.push(
        <div key={`${a.id}-${i}`} className={cls} {...common} style={{ ...boxStyle(r), ['--mark' as string]: a.color, ...shift(a.id) }} />,
      ),
    );
  }

  const selected = props.popupOpen ? props.marks.find((a) => a.id === props.selectedId) : undefined;
  const selectedBox = selected ? boundingRect(selected.position) : null;

  return (
    <div
      ref={layerRef}
      className={`pc-layer${drawing ? ' drawing' : ''}`}
      onPointerDown={onLayerDown}
      onPointerMove={onMove}
      onPointerUp={onUp}
      onPointerCancel={() => setDraft(null)}
    >
      {marks}
      {(inkPaths.length > 0 || draft?.kind === 'ink') && (
        <svg className="pc-ink-layer" viewBox={`0 0 ${g.width} ${g.height}`} preserveAspectRatio="none">
          {inkPaths}
          {draft?.kind === 'ink' && <path className="pc-ink-draft" d={svgPath(draft.points)} strokeWidth={INK_WIDTH * g.pxPerPt} />}
        </svg>
      )}
      {draft?.kind === 'box' && tool !== 'note' && (
        <div
          className="pc-drag"
          style={{
            left: pct(Math.min(draft.x0, draft.x1), g.width),
            top: pct(Math.min(draft.y0, draft.y1), g.height),
            width: pct(Math.abs(draft.x1 - draft.x0), g.width),
            height: pct(Math.abs(draft.y1 - draft.y0), g.height),
          }}
        />
      )}
      {selected && selectedBox && (
        <AnnotationPopup
          key={selected.id}
          annotation={selected}
          anchor={toViewportBox(g.transform, selectedBox)}
          page={{ width: g.width, height: g.height }}
          editable={props.editable && selected.authorId === props.userId}
          itemLabel={props.itemLabel}
          currentItem={props.currentItem}
          actions={actions}
        />
      )}
    </div>
  );
}
