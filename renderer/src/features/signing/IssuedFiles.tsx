import type { RegisterEntry } from '../../../../shared/signing/api';
import { download, errorMessage, invoke } from '../../api/client';
import { useToast } from '../../ui/toast';

type What = 'pdf' | 'docx' | 'manifest' | 'handoff';
const WHAT_LABELS: Record<What, string> = { pdf: 'PDF', docx: 'DOCX', manifest: '签名清单', handoff: '交付签章' };

/** Download buttons for an issued document's frozen files, its signing manifest and the 签章 hand-off. */
export function IssuedFiles({ entry }: { entry: Pick<RegisterEntry, 'id' | 'files'> }) {
  const toast = useToast();
  async function get(what: What) {
    try {
      const out = await invoke('register:download', { issuedId: entry.id, what });
      download(out.url, out.fileName);
    } catch (err) {
      toast.show(errorMessage(err), 'error');
    }
  }
  const available = (['pdf', 'docx', 'manifest', 'handoff'] as const).filter(
    (w) => w === 'manifest' || entry.files.some((f) => f.role === (w === 'handoff' ? 'pdf' : w)),
  );
  return (
    <div className="row-actions">
      {available.map((w) => (
        <button key={w} className="btn btn-sm" type="button" onClick={() => get(w)}>
          {WHAT_LABELS[w]}
        </button>
      ))}
    </div>
  );
}
