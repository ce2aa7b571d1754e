import { useEffect, useState } from 'react';

/** Hash routes, so a reload (or a second window) opens the same screen. */
export type Route =
  | { name: 'campaigns' }
  | { name: 'campaign'; campaignId: string }
  | { name: 'import'; campaignId: string }
  | { name: 'case'; caseId: string; documentId?: string; page?: number; query?: string }
  | { name: 'standards'; versionId?: string }
  | { name: 'people' }
  | { name: 'panel'; campaignId: string }
  | { name: 'meeting'; campaignId: string }
  | { name: 'projector'; campaignId: string }
  | { name: 'letters'; campaignId: string }
  | { name: 'ledger'; campaignId: string }
  | { name: 'stats'; campaignId: string }
  | { name: 'signing' }
  | { name: 'verify' }
  | { name: 'register' }
  | { name: 'audit' }
  | { name: 'settings' }
  | { name: 'reconcile'; caseId: string }
  | { name: 'campaignReview'; campaignId: string }
  | { name: 'packages'; campaignId: string }
  | { name: 'notFound' };

export function parseRoute(hash: string): Route {
  const [pathPart, query = ''] = hash.replace(/^#/, '').split('?');
  const parts = (pathPart ?? '').split('/').filter(Boolean).map(decodeURIComponent);
  const params = new URLSearchParams(query);
  if (parts.length === 0) return { name: 'campaigns' };
  if (parts[0] === 'campaign' && parts[1] && (parts[2] === 'panel' || parts[2] === 'meeting' || parts[2] === 'projector'))
    return { name: parts[2], campaignId: parts[1] };
  if (parts[0] === 'campaign' && parts[1] && (parts[2] === 'letters' || parts[2] === 'ledger' || parts[2] === 'stats'))
    return { name: parts[2], campaignId: parts[1] };
  if (parts[0] === 'campaign' && parts[1] && parts[2] === 'review') return { name: 'campaignReview', campaignId: parts[1] };
  if (parts[0] === 'campaign' && parts[1] && parts[2] === 'packages') return { name: 'packages', campaignId: parts[1] };
  if (parts[0] === 'case' && parts[1] && parts[2] === 'reconcile') return { name: 'reconcile', caseId: parts[1] };
  if (parts[0] === 'campaign' && parts[1] && parts[2] === 'import') return { name: 'import', campaignId: parts[1] };
  if (parts[0] === 'campaign' && parts[1]) return { name: 'campaign', campaignId: parts[1] };
  if (parts[0] === 'people') return { name: 'people' };
  if (parts[0] === 'case' && parts[1]) {
    const page = Number(params.get('page'));
    return {
      name: 'case',
      caseId: parts[1],
      ...(params.get('doc') ? { documentId: params.get('doc')! } : {}),
      ...(page > 0 ? { page } : {}),
      ...(params.get('q') ? { query: params.get('q')! } : {}),
    };
  }
  if (parts[0] === 'standards') return { name: 'standards', ...(parts[1] ? { versionId: parts[1] } : {}) };
  if (parts[0] === 'signing' || parts[0] === 'verify' || parts[0] === 'register' || parts[0] === 'audit' || parts[0] === 'settings')
    return { name: parts[0] };
  return { name: 'notFound' };
}

export const href = {
  campaigns: () => '#/',
  campaign: (id: string) => `#/campaign/${encodeURIComponent(id)}`,
  campaignImport: (id: string) => `#/campaign/${encodeURIComponent(id)}/import`,
  case: (id: string, documentId?: string, page?: number, query?: string) => {
    const q = new URLSearchParams();
    if (documentId) q.set('doc', documentId);
    if (page) q.set('page', String(page));
    if (query) q.set('q', query);
    const qs = q.toString();
    return `#/case/${encodeURIComponent(id)}${qs ? `?${qs}` : ''}`;
  },
  standards: (versionId?: string) => (versionId ? `#/standards/${encodeURIComponent(versionId)}` : '#/standards'),
  people: () => '#/people',
  panel: (campaignId: string) => `#/campaign/${encodeURIComponent(campaignId)}/panel`,
  meeting: (campaignId: string) => `#/campaign/${encodeURIComponent(campaignId)}/meeting`,
  projector: (campaignId: string) => `#/campaign/${encodeURIComponent(campaignId)}/projector`,
  letters: (id: string) => `#/campaign/${encodeURIComponent(id)}/letters`,
  ledger: (id: string) => `#/campaign/${encodeURIComponent(id)}/ledger`,
  stats: (id: string) => `#/campaign/${encodeURIComponent(id)}/stats`,
  signing: () => '#/signing',
  verify: () => '#/verify',
  register: () => '#/register',
  audit: () => '#/audit',
  settings: () => '#/settings',
  reconcile: (caseId: string) => `#/case/${encodeURIComponent(caseId)}/reconcile`,
  campaignReview: (campaignId: string) => `#/campaign/${encodeURIComponent(campaignId)}/review`,
  packages: (campaignId: string) => `#/campaign/${encodeURIComponent(campaignId)}/packages`,
};

export function navigate(to: string, replace = false): void {
  if (replace) history.replaceState(null, '', to);
  else location.hash = to.replace(/^#/, '');
  if (replace) window.dispatchEvent(new HashChangeEvent('hashchange'));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = (): void => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
