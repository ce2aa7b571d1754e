/**
 * Serves the built renderer from one folder for both transports (app:// in Electron, the loopback
 * host). Paths are decoded, normalised and confined to the folder: a request can never read outside it.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { SECURITY_HEADERS } from './csp.js';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.pfb': 'application/octet-stream',
  '.bcmap': 'application/octet-stream',
  '.wasm': 'application/wasm',
  '.icc': 'application/octet-stream',
  '.map': 'application/json; charset=utf-8',
};

/**
 * Maps a URL path to a file inside `root`, or null if it would escape it (.., encoded separators,
 * NUL bytes, absolute or drive paths).
 */
export function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.some((s) => s === '..' || /^[A-Za-z]:/.test(s))) return null;
  const base = path.resolve(root);
  const target = path.resolve(base, ...segments);
  if (target !== base && !target.startsWith(base + path.sep)) return null;
  return target;
}

const notFound = (): Response =>
  new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS } });

export async function serveStatic(root: string, request: Request): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD')
    return new Response('Method not allowed', { status: 405, headers: SECURITY_HEADERS });
  const url = new URL(request.url);
  let file = resolveInside(root, url.pathname);
  if (!file) return notFound();
  let stat = await fsp.stat(file).catch(() => null);
  if (stat?.isDirectory()) {
    file = path.join(file, 'index.html');
    stat = await fsp.stat(file).catch(() => null);
  }
  // Client-side routes (no extension) get the app shell; a missing asset stays a 404.
  if (!stat && !path.extname(url.pathname)) {
    file = path.join(root, 'index.html');
    stat = await fsp.stat(file).catch(() => null);
  }
  if (!stat || !stat.isFile()) return notFound();
  const ext = path.extname(file).toLowerCase();
  const hashed = /[-.][A-Za-z0-9_-]{8,}\.(js|css|mjs)$/.test(file) || url.pathname.startsWith('/pdfjs/');
  const headers = {
    ...SECURITY_HEADERS,
    'content-type': MIME[ext] ?? 'application/octet-stream',
    'content-length': String(stat.size),
    'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
  };
  const body = request.method === 'HEAD' ? null : (Readable.toWeb(fs.createReadStream(file)) as ReadableStream);
  return new Response(body, { status: 200, headers });
}
