/** Helpers for the signing tests: downloads through the real byte route, uploads through staging. */
import { randomUUID } from 'node:crypto';
import type { Backend } from '../../electron/services/backend.js';
import { DOCX_MIME } from '../../electron/services/core/downloads.js';
import { PDF_MIME } from '../../electron/services/letters/pdf-rendition/renditions.js';
import { docxVerification, stampDocx } from '../../electron/services/signing/docx-stamp.js';
import type { IssueResult } from '../../electron/services/signing/issuer.js';
import { stage, type client } from './backend.js';
import { fixtureDocx, opinionLetter } from './letter-fixture.js';

export async function downloadBytes(backend: Backend, url: string): Promise<Buffer> {
  const response = await backend.handleBytes(new Request(`http://127.0.0.1${url}`));
  if (!response || response.status !== 200) throw new Error(`download ${url} failed: ${response?.status}`);
  return Buffer.from(await response.arrayBuffer());
}

/** Uploads bytes and runs `trust:import` with them. */
export async function importIdentity(backend: Backend, c: ReturnType<typeof client>, bytes: Uint8Array) {
  return c.call('trust:import', { sourceId: await stage(backend, c, 'identity.json', bytes) });
}

/** Issues the fixture 意见书 through the real issuing engine (content, DOCX, PDF; issuer and co-signers by password). */
export async function issueFixtureLetter(
  backend: Backend,
  options: {
    issuer: { username: string; password: string };
    cosigners?: Array<{ username: string; password: string }>;
    supersedes?: string;
    useSeal?: boolean;
    id?: string;
  },
): Promise<IssueResult> {
  const { issuer, renditions } = backend.services.signing;
  const userId = (username: string): string =>
    backend.db.prepare('SELECT id FROM users WHERE username = ?').pluck().get(username) as string;
  const doc = opinionLetter();
  return issuer.issue({
    kind: 'letter',
    documentId: options.id ?? randomUUID(),
    subjectId: 'letter-1',
    title: doc.title,
    documentNumber: doc.head.documentNumber,
    unitName: doc.addressee,
    date: doc.signature.date,
    content: doc,
    contentName: '监督意见书.content.json',
    async render(ctx) {
      const docx = await stampDocx(
        await fixtureDocx(doc, await docxVerification(ctx)),
        { documentId: ctx.documentId, shortCode: ctx.shortCode, payload: ctx.payload },
        new Date(ctx.issuedAt),
      );
      const pdf = await renditions.render(doc, {
        charts: new Map(),
        verification: { payload: ctx.payload, shortCode: ctx.shortCode },
        seal: ctx.seal,
        documentId: ctx.documentId,
        createdAt: ctx.issuedAt,
      });
      return {
        outputs: [
          { role: 'docx', name: '监督意见书.docx', mediaType: DOCX_MIME, bytes: docx },
          { role: 'pdf', name: '监督意见书.pdf', mediaType: PDF_MIME, bytes: pdf.bytes },
        ],
        rendition: { pages: pdf.pages, seal: pdf.seal },
      };
    },
    issuerId: userId(options.issuer.username),
    issuerPassword: options.issuer.password,
    cosigners: (options.cosigners ?? []).map((c) => ({ userId: userId(c.username), password: c.password })),
    source: 'test',
    useSeal: options.useSeal ?? false,
    supersedes: options.supersedes ?? null,
    actorId: userId(options.issuer.username),
    freeze: () => undefined,
  });
}
