/**
 * What signing keeps in the database besides the register and the trust list (register.ts and
 * trust.ts, which the command-line verifier also reads on a read-only copy): each person's signing
 * keys, the 印章 image, and a letter's way from 核对定稿 to 签发. Statements are prepared once per
 * database (the signing services share them) and named for what they answer; JSON cells are read
 * through their schema (a damaged sealed key names its fingerprint instead of failing deep in SM2).
 */
import { z } from 'zod';
import type { ChannelOutput } from '../../../shared/contract/index.js';
import type { LetterKind } from '../../../shared/letters/document.js';
import type { Actor } from '../core/context.js';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../core/db/database.js';
import { perDatabase } from '../core/db/per-database.js';
import { parseJsonColumn } from '../core/db/json-column.js';
import type { SealedKey } from './sm2.js';

/** A private key sealed under its holder's password (scrypt + AES-256-GCM), as stored and backed up. */
export const SealedKeySchema = z.strictObject({
  v: z.literal(1),
  kdf: z.literal('scrypt'),
  N: z.number().int(),
  r: z.number().int(),
  p: z.number().int(),
  salt: z.string(),
  cipher: z.literal('aes-256-gcm'),
  iv: z.string(),
  tag: z.string(),
  data: z.string(),
});

export interface KeyRow {
  fingerprint: string;
  user_id: string;
  public_key: string;
  sealed_private_key: string;
  identity_json: string;
  valid_from: string;
  valid_to: string;
  status: 'active' | 'retired';
  created_at: string;
}

/** A key holder's account as signing reads it. */
export interface HolderRow {
  id: string;
  username: string;
  display_name: string;
  role: Actor['role'];
  affiliation: string;
  password_hash: string;
}

export interface SealRow {
  id: string;
  sha256: string;
  file_name: string;
  width_px: number;
  height_px: number;
  uploaded_at: string;
  uploaded_by_name: string | null;
}

export interface LetterRow {
  id: string;
  campaign_id: string;
  unit_id: string | null;
  kind: LetterKind;
  status: 'draft' | 'checked' | 'issued';
  document_number: string | null;
  checked_at: string | null;
  checked_by_name: string | null;
  checked_content_json: string | null;
  issued_by_name: string | null;
  signed_document_id: string | null;
}

export interface ReservedNumberRow {
  id: string;
  campaign_id: string;
  campaign_name: string;
  kind: LetterKind;
  document_number: string;
  unit_name: string | null;
  status: 'draft' | 'checked';
  checked_content_json: string | null;
  updated_at: string;
}

/** The stored private key of a key row, sealed under its holder's password. */
export const sealedKey = (row: KeyRow): SealedKey =>
  parseJsonColumn(SealedKeySchema, row.sealed_private_key, `签名密钥 ${row.fingerprint} 的加密私钥`);

const LETTER_SELECT = `SELECT l.*, c.display_name AS checked_by_name, i.display_name AS issued_by_name
  FROM letters l LEFT JOIN users c ON c.id = l.checked_by LEFT JOIN users i ON i.id = l.issued_by`;

function prepare(db: Db) {
  return {
    // keys
    holder: db.prepare(
      'SELECT id, username, display_name, role, affiliation, password_hash FROM users WHERE id = ? AND disabled_at IS NULL',
    ),
    activeKey: db.prepare(`SELECT * FROM signing_keys WHERE user_id = ? AND status = 'active'`),
    keysOf: db.prepare('SELECT * FROM signing_keys WHERE user_id = ? ORDER BY created_at DESC'),
    keyOwner: db.prepare('SELECT user_id, status FROM signing_keys WHERE fingerprint = ?'),
    retireKey: db.prepare(`UPDATE signing_keys SET status = 'retired', retired_at = ? WHERE fingerprint = ?`),
    insertKey: db.prepare(
      `INSERT INTO signing_keys (fingerprint, user_id, public_key, sealed_private_key, identity_json, valid_from, valid_to, status, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?)`,
    ),
    reseal: db.prepare('UPDATE signing_keys SET sealed_private_key = ? WHERE fingerprint = ?'),
    resealIfUnchanged: db.prepare('UPDATE signing_keys SET sealed_private_key = ? WHERE fingerprint = ? AND sealed_private_key = ?'),
    reactivate: db.prepare(`UPDATE signing_keys SET sealed_private_key = ?, status = 'active', retired_at = NULL WHERE fingerprint = ?`),
    passwordResetSince: db.prepare(`SELECT 1 FROM audit_log WHERE action = 'user.reset_password' AND entity_id = ? AND at > ?`),
    holders: db.prepare(
      `SELECT u.id AS userId, u.display_name AS name, u.role, u.affiliation AS unit, k.fingerprint FROM signing_keys k
         JOIN users u ON u.id = k.user_id JOIN trusted_keys t ON t.fingerprint = k.fingerprint
         WHERE k.status = 'active' AND t.status = 'trusted' AND u.disabled_at IS NULL AND k.valid_from <= ? AND k.valid_to >= ? ORDER BY u.display_name`,
    ),

    // the 印章 image
    currentSeal: db.prepare(
      'SELECT s.*, u.display_name AS uploaded_by_name FROM seal_images s LEFT JOIN users u ON u.id = s.uploaded_by WHERE s.removed_at IS NULL',
    ),
    sealUses: db.prepare(`SELECT count(*) FROM audit_log WHERE action = 'seal.use'`).pluck(),
    removeSeal: db.prepare('UPDATE seal_images SET removed_at = ? WHERE id = ?'),
    insertSeal: db.prepare(
      'INSERT INTO seal_images (id, sha256, file_name, width_px, height_px, uploaded_by, uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    // Bytes the issuing wrote to the blob store, recorded in the same transaction as what refers to them.
    recordBlob: db.prepare('INSERT OR IGNORE INTO blobs (sha256, size, created_at) VALUES (?, ?, ?)'),

    // letters on their way to 签发
    letter: db.prepare(`${LETTER_SELECT} WHERE l.id = ?`),
    // Letters holding a 文号 but not yet signed, with what the register shows for them.
    reservedNumbers: db.prepare(
      `SELECT l.id, l.campaign_id, c.name AS campaign_name, l.kind, l.document_number, u.name AS unit_name, l.status,
              l.checked_content_json, l.updated_at
         FROM letters l JOIN campaigns c ON c.id = l.campaign_id LEFT JOIN units u ON u.id = l.unit_id
        WHERE l.status != 'issued' AND l.document_number IS NOT NULL
        ORDER BY l.updated_at DESC, l.document_number`,
    ),
    lettersOf: db.prepare(`${LETTER_SELECT} WHERE l.campaign_id = ? AND l.kind = ? AND l.unit_id IS ? ORDER BY l.created_at DESC`),
    checkLetter: db.prepare(
      `UPDATE letters SET status = 'checked', checked_by = ?, checked_at = ?, checked_content_json = ?, updated_at = ? WHERE id = ? AND status = 'draft'`,
    ),
    reopenLetter: db.prepare(
      `UPDATE letters SET status = 'draft', checked_by = NULL, checked_at = NULL, checked_content_json = NULL, updated_at = ? WHERE id = ? AND status = 'checked'`,
    ),
    issuedBefore: db.prepare(
      `SELECT l.id, l.document_number, l.signed_document_id FROM letters l JOIN signed_documents d ON d.id = l.signed_document_id
       WHERE l.campaign_id = ? AND l.kind = ? AND l.unit_id IS ? AND l.status = 'issued' AND d.superseded_by IS NULL ORDER BY l.issued_at DESC LIMIT 1`,
    ),
    issueLetter: db.prepare(
      `UPDATE letters SET status = 'issued', issued_by = ?, issued_at = ?, signed_document_id = ?, supersedes_letter_id = ?, updated_at = ? WHERE id = ? AND status = 'checked'`,
    ),
    campaignOfIssued: db.prepare('SELECT campaign_id FROM letters WHERE signed_document_id = ?').pluck(),
  };
}

/**
 * The register's statements: they touch only its own tables, so the command-line verifier can
 * prepare them on a read-only copy of a workspace.
 */
export function registerStatements(
  db: Db,
): Record<
  | 'insert'
  | 'insertFile'
  | 'supersede'
  | 'byId'
  | 'bySubject'
  | 'byShortCode'
  | 'filesBySm3'
  | 'files'
  | 'ofKindNewestFirst'
  | 'newestFirst',
  Statement
> {
  return {
    insert: db.prepare(
      `INSERT INTO signed_documents (id, kind, subject_id, title, document_number, unit_name, issued_at, short_code, payload, manifest_json, supersedes, created_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertFile: db.prepare(
      'INSERT INTO signed_document_files (document_id, role, file_name, media_type, bytes, sm3, sha256) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    supersede: db.prepare('UPDATE signed_documents SET superseded_by = ? WHERE id = ? AND superseded_by IS NULL'),
    byId: db.prepare('SELECT * FROM signed_documents WHERE id = ?'),
    bySubject: db.prepare('SELECT * FROM signed_documents WHERE kind = ? AND subject_id = ?'),
    byShortCode: db.prepare('SELECT * FROM signed_documents WHERE short_code = ?'),
    filesBySm3: db.prepare('SELECT * FROM signed_document_files WHERE sm3 = ?'),
    files: db.prepare('SELECT * FROM signed_document_files WHERE document_id = ? ORDER BY role'),
    ofKindNewestFirst: db.prepare('SELECT * FROM signed_documents WHERE kind = ? ORDER BY issued_at DESC'),
    newestFirst: db.prepare('SELECT * FROM signed_documents ORDER BY issued_at DESC'),
  };
}

const TRUST_SELECT = `SELECT t.*, a.display_name AS added_by_name, c.display_name AS accepted_by_name, r.display_name AS revoked_by_name
  FROM trusted_keys t LEFT JOIN users a ON a.id = t.added_by LEFT JOIN users c ON c.id = t.accepted_by LEFT JOIN users r ON r.id = t.revoked_by`;

/** The trust list's statements (the verifier reads them on a read-only copy too). */
export function trustStatements(db: Db): Record<'list' | 'entry' | 'insert' | 'publicKeyKnown' | 'accept' | 'revoke', Statement> {
  return {
    list: db.prepare(`${TRUST_SELECT} ORDER BY t.status = 'revoked', t.display_name, t.added_at`),
    entry: db.prepare(`${TRUST_SELECT} WHERE t.fingerprint = ?`),
    insert: db.prepare(
      `INSERT INTO trusted_keys (fingerprint, public_key, display_name, unit, role, username, valid_from, valid_to, identity_json, origin, status, added_by, added_at, accepted_by, accepted_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    publicKeyKnown: db.prepare('SELECT 1 FROM trusted_keys WHERE public_key = ?'),
    accept: db.prepare(`UPDATE trusted_keys SET status = 'trusted', accepted_by = ?, accepted_at = ? WHERE fingerprint = ?`),
    revoke: db.prepare(
      `UPDATE trusted_keys SET status = 'revoked', revoked_by = ?, revoked_at = ?, revoke_reason = ? WHERE fingerprint = ?`,
    ),
  };
}

export class SigningRepo {
  private readonly q: ReturnType<typeof prepare>;

  constructor(db: Db) {
    this.q = prepare(db);
  }

  // ── keys ─────────────────────────────────────────────────────────────────────────────────

  /** An enabled account, or null. */
  holder(userId: string): HolderRow | null {
    return (this.q.holder.get(userId) as HolderRow | undefined) ?? null;
  }

  activeKey(userId: string): KeyRow | null {
    return (this.q.activeKey.get(userId) as KeyRow | undefined) ?? null;
  }

  /** The person's keys, the newest first. */
  keysOf(userId: string): KeyRow[] {
    return this.q.keysOf.all(userId) as KeyRow[];
  }

  /** Whose key this is here, and whether it is current (null: not on this workstation). */
  keyOwner(fingerprint: string): Pick<KeyRow, 'user_id' | 'status'> | null {
    return (this.q.keyOwner.get(fingerprint) as Pick<KeyRow, 'user_id' | 'status'> | undefined) ?? null;
  }

  retireKey(fingerprint: string, at: string): void {
    this.q.retireKey.run(at, fingerprint);
  }

  insertKey(k: {
    fingerprint: string;
    userId: string;
    publicKey: string;
    sealed: SealedKey;
    identity: unknown;
    validFrom: string;
    validTo: string;
    at: string;
  }): void {
    this.q.insertKey.run(
      k.fingerprint,
      k.userId,
      k.publicKey,
      JSON.stringify(k.sealed),
      JSON.stringify(k.identity),
      k.validFrom,
      k.validTo,
      k.at,
    );
  }

  reseal(fingerprint: string, sealed: SealedKey): void {
    this.q.reseal.run(JSON.stringify(sealed), fingerprint);
  }

  /** Re-seals only if the stored key is still the one read (another window may have re-sealed it meanwhile). */
  resealIfUnchanged(row: KeyRow, sealed: SealedKey): void {
    this.q.resealIfUnchanged.run(JSON.stringify(sealed), row.fingerprint, row.sealed_private_key);
  }

  /** The same key again, re-sealed and current. */
  reactivate(fingerprint: string, sealed: SealedKey): void {
    this.q.reactivate.run(JSON.stringify(sealed), fingerprint);
  }

  /** An organiser reset the person's password after this moment. */
  passwordResetSince(userId: string, at: string): boolean {
    return this.q.passwordResetSince.get(userId, at) !== undefined;
  }

  /** People who can sign at `at`: an active key, trusted here, within its validity. */
  holders(at: string): ChannelOutput<'key:holders'> {
    return this.q.holders.all(at, at) as ChannelOutput<'key:holders'>;
  }

  // ── the 印章 image ────────────────────────────────────────────────────────────────────────

  currentSeal(): SealRow | null {
    return (this.q.currentSeal.get() as SealRow | undefined) ?? null;
  }

  sealUses(): number {
    return this.q.sealUses.get() as number;
  }

  removeSeal(id: string, at: string): void {
    this.q.removeSeal.run(at, id);
  }

  insertSeal(s: { id: string; sha256: string; fileName: string; width: number; height: number; by: string; at: string }): void {
    this.q.insertSeal.run(s.id, s.sha256, s.fileName, s.width, s.height, s.by, s.at);
  }

  recordBlob(sha256: string, size: number, at: string): void {
    this.q.recordBlob.run(sha256, size, at);
  }

  // ── letters on their way to 签发 ──────────────────────────────────────────────────────────

  letter(letterId: string): LetterRow | null {
    return (this.q.letter.get(letterId) as LetterRow | undefined) ?? null;
  }

  /** The letters of one kind for one unit (or the campaign's bulletin), the newest first. */
  /** Letters that hold a 文号 and are not yet issued (a draft or a checked letter). */
  reservedNumbers(): ReservedNumberRow[] {
    return this.q.reservedNumbers.all() as ReservedNumberRow[];
  }

  lettersOf(campaignId: string, kind: LetterKind, unitId: string | null): LetterRow[] {
    return this.q.lettersOf.all(campaignId, kind, unitId) as LetterRow[];
  }

  /** Freezes a draft's content as checked; false when it is no longer a draft. */
  checkLetter(letterId: string, by: string, content: unknown, at: string): boolean {
    return this.q.checkLetter.run(by, at, JSON.stringify(content), at, letterId).changes === 1;
  }

  reopenLetter(letterId: string, at: string): void {
    this.q.reopenLetter.run(at, letterId);
  }

  /** The unit's letter of this kind issued before and not yet superseded: what a new one corrects. */
  issuedBefore(
    campaignId: string,
    kind: LetterKind,
    unitId: string | null,
  ): { id: string; document_number: string | null; signed_document_id: string } | null {
    return (
      (this.q.issuedBefore.get(campaignId, kind, unitId) as
        { id: string; document_number: string | null; signed_document_id: string } | undefined) ?? null
    );
  }

  /** Marks a checked letter issued; false when it is no longer checked. */
  issueLetter(letterId: string, i: { by: string; at: string; documentId: string; supersedes: string | null }): boolean {
    return this.q.issueLetter.run(i.by, i.at, i.documentId, i.supersedes, i.at, letterId).changes === 1;
  }

  /** The campaign of the letter issued as this document, if it is a letter. */
  campaignOfIssued(documentId: string): string | null {
    return (this.q.campaignOfIssued.get(documentId) as string | undefined) ?? null;
  }
}

/** The signing statements of this database; its services share one set. */
export const signingRepo = perDatabase((db) => new SigningRepo(db));
