/**
 * The only bridge between the sandboxed page and the app: `invoke` for contract channels, `on` for
 * contract events, and `onCloseRequest` so the page can save pending work before its window closes.
 * Nothing else of Electron or Node is reachable from the page.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { isChannel, isEventName } from '../../shared/contract/index.js';
import { IPC_CLOSE_READY, IPC_CLOSE_REQUEST, IPC_EVENT, IPC_INVOKE, IPC_SHELL } from '../../shared/core/ipc.js';

contextBridge.exposeInMainWorld('pingcha', {
  invoke(channel: string, input: unknown): Promise<unknown> {
    if (!isChannel(channel)) return Promise.resolve({ ok: false, error: { code: 'invalid_input', message: `未知的接口：${channel}` } });
    return ipcRenderer.invoke(IPC_INVOKE, channel, input);
  },
  on(event: string, callback: (payload: unknown) => void): () => void {
    if (!isEventName(event)) throw new Error(`unknown event ${event}`);
    const listener = (_e: IpcRendererEvent, name: string, payload: unknown): void => {
      if (name === event) callback(payload);
    };
    ipcRenderer.on(IPC_EVENT, listener);
    return () => ipcRenderer.removeListener(IPC_EVENT, listener);
  },
  /** The desktop shell's folder dialog, 打开所在文件夹 for an export, and restarting after a restore. */
  shell: {
    chooseFolder: (title: string): Promise<unknown> => ipcRenderer.invoke(IPC_SHELL, 'chooseFolder', title),
    showItemInFolder: (file: string): Promise<unknown> => ipcRenderer.invoke(IPC_SHELL, 'showItemInFolder', file),
    relaunch: (): Promise<unknown> => ipcRenderer.invoke(IPC_SHELL, 'relaunch', null),
  },
  /** The window is closing: run the page's flush (pending saves), then tell the shell it may close. */
  onCloseRequest(handler: () => Promise<void>): void {
    ipcRenderer.removeAllListeners(IPC_CLOSE_REQUEST);
    ipcRenderer.on(IPC_CLOSE_REQUEST, () => {
      void Promise.resolve()
        .then(handler)
        .catch(() => undefined)
        .finally(() => ipcRenderer.send(IPC_CLOSE_READY));
    });
  },
});
