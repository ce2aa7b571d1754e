/**
 * Electron hardening, applied to every web contents the app creates: no navigation, no redirects,
 * no new windows, no webviews, no permissions, and no request ever leaves the app:// scheme.
 */
import { app, session, type WebContents, type WebPreferences } from 'electron';

export const APP_SCHEME = 'app';
export const APP_HOST = 'pingcha';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** True only for our own page (the top frame or a frame of it served from app://pingcha). */
export function isTrustedUrl(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/** The only web preferences any window of the app ever gets. */
export function hardenedWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    webviewTag: false,
    spellcheck: false,
    safeDialogs: true,
    // The app's scripts only change with a release: V8 stores their compiled code on the first start
    // (by default only once it has seen a script twice), so every later start skips compiling React
    // and pdf.js (the app scheme has the codeCache privilege for the same reason).
    v8CacheOptions: 'bypassHeatCheck',
  };
}

export function hardenSessions(preload: string): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  // Air-gapped: anything that is not our own scheme is cancelled before it is sent.
  ses.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isTrustedUrl(details.url) && !details.url.startsWith('devtools:') });
  });
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (url !== contents.getURL()) event.preventDefault();
    });
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    // Our own pages may open another window of the app (the meeting projector view), hardened the
    // same way; anything else is refused.
    contents.setWindowOpenHandler(({ url }) =>
      isTrustedUrl(url)
        ? {
            action: 'allow',
            overrideBrowserWindowOptions: {
              width: 1280,
              height: 800,
              backgroundColor: '#f5f6f8',
              webPreferences: hardenedWebPreferences(preload),
            },
          }
        : { action: 'deny' },
    );
  });
}
