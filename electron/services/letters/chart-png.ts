/**
 * Chart SVG → PNG for DOCX, offline: resvg compiled to WebAssembly (@resvg/resvg-wasm). Chosen over
 * the native @resvg/resvg-js (which also installs here) because one .wasm file runs unchanged on
 * every target — Windows x64, 统信UOS/麒麟 on x64 and arm64 — with no per-platform binary to ship or
 * rebuild for Electron, and it never reads system fonts: text is drawn with the font bundled in
 * resources/fonts, so a chart looks the same on every PC.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Resvg as ResvgClass } from '@resvg/resvg-wasm';

/** resvg and its WebAssembly are loaded with the first chart, not when the back end starts. */
let ready: Promise<typeof ResvgClass> | null = null;
const fontCache = new Map<string, Uint8Array>();

function init(): Promise<typeof ResvgClass> {
  ready ??= (async () => {
    const { initWasm, Resvg } = await import('@resvg/resvg-wasm');
    const require = createRequire(import.meta.url);
    const wasm = fs.readFileSync(require.resolve('@resvg/resvg-wasm/index_bg.wasm'));
    await initWasm(wasm);
    return Resvg;
  })();
  return ready;
}

export class ChartRasteriser {
  constructor(private readonly fontFile: string) {}

  private font(): Uint8Array {
    let f = fontCache.get(this.fontFile);
    if (!f) {
      f = new Uint8Array(fs.readFileSync(this.fontFile));
      fontCache.set(this.fontFile, f);
    }
    return f;
  }

  /** PNG at `scale` × the SVG's own pixel size (1200 px wide charts print at about 200 dpi across 150 mm). */
  async png(svg: string, scale = 1): Promise<Uint8Array> {
    const Resvg = await init();
    const resvg = new Resvg(svg, {
      font: {
        fontBuffers: [this.font()],
        defaultFontFamily: 'AR PL SungtiL GB',
        serifFamily: 'AR PL SungtiL GB',
        sansSerifFamily: 'AR PL SungtiL GB',
      },
      fitTo: { mode: 'zoom', value: scale },
      background: '#ffffff',
    });
    try {
      const image = resvg.render();
      try {
        return image.asPng();
      } finally {
        image.free();
      }
    } finally {
      resvg.free();
    }
  }

  /** PNGs for every distinct SVG, keyed by the SVG (what the DOCX template looks them up by). */
  async pngs(svgs: string[]): Promise<Map<string, Uint8Array>> {
    const out = new Map<string, Uint8Array>();
    for (const svg of svgs) if (!out.has(svg)) out.set(svg, await this.png(svg));
    return out;
  }
}
