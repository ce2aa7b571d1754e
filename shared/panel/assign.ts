/**
 * Random reviewer assignment (the second 随机 of 双随机): K reviewers per file, never a conflicted one,
 * optionally at least one legal professional per file, loads as even as the conflicts allow.
 *
 * How:
 * 1. Necessary checks per file (enough reviewers without a conflict, a legal professional among them).
 * 2. A load band [a, b] per reviewer — b − a ≤ 1 first, wider only when 回避 or the legal-professional
 *   rule make an even split impossible. A reviewer who may review only e files gets [min(a, e), min(b, e)].
 * 3. Whether an assignment inside the band exists is a flow problem with lower bounds
 *    (source → reviewer [lower, upper] → file [0, 1] → sink [K, K]; with the legal rule, legal
 *    reviewers reach a file through a node that must carry at least 1). Dinic's algorithm answers it;
 *    the smallest feasible band width is found by binary search.
 * 4. The graph is built in an order shuffled by the seeded stream, and the result is then mixed by
 *    random moves and swaps that keep every rule and band, so the seed decides who reviews what.
 * Same input and seed → same assignment (the preview and the apply compute the same thing).
 */
import { SeededStream, type Sm3 } from './random.js';

export interface AssignFile {
  id: string;
  unitId: string;
}

export interface AssignReviewer {
  id: string;
  legal: boolean;
}

export interface AssignInput {
  files: readonly AssignFile[];
  reviewers: readonly AssignReviewer[];
  /** reviewer id → the unit ids they must not review. */
  conflicts: ReadonlyMap<string, ReadonlySet<string>>;
  perFile: number;
  requireLegal: boolean;
  seed: string;
  /** A faster SM3 with the same digests (see SeededStream); the result does not depend on it. */
  sm3?: Sm3;
}

export type AssignProblem =
  | { kind: 'too_few_reviewers'; needed: number; available: number }
  | { kind: 'no_legal_reviewer' }
  | { kind: 'file_short'; fileId: string; eligible: number }
  | { kind: 'file_no_legal'; fileId: string };

export type AssignResult =
  | {
      ok: true;
      /** file id → reviewer ids (in the input's reviewer order). */
      byFile: Record<string, string[]>;
      loads: Record<string, number>;
      /** The load band that was achieved for reviewers not limited by conflicts. */
      band: { low: number; high: number };
      /** True when every reviewer's load is within one file of the others' (conflict-limited reviewers aside). */
      balanced: boolean;
    }
  | { ok: false; problems: AssignProblem[] };

// ── max flow (Dinic) ────────────────────────────────────────────────────────────────────────

class Flow {
  readonly to: number[] = [];
  readonly cap: number[] = [];
  private readonly adj: number[][];
  private level: number[] = [];
  private iter: number[] = [];

  constructor(readonly size: number) {
    this.adj = Array.from({ length: size }, () => []);
  }

  /** Adds u → v with capacity c; returns the edge index (even; its reverse is index ^ 1). */
  add(u: number, v: number, c: number): number {
    const e = this.to.length;
    this.to.push(v, u);
    this.cap.push(c, 0);
    this.adj[u]!.push(e);
    this.adj[v]!.push(e + 1);
    return e;
  }

  private bfs(s: number, t: number): boolean {
    this.level = new Array<number>(this.size).fill(-1);
    this.level[s] = 0;
    const queue = [s];
    for (let qi = 0; qi < queue.length; qi++) {
      const u = queue[qi]!;
      for (const e of this.adj[u]!) {
        const v = this.to[e]!;
        if (this.cap[e]! > 0 && this.level[v]! < 0) {
          this.level[v] = this.level[u]! + 1;
          queue.push(v);
        }
      }
    }
    return this.level[t]! >= 0;
  }

  private dfs(u: number, t: number, f: number): number {
    if (u === t) return f;
    const edges = this.adj[u]!;
    for (; this.iter[u]! < edges.length; this.iter[u]!++) {
      const e = edges[this.iter[u]!]!;
      const v = this.to[e]!;
      if (this.cap[e]! > 0 && this.level[v] === this.level[u]! + 1) {
        const d = this.dfs(v, t, Math.min(f, this.cap[e]!));
        if (d > 0) {
          this.cap[e]! -= d;
          this.cap[e ^ 1]! += d;
          return d;
        }
      }
    }
    return 0;
  }

  max(s: number, t: number): number {
    let total = 0;
    while (this.bfs(s, t)) {
      this.iter = new Array<number>(this.size).fill(0);
      for (let f = this.dfs(s, t, Infinity); f > 0; f = this.dfs(s, t, Infinity)) total += f;
    }
    return total;
  }
}

/** Edges with lower bounds, solved as a circulation: feasible → flow on every edge, else null. */
class BoundedFlow {
  private readonly edges: Array<{ u: number; v: number; low: number; index: number }> = [];
  private readonly pending: Array<{ u: number; v: number; low: number; high: number }> = [];
  constructor(private readonly size: number) {}

  add(u: number, v: number, low: number, high: number): number {
    this.pending.push({ u, v, low, high });
    return this.pending.length - 1;
  }

  solve(s: number, t: number): number[] | null {
    const flow = new Flow(this.size + 2);
    const ss = this.size;
    const tt = this.size + 1;
    const excess = new Array<number>(this.size).fill(0);
    this.edges.length = 0;
    for (const p of this.pending) {
      if (p.high < p.low) return null;
      this.edges.push({ u: p.u, v: p.v, low: p.low, index: flow.add(p.u, p.v, p.high - p.low) });
      excess[p.v]! += p.low;
      excess[p.u]! -= p.low;
    }
    flow.add(t, s, Number.MAX_SAFE_INTEGER);
    let need = 0;
    excess.forEach((x, v) => {
      if (x > 0) {
        flow.add(ss, v, x);
        need += x;
      } else if (x < 0) flow.add(v, tt, -x);
    });
    if (flow.max(ss, tt) !== need) return null;
    return this.edges.map((e) => e.low + flow.cap[e.index + 1]!);
  }
}

// ── assignment ──────────────────────────────────────────────────────────────────────────────

export function assignReviewers(input: AssignInput): AssignResult {
  const { files, perFile: k } = input;
  const stream = new SeededStream(`assign\n${input.seed}`, input.sm3);
  const conflicted = (r: AssignReviewer, f: AssignFile): boolean => input.conflicts.get(r.id)?.has(f.unitId) ?? false;

  const problems: AssignProblem[] = [];
  if (files.length === 0)
    return {
      ok: true,
      byFile: {},
      loads: Object.fromEntries(input.reviewers.map((rv) => [rv.id, 0])),
      band: { low: 0, high: 0 },
      balanced: true,
    };
  if (input.reviewers.length < k) problems.push({ kind: 'too_few_reviewers', needed: k, available: input.reviewers.length });
  if (input.requireLegal && !input.reviewers.some((r) => r.legal)) problems.push({ kind: 'no_legal_reviewer' });
  if (problems.length) return { ok: false, problems };
  for (const f of files) {
    const eligible = input.reviewers.filter((r) => !conflicted(r, f));
    if (eligible.length < k) problems.push({ kind: 'file_short', fileId: f.id, eligible: eligible.length });
    else if (input.requireLegal && !eligible.some((r) => r.legal)) problems.push({ kind: 'file_no_legal', fileId: f.id });
  }
  if (problems.length) return { ok: false, problems };

  const reviewers = stream.shuffled(input.reviewers);
  const order = new Map(input.reviewers.map((r, i) => [r.id, i]));
  const eligibleCount = new Map(reviewers.map((r) => [r.id, files.filter((f) => !conflicted(r, f)).length]));
  const fileOrder = stream.shuffled(files.map((_, i) => i));
  const candidates = files.map((f) => stream.shuffled(reviewers.filter((r) => !conflicted(r, f))));

  const slots = files.length * k;
  const r = reviewers.length;
  const boundsFor = (low: number, high: number) => (rv: AssignReviewer) => {
    const e = eligibleCount.get(rv.id)!;
    return { low: Math.min(low, e), high: Math.min(high, e) };
  };

  /** Solves for one band; returns file index → reviewers, or null when no assignment fits it. */
  const solve = (low: number, high: number): AssignReviewer[][] | null => {
    const S = 0;
    const T = 1;
    const rNode = (i: number) => 2 + i;
    const fNode = (i: number) => 2 + r + i;
    const lNode = (i: number) => 2 + r + files.length + i;
    const net = new BoundedFlow(2 + r + files.length * (input.requireLegal ? 2 : 1));
    const bounds = boundsFor(low, high);
    const index = new Map(reviewers.map((rv, i) => [rv.id, i]));
    reviewers.forEach((rv, i) => {
      const b = bounds(rv);
      net.add(S, rNode(i), b.low, b.high);
    });
    const links: Array<{ edge: number; file: number; reviewer: AssignReviewer }> = [];
    for (const fi of fileOrder) {
      for (const rv of candidates[fi]!) {
        const via = input.requireLegal && rv.legal ? lNode(fi) : fNode(fi);
        links.push({ edge: net.add(rNode(index.get(rv.id)!), via, 0, 1), file: fi, reviewer: rv });
      }
      if (input.requireLegal) net.add(lNode(fi), fNode(fi), 1, k);
      net.add(fNode(fi), T, k, k);
    }
    const flow = net.solve(S, T);
    if (!flow) return null;
    const byFile: AssignReviewer[][] = files.map(() => []);
    for (const l of links) if (flow[l.edge] === 1) byFile[l.file]!.push(l.reviewer);
    return byFile;
  };

  /** A feasible band of width d, if any (the highest such band: the most even split). */
  const maxEligible = Math.max(...eligibleCount.values());
  const bandOfWidth = (d: number): { low: number; high: number; byFile: AssignReviewer[][] } | null => {
    for (let low = maxEligible; low >= 0; low--) {
      const bounds = boundsFor(low, low + d);
      const range = reviewers.reduce(
        (acc, rv) => {
          const b = bounds(rv);
          return { min: acc.min + b.low, max: acc.max + b.high };
        },
        { min: 0, max: 0 },
      );
      if (range.min > slots || range.max < slots) continue;
      const byFile = solve(low, low + d);
      if (byFile) return { low, high: low + d, byFile };
    }
    return null;
  };

  let best = bandOfWidth(0) ?? bandOfWidth(1);
  if (!best) {
    let lo = 1;
    let hi = slots;
    // Without a band the per-file checks above guarantee a solution, so the search ends.
    best = bandOfWidth(hi);
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      const found = bandOfWidth(mid);
      if (found) {
        hi = mid;
        best = found;
      } else lo = mid;
    }
  }
  if (!best) throw new Error('assignment search failed although every file has enough eligible reviewers');

  mix(best.byFile, files, reviewers, boundsFor(best.low, best.high), conflicted, input.requireLegal, stream);

  const byFile: Record<string, string[]> = {};
  const loads: Record<string, number> = Object.fromEntries(input.reviewers.map((rv) => [rv.id, 0]));
  best.byFile.forEach((list, fi) => {
    byFile[files[fi]!.id] = list.map((rv) => rv.id).sort((a, b) => order.get(a)! - order.get(b)!);
    for (const rv of list) loads[rv.id]!++;
  });
  return { ok: true, byFile, loads, band: { low: best.low, high: best.high }, balanced: best.high - best.low <= 1 };
}

/**
 * Random moves (give a file to another reviewer) and swaps (two reviewers trade files) that keep
 * every rule: no conflict, no reviewer twice on a file, the legal rule, each reviewer inside the band.
 */
function mix(
  byFile: AssignReviewer[][],
  files: readonly AssignFile[],
  reviewerList: readonly AssignReviewer[],
  bounds: (r: AssignReviewer) => { low: number; high: number },
  conflicted: (r: AssignReviewer, f: AssignFile) => boolean,
  requireLegal: boolean,
  stream: SeededStream,
): void {
  // Reviewers by position, and each (file, reviewer) conflict looked up once: a province's 20,000
  // files make millions of attempts, each of which would otherwise search maps and copy lists.
  const R = reviewerList.length;
  const F = files.length;
  const index = new Map(reviewerList.map((r, i) => [r.id, i]));
  const legal = reviewerList.map((r) => r.legal);
  const low = reviewerList.map((r) => bounds(r).low);
  const high = reviewerList.map((r) => bounds(r).high);
  const blocked = new Uint8Array(R * F);
  for (let f = 0; f < F; f++) for (let r = 0; r < R; r++) if (conflicted(reviewerList[r]!, files[f]!)) blocked[f * R + r] = 1;
  const lists = byFile.map((list) => list.map((r) => index.get(r.id)!));
  const load = new Int32Array(R);
  for (const list of lists) for (const r of list) load[r]!++;
  const attempts = 30 * byFile.reduce((n, l) => n + l.length, 0);
  for (let n = 0; n < attempts && F > 0 && R > 1; n++) {
    const fi = stream.below(F);
    const list = lists[fi]!;
    if (list.length === 0) continue;
    const slot = stream.below(list.length);
    const out = list[slot]!;
    const into = stream.below(R);
    if (list.includes(into) || blocked[fi * R + into]) continue;
    // The file keeps a legal professional with `into` in `out`'s place.
    if (requireLegal && !legal[into] && !list.some((r, i) => i !== slot && legal[r])) continue;
    if (stream.below(2) === 0) {
      // Move: `out` gives this file to `into`.
      if (load[out]! - 1 < low[out]! || load[into]! + 1 > high[into]!) continue;
      list[slot] = into;
      load[out]!--;
      load[into]!++;
    } else {
      // Swap: `into` hands one of its files to `out` in return.
      const gi = stream.below(F);
      const other = lists[gi]!;
      if (gi === fi || !other.includes(into) || other.includes(out)) continue;
      if (blocked[gi * R + out]) continue;
      if (requireLegal && !legal[out] && !other.some((r) => r !== into && legal[r])) continue;
      list[slot] = into;
      other[other.indexOf(into)] = out;
    }
  }
  lists.forEach((list, fi) => {
    byFile[fi] = list.map((r) => reviewerList[r]!);
  });
}

/** The settings an assignment can be made with once the unmet requirements are eased. */
export interface AssignRelaxation {
  perFile: number;
  requireLegal: boolean;
}

/**
 * What to ease when the requirements cannot all be met: drop the legal-professional rule when some
 * file has no eligible legal professional, and lower the reviewers per file to what every file can
 * have after 回避. Null when nothing needs easing, or when a file has no eligible reviewer at all
 * (then only the panel itself can help).
 */
export function relaxationFor(
  input: Pick<AssignInput, 'files' | 'reviewers' | 'conflicts' | 'perFile' | 'requireLegal'>,
): AssignRelaxation | null {
  const eligible = (f: AssignFile): AssignReviewer[] => input.reviewers.filter((r) => !(input.conflicts.get(r.id)?.has(f.unitId) ?? false));
  const perFile = Math.min(input.perFile, ...input.files.map((f) => eligible(f).length));
  const requireLegal = input.requireLegal && input.files.every((f) => eligible(f).some((r) => r.legal));
  if (perFile < 1 || (perFile === input.perFile && requireLegal === input.requireLegal)) return null;
  return { perFile, requireLegal };
}

/**
 * The preview's settings on a fresh panel: two reviewers a file (one when the panel has one), and a
 * legal professional on every file only when the panel has one to give.
 */
export function assignmentDefaults(reviewers: ReadonlyArray<{ legal: boolean }>): AssignRelaxation {
  return { perFile: Math.max(1, Math.min(2, reviewers.length)), requireLegal: reviewers.some((r) => r.legal) };
}

/** "每卷 1 人、不要求法律专业人员": what easing changes, in the words of the form. */
export function relaxText(relax: { perFile: number; requireLegal: boolean }, from: { perFile: number; requireLegal: boolean }): string {
  return [
    ...(relax.perFile !== from.perFile ? [`每卷 ${relax.perFile} 人`] : []),
    ...(relax.requireLegal !== from.requireLegal ? ['不要求每卷有法律专业人员'] : []),
  ].join('、');
}
