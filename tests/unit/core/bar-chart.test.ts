import { describe, expect, it } from 'vitest';
import { barChart, CHART_COLORS, layoutMarkerLabels } from '../../../shared/core/bar-chart.js';
import { textWidthChars } from '../../../shared/core/gbt9704.js';

/** The reference lines' labels as drawn: their boxes from the SVG's own coordinates and font size. */
function markerLabelBoxes(svg: string): Array<{ label: string; left: number; right: number; y: number }> {
  const re = new RegExp(
    `<text x="([\\d.]+)" y="([\\d.]+)" font-size="(\\d+)" text-anchor="middle" fill="${CHART_COLORS.marker}">([^<]*)</text>`,
    'g',
  );
  return [...svg.matchAll(re)].map(([, x, y, size, label]) => {
    const width = textWidthChars(label!) * Number(size);
    return { label: label!, left: Number(x) - width / 2, right: Number(x) + width / 2, y: Number(y) };
  });
}

const overlaps = (a: { left: number; right: number; y: number }, b: { left: number; right: number; y: number }): boolean =>
  a.y === b.y && a.left < b.right && b.left < a.right;

const units = ['清溪县市场监督管理局', '清溪县自然资源局', '清溪县交通运输局', '清溪县公安局'].map((label, i) => ({
  label,
  value: 95 - i * 12,
}));

describe('bar chart threshold labels', () => {
  it('draws 良好线80 and 优秀线90 apart instead of running them together', () => {
    const chart = barChart({
      title: '各单位案卷平均得分',
      data: units,
      unit: '分',
      max: 100,
      decimals: 2,
      markers: [
        { value: 90, label: '优秀线90' },
        { value: 80, label: '良好线80' },
        { value: 60, label: '合格线60' },
      ],
    });
    const boxes = markerLabelBoxes(chart.svg);
    expect(boxes.map((b) => b.label).sort()).toEqual(['优秀线90', '合格线60', '良好线80']);
    for (const [i, a] of boxes.entries()) {
      expect(a.left).toBeGreaterThanOrEqual(0);
      expect(a.right).toBeLessThanOrEqual(chart.widthPx);
      for (const b of boxes.slice(i + 1)) expect(overlaps(a, b), `${a.label} / ${b.label}`).toBe(false);
    }
    // Every label stays below the title (drawn at y = 40) and above the plot.
    for (const b of boxes) expect(b.y).toBeGreaterThan(40 + 20);
  });

  it('keeps labels far apart on one row, and moves a crowded one up a row clear of the other line', () => {
    const apart = layoutMarkerLabels(
      [
        { x: 300, label: '合格线60' },
        { x: 700, label: '优秀线90' },
      ],
      20,
      { left: 0, right: 1200 },
    );
    expect(apart.map((m) => m.row)).toEqual([0, 0]);
    const close = layoutMarkerLabels(
      [
        { x: 764, label: '优秀线90' },
        { x: 700, label: '良好线80' },
        { x: 572, label: '合格线60' },
      ],
      20,
      { left: 0, right: 1200 },
    );
    const byLabel = new Map(close.map((m) => [m.label, m]));
    expect(byLabel.get('合格线60')!.row).toBe(0);
    expect(byLabel.get('良好线80')!.row).toBe(0);
    const top = byLabel.get('优秀线90')!;
    expect(top.row).toBe(1);
    // Its line rises past the row below without crossing the 良好线80 label.
    expect(top.lineX).toBeGreaterThan(byLabel.get('良好线80')!.right);
    // A label at the chart's edge is moved inside it, its line stays where the value is.
    const edge = layoutMarkerLabels([{ x: 1195, label: '满分线100' }], 20, { left: 20, right: 1180 });
    expect(edge[0]).toMatchObject({ lineX: 1195, right: 1180 });
  });

  it('leaves a chart without threshold lines as tall as before', () => {
    const plain = barChart({ title: '案卷等次分布', data: units, unit: '件' });
    const one = barChart({ title: '各单位案卷平均得分', data: units, unit: '分', max: 100, markers: [{ value: 60, label: '合格线60' }] });
    const crowded = barChart({
      title: '各单位案卷平均得分',
      data: units,
      unit: '分',
      max: 100,
      markers: [
        { value: 80, label: '良好线80' },
        { value: 90, label: '优秀线90' },
      ],
    });
    expect(one.heightPx - plain.heightPx).toBe(34);
    expect(crowded.heightPx).toBeGreaterThan(one.heightPx);
  });
});
