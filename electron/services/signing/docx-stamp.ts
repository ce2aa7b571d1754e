/**
 * Writes an issued document's id, short code and QR text into a DOCX's custom properties (Word:
 * 文件 › 属性 › 自定义), stored uncompressed so a verifier can find the id even in a copy whose other
 * bytes were altered. Every other part is copied unchanged. `docxVerification` gives the printed
 * verification block (QR code and short code) the letter template draws under 署名 and date.
 */
import QRCode from 'qrcode';
import yauzl from 'yauzl';
import { ZipFile } from 'yazl';
import { DOCUMENT_ID_MARKER } from '../../../shared/signing/statement.js';
import type { DocxVerification } from '../letters/index.js';

const CUSTOM = 'docProps/custom.xml';
const FMTID = '{D5CDD505-2E9C-101B-9397-08002B2CF9AE}';
const MAX_TOTAL = 200 * 1024 * 1024;

const xml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function customXml(props: Record<string, string>): string {
  const items = Object.entries(props).map(
    ([name, value], i) => `<property fmtid="${FMTID}" pid="${i + 2}" name="${xml(name)}"><vt:lpwstr>${xml(value)}</vt:lpwstr></property>`,
  );
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">${items.join('')}</Properties>`;
}

function readEntries(bytes: Uint8Array): Promise<Array<{ name: string; data: Buffer }>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(Buffer.from(bytes), { lazyEntries: true, decodeStrings: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('not a zip'));
      const out: Array<{ name: string; data: Buffer }> = [];
      let total = 0;
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        total += entry.uncompressedSize;
        if (total > MAX_TOTAL) return reject(new Error('DOCX too large'));
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error('unreadable entry'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', reject);
          stream.on('end', () => {
            out.push({ name: entry.fileName, data: Buffer.concat(chunks) });
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

/** The DOCX with the issued document's marks in its custom properties; `at` dates every entry (same input, same bytes). */
export async function stampDocx(
  bytes: Uint8Array,
  marks: { documentId: string; shortCode: string; payload: string },
  at: Date,
): Promise<Uint8Array> {
  const entries = await readEntries(bytes);
  if (!entries.some((e) => e.name === CUSTOM)) throw new Error(`the DOCX has no ${CUSTOM}`);
  const zip = new ZipFile();
  for (const e of entries) {
    if (e.name === CUSTOM) {
      const data = Buffer.from(
        customXml({
          PingchaDocumentId: `${DOCUMENT_ID_MARKER}${marks.documentId}`,
          PingchaVerificationCode: marks.shortCode,
          PingchaVerificationPayload: marks.payload,
        }),
        'utf8',
      );
      zip.addBuffer(data, e.name, { compress: false, mtime: at });
    } else zip.addBuffer(e.data, e.name, { compress: true, mtime: at });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** The visible verification block of an issued DOCX: the QR code (PNG, quiet zone included) and the short code. */
export async function docxVerification(marks: { payload: string; shortCode: string; seal: Uint8Array | null }): Promise<DocxVerification> {
  const qrPng = await QRCode.toBuffer(marks.payload, { errorCorrectionLevel: 'M', margin: 2, scale: 8, type: 'png' });
  return { mark: { payload: marks.payload, shortCode: marks.shortCode }, qrPng, sealUsed: marks.seal !== null };
}
