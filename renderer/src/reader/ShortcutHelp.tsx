/** The reader's keyboard shortcuts (opened with “?”). */
import { Dialog } from '../ui/dialog';
import { SHORTCUTS } from './shortcuts';

export function ShortcutHelp({ open, onClose }: { open: boolean; onClose(): void }) {
  return (
    <Dialog open={open} title="阅读与批注快捷键" onClose={onClose} width={620} footer={<button type="button" className="btn btn-primary" onClick={onClose}>知道了</button>}>
      <table className="table shortcut-table">
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.what}>
              <td className="keys">
                {s.keys.map((k, i) => (
                  <span key={k}>
                    {i > 0 && (s.keys.length === 2 && !['Ctrl', 'Shift'].includes(s.keys[0]!) ? ' / ' : ' + ')}
                    <kbd>{k}</kbd>
                  </span>
                ))}
              </td>
              <td>{s.what}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Dialog>
  );
}
