/**
 * The reader's toolbar: pages, zoom, the annotation tools, undo, panels — one line, also beside the
 * score sheet on a 1024 projector. What is used less (rotation, find, colours, the rarer tools) sits
 * in the 更多 menu; each keeps its key, and the menu button names the rarer tool while it is in use.
 */
import { useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { ZOOM_PRESETS, type PdfViewerHandle, type Tool, type ViewerStatus } from './pdf/PdfViewer';
import type { SideTab } from '../scoring';
import { ColorSwatches } from '../annotations';
import { TOOLS } from './shortcuts';

/** Tools on the bar itself, most used first; a narrow bar keeps the first three. */
const BAR_TOOLS: readonly Tool[] = ['select', 'highlight', 'area', 'note'];
/** Below this width (or the width the full bar needs) the bar keeps three tools and a narrower zoom box. */
const NARROW_BAR = 760;

export function ReaderToolbar(props: {
  status: ViewerStatus;
  leftOpen: boolean;
  /** Files in the dossier: named on the sidebar button while the sidebar (with the file list) is folded. */
  documentCount: number;
  onToggleLeft(): void;
  pageInputRef: RefObject<HTMLInputElement | null>;
  viewer: RefObject<PdfViewerHandle | null>;
  rotation: number;
  onRotate(delta: 90 | -90): void;
  tool: Tool;
  onTool(tool: Tool): void;
  editable: boolean;
  /** Why the file cannot be marked (shown on the disabled tools), or null. */
  readOnlyReason?: string | null;
  color: string;
  onColor(color: string): void;
  canUndo: boolean;
  canRedo: boolean;
  onUndo(): void;
  onRedo(): void;
  onFind(): void;
  currentItem: { id: string; label: string } | null;
  onClearItem(): void;
  saving: boolean;
  rightTab: SideTab | null;
  onRightTab(tab: SideTab | null): void;
  onHelp(): void;
}) {
  const { status, viewer } = props;
  const [pageText, setPageText] = useState(String(status.page));
  const [badPage, setBadPage] = useState(false);
  // The box follows the page in view, except while the reviewer is typing in it: a page change
  // meanwhile (the file settling its layout as it opens) must not replace the number being typed.
  useEffect(() => {
    if (props.pageInputRef.current && document.activeElement === props.pageInputRef.current) return;
    setPageText(status.label ?? String(status.page));
    setBadPage(false);
  }, [status.page, status.label, props.pageInputRef]);
  const preset = ZOOM_PRESETS.some((z) => z.value === status.scaleValue);
  const bar = useRef<HTMLDivElement>(null);
  const [narrow, setNarrow] = useState(false);
  const [menuOpen, setMenuOpen] = useState(false);
  // The width the full bar needs, measured while it is shown full: below it, the narrow bar.
  const fullWidth = useRef(0);
  useLayoutEffect(() => {
    const el = bar.current;
    if (narrow || !el) return;
    fullWidth.current = contentWidth(el);
    if (fullWidth.current > el.clientWidth + 1) setNarrow(true);
    // Measured again whenever what the bar holds changes (the chip, the sidebar's label, the sheet button).
  }, [narrow, props.currentItem, props.leftOpen, props.documentCount, props.rightTab, status.pages, status.label]);
  // Even the narrow bar can be wider than the reader (both side panels open on a 1024 screen): then, and
  // only then, it takes a second line rather than paint over the panel beside it. Measured on one line.
  const [cramped, setCramped] = useState(false);
  useLayoutEffect(() => {
    const el = bar.current;
    if (!el || !narrow || cramped) return;
    if (contentWidth(el) > el.clientWidth + 1) setCramped(true);
  }, [narrow, cramped, props.currentItem, props.leftOpen, props.documentCount, props.rightTab, status.pages, status.label]);
  useEffect(() => {
    const el = bar.current;
    if (!el) return;
    let width = el.clientWidth;
    const observer = new ResizeObserver(() => {
      setNarrow(el.clientWidth < Math.max(NARROW_BAR, fullWidth.current));
      // A second line changes the bar's height, not its width: only a new width is measured again.
      if (el.clientWidth !== width) {
        width = el.clientWidth;
        setCramped(false);
      }
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const onBar = narrow ? BAR_TOOLS.slice(0, 3) : BAR_TOOLS;
  const inMenu = TOOLS.filter((t) => !onBar.includes(t.tool));
  const menuTool = inMenu.find((t) => t.tool === props.tool);

  return (
    <div className={`reader-toolbar ${narrow ? 'narrow' : ''} ${cramped ? 'cramped' : ''}`} role="toolbar" aria-label="阅读工具" ref={bar}>
      <div className="tb-row">
        <button
          type="button"
          className="btn btn-sm"
          aria-pressed={props.leftOpen}
          onClick={props.onToggleLeft}
          title="显示或隐藏侧栏（文件、文书、缩略图、检索）"
        >
          {props.leftOpen || props.documentCount < 2 ? '侧栏' : `侧栏 · ${props.documentCount} 个文件`}
        </button>
        <form
          className="pager"
          onSubmit={(e) => {
            e.preventDefault();
            const ok = viewer.current?.goToLabel(pageText) ?? false;
            setBadPage(!ok);
            if (ok) viewer.current?.focus();
          }}
        >
          <button
            type="button"
            className="btn btn-sm"
            aria-label="上一页"
            title="上一页（PageUp）"
            onClick={() => viewer.current?.previousPage()}
            disabled={status.page <= 1}
          >
            ‹
          </button>
          <input
            ref={props.pageInputRef}
            className="input num page-input"
            aria-label="页码"
            aria-invalid={badPage || undefined}
            title="输入页码或页签后按 Enter（Ctrl+G）"
            value={pageText}
            onChange={(e) => setPageText(e.target.value)}
            onBlur={() => setPageText(status.label ?? String(status.page))}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                setPageText(status.label ?? String(status.page));
                viewer.current?.focus();
              }
            }}
          />
          <span className="muted num" data-testid="page-count">
            / {status.pages}
          </span>
          {status.label !== null && (
            <span className="muted page-physical" title="页签与实际页序不同时，这是实际页序">
              （第 {status.page} 页）
            </span>
          )}
          <button
            type="button"
            className="btn btn-sm"
            aria-label="下一页"
            title="下一页（PageDown）"
            onClick={() => viewer.current?.nextPage()}
            disabled={status.page >= status.pages}
          >
            ›
          </button>
        </form>
        <div className="seg" role="group" aria-label="缩放">
          <button type="button" className="btn btn-sm" aria-label="缩小" title="缩小（Ctrl+−）" onClick={() => viewer.current?.zoomBy(-1)}>
            −
          </button>
          <select
            className="input zoom-select"
            aria-label="缩放比例"
            value={preset ? status.scaleValue : ''}
            onChange={(e) => viewer.current?.setZoom(e.target.value)}
          >
            {!preset && <option value="">{Math.round(status.scale * 100)}%</option>}
            {ZOOM_PRESETS.map((z) => (
              <option key={z.value} value={z.value}>
                {z.label}
              </option>
            ))}
          </select>
          <button type="button" className="btn btn-sm" aria-label="放大" title="放大（Ctrl++）" onClick={() => viewer.current?.zoomBy(1)}>
            +
          </button>
        </div>
      </div>
      <div className="tb-row">
        <div className="seg" role="group" aria-label="批注工具">
          {TOOLS.filter((t) => onBar.includes(t.tool)).map((t) => (
            <button
              key={t.tool}
              type="button"
              className="btn btn-sm"
              aria-pressed={props.tool === t.tool}
              disabled={!props.editable && t.tool !== 'select'}
              // Pressing a tool must not clear the text selected on the page: 高亮 marks that selection.
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => props.onTool(t.tool)}
              title={!props.editable && t.tool !== 'select' && props.readOnlyReason ? props.readOnlyReason : `${t.hint}（${t.key}）`}
            >
              {t.label}
            </button>
          ))}
        </div>
        <div className="seg" role="group" aria-label="撤销与重做">
          <button
            type="button"
            className="btn btn-sm"
            aria-label="撤销"
            title="撤销（Ctrl+Z）"
            disabled={!props.canUndo}
            onClick={props.onUndo}
          >
            ↶
          </button>
          <button
            type="button"
            className="btn btn-sm"
            aria-label="重做"
            title="重做（Ctrl+Shift+Z）"
            disabled={!props.canRedo}
            onClick={props.onRedo}
          >
            ↷
          </button>
        </div>
        {props.currentItem && (
          <span className="item-chip" title={`此时画的批注将作为这一评查项的证据：${props.currentItem.label}`}>
            <span className="item-chip-text" data-testid="item-chip-text">
              关联：{props.currentItem.label}
            </span>
            <button type="button" aria-label="不再关联评查项" onClick={props.onClearItem}>
              ×
            </button>
          </span>
        )}
        <span className="spacer" />
        <span className="muted save-state" role="status">
          {props.saving ? '正在保存…' : ''}
        </span>
        {!props.rightTab && (
          <button type="button" className="btn btn-sm" onClick={() => props.onRightTab('sheet')} title="在右侧显示评查表或批注列表">
            显示评查表
          </button>
        )}
        <div className="tb-more">
          <button
            type="button"
            className="btn btn-sm"
            aria-label="更多阅读工具"
            aria-haspopup="menu"
            aria-expanded={menuOpen}
            aria-pressed={menuTool ? true : undefined}
            title={`旋转、查找、批注颜色${inMenu.length ? `、${inMenu.map((t) => t.label).join('、')}` : ''}`}
            // Text selected on the page stays selected through the menu, so 下划线 there marks it at once.
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => setMenuOpen((o) => !o)}
          >
            <span className="swatch-dot" style={{ ['--swatch' as string]: props.color }} aria-hidden="true" />
            {menuTool ? menuTool.label : narrow ? '⋯' : '更多'} ▾
          </button>
          {menuOpen && (
            <ToolbarMenu onClose={() => setMenuOpen(false)}>
              {inMenu.map((t) => (
                <button
                  key={t.tool}
                  type="button"
                  role="menuitemradio"
                  aria-checked={props.tool === t.tool}
                  disabled={!props.editable}
                  title={t.hint}
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => (props.onTool(t.tool), setMenuOpen(false))}
                >
                  {t.label}
                  <kbd>{t.key}</kbd>
                </button>
              ))}
              <button type="button" role="menuitem" onClick={() => (props.onRotate(-90), setMenuOpen(false))}>
                本页逆时针旋转<kbd>Shift+R</kbd>
              </button>
              <button type="button" role="menuitem" onClick={() => (props.onRotate(90), setMenuOpen(false))}>
                本页顺时针旋转{props.rotation ? `（已旋转 ${props.rotation}°）` : ''}
                <kbd>R</kbd>
              </button>
              <button type="button" role="menuitem" onClick={() => (props.onFind(), setMenuOpen(false))}>
                在本文件中查找<kbd>Ctrl+F</kbd>
              </button>
              <div className="tb-menu-colors">
                <span className="muted">批注颜色</span>
                <ColorSwatches label="批注颜色" isOn={(c) => props.color === c} onPick={props.onColor} />
              </div>
            </ToolbarMenu>
          )}
        </div>
        <button type="button" className="btn btn-sm btn-ghost" aria-label="快捷键" title="快捷键（?）" onClick={props.onHelp}>
          ?
        </button>
      </div>
    </div>
  );
}

/** What the bar's controls need side by side (the spacer apart), with the gaps and padding. */
function contentWidth(el: HTMLElement): number {
  const items = [...el.querySelectorAll<HTMLElement>(':scope > :not(.tb-row), :scope > .tb-row > *')].filter(
    (c) => !c.classList.contains('spacer'),
  );
  const style = getComputedStyle(el);
  const gap = parseFloat(style.columnGap) || 0;
  return (
    items.reduce((n, c) => n + c.getBoundingClientRect().width, 0) +
    gap * Math.max(0, items.length - 1) +
    parseFloat(style.paddingLeft) +
    parseFloat(style.paddingRight)
  );
}

/** The 更多 menu: ↑↓ move between its entries, Esc or a click elsewhere closes it (focus back on the button). */
function ToolbarMenu({ onClose, children }: { onClose(): void; children: React.ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    el?.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus();
    const away = (e: MouseEvent) => {
      if (el && !el.parentElement!.contains(e.target as Node)) onClose();
    };
    document.addEventListener('mousedown', away);
    return () => document.removeEventListener('mousedown', away);
  }, [onClose]);
  return (
    <div
      ref={ref}
      className="tb-menu"
      role="menu"
      aria-label="更多阅读工具"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          onClose();
          ref.current?.parentElement?.querySelector<HTMLButtonElement>('button[aria-haspopup]')?.focus();
          return;
        }
        if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
        e.preventDefault();
        const items = [...ref.current!.querySelectorAll<HTMLButtonElement>('[role^="menuitem"]:not(:disabled)')];
        const i = items.indexOf(document.activeElement as HTMLButtonElement);
        items[(i + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
      }}
    >
      {children}
    </div>
  );
}
