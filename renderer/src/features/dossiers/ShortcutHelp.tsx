/** The case screen's keyboard shortcuts (opened with “?”): the reader's, then the score sheet's. */
import { SHEET_KEY_HELP } from '../scoring';
import { Dialog } from '../../ui/dialog';
import { SHORTCUTS } from './shortcuts';

export function ShortcutHelp({ open, onClose }: { open: boolean; onClose(): void }) {
  return (
    <Dialog
      open={open}
      title="阅读、批注与评分快捷键"
      onClose={onClose}
      width={640}
      footer={
        <button type="button" className="btn btn-primary" onClick={onClose}>
          知道了
        </button>
      }
    >
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
      <h3 className="shortcut-heading">评查表</h3>
      <p className="muted shortcut-note">字母和数字键在阅读区和评查表中都可用；焦点在评查表内时，N 为“不适用”、? 显示评查表的快捷键。</p>
      <table className="table shortcut-table">
        <tbody>
          {SHEET_KEY_HELP.map(([k, what]) => (
            <tr key={k}>
              <td className="keys">
                <kbd>{k}</kbd>
              </td>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Dialog>
  );
}
