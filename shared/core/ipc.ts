/** IPC channel names between the Electron preload and main (the contract's channels travel inside them). */
export const IPC_INVOKE = 'pingcha:invoke';
export const IPC_EVENT = 'pingcha:event';
/** Main → page: the window is about to close; page → main: pending work is saved, close now. */
export const IPC_CLOSE_REQUEST = 'pingcha:close-request';
export const IPC_CLOSE_READY = 'pingcha:close-ready';
/** Page → main: the few things only the desktop shell can do (a folder dialog, show a file, restart). */
export const IPC_SHELL = 'pingcha:shell';
/** How long the shell waits for the page before closing anyway. */
export const CLOSE_FLUSH_TIMEOUT_MS = 4000;
