/**
 * 评查组与抽取: the panel and its conflicts (回避), the random draw with its record, and the random
 * reviewer assignment — previewed in full, then applied at once — with manual adjustments.
 */
import { useMemo, useState, type FormEvent } from 'react';
import { CASE_TYPE_SHORT, CASE_TYPES, type CaseType } from '../../../../shared/campaigns/case-types';
import type { AssignmentOverview, AssignmentProposal, Draw, DrawState, Panel } from '../../../../shared/panel/panel';
import { ROLE_LABELS } from '../../../../shared/people/roles';
import { ApiError, download, errorMessage, invoke } from '../../api/client';
import { assignmentDefaults, relaxText, type AssignRelaxation } from '../../../../shared/panel/assign';
import { DRAW_METHOD_LABEL, drawAlgorithmText, drawRuleText, type DrawGrouping } from '../../../../shared/panel/draw';
import { useQuery } from '../../api/hooks';
import { href } from '../../app/router';
import { useUser } from '../../app/session';
import { Dialog } from '../../ui/dialog';
import { Field } from '../../ui/field';
import { useToast } from '../../ui/toast';
import { useFormAction } from '../../ui/use-form-action';
import './panel.css';
import { CampaignPageHead } from '../campaigns';
import { MissingStandardsNotice } from '../standards';

export function PanelScreen({ campaignId }: { campaignId: string }) {
  const user = useUser();
  const fresh = {
    refreshOn: (c: { campaignId?: string | undefined; entity: string }) => c.campaignId === campaignId || c.entity === 'user',
  };
  const campaign = useQuery('campaign:get', { campaignId }, fresh);
  const panel = useQuery('panel:get', { campaignId }, fresh);
  const draw = useQuery('draw:get', { campaignId }, fresh);
  const assignments = useQuery('assignment:list', { campaignId }, fresh);
  const cases = useQuery('case:list', { campaignId }, fresh);
  const canManage = user.role === 'organiser' || user.role === 'lead';

  const error = campaign.error ?? panel.error ?? draw.error;
  if (error)
    return (
      <div className="page">
        <div className="notice notice-error">{error}</div>
      </div>
    );
  return (
    <div className="page">
      <CampaignPageHead
        campaignId={campaignId}
        current="panel"
        title="评查组与随机抽取"
        note="双随机：随机抽取案卷，随机分配评查人员；评查人员回避本单位和曾任职单位的案卷。"
      />
      {campaign.data && canManage && <MissingStandardsNotice campaign={campaign.data} />}
      {panel.data && (
        <PanelSection campaignId={campaignId} panel={panel.data} canManage={canManage} canDeclare={user.role === 'organiser'} />
      )}
      {draw.data && (
        <DrawSection
          campaignId={campaignId}
          state={draw.data}
          canManage={canManage}
          presentTypes={[...new Set(cases.data?.map((c) => c.caseType) ?? [])]}
        />
      )}
      {panel.data && assignments.data && (
        <AssignSection
          campaignId={campaignId}
          panel={panel.data}
          overview={assignments.data}
          cases={cases.data ?? []}
          canManage={canManage}
        />
      )}
    </div>
  );
}

// ── panel ───────────────────────────────────────────────────────────────────────────────────

function PanelSection({
  campaignId,
  panel,
  canManage,
  canDeclare,
}: {
  campaignId: string;
  panel: Panel;
  canManage: boolean;
  canDeclare: boolean;
}) {
  const toast = useToast();
  const [choosing, setChoosing] = useState(false);
  const [declaring, setDeclaring] = useState(false);
  return (
    <section className="panel section" aria-labelledby="panel-title">
      <div className="section-head">
        <h2 id="panel-title">评查组</h2>
        <span className="muted" data-testid="panel-count">
          {panelCountText(panel)}
        </span>
        <span className="spacer" />
        {canDeclare && (
          <button
            className="btn btn-sm"
            type="button"
            onClick={() => setDeclaring(true)}
            disabled={!panel.members.length || !panel.units.length}
          >
            ＋ 指定回避
          </button>
        )}
        {canManage && (
          <button className="btn btn-sm btn-primary" type="button" onClick={() => setChoosing(true)}>
            调整成员
          </button>
        )}
      </div>
      {panel.members.length === 0 ? (
        <div className="empty">
          <h3>评查组还没有成员</h3>
          <p>点击“调整成员”，从人员中选择本次评查的评查员、组长和观察员。</p>
        </div>
      ) : (
        <table className="table" aria-label="评查组成员">
          <thead>
            <tr>
              <th>姓名</th>
              <th>角色</th>
              <th>所在单位</th>
              <th>回避单位</th>
              <th className="num">已分配</th>
            </tr>
          </thead>
          <tbody>
            {panel.members.map((m) => (
              <tr key={m.userId} data-member={m.username}>
                <td>
                  <b>{m.displayName}</b> {m.legalProfessional && <span className="badge badge-primary">法律专业</span>}{' '}
                  {m.disabled && m.fromPackage ? (
                    <span className="badge badge-warn" title="账户来自其他工作站的工作包，本机尚未设置密码；在“人员”中设置密码后启用">
                      待设置密码
                    </span>
                  ) : (
                    m.disabled && <span className="badge badge-danger">已停用</span>
                  )}
                </td>
                <td>{ROLE_LABELS[m.role]}</td>
                <td>
                  {m.affiliation || <span className="muted">—</span>}
                  {m.pastUnits.length > 0 && <div className="muted small">曾任：{m.pastUnits.join('、')}</div>}
                </td>
                <td>
                  {m.conflicts.length === 0 ? (
                    <span className="muted">无</span>
                  ) : (
                    m.conflicts.map((c) => (
                      <div key={c.unitId} className="conflict-line">
                        <span className="badge badge-warn">{c.unitName}</span>{' '}
                        <span className="muted small">{c.reasons.map((r) => r.text).join('；')}</span>
                      </div>
                    ))
                  )}
                </td>
                <td className="num">{takesPart(m) ? m.assigned : <span className="muted">不评查</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {panel.declared.length > 0 && (
        <div className="declared">
          <h3>指定回避</h3>
          <ul>
            {panel.declared.map((d) => (
              <li key={`${d.userId}-${d.unitId}`}>
                {d.userName} — {d.unitName}：{d.reason}
                {canDeclare && (
                  <button
                    className="btn btn-sm btn-ghost"
                    type="button"
                    onClick={async () => {
                      try {
                        await invoke('panel:removeConflict', { campaignId, userId: d.userId, unitId: d.unitId });
                        toast.show('已撤销指定回避', 'ok');
                      } catch (err) {
                        toast.show(errorMessage(err), 'error');
                      }
                    }}
                  >
                    撤销
                  </button>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
      {choosing && <MembersDialog campaignId={campaignId} panel={panel} onClose={() => setChoosing(false)} />}
      {declaring && <DeclareDialog campaignId={campaignId} panel={panel} onClose={() => setDeclaring(false)} />}
    </section>
  );
}

/** "3 名成员，均参加评查" / "3 名成员，其中 2 名参加评查": one count, not two that read as a sum. */
function panelCountText(panel: Panel): string {
  const members = panel.members.length;
  if (members === 0) return '尚无成员';
  const reviewing = panel.members.filter(takesPart).length;
  const waiting = panel.members.filter((m) => m.disabled && m.fromPackage).length;
  const count = `${members} 名成员，${reviewing === members ? '均参加评查' : reviewing === 0 ? '无人参加评查' : `其中 ${reviewing} 名参加评查`}`;
  return waiting ? `${count}（${waiting} 名来自其他工作站，在“人员”中设置密码后启用即可在本机登录）` : count;
}

/**
 * A member who scores files: an active 评查组长/评查员, or one whose account came with another
 * workstation's work package and waits here for a password (their assignments came with it).
 */
function takesPart(m: Panel['members'][number]): boolean {
  return m.reviews || (m.fromPackage && (m.role === 'lead' || m.role === 'reviewer'));
}

function MembersDialog({ campaignId, panel, onClose }: { campaignId: string; panel: Panel; onClose: () => void }) {
  const toast = useToast();
  const people = useQuery('user:directory', {});
  const [chosen, setChosen] = useState(() => new Set(panel.members.map((m) => m.userId)));
  const { error, busy, run } = useFormAction();
  const save = () =>
    run(async () => {
      const out = await invoke('panel:setMembers', { campaignId, userIds: [...chosen] });
      toast.show(`评查组现有 ${out.members.length} 名成员`, 'ok');
      onClose();
    });
  return (
    <Dialog open title="调整评查组成员" onClose={onClose} width={680}>
      <p className="muted">评查员和评查组长参与分配；观察员只能查看。组织者负责管理，一般不加入。</p>
      <div className="checklist" role="group" aria-label="评查组成员">
        {people.data
          ?.filter((u) => !u.disabled || chosen.has(u.id))
          .map((u) => (
            <label key={u.id} className="check">
              <input
                type="checkbox"
                checked={chosen.has(u.id)}
                onChange={(e) => {
                  const next = new Set(chosen);
                  if (e.target.checked) next.add(u.id);
                  else next.delete(u.id);
                  setChosen(next);
                }}
              />
              <span>{u.displayName}</span>
              <span className="muted small">
                {ROLE_LABELS[u.role]} · {u.affiliation || '未填单位'}
                {u.legalProfessional ? ' · 法律专业' : ''}
              </span>
            </label>
          ))}
      </div>
      {error && (
        <div className="notice notice-error" role="alert">
          {error}
        </div>
      )}
      <div className="dialog-actions">
        <button className="btn" type="button" onClick={onClose}>
          取消
        </button>
        <button className="btn btn-primary" type="button" onClick={save} disabled={busy}>
          保存成员
        </button>
      </div>
    </Dialog>
  );
}

function DeclareDialog({ campaignId, panel, onClose }: { campaignId: string; panel: Panel; onClose: () => void }) {
  const toast = useToast();
  const [userId, setUserId] = useState(panel.members[0]?.userId ?? '');
  const [unitId, setUnitId] = useState(panel.units[0]?.id ?? '');
  const [reason, setReason] = useState('');
  const { error, busy, run } = useFormAction();
  async function submit(e: FormEvent) {
    e.preventDefault();
    await run(async () => {
      await invoke('panel:declareConflict', { campaignId, userId, unitId, reason });
      toast.show('已指定回避', 'ok');
      onClose();
    });
  }
  return (
    <Dialog open title="指定回避" onClose={onClose}>
      <form onSubmit={submit} className="stack" aria-label="指定回避">
        <Field label="评查人员">
          <select className="input" value={userId} onChange={(e) => setUserId(e.target.value)}>
            {panel.members.map((m) => (
              <option key={m.userId} value={m.userId}>
                {m.displayName}
              </option>
            ))}
          </select>
        </Field>
        <Field label="回避的被评查单位">
          <select className="input" value={unitId} onChange={(e) => setUnitId(e.target.value)}>
            {panel.units.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="回避理由">
          <input className="input" value={reason} onChange={(e) => setReason(e.target.value)} placeholder="如：近亲属在该单位任职" />
        </Field>
        {error && (
          <div className="notice notice-error" role="alert">
            {error}
          </div>
        )}
        <div className="dialog-actions">
          <button className="btn" type="button" onClick={onClose}>
            取消
          </button>
          <button className="btn btn-primary" type="submit" disabled={busy}>
            确定
          </button>
        </div>
      </form>
    </Dialog>
  );
}

// ── draw ────────────────────────────────────────────────────────────────────────────────────

function DrawSection({
  campaignId,
  state,
  canManage,
  presentTypes,
}: {
  campaignId: string;
  state: DrawState;
  canManage: boolean;
  presentTypes: CaseType[];
}) {
  const toast = useToast();
  const [drawing, setDrawing] = useState(false);
  const [verdict, setVerdict] = useState<{ ok: boolean; text: string } | null>(null);
  const d = state.current;

  async function exportRecord() {
    try {
      const out = await invoke('draw:exportRecord', { campaignId });
      download(out.url, out.fileName);
      toast.show(`已导出：${out.fileName}`, 'ok');
    } catch (err) {
      toast.show(errorMessage(err), 'error');
    }
  }
  async function verify() {
    try {
      const v = await invoke('draw:verify', { campaignId });
      setVerdict({ ok: v.matches, text: v.message });
    } catch (err) {
      toast.show(errorMessage(err), 'error');
    }
  }

  return (
    <section className="panel section" aria-labelledby="draw-title">
      <div className="section-head">
        <h2 id="draw-title">随机抽取</h2>
        {d && (
          <span className="muted">
            第 {d.seq} 次 · {d.drawnBy} · {new Date(d.drawnAt).toLocaleString('zh-CN')}
          </span>
        )}
        <span className="spacer" />
        {d && (
          <button className="btn btn-sm" type="button" onClick={verify}>
            复核抽取结果
          </button>
        )}
        {d && (
          <button className="btn btn-sm" type="button" onClick={exportRecord}>
            导出抽取记录（DOCX）
          </button>
        )}
        {canManage && (
          <button
            className="btn btn-sm btn-primary"
            type="button"
            onClick={() => setDrawing(true)}
            disabled={state.assignmentCount > 0}
            title={state.assignmentCount > 0 ? '已分配评查人员，不能重新抽取' : undefined}
          >
            {d ? '重新抽取…' : '开始抽取…'}
          </button>
        )}
      </div>
      {verdict && (
        <div className={`notice ${verdict.ok ? 'notice-info' : 'notice-error'}`} role="status">
          {verdict.text}
        </div>
      )}
      {!d ? (
        <div className="empty">
          <h3>尚未抽取</h3>
          <p>按“每个单位随机抽取 N 件”或“每个单位每类案件随机抽取 N 件”从案卷池中抽取；种子可由见证人当场输入。</p>
        </div>
      ) : (
        <DrawSummary draw={d} poolChanged={state.currentPoolDigest !== null && state.currentPoolDigest !== d.poolDigest} />
      )}
      {drawing && (
        <DrawDialog
          campaignId={campaignId}
          existing={d}
          presentTypes={presentTypes}
          withoutDocument={state.withoutDocument}
          onClose={() => setDrawing(false)}
        />
      )}
    </section>
  );
}

function DrawSummary({ draw, poolChanged }: { draw: Draw; poolChanged: boolean }) {
  const reviewed = draw.excluded.filter((e) => e.kind === 'reviewed').length;
  const withoutDocument = draw.excluded.filter((e) => e.kind === 'noDocument');
  return (
    <>
      <div className="draw-facts">
        <div>
          <span className="muted">随机种子</span>
          <b className="seed" data-testid="draw-seed">
            {draw.seed}
          </b>
          <span className="muted small">{draw.seedSource === 'witness' ? '见证人现场输入' : '系统随机生成并当场公示'}</span>
        </div>
        <div>
          <span className="muted">案卷池</span>
          <b>{draw.poolSize} 件</b>
          <span className="muted small">
            {draw.unitCount} 个单位{reviewed ? `，另排除已评查 ${reviewed} 件` : ''}
            {withoutDocument.length ? `，无案卷文件 ${withoutDocument.length} 件未参加抽取` : ''}
          </span>
        </div>
        <div>
          <span className="muted">抽中</span>
          <b data-testid="drawn-count">{draw.drawnCount} 件</b>
          <span className="muted small">{draw.grouping === 'unit' ? `每单位 ${draw.perGroup} 件` : `每单位每类 ${draw.perGroup} 件`}</span>
        </div>
        <div>
          <span className="muted">池摘要（SM3）</span>
          <code className="digest">{draw.poolDigest.slice(0, 16)}…</code>
        </div>
      </div>
      {/* The record as printed: who drew, who witnessed, by which rule and method. */}
      <dl className="draw-record" aria-label="抽取记录" data-testid="draw-record">
        <div>
          <dt>抽取人</dt>
          <dd>{draw.drawnBy}</dd>
        </div>
        <div>
          <dt>见证人</dt>
          <dd data-testid="draw-witness">{draw.witness || '—'}</dd>
        </div>
        <div>
          <dt>抽取时间</dt>
          <dd>{new Date(draw.drawnAt).toLocaleString('zh-CN')}</dd>
        </div>
        <div className="wide">
          <dt>抽取规则</dt>
          <dd>{drawRuleText(draw.grouping, draw.perGroup)}</dd>
        </div>
        <div className="wide">
          <dt>抽取方法</dt>
          <dd>
            <span data-testid="draw-method">{DRAW_METHOD_LABEL}</span>
            <details className="method-detail">
              <summary>详细说明</summary>
              {drawAlgorithmText(draw.grouping).map((t) => (
                <p key={t}>{t}</p>
              ))}
            </details>
          </dd>
        </div>
      </dl>
      {poolChanged && <div className="notice notice-warn">抽取之后本活动的案卷有增减；抽取结果不变，新导入的案卷不在本次抽取范围内。</div>}
      {withoutDocument.length > 0 && (
        <div className="notice notice-warn" data-testid="draw-without-document">
          无案卷文件（未参加抽取）：
          {withoutDocument.map((e) => (
            <span key={e.caseId} className="chip">
              {e.unitName} {e.caseNumber}
            </span>
          ))}
        </div>
      )}
      <table className="table" aria-label="各单位抽取情况">
        <thead>
          <tr>
            <th>被评查单位</th>
            <th>类型</th>
            <th className="num">池中</th>
            <th className="num">抽中</th>
            <th>抽中案卷</th>
          </tr>
        </thead>
        <tbody>
          {draw.groups.map((g) => (
            <tr key={`${g.unitName}-${g.caseType ?? 'all'}`}>
              <td>{g.unitName}</td>
              <td>{g.caseType ? <span className="badge">{CASE_TYPE_SHORT[g.caseType]}</span> : <span className="muted">各类</span>}</td>
              <td className="num">{g.poolSize}</td>
              <td className="num">{g.drawn.length}</td>
              <td>
                {g.drawn.map((f) => (
                  <a key={f.caseId} className="chip" href={href.case(f.caseId)} title={CASE_TYPE_SHORT[f.caseType]}>
                    {f.caseNumber}
                  </a>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function DrawDialog({
  campaignId,
  existing,
  presentTypes,
  withoutDocument,
  onClose,
}: {
  campaignId: string;
  existing: Draw | null;
  presentTypes: CaseType[];
  /** Files registered without a PDF: never drawn, counted here before the draw. */
  withoutDocument: DrawState['withoutDocument'];
  onClose: () => void;
}) {
  const toast = useToast();
  const [perGroup, setPerGroup] = useState(String(existing?.perGroup ?? 3));
  const [grouping, setGrouping] = useState<DrawGrouping>(existing?.grouping ?? 'unitType');
  const [types, setTypes] = useState<Set<CaseType>>(() => new Set(presentTypes.length ? presentTypes : CASE_TYPES));
  const [excludeReviewed, setExcludeReviewed] = useState(existing?.excludeReviewed ?? false);
  const [byWitness, setByWitness] = useState(false);
  const [seed, setSeed] = useState('');
  const [witness, setWitness] = useState('');
  const [reason, setReason] = useState('');
  const { error, busy, run } = useFormAction();
  const skipped = withoutDocument.filter((f) => types.has(f.caseType));

  async function submit(e: FormEvent) {
    e.preventDefault();
    await run(async () => {
      const out = await invoke('draw:run', {
        campaignId,
        perGroup: Number(perGroup),
        grouping,
        caseTypes: CASE_TYPES.filter((t) => types.has(t)),
        excludeReviewed,
        ...(byWitness ? { seed } : {}),
        witness,
        ...(existing ? { reason } : {}),
      });
      const left = out.excluded.filter((x) => x.kind === 'noDocument').length;
      toast.show(`已抽取 ${out.drawnCount} 件，种子 ${out.seed}${left ? `；无案卷文件 ${left} 件未参加抽取` : ''}`, 'ok');
      onClose();
    });
  }

  return (
    <Dialog open title={existing ? '重新抽取' : '随机抽取'} onClose={() => !busy && onClose()} width={680}>
      <form onSubmit={submit} className="stack" aria-label="随机抽取">
        <fieldset className="types">
          <legend>抽取方式</legend>
          <label className="check">
            <input type="radio" name="grouping" checked={grouping === 'unit'} onChange={() => setGrouping('unit')} />
            每单位抽取 N 件（不分案件类型）
          </label>
          <label className="check">
            <input type="radio" name="grouping" checked={grouping === 'unitType'} onChange={() => setGrouping('unitType')} />
            每单位每类案件抽取 N 件
          </label>
        </fieldset>
        <div className="form-grid">
          <Field label={grouping === 'unit' ? '每个单位抽取件数' : '每个单位每类抽取件数'} hint="不足的全部抽取（常见 2–4 件）">
            <input className="input" type="number" min={1} max={20} value={perGroup} onChange={(e) => setPerGroup(e.target.value)} />
          </Field>
          <Field label="见证人（可选）">
            <input className="input" value={witness} onChange={(e) => setWitness(e.target.value)} placeholder="如：县检察院 陈某" />
          </Field>
        </div>
        <fieldset className="types">
          <legend>案件类型</legend>
          {CASE_TYPES.map((t) => (
            <label key={t} className="check">
              <input
                type="checkbox"
                checked={types.has(t)}
                onChange={(e) => {
                  const next = new Set(types);
                  if (e.target.checked) next.add(t);
                  else next.delete(t);
                  setTypes(next);
                }}
              />
              {CASE_TYPE_SHORT[t]}
              {presentTypes.includes(t) ? '' : '（无案卷）'}
            </label>
          ))}
        </fieldset>
        <label className="check">
          <input type="checkbox" checked={excludeReviewed} onChange={(e) => setExcludeReviewed(e.target.checked)} />
          排除以前评查活动中已评查过的案卷
        </label>
        {skipped.length > 0 && (
          <div className="notice notice-warn" data-testid="draw-dialog-without-document">
            所选类型中有 {skipped.length} 件案卷无案卷文件（
            {skipped
              .slice(0, 5)
              .map((f) => f.caseNumber)
              .join('、')}
            {skipped.length > 5 ? ' 等' : ''}），不参加抽取；如需抽取，请先导入其案卷文件。
          </div>
        )}
        <fieldset className="types">
          <legend>随机种子</legend>
          <label className="check">
            <input type="radio" name="seed" checked={!byWitness} onChange={() => setByWitness(false)} />
            由本机随机生成并当场公示
          </label>
          <label className="check">
            <input type="radio" name="seed" checked={byWitness} onChange={() => setByWitness(true)} />
            由见证人当场输入
          </label>
          {byWitness && (
            <Field label="种子">
              <input
                className="input"
                autoFocus
                value={seed}
                onChange={(e) => setSeed(e.target.value)}
                placeholder="任意数字或文字，如 20250305"
              />
            </Field>
          )}
        </fieldset>
        {existing && (
          <Field label="重新抽取的理由" hint={`第 ${existing.seq} 次抽取记录将保留并注明作废`}>
            <input className="input" value={reason} onChange={(e) => setReason(e.target.value)} />
          </Field>
        )}
        <div className="notice notice-info">抽取结果立即记录（抽取人、时间、种子、案卷池），任何人可凭记录复核。</div>
        {error && (
          <div className="notice notice-error" role="alert">
            {error}
          </div>
        )}
        <div className="dialog-actions">
          <button className="btn" type="button" onClick={onClose} disabled={busy}>
            取消
          </button>
          <button className="btn btn-primary" type="submit" disabled={busy}>
            抽取并记录
          </button>
        </div>
      </form>
    </Dialog>
  );
}

// ── assignment ──────────────────────────────────────────────────────────────────────────────

type CaseRow = { id: string; caseNumber: string; unitName: string; unitId: string; caseType: CaseType; title: string };

function AssignSection(props: { campaignId: string; panel: Panel; overview: AssignmentOverview; cases: CaseRow[]; canManage: boolean }) {
  const { campaignId, panel, overview, cases, canManage } = props;
  const toast = useToast();
  // What works on this panel: a legal professional on every file only when the panel has one.
  const defaults = assignmentDefaults(panel.members.filter((m) => m.reviews && !m.disabled).map((m) => ({ legal: m.legalProfessional })));
  // Untouched, the settings follow the panel, which is often chosen after this screen opened.
  const [perFileInput, setPerFile] = useState<string | null>(null);
  const [requireLegalInput, setRequireLegal] = useState<boolean | null>(null);
  const perFile = perFileInput ?? String(defaults.perFile);
  const requireLegal = requireLegalInput ?? defaults.requireLegal;
  const [seed, setSeed] = useState('');
  const [proposal, setProposal] = useState<AssignmentProposal | null>(null);
  /** A requirement the panel cannot meet, with the nearest settings that can be met. */
  const [unmet, setUnmet] = useState<{ message: string; relax: AssignRelaxation | null; from: AssignRelaxation } | null>(null);
  const { error, busy, run } = useFormAction();
  const assigned = overview.cases.filter((c) => c.reviewers.length > 0);
  const caseById = useMemo(() => new Map(cases.map((c) => [c.id, c])), [cases]);

  const previewWith = (settings: AssignRelaxation) =>
    run(async () => {
      setProposal(null);
      setUnmet(null);
      try {
        setProposal(await invoke('assignment:preview', { campaignId, ...settings, ...(seed.trim() ? { seed } : {}) }));
      } catch (err) {
        if (!(err instanceof ApiError) || !err.details || !('relax' in err.details)) throw err;
        setUnmet({ message: err.message, relax: (err.details.relax as AssignRelaxation | null) ?? null, from: settings });
      }
    });
  async function preview(e: FormEvent) {
    e.preventDefault();
    await previewWith({ perFile: Number(perFile), requireLegal });
  }
  async function relax(to: AssignRelaxation) {
    setPerFile(String(to.perFile));
    setRequireLegal(to.requireLegal);
    await previewWith(to);
  }
  const apply = () =>
    run(async () => {
      if (!proposal) return;
      const out = await invoke('assignment:apply', {
        campaignId,
        perFile: proposal.perFile,
        requireLegal: proposal.requireLegal,
        seed: proposal.seed,
        digest: proposal.digest,
      });
      toast.show(`已分配 ${out.applied} 条评查任务`, 'ok');
      setProposal(null);
    });

  return (
    <section className="panel section" aria-labelledby="assign-title">
      <div className="section-head">
        <h2 id="assign-title">分配评查人员</h2>
        {overview.lastRun && (
          <span className="muted">
            上次分配：{overview.lastRun.appliedBy} · 种子 {overview.lastRun.seed} · 每卷 {overview.lastRun.perFile} 人
          </span>
        )}
      </div>
      {canManage && (
        <form className="assign-form" onSubmit={preview} aria-label="分配参数">
          <Field label="每卷评查人数">
            <input className="input" type="number" min={1} max={6} value={perFile} onChange={(e) => setPerFile(e.target.value)} />
          </Field>
          <Field label="分配种子（可选）">
            <input className="input" value={seed} placeholder="留空由本机生成" onChange={(e) => setSeed(e.target.value)} />
          </Field>
          <label className="check">
            <input type="checkbox" checked={requireLegal} onChange={(e) => setRequireLegal(e.target.checked)} />
            每卷至少一名法律专业人员
          </label>
          <button className="btn btn-primary" type="submit" disabled={busy}>
            预览分配
          </button>
        </form>
      )}
      {error && (
        <div className="notice notice-error" role="alert">
          {error}
        </div>
      )}
      {unmet && (
        <div className="notice notice-warn unmet" role="alert" data-testid="assign-unmet">
          <p>{unmet.message}</p>
          {unmet.relax && canManage && (
            <button className="btn btn-sm btn-primary" type="button" disabled={busy} onClick={() => unmet.relax && relax(unmet.relax)}>
              改为{relaxText(unmet.relax, unmet.from)}，重新预览
            </button>
          )}
        </div>
      )}
      {proposal && <ProposalView proposal={proposal} busy={busy} onApply={apply} onDiscard={() => setProposal(null)} />}
      {!proposal && assigned.length > 0 && (
        <table className="table" aria-label="当前分配">
          <thead>
            <tr>
              <th>案号</th>
              <th>被评查单位</th>
              <th>类型</th>
              <th>评查人员</th>
            </tr>
          </thead>
          <tbody>
            {overview.cases
              .filter((c) => c.drawn || c.reviewers.length)
              .map((c) => {
                const k = caseById.get(c.caseId);
                return (
                  <tr key={c.caseId} data-case={k?.caseNumber}>
                    <td>
                      <a href={href.case(c.caseId)}>{k?.caseNumber}</a>
                    </td>
                    <td>{k?.unitName}</td>
                    <td>{k && <span className="badge">{CASE_TYPE_SHORT[k.caseType]}</span>}</td>
                    <td>
                      {c.reviewers.map((r) => (
                        <span
                          key={r.id}
                          className={`chip ${r.conflicts.length ? 'chip-danger' : ''}`}
                          title={r.conflicts.join('；') || (r.source === 'manual' ? '手动分配' : '随机分配')}
                        >
                          {r.name}
                          {r.source === 'manual' ? '（手动）' : ''}
                          {r.conflicts.length ? '（须回避）' : ''}
                          {canManage && <RemoveButton caseId={c.caseId} reviewerId={r.id} name={r.name} />}
                        </span>
                      ))}
                      {canManage && k && (
                        <AddReviewer caseId={c.caseId} unitId={k.unitId} panel={panel} taken={c.reviewers.map((r) => r.id)} />
                      )}
                    </td>
                  </tr>
                );
              })}
          </tbody>
        </table>
      )}
    </section>
  );
}

function ProposalView({
  proposal,
  busy,
  onApply,
  onDiscard,
}: {
  proposal: AssignmentProposal;
  busy: boolean;
  onApply: () => void;
  onDiscard: () => void;
}) {
  return (
    <div className="proposal" aria-label="分配预览">
      <div className="notice notice-info">
        预览（尚未生效）：{proposal.files.length} 件案卷 × 每卷 {proposal.perFile} 人，种子 <b>{proposal.seed}</b>
        {proposal.balanced
          ? `，每人 ${proposal.band.low === proposal.band.high ? proposal.band.low : `${proposal.band.low}–${proposal.band.high}`} 件`
          : ''}
        {proposal.replaces ? `；将替换现有 ${proposal.replaces} 条分配` : ''}。
      </div>
      {proposal.warnings.map((w) => (
        <div key={w} className="notice notice-warn">
          {w}
        </div>
      ))}
      <div className="proposal-grid">
        <div>
          <h3>每人负担</h3>
          <table className="table" aria-label="每人负担">
            <thead>
              <tr>
                <th>评查人员</th>
                <th className="num">件数</th>
                <th className="num">可评</th>
              </tr>
            </thead>
            <tbody>
              {proposal.loads.map((l) => (
                <tr key={l.id}>
                  <td>
                    {l.name} {l.legal && <span className="badge badge-primary">法律</span>}
                  </td>
                  <td className="num">
                    <b>{l.count}</b>
                  </td>
                  <td className="num muted">{l.eligible}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>已回避</h3>
          {proposal.avoided.length === 0 ? (
            <p className="muted">无</p>
          ) : (
            <ul className="avoided">
              {proposal.avoided.map((a) => (
                <li key={`${a.reviewerId}-${a.unitName}`}>
                  <b>{a.reviewerName}</b> 不评 {a.unitName}（{a.files} 件）<div className="muted small">{a.reasons.join('；')}</div>
                </li>
              ))}
            </ul>
          )}
        </div>
        <table className="table" aria-label="分配明细">
          <thead>
            <tr>
              <th>案号</th>
              <th>被评查单位</th>
              <th>评查人员</th>
            </tr>
          </thead>
          <tbody>
            {proposal.files.map((f) => (
              <tr key={f.caseId}>
                <td>{f.caseNumber}</td>
                <td>{f.unitName}</td>
                <td>
                  {f.reviewers.map((r) => (
                    <span key={r.id} className="chip">
                      {r.name}
                    </span>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="dialog-actions">
        <button className="btn" type="button" onClick={onDiscard} disabled={busy}>
          放弃
        </button>
        <button className="btn btn-primary" type="button" onClick={onApply} disabled={busy}>
          确认分配
        </button>
      </div>
    </div>
  );
}

function RemoveButton({ caseId, reviewerId, name }: { caseId: string; reviewerId: string; name: string }) {
  const toast = useToast();
  return (
    <button
      className="chip-x"
      type="button"
      aria-label={`取消分配 ${name}`}
      onClick={async () => {
        try {
          await invoke('assignment:remove', { caseId, reviewerId });
          toast.show(`已取消 ${name} 的分配`, 'ok');
        } catch (err) {
          toast.show(errorMessage(err), 'error');
        }
      }}
    >
      ×
    </button>
  );
}

function AddReviewer({ caseId, unitId, panel, taken }: { caseId: string; unitId: string; panel: Panel; taken: string[] }) {
  const toast = useToast();
  const options = panel.members.filter((m) => m.reviews && !taken.includes(m.userId));
  if (!options.length) return null;
  return (
    <select
      className="input input-inline"
      aria-label="添加评查人员"
      value=""
      onChange={async (e) => {
        const reviewerId = e.target.value;
        if (!reviewerId) return;
        try {
          await invoke('assignment:add', { caseId, reviewerId });
          toast.show('已手动分配', 'ok');
        } catch (err) {
          toast.show(errorMessage(err), 'error');
        }
      }}
    >
      <option value="">＋ 添加…</option>
      {options.map((m) => {
        const conflicted = m.conflicts.some((c) => c.unitId === unitId);
        return (
          <option key={m.userId} value={m.userId}>
            {m.displayName}
            {conflicted ? '（须回避）' : ''}
          </option>
        );
      })}
    </select>
  );
}
