/**
 * The campaign page's choice of standard per case type. Organisers and leads pick a version from
 * the library; once files of a type have score sheets the back end refuses a change, and the
 * message says why. The types the campaign's files are of come first, with how many files each has;
 * a type with files and no standard is flagged here and on the campaign and draw screens, because a
 * file of that type cannot be scored until one is chosen.
 */
import { useEffect, useState } from 'react';
import { CASE_TYPES, CASE_TYPE_LABELS, type CaseType } from '../../../../shared/campaigns/case-types';
import type { CampaignDetail } from '../../../../shared/campaigns/campaign';
import { errorMessage, invoke, onEvent } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { href } from '../../app/router';
import { useToast } from '../../ui/toast';
import './standards.css';

/** How many of the campaign's files are of each case type (read again when its files change). */
export function useCaseTypeCounts(campaignId: string): Partial<Record<CaseType, number>> | null {
  const [counts, setCounts] = useState<Partial<Record<CaseType, number>> | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(
    () =>
      onEvent('data:changed', (change) => {
        if (change.campaignId === campaignId && (change.entity === 'case' || change.entity === 'campaign')) setTick((t) => t + 1);
      }),
    [campaignId],
  );
  useEffect(() => {
    let live = true;
    Promise.all(
      CASE_TYPES.map((caseType) =>
        invoke('case:page', { campaignId, filter: { caseType }, limit: 1 }).then((page) => [caseType, page.total] as const),
      ),
    )
      .then((pairs) => live && setCounts(Object.fromEntries(pairs.filter(([, n]) => n > 0))))
      .catch(() => live && setCounts(null));
    return () => {
      live = false;
    };
  }, [campaignId, tick]);
  return counts;
}

/** The case types the campaign has files of but no standard for. */
export function typesWithoutStandard(
  campaign: Pick<CampaignDetail, 'standards'>,
  counts: Partial<Record<CaseType, number>> | null,
): CaseType[] {
  if (!counts) return [];
  return CASE_TYPES.filter((t) => (counts[t] ?? 0) > 0 && !campaign.standards.some((s) => s.caseType === t));
}

/** Said on the campaign screen and before the draw: which files cannot be scored yet, and where to choose. */
export function MissingStandardsNotice({ campaign }: { campaign: CampaignDetail }) {
  const counts = useCaseTypeCounts(campaign.id);
  const missing = typesWithoutStandard(campaign, counts);
  if (!missing.length) return null;
  return (
    <div className="notice notice-warn" role="alert" data-testid="missing-standards">
      {missing.map((t) => `${CASE_TYPE_LABELS[t]}（${counts![t]} 件）`).join('、')}尚未指定评查标准，这些案卷不能评分。请在
      <a href={href.campaign(campaign.id)} onClick={() => document.getElementById('campaign-standards')?.scrollIntoView()}>
        评查活动页的“评查标准”
      </a>
      中为每类案卷选定标准，再抽取和分配。
    </div>
  );
}

export function CampaignStandardsPanel({ campaign, canEdit }: { campaign: CampaignDetail; canEdit: boolean }) {
  const toast = useToast();
  const counts = useCaseTypeCounts(campaign.id);
  const [showAll, setShowAll] = useState(false);
  const present = CASE_TYPES.filter((t) => (counts?.[t] ?? 0) > 0);
  // The types with files first; the others on request (or all while nothing is imported yet).
  const shown =
    counts === null || present.length === 0 || showAll ? [...present, ...CASE_TYPES.filter((t) => !present.includes(t))] : present;
  const library = useQuery('standard:list', {}, { refreshOn: (c) => c.entity === 'standard' });
  const [busy, setBusy] = useState<CaseType | null>(null);

  async function choose(caseType: CaseType, versionId: string): Promise<void> {
    setBusy(caseType);
    try {
      await invoke('campaign:setStandard', { campaignId: campaign.id, caseType, versionId: versionId || null });
      toast.show(`${CASE_TYPE_LABELS[caseType]}案卷的评查标准已更新。`, 'ok');
    } catch (err) {
      toast.show(errorMessage(err), 'error');
    } finally {
      setBusy(null);
    }
  }

  return (
    <section className="panel st-campaign" aria-label="各类案卷的评查标准" id="campaign-standards">
      <h2 className="st-campaign-title">评查标准</h2>
      <p className="muted">每类案卷按所选标准版本评分；该类案卷开始评分后不能再更换。本活动已有案卷的类型排在前面。</p>
      <table className="table">
        <thead>
          <tr>
            <th>案件类型</th>
            <th className="num">案卷</th>
            <th>评查标准（版本）</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((caseType) => {
            const current = campaign.standards.find((s) => s.caseType === caseType);
            const n = counts?.[caseType] ?? 0;
            const options = (library.data ?? []).filter(
              (s) => s.caseTypes.includes(caseType) && ((!s.retired && s.errorCount === 0) || s.versionId === current?.standardVersionId),
            );
            return (
              <tr key={caseType} data-case-type={caseType} className={n > 0 && !current ? 'st-missing' : ''}>
                <td>
                  {CASE_TYPE_LABELS[caseType]}
                  {n > 0 && !current && (
                    <span className="badge badge-danger" title="该类案卷在选定评查标准前不能评分">
                      未指定标准
                    </span>
                  )}
                </td>
                <td className="num">{n > 0 ? `${n} 件` : <span className="muted">—</span>}</td>
                <td>
                  {canEdit ? (
                    <select
                      className="input"
                      aria-label={`${CASE_TYPE_LABELS[caseType]}的评查标准`}
                      value={current?.standardVersionId ?? ''}
                      disabled={busy !== null}
                      onChange={(e) => void choose(caseType, e.target.value)}
                    >
                      <option value="">（未指定）</option>
                      {options.map((s) => (
                        <option key={s.versionId} value={s.versionId}>
                          {s.name}（{s.version}）
                        </option>
                      ))}
                    </select>
                  ) : null}
                  {canEdit && n > 0 && !current && options.length === 0 && (
                    <div className="muted">
                      标准库中没有适用于此类案卷的标准：请在<a href={href.standards()}>评查标准</a>中建立，或更正这些案卷的类型。
                    </div>
                  )}
                  {canEdit ? null : current ? (
                    <a href={href.standards(current.standardVersionId)}>
                      {current.standardName}（{current.version}）
                    </a>
                  ) : (
                    <span className="muted">未指定</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {counts !== null && present.length > 0 && present.length < CASE_TYPES.length && (
        <button type="button" className="btn btn-sm btn-ghost" onClick={() => setShowAll((v) => !v)}>
          {showAll ? '只显示本活动已有的案件类型' : `显示其他 ${CASE_TYPES.length - present.length} 种案件类型`}
        </button>
      )}
    </section>
  );
}
