/** The projector window: the current agenda item in large type, following the agenda live. */
import { useEffect } from 'react';
import { href, navigate } from '../../app/router';
import { useUser } from '../../app/session';
import { ProjectionView, useAgendaControls, useAgendaKeys, useProjection } from './meeting';
import '../panel/panel.css';

export function ProjectorScreen({ campaignId }: { campaignId: string }) {
  const user = useUser();
  const view = useProjection(campaignId);
  const canControl = user.role === 'organiser' || user.role === 'lead';
  const controls = useAgendaControls(campaignId, view.data, view.reload);
  useAgendaKeys(canControl, controls, view.data);

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'f' || e.key === 'F') {
        if (document.fullscreenElement) void document.exitFullscreen();
        else void document.documentElement.requestFullscreen().catch(() => undefined);
      } else if (e.key === 'Escape' && !document.fullscreenElement) navigate(href.meeting(campaignId));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [campaignId]);

  return (
    <div className="projector" data-testid="projector">
      {view.error && <div className="notice notice-error">{view.error}</div>}
      {view.data ? (
        <ProjectionView projection={view.data} large />
      ) : (
        <div className="proj-empty">
          <span className="spinner" />
        </div>
      )}
      <div className="projector-keys" aria-hidden="true">
        {canControl && (
          <>
            <kbd>←</kbd> <kbd>→</kbd> 翻页 · <kbd>B</kbd> 隐藏详情 ·{' '}
          </>
        )}
        <kbd>F</kbd> 全屏 · <kbd>Esc</kbd> 返回
      </div>
    </div>
  );
}
