/** Names of the checklist items a case is scored against, for evidence chips and filters. */
import { useEffect, useState } from 'react';
import type { CaseType } from '../../../../shared/campaigns/case-types';
import { allItems } from '../../../../shared/standards/tree';
import { invoke } from '../../api/client';

export function useItemLabels(kase: { campaignId: string; caseType: CaseType } | undefined): Map<string, string> {
  const [labels, setLabels] = useState<Map<string, string>>(new Map());
  const campaignId = kase?.campaignId;
  const caseType = kase?.caseType;
  useEffect(() => {
    if (!campaignId || !caseType) return;
    let live = true;
    (async () => {
      const campaign = await invoke('campaign:get', { campaignId });
      const versionId = campaign.standards.find((s) => s.caseType === caseType)?.standardVersionId;
      if (!versionId) return;
      const { definition } = await invoke('standard:get', { versionId });
      if (live) setLabels(new Map(allItems(definition).map((item) => [item.id, `${item.code} ${item.text}`.trim()])));
    })().catch(() => undefined); // labels are a convenience: ids are shown without them
    return () => {
      live = false;
    };
  }, [campaignId, caseType]);
  return labels;
}
