/**
 * The loopback host: the same back end and the same built UI as the Electron shell, over HTTP on
 * 127.0.0.1, so the real app runs and is tested in a real browser where Electron cannot run.
 *
 * Access: the printed URL carries a random per-run token. The page trades it (header
 * `x-pingcha-token`) for a session secret minted for that browser, keeps the secret in its own
 * origin's localStorage and sends it as the `x-pingcha-session` header on every API call. No cookie
 * is set: browsers send 127.0.0.1's cookies to every port, while storage is per origin (port
 * included), so no other local service ever receives the session. The event stream (an EventSource
 * cannot send headers) opens with a single-use ticket valid for 30 seconds, asked for with the
 * session. Document bytes, downloads and uploads are capability URLs (random, per user, short-lived);
 * the built UI itself is public. Every request needs the right Host header (no DNS rebinding) and, for
 * API calls, our own Origin. A malformed header, cookie or path is a 400/401, never a 500.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { EVENT_NAMES } from '../../shared/contract/index.js';
import { createBackend, WORKSTATION_BACKGROUND, type Backend, type BackendOptions } from '../services/backend.js';
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
  /** Background pre-check; by default each file is checked once its text is in, as in the desktop app. */
  precheck?: BackendOptions['precheck'];
}

export interface RunningHost {
  url: string;
  origin: string;
  port: number;
  backend: Backend;
  close(): Promise<void>;
}

const MAX_API_BODY = 16 * 1024 * 1024;

/** Constant-time comparison by bytes: a string of the right length with a multibyte character is simply wrong. */
export function sameSecret(a: string | undefined | null, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

export const SESSION_HEADER = 'x-pingcha-session';
export const TOKEN_HEADER = 'x-pingcha-token';
const SECRET_RE = /^[A-Za-z0-9_-]{32}$/;
const EVENT_TICKET_MS = 30_000;

/** One header's value as sent (a repeated header is refused as malformed). */
const headerOf = (req: http.IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return typeof v === 'string' ? v : undefined;
};

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
  const backend = createBackend({
    dataDir: options.dataDir,
    resourcesDir: options.resourcesDir,
    appVersion: options.appVersion,
    ocr: options.ocr ?? WORKSTATION_BACKGROUND.ocr,
    precheck: options.precheck ?? WORKSTATION_BACKGROUND.precheck,
  });
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

  /** Session secret (the header's value) → client id. Minted by the host, so a browser cannot pick its id. */
  const clients = new Map<string, string>();
  const clientOf = (secret: string | undefined): string | null => {
    if (!secret || !SECRET_RE.test(secret)) return null;
    return clients.get(secret) ?? null;
  };
  /** Single-use event-stream tickets → client id and expiry. */
  const eventTickets = new Map<string, { clientId: string; expires: number }>();
  const unauthorised = (res: http.ServerResponse): void => plain(res, 401, '请使用启动时终端中打印的完整链接（含访问令牌）打开本工作站。');

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

        // The printed link: a wrong token is refused here; a right one gets the page, which trades it.
        const offered = url.searchParams.get('token');
        if (offered !== null && !sameSecret(offered, token)) return plain(res, 401, '访问令牌不正确或已过期，请使用启动时打印的链接。');

        if (url.pathname.startsWith('/api/')) {
          const requestOrigin = req.headers.origin;
          if (requestOrigin && requestOrigin !== origin) return plain(res, 403, '拒绝跨站请求。');
          if (url.pathname === '/api/session' && req.method === 'POST') {
            if (!sameSecret(headerOf(req, TOKEN_HEADER), token)) return unauthorised(res);
            // A browser already signed in keeps its session (and its login) when the link is opened again.
            let secret = headerOf(req, SESSION_HEADER);
            if (!secret || !clientOf(secret)) {
              secret = randomBytes(24).toString('base64url');
              clients.set(secret, `web:${randomBytes(16).toString('base64url')}`);
            }
            res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...SECURITY_HEADERS });
            return void res.end(JSON.stringify({ session: secret }));
          }
          if (url.pathname === '/api/events' && req.method === 'GET') {
            const ticket = url.searchParams.get('ticket') ?? '';
            const held = eventTickets.get(ticket);
            eventTickets.delete(ticket);
            if (!held || held.expires < Date.now()) return plain(res, 401, '请先登录。');
            const clientId = held.clientId;
            // What changed is not everyone's business: the stream is for a window with someone logged in.
            if (!backend.loggedIn(clientId)) return plain(res, 401, '请先登录。');
            return streamEvents(res, backend, () => backend.loggedIn(clientId));
          }
          const clientId = clientOf(headerOf(req, SESSION_HEADER));
          if (!clientId) return unauthorised(res);
          if (url.pathname === '/api/events/ticket' && req.method === 'POST') {
            if (!backend.loggedIn(clientId)) return plain(res, 401, '请先登录。');
            const now = Date.now();
            for (const [k, v] of eventTickets) if (v.expires < now) eventTickets.delete(k);
            const ticket = randomBytes(24).toString('base64url');
            eventTickets.set(ticket, { clientId, expires: now + EVENT_TICKET_MS });
            res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...SECURITY_HEADERS });
            return void res.end(JSON.stringify({ ticket }));
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
