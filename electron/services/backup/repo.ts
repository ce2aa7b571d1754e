/**
 * What backup and restore read from a database: the workstation's trail (the folders backups went
 * to), and a backup's database copy (what it refers to, which campaigns it holds, which file a stored
 * content is) to name things to a person. A copy is opened for one question and closed again, so each
 * of its questions prepares its one statement; the workstation's are prepared once per database.
 */
import type { Db } from '../core/db/database.js';
import { perDatabase } from '../core/db/per-database.js';

/** A backup's database copy, asked one question while it is open. */
export const backupCopy = {
  /** The export files the copy refers to, by their path under the exports folder. */
  exportPaths(copy: Db): string[] {
    return copy.prepare('SELECT rel_path FROM exports').pluck().all() as string[];
  },

  /** The names of the campaigns the copy holds, the oldest first. */
  campaignNames(copy: Db): string[] {
    return copy.prepare('SELECT name FROM campaigns ORDER BY created_at').pluck().all() as string[];
  },

  /** Up to three case files of this content, with their case's 案号, by 案号. */
  filesOfContent(copy: Db, sha256: string): Array<{ caseNumber: string; fileName: string }> {
    return copy
      .prepare(
        `SELECT c.case_number AS caseNumber, d.file_name AS fileName FROM documents d JOIN cases c ON c.id = d.case_id
         WHERE d.sha256 = ? ORDER BY c.case_number LIMIT 3`,
      )
      .all(sha256) as Array<{ caseNumber: string; fileName: string }>;
  },
};

function prepare(db: Db) {
  return {
    backupFolders: db
      .prepare(
        `SELECT json_extract(after_json, '$.folder') FROM audit_log WHERE action = 'workspace.backup' AND segment = ''
         GROUP BY 1 ORDER BY max(id) DESC LIMIT 8`,
      )
      .pluck(),
  };
}

export class BackupRepo {
  private readonly q: ReturnType<typeof prepare>;

  constructor(db: Db) {
    this.q = prepare(db);
  }

  /** The last eight folders this workstation's own trail says it wrote backups to, the latest first. */
  backupFolders(): Array<string | null> {
    return this.q.backupFolders.all() as Array<string | null>;
  }
}

/** The repo of this database (statements prepared once per database). */
export const backupRepo = perDatabase((db) => new BackupRepo(db));
