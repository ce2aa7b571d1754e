/**
 * The hand-off to a certified electronic-seal component (GB/T 38540 签章 with a key issued by the
 * government's seal system): which PDF to seal (by SM3 and SHA-256), where GB/T 9704 puts the seal,
 * and who signed the workstation's record. The sealed PDF such a tool returns is a new file; this
 * workstation's register keeps the rendition it issued.
 */
import { createHash } from 'node:crypto';
import { ZipFile } from 'yazl';
import type { SignedManifest } from '../../../shared/signing/manifest.js';
import type { RegisterRow } from './register.js';

export const HANDOFF_FORMAT = 'pingcha-signing-request/1';

export function handoffManifest(signed: SignedManifest, row: RegisterRow, pdfBytes?: Uint8Array) {
  const m = signed.manifest;
  const pdf = m.files.find((f) => f.role === 'pdf') ?? null;
  return {
    format: HANDOFF_FORMAT,
    purpose:
      '请使用依法设立的电子印章系统（GB/T 38540）对下列 PDF 文件加盖电子印章。本工作站的 SM2 签名仅用于证明签发记录和文件完整性，不是电子印章。',
    document: {
      id: m.id,
      title: row.title,
      documentNumber: row.document_number,
      unitName: row.unit_name,
      issuedAt: m.issuedAt,
      date: m.statement?.body.date ?? null,
      shortCode: row.short_code,
    },
    file: pdf
      ? {
          name: pdf.name,
          mediaType: pdf.mediaType,
          bytes: pdf.bytes,
          sm3: pdf.sm3,
          ...(pdfBytes ? { sha256: createHash('sha256').update(pdfBytes).digest('hex') } : {}),
        }
      : null,
    sealPosition: m.rendition
      ? {
          page: m.rendition.seal.page,
          pages: m.rendition.pages,
          centreFromTopLeftMm: { x: Math.round(m.rendition.seal.xMm * 10) / 10, y: Math.round(m.rendition.seal.yMm * 10) / 10 },
          diameterMm: m.rendition.seal.diameterMm,
          rule: 'GB/T 9704-2012 7.3.5.1：印章端正、居中下压发文机关署名和成文日期，印章顶端上距正文（或附件说明）一行之内。',
        }
      : null,
    signatures: signed.signatures.map((s) => ({
      role: s.role,
      name: s.name,
      unit: s.unit,
      fingerprint: s.fingerprint,
      signedAt: s.signedAt,
    })),
    manifest: signed,
  };
}

const README = (name: string): string =>
  [
    '交付认证签章系统的文件包',
    '',
    `1. ${name}：本工作站签发并冻结的打印版（PDF）。请用依法设立的电子印章系统对它加盖电子印章。`,
    '2. signing-request.json：签章请求——PDF 的 SM3/SHA-256 摘要、GB/T 9704 规定的盖章位置（页码、印章中心距页面左上角的毫米数、直径）。',
    '3. manifest.json：本工作站的签名清单（签发人、会签人的 SM2 签名及各文件摘要），可在任何信任签发人密钥的评查工作站离线核验。',
    '',
    '注意：加盖电子印章后的 PDF 是一个新文件，其摘要与本工作站登记的不同；本工作站的核验针对登记的打印版。',
    '',
  ].join('\r\n');

/** The hand-off package: the frozen PDF, the signing request and the signed manifest, in one ZIP. */
export async function handoffPackage(signed: SignedManifest, row: RegisterRow, pdf: { name: string; bytes: Uint8Array }): Promise<Buffer> {
  const at = new Date(signed.manifest.issuedAt);
  const zip = new ZipFile();
  const json = (v: unknown): Buffer => Buffer.from(`${JSON.stringify(v, null, 2)}\n`, 'utf8');
  zip.addBuffer(Buffer.from(pdf.bytes), pdf.name, { mtime: at, compress: false });
  zip.addBuffer(json(handoffManifest(signed, row, pdf.bytes)), 'signing-request.json', { mtime: at });
  zip.addBuffer(json(signed), 'manifest.json', { mtime: at });
  zip.addBuffer(Buffer.from(README(pdf.name), 'utf8'), '说明.txt', { mtime: at });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
