/**
 * The loopback host against what any local page or process can send: another run's session, cookies
 * of any kind (the host sets and reads none), malformed session headers, a token with a multibyte
 * character, a badly encoded channel name, the event stream without a login or with a spent ticket,
 * an upload ticket used twice. Each is refused with 400/401/403, never 500.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type RunningHost } from '../../electron/host/host.js';
import { ADMIN } from '../support/backend.js';
import { RESOURCES_DIR, tempDir } from '../support/temp.js';

let a: RunningHost;
let b: RunningHost;
const dirs: Array<{ cleanup(): void }> = [];

async function host(): Promise<RunningHost> {
  const data = tempDir();
  const renderer = tempDir();
  dirs.push(data, renderer);
  fs.writeFileSync(path.join(renderer.dir, 'index.html'), '<!doctype html><title>案卷评查工作站</title>');
  return startHost({ dataDir: data.dir, rendererDir: renderer.dir, resourcesDir: RESOURCES_DIR, appVersion: '0.0.0-test' });
}

/** Trades the printed link's token for a session secret, as the page does; answers the secret. */
async function signIn(h: RunningHost, previous?: string): Promise<string> {
  const token = new URL(h.url).searchParams.get('token')!;
  const r = await fetch(`${h.origin}/api/session`, {
    method: 'POST',
    headers: { 'x-pingcha-token': token, origin: h.origin, ...(previous ? { 'x-pingcha-session': previous } : {}) },
  });
  expect(r.status).toBe(200);
  expect(r.headers.get('set-cookie')).toBeNull();
  return ((await r.json()) as { session: string }).session;
}

const api = (h: RunningHost, channel: string, input: unknown, session: string, extra: Record<string, string> = {}) =>
  fetch(`${h.origin}/api/${channel}`, {
    method: 'POST',
    headers: { 'x-pingcha-session': session, 'content-type': 'application/json', origin: h.origin, ...extra },
    body: JSON.stringify({ input }),
  });

const eventTicket = async (h: RunningHost, session: string): Promise<Response> =>
  fetch(`${h.origin}/api/events/ticket`, { method: 'POST', headers: { 'x-pingcha-session': session, origin: h.origin } });

beforeAll(async () => {
  a = await host();
  b = await host();
});
afterAll(async () => {
  await a.close();
  await b.close();
  for (const d of dirs) d.cleanup();
});

describe('loopback host', () => {
  it('sets no cookie: the printed link serves the page, the token is traded for a secret that is not the token', async () => {
    const page = await fetch(a.url, { redirect: 'manual' });
    expect(page.status).toBe(200);
    expect(page.headers.get('set-cookie')).toBeNull();
    const session = await signIn(a);
    expect(session).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(a.url).not.toContain(session);
    expect(await (await api(a, 'auth:status', {}, session)).json()).toMatchObject({ ok: true });
    // The same browser opening the link again keeps its session.
    expect(await signIn(a, session)).toBe(session);
    // Without the token, no session is handed out.
    expect((await fetch(`${a.origin}/api/session`, { method: 'POST', headers: { origin: a.origin } })).status).toBe(401);
  });

  it('refuses another run’s session, any cookie and malformed session headers with 401', async () => {
    const other = await signIn(b);
    const token = new URL(a.url).searchParams.get('token')!;
    const good = await signIn(a);
    for (const headers of [
      { 'x-pingcha-session': other },
      { 'x-pingcha-session': token },
      { 'x-pingcha-session': `${good.slice(0, -1)}é` },
      { 'x-pingcha-session': '%E0%A4%A' },
      { 'x-pingcha-session': '' },
      { 'x-pingcha-session': `"${good.slice(1, -1)}"` },
      { cookie: `pc_auth=${token}; pc_client=${good}` },
      { cookie: '=;;; ; =x; %zz', 'x-pingcha-session': 'é'.repeat(32) },
    ] as Array<Record<string, string>>) {
      const call = await fetch(`${a.origin}/api/auth:status`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: a.origin, ...headers },
        body: '{}',
      });
      expect(call.status, JSON.stringify(headers)).toBe(401);
      // The page itself is public (it holds no data); a malformed cookie never breaks it.
      expect((await fetch(`${a.origin}/`, { headers })).status, JSON.stringify(headers)).toBe(200);
    }
  });

  it('answers a wrong token — also one of the right length with a multibyte character — with 401, never 500', async () => {
    const token = new URL(a.url).searchParams.get('token')!;
    for (const offered of [
      `é${token.slice(1)}`,
      `${token.slice(0, -1)}中`,
      '',
      'x',
      token.toLowerCase() === token ? token.toUpperCase() : token.toLowerCase(),
    ]) {
      const r = await fetch(`${a.origin}/?token=${encodeURIComponent(offered)}`, { redirect: 'manual' });
      expect(r.status, offered).toBe(401);
    }
    const raw = await fetch(`${a.origin}/?token=%E0%A4%A`, { redirect: 'manual' });
    expect(raw.status).toBe(401);
  });

  it('answers a badly encoded channel name with 400', async () => {
    const session = await signIn(a);
    const r = await fetch(`${a.origin}/api/%E0%A4%A`, {
      method: 'POST',
      headers: { 'x-pingcha-session': session, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('opens the event stream only to a window with someone logged in, with a single-use ticket', async () => {
    const session = await signIn(a);
    expect((await eventTicket(a, session)).status).toBe(401);
    expect((await fetch(`${a.origin}/api/events`)).status).toBe(401);
    expect(await (await api(a, 'auth:setup', ADMIN, session)).json()).toMatchObject({ ok: true });
    const { ticket } = (await (await eventTicket(a, session)).json()) as { ticket: string };
    const controller = new AbortController();
    const stream = await fetch(`${a.origin}/api/events?ticket=${ticket}`, { signal: controller.signal });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    controller.abort();
    // A spent ticket opens nothing, nor does a made-up one.
    expect((await fetch(`${a.origin}/api/events?ticket=${ticket}`)).status).toBe(401);
    expect((await fetch(`${a.origin}/api/events?ticket=%E0%A4%A`)).status).toBe(401);
    // Another browser of the same run, not logged in, gets no ticket.
    expect((await eventTicket(a, await signIn(a))).status).toBe(401);
  });

  it('takes one file per upload ticket: the second PUT is refused', async () => {
    const session = await signIn(a);
    expect(await (await api(a, 'auth:login', { username: ADMIN.username, password: ADMIN.password }, session)).json()).toMatchObject({
      ok: true,
    });
    const ticket = (await (await api(a, 'upload:ticket', {}, session)).json()) as { ok: true; value: { url: string } };
    const put = () => fetch(`${a.origin}${ticket.value.url}?name=a.pdf`, { method: 'PUT', body: '%PDF-1.4\n' });
    const first = await put();
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ ok: true, value: { name: 'a.pdf', size: 9 } });
    expect((await put()).status).toBe(403);
  });
});
