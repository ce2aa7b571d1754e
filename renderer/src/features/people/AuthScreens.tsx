import { useState, type FormEvent } from 'react';
import { PASSWORD_MIN_LENGTH } from '../../../../shared/people/password';
import { ApiError, invoke } from '../../api/client';
import { href, navigate } from '../../app/router';
import { useSession } from '../../app/session';
import { Field } from '../../ui/field';
import { useFormAction } from '../../ui/use-form-action';
import { leadLanding } from '../panel';

function Brand() {
  return (
    <div>
      <h1>案卷评查工作站</h1>
      <p className="muted">行政执法案卷评查 · 离线工作站</p>
    </div>
  );
}

export function SetupScreen() {
  const { setUser, refresh } = useSession();
  const [form, setForm] = useState({ username: '', displayName: '', affiliation: '', password: '', confirm: '' });
  const { error, setError, busy, run } = useFormAction();
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });

  function submit(e: FormEvent) {
    e.preventDefault();
    if (form.password !== form.confirm) return setError('两次输入的密码不一致。');
    void run(async () => {
      const { confirm: _ignored, ...input } = form;
      setUser(await invoke('auth:setup', input));
      await refresh();
    });
  }

  return (
    <div className="auth">
      <form className="panel" onSubmit={submit} aria-label="创建管理员账户">
        <Brand />
        <div className="notice notice-info">首次使用：请创建本工作站的组织者（管理员）账户。</div>
        <Field label="登录名">
          <input className="input" autoFocus value={form.username} onChange={set('username')} autoComplete="username" />
        </Field>
        <Field label="姓名">
          <input className="input" value={form.displayName} onChange={set('displayName')} />
        </Field>
        <Field label="所在单位">
          <input className="input" value={form.affiliation} onChange={set('affiliation')} placeholder="如：某某县司法局" />
        </Field>
        <Field label="密码" hint={`至少 ${PASSWORD_MIN_LENGTH} 位，须同时包含字母和数字`}>
          <input className="input" type="password" value={form.password} onChange={set('password')} autoComplete="new-password" />
        </Field>
        <Field label="确认密码">
          <input className="input" type="password" value={form.confirm} onChange={set('confirm')} autoComplete="new-password" />
        </Field>
        {error && (
          <div className="notice notice-error" role="alert">
            {error}
          </div>
        )}
        <button className="btn btn-primary" type="submit" disabled={busy}>
          {busy ? '正在创建…' : '创建并登录'}
        </button>
      </form>
    </div>
  );
}

/** Who last logged in from this window, so the next login knows whether the route it finds is theirs. */
export const LAST_USER_KEY = 'pingcha.lastUser';

export function LoginScreen() {
  const { setUser, error: sessionError } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const { error, busy, run } = useFormAction();

  function submit(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      try {
        const user = await invoke('auth:login', { username, password });
        // On a shared meeting-room PC the next person starts on their own start screen, never on the
        // file the previous person left open (which they may not be allowed to see).
        const previous = sessionStorage.getItem(LAST_USER_KEY);
        if (previous && previous !== user.id && location.hash !== href.campaigns()) navigate(href.campaigns(), true);
        // A lead starting on the campaign list goes straight to the first file waiting for his decision.
        if (['', '#', '#/', href.campaigns()].includes(location.hash)) {
          const landing = await leadLanding(user);
          if (landing) navigate(landing, true);
        }
        sessionStorage.setItem(LAST_USER_KEY, user.id);
        setUser(user);
      } catch (err) {
        // A wrong password is typed again from scratch; a locked account keeps what was typed.
        if (err instanceof ApiError && err.code !== 'locked') setPassword('');
        throw err;
      }
    });
  }

  return (
    <div className="auth">
      <form className="panel" onSubmit={submit} aria-label="登录">
        <Brand />
        {sessionError && <div className="notice notice-error">{sessionError}</div>}
        <Field label="登录名">
          <input className="input" autoFocus value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="username" />
        </Field>
        <Field label="密码">
          <input
            className="input"
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="current-password"
          />
        </Field>
        {error && (
          <div className="notice notice-error" role="alert">
            {error}
          </div>
        )}
        <button className="btn btn-primary" type="submit" disabled={busy || !username || !password}>
          {busy ? '正在登录…' : '登录'}
        </button>
      </form>
    </div>
  );
}
