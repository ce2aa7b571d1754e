/**
 * Numbered schema migrations. Rules: only ever append a migration; a migration only adds (tables,
 * columns, indexes) so older rows stay readable — the schema snapshot test enforces it. Each runs in
 * the single migration transaction after the automatic backup.
 */
import { AUDIT_TRIGGERS, auditRowHash, GENESIS_HASH, writeAudit, type AuditRowContent } from '../audit.js';
import type { Db } from './database.js';
import { caseNumberSortKey } from '../../../../shared/dossiers/case-number.js';
import { normaliseOcrText } from '../../../../shared/ocr/normalise.js';

export interface Migration {
  version: number;
  name: string;
  up(db: Db): void;
}

const CASE_TYPE_CHECK = `('penalty_general','penalty_simple','license','coercive_measure','coercive_enforcement','inspection','other')`;

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'foundation',
    up(db) {
      db.exec(`
        CREATE TABLE settings (
          key TEXT PRIMARY KEY,
          value_json TEXT NOT NULL
        ) STRICT;

        CREATE TABLE users (
          id TEXT PRIMARY KEY,
          username TEXT NOT NULL COLLATE NOCASE UNIQUE,
          display_name TEXT NOT NULL,
          role TEXT NOT NULL CHECK (role IN ('organiser','lead','reviewer','observer')),
          affiliation TEXT NOT NULL DEFAULT '',
          password_hash TEXT NOT NULL,
          failed_logins INTEGER NOT NULL DEFAULT 0,
          locked_until TEXT,
          disabled_at TEXT,
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL
        ) STRICT;

        CREATE TABLE campaigns (
          id TEXT PRIMARY KEY,
          name TEXT NOT NULL,
          year INTEGER NOT NULL,
          issuing_body TEXT NOT NULL,
          status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','archived')),
          created_by TEXT REFERENCES users(id),
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL
        ) STRICT;

        CREATE TABLE units (
          id TEXT PRIMARY KEY,
          campaign_id TEXT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
          name TEXT NOT NULL,
          short_name TEXT NOT NULL DEFAULT '',
          field TEXT NOT NULL DEFAULT '',
          region_code TEXT NOT NULL DEFAULT '',
          created_at TEXT NOT NULL,
          UNIQUE (campaign_id, name)
        ) STRICT;

        CREATE TABLE cases (
          id TEXT PRIMARY KEY,
          campaign_id TEXT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
          unit_id TEXT NOT NULL REFERENCES units(id),
          case_number TEXT NOT NULL,
          case_number_key TEXT NOT NULL,
          title TEXT NOT NULL DEFAULT '',
          case_type TEXT NOT NULL CHECK (case_type IN ${CASE_TYPE_CHECK}),
          cause TEXT NOT NULL DEFAULT '',
          party TEXT NOT NULL DEFAULT '',
          enforcement_body TEXT NOT NULL DEFAULT '',
          filed_on TEXT,
          closed_on TEXT,
          decision TEXT NOT NULL DEFAULT '',
          handler TEXT NOT NULL DEFAULT '',
          external_code TEXT NOT NULL DEFAULT '',
          created_by TEXT REFERENCES users(id),
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL,
          UNIQUE (campaign_id, case_number_key)
        ) STRICT;
        CREATE INDEX cases_unit ON cases(unit_id);

        CREATE TABLE blobs (
          sha256 TEXT PRIMARY KEY,
          size INTEGER NOT NULL,
          created_at TEXT NOT NULL
        ) STRICT;

        CREATE TABLE documents (
          id TEXT PRIMARY KEY,
          case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
          sha256 TEXT NOT NULL REFERENCES blobs(sha256),
          file_name TEXT NOT NULL,
          title TEXT NOT NULL,
          page_count INTEGER NOT NULL,
          has_text INTEGER NOT NULL,
          metadata_json TEXT NOT NULL DEFAULT '{}',
          position INTEGER NOT NULL DEFAULT 0,
          created_at TEXT NOT NULL,
          UNIQUE (case_id, sha256)
        ) STRICT;
        CREATE INDEX documents_sha ON documents(sha256);

        CREATE TABLE standards (
          id TEXT PRIMARY KEY,
          name TEXT NOT NULL,
          builtin INTEGER NOT NULL DEFAULT 0,
          retired_at TEXT,
          created_at TEXT NOT NULL
        ) STRICT;

        CREATE TABLE standard_versions (
          id TEXT PRIMARY KEY,
          standard_id TEXT NOT NULL REFERENCES standards(id),
          version TEXT NOT NULL,
          definition_json TEXT NOT NULL,
          content_sha256 TEXT NOT NULL,
          builtin INTEGER NOT NULL DEFAULT 0,
          frozen_at TEXT,
          created_by TEXT REFERENCES users(id),
          created_at TEXT NOT NULL,
          UNIQUE (standard_id, version)
        ) STRICT;

        CREATE TABLE campaign_standards (
          campaign_id TEXT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
          case_type TEXT NOT NULL CHECK (case_type IN ${CASE_TYPE_CHECK}),
          standard_version_id TEXT NOT NULL REFERENCES standard_versions(id),
          PRIMARY KEY (campaign_id, case_type)
        ) STRICT;

        CREATE TABLE annotations (
          id TEXT PRIMARY KEY,
          document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
          document_sha256 TEXT NOT NULL,
          author_id TEXT NOT NULL REFERENCES users(id),
          type TEXT NOT NULL CHECK (type IN ('highlight','underline','area','note','ink','text')),
          color TEXT NOT NULL,
          page_index INTEGER NOT NULL,
          position_json TEXT NOT NULL,
          selected_text TEXT,
          comment TEXT,
          checklist_item_id TEXT,
          sort_key TEXT NOT NULL,
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL,
          deleted_at TEXT
        ) STRICT;
        CREATE INDEX annotations_document ON annotations(document_id, sort_key);

        CREATE TABLE sheets (
          id TEXT PRIMARY KEY,
          case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
          reviewer_id TEXT NOT NULL REFERENCES users(id),
          round INTEGER NOT NULL DEFAULT 1,
          standard_version_id TEXT NOT NULL REFERENCES standard_versions(id),
          status TEXT NOT NULL DEFAULT 'draft',
          revision INTEGER NOT NULL DEFAULT 0,
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL,
          submitted_at TEXT,
          UNIQUE (case_id, reviewer_id, round)
        ) STRICT;

        CREATE TABLE sheet_answers (
          sheet_id TEXT NOT NULL REFERENCES sheets(id) ON DELETE CASCADE,
          item_id TEXT NOT NULL,
          answer_json TEXT NOT NULL,
          updated_at TEXT NOT NULL,
          PRIMARY KEY (sheet_id, item_id)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE exports (
          id TEXT PRIMARY KEY,
          kind TEXT NOT NULL,
          file_name TEXT NOT NULL,
          rel_path TEXT NOT NULL,
          bytes INTEGER NOT NULL,
          sha256 TEXT NOT NULL,
          created_by TEXT REFERENCES users(id),
          created_at TEXT NOT NULL
        ) STRICT;

        CREATE TABLE audit_log (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          at TEXT NOT NULL,
          actor_id TEXT,
          action TEXT NOT NULL,
          entity TEXT NOT NULL,
          entity_id TEXT,
          campaign_id TEXT,
          before_json TEXT,
          after_json TEXT
        ) STRICT;
        CREATE INDEX audit_entity ON audit_log(entity, entity_id);
      `);
    },
  },
  {
    version: 2,
    name: 'page text search',
    up(db) {
      // Per-page text of PDFs that have a text layer, for search within a file and across a campaign.
      // The trigram tokenizer matches Chinese substrings of three or more characters (shorter
      // queries fall back to LIKE, which the same table also serves).
      db.exec(`
        CREATE VIRTUAL TABLE page_text USING fts5(
          text, document_id UNINDEXED, page_index UNINDEXED, tokenize = 'trigram'
        );
      `);
    },
  },
  {
    version: 3,
    name: 'standard versions: lineage and retirement',
    up(db) {
      // Which version an edit or clone was made from, why, and versions taken out of use (kept for
      // the scores that already use them, no longer offered for new campaigns).
      db.exec(`
        ALTER TABLE standard_versions ADD COLUMN based_on_version_id TEXT REFERENCES standard_versions(id);
        ALTER TABLE standard_versions ADD COLUMN change_note TEXT NOT NULL DEFAULT '';
        ALTER TABLE standard_versions ADD COLUMN retired_at TEXT;
        ALTER TABLE standard_versions ADD COLUMN updated_at TEXT;
        CREATE INDEX standard_versions_standard ON standard_versions(standard_id, created_at);
      `);
    },
  },
  {
    version: 4,
    name: 'panel, draws, assignments, meetings',
    up(db) {
      // People: legal professionals (法制审核/律师) and former units, which drive 回避 with the
      // current affiliation. Panels, declared conflicts, draws (with the pool they were drawn from, so
      // a draw can be recomputed), reviewer assignments and the meeting agenda of a campaign.
      db.exec(`
        ALTER TABLE users ADD COLUMN legal_professional INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE users ADD COLUMN past_units_json TEXT NOT NULL DEFAULT '[]';

        CREATE TABLE panel_members (
          campaign_id TEXT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
          user_id TEXT NOT NULL REFERENCES users(id),
          added_by TEXT REFERENCES users(id),
          added_at TEXT NOT NULL,
          PRIMARY KEY (campaign_id, user_id)
        ) STRICT;

        CREATE TABLE declared_conflicts (
          campaign_id TEXT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
          user_id TEXT NOT NULL REFERENCES users(id),
          unit_id TEXT NOT NULL REFERENCES units(id) ON DELETE CASCADE,
          reason TEXT NOT NULL,
          created_by TEXT REFERENCES users(id),
          created_at TEXT NOT NULL,
          PRIMARY KEY (campaign_id, user_id, unit_id)
        ) STRICT;

        CREATE TABLE draws (
          id TEXT PRIMARY KEY,
          campaign_id TEXT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
          seq INTEGER NOT NULL,
          algorithm TEXT NOT NULL,
          seed TEXT NOT NULL,
          seed_source TEXT NOT NULL CHECK (seed_source IN ('generated','witness')),
          witness TEXT NOT NULL DEFAULT '',
          per_group INTEGER NOT NULL,
          case_types_json TEXT NOT NULL,
          exclude_reviewed INTEGER NOT NULL,
          pool_json TEXT NOT NULL,
          pool_digest TEXT NOT NULL,
          excluded_json TEXT NOT NULL,
          groups_json TEXT NOT NULL,
          drawn_by TEXT NOT NULL REFERENCES users(id),
          drawn_at TEXT NOT NULL,
          superseded_at TEXT,
          superseded_reason TEXT,
          UNIQUE (campaign_id, seq)
        ) STRICT;

        CREATE TABLE drawn_cases (
          draw_id TEXT NOT NULL REFERENCES draws(id) ON DELETE CASCADE,
          case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
          PRIMARY KEY (draw_id, case_id)
        ) STRICT;
        CREATE INDEX drawn_cases_case ON drawn_cases(case_id);

        CREATE TABLE assignment_runs (
          id TEXT PRIMARY KEY,
          campaign_id TEXT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
          seed TEXT NOT NULL,
          per_file INTEGER NOT NULL,
          require_legal INTEGER NOT NULL,
          digest TEXT NOT NULL,
          applied_by TEXT NOT NULL REFERENCES users(id),
          applied_at TEXT NOT NULL
        ) STRICT;

        CREATE TABLE assignments (
          case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
          reviewer_id TEXT NOT NULL REFERENCES users(id),
          round INTEGER NOT NULL DEFAULT 1,
          campaign_id TEXT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
          source TEXT NOT NULL CHECK (source IN ('random','manual')),
          run_id TEXT REFERENCES assignment_runs(id),
          created_by TEXT REFERENCES users(id),
          created_at TEXT NOT NULL,
          PRIMARY KEY (case_id, reviewer_id, round)
        ) STRICT;
        CREATE INDEX assignments_reviewer ON assignments(reviewer_id, campaign_id);
        CREATE INDEX assignments_campaign ON assignments(campaign_id);

        CREATE TABLE meetings (
          campaign_id TEXT PRIMARY KEY REFERENCES campaigns(id) ON DELETE CASCADE,
          position INTEGER NOT NULL DEFAULT 0,
          revision INTEGER NOT NULL DEFAULT 0,
          hide_from_conflicted INTEGER NOT NULL DEFAULT 1,
          veiled INTEGER NOT NULL DEFAULT 0,
          focus_document_id TEXT REFERENCES documents(id) ON DELETE SET NULL,
          focus_page INTEGER,
          updated_by TEXT REFERENCES users(id),
          updated_at TEXT NOT NULL
        ) STRICT;

        CREATE TABLE meeting_items (
          campaign_id TEXT NOT NULL REFERENCES meetings(campaign_id) ON DELETE CASCADE,
          position INTEGER NOT NULL,
          case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
          PRIMARY KEY (campaign_id, position),
          UNIQUE (campaign_id, case_id)
        ) STRICT;
      `);
    },
  },
  {
    version: 5,
    name: 'letters, ledger',
    up(db) {
      // Letter templates the bureau edits (one per kind), 文号 sequences per issuing body, prefix and
      // year, the letters made from them, and the 整改台账 with its evidence files (in the blob store).
      db.exec(`
        CREATE TABLE letter_templates (
          kind TEXT PRIMARY KEY CHECK (kind IN ('opinion','notice','bulletin')),
          settings_json TEXT NOT NULL,
          updated_by TEXT REFERENCES users(id),
          updated_at TEXT NOT NULL
        ) STRICT;

        CREATE TABLE letter_sequences (
          issuing_body TEXT NOT NULL,
          prefix TEXT NOT NULL,
          year INTEGER NOT NULL,
          last_serial INTEGER NOT NULL,
          PRIMARY KEY (issuing_body, prefix, year)
        ) STRICT;

        CREATE TABLE letters (
          id TEXT PRIMARY KEY,
          campaign_id TEXT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
          unit_id TEXT REFERENCES units(id),
          kind TEXT NOT NULL CHECK (kind IN ('opinion','notice','bulletin')),
          issuing_body TEXT NOT NULL,
          number_prefix TEXT NOT NULL DEFAULT '',
          number_year INTEGER,
          number_serial INTEGER,
          document_number TEXT,
          status TEXT NOT NULL DEFAULT 'draft',
          last_export_id TEXT REFERENCES exports(id),
          created_by TEXT REFERENCES users(id),
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX letters_campaign ON letters(campaign_id, kind);
        CREATE UNIQUE INDEX letters_number ON letters(issuing_body, number_prefix, number_year, number_serial) WHERE number_serial IS NOT NULL;

        CREATE TABLE ledger_items (
          id TEXT PRIMARY KEY,
          campaign_id TEXT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
          case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
          item_id TEXT NOT NULL,
          serial INTEGER NOT NULL,
          problem_json TEXT NOT NULL,
          measure TEXT NOT NULL DEFAULT '',
          responsible TEXT NOT NULL DEFAULT '',
          deadline TEXT,
          status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','in_progress','awaiting_check','closed')),
          checker TEXT NOT NULL DEFAULT '',
          check_opinion TEXT NOT NULL DEFAULT '',
          closed_on TEXT,
          withdrawn_at TEXT,
          revision INTEGER NOT NULL DEFAULT 0,
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL,
          UNIQUE (case_id, item_id),
          UNIQUE (campaign_id, serial)
        ) STRICT;

        CREATE TABLE ledger_evidence (
          id TEXT PRIMARY KEY,
          ledger_item_id TEXT NOT NULL REFERENCES ledger_items(id) ON DELETE CASCADE,
          sha256 TEXT NOT NULL REFERENCES blobs(sha256),
          file_name TEXT NOT NULL,
          uploaded_by TEXT REFERENCES users(id),
          uploaded_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX ledger_evidence_item ON ledger_evidence(ledger_item_id);
      `);
    },
  },
  {
    version: 6,
    name: 'scoring and reconciliation',
    up(db) {
      // Sheets keep why and by whom they were last reopened. case_reviews holds a file's review
      // outcome (open, or final with its source); case_review_answers the agreed answer per item:
      // 'panel' rows are decisions of the reconciliation, 'agreed' rows are items every sheet agreed
      // on, written when the file is settled. Individual sheets are never rewritten.
      db.exec(`
        ALTER TABLE sheets ADD COLUMN reopen_reason TEXT;
        ALTER TABLE sheets ADD COLUMN reopened_at TEXT;
        ALTER TABLE sheets ADD COLUMN reopened_by TEXT REFERENCES users(id);
        CREATE INDEX sheets_case_status ON sheets(case_id, status);

        CREATE TABLE campaign_review_rules (
          campaign_id TEXT PRIMARY KEY REFERENCES campaigns(id) ON DELETE CASCADE,
          rules_json TEXT NOT NULL,
          updated_by TEXT REFERENCES users(id),
          updated_at TEXT NOT NULL
        ) STRICT;

        CREATE TABLE case_reviews (
          case_id TEXT PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
          status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','final')),
          source TEXT CHECK (source IN ('auto','panel')),
          route TEXT CHECK (route IN ('confirm','recheck','panel')),
          assignee_id TEXT REFERENCES users(id),
          standard_version_id TEXT REFERENCES standard_versions(id),
          note TEXT NOT NULL DEFAULT '',
          revision INTEGER NOT NULL DEFAULT 0,
          finalised_at TEXT,
          finalised_by TEXT REFERENCES users(id),
          updated_at TEXT NOT NULL
        ) STRICT;

        CREATE TABLE case_review_answers (
          case_id TEXT NOT NULL REFERENCES case_reviews(case_id) ON DELETE CASCADE,
          item_id TEXT NOT NULL,
          answer_json TEXT NOT NULL,
          origin TEXT NOT NULL CHECK (origin IN ('panel','agreed')),
          note TEXT NOT NULL DEFAULT '',
          decided_by TEXT REFERENCES users(id),
          updated_at TEXT NOT NULL,
          PRIMARY KEY (case_id, item_id)
        ) STRICT, WITHOUT ROWID;
      `);
    },
  },
  {
    version: 7,
    name: 'dossier import at campaign scale',
    up(db) {
      // The fine as a number (元) beside the free-text decision; import batches with one row per file
      // and list row, so the summary can be shown and exported after a restart; the column mapping of
      // a unit's case list, remembered by unit name across campaigns.
      db.exec(`
        ALTER TABLE cases ADD COLUMN penalty_amount REAL;

        CREATE TABLE import_batches (
          id TEXT PRIMARY KEY,
          campaign_id TEXT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
          status TEXT NOT NULL CHECK (status IN ('running','done','cancelled','failed','interrupted')),
          list_name TEXT NOT NULL DEFAULT '',
          options_json TEXT NOT NULL DEFAULT '{}',
          created_by TEXT REFERENCES users(id),
          started_at TEXT NOT NULL,
          finished_at TEXT
        ) STRICT;
        CREATE INDEX import_batches_campaign ON import_batches(campaign_id, started_at);

        CREATE TABLE import_items (
          batch_id TEXT NOT NULL REFERENCES import_batches(id) ON DELETE CASCADE,
          seq INTEGER NOT NULL,
          kind TEXT NOT NULL CHECK (kind IN ('file','row')),
          path TEXT NOT NULL,
          outcome TEXT NOT NULL,
          code TEXT NOT NULL DEFAULT '',
          message TEXT NOT NULL DEFAULT '',
          case_id TEXT,
          case_number TEXT NOT NULL DEFAULT '',
          document_id TEXT,
          sha256 TEXT,
          size INTEGER,
          page_count INTEGER,
          has_text INTEGER,
          ms INTEGER,
          PRIMARY KEY (batch_id, seq)
        ) STRICT;

        CREATE TABLE list_mappings (
          unit_key TEXT PRIMARY KEY,
          unit_name TEXT NOT NULL,
          mapping_json TEXT NOT NULL,
          updated_by TEXT REFERENCES users(id),
          updated_at TEXT NOT NULL
        ) STRICT;
      `);
    },
  },
  {
    version: 8,
    name: 'signing keys, trust list, register of issued documents, seal image, letter issuing',
    up(db) {
      // Keys: the private key only sealed under its holder's password. Trust list: keys this
      // workstation accepts (its own users' and imported identity files). Register: every issued
      // document with its signed manifest and the SM3 digest of each output file; frozen by triggers
      // (only `superseded_by` may be set, once). Seal image: the bureau's PNG, off unless asked for.
      // Letters: draft → checked (content snapshot) → issued (frozen by triggers, linked to the register).
      db.exec(`
        CREATE TABLE signing_keys (
          fingerprint TEXT PRIMARY KEY,
          user_id TEXT NOT NULL REFERENCES users(id),
          public_key TEXT NOT NULL UNIQUE,
          sealed_private_key TEXT NOT NULL,
          identity_json TEXT NOT NULL,
          valid_from TEXT NOT NULL,
          valid_to TEXT NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('active','retired')),
          created_at TEXT NOT NULL,
          retired_at TEXT
        ) STRICT;
        CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys(user_id) WHERE status = 'active';

        CREATE TABLE trusted_keys (
          fingerprint TEXT PRIMARY KEY,
          public_key TEXT NOT NULL UNIQUE,
          display_name TEXT NOT NULL,
          unit TEXT NOT NULL,
          role TEXT NOT NULL,
          username TEXT NOT NULL,
          valid_from TEXT NOT NULL,
          valid_to TEXT NOT NULL,
          identity_json TEXT NOT NULL,
          origin TEXT NOT NULL CHECK (origin IN ('local','imported')),
          status TEXT NOT NULL CHECK (status IN ('pending','trusted','revoked')),
          added_by TEXT REFERENCES users(id),
          added_at TEXT NOT NULL,
          accepted_by TEXT REFERENCES users(id),
          accepted_at TEXT,
          revoked_by TEXT REFERENCES users(id),
          revoked_at TEXT,
          revoke_reason TEXT
        ) STRICT;
        CREATE TRIGGER trusted_keys_no_unrevoke BEFORE UPDATE OF status ON trusted_keys
          WHEN OLD.status = 'revoked' BEGIN SELECT RAISE(ABORT, 'a revoked key stays revoked'); END;
        CREATE TRIGGER trusted_keys_no_delete BEFORE DELETE ON trusted_keys
          WHEN OLD.status <> 'pending' BEGIN SELECT RAISE(ABORT, 'trust decisions are kept'); END;

        CREATE TABLE signed_documents (
          id TEXT PRIMARY KEY,
          kind TEXT NOT NULL,
          subject_id TEXT,
          title TEXT NOT NULL,
          document_number TEXT,
          unit_name TEXT,
          issued_at TEXT NOT NULL,
          short_code TEXT UNIQUE,
          payload TEXT,
          manifest_json TEXT NOT NULL,
          supersedes TEXT REFERENCES signed_documents(id),
          superseded_by TEXT REFERENCES signed_documents(id),
          created_by TEXT REFERENCES users(id)
        ) STRICT;
        CREATE INDEX signed_documents_subject ON signed_documents(kind, subject_id);
        CREATE TRIGGER signed_documents_frozen BEFORE UPDATE ON signed_documents
          WHEN NEW.id IS NOT OLD.id OR NEW.kind IS NOT OLD.kind OR NEW.subject_id IS NOT OLD.subject_id OR NEW.title IS NOT OLD.title
            OR NEW.document_number IS NOT OLD.document_number OR NEW.unit_name IS NOT OLD.unit_name OR NEW.issued_at IS NOT OLD.issued_at
            OR NEW.short_code IS NOT OLD.short_code OR NEW.payload IS NOT OLD.payload OR NEW.manifest_json IS NOT OLD.manifest_json
            OR NEW.supersedes IS NOT OLD.supersedes OR NEW.created_by IS NOT OLD.created_by OR OLD.superseded_by IS NOT NULL
          BEGIN SELECT RAISE(ABORT, 'an issued document is frozen'); END;
        CREATE TRIGGER signed_documents_no_delete BEFORE DELETE ON signed_documents
          BEGIN SELECT RAISE(ABORT, 'an issued document is kept'); END;

        CREATE TABLE signed_document_files (
          document_id TEXT NOT NULL REFERENCES signed_documents(id),
          role TEXT NOT NULL,
          file_name TEXT NOT NULL,
          media_type TEXT NOT NULL,
          bytes INTEGER NOT NULL,
          sm3 TEXT NOT NULL,
          sha256 TEXT NOT NULL REFERENCES blobs(sha256),
          PRIMARY KEY (document_id, role)
        ) STRICT;
        CREATE INDEX signed_document_files_sm3 ON signed_document_files(sm3);
        CREATE TRIGGER signed_document_files_frozen BEFORE UPDATE ON signed_document_files
          BEGIN SELECT RAISE(ABORT, 'an issued file is frozen'); END;
        CREATE TRIGGER signed_document_files_no_delete BEFORE DELETE ON signed_document_files
          BEGIN SELECT RAISE(ABORT, 'an issued file is kept'); END;

        CREATE TABLE seal_images (
          id TEXT PRIMARY KEY,
          sha256 TEXT NOT NULL REFERENCES blobs(sha256),
          file_name TEXT NOT NULL,
          width_px INTEGER NOT NULL,
          height_px INTEGER NOT NULL,
          uploaded_by TEXT REFERENCES users(id),
          uploaded_at TEXT NOT NULL,
          removed_at TEXT
        ) STRICT;
        CREATE UNIQUE INDEX seal_images_current ON seal_images((1)) WHERE removed_at IS NULL;

        ALTER TABLE letters ADD COLUMN checked_by TEXT REFERENCES users(id);
        ALTER TABLE letters ADD COLUMN checked_at TEXT;
        ALTER TABLE letters ADD COLUMN checked_content_json TEXT;
        ALTER TABLE letters ADD COLUMN issued_by TEXT REFERENCES users(id);
        ALTER TABLE letters ADD COLUMN issued_at TEXT;
        ALTER TABLE letters ADD COLUMN signed_document_id TEXT REFERENCES signed_documents(id);
        ALTER TABLE letters ADD COLUMN supersedes_letter_id TEXT REFERENCES letters(id);
        CREATE TRIGGER letters_status_values BEFORE UPDATE OF status ON letters
          WHEN NEW.status NOT IN ('draft','checked','issued') BEGIN SELECT RAISE(ABORT, 'unknown letter status'); END;
        CREATE TRIGGER letters_issued_frozen BEFORE UPDATE ON letters
          WHEN OLD.status = 'issued' BEGIN SELECT RAISE(ABORT, 'an issued letter is frozen'); END;
        CREATE TRIGGER letters_issued_kept BEFORE DELETE ON letters
          WHEN OLD.status = 'issued' BEGIN SELECT RAISE(ABORT, 'an issued letter is kept'); END;
      `);
    },
  },
  {
    version: 9,
    name: 'work packages',
    up(db) {
      // Work packages. package_log: every package made or taken here (a package id is
      // applied at most once: re-importing is a no-op). campaign_replicas: campaigns that came in a
      // package, with whose copy they are (a reviewer's laptop holds a read-only campaign).
      // package_sheet_sync: on the lead's side, the revision each sheet had when it last went out or
      // came back, which tells a change made here from one made on the laptop. package_conflicts:
      // a sheet changed on both machines, kept side by side until a person chooses. audit_log.origin_key
      // names an audit entry copied from another workstation, so it is copied once.
      db.exec(`
        CREATE TABLE package_log (
          package_id TEXT NOT NULL,
          direction TEXT NOT NULL CHECK (direction IN ('exported','imported')),
          kind TEXT NOT NULL CHECK (kind IN ('out','return','campaign')),
          campaign_id TEXT NOT NULL,
          reviewer_id TEXT,
          sequence INTEGER NOT NULL DEFAULT 0,
          based_on TEXT,
          created_at TEXT NOT NULL,
          workstation_id TEXT NOT NULL,
          manifest_sm3 TEXT NOT NULL,
          file_sha256 TEXT NOT NULL,
          bytes INTEGER NOT NULL,
          signer_fingerprint TEXT,
          summary_json TEXT NOT NULL DEFAULT '{}',
          actor_id TEXT REFERENCES users(id),
          at TEXT NOT NULL,
          PRIMARY KEY (package_id, direction)
        ) STRICT;
        CREATE INDEX package_log_campaign ON package_log(campaign_id, kind, reviewer_id);

        CREATE TABLE campaign_replicas (
          campaign_id TEXT PRIMARY KEY REFERENCES campaigns(id) ON DELETE CASCADE,
          kind TEXT NOT NULL CHECK (kind IN ('reviewer','transfer','report')),
          reviewer_id TEXT REFERENCES users(id),
          origin_package_id TEXT NOT NULL,
          origin_workstation_id TEXT NOT NULL,
          origin_created_at TEXT NOT NULL,
          imported_at TEXT NOT NULL
        ) STRICT;

        CREATE TABLE package_sheet_sync (
          sheet_id TEXT PRIMARY KEY REFERENCES sheets(id) ON DELETE CASCADE,
          revision INTEGER NOT NULL,
          package_id TEXT NOT NULL,
          updated_at TEXT NOT NULL
        ) STRICT;

        CREATE TABLE package_conflicts (
          id TEXT PRIMARY KEY,
          campaign_id TEXT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
          case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
          reviewer_id TEXT NOT NULL REFERENCES users(id),
          sheet_id TEXT NOT NULL,
          package_id TEXT NOT NULL,
          incoming_json TEXT NOT NULL,
          status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','resolved')),
          resolution TEXT CHECK (resolution IN ('local','incoming')),
          resolved_by TEXT REFERENCES users(id),
          resolved_at TEXT,
          created_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX package_conflicts_campaign ON package_conflicts(campaign_id, status);
        CREATE UNIQUE INDEX package_conflicts_open ON package_conflicts(case_id, reviewer_id) WHERE status = 'open';

        ALTER TABLE audit_log ADD COLUMN origin_key TEXT;
        CREATE UNIQUE INDEX audit_log_origin ON audit_log(origin_key) WHERE origin_key IS NOT NULL;
      `);
    },
  },
  {
    version: 10,
    name: 'unit aliases',
    up(db) {
      // Names a person confirmed (at import) or merged (on the units panel) as another name of a
      // 被评查单位, per region: in 清溪县's campaigns 县市场监管局 is 清溪县市场监督管理局, which says
      // nothing about 桃源县's. Later imports of the same region match them without asking again.
      db.exec(`
        CREATE TABLE unit_aliases (
          region TEXT NOT NULL,
          alias_key TEXT NOT NULL,
          alias TEXT NOT NULL,
          unit_name TEXT NOT NULL,
          created_by TEXT REFERENCES users(id),
          created_at TEXT NOT NULL,
          PRIMARY KEY (region, alias_key)
        ) STRICT;
      `);
    },
  },
  {
    version: 11,
    name: 'confiscation amount and the penalty as written in the case list',
    up(db) {
      // 罚款 and 没收违法所得/非法财物 are two amounts (行政处罚法 art. 9, 28); the 处罚金额 cell is kept as
      // written so a reading the import had to assume can be checked against it.
      db.exec(`
        ALTER TABLE cases ADD COLUMN confiscated_amount REAL;
        ALTER TABLE cases ADD COLUMN penalty_text TEXT NOT NULL DEFAULT '';
      `);
    },
  },
  {
    version: 12,
    name: 'remove score sheets created by opening a file',
    up(db) {
      // Opening a file used to create a score sheet for whoever opened it, the organiser included.
      // Such a sheet holds nothing (a draft without a single answer, so without evidence either) yet
      // locked the campaign's standard and read as 100 分 · 优秀. Each removal is audited. A sheet that
      // came back in a return package and still waits in a conflict is left for that decision.
      const empty = db
        .prepare(
          `SELECT s.id, s.case_id, s.reviewer_id, s.standard_version_id, s.created_at, c.campaign_id
           FROM sheets s JOIN cases c ON c.id = s.case_id
           WHERE s.status = 'draft'
             AND NOT EXISTS (SELECT 1 FROM sheet_answers a WHERE a.sheet_id = s.id)
             AND NOT EXISTS (SELECT 1 FROM package_conflicts p WHERE p.sheet_id = s.id AND p.status = 'open')`,
        )
        .all() as Array<{
        id: string;
        case_id: string;
        reviewer_id: string;
        standard_version_id: string;
        created_at: string;
        campaign_id: string;
      }>;
      const remove = db.prepare('DELETE FROM sheets WHERE id = ?');
      for (const s of empty) {
        remove.run(s.id);
        writeAudit(db, {
          actorId: null,
          action: 'sheet.remove_empty',
          entity: 'sheet',
          entityId: s.id,
          campaignId: s.campaign_id,
          before: { caseId: s.case_id, reviewerId: s.reviewer_id, versionId: s.standard_version_id, createdAt: s.created_at },
          after: { reason: '打开案卷时自动建立、未评定任何项目的评查表，升级时删除' },
        });
      }
    },
  },
  {
    version: 13,
    name: 'OCR results and queue',
    up(db) {
      // What OCR read on each page, keyed by the file's content and the engine that read it: the same
      // file imported into another campaign, or carried to a laptop, is never read twice. The queue
      // holds the files still to be read, so reading resumes after a restart where it stopped.
      db.exec(`
        CREATE TABLE ocr_pages (
          sha256 TEXT NOT NULL,
          page_index INTEGER NOT NULL CHECK (page_index >= 0),
          engine TEXT NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('text', 'blank', 'unreadable')),
          lines_json TEXT NOT NULL DEFAULT '[]',
          mean_confidence REAL,
          dpi REAL NOT NULL,
          ms INTEGER NOT NULL,
          read_at TEXT NOT NULL,
          PRIMARY KEY (sha256, page_index, engine)
        ) STRICT;
        CREATE TABLE ocr_queue (
          document_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
          priority INTEGER NOT NULL DEFAULT 0,
          pages_json TEXT,
          requested_at TEXT NOT NULL
        ) STRICT;
      `);
    },
  },
  {
    version: 14,
    name: 'password attempts counted per account and per source',
    up(db) {
      // A wrong password locks the window (or browser) that typed it, not the account everywhere: a
      // stranger hammering one window must not keep the organiser out of another. `failures` counts
      // every refused attempt, `guesses` those whose password was actually checked; `lockouts` makes
      // each further lock of the same source twice as long.
      db.exec(`
        CREATE TABLE login_throttle (
          user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
          source TEXT NOT NULL,
          failures INTEGER NOT NULL DEFAULT 0,
          guesses INTEGER NOT NULL DEFAULT 0,
          lockouts INTEGER NOT NULL DEFAULT 0,
          locked_until TEXT,
          updated_at TEXT NOT NULL,
          PRIMARY KEY (user_id, source)
        );
      `);
    },
  },
  {
    version: 15,
    name: 'tamper-evident audit trail',
    up(db) {
      // Each row carries the SM3 hash of its content and of the row before it in its segment (rows made
      // here: ''; rows copied from another workstation's package: that workstation's id), so a changed
      // or removed row shows; the triggers refuse changes through SQLite itself. The indexes serve the
      // 留痕 screen's filters, newest first by time (a filter with a date range then reads only that
      // range), on a trail of a million rows.
      db.exec(`
        ALTER TABLE audit_log ADD COLUMN segment TEXT NOT NULL DEFAULT '';
        ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
        ALTER TABLE audit_log ADD COLUMN hash TEXT;
        UPDATE audit_log SET segment = substr(origin_key, 1, instr(origin_key, ':') - 1) WHERE origin_key IS NOT NULL AND instr(origin_key, ':') > 0;
        CREATE INDEX audit_log_segment ON audit_log(segment, id);
        CREATE INDEX audit_log_campaign ON audit_log(campaign_id, at, id);
        CREATE INDEX audit_log_actor ON audit_log(actor_id, at, id);
        CREATE INDEX audit_log_action ON audit_log(action, at, id);
        CREATE INDEX audit_log_entity_id ON audit_log(entity_id, at, id);
        CREATE INDEX audit_log_at ON audit_log(at, id);
      `);
      const last = new Map<string, string>();
      const set = db.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?');
      const rows = db
        .prepare(
          'SELECT id, at, actor_id, action, entity, entity_id, campaign_id, before_json, after_json, origin_key, segment FROM audit_log ORDER BY id',
        )
        .all() as Array<AuditRowContent & { id: number }>;
      for (const r of rows) {
        const prev = last.get(r.segment) ?? GENESIS_HASH;
        const hash = auditRowHash(prev, r);
        set.run(prev, hash, r.id);
        last.set(r.segment, hash);
      }
      db.exec(`
        CREATE TRIGGER ${AUDIT_TRIGGERS[0]} BEFORE UPDATE ON audit_log
          BEGIN SELECT RAISE(ABORT, '留痕记录只能追加，不能修改'); END;
        CREATE TRIGGER ${AUDIT_TRIGGERS[1]} BEFORE DELETE ON audit_log
          BEGIN SELECT RAISE(ABORT, '留痕记录只能追加，不能删除'); END;
      `);
    },
  },
  {
    version: 16,
    name: 'draws per unit; the list row a case came from',
    up(db) {
      // A draw may take N files per unit whatever their type (每单位 N 件) as well as per unit and type;
      // draws recorded before were all per unit and type. An import keeps the list row it read for each
      // case (headers and cells as written), so the case screen can show where its facts came from.
      db.exec(`
        ALTER TABLE draws ADD COLUMN grouping TEXT NOT NULL DEFAULT 'unitType' CHECK (grouping IN ('unitType','unit'));
        ALTER TABLE import_items ADD COLUMN row_json TEXT NOT NULL DEFAULT '';
        CREATE INDEX import_items_case ON import_items(case_id) WHERE case_id IS NOT NULL;
      `);
    },
  },
  {
    version: 17,
    name: 'ledger items entered by hand',
    up(db) {
      // Problems found outside the review (专项整治, 法治督察, complaints): a unit and a matter rather
      // than a scored file; tracked to 销号 like the review's own rows, numbered in the same sequence.
      db.exec(`
        CREATE TABLE ledger_manual_items (
          id TEXT PRIMARY KEY,
          campaign_id TEXT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
          unit_id TEXT NOT NULL REFERENCES units(id),
          serial INTEGER NOT NULL,
          source TEXT NOT NULL CHECK (source IN ('special','inspection','complaint','other')),
          subject TEXT NOT NULL DEFAULT '',
          description TEXT NOT NULL,
          measure TEXT NOT NULL DEFAULT '',
          responsible TEXT NOT NULL DEFAULT '',
          deadline TEXT,
          status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','in_progress','awaiting_check','closed')),
          checker TEXT NOT NULL DEFAULT '',
          check_opinion TEXT NOT NULL DEFAULT '',
          closed_on TEXT,
          revision INTEGER NOT NULL DEFAULT 0,
          created_by TEXT REFERENCES users(id),
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL,
          UNIQUE (campaign_id, serial)
        ) STRICT;
        CREATE INDEX ledger_manual_items_unit ON ledger_manual_items(unit_id);

        CREATE TABLE ledger_manual_evidence (
          id TEXT PRIMARY KEY,
          manual_item_id TEXT NOT NULL REFERENCES ledger_manual_items(id) ON DELETE CASCADE,
          sha256 TEXT NOT NULL REFERENCES blobs(sha256),
          file_name TEXT NOT NULL,
          uploaded_by TEXT REFERENCES users(id),
          uploaded_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX ledger_manual_evidence_item ON ledger_manual_evidence(manual_item_id);
      `);
    },
  },
  {
    version: 18,
    name: "smart pre-check findings and the reviewers' decisions on them",
    up(db) {
      // The pre-check's last run per file (which text it read, so a file is run again when OCR adds
      // pages or the rules change), its findings with the pages they rest on, and what each reviewer
      // did with a finding (采纳/不采纳): a finding only points, the deduction stays the reviewer's.
      // A finding keeps its id across runs while the engine finds it again, so decisions stay with it.
      db.exec(`
        CREATE TABLE precheck_runs (
          case_id TEXT PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
          engine TEXT NOT NULL,
          input_key TEXT NOT NULL,
          pages INTEGER NOT NULL,
          pages_unread INTEGER NOT NULL,
          case_number TEXT,
          case_type TEXT NOT NULL,
          ran_at TEXT NOT NULL
        ) STRICT;
        CREATE TABLE precheck_findings (
          id TEXT PRIMARY KEY,
          case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
          finding_key TEXT NOT NULL,
          rule TEXT NOT NULL,
          severity TEXT NOT NULL CHECK (severity IN ('veto', 'deduction', 'note')),
          title TEXT NOT NULL,
          message TEXT NOT NULL,
          statute TEXT NOT NULL,
          item_id TEXT NOT NULL,
          items_json TEXT NOT NULL DEFAULT '[]',
          pages_json TEXT NOT NULL DEFAULT '[]',
          quotes_json TEXT NOT NULL DEFAULT '[]',
          facts_json TEXT NOT NULL DEFAULT '{}',
          confidence REAL NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
          engine TEXT NOT NULL,
          current INTEGER NOT NULL DEFAULT 1,
          created_at TEXT NOT NULL,
          UNIQUE (case_id, finding_key)
        ) STRICT;
        CREATE INDEX precheck_findings_case ON precheck_findings(case_id, current);
        CREATE TABLE precheck_decisions (
          finding_id TEXT NOT NULL REFERENCES precheck_findings(id) ON DELETE CASCADE,
          reviewer_id TEXT NOT NULL REFERENCES users(id),
          decision TEXT NOT NULL CHECK (decision IN ('taken', 'rejected')),
          reason TEXT NOT NULL DEFAULT '',
          decided_at TEXT NOT NULL,
          PRIMARY KEY (finding_id, reviewer_id)
        ) STRICT;
      `);
    },
  },
  {
    version: 19,
    name: 'indexes for province-sized lists',
    up(db) {
      // A city or province holds 20,000 files: the case list reads one page at a time in 案号 reading
      // order (第2号 before 第10号, kept as a sort key beside the 案号) or by unit, and every filter of
      // the lists (unit, type, reviewer, ledger state) has an index that reads only its own rows.
      db.exec(`
        ALTER TABLE cases ADD COLUMN case_number_sort TEXT NOT NULL DEFAULT '';
        CREATE INDEX cases_campaign_sort ON cases(campaign_id, case_number_sort, id);
        CREATE INDEX cases_unit_sort ON cases(unit_id, case_number_sort, id);
        CREATE INDEX cases_campaign_type_sort ON cases(campaign_id, case_type, case_number_sort, id);
        CREATE INDEX assignments_campaign_reviewer ON assignments(campaign_id, reviewer_id, case_id);
        CREATE INDEX ledger_items_campaign_status ON ledger_items(campaign_id, status, serial);
      `);
      fillCaseSortKeys(db);
      // Statistics for the new indexes, or the planner keeps sorting a whole campaign for one page.
      db.exec('ANALYZE cases; ANALYZE assignments; ANALYZE ledger_items;');
    },
  },
  {
    version: 20,
    name: 'stored results of every sheet and file',
    up(db) {
      // The results board, the case list's state filter and the statistics read one stored row per
      // file instead of scoring every answer of a province's 60,000 sheets on each refresh. The rows
      // are written by the review service with the shared scoring rules (never re-encoded in SQL);
      // triggers only mark a file stale in the same transaction as any change to its sheets,
      // answers, assignments, settlement or the campaign's rules (a package's import included), and
      // stale files are written again before anything reads them. (No INSERT OR IGNORE in the
      // triggers: an outer upsert's conflict rule would override it and fail the change.)
      db.exec(`
        CREATE TABLE case_summaries (
          case_id TEXT PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
          campaign_id TEXT NOT NULL,
          state TEXT NOT NULL,
          route TEXT,
          delivered INTEGER NOT NULL DEFAULT 0,
          sheets INTEGER NOT NULL DEFAULT 0,
          outcome TEXT NOT NULL DEFAULT 'unscored' CHECK (outcome IN ('final','provisional','unscored')),
          total REAL,
          grade TEXT,
          vetoed INTEGER,
          final_total REAL,
          final_grade TEXT,
          final_vetoed INTEGER,
          standard_version_id TEXT,
          max REAL,
          problems_json TEXT NOT NULL DEFAULT '[]',
          disagreement TEXT,
          settled_reasons_json TEXT NOT NULL DEFAULT '{}',
          updated_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX case_summaries_campaign_state ON case_summaries(campaign_id, state);
        CREATE INDEX case_summaries_campaign_grade ON case_summaries(campaign_id, grade);
        CREATE TABLE sheet_summaries (
          sheet_id TEXT PRIMARY KEY REFERENCES sheets(id) ON DELETE CASCADE,
          case_id TEXT NOT NULL,
          status TEXT NOT NULL,
          answered INTEGER NOT NULL DEFAULT 0,
          total REAL,
          grade TEXT,
          vetoed INTEGER
        ) STRICT;
        CREATE INDEX sheet_summaries_case ON sheet_summaries(case_id);
        CREATE TABLE summary_stale (case_id TEXT PRIMARY KEY) STRICT, WITHOUT ROWID;

        CREATE TRIGGER summary_stale_case AFTER INSERT ON cases
          BEGIN INSERT INTO summary_stale SELECT NEW.id WHERE NOT EXISTS (SELECT 1 FROM summary_stale WHERE case_id = NEW.id); END;
        CREATE TRIGGER summary_stale_sheet_ins AFTER INSERT ON sheets
          BEGIN INSERT INTO summary_stale SELECT NEW.case_id WHERE NOT EXISTS (SELECT 1 FROM summary_stale WHERE case_id = NEW.case_id); END;
        CREATE TRIGGER summary_stale_sheet_upd AFTER UPDATE ON sheets
          BEGIN INSERT INTO summary_stale SELECT NEW.case_id WHERE NOT EXISTS (SELECT 1 FROM summary_stale WHERE case_id = NEW.case_id); INSERT INTO summary_stale SELECT OLD.case_id WHERE NOT EXISTS (SELECT 1 FROM summary_stale WHERE case_id = OLD.case_id); END;
        CREATE TRIGGER summary_stale_sheet_del AFTER DELETE ON sheets
          BEGIN INSERT INTO summary_stale SELECT OLD.case_id WHERE NOT EXISTS (SELECT 1 FROM summary_stale WHERE case_id = OLD.case_id); END;
        CREATE TRIGGER summary_stale_answer_ins AFTER INSERT ON sheet_answers
          BEGIN INSERT INTO summary_stale SELECT case_id FROM sheets WHERE id = NEW.sheet_id AND case_id NOT IN (SELECT case_id FROM summary_stale); END;
        CREATE TRIGGER summary_stale_answer_upd AFTER UPDATE ON sheet_answers
          BEGIN INSERT INTO summary_stale SELECT case_id FROM sheets WHERE id = NEW.sheet_id AND case_id NOT IN (SELECT case_id FROM summary_stale); END;
        CREATE TRIGGER summary_stale_answer_del AFTER DELETE ON sheet_answers
          BEGIN INSERT INTO summary_stale SELECT case_id FROM sheets WHERE id = OLD.sheet_id AND case_id NOT IN (SELECT case_id FROM summary_stale); END;
        CREATE TRIGGER summary_stale_review_ins AFTER INSERT ON case_reviews
          BEGIN INSERT INTO summary_stale SELECT NEW.case_id WHERE NOT EXISTS (SELECT 1 FROM summary_stale WHERE case_id = NEW.case_id); END;
        CREATE TRIGGER summary_stale_review_upd AFTER UPDATE ON case_reviews
          BEGIN INSERT INTO summary_stale SELECT NEW.case_id WHERE NOT EXISTS (SELECT 1 FROM summary_stale WHERE case_id = NEW.case_id); END;
        CREATE TRIGGER summary_stale_review_del AFTER DELETE ON case_reviews
          BEGIN INSERT INTO summary_stale SELECT OLD.case_id WHERE NOT EXISTS (SELECT 1 FROM summary_stale WHERE case_id = OLD.case_id); END;
        CREATE TRIGGER summary_stale_agreed_ins AFTER INSERT ON case_review_answers
          BEGIN INSERT INTO summary_stale SELECT NEW.case_id WHERE NOT EXISTS (SELECT 1 FROM summary_stale WHERE case_id = NEW.case_id); END;
        CREATE TRIGGER summary_stale_agreed_upd AFTER UPDATE ON case_review_answers
          BEGIN INSERT INTO summary_stale SELECT NEW.case_id WHERE NOT EXISTS (SELECT 1 FROM summary_stale WHERE case_id = NEW.case_id); END;
        CREATE TRIGGER summary_stale_agreed_del AFTER DELETE ON case_review_answers
          BEGIN INSERT INTO summary_stale SELECT OLD.case_id WHERE NOT EXISTS (SELECT 1 FROM summary_stale WHERE case_id = OLD.case_id); END;
        CREATE TRIGGER summary_stale_assign_ins AFTER INSERT ON assignments
          BEGIN INSERT INTO summary_stale SELECT NEW.case_id WHERE NOT EXISTS (SELECT 1 FROM summary_stale WHERE case_id = NEW.case_id); END;
        CREATE TRIGGER summary_stale_assign_upd AFTER UPDATE ON assignments
          BEGIN INSERT INTO summary_stale SELECT NEW.case_id WHERE NOT EXISTS (SELECT 1 FROM summary_stale WHERE case_id = NEW.case_id); INSERT INTO summary_stale SELECT OLD.case_id WHERE NOT EXISTS (SELECT 1 FROM summary_stale WHERE case_id = OLD.case_id); END;
        CREATE TRIGGER summary_stale_assign_del AFTER DELETE ON assignments
          BEGIN INSERT INTO summary_stale SELECT OLD.case_id WHERE NOT EXISTS (SELECT 1 FROM summary_stale WHERE case_id = OLD.case_id); END;
        CREATE TRIGGER summary_stale_rules_ins AFTER INSERT ON campaign_review_rules
          BEGIN INSERT INTO summary_stale SELECT id FROM cases WHERE campaign_id = NEW.campaign_id AND id NOT IN (SELECT case_id FROM summary_stale); END;
        CREATE TRIGGER summary_stale_rules_upd AFTER UPDATE ON campaign_review_rules
          BEGIN INSERT INTO summary_stale SELECT id FROM cases WHERE campaign_id = NEW.campaign_id AND id NOT IN (SELECT case_id FROM summary_stale); END;

        -- Back-fill: every file is written on the workspace's next start.
        INSERT INTO summary_stale SELECT id FROM cases;
      `);
    },
  },
  {
    version: 21,
    name: 'why a file could not be read by OCR, kept across restarts',
    up(db) {
      // A file OCR could not read keeps its Chinese reason in the case list after a restart, and is
      // not tried again on every change until a person asks (识别 / 继续). (暂停 lives in settings.)
      db.exec(`
        CREATE TABLE ocr_failures (
          document_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
          reason TEXT NOT NULL,
          failed_at TEXT NOT NULL
        ) STRICT;
      `);
    },
  },
  {
    version: 22,
    name: 'cancelled reading of scans; pre-check findings withheld until scans are read',
    up(db) {
      // A pre-check run over a file with unread scans holds back what depends on the whole file, and
      // says how much it held back.
      // 取消 stops the reading of a campaign's scans until someone starts it again, also after a
      // restart: new imports and opening a file in the reader do not quietly queue it again.
      db.exec(`
        CREATE TABLE ocr_cancelled_campaigns (
          campaign_id TEXT PRIMARY KEY REFERENCES campaigns(id) ON DELETE CASCADE,
          cancelled_at TEXT NOT NULL
        ) STRICT;
        ALTER TABLE precheck_runs ADD COLUMN findings_withheld INTEGER NOT NULL DEFAULT 0;
      `);
    },
  },
  {
    version: 23,
    name: 'stored agreement sums of every campaign',
    up(db) {
      // The agreement screen reads one row of sums per campaign instead of every answer of every
      // file: each figure (shares, differences, Krippendorff's alpha) is a sum over files, so the
      // review service changes the sums by the part of each file a change marked stale. A file's
      // last counted ratings are kept (non-passing answers only) so its part can be taken away again;
      // that row outlives a removed file on purpose, for the same reason.
      db.exec(`
        CREATE TABLE agreement_files (
          case_id TEXT PRIMARY KEY,
          campaign_id TEXT NOT NULL,
          ratings_json TEXT NOT NULL
        ) STRICT, WITHOUT ROWID;
        CREATE TABLE agreement_sums (
          campaign_id TEXT PRIMARY KEY REFERENCES campaigns(id) ON DELETE CASCADE,
          sums_json TEXT NOT NULL
        ) STRICT;
        -- Every file's stored results are computed again (this also restates an unsettled file's
        -- problems as what every reviewer found, and one reason per finding).
        INSERT INTO summary_stale SELECT id FROM cases WHERE id NOT IN (SELECT case_id FROM summary_stale);
      `);
    },
  },
  {
    version: 24,
    name: 'indexes for the 整改台账 at province scale',
    up(db) {
      // A province's ledger holds a row per deduction, tens of thousands: it is read a page at a time,
      // and each of its filters (state, 逾期, source, the counts beside them) and the 整改时限 order
      // reads only its own rows. 逾期 (past the deadline, not 销号) is derived, never stored: its index
      // holds the open rows by deadline.
      db.exec(`
        CREATE INDEX ledger_items_campaign_counts ON ledger_items(campaign_id, status, deadline, withdrawn_at);
        CREATE INDEX ledger_items_open_deadline ON ledger_items(campaign_id, deadline) WHERE status <> 'closed' AND withdrawn_at IS NULL;
        CREATE INDEX ledger_items_withdrawn ON ledger_items(campaign_id, serial) WHERE withdrawn_at IS NOT NULL;
        CREATE INDEX ledger_items_deadline_order ON ledger_items(campaign_id, coalesce(deadline, ''), serial);
        CREATE INDEX ledger_manual_items_campaign_status ON ledger_manual_items(campaign_id, status, deadline);
        CREATE INDEX ledger_manual_items_campaign_source ON ledger_manual_items(campaign_id, source, serial);
        CREATE INDEX ledger_manual_items_open_deadline ON ledger_manual_items(campaign_id, deadline) WHERE status <> 'closed';
        CREATE INDEX ledger_manual_items_deadline_order ON ledger_manual_items(campaign_id, coalesce(deadline, ''), serial);
        ANALYZE ledger_items;
        ANALYZE ledger_manual_items;
      `);
    },
  },
  {
    version: 25,
    name: 'recognised page text in the search index cleaned as it is now stored',
    up(db) {
      // Pages read before the recogniser's text was cleaned on storing (or before a 文号 read as
      // 清市监罚（2025）12号 was written 〔2025〕) sit in the search index as read, so a search for the
      // 文号 as printed misses them. Only pages OCR read are rewritten; a PDF's own text layer is the
      // unit's and stays as it is. The cleaning keeps each line's length, so hits stay where they were.
      const rows = db
        .prepare(
          `SELECT t.rowid AS id, t.text FROM page_text t JOIN documents d ON d.id = t.document_id
           WHERE EXISTS (SELECT 1 FROM ocr_pages o WHERE o.sha256 = d.sha256 AND o.page_index = t.page_index AND o.status = 'text')`,
        )
        .all() as Array<{ id: number; text: string }>;
      const update = db.prepare('UPDATE page_text SET text = ? WHERE rowid = ?');
      for (const r of rows) {
        const clean = normaliseOcrText(r.text);
        if (clean !== r.text) update.run(clean, r.id);
      }
    },
  },
  {
    version: 26,
    name: 'the stored review state of a file from one index',
    up(db) {
      // The case list counts the files of each stage under its filters (a unit, a type, a reviewer's
      // files…) and lists those of one stage: a file's state and, waiting for a decision, who decides
      // it are read from these indexes alone, without the stored result's row.
      db.exec(`
        CREATE INDEX case_summaries_case_state ON case_summaries(case_id, state, route);
        CREATE INDEX case_summaries_campaign_state_route ON case_summaries(campaign_id, state, route);
        ANALYZE case_summaries;
      `);
    },
  },
  {
    version: 27,
    name: 'indexes for the results board and the statistics at province scale',
    up(db) {
      // The statistics count a campaign's files per unit and read only its scored files' stored
      // results, grouped; the results board reads a page of files in 案号 order under a review
      // state, and counts each state and route beside it and a reviewer's own files (found from their sheets).
      db.exec(`
        CREATE INDEX cases_campaign_unit ON cases(campaign_id, unit_id);
        CREATE INDEX case_summaries_campaign_outcome ON case_summaries(campaign_id, outcome);
        CREATE INDEX sheets_reviewer ON sheets(reviewer_id, round, case_id);
        ANALYZE cases;
        ANALYZE case_summaries;
      `);
    },
  },
  {
    version: 28,
    name: 'stored file results written again: no result while reviewers are still scoring',
    up(db) {
      // A file one of whose assigned reviewers has not delivered has no result (评分中), not a
      // provisional one: results stored under the old rule would still count it in the statistics
      // and letters. Every file is written again by the back-fill on the workspace's next start.
      db.exec('INSERT INTO summary_stale SELECT id FROM cases WHERE id NOT IN (SELECT case_id FROM summary_stale)');
    },
  },
  {
    version: 29,
    name: 'page text kept in a table indexed by file, the search index built over it',
    up(db) {
      // A full-text table cannot index its file and page columns, so every look-up of one file's pages
      // (OCR, the pre-check, a package) read the text of every page held (400,000 pages at province
      // scale). The text now sits in an ordinary table indexed by file; the full-text index is built
      // over it (SQLite's external-content FTS5 table) and three triggers keep the two in step.
      db.exec(`
        CREATE TABLE page_texts (
          id INTEGER PRIMARY KEY,
          document_id TEXT NOT NULL,
          page_index INTEGER NOT NULL,
          text TEXT NOT NULL
        ) STRICT;
        INSERT INTO page_texts (id, document_id, page_index, text)
          SELECT rowid, document_id, CAST(page_index AS INTEGER), coalesce(text, '') FROM page_text;
        CREATE INDEX page_texts_document ON page_texts(document_id, page_index);
        DROP TABLE page_text;
        CREATE VIRTUAL TABLE page_text USING fts5(
          text, document_id UNINDEXED, page_index UNINDEXED,
          content = 'page_texts', content_rowid = 'id', tokenize = 'trigram'
        );
        CREATE TRIGGER page_texts_insert AFTER INSERT ON page_texts BEGIN
          INSERT INTO page_text (rowid, text, document_id, page_index) VALUES (new.id, new.text, new.document_id, new.page_index);
        END;
        CREATE TRIGGER page_texts_delete AFTER DELETE ON page_texts BEGIN
          INSERT INTO page_text (page_text, rowid, text, document_id, page_index)
            VALUES ('delete', old.id, old.text, old.document_id, old.page_index);
        END;
        CREATE TRIGGER page_texts_update AFTER UPDATE ON page_texts BEGIN
          INSERT INTO page_text (page_text, rowid, text, document_id, page_index)
            VALUES ('delete', old.id, old.text, old.document_id, old.page_index);
          INSERT INTO page_text (rowid, text, document_id, page_index) VALUES (new.id, new.text, new.document_id, new.page_index);
        END;
        INSERT INTO page_text (page_text) VALUES ('rebuild');
        ANALYZE page_texts;
      `);
    },
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);

/**
 * Writes the 案号 sort key of cases that have none or an outdated one (cases arriving in a work
 * package carry only the 案号); one campaign's or every campaign's.
 */
export function fillCaseSortKeys(db: Db, campaignId?: string): number {
  const rows = (
    campaignId
      ? db.prepare('SELECT id, case_number, case_number_sort FROM cases WHERE campaign_id = ?').all(campaignId)
      : db.prepare('SELECT id, case_number, case_number_sort FROM cases').all()
  ) as Array<{ id: string; case_number: string; case_number_sort: string }>;
  const set = db.prepare('UPDATE cases SET case_number_sort = ? WHERE id = ?');
  let changed = 0;
  for (const r of rows) {
    const key = caseNumberSortKey(r.case_number);
    if (key !== r.case_number_sort) {
      set.run(key, r.id);
      changed++;
    }
  }
  return changed;
}
