/**
 * Verification: a file (every byte, by SM3), a printed statement (QR text) or a short code, checked
 * against the register, the signed manifest and the trust list. Says "valid" only when every
 * signature verifies with a key this workstation trusts and, for a file, the bytes are exactly an
 * issued output; otherwise says why. Reads only — the command-line verifier runs it on a read-only
 * database.
 */
import { chineseDate } from '../../../shared/core/gbt9704.js';
import { canonicalJson } from '../../../shared/signing/canonical.js';
import { formatFingerprint } from '../../../shared/signing/fingerprint.js';
import { fileRoleLabel, type SignatureCheck, type VerificationReport, type VerifyStatus } from '../../../shared/signing/api.js';
import { SIGNER_ROLE_LABELS, SignedManifestSchema, type SignedManifest } from '../../../shared/signing/manifest.js';
import { DOCUMENT_ID_MARKER, decodePayload, parseShortCode, type Statement } from '../../../shared/signing/statement.js';
import { localToday } from '../core/context.js';
import { utf8 } from './identity.js';
import { Register, registeredManifest, type RegisterFileRow, type RegisterRow } from './register.js';
import { checkManifest, checkStatement, signaturesStatus as statusOf, type TrustLookup } from './signer.js';
import { sm3Hex, verifyBytes } from './sm2.js';

/** What the verifier reads from a register: a workstation's, or none on a PC without a workspace. */
export type RegisterLookup = Pick<Register, 'get' | 'byShortCode' | 'filesBySm3' | 'manifest'>;

/** No register and no trust list: a PC without a workspace checks a manifest with the keys inside it. */
export const NO_REGISTER: RegisterLookup = {
  get: () => null,
  byShortCode: () => null,
  filesBySm3: (): RegisterFileRow[] => [],
  manifest: registeredManifest,
};
export const NO_TRUST: TrustLookup = () => null;

/** Every signature verifies by its own key; all that is missing is a key not registered on this workstation. */
export const onlyTrustMissing = (status: VerifyStatus, signatures: SignatureCheck[]): boolean =>
  status === 'untrusted' &&
  signatures.some((s) => s.trust === null) &&
  signatures.every((s) => s.valid && (s.trust === null || !s.problem));

/** How far a signature counts here, as the command line and the 核验 screen say it. */
export function trustSentence(check: SignatureCheck): string {
  const key = `签名人公钥指纹 ${formatFingerprint(check.fingerprint)}`;
  if (!check.valid) return `签名无效；${key}`;
  if (check.trust === null) return `签名有效；${key}，本机未登记`;
  if (check.trust === 'trusted' && !check.problem) return `签名有效；${key}，已登记为本机信任的密钥`;
  if (check.trust === 'pending') return `签名有效；${key}，已导入本机但尚未确认信任`;
  return `签名有效；${key}：${check.problem ?? '已撤销'}`;
}

/** The document id an issued file carries (found even when other bytes were altered), or null. */
export function findDocumentId(bytes: Uint8Array): string | null {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const m = new RegExp(`${DOCUMENT_ID_MARKER}([0-9A-Za-z-]{8,100})`).exec(text);
  return m?.[1] ?? null;
}

/** The local calendar day of an instant, as 2025年3月5日. */
const localDay = (iso: string): string => chineseDate(localToday(new Date(iso)));

type DocInfo = NonNullable<VerificationReport['document']>;

function docFromRegister(row: RegisterRow, signed: SignedManifest): DocInfo {
  return {
    ...Register.summary(row),
    date: signed.manifest.statement?.body.date ?? null,
    supersededBy: row.superseded_by,
    inRegister: true,
  };
}

function docFromManifest(signed: SignedManifest, inRegister: boolean): DocInfo {
  const m = signed.manifest;
  return {
    id: m.id,
    kind: m.kind,
    title: m.subject.title ?? m.id,
    documentNumber: m.subject.documentNumber ?? null,
    unitName: m.subject.unitName ?? null,
    issuedAt: m.issuedAt,
    date: m.statement?.body.date ?? null,
    shortCode: null,
    supersededBy: null,
    inRegister,
  };
}

const issuerOf = (checks: SignatureCheck[]): SignatureCheck | undefined => checks.find((c) => c.role === 'issuer');
const whenOf = (doc: DocInfo): string => (doc.date ? chineseDate(doc.date) : localDay(doc.issuedAt));
const titleOf = (doc: DocInfo): string => `《${doc.title}》${doc.documentNumber ? `（${doc.documentNumber}）` : ''}`;

function signatureReasons(checks: SignatureCheck[]): string[] {
  return checks.filter((c) => c.problem).map((c) => `${SIGNER_ROLE_LABELS[c.role]}${c.name}：${c.problem}`);
}

function supersededNote(doc: DocInfo): string[] {
  return doc.supersededBy ? ['注意：本文书已被更正文书取代（原文书与更正文书均在登记簿中保留）。'] : [];
}

export class Verifier {
  constructor(
    private readonly register: RegisterLookup,
    private readonly trust: TrustLookup,
    /** false on a PC without a workspace: no register, no trust list; a manifest's own keys are all it has. */
    private readonly workspace = true,
  ) {}

  private report(
    status: VerifyStatus,
    headline: string,
    reasons: string[],
    scope: VerificationReport['scope'],
    document: DocInfo | null,
    file: VerificationReport['file'],
    signatures: SignatureCheck[],
  ): VerificationReport {
    return { status, headline, reasons, scope, document, file, signatures };
  }

  /** All checks of a signed manifest: every signature, and the printed statement against the content. */
  private checks(signed: SignedManifest): { checks: SignatureCheck[]; reasons: string[]; broken: boolean } {
    const checks = checkManifest(signed, this.trust);
    const reasons: string[] = [];
    let broken = false;
    const st = signed.manifest.statement;
    if (st) {
      const issuer = signed.signatures.find((s) => s.role === 'issuer');
      const printed = checkStatement(st.body, st.signature, signed.manifest.issuedAt, this.trust);
      const content = signed.manifest.files.find((f) => f.role === 'content');
      // With the signer's key not on the trust list, the key the manifest carries checks the printed signature.
      const printedBroken =
        printed.trust !== null
          ? !printed.valid
          : !!issuer && issuer.fingerprint === st.body.signer && !verifyBytes(utf8(canonicalJson(st.body)), st.signature, issuer.publicKey);
      if (printedBroken) reasons.push('印在文书上的核验信息（二维码）签名无效。');
      if (issuer && st.body.signer !== issuer.fingerprint) reasons.push('二维码中的签发人与签名清单中的签发人不一致。');
      if (content && st.body.content !== content.sm3) reasons.push('二维码中的内容摘要与签名清单中的不一致。');
      broken = reasons.length > 0;
    }
    return { checks, reasons, broken };
  }

  /** A whole signed document: headline and status from its signatures. */
  private judge(
    signed: SignedManifest,
    doc: DocInfo,
    scope: VerificationReport['scope'],
    file: VerificationReport['file'],
    lead: string,
  ): VerificationReport {
    const { checks, reasons, broken } = this.checks(signed);
    if (broken) return this.report('bad_signature', `${titleOf(doc)}的签名信息不一致，不能认定为原件。`, reasons, scope, doc, file, checks);
    const status = statusOf(checks);
    const issuer = issuerOf(checks);
    const who = issuer ? `${issuer.unit}${issuer.name}` : '签发人';
    if (status === 'valid') {
      const n = checks.length;
      return this.report(
        'valid',
        `${lead}由${who}于${whenOf(doc)}签发，${scope === 'file' ? '文件未被改动，' : ''}${n > 1 ? `${n}个签名均有效` : '签名有效'}。`,
        supersededNote(doc),
        scope,
        doc,
        file,
        checks,
      );
    }
    if (!this.workspace && onlyTrustMissing(status, checks)) {
      return this.report(
        status,
        `${titleOf(doc)}：${scope === 'file' ? '文件与签名清单一致，' : ''}${checks.length > 1 ? `${checks.length}个签名均有效` : '签名有效'}；签名人的公钥本机未登记，只能确认文件出自持有该密钥的人，请与签发人核对公钥指纹。`,
        [
          '只能确认文件出自持有下列密钥的人；要认定签发人身份，请与签发人当面或电话核对公钥指纹，或在评查工作站导入其身份文件并由组织者确认信任。',
          ...supersededNote(doc),
        ],
        scope,
        doc,
        file,
        checks,
      );
    }
    const headline =
      status === 'revoked'
        ? `${titleOf(doc)}的签名密钥已被撤销，不能认定为有效。`
        : status === 'bad_signature'
          ? `${titleOf(doc)}的签名无效。`
          : `${titleOf(doc)}的签名人未获本工作站信任，无法认定。`;
    return this.report(status, headline, [...signatureReasons(checks), ...supersededNote(doc)], scope, doc, file, checks);
  }

  /** Checks a file (PDF, DOCX or any issued output), optionally with the signing manifest it came with. */
  verifyFile(name: string, bytes: Uint8Array, manifestBytes?: Uint8Array): VerificationReport {
    const sm3 = sm3Hex(bytes);
    let external: SignedManifest | null = null;
    if (manifestBytes) {
      try {
        external = SignedManifestSchema.parse(JSON.parse(Buffer.from(manifestBytes).toString('utf8')));
      } catch {
        return this.report(
          'unreadable',
          '签名清单无法读取。',
          ['所附签名清单不是评查工作站导出的签名清单，或已损坏。'],
          'file',
          null,
          null,
          [],
        );
      }
    }
    const fileOf = (matches: string | null, expected: Array<{ role: string; sm3: string; bytes: number }>): VerificationReport['file'] => ({
      name,
      bytes: bytes.length,
      sm3,
      matches,
      expected,
    });

    const hit = this.register.filesBySm3(sm3)[0];
    if (hit) {
      const row = this.register.get(hit.document_id)!;
      const signed = this.register.manifest(row);
      const listed = signed.manifest.files.find((f) => f.role === hit.role && f.sm3 === sm3);
      const doc = docFromRegister(row, signed);
      const expected = signed.manifest.files.map((f) => ({ role: f.role, sm3: f.sm3, bytes: f.bytes }));
      if (!listed)
        return this.report(
          'altered',
          '登记簿记录与签名清单不一致，不能认定。',
          ['登记簿中该文件的摘要不在已签名的清单中：登记簿可能被改动。'],
          'file',
          doc,
          fileOf(null, expected),
          [],
        );
      return this.judge(signed, doc, 'file', fileOf(hit.role, expected), '');
    }
    if (external) {
      const listed = external.manifest.files.find((f) => f.sm3 === sm3);
      const inRegister = !!this.register.get(external.manifest.id);
      const expected = external.manifest.files.map((f) => ({ role: f.role, sm3: f.sm3, bytes: f.bytes }));
      const doc = docFromManifest(external, inRegister);
      if (listed) return this.judge(external, doc, 'file', fileOf(listed.role, expected), '');
      return this.report(
        'altered',
        `文件与签名清单中${titleOf(doc)}的任何一个文件都不一致：文件在签发后被改动过，或不是该文书。`,
        [`文件的 SM3 摘要为 ${sm3}，与清单中各文件的摘要均不相同。`],
        'file',
        doc,
        fileOf(null, expected),
        [],
      );
    }
    const claimed = findDocumentId(bytes);
    const row = claimed ? this.register.get(claimed) : null;
    if (row) {
      const signed = this.register.manifest(row);
      const doc = docFromRegister(row, signed);
      const expected = signed.manifest.files.map((f) => ({ role: f.role, sm3: f.sm3, bytes: f.bytes }));
      return this.report(
        'altered',
        `文件已被改动：它自称是${titleOf(doc)}，但与签发时登记的文件不一致。`,
        [
          `文件的 SM3 摘要为 ${sm3}，与登记的${expected.map((e) => fileRoleLabel(e.role)).join('、')}文件均不相同（哪怕只改动一个字节，摘要也会完全不同）。`,
        ],
        'file',
        doc,
        fileOf(null, expected),
        [],
      );
    }
    return this.report(
      'not_registered',
      '本工作站的签发登记簿中没有这个文件。',
      [
        claimed
          ? '文件带有签发文书的标记，但该文书不在本工作站的登记簿中：请同时打开签发时导出的签名清单（.manifest.json）核验。'
          : '文件不是本系统签发的文书，或已被改动到无法识别。如有签发时导出的签名清单，请一并打开核验。',
      ],
      'file',
      null,
      fileOf(null, []),
      [],
    );
  }

  /** Checks scanned or pasted QR text, or a typed short code. */
  verifyText(text: string): VerificationReport {
    const decoded = decodePayload(text);
    if (decoded.ok) return this.verifyStatement(decoded.statement, decoded.signature, text.trim().slice(text.trim().indexOf('PCV1|')));
    const code = parseShortCode(text);
    if (code) {
      const row = this.register.byShortCode(code);
      if (!row)
        return this.report(
          'not_registered',
          `核验码 ${code} 不在本工作站的签发登记簿中。`,
          ['请核对核验码，或扫描文书上的二维码（二维码可在任何信任签发人的工作站离线核验）。'],
          'register',
          null,
          null,
          [],
        );
      const signed = this.register.manifest(row);
      return this.judge(
        signed,
        docFromRegister(row, signed),
        'register',
        null,
        `登记簿中有此文书：${titleOf(docFromRegister(row, signed))}，`,
      );
    }
    if (!/PCV1/.test(text))
      return this.report(
        'unreadable',
        '无法识别输入的内容。',
        ['请粘贴或扫描文书上二维码的完整内容（以 PCV1| 开头），或输入 16 位核验码。'],
        'statement',
        null,
        null,
        [],
      );
    return this.report('unreadable', '二维码内容无法解读。', [decoded.reason], 'statement', null, null, []);
  }

  private verifyStatement(statement: Statement, signature: string, payload: string): VerificationReport {
    const row = this.register.get(statement.id);
    if (row) {
      const signed = this.register.manifest(row);
      const doc = docFromRegister(row, signed);
      if (row.payload !== payload) {
        return this.report(
          'altered',
          `二维码内容与登记簿中${titleOf(doc)}的记录不一致：二维码被改动过，或来自另一份文书。`,
          ['二维码中的文号、日期、内容摘要或签名与签发时登记的不同。'],
          'statement',
          doc,
          null,
          [checkStatement(statement, signature, row.issued_at, this.trust)],
        );
      }
      return this.judge(signed, doc, 'statement', null, `二维码与登记簿一致：${titleOf(doc)}`);
    }
    // Not issued here: the signature alone shows who issued what, if this workstation trusts the key.
    const check = checkStatement(statement, signature, null, this.trust);
    const doc: DocInfo = {
      id: statement.id,
      kind: 'letter',
      title: statement.documentNumber ?? statement.id,
      documentNumber: statement.documentNumber,
      unitName: null,
      issuedAt: statement.date,
      date: statement.date,
      shortCode: null,
      supersededBy: null,
      inRegister: false,
    };
    const status = statusOf([check]);
    const note =
      '本工作站登记簿中没有该文书，只能确认二维码中的签发信息是真实的；要核验文件本身是否被改动，请用签发时导出的签名清单核验文件。';
    if (status === 'valid')
      return this.report(
        'valid',
        `二维码签名有效：${statement.documentNumber ?? '该文书'}由${check.unit}${check.name}于${chineseDate(statement.date)}签发。`,
        [note],
        'statement',
        doc,
        null,
        [check],
      );
    return this.report(
      status,
      status === 'untrusted' ? '二维码的签名人未获本工作站信任，无法认定。' : '二维码的签名无效。',
      signatureReasons([check]),
      'statement',
      doc,
      null,
      [check],
    );
  }
}
