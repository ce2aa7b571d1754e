import { useCallback, useEffect, useRef, useState } from 'react';
import { ANNOTATION_COLORS, DEFAULT_ANNOTATION_COLOR, type Annotation } from '../../../shared/domain/annotation';
import { CASE_TYPE_LABELS } from '../../../shared/domain/case-types';
import { download, errorMessage, invoke } from '../api/client';
import { useQuery } from '../api/hooks';
import { href, navigate } from '../app/router';
import { useUser } from '../app/session';
import { useAnnotationStore } from '../pdf/annotation-store';
import { PdfViewer, ZOOM_PRESETS, type PdfViewerHandle, type Tool } from '../pdf/PdfViewer';
import type { ScoreSheetHandle } from '../sheet/ScoreSheet';
import { SidePanel } from '../sheet/SidePanel';
import { useToast } from '../ui/toast';
import '../styles/workspace.css';

export function CaseScreen({ caseId, documentId, page }: { caseId: string; documentId?: string | undefined; page?: number | undefined }) {
  const kase = useQuery('case:get', { caseId }, { refreshOn: (c) => c.entity === 'case' && c.id === caseId });
  const toast = useToast();
  const [exporting, setExporting] = useState(false);
  const doc = kase.data?.documents.find((d) => d.id === documentId) ?? kase.data?.documents[0];

  async function exportSheet() {
    setExporting(true);
    try {
      const out = await invoke('export:caseSheet', { caseId });
      download(out.url, out.fileName);
      toast.show(`已导出：${out.fileName}`, 'ok');
    } catch (err) {
      toast.show(errorMessage(err), 'error');
    } finally {
      setExporting(false);
    }
  }

  if (kase.error) return <div className="page"><div className="notice notice-error">{kase.error}</div></div>;
  const k = kase.data;
  return (
    <div className="workspace">
      <div className="ws-head">
        <a className="btn btn-sm btn-ghost" href={k ? href.campaign(k.campaignId) : href.campaigns()} aria-label="返回案卷列表">← 案卷列表</a>
        <div className="ws-title">
          <h2>{k?.caseNumber ?? '…'}</h2>
          <span className="muted">{k ? `${k.unitName} · ${CASE_TYPE_LABELS[k.caseType]}${k.title ? ` · ${k.title}` : ''}` : ''}</span>
        </div>
        {k && k.documents.length > 1 && (
          <select
            className="input"
            style={{ width: 220 }}
            aria-label="案卷文件"
            value={doc?.id}
            onChange={(e) => navigate(href.case(caseId, e.target.value), true)}
          >
            {k.documents.map((d) => <option key={d.id} value={d.id}>{d.title}（{d.pageCount} 页）</option>)}
          </select>
        )}
        <button className="btn" type="button" onClick={exportSheet} disabled={exporting}>{exporting ? '正在导出…' : '导出评查表（DOCX）'}</button>
      </div>
      <div className="ws-body">
        {doc ? <DocumentPane key={doc.id} documentId={doc.id} caseId={caseId} initialPage={page} /> : <div className="empty">{k ? '该案卷没有文件。' : <span className="spinner" />}</div>}
      </div>
    </div>
  );
}

function DocumentPane({ documentId, caseId, initialPage }: { documentId: string; caseId: string; initialPage?: number | undefined }) {
  const user = useUser();
  const toast = useToast();
  const opened = useQuery('document:open', { documentId });
  const viewer = useRef<PdfViewerHandle>(null);
  const [tool, setTool] = useState<Tool>('select');
  const [color, setColor] = useState<string>(DEFAULT_ANNOTATION_COLOR);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [status, setStatus] = useState({ page: 1, pages: 0, scale: 'page-width' });
  const [pageInput, setPageInput] = useState('1');
  const [viewError, setViewError] = useState<string | null>(null);
  const onError = useCallback((m: string) => toast.show(m, 'error'), [toast]);
  const store = useAnnotationStore(documentId, { id: user.id, name: user.displayName }, opened.data?.document.sha256 ?? '', onError);
  const selected = store.list.find((a) => a.id === selectedId) ?? null;
  // The score sheet: a mark drawn while an item is being scored becomes its evidence (issue 6).
  const sheet = useRef<ScoreSheetHandle>(null);

  useEffect(() => setPageInput(String(status.page)), [status.page]);

  // Keyboard: tool switching, zoom, delete; PageUp/PageDown scroll natively in the reader.
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const t = e.target as HTMLElement;
      if (t.closest('input, textarea, select, [contenteditable]')) return;
      if ((e.ctrlKey || e.metaKey) && (e.key === '=' || e.key === '+')) {
        e.preventDefault();
        viewer.current?.zoomBy(1.15);
      } else if ((e.ctrlKey || e.metaKey) && e.key === '-') {
        e.preventDefault();
        viewer.current?.zoomBy(1 / 1.15);
      } else if (e.ctrlKey || e.metaKey || e.altKey) {
        return;
      } else if (e.key === 'h' || e.key === 'H') setTool('highlight');
      else if (e.key === 'a' || e.key === 'A') setTool('area');
      else if (e.key === 'v' || e.key === 'V' || e.key === 'Escape') {
        setTool('select');
        setSelectedId(null);
      } else if ((e.key === 'Delete' || e.key === 'Backspace') && selectedId) {
        const a = store.list.find((x) => x.id === selectedId);
        if (a && a.authorId === user.id) {
          store.remove(selectedId);
          setSelectedId(null);
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [selectedId, store, user.id]);

  const showAnnotation = useCallback((a: Annotation) => {
    setSelectedId(a.id);
    viewer.current?.showAnnotation(a);
  }, []);

  if (opened.error) return <div className="notice notice-error" style={{ margin: 16 }}>{opened.error}</div>;
  if (!opened.data) return <div className="empty"><span className="spinner" /></div>;

  return (
    <>
      <div className="reader">
        <div className="reader-toolbar" role="toolbar" aria-label="阅读工具">
          <form
            className="pager"
            onSubmit={(e) => {
              e.preventDefault();
              viewer.current?.goToPage(Number(pageInput));
            }}
          >
            <button type="button" className="btn btn-sm" aria-label="上一页" onClick={() => viewer.current?.goToPage(status.page - 1)} disabled={status.page <= 1}>‹</button>
            <input className="input num" aria-label="页码" value={pageInput} onChange={(e) => setPageInput(e.target.value)} style={{ width: 64, minHeight: 30, textAlign: 'center' }} />
            <span className="muted num">/ {status.pages}</span>
            <button type="button" className="btn btn-sm" aria-label="下一页" onClick={() => viewer.current?.goToPage(status.page + 1)} disabled={status.page >= status.pages}>›</button>
          </form>
          <select className="input" aria-label="缩放" style={{ width: 112, minHeight: 30 }} value={ZOOM_PRESETS.some((z) => z.value === status.scale) ? status.scale : ''} onChange={(e) => viewer.current?.setZoom(e.target.value)}>
            {!ZOOM_PRESETS.some((z) => z.value === status.scale) && <option value="">{Math.round(Number(status.scale) * 100) || ''}%</option>}
            {ZOOM_PRESETS.map((z) => <option key={z.value} value={z.value}>{z.label}</option>)}
          </select>
          <div className="seg" role="group" aria-label="批注工具">
            <button type="button" className="btn btn-sm" aria-pressed={tool === 'select'} onClick={() => setTool('select')} title="选择（V）">选择</button>
            <button type="button" className="btn btn-sm" aria-pressed={tool === 'highlight'} onClick={() => setTool('highlight')} title="高亮：选中文字即标记（H）">高亮</button>
            <button type="button" className="btn btn-sm" aria-pressed={tool === 'area'} onClick={() => setTool('area')} title="框选：拖动画框，适用于扫描件（A）">框选</button>
          </div>
          <div className="swatches" role="radiogroup" aria-label="批注颜色">
            {ANNOTATION_COLORS.map((c) => (
              <button
                key={c.value}
                type="button"
                role="radio"
                aria-checked={color === c.value}
                aria-label={c.label}
                className="swatch"
                style={{ ['--swatch' as string]: c.value }}
                onClick={() => {
                  setColor(c.value);
                  if (selected && selected.authorId === user.id) store.upsert({ ...selected, color: c.value });
                }}
              />
            ))}
          </div>
          <span className="spacer" />
          <span className="muted" style={{ fontSize: 'var(--fs-sm)' }}>批注 {store.list.length}</span>
        </div>
        {viewError ? (
          <div className="notice notice-error" style={{ margin: 16 }}>{viewError}</div>
        ) : (
          <PdfViewer
            ref={viewer}
            url={opened.data.url}
            annotations={store.list}
            tool={tool}
            selectedId={selectedId}
            initialPage={initialPage}
            onSelect={setSelectedId}
            onCreate={(a) => {
              const id = crypto.randomUUID();
              const itemId = sheet.current?.linkEvidence(id) ?? null;
              store.upsert({ id, color, ...a, ...(itemId ? { checklistItemId: itemId } : {}) });
              setSelectedId(id);
            }}
            onStatus={setStatus}
            onError={setViewError}
          />
        )}
      </div>
      <aside className="side">
        <SidePanel caseId={caseId} selectedAnnotation={selected} annotations={store.list} onShowAnnotation={showAnnotation} sheetRef={sheet} />
      </aside>
    </>
  );
}
