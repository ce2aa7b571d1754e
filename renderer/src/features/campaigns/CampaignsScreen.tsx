import { useState, type FormEvent } from 'react';
import { defaultReviewYear } from '../../../../shared/campaigns/year-in-name';
import { invoke } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { href, navigate } from '../../app/router';
import { useUser } from '../../app/session';
import { Dialog } from '../../ui/dialog';
import { Field } from '../../ui/field';
import { useFormAction } from '../../ui/use-form-action';
import { ImportPackageDialog } from '../packages';
import { CampaignMyWork } from '../scoring';
import { useToast } from '../../ui/toast';

export function CampaignsScreen() {
  const user = useUser();
  const campaigns = useQuery('campaign:list', {}, { refreshOn: (c) => c.entity === 'campaign' || c.entity === 'case' });
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const toast = useToast();
  const canCreate = user.role === 'organiser' || user.role === 'lead';

  return (
    <div className="page">
      <div className="page-head">
        <div className="grow">
          <h1>评查活动</h1>
          <p>
            {user.role === 'reviewer'
              ? '您参加的评查活动：打开活动，评查分配给您的案卷。'
              : '每次集中评查是一个活动：导入案卷、分配评查人员、评分、合议并出具意见书。'}
          </p>
        </div>
        {canCreate && (
          <button
            className="btn"
            type="button"
            onClick={() => setImporting(true)}
            title="从 U 盘导入评查组长发来的工作包，或其他机关移交、上报的评查活动"
          >
            导入工作包…
          </button>
        )}
        {canCreate && (
          <button className="btn btn-primary" type="button" onClick={() => setCreating(true)}>
            ＋ 新建评查活动
          </button>
        )}
      </div>
      {campaigns.error && <div className="notice notice-error">{campaigns.error}</div>}
      {campaigns.data && campaigns.data.length === 0 && (
        <div className="panel empty">
          <h3>还没有评查活动</h3>
          <p>{canCreate ? '点击右上角“新建评查活动”开始。' : '请等待组织者创建评查活动。'}</p>
        </div>
      )}
      <div className="cards">
        {campaigns.data?.map((c) => (
          <a key={c.id} className="panel card" href={href.campaign(c.id)}>
            <h3>{c.name}</h3>
            <div className="meta">
              <span>{c.year} 年度</span>
              <span>{c.issuingBody}</span>
            </div>
            <div className="meta">
              {user.role === 'reviewer' ? (
                <CampaignMyWork campaignId={c.id} />
              ) : (
                <>
                  <span>
                    被评查单位 <b className="num">{c.unitCount}</b>
                  </span>
                  <span>
                    案卷 <b className="num">{c.caseCount}</b>
                  </span>
                </>
              )}
            </div>
          </a>
        ))}
      </div>
      <CreateCampaignDialog open={creating} onClose={() => setCreating(false)} />
      <ImportPackageDialog
        open={importing}
        onClose={() => setImporting(false)}
        onImported={(result) => {
          setImporting(false);
          toast.show(result.outcome === 'already' ? '该工作包此前已导入。' : `已导入：${result.campaignName}`, 'ok');
          navigate(href.campaign(result.campaignId));
        }}
      />
    </div>
  );
}

function CreateCampaignDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [name, setName] = useState('');
  const [year, setYear] = useState(String(defaultReviewYear('')));
  // Until the person types a year, it follows the one the name states (the 通报's title quotes it).
  const [yearTyped, setYearTyped] = useState(false);
  const user = useUser();
  // The organiser's own bureau runs the review in almost every case.
  const [issuingBody, setIssuingBody] = useState(user.affiliation);
  const { error, busy, run } = useFormAction();

  function submit(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      const created = await invoke('campaign:create', { name, year: Number(year), issuingBody });
      onClose();
      navigate(href.campaign(created.id));
    });
  }

  return (
    <Dialog open={open} title="新建评查活动" onClose={onClose}>
      <form onSubmit={submit} style={{ display: 'flex', flexDirection: 'column', gap: 14 }}>
        <Field label="活动名称">
          <input
            className="input"
            autoFocus
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              if (!yearTyped) setYear(String(defaultReviewYear(e.target.value)));
            }}
            placeholder="如：2025 年度行政执法案卷集中评查"
          />
        </Field>
        <div className="form-grid">
          <Field label="评查年度（案卷所属年度）">
            <input
              className="input num"
              inputMode="numeric"
              value={year}
              onChange={(e) => {
                setYear(e.target.value);
                setYearTyped(true);
              }}
            />
          </Field>
          <Field label="评查机关">
            <input className="input" value={issuingBody} onChange={(e) => setIssuingBody(e.target.value)} placeholder="如：某某县司法局" />
          </Field>
        </div>
        {error && (
          <div className="notice notice-error" role="alert">
            {error}
          </div>
        )}
        <div style={{ display: 'flex', justifyContent: 'flex-end', gap: 10 }}>
          <button className="btn" type="button" onClick={onClose}>
            取消
          </button>
          <button className="btn btn-primary" type="submit" disabled={busy}>
            {busy ? '正在创建…' : '创建'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
