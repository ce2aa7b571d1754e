/**
 * Labels for versions made from another one (an edit of a frozen version, a clone, an import whose
 * label is taken): "2022版" → "2022版（修订1）" → "2022版（修订2）", never one that already exists.
 */
const REVISION = /（修订\d+）$/;

export function nextVersionLabel(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  const stem = base.replace(REVISION, '');
  for (let n = 1; ; n++) {
    const label = `${stem}（修订${n}）`;
    if (!used.has(label)) return label;
  }
}
