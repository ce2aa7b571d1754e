/**
 * The first module the page evaluates (main.tsx imports it before anything else), kept free of heavy
 * imports on purpose: when the app opens straight on a case (a reload, a bookmark), it starts pdf.js's
 * worker and asks for the file to show before pdf.js, React and the screens are even evaluated, so
 * the worker boots and the file starts loading while the rest of start-up runs; the case screen then
 * takes what was started (`takeEarlyDocument`, and pdfjs.ts `loadDocument`).
 */
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import { invoke } from '../api/client';

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
 * The file the case screen will open and its capability URL, or null (not on a case, nobody logged in
 * yet, no file): the screen then asks again itself.
 */
export let earlyDocument: Promise<{ documentId: string; url: string } | null> | null = null;
if (onCase) {
  const caseId = decodeURIComponent(onCase[1]!);
  const known = new URLSearchParams(onCase[2] ?? '').get('doc') ?? lastDocument(caseId);
  const documentId = known ? Promise.resolve(known) : invoke('case:get', { caseId }).then((k) => k.documents[0]?.id ?? null);
  earlyDocument = documentId
    .then(async (id) => (id ? { documentId: id, url: (await invoke('document:open', { documentId: id })).url } : null))
    .catch(() => null);
  // pdf.js is a chunk of its own: fetched, compiled and loading the file (and its first page) while
  // the app's chunk is still on its way.
  void earlyDocument.then(async (r) => {
    if (r) (await import('../pdf/pdfjs')).preloadDocument(r.url);
  });
}

/** What start-up began for this file (handed out once), or null. */
export async function takeEarlyDocument(documentId: string): Promise<{ url: string } | null> {
  const early = earlyDocument;
  earlyDocument = null;
  const r = early ? await early : null;
  return r && r.documentId === documentId ? { url: r.url } : null;
}
