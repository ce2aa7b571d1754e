/** The PDF's own outline (bookmarks), when it has one. */
import type { OutlineNode } from './pdf/PdfViewer';

export function OutlineView({ outline, onPick }: { outline: OutlineNode[] | null; onPick(dest: unknown): void }) {
  if (!outline) return <p className="side-empty">该文件没有目录（书签）。</p>;
  const render = (nodes: OutlineNode[]) => (
    <ul>
      {nodes.map((n, i) => (
        <li key={i}>
          <button type="button" className="outline-item" onClick={() => onPick(n.dest)}>
            {n.title}
          </button>
          {n.items.length > 0 && render(n.items)}
        </li>
      ))}
    </ul>
  );
  return (
    <nav className="outline" aria-label="文件目录">
      {render(outline)}
    </nav>
  );
}
