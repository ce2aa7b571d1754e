/**
 * The typed client: the only way the UI talks to the back end. It picks the transport it was given —
 * Electron's preload bridge (`window.pingcha`) or the loopback host over HTTP — and exposes the same
 * calls either way.
 */
import type { Channel, ChannelInput, ChannelOutput, EventName, EventPayload, Result } from '../../../shared/contract/index';
import type { AppErrorShape, ErrorCode } from '../../../shared/core/errors';
import type { StagedSource } from '../../../shared/dossiers/dossier';

interface Bridge {
  invoke(channel: string, input: unknown, options?: InvokeOptions): Promise<unknown>;
  on(event: string, callback: (payload: unknown) => void): () => void;
  /** Electron only: the desktop shell's folder dialog, 打开所在文件夹 and restart. */
  shell?: {
    chooseFolder(title: string): Promise<unknown>;
    showItemInFolder(file: string): Promise<unknown>;
    relaunch(): Promise<unknown>;
  };
  /** Electron only: the window is about to close; the shell waits for the returned promise (bounded). */
  onCloseRequest?(handler: () => Promise<void>): void;
}

export interface InvokeOptions {
  /** Let the request outlive the page (saving as the tab or window goes away). Body ≤ 64 KB. */
  keepalive?: boolean;
}

declare global {
  interface Window {
    pingcha?: Bridge;
  }
}

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  constructor(shape: AppErrorShape) {
    super(shape.message);
    this.code = shape.code;
    this.details = shape.details;
  }
}

/**
 * The loopback host's session: the printed link's token is traded once for a secret kept in this
 * origin's localStorage (per port, unlike a cookie, so no other local service ever receives it) and
 * sent as a header. A link opened again keeps the secret (and the login) while the host runs.
 */
const SESSION_KEY = 'pingcha-session';
const sessionSecret: Promise<string | null> = window.pingcha
  ? Promise.resolve(null)
  : (async () => {
      let secret: string | null = null;
      try {
        secret = localStorage.getItem(SESSION_KEY);
      } catch {
        // Storage refused (a locked-down profile): the session lives as long as the page.
      }
      const url = new URL(window.location.href);
      const token = url.searchParams.get('token');
      if (!token) return secret;
      try {
        const response = await fetch('/api/session', {
          method: 'POST',
          headers: { 'x-pingcha-token': token, ...(secret ? { 'x-pingcha-session': secret } : {}) },
        });
        if (response.ok) {
          secret = ((await response.json()) as { session: string }).session;
          try {
            localStorage.setItem(SESSION_KEY, secret);
          } catch {
            // See above.
          }
        }
      } catch {
        // The host is gone: the first call says so.
      }
      url.searchParams.delete('token');
      history.replaceState(history.state, '', `${url.pathname}${url.search}${url.hash}`);
      return secret;
    })();

const sessionHeaders = async (): Promise<Record<string, string>> => {
  const secret = await sessionSecret;
  return secret ? { 'x-pingcha-session': secret } : {};
};

const httpBridge: Bridge = {
  async invoke(channel, input, options) {
    let response: Response;
    try {
      response = await fetch(`/api/${encodeURIComponent(channel)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(await sessionHeaders()) },
        body: JSON.stringify({ input }),
        credentials: 'omit',
        keepalive: options?.keepalive === true,
      });
    } catch {
      return { ok: false, error: { code: 'io_error', message: '无法连接到工作站服务，请确认程序仍在运行。' } };
    }
    if (response.status === 401 || response.status === 403) {
      return { ok: false, error: { code: 'unauthenticated', message: '访问令牌已失效（服务已重启），请使用终端中新打印的链接重新打开。' } };
    }
    const result = (await response.json()) as Result<unknown>;
    followLogin(channel, result);
    return result;
  },
  on(event, callback) {
    const entry = { event, listener: ((e: MessageEvent<string>): void => callback(JSON.parse(e.data))) as EventListener };
    streamListeners.add(entry);
    eventSource?.addEventListener(event, entry.listener);
    return () => {
      streamListeners.delete(entry);
      eventSource?.removeEventListener(event, entry.listener);
    };
  },
};

/**
 * The host's event stream answers only a window with someone logged in, so it is opened after a
 * login (or a status that finds one) and closed at logout; listeners registered before carry over.
 */
const streamListeners = new Set<{ event: string; listener: EventListener }>();
let eventSource: EventSource | null = null;
let streamWanted = false;
let reopenTimer: ReturnType<typeof setTimeout> | null = null;

/**
 * An EventSource cannot send the session header, so each (re)connection opens with a fresh
 * single-use ticket; after a drop it is reopened with a new one, not retried with the spent one.
 */
async function openStream(): Promise<void> {
  if (!streamWanted || eventSource) return;
  let ticket: string | null = null;
  try {
    const response = await fetch('/api/events/ticket', { method: 'POST', headers: await sessionHeaders(), credentials: 'omit' });
    if (response.ok) ticket = ((await response.json()) as { ticket: string }).ticket;
  } catch {
    // The host is not answering: try again shortly.
  }
  if (!streamWanted || eventSource) return;
  if (!ticket) return void (reopenTimer = setTimeout(() => ((reopenTimer = null), void openStream()), 3000));
  const source = new EventSource(`/api/events?ticket=${encodeURIComponent(ticket)}`);
  eventSource = source;
  for (const { event, listener } of streamListeners) source.addEventListener(event, listener);
  source.addEventListener('error', () => {
    source.close();
    if (eventSource === source) eventSource = null;
    if (streamWanted && !reopenTimer) reopenTimer = setTimeout(() => ((reopenTimer = null), void openStream()), 1000);
  });
}

function followLogin(channel: string, result: Result<unknown>): void {
  if (!result.ok) return;
  const loggedIn =
    channel === 'auth:login' || channel === 'auth:setup'
      ? true
      : channel === 'auth:logout'
        ? false
        : channel === 'auth:status'
          ? (result.value as { user: unknown }).user !== null
          : null;
  if (loggedIn === true) {
    streamWanted = true;
    void openStream();
  } else if (loggedIn === false) {
    streamWanted = false;
    if (reopenTimer) clearTimeout(reopenTimer);
    reopenTimer = null;
    eventSource?.close();
    eventSource = null;
  }
}

const bridge: Bridge = window.pingcha ?? httpBridge;

export async function invoke<C extends Channel>(channel: C, input: ChannelInput<C>, options?: InvokeOptions): Promise<ChannelOutput<C>> {
  const result = (await (options ? bridge.invoke(channel, input, options) : bridge.invoke(channel, input))) as Result<ChannelOutput<C>>;
  if (!result || typeof result !== 'object') throw new ApiError({ code: 'internal', message: '服务返回了无法识别的结果。' });
  if (!result.ok) throw new ApiError(result.error);
  return result.value;
}

export function onEvent<E extends EventName>(event: E, callback: (payload: EventPayload<E>) => void): () => void {
  return bridge.on(event, callback as (payload: unknown) => void);
}

/**
 * Sends a file's bytes to the back end (both transports accept a PUT on the ticket URL). `name` is
 * what the back end records, e.g. the path inside a chosen folder ("案卷/某罚〔2025〕1号/询问笔录.pdf").
 */
export async function uploadFile(file: File, onProgress?: (sent: number) => void, name: string = file.name): Promise<StagedSource> {
  const ticket = await invoke('upload:ticket', {});
  if (file.size > ticket.maxBytes)
    throw new ApiError({ code: 'too_large', message: `“${name}”超过单个文件 ${Math.round(ticket.maxBytes / 1024 ** 3)} GB 的上限。` });
  const response = await fetch(`${ticket.url}?name=${encodeURIComponent(name)}`, { method: 'PUT', body: file, credentials: 'omit' });
  onProgress?.(file.size);
  const result = (await response.json()) as Result<StagedSource>;
  if (!result.ok) throw new ApiError(result.error);
  return result.value;
}

/** Starts a browser download of an export (the ticket URL answers with Content-Disposition). */
export function download(url: string, fileName: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
}

export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return `操作失败：${err.message}`;
  return '操作失败。';
}

/**
 * Work that must reach the back end before the page goes away (pending annotation saves …).
 * Browser: on `pagehide` with keepalive requests (and on hiding the tab, normally). Electron: the
 * shell asks the page before the window closes and waits for every flusher to settle.
 */
export type LeaveFlusher = (options: { keepalive: boolean }) => Promise<void> | void;
const flushers = new Set<LeaveFlusher>();

export function onLeave(flusher: LeaveFlusher): () => void {
  flushers.add(flusher);
  return () => flushers.delete(flusher);
}

const flushAll = (keepalive: boolean): Promise<unknown> => Promise.allSettled([...flushers].map((f) => f({ keepalive })));

window.addEventListener('pagehide', () => void flushAll(true));
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden') void flushAll(false);
});
bridge.onCloseRequest?.(async () => {
  await flushAll(false);
});

/** The desktop shell's own actions, or null in the browser build. */
export const desktopShell = (): NonNullable<Bridge['shell']> | null => window.pingcha?.shell ?? null;
