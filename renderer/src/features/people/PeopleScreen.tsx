import { useState, type FormEvent } from 'react';
import type { UserDetail } from '../../../../shared/panel/panel';
import { ROLE_LABELS, ROLES, type Role } from '../../../../shared/people/roles';
import { PASSWORD_MIN_LENGTH } from '../../../../shared/people/password';
import { invoke } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { useUser } from '../../app/session';
import { Dialog } from '../../ui/dialog';
import { Field } from '../../ui/field';
import { useToast } from '../../ui/toast';
import { useFormAction, useToastAction } from '../../ui/use-form-action';
import '../panel/panel.css';

/** "某县林业局、某县水利局" or one per line → a list. */
const splitUnits = (text: string): string[] =>
  text
    .split(/[\n,，、;；]+/)
    .map((s) => s.trim())
    .filter(Boolean);

function statusOf(u: UserDetail) {
  // A password never travels in a work package: such an account waits here until one is set.
  if (u.disabled && u.fromPackage)
    return (
      <span className="badge badge-warn" title="账户来自其他工作站的工作包，密码不随包传递">
        待设置密码
      </span>
    );
  if (u.disabled) return <span className="badge badge-danger">已停用</span>;
  if (u.lockedUntil)
    return (
      <span className="badge badge-warn">
        锁定至 {new Date(u.lockedUntil).toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit' })}
      </span>
    );
  return <span className="badge badge-ok">正常</span>;
}

type Editing = { kind: 'create' } | { kind: 'edit'; user: UserDetail } | { kind: 'password'; user: UserDetail; enable?: boolean } | null;

export function PeopleScreen() {
  const me = useUser();
  const people = useQuery('user:directory', {}, { refreshOn: (c) => c.entity === 'user' });
  const [editing, setEditing] = useState<Editing>(null);
  const canManage = me.role === 'organiser';
  const fromPackage = (people.data ?? []).filter((u) => u.disabled && u.fromPackage);

  const action = useToastAction();
  async function act(label: string, run: () => Promise<unknown>) {
    if (await action.run(run, label)) people.reload();
  }

  return (
    <div className="page">
      <div className="page-head">
        <div className="grow">
          <h1>人员</h1>
          <p>本工作站的账户。评查人员的所在单位和曾任职单位决定回避：不会把其单位的案卷分配给他。</p>
        </div>
        {canManage && (
          <button className="btn btn-primary" type="button" onClick={() => setEditing({ kind: 'create' })}>
            ＋ 新建账户
          </button>
        )}
      </div>
      {people.error && <div className="notice notice-error">{people.error}</div>}
      {fromPackage.length > 0 && (
        <div className="notice notice-info" role="note" data-testid="from-package-note">
          {`${fromPackage.length} 个账户（${fromPackage.map((u) => u.displayName).join('、')}）来自其他工作站的工作包。` +
            '登录密码只保存在设置它的电脑上、不随工作包传递，所以这些账户在本机暂不能登录，显示为“待设置密码”；' +
            '他们在评查组中的成员身份和已分配的案卷照常保留。需要在本机登录的人员，请点“设置密码并启用”，把新密码当面告知本人。'}
        </div>
      )}
      <section className="panel" aria-label="账户列表">
        <table className="table">
          <thead>
            <tr>
              <th>姓名</th>
              <th>登录名</th>
              <th>角色</th>
              <th>所在单位</th>
              <th>曾任职单位</th>
              <th>法律专业</th>
              <th>状态</th>
              {canManage && <th>操作</th>}
            </tr>
          </thead>
          <tbody>
            {people.data
              ?.slice()
              .sort((a, b) => Number(a.disabled) - Number(b.disabled) || a.displayName.localeCompare(b.displayName, 'zh-CN'))
              .map((u) => (
                <tr key={u.id} data-username={u.username}>
                  <td>
                    <b>{u.displayName}</b>
                  </td>
                  <td className="muted">{u.username}</td>
                  <td>{ROLE_LABELS[u.role]}</td>
                  <td>{u.affiliation || <span className="muted">—</span>}</td>
                  <td>{u.pastUnits.join('、') || <span className="muted">—</span>}</td>
                  <td>{u.legalProfessional ? <span className="badge badge-primary">法律专业</span> : ''}</td>
                  <td>{statusOf(u)}</td>
                  {canManage && (
                    <td className="row-actions">
                      <button className="btn btn-sm" type="button" onClick={() => setEditing({ kind: 'edit', user: u })}>
                        编辑
                      </button>
                      {u.id !== me.id && u.disabled && u.fromPackage && (
                        <button
                          className="btn btn-sm btn-primary"
                          type="button"
                          onClick={() => setEditing({ kind: 'password', user: u, enable: true })}
                        >
                          设置密码并启用
                        </button>
                      )}
                      {u.id !== me.id && !(u.disabled && u.fromPackage) && (
                        <button className="btn btn-sm" type="button" onClick={() => setEditing({ kind: 'password', user: u })}>
                          重置密码
                        </button>
                      )}
                      {u.lockedUntil && (
                        <button
                          className="btn btn-sm"
                          type="button"
                          onClick={() => act(`已解锁 ${u.displayName}`, () => invoke('user:unlock', { userId: u.id }))}
                        >
                          解锁
                        </button>
                      )}
                      {u.id !== me.id && !(u.disabled && u.fromPackage) && (
                        <button
                          className={`btn btn-sm ${u.disabled ? '' : 'btn-danger'}`}
                          type="button"
                          onClick={() =>
                            act(u.disabled ? `已启用 ${u.displayName}` : `已停用 ${u.displayName}`, () =>
                              invoke('user:setDisabled', { userId: u.id, disabled: !u.disabled }),
                            )
                          }
                        >
                          {u.disabled ? '启用' : '停用'}
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
          </tbody>
        </table>
      </section>
      {editing?.kind === 'create' && <PersonDialog onClose={() => setEditing(null)} onDone={people.reload} />}
      {editing?.kind === 'edit' && <PersonDialog user={editing.user} onClose={() => setEditing(null)} onDone={people.reload} />}
      {editing?.kind === 'password' && (
        <ResetPasswordDialog
          user={editing.user}
          enable={editing.enable === true}
          onClose={() => {
            setEditing(null);
            people.reload();
          }}
        />
      )}
    </div>
  );
}

function PersonDialog({ user, onClose, onDone }: { user?: UserDetail; onClose: () => void; onDone: () => void }) {
  const toast = useToast();
  const [form, setForm] = useState({
    username: user?.username ?? '',
    displayName: user?.displayName ?? '',
    role: (user?.role ?? 'reviewer') as Role,
    affiliation: user?.affiliation ?? '',
    pastUnits: user?.pastUnits.join('\n') ?? '',
    legalProfessional: user?.legalProfessional ?? false,
    password: '',
    confirm: '',
  });
  const { error, setError, busy, run } = useFormAction();
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!user && form.password !== form.confirm) return setError('两次输入的密码不一致。');
    await run(async () => {
      const common = {
        displayName: form.displayName,
        role: form.role,
        affiliation: form.affiliation,
        pastUnits: splitUnits(form.pastUnits),
        legalProfessional: form.legalProfessional,
      };
      if (user) await invoke('user:update', { userId: user.id, ...common });
      else await invoke('user:create', { ...common, username: form.username, password: form.password });
      toast.show(user ? `已保存 ${form.displayName}` : `已创建账户 ${form.displayName}`, 'ok');
      onDone();
      onClose();
    });
  }

  return (
    <Dialog open title={user ? `编辑账户：${user.displayName}` : '新建账户'} onClose={() => !busy && onClose()} width={720}>
      <form onSubmit={submit} className="stack" aria-label={user ? '编辑账户' : '新建账户'}>
        <div className="form-grid">
          {!user && (
            <Field label="登录名">
              <input className="input" autoFocus value={form.username} onChange={set('username')} autoComplete="off" />
            </Field>
          )}
          <Field label="姓名">
            <input className="input" autoFocus={!!user} value={form.displayName} onChange={set('displayName')} />
          </Field>
          <Field label="角色">
            <select className="input" value={form.role} onChange={set('role')}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABELS[r]}
                </option>
              ))}
            </select>
          </Field>
          <Field label="所在单位" hint="回避依据：不分配本单位的案卷">
            <input className="input" value={form.affiliation} onChange={set('affiliation')} placeholder="如：某某县公安局" />
          </Field>
          <Field label="曾任职单位" hint="每行一个，或用顿号分隔；同样回避" className="span-2">
            <textarea className="input" rows={2} value={form.pastUnits} onChange={set('pastUnits')} />
          </Field>
          <label className="check span-2">
            <input
              type="checkbox"
              checked={form.legalProfessional}
              onChange={(e) => setForm({ ...form, legalProfessional: e.target.checked })}
            />
            法律专业人员（法制审核人员、律师等）
          </label>
          {!user && (
            <>
              <Field label="初始密码" hint={`至少 ${PASSWORD_MIN_LENGTH} 位，须同时包含字母和数字`}>
                <input className="input" type="password" value={form.password} onChange={set('password')} autoComplete="new-password" />
              </Field>
              <Field label="确认密码">
                <input className="input" type="password" value={form.confirm} onChange={set('confirm')} autoComplete="new-password" />
              </Field>
            </>
          )}
        </div>
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
            {user ? '保存' : '创建账户'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function PasswordPairForm(props: {
  current?: boolean;
  submitLabel: string;
  onSubmit: (p: { current: string; next: string }) => Promise<void>;
  onCancel: () => void;
}) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const { error, setError, busy, run } = useFormAction();
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (next !== confirm) return setError('两次输入的新密码不一致。');
    await run(() => props.onSubmit({ current, next }));
  }
  return (
    <form onSubmit={submit} className="stack" aria-label={props.submitLabel}>
      {props.current && (
        <Field label="当前密码">
          <input
            className="input"
            type="password"
            autoFocus
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
            autoComplete="current-password"
          />
        </Field>
      )}
      <Field label="新密码" hint={`至少 ${PASSWORD_MIN_LENGTH} 位，须同时包含字母和数字`}>
        <input
          className="input"
          type="password"
          autoFocus={!props.current}
          value={next}
          onChange={(e) => setNext(e.target.value)}
          autoComplete="new-password"
        />
      </Field>
      <Field label="确认新密码">
        <input className="input" type="password" value={confirm} onChange={(e) => setConfirm(e.target.value)} autoComplete="new-password" />
      </Field>
      {error && (
        <div className="notice notice-error" role="alert">
          {error}
        </div>
      )}
      <div className="dialog-actions">
        <button className="btn" type="button" onClick={props.onCancel} disabled={busy}>
          取消
        </button>
        <button className="btn btn-primary" type="submit" disabled={busy}>
          {props.submitLabel}
        </button>
      </div>
    </form>
  );
}

function ResetPasswordDialog({ user, enable, onClose }: { user: UserDetail; enable: boolean; onClose: () => void }) {
  const toast = useToast();
  return (
    <Dialog open title={enable ? `设置密码并启用：${user.displayName}` : `重置密码：${user.displayName}`} onClose={onClose}>
      <p className="muted">
        {enable
          ? '该账户来自其他工作站的工作包，本机还没有它的密码。设置一个新密码并当面告知本人，账户随即启用。'
          : '设置一个新密码并当面告知本人；重置同时解除锁定。'}
      </p>
      <PasswordPairForm
        submitLabel={enable ? '设置密码并启用' : '重置密码'}
        onCancel={onClose}
        onSubmit={async ({ next }) => {
          await invoke('user:resetPassword', { userId: user.id, password: next });
          if (enable) await invoke('user:setDisabled', { userId: user.id, disabled: false });
          toast.show(enable ? `已为 ${user.displayName} 设置密码并启用` : `已重置 ${user.displayName} 的密码`, 'ok');
          onClose();
        }}
      />
    </Dialog>
  );
}

/** In the top bar: anyone changes their own password. */
export function ChangePasswordButton() {
  const toast = useToast();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button className="btn btn-sm" type="button" onClick={() => setOpen(true)}>
        修改密码
      </button>
      {open && (
        <Dialog open title="修改密码" onClose={() => setOpen(false)}>
          <PasswordPairForm
            current
            submitLabel="修改密码"
            onCancel={() => setOpen(false)}
            onSubmit={async ({ current, next }) => {
              await invoke('user:changePassword', { currentPassword: current, newPassword: next });
              toast.show('密码已修改', 'ok');
              setOpen(false);
            }}
          />
        </Dialog>
      )}
    </>
  );
}
