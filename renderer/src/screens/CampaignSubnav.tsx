import type { ReactNode } from 'react';
import { href } from '../app/router';
import { useUser } from '../app/session';

/** Links between a campaign's screens: files, letters, ledger, statistics (hidden from reviewers). */
export function CampaignSubnav({ campaignId, current }: { campaignId: string; current: 'cases' | 'letters' | 'ledger' | 'stats' }) {
  // Letters, ledger and statistics quote every file's result: not for reviewers (blind review).
  if (useUser().role === 'reviewer') return null;
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

/** The head of a campaign's screen: breadcrumb, title, the links above, and anything under the title. */
export function CampaignPageHead(props: { campaignId: string; campaignName: string | undefined; title: string; current: 'letters' | 'ledger' | 'stats'; children?: ReactNode }) {
  return (
    <div className="page-head">
      <div className="grow">
        <div className="muted">
          <a href={href.campaigns()}>评查活动</a> › <a href={href.campaign(props.campaignId)}>{props.campaignName ?? '…'}</a> › {props.title}
        </div>
        <h1>{props.title}</h1>
        {props.children}
      </div>
      <CampaignSubnav campaignId={props.campaignId} current={props.current} />
    </div>
  );
}
