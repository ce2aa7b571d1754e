/**
 * Editing a definition in the browser: small immutable operations on the tree, so the editor keeps
 * the unsaved draft as one value and the shared validator can check it after every change.
 */
import type { BlockNode, ItemNode, StandardDefinition } from '../../../../shared/standards/model';

type Node = BlockNode | ItemNode;

function mapChildren(children: Node[], id: string, change: (node: Node) => Node | null): Node[] {
  const out: Node[] = [];
  for (const child of children) {
    if (child.id === id) {
      const next = change(child);
      if (next) out.push(next);
    } else if (child.kind === 'block') out.push({ ...child, children: mapChildren(child.children, id, change) });
    else out.push(child);
  }
  return out;
}

/** Replaces (or, when `change` returns null, removes) the block or item with this id. */
export function changeNode(def: StandardDefinition, id: string, change: (node: Node) => Node | null): StandardDefinition {
  const gateItems = def.gate.items.flatMap((item) => {
    if (item.id !== id) return [item];
    const next = change(item);
    return next && next.kind === 'item' ? [next] : [];
  });
  return { ...def, gate: { ...def.gate, items: gateItems }, blocks: mapChildren(def.blocks, id, change) as BlockNode[] };
}

/** An id not used anywhere in the definition, derived from the standard's own prefix. */
export function freshId(def: StandardDefinition, base: string): string {
  const used = new Set<string>();
  const walk = (nodes: Node[]): void => {
    for (const n of nodes) {
      used.add(n.id);
      if (n.kind === 'block') walk(n.children);
    }
  };
  walk(def.gate.items);
  walk(def.blocks);
  let id = base;
  for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
  return id;
}

/** A new item at the end of a block (or of the gate when `blockId` is null), ready to be filled in. */
export function addItem(def: StandardDefinition, blockId: string | null, code: string): { def: StandardDefinition; itemId: string } {
  const veto = blockId === null;
  const item: ItemNode = {
    kind: 'item',
    id: freshId(def, `${def.standardId}-${code}`),
    code,
    text: '（新项目）',
    points: veto ? 0 : 1,
    rule: veto ? { kind: 'veto' } : { kind: 'full' },
    ruleText: '',
  };
  if (veto) return { def: { ...def, gate: { ...def.gate, items: [...def.gate.items, item] } }, itemId: item.id };
  return { def: changeNode(def, blockId, (b) => (b.kind === 'block' ? { ...b, children: [...b.children, item] } : b)), itemId: item.id };
}

/** A code for a new item that follows the last code in its block ("12.8" → "12.9"), never one in use. */
export function nextCode(def: StandardDefinition, siblings: Node[]): string {
  const codes = new Set<string>();
  const walk = (nodes: Node[]): void => {
    for (const n of nodes) {
      if (n.kind === 'item') codes.add(n.code);
      else walk(n.children);
    }
  };
  walk(def.gate.items);
  walk(def.blocks);
  const last = [...siblings].reverse().find((n): n is ItemNode => n.kind === 'item')?.code ?? '0';
  const m = /^(.*?)(\d+)$/.exec(last);
  for (let k = 1; ; k++) {
    const candidate = m ? `${m[1]}${Number(m[2]) + k}` : `${last}-${k}`;
    if (!codes.has(candidate)) return candidate;
  }
}
