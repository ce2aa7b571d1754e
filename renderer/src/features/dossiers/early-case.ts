/**
 * The first module the page evaluates (main.tsx imports it before anything else), kept free of heavy
 * imports on purpose: when the app opens straight on a case (a reload, a bookmark), it starts pdf.js's
 * worker and asks for the file to show before pdf.js, React and the screens are even evaluated, so
 * the worker boots and the file starts loading while the rest of start-up runs; the case screen then
 * takes what was started (`takeEarlyDocument`, and pdfjs.ts `loadDocument`).
 */
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import { invoke } from '../../api/client';
import { EarlyAnswer } from '../../api/early-answer';

/** Where the case screen remembers the file last read in a case (a JSON string, as preferences are). */
export const lastDocumentKey = (caseId: string): string => `pc:lastDocument:${caseId}`;

function lastDocument(caseId: string): string | null {
  try {
    const raw = localStorage.getItem(lastDocumentKey(caseId));
    return raw ? (JSON.parse(raw) as string | null) : null;
  } catch {
    return null;
  }
}

const onCase = /^#\/case\/([^/?]+)(?:\?(.*))?$/.exec(window.location.hash);

/** pdf.js's worker, already loading (pdfjs.ts hands it to pdf.js as the worker's port). */
export const earlyWorker: Worker | null = onCase ? new Worker(workerUrl, { type: 'module' }) : null;

/**
 * Files up to this size are read whole, in one request, as soon as their capability URL is known:
 * their bytes go to pdf.js's worker with its first message, instead of the worker asking for them in
 * several rounds through the main thread, which is busy evaluating and rendering the app meanwhile.
 * Bigger scans are read in ranges as usual (pdfjs.ts documentOptions): a 300 MB file is never held whole.
 */
const WHOLE_FILE_LIMIT = 16 * 1024 * 1024;

/**
 * The file the case screen will open and its capability URL, or null (not on a case, nobody logged in
 * yet, no file): the screen then asks again itself. Settles once pdf.js has been handed the file, so
 * the viewer always finds the loading task start-up began.
 */
let earlyDocument: EarlyAnswer<{ documentId: string; url: string } | null> | null = null;

/**
 * pdf.js, imported at once on a case and settled once it has been evaluated: main.tsx evaluates the
 * app after it, so that pdf.js is not evaluated inside the app's one long task and can hand the file
 * to its worker the moment the file is here, whatever the app is doing then.
 */
export let earlyPdfjs: Promise<unknown> = Promise.resolve();

if (onCase) {
  const caseId = decodeURIComponent(onCase[1]!);
  const known = new URLSearchParams(onCase[2] ?? '').get('doc') ?? lastDocument(caseId);
  const documentId = known ? Promise.resolve(known) : invoke('case:get', { caseId }).then((k) => k.documents[0]?.id ?? null);
  const opened = documentId
    .then(async (id) => {
      if (!id) return null;
      const r = await invoke('document:open', { documentId: id });
      return { documentId: id, url: r.url, size: r.document.size };
    })
    .catch(() => null);
  const bytes = opened
    .then(async (r) => {
      if (!r || r.size > WHOLE_FILE_LIMIT) return undefined;
      const response = await fetch(r.url);
      return response.ok ? new Uint8Array(await response.arrayBuffer()) : undefined;
    })
    .catch(() => undefined);
  // pdf.js is a chunk of its own, asked for now; the file goes to its worker as soon as both are here.
  const pdfjs = import('./pdf/pdfjs');
  earlyPdfjs = pdfjs.catch(() => undefined);
  earlyDocument = new EarlyAnswer(
    Promise.all([opened, bytes, pdfjs]).then(
      ([r, data, m]) => {
        if (r) m.preloadDocument(r.url, data);
        return r && { documentId: r.documentId, url: r.url };
      },
      () => null,
    ),
  );
}

/** What start-up began for this file (handed out once), or null. */
export async function takeEarlyDocument(documentId: string): Promise<{ url: string } | null> {
  const early = earlyDocument?.take();
  const r = early ? await early : null;
  return r && r.documentId === documentId ? { url: r.url } : null;
}

/**
 * The same, at once, when start-up has already handed the file to pdf.js (as it usually has by the
 * time the app renders), so the case screen shows the viewer in its very first render. A peek, so a
 * render may call it: the screen calls forgetEarlyDocument once it shows the file.
 */
export function startedDocument(documentId: string): { url: string } | null {
  const r = earlyDocument?.peek();
  return r && r.documentId === documentId ? { url: r.url } : null;
}

/** Start-up's file has been taken (or is not wanted): later screens ask for their own. */
export function forgetEarlyDocument(): void {
  earlyDocument?.forget();
}
