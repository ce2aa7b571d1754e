/**
 * The loopback host against what any local page or process can send: another port's cookie, a
 * malformed cookie, a token with a multibyte character, a badly encoded channel name, the event
 * stream without a login, an upload ticket used twice. Each is refused with 400/401/403, never 500.
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

/** Opens the printed link as a browser would; answers the session cookie (name=value). */
async function signIn(h: RunningHost): Promise<string> {
  const r = await fetch(h.url, { redirect: 'manual' });
  expect(r.status).toBe(303);
  const cookie = r.headers.get('set-cookie')!;
  return cookie.split(';')[0]!;
}

const api = (h: RunningHost, channel: string, input: unknown, cookie: string) =>
  fetch(`${h.origin}/api/${channel}`, { method: 'POST', headers: { cookie, 'content-type': 'application/json', origin: h.origin }, body: JSON.stringify({ input }) });

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
  it('names its session cookie after its own port and token, and never puts the token in it', async () => {
    const cookie = await signIn(a);
    const [name, value] = cookie.split('=');
    expect(name).toMatch(new RegExp(`^pc_${a.port}_[A-Za-z0-9_-]{12}$`));
    expect(a.url).not.toContain(value!);
    expect((await fetch(`${a.origin}/`, { headers: { cookie } })).status).toBe(200);
  });

  it('refuses another port’s cookie, the old cookies and malformed ones with 401', async () => {
    const other = await signIn(b);
    const token = new URL(a.url).searchParams.get('token')!;
    const good = await signIn(a);
    const [goodName] = good.split('=');
    for (const cookie of [
      other,
      `${other.split('=')[0]!.replace(String(b.port), String(a.port))}=${other.split('=')[1]}`,
      `pc_auth=${token}; pc_client=abc`,
      `${goodName}=%E0%A4%A`,
      `${goodName}=${'é'.repeat(32)}`,
      `${goodName}=`,
      '=;;; ; =x; %zz',
      `${goodName}="${'a'.repeat(32)}"`,
    ]) {
      const page = await fetch(`${a.origin}/`, { headers: { cookie } });
      expect(page.status, cookie).toBe(401);
      const call = await api(a, 'auth:status', {}, cookie);
      expect(call.status, cookie).toBe(401);
    }
  });

  it('answers a wrong token — also one of the right length with a multibyte character — with 401, never 500', async () => {
    const token = new URL(a.url).searchParams.get('token')!;
    for (const offered of [`é${token.slice(1)}`, `${token.slice(0, -1)}中`, '', 'x', token.toLowerCase() === token ? token.toUpperCase() : token.toLowerCase()]) {
      const r = await fetch(`${a.origin}/?token=${encodeURIComponent(offered)}`, { redirect: 'manual' });
      expect(r.status, offered).toBe(401);
    }
    const raw = await fetch(`${a.origin}/?token=%E0%A4%A`, { redirect: 'manual' });
    expect(raw.status).toBe(401);
  });

  it('answers a badly encoded channel name with 400', async () => {
    const cookie = await signIn(a);
    const r = await fetch(`${a.origin}/api/%E0%A4%A`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: '{}' });
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('opens the event stream only to a window with someone logged in', async () => {
    const cookie = await signIn(a);
    expect((await fetch(`${a.origin}/api/events`, { headers: { cookie } })).status).toBe(401);
    expect(await (await api(a, 'auth:setup', ADMIN, cookie)).json()).toMatchObject({ ok: true });
    const controller = new AbortController();
    const stream = await fetch(`${a.origin}/api/events`, { headers: { cookie }, signal: controller.signal });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    controller.abort();
    // Another browser of the same run, not logged in, still gets nothing.
    expect((await fetch(`${a.origin}/api/events`, { headers: { cookie: await signIn(a) } })).status).toBe(401);
  });

  it('takes one file per upload ticket: the second PUT is refused', async () => {
    const cookie = await signIn(a);
    expect(await (await api(a, 'auth:login', { username: ADMIN.username, password: ADMIN.password }, cookie)).json()).toMatchObject({ ok: true });
    const ticket = (await (await api(a, 'upload:ticket', {}, cookie)).json()) as { ok: true; value: { url: string } };
    const put = () => fetch(`${a.origin}${ticket.value.url}?name=a.pdf`, { method: 'PUT', headers: { cookie }, body: '%PDF-1.4\n' });
    const first = await put();
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ ok: true, value: { name: 'a.pdf', size: 9 } });
    expect((await put()).status).toBe(403);
  });
});
