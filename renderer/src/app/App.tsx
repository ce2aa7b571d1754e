import { ROLE_LABELS } from '../../../shared/domain/roles';
import { errorMessage, invoke } from '../api/client';
import { CampaignScreen } from '../screens/CampaignScreen';
import { CampaignsScreen } from '../screens/CampaignsScreen';
import { CaseScreen } from '../screens/CaseScreen';
import { LoginScreen, SetupScreen } from '../screens/AuthScreens';
import { StandardsScreen } from '../standards/StandardsScreen';
import { useToast } from '../ui/toast';
import { href, useRoute, type Route } from './router';
import { useSession } from './session';

export function App() {
  const session = useSession();
  if (!session.ready) return <div className="empty"><span className="spinner" /> 正在连接工作站…</div>;
  if (session.needsSetup) return <SetupScreen />;
  if (!session.user) return <LoginScreen />;
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
          <a href={href.campaigns()} aria-current={route.name === 'campaigns' || route.name === 'campaign' || route.name === 'case' ? 'page' : undefined}>评查活动</a>
          <a href={href.standards()} aria-current={route.name === 'standards' ? 'page' : undefined}>评查标准</a>
        </nav>
        <div className="spacer" />
        <div className="user">
          <span>{user!.displayName}（{ROLE_LABELS[user!.role]}）</span>
          <button className="btn btn-sm" type="button" onClick={logout}>退出登录</button>
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
    case 'case':
      return <CaseScreen key={route.caseId} caseId={route.caseId} documentId={route.documentId} page={route.page} />;
    case 'standards':
      return <StandardsScreen versionId={route.versionId} />;
    default:
      return (
        <div className="empty">
          <h3>页面不存在</h3>
          <a href={href.campaigns()}>返回评查活动列表</a>
        </div>
      );
  }
}
