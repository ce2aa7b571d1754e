/**
 * The files of the dossier (立案审批表, 询问笔录 …) in order, each named by the 案卷's 案号 (its
 * original file name beneath) until someone renames it, with its page count and the result of the
 * integrity check.
 */
import { useState } from 'react';
import type { DossierDocument } from '../../../../shared/dossiers/dossier';
import { INTEGRITY_LABELS } from '../../../../shared/dossiers/integrity';
import type { IntegrityStatus } from '../../../../shared/dossiers/reader';
import { errorMessage, invoke } from '../../api/client';
import { useToast } from '../../ui/toast';
import { fileLabel } from './file-labels';

export function DocumentList({
  documents,
  caseNumber,
  currentId,
  integrity,
  canRename,
  onOpen,
}: {
  documents: DossierDocument[];
  caseNumber: string | undefined;
  currentId: string | undefined;
  integrity: Record<string, IntegrityStatus>;
  canRename: boolean;
  onOpen(documentId: string): void;
}) {
  const toast = useToast();
  const [editing, setEditing] = useState<string | null>(null);
  const [draft, setDraft] = useState('');

  async function save(doc: DossierDocument) {
    const title = draft.trim();
    setEditing(null);
    if (!title || title === doc.title) return;
    try {
      await invoke('document:rename', { documentId: doc.id, title });
      toast.show(`已重命名为“${title}”`, 'ok');
    } catch (err) {
      toast.show(errorMessage(err), 'error');
    }
  }

  return (
    <ol className="doc-list" aria-label="案卷文件">
      {documents.map((d, i) => {
        const status = integrity[d.id];
        return (
          <li key={d.id} className={d.id === currentId ? 'current' : undefined}>
            {editing === d.id ? (
              <input
                className="input"
                aria-label="文件名称"
                autoFocus
                value={draft}
                maxLength={200}
                onChange={(e) => setDraft(e.target.value)}
                onBlur={() => void save(d)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') void save(d);
                  if (e.key === 'Escape') {
                    e.stopPropagation();
                    setEditing(null);
                  }
                }}
              />
            ) : (
              <button
                type="button"
                className="doc-open"
                aria-current={d.id === currentId ? 'true' : undefined}
                onClick={() => onOpen(d.id)}
                title={`原文件名：${d.fileName}`}
              >
                <span className="doc-no">{i + 1}</span>
                <span className="doc-title">{fileLabel(d, caseNumber, i, documents.length)}</span>
                <span className="doc-meta muted">
                  {d.pageCount} 页{!d.hasText && ' · 扫描件'}
                </span>
                <span className="doc-meta doc-file muted">原文件名：{d.fileName}</span>
                {status && status !== 'ok' && (
                  <span className="badge badge-danger" role="status">
                    ⚠ {INTEGRITY_LABELS[status]}
                  </span>
                )}
              </button>
            )}
            {canRename && editing !== d.id && (
              <button
                type="button"
                className="btn btn-sm btn-ghost doc-rename"
                aria-label={`重命名“${d.title}”`}
                title="重命名"
                onClick={() => {
                  setDraft(d.title);
                  setEditing(d.id);
                }}
              >
                ✎
              </button>
            )}
          </li>
        );
      })}
    </ol>
  );
}
