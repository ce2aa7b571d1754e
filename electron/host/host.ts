/**
 * The loopback host: the same back end and the same built UI as the Electron shell, over HTTP on
 * 127.0.0.1, so the real app runs and is tested in a real browser where Electron cannot run.
 *
 * Access: the printed URL carries a random per-run token; the first visit swaps it for a session
 * cookie (HttpOnly, SameSite=Strict) whose NAME carries this run's port and a hash of its token and
 * whose VALUE is a secret minted for that browser, never the token. Browsers send 127.0.0.1's cookies
 * to every port, so another local service can see it — but this host only reads its own name, the
 * value opens nothing but this run, and the client id behind it is the host's, not the browser's.
 * Every other request needs that cookie, the right Host header (no DNS rebinding) and, for API
 * calls, our own Origin. A malformed cookie or path is a 400/401, never a 500.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { EVENT_NAMES } from '../../shared/contract/index.js';
import { createBackend, type Backend, type BackendOptions } from '../services/backend.js';
import { SECURITY_HEADERS } from '../transport/csp.js';
import { serveStatic } from '../transport/static-files.js';

export interface HostOptions {
  dataDir: string;
  rendererDir: string;
  resourcesDir: string;
  appVersion: string;
  port?: number;
  /** Background OCR; by default scans are read after each import, as in the desktop app. */
  ocr?: BackendOptions['ocr'];
}

export interface RunningHost {
  url: string;
  origin: string;
  port: number;
  backend: Backend;
  close(): Promise<void>;
}

const MAX_API_BODY = 16 * 1024 * 1024;

/** Cookies as sent; a part that is not `name=value` is skipped, values are taken as they are (ours are base64url). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out.set(part.slice(0, i).trim(), part.slice(i + 1).trim());
  }
  return out;
}

/** Constant-time comparison by bytes: a string of the right length with a multibyte character is simply wrong. */
export function sameSecret(a: string | undefined | null, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** This run's session cookie name: another run (another port) of the host never reads it. */
export const sessionCookieName = (port: number, token: string): string =>
  `pc_${port}_${createHash('sha256').update(token).digest('base64url').slice(0, 12)}`;

async function sendResponse(res: http.ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => (headers[key] = value));
  res.writeHead(response.status, headers);
  if (!response.body) return void res.end();
  await new Promise<void>((resolve) => {
    const body = Readable.fromWeb(response.body as NodeReadableStream);
    body.on('error', () => {
      res.destroy();
      resolve();
    });
    res.on('close', () => {
      body.destroy();
      resolve();
    });
    body.pipe(res);
  });
}

function toWebRequest(req: http.IncomingMessage, origin: string): Request {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') headers.set(key, value);
    else if (Array.isArray(value)) headers.set(key, value.join(', '));
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(new URL(req.url ?? '/', origin), {
    method: req.method ?? 'GET',
    headers,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream, duplex: 'half' } : {}),
  } as RequestInit);
}

function plain(res: http.ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...SECURITY_HEADERS });
  res.end(`<!doctype html><meta charset="utf-8"><title>案卷评查工作站</title><p style="font:20px sans-serif">${message}</p>`);
}

function jsonError(res: http.ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...SECURITY_HEADERS });
  res.end(JSON.stringify({ ok: false, error: { code: 'invalid_input', message } }));
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_API_BODY) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
}

export async function startHost(options: HostOptions): Promise<RunningHost> {
  // The back end reads no scan unless told to (its tests queue files themselves): the browser build
  // must ask for it as the desktop shell does, or scans stay unreadable there.
  const backend = createBackend({ dataDir: options.dataDir, resourcesDir: options.resourcesDir, appVersion: options.appVersion, ocr: options.ocr ?? { afterImport: true } });
  const token = randomBytes(24).toString('base64url');
  const server = http.createServer();
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  const cookieName = sessionCookieName(port, token);
  /** Session secret (the cookie's value) → client id. Minted by the host, so a browser cannot pick its id. */
  const clients = new Map<string, string>();
  const clientOf = (cookieHeader: string | undefined): string | null => {
    const secret = parseCookies(cookieHeader).get(cookieName);
    if (!secret || !/^[A-Za-z0-9_-]{32}$/.test(secret)) return null;
    return clients.get(secret) ?? null;
  };
  const unauthorised = (res: http.ServerResponse): void =>
    plain(res, 401, '请使用启动时终端中打印的完整链接（含访问令牌）打开本工作站。');

  server.on('request', (req, res) => {
    void (async () => {
      try {
        if (!allowedHosts.has(req.headers.host ?? '')) return plain(res, 421, '拒绝访问：主机名不正确。');
        let url: URL;
        try {
          url = new URL(req.url ?? '/', origin);
        } catch {
          return plain(res, 400, '请求地址无效。');
        }
        if (url.origin !== origin) return plain(res, 400, '请求地址无效。');

        const offered = url.searchParams.get('token');
        if (offered !== null) {
          if (!sameSecret(offered, token)) return plain(res, 401, '访问令牌不正确或已过期，请使用启动时打印的链接。');
          // A browser already signed in keeps its session (and its login) when the link is opened again.
          let secret = parseCookies(req.headers.cookie).get(cookieName);
          if (!secret || !clients.has(secret)) {
            secret = randomBytes(24).toString('base64url');
            clients.set(secret, `web:${randomBytes(16).toString('base64url')}`);
          }
          res.writeHead(303, {
            location: '/',
            'set-cookie': [`${cookieName}=${secret}; HttpOnly; SameSite=Strict; Path=/`],
            ...SECURITY_HEADERS,
          });
          return void res.end();
        }
        const clientId = clientOf(req.headers.cookie);
        if (!clientId) return unauthorised(res);

        if (url.pathname.startsWith('/api/')) {
          const requestOrigin = req.headers.origin;
          if (requestOrigin && requestOrigin !== origin) return plain(res, 403, '拒绝跨站请求。');
          if (url.pathname === '/api/events' && req.method === 'GET') {
            // What changed is not everyone's business: the stream is for a window with someone logged in.
            if (!backend.loggedIn(clientId)) return plain(res, 401, '请先登录。');
            return streamEvents(res, backend, () => backend.loggedIn(clientId));
          }
          if (req.method !== 'POST') return plain(res, 405, 'POST only');
          let channel: string;
          try {
            channel = decodeURIComponent(url.pathname.slice('/api/'.length));
          } catch {
            return jsonError(res, 400, '接口名称无效。');
          }
          let body: unknown;
          try {
            body = await readJson(req);
          } catch {
            return jsonError(res, 400, '请求内容不是有效的 JSON。');
          }
          const result = await backend.dispatch(channel, (body as { input?: unknown })?.input, clientId);
          res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...SECURITY_HEADERS });
          return void res.end(JSON.stringify(result));
        }

        const request = toWebRequest(req, origin);
        const bytes = await backend.handleBytes(request);
        if (bytes) {
          for (const [k, v] of Object.entries(SECURITY_HEADERS)) if (!bytes.headers.has(k)) bytes.headers.set(k, v);
          return sendResponse(res, bytes);
        }
        return sendResponse(res, await serveStatic(options.rendererDir, request));
      } catch (err) {
        backend.log.error('host request failed', err);
        if (!res.headersSent) plain(res, 500, '服务器内部错误，请查看日志。');
        else res.destroy();
      }
    })();
  });

  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    backend,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      backend.close();
    },
  };
}

/** Server-sent events: the browser's EventSource reconnects on its own after a drop. */
function streamEvents(res: http.ServerResponse, backend: Backend, stillLoggedIn: () => boolean): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    ...SECURITY_HEADERS,
  });
  res.write(': connected\n\n');
  const unsubscribe = backend.events.subscribe((event, payload) => {
    // After a logout the stream ends; the browser's reconnect then needs a login again.
    if (!stillLoggedIn()) return void res.end();
    if (EVENT_NAMES.includes(event)) res.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
  });
  const keepAlive = setInterval(() => res.write(': ping\n\n'), 25_000);
  res.on('close', () => {
    clearInterval(keepAlive);
    unsubscribe();
  });
}
