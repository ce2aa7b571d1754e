/**
 * Charts as self-contained SVG strings: one drawing for the statistics screen (shown as an image),
 * the 通报's DOCX (rasterised to PNG on the back end, SVG kept beside it) and the PDF rendition. Pure
 * string building: no DOM, no fonts loaded here — text names a CJK family list that the back end's
 * rasteriser resolves to the bundled font and a browser resolves to the PC's fonts.
 */
import { textWidthChars } from './gbt9704.js';
import type { Chart } from '../letters/document.js';

export interface BarDatum {
  label: string;
  value: number;
  /** Printed after the value, e.g. "（40.0%）". */
  note?: string;
  /** Bar colour; defaults to the chart's. */
  color?: string;
}

export interface BarChartSpec {
  title: string;
  data: BarDatum[];
  /** Unit of the values, printed after each ("分", "项", "件"). */
  unit: string;
  /** Axis maximum; defaults to the largest value (rounded up). */
  max?: number;
  /** Vertical reference lines, e.g. the grade cut-offs. */
  markers?: Array<{ value: number; label: string }>;
  decimals?: number;
  color?: string;
  /** Printed width on an A4 page (the text block is 156 mm). */
  widthMm?: number;
}

/** First family is the font bundled in resources/fonts (what the back end rasterises with). */
export const CHART_FONT_FAMILY = "'AR PL SungtiL GB', 'SimSun', 'Songti SC', 'Noto Serif CJK SC', serif";
export const CHART_COLORS = { bar: '#2f5597', ink: '#1a1a1a', grid: '#c8c8c8', marker: '#c00000', muted: '#595959' } as const;
export const GRADE_COLORS: Record<string, string> = {
  优秀: '#2e7d32',
  良好: '#2f5597',
  合格: '#b8860b',
  基本合格: '#b8860b',
  不合格: '#c00000',
};

const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const exp = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * exp >= v) return m * exp;
  return 10 * exp;
}

function truncate(label: string, maxChars: number): string {
  if (textWidthChars(label) <= maxChars) return label;
  let out = '';
  for (const ch of label) {
    if (textWidthChars(out + ch) > maxChars - 1) break;
    out += ch;
  }
  return `${out}…`;
}

export interface MarkerLabel {
  label: string;
  /** Where the reference line is drawn. */
  lineX: number;
  /** The label's centre and extent (it may be shifted to stay inside the chart). */
  x: number;
  left: number;
  right: number;
  /** 0 is the row nearest the plot; a label that would collide with another goes up a row. */
  row: number;
}

/**
 * Places the reference lines' labels above the plot so none runs into another: grade lines close
 * together (良好线80 and 优秀线90) go on separate rows, and no label is drawn across another line.
 */
export function layoutMarkerLabels(
  markers: Array<{ x: number; label: string }>,
  fontPx: number,
  bounds: { left: number; right: number },
  gap = fontPx / 2,
): MarkerLabel[] {
  const placed: MarkerLabel[] = [];
  const fits = (m: Omit<MarkerLabel, 'row'>, row: number, strict: boolean): boolean =>
    placed.every((p) => {
      if (p.row === row) return m.left >= p.right + gap || m.right <= p.left - gap;
      // A line rises to its own label: it must not cross a label on a row below it, nor run through this one.
      if (p.row > row) return p.lineX < m.left - gap / 2 || p.lineX > m.right + gap / 2;
      return !strict || m.lineX < p.left - gap / 2 || m.lineX > p.right + gap / 2;
    });
  for (const { x: lineX, label } of [...markers].sort((a, b) => a.x - b.x)) {
    const width = textWidthChars(label) * fontPx;
    const x = Math.min(Math.max(lineX, bounds.left + width / 2), bounds.right - width / 2);
    const m = { label, lineX, x, left: x - width / 2, right: x + width / 2 };
    let row = 0;
    while (row <= placed.length && !fits(m, row, true)) row++;
    if (row > placed.length) {
      row = 0;
      while (!fits(m, row, false)) row++;
    }
    placed.push({ ...m, row });
  }
  return placed;
}

const fmtValue = (v: number, decimals: number): string => (decimals ? v.toFixed(decimals).replace(/\.?0+$/, '') : String(Math.round(v)));

/** A horizontal bar chart: one row per datum, label left, value right of the bar. */
export function barChart(spec: BarChartSpec): Chart {
  const W = 1200;
  const fontPx = 26;
  const rowH = 46;
  const titleH = 64;
  const padX = 20;
  const decimals = spec.decimals ?? 0;
  // A unit's full name with its mark ("清溪县农业农村局（含暂定）") fits whole.
  const labelChars = Math.min(16, Math.max(4, ...spec.data.map((d) => textWidthChars(d.label))));
  const labelW = Math.ceil(labelChars * fontPx) + 16;
  const valueW = 190;
  const plotX = padX + labelW;
  const plotW = W - plotX - valueW - padX;
  const top = Math.max(0, ...spec.data.map((d) => d.value), ...(spec.markers ?? []).map((m) => m.value));
  // Counts get whole-number ticks: five steps of a multiple of 5.
  const max = spec.max ?? (decimals ? niceMax(top) : Math.max(5, Math.ceil(top / 5) * 5));
  const x = (v: number): number => plotX + (Math.max(0, Math.min(v, max)) / max) * plotW;
  const markerFontPx = fontPx - 6;
  const markerRowH = markerFontPx + 10;
  const markerLabels = layoutMarkerLabels(
    (spec.markers ?? []).map((m) => ({ x: x(m.value), label: m.label })),
    markerFontPx,
    { left: padX, right: W - padX },
  );
  const markerRows = markerLabels.length ? Math.max(...markerLabels.map((m) => m.row)) + 1 : 0;
  const markerH = markerRows ? markerRows * markerRowH + 4 : 0;
  const rows = Math.max(1, spec.data.length);
  const plotTop = titleH + markerH;
  const H = plotTop + rows * rowH + 44;
  const parts: string[] = [];
  parts.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  parts.push(
    `<text x="${W / 2}" y="${40}" font-size="${fontPx + 4}" text-anchor="middle" fill="${CHART_COLORS.ink}">${escapeXml(spec.title)}</text>`,
  );
  // Grid: five steps of the axis.
  for (let i = 0; i <= 5; i++) {
    const v = (max * i) / 5;
    const gx = x(v);
    parts.push(
      `<line x1="${gx.toFixed(1)}" y1="${plotTop}" x2="${gx.toFixed(1)}" y2="${plotTop + rows * rowH}" stroke="${CHART_COLORS.grid}" stroke-width="1"/>`,
    );
    parts.push(
      `<text x="${gx.toFixed(1)}" y="${plotTop + rows * rowH + 30}" font-size="${fontPx - 6}" text-anchor="middle" fill="${CHART_COLORS.muted}">${fmtValue(v, Number.isInteger(v) ? 0 : 1)}</text>`,
    );
  }
  for (const m of markerLabels) {
    const labelY = plotTop - 12 - m.row * markerRowH;
    parts.push(
      `<line x1="${m.lineX.toFixed(1)}" y1="${labelY + 6}" x2="${m.lineX.toFixed(1)}" y2="${plotTop + rows * rowH}" stroke="${CHART_COLORS.marker}" stroke-width="2" stroke-dasharray="8 6"/>`,
    );
    parts.push(
      `<text x="${m.x.toFixed(1)}" y="${labelY}" font-size="${markerFontPx}" text-anchor="middle" fill="${CHART_COLORS.marker}">${escapeXml(m.label)}</text>`,
    );
  }
  spec.data.forEach((d, i) => {
    const y = plotTop + i * rowH;
    const barH = rowH - 14;
    const w = Math.max(d.value > 0 ? 2 : 0, x(d.value) - plotX);
    parts.push(
      `<text x="${plotX - 12}" y="${y + rowH / 2 + fontPx / 2 - 4}" font-size="${fontPx}" text-anchor="end" fill="${CHART_COLORS.ink}">${escapeXml(truncate(d.label, labelChars))}</text>`,
    );
    parts.push(
      `<rect x="${plotX}" y="${y + 7}" width="${w.toFixed(1)}" height="${barH}" fill="${d.color ?? spec.color ?? CHART_COLORS.bar}"/>`,
    );
    parts.push(
      `<text x="${(plotX + w + 10).toFixed(1)}" y="${y + rowH / 2 + fontPx / 2 - 4}" font-size="${fontPx - 2}" fill="${CHART_COLORS.ink}">${escapeXml(`${fmtValue(d.value, decimals)}${spec.unit}${d.note ?? ''}`)}</text>`,
    );
  });
  parts.push(
    `<line x1="${plotX}" y1="${plotTop}" x2="${plotX}" y2="${plotTop + rows * rowH}" stroke="${CHART_COLORS.ink}" stroke-width="2"/>`,
  );
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="${escapeXml(CHART_FONT_FAMILY)}">` +
    `<title>${escapeXml(spec.title)}</title>${parts.join('')}</svg>`;
  const alt = `${spec.title}：${spec.data.map((d) => `${d.label} ${fmtValue(d.value, decimals)}${spec.unit}${d.note ?? ''}`).join('；') || '无数据'}`;
  return { title: spec.title, svg, widthPx: W, heightPx: H, widthMm: spec.widthMm ?? 150, alt };
}
