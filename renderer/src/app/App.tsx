import { ROLE_LABELS } from '../../../shared/people/roles';
import { errorMessage, invoke } from '../api/client';
import { lazy, Suspense } from 'react';
import { CampaignScreen } from '../features/campaigns/CampaignScreen';
import { CampaignsScreen } from '../features/campaigns/CampaignsScreen';
import { CaseScreen } from '../features/dossiers/CaseScreen';
import { LoginScreen, SetupScreen } from '../features/people/AuthScreens';
import { ChangePasswordButton, PeopleScreen } from '../features/people/PeopleScreen';
import { useToast } from '../ui/toast';
import { href, navigate, useRoute, type Route } from './router';
import { useSession } from './session';

// The screens a reviewer opens the app on (the campaign list, a campaign, a case) are in the main
// chunk; the others load when first shown, so start-up — above all a reload on a case, where pdf.js
// competes for the same thread — evaluates only what it shows.
const LedgerScreen = lazy(() => import('../features/ledger/LedgerScreen').then((m) => ({ default: m.LedgerScreen })));
const LettersScreen = lazy(() => import('../features/letters/LettersScreen').then((m) => ({ default: m.LettersScreen })));
const StatisticsScreen = lazy(() => import('../features/scoring/StatisticsScreen').then((m) => ({ default: m.StatisticsScreen })));
const StandardsScreen = lazy(() => import('../features/standards/StandardsScreen').then((m) => ({ default: m.StandardsScreen })));
const MeetingScreen = lazy(() => import('../features/meeting/MeetingScreen').then((m) => ({ default: m.MeetingScreen })));
const PanelScreen = lazy(() => import('../features/panel/PanelScreen').then((m) => ({ default: m.PanelScreen })));
const ProjectorScreen = lazy(() => import('../features/meeting/ProjectorScreen').then((m) => ({ default: m.ProjectorScreen })));
const AgreementScreen = lazy(() => import('../features/panel/AgreementScreen').then((m) => ({ default: m.AgreementScreen })));
const ImportScreen = lazy(() => import('../features/import/ImportScreen').then((m) => ({ default: m.ImportScreen })));
const RegisterScreen = lazy(() => import('../features/signing/RegisterScreen').then((m) => ({ default: m.RegisterScreen })));
const SigningScreen = lazy(() => import('../features/signing/SigningScreen').then((m) => ({ default: m.SigningScreen })));
const VerifyScreen = lazy(() => import('../features/signing/VerifyScreen').then((m) => ({ default: m.VerifyScreen })));
const ReconcileScreen = lazy(() => import('../features/panel/ReconcileScreen').then((m) => ({ default: m.ReconcileScreen })));
const AuditScreen = lazy(() => import('../features/audit/AuditScreen').then((m) => ({ default: m.AuditScreen })));
const SettingsScreen = lazy(() => import('../features/backup/SettingsScreen').then((m) => ({ default: m.SettingsScreen })));
const PackagesScreen = lazy(() => import('../features/packages/PackagesScreen').then((m) => ({ default: m.PackagesScreen })));

const loading = (
  <div className="empty">
    <span className="spinner" /> 正在加载…
  </div>
);

export function App() {
  const session = useSession();
  const route = useRoute();
  if (!session.ready)
    return (
      <div className="empty">
        <span className="spinner" /> 正在连接工作站…
      </div>
    );
  if (session.needsSetup) return <SetupScreen />;
  if (!session.user) return <LoginScreen />;
  // The projector window is the whole screen: no top bar.
  if (route.name === 'projector')
    return (
      <Suspense fallback={loading}>
        <ProjectorScreen campaignId={route.campaignId} />
      </Suspense>
    );
  return <Shell />;
}

function Shell() {
  const route = useRoute();
  const { user, setUser } = useSession();
  const toast = useToast();
  async function logout() {
    try {
      await invoke('auth:logout', {});
      // The next person at a shared computer does not inherit this one's messages.
      toast.clear();
      // 切换用户: the next person starts at the start screen, not on this person's file.
      navigate(href.campaigns(), true);
      setUser(null);
    } catch (err) {
      toast.show(errorMessage(err), 'error');
    }
  }
  return (
    <div className="shell">
      <header className="topbar">
        <a className="brand" href={href.campaigns()} title="案卷评查工作站" style={{ color: 'inherit', textDecoration: 'none' }}>
          <span className="seal" aria-hidden="true">
            评
          </span>
          <span className="brand-name">案卷评查工作站</span>
        </a>
        <nav aria-label="主导航">
          <a
            href={href.campaigns()}
            aria-current={route.name === 'campaigns' || 'campaignId' in route || 'caseId' in route ? 'page' : undefined}
          >
            评查活动
          </a>
          <a href={href.standards()} aria-current={route.name === 'standards' ? 'page' : undefined}>
            评查标准
          </a>
          {(user!.role === 'organiser' || user!.role === 'lead') && (
            <a href={href.people()} aria-current={route.name === 'people' ? 'page' : undefined}>
              人员
            </a>
          )}
          <a href={href.register()} aria-current={route.name === 'register' ? 'page' : undefined}>
            签发登记簿
          </a>
          <a href={href.verify()} aria-current={route.name === 'verify' ? 'page' : undefined}>
            核验
          </a>
          <a href={href.signing()} aria-current={route.name === 'signing' ? 'page' : undefined}>
            签名与信任
          </a>
          {user!.role === 'organiser' && (
            <a href={href.audit()} aria-current={route.name === 'audit' ? 'page' : undefined}>
              留痕
            </a>
          )}
          {user!.role === 'organiser' && (
            <a href={href.settings()} aria-current={route.name === 'settings' ? 'page' : undefined}>
              设置
            </a>
          )}
        </nav>
        <div className="spacer" />
        <div className="user">
          <span>
            {user!.displayName}（{ROLE_LABELS[user!.role]}）
          </span>
          <ChangePasswordButton />
          <button className="btn btn-sm" type="button" onClick={logout} title="会议室共用电脑：退出后由下一位登录">
            退出登录<span className="wide-only"> / 切换用户</span>
          </button>
        </div>
      </header>
      <main className="main" id="main">
        <Suspense fallback={loading}>{screenFor(route)}</Suspense>
      </main>
    </div>
  );
}

function screenFor(route: Route) {
  switch (route.name) {
    case 'campaigns':
      return <CampaignsScreen />;
    case 'campaign':
      return <CampaignScreen campaignId={route.campaignId} />;
    case 'import':
      return <ImportScreen campaignId={route.campaignId} />;
    case 'case':
      return <CaseScreen key={route.caseId} caseId={route.caseId} documentId={route.documentId} page={route.page} query={route.query} />;
    case 'standards':
      return <StandardsScreen versionId={route.versionId} />;
    case 'people':
      return <PeopleScreen />;
    case 'panel':
      return <PanelScreen campaignId={route.campaignId} />;
    case 'meeting':
      return <MeetingScreen campaignId={route.campaignId} />;
    case 'letters':
      return <LettersScreen key={route.campaignId} campaignId={route.campaignId} />;
    case 'ledger':
      return <LedgerScreen key={route.campaignId} campaignId={route.campaignId} />;
    case 'stats':
      return <StatisticsScreen key={route.campaignId} campaignId={route.campaignId} />;
    case 'signing':
      return <SigningScreen />;
    case 'verify':
      return <VerifyScreen />;
    case 'register':
      return <RegisterScreen />;
    case 'audit':
      return <AuditScreen />;
    case 'settings':
      return <SettingsScreen />;
    case 'reconcile':
      return <ReconcileScreen key={route.caseId} caseId={route.caseId} />;
    case 'campaignReview':
      return <AgreementScreen key={route.campaignId} campaignId={route.campaignId} />;
    case 'packages':
      return <PackagesScreen key={route.campaignId} campaignId={route.campaignId} />;
    default:
      return (
        <div className="empty">
          <h3>页面不存在</h3>
          <a href={href.campaigns()}>返回评查活动列表</a>
        </div>
      );
  }
}
