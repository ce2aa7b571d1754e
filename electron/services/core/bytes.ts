/**
 * Byte routes shared by both transports, written against the web-standard Request/Response so the
 * Electron protocol handler and the loopback host call the very same code:
 *   GET  /doc/<ticket>        a stored PDF, with HTTP Range (pdf.js fetches a 500-page scan lazily)
 *   GET  /download/<ticket>   an export, as an attachment
 *   PUT  /upload/<ticket>     a file's bytes into staging; answers the staged source as JSON
 * A ticket is an unguessable capability minted by a channel for the logged-in user; the UI never
 * sees a path on disk.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { StagedSource } from '../../../shared/dossiers/dossier.js';
import { AppError } from '../../../shared/core/errors.js';
import { requireActor } from './context.js';
import type { Handlers } from './dispatcher.js';
import { libraryErrorText } from './library-errors.js';

type TicketTarget =
  | { kind: 'doc'; file: string; etag: string }
  | { kind: 'download'; file: string; fileName: string; contentType: string }
  | { kind: 'upload' };

interface Ticket {
  target: TicketTarget;
  userId: string;
  clientId: string;
  expiresAt: number;
}

const HOUR = 3_600_000;
export const MAX_UPLOAD_BYTES = 2 * 1024 ** 3;

export class ByteTickets {
  private readonly tickets = new Map<string, Ticket>();

  mint(target: TicketTarget, owner: { userId: string; clientId: string }, ttlMs = 12 * HOUR): string {
    this.sweep();
    const token = randomBytes(24).toString('base64url');
    this.tickets.set(token, { target, ...owner, expiresAt: Date.now() + ttlMs });
    return token;
  }

  resolve(token: string): Ticket | null {
    const t = this.tickets.get(token);
    if (!t) return null;
    if (t.expiresAt < Date.now()) {
      this.tickets.delete(token);
      return null;
    }
    return t;
  }

  /** An upload ticket is good for one file: taking it for a PUT removes it, so a second PUT is refused. */
  consume(token: string): void {
    this.tickets.delete(token);
  }

  /** An account was disabled: every capability minted for it stops working, in every window. */
  revokeUser(userId: string): void {
    for (const [token, t] of this.tickets) if (t.userId === userId) this.tickets.delete(token);
  }

  /** Logout: every capability the window held stops working. */
  revokeClient(clientId: string): void {
    for (const [token, t] of this.tickets) if (t.clientId === clientId) this.tickets.delete(token);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [token, t] of this.tickets) if (t.expiresAt < now) this.tickets.delete(token);
  }
}

interface StagedFile extends StagedSource {
  file: string;
  userId: string;
}

/** Files received from the UI and not yet imported. Cleared at start-up: staging is scratch space. */
/** The one-use URL the UI PUTs a file's bytes to (an upload ticket), for any import. */
export function uploadHandlers(tickets: ByteTickets): Pick<Handlers, 'upload:ticket'> {
  return {
    'upload:ticket': (_input, ctx) => {
      const actor = requireActor(ctx);
      const token = tickets.mint({ kind: 'upload' }, { userId: actor.id, clientId: ctx.clientId }, 3_600_000);
      return { url: `/upload/${token}`, maxBytes: 2 * 1024 ** 3 };
    },
  };
}

export class Staging {
  private readonly files = new Map<string, StagedFile>();

  constructor(readonly dir: string) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
  }

  async receive(body: ReadableStream<Uint8Array> | null, name: string, userId: string, maxBytes = MAX_UPLOAD_BYTES): Promise<StagedSource> {
    const sourceId = randomUUID();
    const file = path.join(this.dir, sourceId);
    let size = 0;
    try {
      const source = body ? Readable.fromWeb(body as NodeReadableStream) : Readable.from([]);
      source.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) source.destroy(new AppError('too_large', `文件超过 ${Math.round(maxBytes / 1024 ** 2)} MB 的上限。`));
      });
      await pipeline(source, fs.createWriteStream(file, { flags: 'wx' }));
    } catch (err) {
      await fsp.rm(file, { force: true });
      if (err instanceof AppError) throw err;
      throw new AppError('io_error', `接收文件失败：${libraryErrorText(err)}`);
    }
    const staged: StagedFile = { sourceId, name, size, file, userId };
    this.files.set(sourceId, staged);
    return { sourceId, name, size };
  }

  get(sourceId: string, userId: string): StagedFile {
    const staged = this.files.get(sourceId);
    if (!staged || staged.userId !== userId) throw new AppError('not_found', '上传的文件已失效，请重新选择文件。');
    return staged;
  }

  async discard(sourceId: string): Promise<void> {
    const staged = this.files.get(sourceId);
    this.files.delete(sourceId);
    if (staged) await fsp.rm(staged.file, { force: true });
  }
}

const json = (status: number, value: unknown): Response =>
  new Response(JSON.stringify(value), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  });

const text = (status: number, message: string): Response =>
  new Response(message, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });

/** Parses a single `bytes=a-b` range (pdf.js never asks for multipart ranges). */
export function parseRange(header: string | null, size: number): { start: number; end: number } | 'invalid' | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return 'invalid';
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start > end || start >= size) return 'invalid';
  return { start, end };
}

/** A file as a response, honouring a single HTTP Range (what pdf.js asks for). */
export async function serveFile(request: Request, file: string, headers: Record<string, string>): Promise<Response> {
  const stat = await fsp.stat(file).catch(() => null);
  if (!stat) return text(404, '文件不存在');
  const range = parseRange(request.headers.get('range'), stat.size);
  const base = { 'accept-ranges': 'bytes', 'cache-control': 'private, no-transform', ...headers };
  if (range === 'invalid') return new Response(null, { status: 416, headers: { ...base, 'content-range': `bytes */${stat.size}` } });
  const head = request.method === 'HEAD';
  if (!range) {
    const body = head ? null : (Readable.toWeb(fs.createReadStream(file)) as ReadableStream);
    return new Response(body, { status: 200, headers: { ...base, 'content-length': String(stat.size) } });
  }
  const length = range.end - range.start + 1;
  const body = head ? null : (Readable.toWeb(fs.createReadStream(file, { start: range.start, end: range.end })) as ReadableStream);
  return new Response(body, {
    status: 206,
    headers: { ...base, 'content-length': String(length), 'content-range': `bytes ${range.start}-${range.end}/${stat.size}` },
  });
}

export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** Answers a byte route, or null when the path is not one of ours (the caller serves the UI then). */
export async function handleByteRequest(request: Request, tickets: ByteTickets, staging: Staging): Promise<Response | null> {
  const url = new URL(request.url);
  const m = /^\/(doc|download|upload)\/([A-Za-z0-9_-]{20,64})$/.exec(url.pathname);
  if (!m) return null;
  const [, route, token] = m;
  const ticket = tickets.resolve(token!);
  if (!ticket || ticket.target.kind !== route) return text(403, '链接已失效，请重新打开。');
  const target = ticket.target;

  if (target.kind === 'upload') {
    if (request.method !== 'PUT') return text(405, 'PUT only');
    tickets.consume(token!);
    const name = (url.searchParams.get('name') ?? '未命名').slice(0, 500);
    try {
      return json(200, { ok: true, value: await staging.receive(request.body, name, ticket.userId) });
    } catch (err) {
      const e = err instanceof AppError ? err : new AppError('io_error');
      return json(200, { ok: false, error: e.toShape() });
    }
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') return text(405, 'GET only');
  if (target.kind === 'doc') {
    return serveFile(request, target.file, { 'content-type': 'application/pdf', etag: `"${target.etag}"` });
  }
  return serveFile(request, target.file, {
    'content-type': target.contentType,
    'content-disposition': contentDisposition(target.fileName),
  });
}
