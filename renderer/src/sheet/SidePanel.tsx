/**
 * The panel beside the reader: the caller's score sheet and the file's 评分概况 (review overview),
 * as two tabs. The sheet stays mounted on the other tab so its autosave never stops half-way.
 */
import { useState, type Ref } from 'react';
import type { Annotation } from '../../../shared/domain/annotation';
import { useQuery } from '../api/hooks';
import { useUser } from '../app/session';
import { ReviewPanel } from './ReviewPanel';
import { reviewStateText } from './ReviewStateBadge';
import { ScoreSheet, type ScoreSheetHandle } from './ScoreSheet';

export function SidePanel({ caseId, selectedAnnotation, annotations, onShowAnnotation, onCurrentItemChange, sheetRef }: {
  caseId: string;
  selectedAnnotation: Annotation | null;
  annotations: Annotation[];
  onShowAnnotation(a: Annotation): void;
  onCurrentItemChange?: ((itemId: string | null) => void) | undefined;
  sheetRef?: Ref<ScoreSheetHandle> | undefined;
}) {
  const user = useUser();
  const scores = user.role !== 'observer';
  const [tab, setTab] = useState<'sheet' | 'review'>(scores ? 'sheet' : 'review');
  const review = useQuery('review:case', { caseId }, { refreshOn: (c) => c.entity === 'case' && c.id === caseId });
  const r = review.data;
  return (
    <div className="side-panel">
      <div className="side-tabs" role="tablist" aria-label="评分">
        {scores && (
          <button type="button" role="tab" aria-selected={tab === 'sheet'} className="side-tab" onClick={() => setTab('sheet')}>
            我的评查表
          </button>
        )}
        <button type="button" role="tab" aria-selected={tab === 'review'} className="side-tab" onClick={() => setTab('review')}>
          评分概况{r ? ` · ${reviewStateText(r.state, r.route, r.assignee?.name ?? null)}` : ''}
        </button>
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
            handle={sheetRef}
          />
        </div>
      )}
      <div className="side-tabpanel" role="tabpanel" hidden={tab !== 'review'}>
        {review.error ? <div className="notice notice-error" style={{ margin: 16 }}>{review.error}</div> : r ? <ReviewPanel review={r} onChanged={review.reload} /> : <div className="empty"><span className="spinner" /></div>}
      </div>
    </div>
  );
}
