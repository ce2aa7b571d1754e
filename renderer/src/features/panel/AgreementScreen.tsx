/**
 * 分歧规则与评分一致性: the campaign's divergence rules (which disagreements send a file to 复核 or
 * 集体评议), and how alike the panel scores — per item and per reviewer — so the lead sees which
 * items the panel reads differently.
 */
import { useEffect, useState, type FormEvent } from 'react';
import {
  DIVERGENCE_RULE_KINDS,
  REVIEW_ROUTE_LABELS,
  type DivergenceRuleKind,
  type DivergenceRules,
} from '../../../../shared/panel/divergence';
import { invoke } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { useUser } from '../../app/session';
import { useToast } from '../../ui/toast';
import { useFormAction } from '../../ui/use-form-action';
import './review.css';
import { CampaignPageHead } from '../campaigns';
import { PrecheckRuleTable } from '../precheck';

const RULE_LABELS: Record<DivergenceRuleKind, string> = {
  gradeBands: '评定等次不一致',
  anyVeto: '任何人认定否决项',
  spread: '总分相差超过',
  items: '评定不一致的项目达到',
};

const pct = (x: number | null): string => (x === null ? '—' : `${Math.round(x * 1000) / 10}%`);
const num = (x: number | null, digits = 2): string => (x === null ? '—' : x.toFixed(digits));
/** Below the threshold alpha is noise: say so, with what is missing, instead of a number. */
const shortfall = (files: number, minFiles: number): string => `数据不足（至少需要 ${minFiles} 份两人以上评查的案卷，现有 ${files} 份）`;

export function AgreementScreen({ campaignId }: { campaignId: string }) {
  const user = useUser();
  const manager = user.role === 'lead' || user.role === 'organiser';
  const stats = useQuery('review:agreement', manager ? { campaignId } : null, {
    refreshOn: (c) => c.campaignId === campaignId && c.entity === 'case',
  });
  const s = stats.data;
  const enough = s ? s.files >= s.minFiles : false;
  const items = s
    ? [...s.items].sort((a, b) => (a.agreeShare ?? 1) - (b.agreeShare ?? 1) || (b.meanAbsDiff ?? 0) - (a.meanAbsDiff ?? 0))
    : [];
  return (
    <div className="page" aria-label="分歧规则与评分一致性">
      <CampaignPageHead
        campaignId={campaignId}
        current="review"
        title="分歧规则与评分一致性"
        note="哪些分歧需要复核或集体评议；评查组对各评查项目的把握是否一致。"
      />
      <RulesForm campaignId={campaignId} editable={manager} />
      {!manager && <div className="notice notice-info">评分一致性统计仅评查组长和组织者可见。</div>}
      {stats.error && <div className="notice notice-error">{stats.error}</div>}
      {s && (
        <>
          <section className="panel stats-overall" aria-label="总体一致性">
            <div>
              <span className="muted">多人评查的案卷</span>
              <b className="num">{s.files}</b>
            </div>
            <div>
              <span className="muted">比较的项目次数</span>
              <b className="num">{s.units}</b>
            </div>
            <div>
              <span className="muted">评定一致的比例</span>
              <b className="num" data-testid="overall-agree">
                {pct(s.agreeShare)}
              </b>
            </div>
            <div>
              <span className="muted">平均分差（分/项）</span>
              <b className="num">{num(s.meanAbsDiff)}</b>
            </div>
            {enough ? (
              <>
                <div title="一致性系数 α（克里彭多夫）：1 为完全一致，0 为与随机无异；按扣分值计算（区间尺度）">
                  <span className="muted">α（扣分值，n = {s.files}）</span>
                  <b className="num" data-testid="alpha-interval">
                    {num(s.alphaInterval, 3)}
                  </b>
                </div>
                <div title="一致性系数 α（克里彭多夫）：按评定类别（符合/扣分值/不适用/否决）计算（名义尺度）">
                  <span className="muted">α（评定类别，n = {s.files}）</span>
                  <b className="num">{num(s.alphaNominal, 3)}</b>
                </div>
              </>
            ) : (
              <div className="alpha-short" data-testid="alpha-interval">
                <span className="muted">α 一致性系数</span>
                <b>{shortfall(s.files, s.minFiles)}</b>
              </div>
            )}
          </section>
          <p className="muted small">
            α 为评分一致性系数（克里彭多夫 α）：≥0.8 一致性好，0.667–0.8 可接受，低于 0.667 说明评查组对标准的理解差异较大，宜统一口径。
            只计两份以上已提交评查表的案卷，至少 {s.minFiles} 份这样的案卷才给出 α（n
            为计入的案卷数）；“—”表示各人评定完全相同、没有差异可比较。
          </p>
          <section className="panel" aria-label="评查人员一致性">
            <h2 className="panel-title">评查人员</h2>
            <table className="table">
              <thead>
                <tr>
                  <th>评查人员</th>
                  <th className="num">共评案卷</th>
                  <th className="num">与他人比较次数</th>
                  <th className="num">与他人一致</th>
                  <th className="num">与他人平均分差</th>
                  <th className="num">与定分结果一致</th>
                  <th className="num">与定分平均分差</th>
                </tr>
              </thead>
              <tbody>
                {s.raters.length === 0 && (
                  <tr>
                    <td colSpan={7} className="muted">
                      还没有已提交的评查表。
                    </td>
                  </tr>
                )}
                {s.raters.map((r) => (
                  <tr key={r.raterId} data-rater={r.raterName}>
                    <td>{r.raterName}</td>
                    <td className="num">{r.files}</td>
                    <td className="num">{r.comparisons}</td>
                    <td className="num">{pct(r.agreeShare)}</td>
                    <td className="num">{num(r.meanAbsDiff)}</td>
                    <td className="num">{pct(r.finalAgreeShare)}</td>
                    <td className="num">{num(r.finalMeanAbsDiff)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <PrecheckRuleTable campaignId={campaignId} />
          <section className="panel" aria-label="评查项目一致性">
            <h2 className="panel-title">评查项目（一致性低的在前）</h2>
            <table className="table">
              <thead>
                <tr>
                  <th>标准</th>
                  <th>编号</th>
                  <th>评查项目</th>
                  <th className="num">多人评查案卷</th>
                  <th className="num">一致比例</th>
                  <th className="num">平均分差</th>
                  <th className="num">α（至少 {s.minFiles} 份）</th>
                </tr>
              </thead>
              <tbody>
                {items.length === 0 && (
                  <tr>
                    <td colSpan={7} className="muted">
                      还没有两人以上评查的案卷。
                    </td>
                  </tr>
                )}
                {items.map((i) => (
                  <tr key={`${i.versionId}:${i.itemId}`} className={(i.agreeShare ?? 1) < 0.8 ? 'low-agreement' : ''}>
                    <td className="muted">{i.standardName}</td>
                    <td className="num">{i.code}</td>
                    <td>{i.text}</td>
                    <td className="num">{i.files}</td>
                    <td className="num">{pct(i.agreeShare)}</td>
                    <td className="num">{num(i.meanAbsDiff)}</td>
                    <td className="num" title={i.files < s.minFiles ? shortfall(i.files, s.minFiles) : undefined}>
                      {i.files < s.minFiles ? <span className="muted">数据不足</span> : num(i.alpha, 3)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </>
      )}
    </div>
  );
}

function RulesForm({ campaignId, editable }: { campaignId: string; editable: boolean }) {
  const toast = useToast();
  const loaded = useQuery('review:rules', { campaignId });
  const [rules, setRules] = useState<DivergenceRules | null>(null);
  const { error, busy, run } = useFormAction();
  useEffect(() => {
    if (loaded.data) setRules(loaded.data);
  }, [loaded.data]);
  if (!rules)
    return loaded.error ? (
      <div className="notice notice-error">{loaded.error}</div>
    ) : (
      <div className="empty">
        <span className="spinner" />
      </div>
    );

  const set = <K extends DivergenceRuleKind>(kind: K, patch: Partial<DivergenceRules[K]>) =>
    setRules({ ...rules, [kind]: { ...rules[kind], ...patch } });
  async function save(e: FormEvent) {
    e.preventDefault();
    await run(async () => {
      setRules(await invoke('review:setRules', { campaignId, rules: rules! }));
      toast.show('分歧规则已保存；未定分的案卷已按新规则重新判定。', 'ok');
    });
  }
  return (
    <form className="panel rules-form" onSubmit={save} aria-label="分歧规则">
      <h2 className="panel-title">分歧规则</h2>
      <fieldset disabled={!editable}>
        <label className="rule-line">
          每件案卷至少需要
          <input
            className="input num small-input"
            type="number"
            min={1}
            max={9}
            aria-label="定分所需评查表份数"
            value={rules.requiredSheets}
            onChange={(e) => setRules({ ...rules, requiredSheets: Number(e.target.value) })}
          />
          份已提交的评查表才能定分；各评查表一致且未触发下列规则时自动定分，否则由组长确认。
        </label>
        {DIVERGENCE_RULE_KINDS.map((kind) => (
          <div className="rule-line" key={kind}>
            <label className="check">
              <input type="checkbox" checked={rules[kind].enabled} onChange={(e) => set(kind, { enabled: e.target.checked })} />{' '}
              {RULE_LABELS[kind]}
            </label>
            {kind === 'spread' && (
              <>
                <input
                  className="input num small-input"
                  type="number"
                  min={0}
                  step={0.5}
                  aria-label="分差阈值"
                  value={rules.spread.threshold}
                  onChange={(e) => set('spread', { threshold: Number(e.target.value) })}
                />{' '}
                分
              </>
            )}
            {kind === 'items' && (
              <>
                <input
                  className="input num small-input"
                  type="number"
                  min={1}
                  aria-label="不一致项目数"
                  value={rules.items.minItems}
                  onChange={(e) => set('items', { minItems: Number(e.target.value) })}
                />{' '}
                项
              </>
            )}
            <span className="muted">→</span>
            <select
              className="input route-select"
              aria-label={`${RULE_LABELS[kind]}时的处理方式`}
              value={rules[kind].route}
              onChange={(e) => set(kind, { route: e.target.value as 'recheck' | 'panel' })}
            >
              <option value="recheck">{REVIEW_ROUTE_LABELS.recheck}</option>
              <option value="panel">{REVIEW_ROUTE_LABELS.panel}</option>
            </select>
          </div>
        ))}
      </fieldset>
      {error && (
        <div className="notice notice-error" role="alert">
          {error}
        </div>
      )}
      {editable && (
        <div>
          <button className="btn btn-primary" type="submit" disabled={busy}>
            保存分歧规则
          </button>{' '}
          <span className="muted small">同时触发多条规则时，按最重的处理方式（集体评议 &gt; 复核）。</span>
        </div>
      )}
    </form>
  );
}
