/**
 * Opening the app straight on a case (a reload, a bookmark): the file to show is asked for and
 * starts loading during start-up — alongside the login check and the first render instead of after
 * them. The case screen then takes what was started, or asks again if it failed (nobody logged in
 * yet) or concerns another file.
 */
import { invoke } from '../api/client';
import { pdfWorker, preloadDocument } from '../pdf/pdfjs';

/** Where the case screen remembers the file last read in a case (a JSON string, as preferences are). */
export const lastDocumentKey = (caseId: string): string => `pc:lastDocument:${caseId}`;

let started: Promise<{ documentId: string; url: string } | null> | null = null;

function lastDocument(caseId: string): string | null {
  try {
    const raw = localStorage.getItem(lastDocumentKey(caseId));
    return raw ? (JSON.parse(raw) as string | null) : null;
  } catch {
    return null;
  }
}

export function preloadFromLocation(hash: string): void {
  const m = /^#\/case\/([^/?]+)(?:\?(.*))?$/.exec(hash);
  if (!m) return;
  pdfWorker();
  const caseId = decodeURIComponent(m[1]!);
  const known = new URLSearchParams(m[2] ?? '').get('doc') ?? lastDocument(caseId);
  const documentId = known ? Promise.resolve(known) : invoke('case:get', { caseId }).then((k) => k.documents[0]?.id ?? null);
  started = documentId
    .then(async (id) => {
      if (!id) return null;
      const { url } = await invoke('document:open', { documentId: id });
      preloadDocument(url);
      return { documentId: id, url };
    })
    .catch(() => null);
}

/** What start-up began for this file (once), or null. */
export async function takePreloaded(documentId: string): Promise<{ url: string } | null> {
  const early = started;
  started = null;
  const r = early ? await early : null;
  return r && r.documentId === documentId ? { url: r.url } : null;
}
