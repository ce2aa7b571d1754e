import type { ReactNode } from 'react';
import type { Role } from '../../../../shared/people/roles';
import { useQuery } from '../../api/hooks';
import { href } from '../../app/router';
import { useUser } from '../../app/session';

export type CampaignTab = 'cases' | 'panel' | 'meeting' | 'review' | 'letters' | 'ledger' | 'stats' | 'packages';

const MANAGERS: Role[] = ['organiser', 'lead'];
const NOT_REVIEWERS: Role[] = ['organiser', 'lead', 'observer'];

/**
 * Every screen of a campaign, in the order a campaign runs. Who sees a tab follows the contract's
 * role lists: letters, ledger and statistics quote every file's result, so reviewers (blind review)
 * do not get them.
 */
const TABS: Array<{ key: CampaignTab; label: string; to: (campaignId: string) => string; roles: Role[] | 'all' }> = [
  { key: 'cases', label: '案卷', to: href.campaign, roles: 'all' },
  { key: 'panel', label: '评查组与抽取', to: href.panel, roles: NOT_REVIEWERS },
  { key: 'meeting', label: '会议议程', to: href.meeting, roles: 'all' },
  { key: 'review', label: '分歧规则与评分一致性', to: href.campaignReview, roles: MANAGERS },
  { key: 'letters', label: '文书', to: href.letters, roles: NOT_REVIEWERS },
  { key: 'ledger', label: '整改台账', to: href.ledger, roles: NOT_REVIEWERS },
  { key: 'stats', label: '统计', to: href.stats, roles: NOT_REVIEWERS },
  // Work packages: the lead's; a reviewer on a laptop copy reaches them from the campaign page.
  { key: 'packages', label: '工作包', to: href.packages, roles: MANAGERS },
];

/** The tab bar under a campaign's title: one row, the current screen marked. */
export function CampaignTabs({ campaignId, current }: { campaignId: string; current: CampaignTab | null }) {
  const role = useUser().role;
  const tabs = TABS.filter((t) => t.roles === 'all' || t.roles.includes(role));
  if (tabs.length < 2) return null;
  return (
    <nav className="campaign-tabs" aria-label="评查活动">
      {tabs.map((t) => (
        <a key={t.key} href={t.to(campaignId)} aria-current={t.key === current ? 'page' : undefined}>
          {t.label}
        </a>
      ))}
    </nav>
  );
}

/**
 * The head of every campaign screen: breadcrumb, title with its note, the screen's own actions on the
 * right, and the campaign's tabs underneath — the same place on every screen, so a reviewer on their
 * fortieth file never hunts for a link.
 */
export function CampaignPageHead(props: {
  campaignId: string;
  current: CampaignTab | null;
  /** The screen's title; the campaign's name when omitted (the campaign's own page). */
  title?: string;
  /** One line under the title. */
  note?: ReactNode;
  /** Buttons on the right of the title. */
  actions?: ReactNode;
  children?: ReactNode;
}) {
  const campaign = useQuery('campaign:get', { campaignId: props.campaignId }, { refreshOn: (c) => c.campaignId === props.campaignId });
  const name = campaign.data?.name ?? '…';
  return (
    <header className="campaign-head">
      <div className="page-head">
        <div className="grow">
          <div className="muted crumbs-line">
            <a href={href.campaigns()}>评查活动</a> ›{' '}
            {props.title ? (
              <>
                <a href={href.campaign(props.campaignId)}>{name}</a> › {props.title}
              </>
            ) : (
              <>{campaign.data ? `${campaign.data.year} 年度` : ''}</>
            )}
          </div>
          <h1>{props.title ?? name}</h1>
          {props.note && <p>{props.note}</p>}
          {props.children}
        </div>
        {props.actions && <div className="page-actions">{props.actions}</div>}
      </div>
      <CampaignTabs campaignId={props.campaignId} current={props.current} />
    </header>
  );
}
