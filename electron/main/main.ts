/**
 * The Electron shell: one hardened window over the same back end the loopback host uses. It owns no
 * feature of its own — it binds the dispatcher to IPC, byte routes and the UI to the app:// scheme.
 */
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, shell, type IpcMainEvent, type IpcMainInvokeEvent } from 'electron';
import { EVENT_NAMES } from '../../shared/contract/index.js';
import { AppError } from '../../shared/core/errors.js';
import { CLOSE_FLUSH_TIMEOUT_MS, IPC_CLOSE_READY, IPC_CLOSE_REQUEST, IPC_EVENT, IPC_INVOKE, IPC_SHELL } from '../../shared/core/ipc.js';
import { findAppRoot, readAppVersion } from '../services/core/app-root.js';
import { createBackend, APP_NAME, WORKSTATION_BACKGROUND, type Backend } from '../services/backend.js';
import { resolveDataDir } from '../services/core/data-dir.js';
import { SECURITY_HEADERS } from '../transport/csp.js';
import { serveStatic } from '../transport/static-files.js';
import { APP_HOST, APP_ORIGIN, APP_SCHEME, hardenedWebPreferences, hardenSessions, isTrustedUrl } from './security.js';

// Chromium's own UI (file pickers, date fields, context menus) in Chinese whatever language the OS is
// installed in: the app is Chinese only. Must be set before the app is ready.
app.commandLine.appendSwitch('lang', 'zh-CN');

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true } },
]);

if (!app.requestSingleInstanceLock()) app.quit();

let backend: Backend | null = null;
const root = findAppRoot();
const resourcesDir = app.isPackaged ? path.join(process.resourcesPath, 'resources') : path.join(root, 'resources');
const rendererDir = path.join(root, 'build', 'renderer');
const preloadPath = path.join(root, 'build', 'preload', 'preload.cjs');

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1600,
    height: 1000,
    minWidth: 1024,
    minHeight: 700,
    title: APP_NAME,
    show: false,
    backgroundColor: '#f5f6f8',
    webPreferences: hardenedWebPreferences(preloadPath),
  });
  track(win);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${APP_ORIGIN}/`);
  return win;
}

/** Ties a window's life to its client id, and lets windows it opens share its login. */
function track(win: BrowserWindow): void {
  const clientId = `wc:${win.webContents.id}`;
  win.webContents.on('destroyed', () => backend?.disconnect(clientId));
  askPageBeforeClosing(win);
  win.webContents.on('did-create-window', (child) => {
    backend?.shareLogin(clientId, `wc:${child.webContents.id}`);
    track(child);
  });
}

/**
 * Closing the window first asks the page to flush what it has not saved yet (annotations marked a
 * moment ago); the window closes when the page answers, or after a bounded wait.
 */
function askPageBeforeClosing(win: BrowserWindow): void {
  let mayClose = false;
  win.on('close', (event) => {
    if (mayClose || win.webContents.isCrashed() || !isTrustedUrl(win.webContents.getURL())) return;
    event.preventDefault();
    const close = (): void => {
      if (mayClose) return;
      mayClose = true;
      clearTimeout(timer);
      ipcMain.removeListener(IPC_CLOSE_READY, onReady);
      if (!win.isDestroyed()) win.close();
    };
    const onReady = (e: IpcMainEvent): void => {
      if (e.sender === win.webContents) close();
    };
    const timer = setTimeout(close, CLOSE_FLUSH_TIMEOUT_MS);
    ipcMain.on(IPC_CLOSE_READY, onReady);
    win.webContents.send(IPC_CLOSE_REQUEST);
  });
}

function senderIsTrusted(event: IpcMainInvokeEvent): boolean {
  return isTrustedUrl(event.senderFrame?.url);
}

app
  .whenReady()
  .then(() => {
    hardenSessions(preloadPath);
    Menu.setApplicationMenu(null);
    backend = createBackend({
      dataDir: resolveDataDir(process.argv),
      resourcesDir,
      appVersion: readAppVersion(root),
      ...WORKSTATION_BACKGROUND,
    });
    const be = backend;

    protocol.handle(APP_SCHEME, async (request) => {
      if (new URL(request.url).host !== APP_HOST) return new Response('Not found', { status: 404 });
      const bytes = await be.handleBytes(request);
      if (bytes) {
        for (const [k, v] of Object.entries(SECURITY_HEADERS)) if (!bytes.headers.has(k)) bytes.headers.set(k, v);
        return bytes;
      }
      return serveStatic(rendererDir, request);
    });

    ipcMain.handle(IPC_INVOKE, (event, channel: unknown, input: unknown) => {
      if (!senderIsTrusted(event)) return { ok: false, error: { code: 'forbidden', message: '拒绝来自未知页面的请求。' } };
      return be.dispatch(channel, input, `wc:${event.sender.id}`);
    });

    // Only what the page cannot do itself: pick a folder (backup/restore), show an export in its
    // folder (only files under the workstation's exports), restart after a restore is prepared.
    ipcMain.handle(IPC_SHELL, async (event, action: unknown, arg: unknown) => {
      if (!senderIsTrusted(event)) return null;
      const win = BrowserWindow.fromWebContents(event.sender);
      if (action === 'chooseFolder' && win) {
        const chosen = await dialog.showOpenDialog(win, {
          title: typeof arg === 'string' ? arg.slice(0, 100) : '选择文件夹',
          properties: ['openDirectory', 'createDirectory'],
        });
        return chosen.canceled ? null : (chosen.filePaths[0] ?? null);
      }
      if (action === 'showItemInFolder' && typeof arg === 'string') {
        const file = path.resolve(arg);
        if (file.startsWith(path.resolve(be.layout.exports) + path.sep)) shell.showItemInFolder(file);
        return null;
      }
      if (action === 'relaunch') {
        app.relaunch();
        // Closing the windows first lets each page save what is pending (the close request).
        for (const w of BrowserWindow.getAllWindows()) w.close();
        app.quit();
      }
      return null;
    });

    be.events.subscribe((name, payload) => {
      if (!EVENT_NAMES.includes(name)) return;
      for (const win of BrowserWindow.getAllWindows()) {
        if (isTrustedUrl(win.webContents.getURL())) win.webContents.send(IPC_EVENT, name, payload);
      }
    });

    createWindow();
    app.on('second-instance', () => {
      const win = BrowserWindow.getAllWindows()[0];
      if (win) {
        if (win.isMinimized()) win.restore();
        win.focus();
      }
    });
  })
  .catch((err: unknown) => {
    // Without this a failed start-up (read-only or full data folder, newer database) shows no window at all.
    const message = err instanceof AppError ? err.message : `程序启动时出错：${(err as Error)?.message ?? String(err)}`;
    dialog.showErrorBox('案卷评查工作站无法启动', message);
    backend?.close();
    backend = null;
    app.exit(1);
  });

app.on('window-all-closed', () => {
  backend?.close();
  backend = null;
  app.quit();
});
