/**
 * The panel beside the reader: the caller's score sheet, the file's 评分概况 (review overview), the
 * machine's 预审 findings and, when the reader gives one, the case's annotation list — as tabs. The sheet stays mounted on the
 * other tabs so its autosave never stops half-way.
 */
import { useCallback, useRef, useState, type ReactNode, type Ref } from 'react';
import type { Annotation } from '../../../../shared/annotations/annotation';
import { useQuery } from '../../api/hooks';
import { useUser } from '../../app/session';
import { ReviewPanel } from './ReviewPanel';
import { reviewStateText } from './ReviewStateBadge';
import { ScoreSheet, type ScoreSheetHandle } from './ScoreSheet';

export type SideTab = 'sheet' | 'review' | 'precheck' | 'annotations';

export function SidePanel({
  caseId,
  selectedAnnotation,
  annotations,
  onShowAnnotation,
  onCurrentItemChange,
  onEvidenceChange,
  sheetRef,
  tab: shownTab,
  onTab,
  precheck,
  annotationList,
  onClose,
}: {
  caseId: string;
  selectedAnnotation: Annotation | null;
  annotations: Annotation[];
  onShowAnnotation(a: Annotation): void;
  onCurrentItemChange?: ((itemId: string | null) => void) | undefined;
  onEvidenceChange?: ((annotationId: string, itemId: string, linked: boolean) => void) | undefined;
  sheetRef?: Ref<ScoreSheetHandle> | undefined;
  /** The tab shown, when the caller keeps it (remembered across visits); otherwise kept here. */
  tab?: SideTab | undefined;
  onTab?: ((tab: SideTab) => void) | undefined;
  /** The pre-check findings (machine suggestions), shown as their own tab. */
  precheck?: ReactNode | undefined;
  /** The annotation list, shown as a tab. */
  annotationList?: { count: number; content: ReactNode } | undefined;
  /** Folds the panel away (the reader takes the width). */
  onClose?: (() => void) | undefined;
}) {
  const user = useUser();
  const scores = user.role !== 'observer';
  const [ownTab, setOwnTab] = useState<SideTab>(scores ? 'sheet' : 'review');
  const wanted = shownTab ?? ownTab;
  const tab: SideTab =
    (wanted === 'sheet' && !scores) || (wanted === 'annotations' && !annotationList) || (wanted === 'precheck' && !precheck)
      ? 'review'
      : wanted;
  const setTab = useCallback((t: SideTab) => (onTab ? onTab(t) : setOwnTab(t)), [onTab]);
  const review = useQuery('review:case', { caseId }, { refreshOn: (c) => c.entity === 'case' && c.id === caseId });
  const r = review.data;
  // Opening a file one scores lands on one's own sheet, whatever tab another file was left on
  // (a lead reading others' files and scoring his own must not land on their 评分概况).
  const landed = useRef<string | null>(null);
  const onOwnFile = useCallback(() => {
    if (landed.current === caseId) return;
    landed.current = caseId;
    if (tab !== 'sheet') setTab('sheet');
  }, [caseId, tab, setTab]);
  return (
    <div className="side-panel">
      <div className="side-tabs" role="tablist" aria-label="评分与批注">
        {scores && (
          <button type="button" role="tab" aria-selected={tab === 'sheet'} className="side-tab" onClick={() => setTab('sheet')}>
            我的评查表
          </button>
        )}
        <button
          type="button"
          role="tab"
          aria-selected={tab === 'review'}
          className="side-tab"
          onClick={() => setTab('review')}
          title={r ? `评分概况 · ${reviewStateText(r.state, r.route, r.assignee?.name ?? null)}` : '评分概况'}
        >
          评分概况
        </button>
        {precheck && (
          <button
            type="button"
            role="tab"
            aria-selected={tab === 'precheck'}
            className="side-tab"
            onClick={() => setTab('precheck')}
            title="智能预审：机器提示，仅供参考"
          >
            预审
          </button>
        )}
        {annotationList && (
          <button type="button" role="tab" aria-selected={tab === 'annotations'} className="side-tab" onClick={() => setTab('annotations')}>
            批注（{annotationList.count}）
          </button>
        )}
        {onClose && (
          <button
            type="button"
            className="side-tab side-tab-close"
            aria-label="收起右侧面板"
            title="收起右侧面板，只看 PDF"
            onClick={onClose}
          >
            ⟩
          </button>
        )}
      </div>
      {scores && (
        <div className="side-tabpanel" role="tabpanel" hidden={tab !== 'sheet'}>
          <ScoreSheet
            caseId={caseId}
            review={r}
            selectedAnnotation={selectedAnnotation}
            annotations={annotations}
            onShowAnnotation={onShowAnnotation}
            onCurrentItemChange={onCurrentItemChange}
            onEvidenceChange={onEvidenceChange}
            onShowReview={() => setTab('review')}
            onOwnFile={onOwnFile}
            handle={sheetRef}
          />
        </div>
      )}
      <div className="side-tabpanel" role="tabpanel" hidden={tab !== 'review'}>
        {review.error ? (
          <div className="notice notice-error" style={{ margin: 16 }}>
            {review.error}
          </div>
        ) : r ? (
          <ReviewPanel review={r} onChanged={review.reload} />
        ) : (
          <div className="empty">
            <span className="spinner" />
          </div>
        )}
      </div>
      {precheck && (
        <div className="side-tabpanel" role="tabpanel" hidden={tab !== 'precheck'}>
          {tab === 'precheck' && precheck}
        </div>
      )}
      {annotationList && (
        <div className="side-tabpanel" role="tabpanel" hidden={tab !== 'annotations'}>
          {annotationList.content}
        </div>
      )}
    </div>
  );
}
