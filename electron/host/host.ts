/**
 * The loopback host: the same back end and the same built UI as the Electron shell, over HTTP on
 * 127.0.0.1, so the real app runs and is tested in a real browser where Electron cannot run.
 *
 * Access: the printed URL carries a random per-run token; the first visit swaps it for an HttpOnly,
 * SameSite=Strict cookie. Every other request needs that cookie, the right Host header (no DNS
 * rebinding) and, for API calls, our own Origin.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { EVENT_NAMES } from '../../shared/contract/index.js';
import { createBackend, type Backend } from '../services/backend.js';
import { SECURITY_HEADERS } from '../transport/csp.js';
import { serveStatic } from '../transport/static-files.js';

export interface HostOptions {
  dataDir: string;
  rendererDir: string;
  resourcesDir: string;
  appVersion: string;
  port?: number;
}

export interface RunningHost {
  url: string;
  origin: string;
  port: number;
  backend: Backend;
  close(): Promise<void>;
}

const MAX_API_BODY = 16 * 1024 * 1024;

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

function sameSecret(a: string | undefined, b: string): boolean {
  if (!a || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

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
  const backend = createBackend({ dataDir: options.dataDir, resourcesDir: options.resourcesDir, appVersion: options.appVersion });
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

  server.on('request', (req, res) => {
    void (async () => {
      try {
        if (!allowedHosts.has(req.headers.host ?? '')) return plain(res, 421, '拒绝访问：主机名不正确。');
        const url = new URL(req.url ?? '/', origin);
        const cookies = parseCookies(req.headers.cookie);

        const offered = url.searchParams.get('token');
        if (offered !== null) {
          if (!sameSecret(offered, token)) return plain(res, 403, '访问令牌不正确或已过期，请使用启动时打印的链接。');
          const client = cookies.pc_client ?? randomBytes(16).toString('base64url');
          res.writeHead(303, {
            location: '/',
            'set-cookie': [
              `pc_auth=${token}; HttpOnly; SameSite=Strict; Path=/`,
              `pc_client=${client}; HttpOnly; SameSite=Strict; Path=/`,
            ],
            ...SECURITY_HEADERS,
          });
          return void res.end();
        }
        if (!sameSecret(cookies.pc_auth, token) || !cookies.pc_client) {
          return plain(res, 403, '请使用启动时终端中打印的完整链接（含访问令牌）打开本工作站。');
        }
        const clientId = `web:${cookies.pc_client}`;

        if (url.pathname.startsWith('/api/')) {
          const requestOrigin = req.headers.origin;
          if (requestOrigin && requestOrigin !== origin) return plain(res, 403, '拒绝跨站请求。');
          if (url.pathname === '/api/events' && req.method === 'GET') return streamEvents(res, backend);
          if (req.method !== 'POST') return plain(res, 405, 'POST only');
          let body: unknown;
          try {
            body = await readJson(req);
          } catch {
            res.writeHead(400, { 'content-type': 'application/json; charset=utf-8', ...SECURITY_HEADERS });
            return void res.end(JSON.stringify({ ok: false, error: { code: 'invalid_input', message: '请求内容不是有效的 JSON。' } }));
          }
          const channel = decodeURIComponent(url.pathname.slice('/api/'.length));
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
function streamEvents(res: http.ServerResponse, backend: Backend): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    ...SECURITY_HEADERS,
  });
  res.write(': connected\n\n');
  const unsubscribe = backend.events.subscribe((event, payload) => {
    if (EVENT_NAMES.includes(event)) res.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
  });
  const keepAlive = setInterval(() => res.write(': ping\n\n'), 25_000);
  res.on('close', () => {
    clearInterval(keepAlive);
    unsubscribe();
  });
}
