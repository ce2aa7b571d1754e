/**
 * The register of issued documents: one row per issued document (文号, unit, date, the signed
 * manifest with the signers and every output's SM3 digest) and one row per output file, its bytes in
 * the blob store. Rows are frozen by triggers; only "superseded by" may be set, once, when a
 * correction is issued. Reads work on a read-only database (the command-line verifier).
 */
import type { DocumentSummary, RegisterEntry } from '../../../shared/signing/api.js';
import { SignedManifestSchema, type ManifestFile, type SignedManifest } from '../../../shared/signing/manifest.js';
import type { Db } from '../core/db/database.js';
import { parseJsonColumn } from '../core/db/json-column.js';
import { registerStatements } from './repo.js';

export interface RegisterRow {
  id: string;
  kind: string;
  subject_id: string | null;
  title: string;
  document_number: string | null;
  unit_name: string | null;
  issued_at: string;
  short_code: string | null;
  payload: string | null;
  manifest_json: string;
  supersedes: string | null;
  superseded_by: string | null;
}

export interface RegisterFileRow {
  document_id: string;
  role: string;
  file_name: string;
  media_type: string;
  bytes: number;
  sm3: string;
  sha256: string;
}

export interface RecordInput {
  signed: SignedManifest;
  /** Each manifest file with the SHA-256 name of its bytes in the blob store. */
  blobs: Record<string, string>;
  subjectId: string | null;
  title: string;
  documentNumber: string | null;
  unitName: string | null;
  shortCode: string | null;
  payload: string | null;
  createdBy: string;
}

/** An entry's signed manifest, read through its schema (a damaged entry names itself). */
export const registeredManifest = (row: RegisterRow): SignedManifest =>
  parseJsonColumn(SignedManifestSchema, row.manifest_json, `签发登记簿中文书 ${row.id} 的签名清单`);

export class Register {
  private readonly q: ReturnType<typeof registerStatements>;

  constructor(private readonly db: Db) {
    this.q = registerStatements(db);
  }

  /** Writes the entry and its files; runs inside the caller's transaction (the freeze of what it records). */
  record(input: RecordInput): void {
    if (!this.db.inTransaction) throw new Error('Register.record runs inside the issuing transaction');
    const m = input.signed.manifest;
    this.q.insert.run(
      m.id,
      m.kind,
      input.subjectId,
      input.title,
      input.documentNumber,
      input.unitName,
      m.issuedAt,
      input.shortCode,
      input.payload,
      JSON.stringify(input.signed),
      m.supersedes,
      input.createdBy,
    );
    for (const f of m.files) {
      const sha256 = input.blobs[f.role];
      if (!sha256) throw new Error(`no stored bytes for ${f.role}`);
      this.q.insertFile.run(m.id, f.role, f.name, f.mediaType, f.bytes, f.sm3, sha256);
    }
    if (m.supersedes) this.q.supersede.run(m.id, m.supersedes);
  }

  get(id: string): RegisterRow | null {
    return (this.q.byId.get(id) as RegisterRow | undefined) ?? null;
  }

  bySubject(kind: string, subjectId: string): RegisterRow | null {
    return (this.q.bySubject.get(kind, subjectId) as RegisterRow | undefined) ?? null;
  }

  byShortCode(code: string): RegisterRow | null {
    return (this.q.byShortCode.get(code) as RegisterRow | undefined) ?? null;
  }

  /** Registered files with exactly this SM3 digest. */
  filesBySm3(sm3: string): RegisterFileRow[] {
    return this.q.filesBySm3.all(sm3) as RegisterFileRow[];
  }

  files(documentId: string): RegisterFileRow[] {
    return this.q.files.all(documentId) as RegisterFileRow[];
  }

  manifest(row: RegisterRow): SignedManifest {
    return registeredManifest(row);
  }

  list(kind?: string): RegisterEntry[] {
    const rows = (kind ? this.q.ofKindNewestFirst.all(kind) : this.q.newestFirst.all()) as RegisterRow[];
    return rows.map((r) => this.entry(r));
  }

  static summary(row: RegisterRow): DocumentSummary {
    return {
      id: row.id,
      kind: row.kind,
      title: row.title,
      documentNumber: row.document_number,
      unitName: row.unit_name,
      issuedAt: row.issued_at,
      shortCode: row.short_code,
    };
  }

  entry(row: RegisterRow): RegisterEntry {
    const signed = this.manifest(row);
    return {
      ...Register.summary(row),
      signers: signed.signatures.map((s) => ({ role: s.role, name: s.name, fingerprint: s.fingerprint })),
      files: signed.manifest.files.map((f: ManifestFile) => ({ role: f.role, name: f.name, bytes: f.bytes, sm3: f.sm3 })),
      supersedes: row.supersedes,
      supersededBy: row.superseded_by,
    };
  }
}
