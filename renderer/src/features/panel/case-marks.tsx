/** What the panel adds to the campaign's case list: drawn or not, and who reviews it. */
import type { AssignmentOverview } from '../../../../shared/panel/panel';
import { useQuery } from '../../api/hooks';

type Mark = AssignmentOverview['cases'][number];

/** Per case: drawn, reviewers — for organisers, leads and observers (reviewers see only their own files anyway). */
export function useCaseMarks(campaignId: string, enabled: boolean): { marks: Map<string, Mark>; drawn: boolean } | null {
  const overview = useQuery('assignment:list', enabled ? { campaignId } : null, { refreshOn: (c) => c.campaignId === campaignId });
  if (!enabled || !overview.data) return null;
  return { marks: new Map(overview.data.cases.map((c) => [c.caseId, c])), drawn: overview.data.drawId !== null };
}

export function CaseMarkHeads({ marks }: { marks: ReturnType<typeof useCaseMarks> }) {
  if (!marks) return null;
  return (
    <>
      <th>抽取</th>
      <th>评查人员</th>
    </>
  );
}

export function CaseMarkCells({
  caseId,
  documentCount,
  marks,
}: {
  caseId: string;
  documentCount: number;
  marks: ReturnType<typeof useCaseMarks>;
}) {
  if (!marks) return null;
  const m = marks.marks.get(caseId);
  return (
    <>
      <td>
        {!marks.drawn ? (
          <span className="muted">未抽取</span>
        ) : m?.drawn ? (
          <span className="badge badge-ok">已抽中</span>
        ) : documentCount === 0 ? (
          // A draw never picks a file without a PDF: say why it is out, not that it lost the draw.
          <span className="badge badge-warn" title="已登记但未导入案卷文件，不参加抽取">
            无案卷文件
          </span>
        ) : (
          <span className="badge">未抽中</span>
        )}
      </td>
      <td>{m?.reviewers.length ? m.reviewers.map((r) => r.name).join('、') : <span className="muted">—</span>}</td>
    </>
  );
}
