/**
 * The statement printed on an issued letter as a QR code and a short code: the letter's id, 文号,
 * date, the SM3 digest of its frozen content and the issuer's key fingerprint, with the issuer's SM2
 * signature. It cannot carry the digest of the PDF it is printed on (that would be circular): the
 * files' digests are in the signed manifest and the register; the statement binds the content.
 */
import { z } from 'zod';
import { base64urlToBytes, bytesToBase64url, bytesToHex, crockfordBase32, hexToBytes, normaliseCrockford } from './encoding.js';

export const StatementSchema = z.strictObject({
  v: z.literal(1),
  id: z.string().min(1).max(100),
  /** 成文日期 (YYYY-MM-DD). */
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  documentNumber: z.string().max(60).nullable(),
  /** SM3 of the canonical JSON of the frozen content. */
  content: z.string().regex(/^[0-9a-f]{64}$/),
  /** SM3 fingerprint of the issuer's public key. */
  signer: z.string().regex(/^[0-9a-f]{64}$/),
});
export type Statement = z.infer<typeof StatementSchema>;

/**
 * Marker of an issued document's id inside its files (the PDF information dictionary, the DOCX custom
 * properties), stored uncompressed so a verifier finds it even in a copy altered elsewhere.
 */
export const DOCUMENT_ID_MARKER = 'PCDOC-ID:';

export const PAYLOAD_PREFIX = 'PCV1';
const SEP = '|';
const escapeField = (s: string): string => s.replace(/%/g, '%25').replace(/\|/g, '%7C');
const unescapeField = (s: string): string => s.replace(/%7C/gi, '|').replace(/%25/g, '%');

/**
 * The QR text: `PCV1|id|YYYYMMDD|文号|content|signer|signature`, digests and the DER signature in
 * base64url. Plain text on purpose: a phone or a USB scanner shows or types it, nothing opens a link.
 */
export function encodePayload(statement: Statement, signatureHex: string): string {
  return [
    PAYLOAD_PREFIX,
    escapeField(statement.id),
    statement.date.replace(/-/g, ''),
    escapeField(statement.documentNumber ?? ''),
    bytesToBase64url(hexToBytes(statement.content)),
    bytesToBase64url(hexToBytes(statement.signer)),
    bytesToBase64url(hexToBytes(signatureHex)),
  ].join(SEP);
}

export type DecodedPayload = { ok: true; statement: Statement; signature: string } | { ok: false; reason: string };

export function decodePayload(text: string): DecodedPayload {
  const trimmed = text.trim();
  const start = trimmed.indexOf(`${PAYLOAD_PREFIX}${SEP}`);
  if (start < 0) return { ok: false, reason: '不是本系统的核验二维码内容（应以 PCV1| 开头）。' };
  const parts = trimmed.slice(start).split(SEP);
  if (parts.length !== 7) return { ok: false, reason: `核验内容不完整：应有 7 段，实有 ${parts.length} 段（可能扫描不全）。` };
  const [, id, date, number, content, signer, signature] = parts as [string, string, string, string, string, string, string];
  try {
    if (!/^\d{8}$/.test(date)) throw new Error('date');
    const contentBytes = base64urlToBytes(content);
    const signerBytes = base64urlToBytes(signer);
    const sigBytes = base64urlToBytes(signature);
    if (contentBytes.length !== 32 || signerBytes.length !== 32 || sigBytes.length < 8 || sigBytes[0] !== 0x30) throw new Error('length');
    const statement = StatementSchema.parse({
      v: 1,
      id: unescapeField(id),
      date: `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}`,
      documentNumber: number ? unescapeField(number) : null,
      content: bytesToHex(contentBytes),
      signer: bytesToHex(signerBytes),
    });
    return { ok: true, statement, signature: bytesToHex(sigBytes) };
  } catch {
    return { ok: false, reason: '核验内容已损坏或被改动，无法解读（请重新扫描或完整粘贴）。' };
  }
}

/** Short code digits (16 Crockford base32 characters = 80 bits of the statement signature's SM3). */
export const SHORT_CODE_CHARS = 16;

/** `7K3M-Q9XD-2HFA-PW8C` from the SM3 digest (hex) of the payload. */
export function shortCodeFrom(payloadSm3Hex: string): string {
  const raw = crockfordBase32(hexToBytes(payloadSm3Hex), SHORT_CODE_CHARS);
  return raw.match(/.{4}/g)!.join('-');
}

/** A typed or scanned short code in its stored form, or null when it cannot be one. */
export function parseShortCode(text: string): string | null {
  const n = normaliseCrockford(text);
  if (!/^[0-9A-HJKMNP-TV-Z]{16}$/.test(n)) return null;
  return n.match(/.{4}/g)!.join('-');
}
