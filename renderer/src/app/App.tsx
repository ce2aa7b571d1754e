import { ROLE_LABELS } from '../../../shared/domain/roles';
import { errorMessage, invoke } from '../api/client';
import { CampaignScreen } from '../screens/CampaignScreen';
import { CampaignsScreen } from '../screens/CampaignsScreen';
import { CaseScreen } from '../screens/CaseScreen';
import { LedgerScreen } from '../screens/LedgerScreen';
import { LettersScreen } from '../screens/LettersScreen';
import { StatisticsScreen } from '../screens/StatisticsScreen';
import { ImportScreen } from '../screens/ImportScreen';
import { LoginScreen, SetupScreen } from '../screens/AuthScreens';
import { StandardsScreen } from '../standards/StandardsScreen';
import { MeetingScreen } from '../screens/MeetingScreen';
import { PanelScreen } from '../screens/PanelScreen';
import { ChangePasswordButton, PeopleScreen } from '../screens/PeopleScreen';
import { ProjectorScreen } from '../screens/ProjectorScreen';
import { RegisterScreen } from '../screens/signing/RegisterScreen';
import { SigningScreen } from '../screens/signing/SigningScreen';
import { VerifyScreen } from '../screens/signing/VerifyScreen';
import { AgreementScreen } from '../review/AgreementScreen';
import { ReconcileScreen } from '../review/ReconcileScreen';
import { useToast } from '../ui/toast';
import { href, useRoute, type Route } from './router';
import { useSession } from './session';

export function App() {
  const session = useSession();
  const route = useRoute();
  if (!session.ready) return <div className="empty"><span className="spinner" /> 正在连接工作站…</div>;
  if (session.needsSetup) return <SetupScreen />;
  if (!session.user) return <LoginScreen />;
  // The projector window is the whole screen: no top bar.
  if (route.name === 'projector') return <ProjectorScreen campaignId={route.campaignId} />;
  return <Shell />;
}

function Shell() {
  const route = useRoute();
  const { user, setUser } = useSession();
  const toast = useToast();
  async function logout() {
    try {
      await invoke('auth:logout', {});
      setUser(null);
    } catch (err) {
      toast.show(errorMessage(err), 'error');
    }
  }
  return (
    <div className="shell">
      <header className="topbar">
        <a className="brand" href={href.campaigns()} style={{ color: 'inherit', textDecoration: 'none' }}>
          <span className="seal" aria-hidden="true">评</span>案卷评查工作站
        </a>
        <nav aria-label="主导航">
          <a href={href.campaigns()} aria-current={['campaigns', 'campaign', 'case', 'letters', 'ledger', 'stats', 'import', 'reconcile', 'campaignReview'].includes(route.name) ? 'page' : undefined}>评查活动</a>
          <a href={href.standards()} aria-current={route.name === 'standards' ? 'page' : undefined}>评查标准</a>
          {(user!.role === 'organiser' || user!.role === 'lead') && <a href={href.people()} aria-current={route.name === 'people' ? 'page' : undefined}>人员</a>}
          <a href={href.register()} aria-current={route.name === 'register' ? 'page' : undefined}>签发登记簿</a>
          <a href={href.verify()} aria-current={route.name === 'verify' ? 'page' : undefined}>核验</a>
          <a href={href.signing()} aria-current={route.name === 'signing' ? 'page' : undefined}>签名与信任</a>
        </nav>
        <div className="spacer" />
        <div className="user">
          <span>{user!.displayName}（{ROLE_LABELS[user!.role]}）</span>
          <ChangePasswordButton />
          <button className="btn btn-sm" type="button" onClick={logout} title="会议室共用电脑：退出后由下一位登录">退出登录 / 切换用户</button>
        </div>
      </header>
      <main className="main" id="main">{screenFor(route)}</main>
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
    case 'reconcile':
      return <ReconcileScreen key={route.caseId} caseId={route.caseId} />;
    case 'campaignReview':
      return <AgreementScreen key={route.campaignId} campaignId={route.campaignId} />;
    default:
      return (
        <div className="empty">
          <h3>页面不存在</h3>
          <a href={href.campaigns()}>返回评查活动列表</a>
        </div>
      );
  }
}
