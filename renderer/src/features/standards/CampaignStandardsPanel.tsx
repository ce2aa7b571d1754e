/**
 * The campaign page's choice of standard per case type. Organisers and leads pick a version from
 * the library; once files of a type have score sheets the back end refuses a change, and the
 * message says why.
 */
import { useState } from 'react';
import { CASE_TYPES, CASE_TYPE_LABELS, type CaseType } from '../../../../shared/campaigns/case-types';
import type { CampaignDetail } from '../../../../shared/campaigns/campaign';
import { errorMessage, invoke } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { href } from '../../app/router';
import { useToast } from '../../ui/toast';
import './standards.css';

export function CampaignStandardsPanel({ campaign, canEdit }: { campaign: CampaignDetail; canEdit: boolean }) {
  const toast = useToast();
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
    <section className="panel st-campaign" aria-label="各类案卷的评查标准">
      <h2 className="st-campaign-title">评查标准</h2>
      <p className="muted">每类案卷按所选标准版本评分；该类案卷开始评分后不能再更换。</p>
      <table className="table">
        <thead>
          <tr>
            <th>案件类型</th>
            <th>评查标准（版本）</th>
          </tr>
        </thead>
        <tbody>
          {CASE_TYPES.map((caseType) => {
            const current = campaign.standards.find((s) => s.caseType === caseType);
            const options = (library.data ?? []).filter(
              (s) => s.caseTypes.includes(caseType) && ((!s.retired && s.errorCount === 0) || s.versionId === current?.standardVersionId),
            );
            return (
              <tr key={caseType}>
                <td>{CASE_TYPE_LABELS[caseType]}</td>
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
                  ) : current ? (
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
    </section>
  );
}
