import { href } from '../app/router';

/** Links between a campaign's screens: files, letters, ledger, statistics. */
export function CampaignSubnav({ campaignId, current }: { campaignId: string; current: 'cases' | 'letters' | 'ledger' | 'stats' }) {
  const links = [
    { key: 'cases', label: '案卷', to: href.campaign(campaignId) },
    { key: 'letters', label: '文书', to: href.letters(campaignId) },
    { key: 'ledger', label: '整改台账', to: href.ledger(campaignId) },
    { key: 'stats', label: '统计', to: href.stats(campaignId) },
  ] as const;
  return (
    <nav className="subnav" aria-label="评查活动">
      {links.map((l) => (
        <a key={l.key} className={`btn btn-sm ${l.key === current ? 'btn-primary' : ''}`} href={l.to} aria-current={l.key === current ? 'page' : undefined}>
          {l.label}
        </a>
      ))}
    </nav>
  );
}
