/** IPC channel names between the Electron preload and main (the contract's channels travel inside them). */
export const IPC_INVOKE = 'pingcha:invoke';
export const IPC_EVENT = 'pingcha:event';
