/**
 * From the detector's text-probability map to text-line boxes (the "DB" post-processing of
 * PaddleOCR): threshold the map, take each connected region, keep it when the detector was sure of it
 * on average, fit a rotated rectangle to it (scanned pages lie a degree or two askew on the glass)
 * and grow it back by the margin the model was trained to shrink text regions by.
 */

/** A rotated rectangle in image pixels: centre, half sizes along its own axes, angle of its x axis. */
export interface TextBox {
  cx: number;
  cy: number;
  /** Half the size along the box's own x axis (the reading direction for horizontal text). */
  halfWidth: number;
  halfHeight: number;
  /** Radians, within (-π/4, π/4]: the box's x axis is the one nearer to horizontal. */
  angle: number;
  /** Mean text probability inside the region. */
  score: number;
}

export interface DetectionSettings {
  /** Pixels with a probability above this are text. */
  pixelThreshold: number;
  /** A region is kept when its mean probability is at least this. */
  boxThreshold: number;
  /** PaddleOCR's unclip ratio: the box grows by area × ratio / perimeter on every side. */
  unclipRatio: number;
  /** Regions thinner than this (in map pixels) are specks. */
  minSize: number;
}

export const DEFAULT_DETECTION: DetectionSettings = { pixelThreshold: 0.3, boxThreshold: 0.6, unclipRatio: 1.5, minSize: 3 };

/** Boxes in map pixels, in reading order (top to bottom, then left to right within a line). */
export function textBoxesFromMap(
  map: Float32Array,
  width: number,
  height: number,
  settings: DetectionSettings = DEFAULT_DETECTION,
): TextBox[] {
  const labels = new Int32Array(width * height);
  const stack = new Int32Array(width * height);
  const boxes: TextBox[] = [];
  let label = 0;
  for (let start = 0; start < map.length; start++) {
    if (labels[start] !== 0 || map[start]! <= settings.pixelThreshold) continue;
    label++;
    // Flood fill (8-connected), accumulating the moments the rectangle is fitted from.
    let top = 0;
    stack[top++] = start;
    labels[start] = label;
    let n = 0;
    let sumP = 0;
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let syy = 0;
    let sxy = 0;
    const members: number[] = [];
    while (top > 0) {
      const i = stack[--top]!;
      const x = i % width;
      const y = (i - x) / width;
      n++;
      sumP += map[i]!;
      sx += x;
      sy += y;
      sxx += x * x;
      syy += y * y;
      sxy += x * y;
      members.push(i);
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= width || (dx === 0 && dy === 0)) continue;
          const j = yy * width + xx;
          if (labels[j] === 0 && map[j]! > settings.pixelThreshold) {
            labels[j] = label;
            stack[top++] = j;
          }
        }
      }
    }
    if (n < settings.minSize * settings.minSize) continue;
    const score = sumP / n;
    if (score < settings.boxThreshold) continue;
    const mx = sx / n;
    const my = sy / n;
    const cxx = sxx / n - mx * mx;
    const cyy = syy / n - my * my;
    const cxy = sxy / n - mx * my;
    let angle = 0.5 * Math.atan2(2 * cxy, cxx - cyy);
    if (angle > Math.PI / 4) angle -= Math.PI / 2;
    else if (angle <= -Math.PI / 4) angle += Math.PI / 2;
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    let u0 = Infinity;
    let u1 = -Infinity;
    let v0 = Infinity;
    let v1 = -Infinity;
    for (const i of members) {
      const x = i % width;
      const y = (i - x) / width;
      const u = (x - mx) * cos + (y - my) * sin;
      const v = -(x - mx) * sin + (y - my) * cos;
      if (u < u0) u0 = u;
      if (u > u1) u1 = u;
      if (v < v0) v0 = v;
      if (v > v1) v1 = v;
    }
    // Pixel extents are inclusive: a region one pixel wide is one pixel, not zero.
    const w = u1 - u0 + 1;
    const h = v1 - v0 + 1;
    if (Math.min(w, h) < settings.minSize) continue;
    const grow = (w * h * settings.unclipRatio) / (2 * (w + h));
    const uc = (u0 + u1) / 2;
    const vc = (v0 + v1) / 2;
    boxes.push({
      cx: mx + uc * cos - vc * sin,
      cy: my + uc * sin + vc * cos,
      halfWidth: w / 2 + grow,
      halfHeight: h / 2 + grow,
      angle,
      score,
    });
  }
  return readingOrder(boxes);
}

/** Top to bottom; boxes whose centres are within half a line of each other read left to right. */
function readingOrder(boxes: TextBox[]): TextBox[] {
  const sorted = [...boxes].sort((a, b) => a.cy - b.cy || a.cx - b.cx);
  const out: TextBox[] = [];
  let i = 0;
  while (i < sorted.length) {
    const first = sorted[i]!;
    const line = [first];
    let j = i + 1;
    while (j < sorted.length && sorted[j]!.cy - first.cy < Math.min(first.halfHeight, sorted[j]!.halfHeight)) line.push(sorted[j++]!);
    out.push(...line.sort((a, b) => a.cx - b.cx));
    i = j;
  }
  return out;
}

/** The four corners of a box (top-left, top-right, bottom-right, bottom-left along its own axes). */
export function boxCorners(box: TextBox): [number, number][] {
  const cos = Math.cos(box.angle);
  const sin = Math.sin(box.angle);
  return [
    [-1, -1],
    [1, -1],
    [1, 1],
    [-1, 1],
  ].map(([su, sv]) => {
    const u = su! * box.halfWidth;
    const v = sv! * box.halfHeight;
    return [box.cx + u * cos - v * sin, box.cy + u * sin + v * cos] as [number, number];
  });
}

/** CTC greedy decoding of one line: best class per time step, repeats merged, blanks (class 0) dropped. */
export function decodeCtc(
  probs: Float32Array,
  steps: number,
  classes: number,
  alphabet: readonly string[],
): { text: string; confidence: number } {
  let text = '';
  let sum = 0;
  let count = 0;
  let previous = -1;
  for (let t = 0; t < steps; t++) {
    const offset = t * classes;
    let best = 0;
    let bestP = probs[offset]!;
    for (let c = 1; c < classes; c++) {
      const p = probs[offset + c]!;
      if (p > bestP) {
        bestP = p;
        best = c;
      }
    }
    if (best !== 0 && best !== previous) {
      text += alphabet[best - 1] ?? '';
      sum += bestP;
      count++;
    }
    previous = best;
  }
  return { text, confidence: count ? sum / count : 0 };
}
