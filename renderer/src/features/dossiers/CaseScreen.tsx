/**
 * The case workspace: the dossier's files as one document list, the reader in the middle, and the
 * score sheet or the annotation list beside it. Annotations are held for the whole case (evidence
 * for an item may sit in any of its files); the reader shows those of the open file.
 */
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { DEFAULT_ANNOTATION_COLOR } from '../../../../shared/annotations/annotation-kinds';
import type { Annotation, AnnotationInput } from '../../../../shared/annotations/annotation';
import { CASE_TYPE_LABELS } from '../../../../shared/campaigns/case-types';
import type { Case } from '../../../../shared/dossiers/dossier';
import type { IntegrityStatus, SearchHit } from '../../../../shared/dossiers/reader';
import { translatePosition } from '../../../../shared/core/geometry';
import { download, errorMessage, invoke } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { href, navigate } from '../../app/router';
import { useUser } from '../../app/session';
import { useAnnotationStore } from '../annotations';
import { OcrPageNote, useOcrPages } from '../ocr';
import { pdfWorker } from './pdf/pdfjs';
import { forgetEarlyDocument, lastDocumentKey, startedDocument, takeEarlyDocument } from './early-case';
import {
  PdfViewer,
  type FindStatus,
  type LoadedDocument,
  type NewAnnotation,
  type PdfViewerHandle,
  type Tool,
  type ViewerStatus,
} from './pdf/PdfViewer';
import { AnnotationList } from '../annotations';
import { DocumentList } from './DocumentList';
import { DocumentMap } from './DocumentMap';
import { documentAt, fileLabel } from './file-labels';
import { FindBar } from './FindBar';
import { useItemLabels } from './item-labels';
import { OutlineView } from './OutlineView';
import { PageSearch } from './PageSearch';
import { ReaderToolbar } from './ReaderToolbar';
import { isTypingTarget, TOOLS } from './shortcuts';
import { ShortcutHelp } from './ShortcutHelp';
import { Thumbnails } from './Thumbnails';
import type { ScoreSheetHandle } from '../scoring';
import { SidePanel, type SideTab } from '../scoring';
import { findingMarks, markComment, PrecheckPanel, PRECHECK_MARK_COLOR, type PdfPages } from '../precheck';
import type { PrecheckFindingView } from '../../../../shared/precheck/channels';
import { useToast } from '../../ui/toast';
import './workspace.css';

type LeftTab = 'files' | 'thumbs' | 'outline' | 'search';

/** A remembered view preference (panels, per-file rotations): view state, not review data. */
function usePreference<T>(key: string, initial: T): [T, (v: T) => void] {
  const [value, setValue] = useState<T>(() => {
    try {
      const raw = localStorage.getItem(key);
      return raw === null ? initial : (JSON.parse(raw) as T);
    } catch {
      return initial;
    }
  });
  // `initial` is a fresh literal each render: the first one stands for all, so only a new key (another
  // file) reloads the value.
  const [fallback] = useState(initial);
  useEffect(() => {
    try {
      const raw = localStorage.getItem(key);
      setValue(raw === null ? fallback : (JSON.parse(raw) as T));
    } catch {
      setValue(fallback);
    }
  }, [key, fallback]);
  const set = useCallback(
    (v: T) => {
      setValue(v);
      try {
        localStorage.setItem(key, JSON.stringify(v));
      } catch {
        // Storage full or disabled: the preference just is not remembered.
      }
    },
    [key],
  );
  return [value, set];
}

/** A capability URL for one file's bytes; a result only ever belongs to the file it was asked for. */
function useOpenedDocument(documentId: string | undefined): { url?: string; error?: string } | null {
  const [opened, setOpened] = useState<{ documentId: string; url?: string; error?: string } | null>(() => {
    const started = documentId ? startedDocument(documentId) : null;
    return started && documentId ? { documentId, url: started.url } : null;
  });
  const current = opened?.documentId === documentId;
  useEffect(() => {
    if (!documentId) return;
    if (current) {
      forgetEarlyDocument();
      return;
    }
    let live = true;
    takeEarlyDocument(documentId)
      .then((early) => early ?? invoke('document:open', { documentId }))
      .then(
        (r) => live && setOpened({ documentId, url: r.url }),
        (err: unknown) => live && setOpened({ documentId, error: errorMessage(err) }),
      );
    return () => {
      live = false;
    };
  }, [documentId, current]);
  return opened && opened.documentId === documentId ? opened : null;
}

const IDLE_FIND: FindStatus = { state: 'idle', current: 0, total: 0 };

// The side panel re-renders only when its own inputs change, not on every page turn.
const SidePane = memo(SidePanel);

const yuan = (n: number | null): string | null => (n === null ? null : `${n.toLocaleString('zh-CN', { maximumFractionDigits: 2 })} 元`);

/**
 * The case's facts from the case list, where the reviewer reads the file: who, when, the 罚款 and the
 * 没收 (two amounts, 行政处罚法 art. 9), who handled it and what was decided — the things a review
 * item is checked against — and the list row they were read from, with its cells as written.
 */
function CaseFacts({ kase }: { kase: Case }) {
  const source = useQuery('import:caseSource', { caseId: kase.id }, { refreshOn: (c) => c.entity === 'case' && c.id === kase.id });
  const asWritten = kase.penaltyText ? `清单原文：${kase.penaltyText}` : undefined;
  // Long texts (several parties, a decision) give way first and show in full on hover.
  const facts: Array<{ label: string; value: string | null; title?: string | undefined; fit?: 'shrink' | 'wide' }> = [
    { label: '当事人', value: kase.party || null, fit: 'shrink' },
    { label: '立案日期', value: kase.filedOn },
    { label: '结案日期', value: kase.closedOn },
    { label: '罚款', value: yuan(kase.penaltyAmount), title: asWritten },
    { label: '没收', value: yuan(kase.confiscatedAmount), title: asWritten },
    { label: '承办人', value: kase.handler || null, fit: 'shrink' },
    { label: '决定内容', value: kase.decision || null, fit: 'wide' },
  ];
  const row = source.data;
  // A case registered without a list (a single PDF) has none of these: no empty line then.
  if (!facts.some((f) => f.value) && !row) return null;
  return (
    <dl className="ws-facts" aria-label="案件信息" data-testid="case-facts">
      {facts.map((f) => (
        <div key={f.label} className={f.fit} title={f.title ?? (f.fit && f.value ? f.value : undefined)}>
          <dt>{f.label}</dt>
          <dd className={f.value ? undefined : 'muted'}>{f.value ?? '—'}</dd>
        </div>
      ))}
      {row && (
        <div className="source">
          <dt>来源</dt>
          <dd>
            <details
              className="ws-source"
              data-testid="case-source"
              onKeyDown={(e) => {
                if (e.key === 'Escape' && e.currentTarget.open) {
                  e.currentTarget.open = false;
                  e.stopPropagation();
                }
              }}
            >
              <summary title={`${row.listName} 第 ${row.rowNumber} 行`}>清单第 {row.rowNumber} 行</summary>
              <div className="ws-source-panel" role="group" aria-label="清单原文">
                <p>
                  <b>{row.listName}</b> 第 {row.rowNumber} 行
                  <span className="muted">
                    （{row.importedBy ? `${row.importedBy}于` : ''}
                    {new Date(row.importedAt).toLocaleString('zh-CN')}导入，以下为清单原文）
                  </span>
                </p>
                <table className="table">
                  <tbody>
                    {row.cells.map((c, i) => (
                      <tr key={i}>
                        <th scope="row">{c.header}</th>
                        <td>{c.value || <span className="muted">（空）</span>}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </details>
          </dd>
        </div>
      )}
    </dl>
  );
}
const AnnotationPane = memo(AnnotationList);

export function CaseScreen({
  caseId,
  documentId,
  page,
  query,
}: {
  caseId: string;
  documentId?: string | undefined;
  page?: number | undefined;
  query?: string | undefined;
}) {
  const user = useUser();
  const toast = useToast();
  const kase = useQuery('case:get', { caseId }, { refreshOn: (c) => (c.entity === 'case' && c.id === caseId) || c.entity === 'document' });
  const k = kase.data;
  // The file last read in this case opens again; knowing it before the case arrives lets its
  // document request leave together with the case request instead of after it.
  const [lastDocument, setLastDocument] = usePreference<string | null>(lastDocumentKey(caseId), null);
  const wanted = documentId ?? lastDocument ?? undefined;
  const doc = k?.documents.find((d) => d.id === wanted) ?? k?.documents[0];
  const docId = k ? doc?.id : wanted;
  useEffect(() => {
    if (doc && doc.id !== lastDocument) setLastDocument(doc.id);
  }, [doc, lastDocument, setLastDocument]);
  const opened = useOpenedDocument(docId);
  // Start pdf.js's worker now, while the case and document calls are still on their way.
  useEffect(() => void pdfWorker(), []);

  const onStoreError = useCallback((m: string) => toast.show(m, 'error'), [toast]);
  const documents = useMemo(() => k?.documents ?? [], [k]);
  const store = useAnnotationStore(caseId, documents, { id: user.id, name: user.displayName }, onStoreError, !!opened);
  // What is beside the PDF waits for its first page (or for a second and a half, whichever is first):
  // the page a reviewer came for is painted as fast as pdf.js's own viewer paints it.
  const [sidesReady, setSidesReady] = useState(false);
  useEffect(() => {
    const t = window.setTimeout(() => setSidesReady(true), 1500);
    return () => clearTimeout(t);
  }, []);
  const itemLabels = useItemLabels(sidesReady ? k : undefined);
  const itemLabel = useCallback((id: string) => itemLabels.get(id) ?? id, [itemLabels]);

  const viewer = useRef<PdfViewerHandle>(null);
  const pageInput = useRef<HTMLInputElement>(null);
  const findInput = useRef<HTMLInputElement>(null);
  const searchInput = useRef<HTMLInputElement>(null);
  const [tool, setTool] = useState<Tool>('select');
  const [color, setColor] = useState<string>(DEFAULT_ANNOTATION_COLOR);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [popupOpen, setPopupOpen] = useState(false);
  // The score sheet: its current item, once scored, is what new marks become evidence for.
  const sheet = useRef<ScoreSheetHandle>(null);
  const [currentItemId, setCurrentItemId] = useState<string | null>(null);
  // The reviewer may stop linking new marks to that item (the × on the toolbar chip) until they move on.
  const [linkOffFor, setLinkOffFor] = useState<string | null>(null);
  const linkTo = currentItemId && currentItemId !== linkOffFor ? currentItemId : null;
  const [status, setStatus] = useState<ViewerStatus>({
    page: page ?? 1,
    pages: doc?.pageCount ?? 0,
    label: null,
    scaleValue: 'page-width',
    scale: 1,
  });
  const [loaded, setLoaded] = useState<LoadedDocument | null>(null);
  const [painted, setPainted] = useState(false);
  const [viewError, setViewError] = useState<string | null>(null);
  const [findOpen, setFindOpen] = useState(!!query);
  // What the find bar holds when a search hit opens it: the route's query, or a hit's in this file.
  const [findSeed, setFindSeed] = useState(query ?? '');
  useEffect(() => setFindSeed(query ?? ''), [query]);
  const [findStatus, setFindStatus] = useState<FindStatus>(IDLE_FIND);
  const [integrity, setIntegrity] = useState<Record<string, IntegrityStatus>>({});
  const [helpOpen, setHelpOpen] = useState(false);
  const [exporting, setExporting] = useState<string | null>(null);
  // The dossier sidebar starts folded on a laptop or projector screen, where the PDF and the sheet
  // need the width; the reviewer's choice is remembered either way.
  const [leftTab, setLeftTab] = usePreference<LeftTab | null>('pc:left', window.innerWidth >= 1440 ? 'files' : null);
  const [rightTab, setRightTab] = usePreference<SideTab | null>('pc:right', 'sheet');
  const [rotations, setRotations] = usePreference<Record<number, number>>(`pc:rotation:${docId ?? ''}`, {});
  const pendingShow = useRef<Annotation | null>(null);

  const selected = selectedId ? (store.get(selectedId) ?? null) : null;
  const { get: getAnnotation, update: updateAnnotation, remove: removeAnnotation, create: createAnnotation } = store;
  const docAnnotations = useMemo(() => store.list.filter((a) => a.documentId === docId), [store.list, docId]);
  const currentItem = useMemo(() => (linkTo ? { id: linkTo, label: itemLabel(linkTo) } : null), [linkTo, itemLabel]);
  const docStatus = docId ? integrity[docId] : undefined;
  const ocrPages = useOcrPages(opened?.url ? docId : undefined, status.page);
  // The 文书 map (machine reading of the file's text): the 文书 tab, and the 文书 named beside a page
  // in the 批注 list and search results. Read again as OCR reads more of the open file.
  const docMap = useQuery('precheck:documentMap', sidesReady ? { caseId } : null, {
    refreshOn: (c) => c.entity === 'document' || (c.entity === 'case' && c.id === caseId),
  });
  const readPages = ocrPages?.byIndex.size ?? 0;
  const { reload: reloadMap } = docMap;
  const readBefore = useRef(readPages);
  useEffect(() => {
    if (readBefore.current === readPages) return;
    readBefore.current = readPages;
    reloadMap();
  }, [readPages, reloadMap]);
  const mapEntries = docMap.data?.documents;
  const whereOf = useCallback(
    (documentId: string, pageIndex: number): { label: string; fileName: string } => {
      const i = documents.findIndex((d) => d.id === documentId);
      const d = documents[i];
      if (!d) return { label: `第 ${pageIndex + 1} 页`, fileName: '' };
      const wenshu = documentAt(mapEntries, documentId, pageIndex);
      return {
        label: `${fileLabel(d, k?.caseNumber, i, documents.length)}${wenshu ? ` · ${wenshu}` : ''} · 第 ${pageIndex + 1} 页`,
        fileName: d.fileName,
      };
    },
    [documents, mapEntries, k?.caseNumber],
  );
  // The organiser reads every file but marks only those assigned to them; the tools say why not.
  const markAccess = useQuery('annotation:access', { caseId }, { refreshOn: (c) => c.entity === 'case' || c.entity === 'campaign' });
  const readOnlyReason =
    user.role === 'observer'
      ? '观察员仅可查阅，不能添加批注。'
      : (markAccess.data?.refusal ?? (docStatus === 'altered' || docStatus === 'missing' ? '文件校验异常，不能添加批注。' : null));
  const editable = readOnlyReason === null && (user.role !== 'organiser' || markAccess.data !== undefined);

  // Per-file view state starts afresh when another file opens.
  useEffect(() => {
    setLoaded(null);
    setPainted(false);
    setViewError(null);
    setFindStatus(IDLE_FIND);
    setPopupOpen(false);
  }, [docId]);

  // Integrity, checked in the background once the first page is on screen: the open file every time
  // it is opened (the back end answers from its cache unless the file changed), the others once.
  const checked = useRef(new Set<string>());
  useEffect(() => {
    if (!painted || !k || !docId) return;
    let live = true;
    // Fire and forget: each check already turns its failure into "not checked".
    void (async () => {
      const others = k.documents.filter((d) => d.id !== docId && !checked.current.has(d.id)).map((d) => d.id);
      for (const id of [docId, ...others]) {
        const r = await invoke('document:verify', { documentId: id }).catch(() => null);
        if (!live) return;
        if (r) {
          checked.current.add(id);
          setIntegrity((prev) => (prev[id] === r.status ? prev : { ...prev, [id]: r.status }));
        }
      }
    })();
    return () => {
      live = false;
    };
  }, [painted, k, docId]);

  // The file and page being read stay in the address, so a reload (or the address copied to a second
  // window) opens the same page instead of page 1. Replaced in place: page turns are not history steps.
  useEffect(() => {
    if (!loaded || !docId) return;
    const t = window.setTimeout(() => {
      const here = href.case(caseId, docId, status.page, query);
      if (location.hash !== here) history.replaceState(history.state, '', here);
    }, 400);
    return () => clearTimeout(t);
  }, [loaded, caseId, docId, status.page, query]);

  const openDocument = useCallback(
    (id: string, pageNumber?: number, q?: string) => {
      if (id === docId && !q) {
        if (pageNumber) viewer.current?.goToPage(pageNumber);
        return;
      }
      if (id === docId && q) {
        // A search hit in the file already open: turn to its page and find the words from there
        // (find starts at the page in view), so the hit is drawn where the result said.
        if (pageNumber) viewer.current?.goToPage(pageNumber);
        setFindSeed(q);
        setFindOpen(true);
        viewer.current?.find(q);
        return;
      }
      navigate(href.case(caseId, id, pageNumber, q), true);
    },
    [caseId, docId],
  );

  const showAnnotation = useCallback(
    (a: Annotation, openPopup = true) => {
      setSelectedId(a.id);
      setPopupOpen(openPopup);
      if (a.documentId !== docId) {
        pendingShow.current = a;
        openDocument(a.documentId, a.pageIndex + 1);
      } else viewer.current?.showAnnotation(a);
    },
    [docId, openDocument],
  );

  const onFirstPaint = useCallback(() => {
    setPainted(true);
    setSidesReady(true);
  }, []);
  const onSheetShow = useCallback((a: Annotation) => showAnnotation(a), [showAnnotation]);

  const onLoaded = useCallback((d: LoadedDocument) => {
    setLoaded(d);
    const a = pendingShow.current;
    pendingShow.current = null;
    if (a) window.setTimeout(() => viewer.current?.showAnnotation(a), 50);
  }, []);

  const onCreate = useCallback(
    (draft: NewAnnotation) => {
      if (!docId) return;
      const input: AnnotationInput = { id: crypto.randomUUID(), color, ...draft, checklistItemId: linkTo };
      const a = createAnnotation(docId, input);
      // The sheet records the same link in the item's answer (what the letters and the panel read).
      if (linkTo && !sheet.current?.linkEvidence(a.id)) updateAnnotation(a.id, { checklistItemId: null });
      setSelectedId(a.id);
      setPopupOpen(a.type === 'note' || a.type === 'text');
    },
    [docId, color, linkTo, createAnnotation, updateAnnotation],
  );

  /** The sheet linked or unlinked a mark (E, its buttons, its chips): the mark says so too. */
  const onEvidenceChange = useCallback(
    (annotationId: string, itemId: string, linked: boolean) => {
      const a = getAnnotation(annotationId);
      if (!a || a.authorId !== user.id) return;
      if (linked && a.checklistItemId !== itemId) updateAnnotation(annotationId, { checklistItemId: itemId });
      else if (!linked && a.checklistItemId === itemId) updateAnnotation(annotationId, { checklistItemId: null });
    },
    [getAnnotation, updateAnnotation, user.id],
  );

  const layerActions = useMemo(
    () => ({
      select(id: string | null, open?: boolean) {
        setSelectedId(id);
        setPopupOpen(!!id && !!open);
      },
      move(id: string, dx: number, dy: number) {
        const a = getAnnotation(id);
        if (a) updateAnnotation(id, { position: translatePosition(a.position, dx, dy) });
      },
      update: updateAnnotation,
      link(id: string, itemId: string | null) {
        const a = getAnnotation(id);
        if (!a) return;
        // Through the sheet, so the item's answer lists the mark; the mark itself when the sheet cannot.
        const done = itemId
          ? sheet.current?.linkEvidence(id) === itemId
          : !!a.checklistItemId && !!sheet.current?.unlinkEvidence(id, a.checklistItemId);
        if (!done) updateAnnotation(id, { checklistItemId: itemId });
      },
      remove(id: string) {
        // A mark cited as evidence leaves the items that cite it with it: a score item never keeps a
        // citation of a mark that no longer exists. A delivered sheet cannot change, so its marks stay.
        if (!sheet.current && getAnnotation(id)?.checklistItemId) {
          // The sheet is folded away, so its citation could not go with the mark.
          toast.show('该批注是评查项的证据：请先打开“我的评查表”，再删除批注（将一并取消关联）。', 'error');
          return;
        }
        const cited = sheet.current?.citing(id);
        if (cited?.codes.length && !cited.editable) {
          toast.show(`该批注是第 ${cited.codes.join('、')} 项的证据，评查表已不能修改，不能删除。`, 'error');
          return;
        }
        const dropped = cited?.codes.length ? (sheet.current?.dropEvidence(id) ?? []) : [];
        removeAnnotation(id);
        setSelectedId(null);
        setPopupOpen(false);
        if (dropped.length) toast.show(`已删除批注，并从第 ${dropped.join('、')} 项的证据中移除。`, 'ok');
      },
      close: () => setPopupOpen(false),
    }),
    [getAnnotation, updateAnnotation, removeAnnotation, toast],
  );

  const stepAnnotation = useCallback(
    (dir: 1 | -1) => {
      const list = store.list;
      if (!list.length) return;
      let i = selectedId ? list.findIndex((a) => a.id === selectedId) : -1;
      if (i < 0) {
        // From the page being read: the first mark at or after it (or before it, going back).
        const docRank = documents.findIndex((d) => d.id === docId);
        const rank = (a: Annotation) => documents.findIndex((d) => d.id === a.documentId) * 1e6 + a.pageIndex;
        const here = docRank * 1e6 + status.page - 1;
        i = dir > 0 ? list.findIndex((a) => rank(a) >= here) - 1 : list.findIndex((a) => rank(a) >= here);
        if (i < -1) i = list.length - 1;
      }
      const next = list[(i + dir + list.length) % list.length];
      if (next) showAnnotation(next, false);
    },
    [store.list, selectedId, documents, docId, status.page, showAnnotation],
  );

  const rotateCurrent = useCallback(
    (delta: 90 | -90) => {
      const i = status.page - 1;
      const next = ((((rotations[i] ?? 0) + delta) % 360) + 360) % 360;
      const copy = { ...rotations };
      if (next) copy[i] = next;
      else delete copy[i];
      setRotations(copy);
    },
    [rotations, setRotations, status.page],
  );

  const undoRedo = useCallback(
    (which: 'undo' | 'redo') => {
      const linkedBefore = new Map(store.list.map((a) => [a.id, a.checklistItemId]));
      const r = which === 'undo' ? store.undo() : store.redo();
      if (!r) return;
      // An evidence link undone or redone on the mark is undone or redone in the item's answer too.
      const was = linkedBefore.get(r.id) ?? null;
      const now = r.value?.checklistItemId ?? null;
      if (was !== now) {
        if (was) sheet.current?.unlinkEvidence(r.id, was);
        if (now) sheet.current?.linkEvidence(r.id, now);
      }
      if (r.value && r.documentId === docId) setSelectedId(r.id);
      else if (!r.value && selectedId === r.id) setSelectedId(null);
    },
    [store, docId, selectedId],
  );

  const openFind = useCallback(() => {
    setFindOpen(true);
    window.setTimeout(() => {
      findInput.current?.focus();
      findInput.current?.select();
    }, 0);
  }, []);

  // Keyboard: the reader's shortcuts. Find, go-to-page and F3 work everywhere; the rest only when
  // focus is not in a field (typing there belongs to the field). With focus in the side panel, its
  // own keys win (the score sheet: N 不适用, ? its key list, Enter its reason box; see sheet/keys.ts);
  // the reader keeps only its Ctrl combinations and Esc there. This listener runs in the capture phase, ahead
  // of the sheet's, and a key it takes is marked handled so the sheet leaves it alone.
  useEffect(() => {
    const anywhere: Record<string, () => void> = {
      'Ctrl+F': openFind,
      'Ctrl+Shift+F': () => {
        setLeftTab('search');
        window.setTimeout(() => searchInput.current?.focus(), 0);
      },
      'Ctrl+G': () => {
        pageInput.current?.focus();
        pageInput.current?.select();
      },
      // F6 moves the keyboard between the file and the side panel, as in any two-pane program: a
      // reviewer scoring by keyboard picks a mark in the file, then comes back to the item to press E.
      F6: () => {
        const inSide = !!(document.activeElement as HTMLElement | null)?.closest?.('.side');
        const target = inSide
          ? document.querySelector<HTMLElement>('[data-testid="pdf-container"]')
          : (document.querySelector<HTMLElement>('.side .sheet-item.current') ??
            document.querySelector<HTMLElement>('.side [role="tab"][aria-selected="true"]'));
        target?.focus();
      },
      F3: () => viewer.current?.find(findInput.current?.value ?? '', { again: true }),
      'Shift+F3': () => viewer.current?.find(findInput.current?.value ?? '', { again: true, previous: true }),
    };
    const outsideFields: Record<string, () => void> = {
      'Ctrl+=': () => viewer.current?.zoomBy(1),
      'Ctrl++': () => viewer.current?.zoomBy(1),
      'Ctrl+-': () => viewer.current?.zoomBy(-1),
      'Ctrl+0': () => viewer.current?.setZoom('page-width'),
      'Ctrl+Z': () => undoRedo('undo'),
      'Ctrl+Shift+Z': () => undoRedo('redo'),
      'Ctrl+Y': () => undoRedo('redo'),
      PageDown: () => viewer.current?.nextPage(),
      PageUp: () => viewer.current?.previousPage(),
      Home: () => viewer.current?.firstPage(),
      End: () => viewer.current?.lastPage(),
      ']': () => stepAnnotation(1),
      '[': () => stepAnnotation(-1),
      '?': () => setHelpOpen((o) => !o),
      'Shift+?': () => setHelpOpen((o) => !o),
      Escape: () => {
        setHelpOpen(false);
        setTool('select');
        setSelectedId(null);
        setPopupOpen(false);
      },
      Delete: () => {
        if (selected && selected.authorId === user.id && editable) layerActions.remove(selected.id);
      },
      Enter: () => {
        if (selected) setPopupOpen(true);
      },
      R: () => rotateCurrent(90),
      'Shift+R': () => rotateCurrent(-90),
    };
    outsideFields.Backspace = outsideFields.Delete!;
    for (const t of TOOLS) {
      outsideFields[t.key] = () => {
        // With text selected, H and U mark it at once (whatever the tool).
        if ((t.tool === 'highlight' || t.tool === 'underline') && editable && viewer.current?.markSelection(t.tool)) return;
        // A file that only reads has no marking tools to switch to (their buttons say why).
        if (!editable && t.tool !== 'select') return;
        setTool(t.tool);
      };
    }
    const onKey = (e: KeyboardEvent): void => {
      if (e.altKey) return;
      const key = e.key.length === 1 ? e.key.toUpperCase() : e.key;
      const combo = `${e.ctrlKey || e.metaKey ? 'Ctrl+' : ''}${e.shiftKey && (key.length > 1 || /[A-Z?]/.test(key)) ? 'Shift+' : ''}${key}`;
      const target = e.target as HTMLElement | null;
      // The toolbar's 更多 menu takes its own keys (↑↓, Esc) like a dialog.
      const inField = isTypingTarget(target) || !!target?.closest?.('dialog, [role="menu"]');
      const inSide = !!target?.closest?.('.side');
      // Enter on a focused button or tab activates that control, not the reader.
      const onControl = combo === 'Enter' && !!target?.closest?.('button, a, [role="tab"], [role="radio"]');
      // From the side panel the reader keeps its Ctrl combinations, Esc and the mark keys [ ], which the
      // score sheet does not use: pick the next mark without leaving the item it is to be linked to.
      const fromSide = combo.startsWith('Ctrl+') || combo === 'Escape' || combo === '[' || combo === ']';
      const command = anywhere[combo] ?? (inField || onControl || (inSide && !fromSide) ? undefined : outsideFields[combo]);
      if (!command) return;
      e.preventDefault();
      command();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [openFind, undoRedo, stepAnnotation, rotateCurrent, selected, user.id, editable, layerActions, setLeftTab]);

  async function runExport(kind: 'sheet' | 'list' | 'pdf') {
    setExporting(kind);
    try {
      const out =
        kind === 'sheet'
          ? await invoke('export:caseSheet', { caseId })
          : kind === 'list'
            ? (await store.flush(), await invoke('export:annotationList', { caseId }))
            : (await store.flush(), await invoke('export:annotatedPdf', { documentId: docId! }));
      download(out.url, out.fileName);
      toast.show(`已导出：${out.fileName}`, 'ok');
    } catch (err) {
      toast.show(errorMessage(err), 'error');
    } finally {
      setExporting(null);
    }
  }

  const documentTitles = useMemo(() => new Map(documents.map((d) => [d.id, { title: d.title, sha256: d.sha256 }])), [documents]);
  const annotationList = useMemo(
    () => ({
      count: store.list.length,
      content: (
        <AnnotationPane
          annotations={store.list}
          documentTitles={documentTitles}
          currentDocumentId={docId}
          selectedId={selectedId}
          itemLabel={itemLabel}
          whereOf={whereOf}
          onShow={onSheetShow}
        />
      ),
    }),
    [store.list, documentTitles, docId, selectedId, itemLabel, whereOf, onSheetShow],
  );
  const closeRight = useCallback(() => setRightTab(null), [setRightTab]);
  // 查看评查表 beside a taken pre-check finding: the sheet, scrolled to the item it filled in.
  const showSheet = useCallback(
    (itemId: string) => {
      setRightTab('sheet');
      requestAnimationFrame(() =>
        document.querySelector(`.sheet-item[data-item-id="${CSS.escape(itemId)}"]`)?.scrollIntoView({ block: 'center' }),
      );
    },
    [setRightTab],
  );
  // 采纳 marks the pages the finding cites (the box of the text it was read from where the page has
  // it) as the item's evidence; 撤销 and 不采纳 take those marks back with the item's answer.
  const marksOf = useCallback(
    (f: PrecheckFindingView) => store.list.filter((a) => a.authorId === user.id && a.comment === markComment(f)),
    [store.list, user.id],
  );
  const adopt = useCallback(
    async (f: PrecheckFindingView): Promise<string | null> => {
      if (!sheet.current) return '评查表尚未载入，请稍候再试。';
      const location = f.pages.length ? `第${[...new Set(f.pages.map((p) => p.casePage))].join('、')}页` : '';
      const had = marksOf(f);
      const made = had.length
        ? []
        : await findingMarks(
            f,
            (id) => (id === docId && loaded ? (loaded.pdf as unknown as PdfPages) : null),
            PRECHECK_MARK_COLOR,
            async (documentId, pageIndex) =>
              (await invoke('ocr:pages', { documentId, pageIndexes: [pageIndex] })).pages.flatMap((p) => p.lines),
          );
      const created = made.map((m) => createAnnotation(m.documentId, m.input));
      const problem = sheet.current.prefill(
        f.itemId,
        f.message,
        location,
        [...had, ...created].map((a) => a.id),
      );
      if (problem) for (const a of created) removeAnnotation(a.id);
      return problem;
    },
    [marksOf, docId, loaded, createAnnotation, removeAnnotation],
  );
  // A mark 采纳 made may be undone (Ctrl+Z / 撤销) or deleted in the reader: the 采纳 and the item's
  // deduction stay the reviewer's decision, and the finding says its mark is gone and offers it again.
  const marksGone = useCallback(
    (f: PrecheckFindingView) => !store.loading && f.pages.length > 0 && marksOf(f).length === 0,
    [store.loading, marksOf],
  );
  const remark = useCallback(
    async (f: PrecheckFindingView): Promise<string | null> => {
      if (!sheet.current) return '评查表尚未载入，请稍候再试。';
      const made = await findingMarks(
        f,
        (id) => (id === docId && loaded ? (loaded.pdf as unknown as PdfPages) : null),
        PRECHECK_MARK_COLOR,
        async (documentId, pageIndex) =>
          (await invoke('ocr:pages', { documentId, pageIndexes: [pageIndex] })).pages.flatMap((p) => p.lines),
      );
      for (const m of made) {
        const a = createAnnotation(m.documentId, m.input);
        sheet.current.linkEvidence(a.id, f.itemId);
      }
      return null;
    },
    [docId, loaded, createAnnotation],
  );
  const withdraw = useCallback(
    (f: PrecheckFindingView): { error: string } | { note: string | null } => {
      if (!sheet.current) return { error: '评查表尚未载入，请稍候再试。' };
      const marks = marksOf(f);
      const note = sheet.current.withdraw(
        f.itemId,
        f.message,
        marks.map((a) => a.id),
      );
      for (const a of marks) removeAnnotation(a.id);
      return { note };
    },
    [marksOf, removeAnnotation],
  );
  const precheckPane = useMemo(
    () => (
      <PrecheckPanel
        caseId={caseId}
        campaignId={k?.campaignId}
        documentIds={documents.map((d) => d.id)}
        onOpenPage={openDocument}
        itemLabel={itemLabel}
        adopt={user.role === 'observer' ? undefined : adopt}
        withdraw={user.role === 'observer' ? undefined : withdraw}
        onPrefilled={showSheet}
        marksGone={user.role === 'observer' ? undefined : marksGone}
        remark={user.role === 'observer' ? undefined : remark}
      />
    ),
    [caseId, k?.campaignId, documents, openDocument, itemLabel, user.role, adopt, withdraw, showSheet, marksGone, remark],
  );

  if (kase.error)
    return (
      <div className="page">
        <div className="notice notice-error">{kase.error}</div>
      </div>
    );

  return (
    <>
      <div className="workspace">
        <div className="ws-head">
          <a className="btn btn-sm btn-ghost" href={k ? href.campaign(k.campaignId) : href.campaigns()} aria-label="返回案卷列表">
            ← 案卷列表
          </a>
          <div className="ws-title">
            <h2>{k?.caseNumber ?? '…'}</h2>
            <span
              className="muted"
              title={k ? `${k.caseNumber} ${k.unitName} · ${CASE_TYPE_LABELS[k.caseType]}${k.title ? ` · ${k.title}` : ''}` : undefined}
            >
              {k ? `${k.unitName} · ${CASE_TYPE_LABELS[k.caseType]}${k.title ? ` · ${k.title}` : ''}` : ''}
            </span>
          </div>
          <div className="ws-exports" role="group" aria-label="导出">
            <button className="btn btn-sm" type="button" onClick={() => void runExport('sheet')} disabled={!!exporting}>
              {exporting === 'sheet' ? '正在导出…' : '导出评查表（DOCX）'}
            </button>
            <button className="btn btn-sm" type="button" onClick={() => void runExport('list')} disabled={!!exporting}>
              {exporting === 'list' ? '正在导出…' : '批注清单（XLSX）'}
            </button>
            <button
              className="btn btn-sm"
              type="button"
              onClick={() => void runExport('pdf')}
              disabled={!!exporting || !docId || docStatus === 'altered' || docStatus === 'missing'}
            >
              {exporting === 'pdf' ? '正在导出…' : '带批注的 PDF'}
            </button>
          </div>
        </div>
        {k && <CaseFacts kase={k} />}
        <div className="ws-body">
          {leftTab && (
            <aside className="ws-left" aria-label="案卷侧栏">
              <div className="tabs" role="tablist" aria-label="侧栏">
                {(
                  [
                    ['files', `文件（${documents.length}）`],
                    ['thumbs', '缩略图'],
                    ['outline', '文书'],
                    ['search', '检索'],
                  ] as const
                ).map(([id, label]) => (
                  <button key={id} type="button" role="tab" aria-selected={leftTab === id} className="tab" onClick={() => setLeftTab(id)}>
                    {label}
                  </button>
                ))}
              </div>
              <div className="ws-left-body">
                {leftTab === 'files' && (
                  <DocumentList
                    documents={documents}
                    caseNumber={k?.caseNumber}
                    currentId={docId}
                    integrity={integrity}
                    canRename={user.role !== 'observer'}
                    onOpen={(id) => openDocument(id)}
                  />
                )}
                {leftTab === 'thumbs' &&
                  (loaded && painted ? (
                    <Thumbnails
                      doc={loaded}
                      currentPage={status.page}
                      rotations={rotations}
                      viewer={viewer}
                      onPick={(n) => viewer.current?.goToPage(n)}
                    />
                  ) : (
                    <div className="empty">
                      <span className="spinner" />
                    </div>
                  ))}
                {leftTab === 'outline' && (
                  <>
                    {loaded?.outline && (
                      <div className="docmap-bookmarks">
                        <h4>书签</h4>
                        <OutlineView outline={loaded.outline} onPick={(dest) => viewer.current?.goToDestination(dest)} />
                      </div>
                    )}
                    <DocumentMap
                      map={docMap}
                      documents={documents}
                      caseNumber={k?.caseNumber}
                      currentId={docId}
                      currentPage={status.page}
                      onOpen={(id, n) => openDocument(id, n)}
                    />
                  </>
                )}
                {leftTab === 'search' && k && (
                  <PageSearch
                    campaignId={k.campaignId}
                    caseId={caseId}
                    inputRef={searchInput}
                    whereOf={whereOf}
                    onOpen={(hit: SearchHit, q: string) => {
                      if (hit.caseId !== caseId) navigate(href.case(hit.caseId, hit.documentId, hit.pageIndex + 1, q));
                      else openDocument(hit.documentId, hit.pageIndex + 1, q);
                    }}
                  />
                )}
              </div>
            </aside>
          )}
          <section className="reader" aria-label="阅读区">
            <ReaderToolbar
              status={status}
              leftOpen={!!leftTab}
              documentCount={documents.length}
              // A single file opens on its 文书 map: there is no file to choose.
              onToggleLeft={() => setLeftTab(leftTab ? null : documents.length > 1 ? 'files' : 'outline')}
              pageInputRef={pageInput}
              viewer={viewer}
              rotation={rotations[status.page - 1] ?? 0}
              onRotate={rotateCurrent}
              tool={tool}
              onTool={(t) => {
                // Text selected first, then 高亮 or 下划线 clicked: the selection is marked at once, as in
                // any PDF reader, with its words quoted in the 批注 list.
                if ((t === 'highlight' || t === 'underline') && editable && viewer.current?.markSelection(t)) return;
                setTool(t);
              }}
              editable={editable}
              readOnlyReason={readOnlyReason}
              color={color}
              onColor={(c) => {
                setColor(c);
                if (selected && selected.authorId === user.id && editable) store.update(selected.id, { color: c });
              }}
              canUndo={store.canUndo}
              canRedo={store.canRedo}
              onUndo={() => undoRedo('undo')}
              onRedo={() => undoRedo('redo')}
              onFind={openFind}
              currentItem={currentItem}
              onClearItem={() => setLinkOffFor(currentItemId)}
              saving={store.saving}
              rightTab={rightTab}
              onRightTab={setRightTab}
              onHelp={() => setHelpOpen((o) => !o)}
            />
            <OcrPageNote ocr={ocrPages} page={status.page} tool={tool} />
            {findOpen && (
              <FindBar
                unreadPages={ocrPages?.unread.size ?? 0}
                inputRef={findInput}
                status={findStatus}
                initialQuery={findSeed}
                onFind={(q, o) => viewer.current?.find(q, o)}
                onClose={() => {
                  setFindOpen(false);
                  setFindStatus(IDLE_FIND);
                  viewer.current?.clearFind();
                  viewer.current?.focus();
                }}
              />
            )}
            {docStatus === 'altered' || docStatus === 'missing' ? (
              <div className="notice notice-error reader-banner" role="alert">
                {docStatus === 'altered'
                  ? '⚠ 该文件的内容与导入时记录的校验值（SHA-256）不一致，可能已被改动或损坏。已有批注仍按原位置显示，但不能再添加批注或作为证据导出，请联系管理员核查。'
                  : '⚠ 该文件已从文件库中丢失，请联系管理员重新导入。'}
              </div>
            ) : null}
            {viewError ? (
              <div className="notice notice-error reader-banner" role="alert">
                {viewError}
              </div>
            ) : opened?.error && k ? (
              <div className="notice notice-error reader-banner" role="alert">
                {opened.error}
              </div>
            ) : opened?.url ? (
              <PdfViewer
                key={docId}
                ref={viewer}
                url={opened.url}
                annotations={docAnnotations}
                tool={tool}
                editable={editable}
                userId={user.id}
                selectedId={selectedId}
                popupOpen={popupOpen}
                rotations={rotations}
                initialPage={page}
                initialQuery={query}
                currentItem={currentItem}
                itemLabel={itemLabel}
                ocrPages={ocrPages?.byIndex ?? null}
                actions={layerActions}
                onCreate={onCreate}
                onStatus={setStatus}
                onFind={setFindStatus}
                onLoaded={onLoaded}
                onFirstPaint={onFirstPaint}
                onError={setViewError}
              />
            ) : (
              <div className="empty">{k && !doc ? '该案卷没有文件。' : <span className="spinner" />}</div>
            )}
            <ShortcutHelp
              open={helpOpen}
              onClose={() => {
                setHelpOpen(false);
                viewer.current?.focus();
              }}
            />
          </section>
          {rightTab && (
            <aside className="side" aria-label="评分与批注">
              {sidesReady ? (
                <SidePane
                  caseId={caseId}
                  selectedAnnotation={selected}
                  annotations={store.list}
                  onShowAnnotation={onSheetShow}
                  onCurrentItemChange={setCurrentItemId}
                  onEvidenceChange={onEvidenceChange}
                  sheetRef={sheet}
                  tab={rightTab}
                  onTab={setRightTab}
                  precheck={precheckPane}
                  annotationList={annotationList}
                  onClose={closeRight}
                />
              ) : (
                <div className="empty">
                  <span className="spinner" />
                </div>
              )}
            </aside>
          )}
        </div>
      </div>
    </>
  );
}
