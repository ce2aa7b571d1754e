/**
 * Turns a born-digital dossier into what a county's copier makes of the paper file: every page
 * rendered by pdf.js (Node, @napi-rs/canvas) at 150 or 200 dpi onto grey paper, slightly rotated,
 * with noise and a shadow at the binding edge, a red seal pressed over each signature block, then one
 * JPEG per page in a new PDF with no text layer.
 */
import { PDFDocument } from 'pdf-lib';
import { loadPdfjs, PDFJS_ASSETS } from '../../../electron/services/core/pdf/pdfjs-node.js';
import { PAGE, setMeta, type LaidPage } from './layout.js';
import { Random } from './random.js';

export interface ScanOptions {
  dpi: 150 | 200;
  seed: number;
  sealName: string;
  meta: { title: string; author: string; date: string };
}

export interface ScanResult {
  bytes: Uint8Array;
  /** Degrees each page was turned (positive: clockwise). */
  rotations: number[];
}

interface Canvas2D {
  canvas: { width: number; height: number; encode(format: 'jpeg', quality: number): Promise<Buffer> };
  context: CanvasRenderingContext2D;
}

export async function scanDossier(born: Uint8Array, laid: LaidPage[], options: ScanOptions): Promise<ScanResult> {
  const pdfjs = await loadPdfjs();
  const src = await pdfjs.getDocument({ data: born.slice(), ...PDFJS_ASSETS, cMapPacked: true, isEvalSupported: false, verbosity: 0 })
    .promise;
  const factory = (src as unknown as { canvasFactory: { create(w: number, h: number): Canvas2D; destroy(c: Canvas2D): void } })
    .canvasFactory;
  const r = new Random(options.seed).fork('scan');
  const out = await PDFDocument.create();
  setMeta(out, options.meta, 'Kyocera TASKalfa 3554ci', 'Kyocera Scan to PDF');
  const paper = 226 + r.int(0, 14);
  const rotations: number[] = [];
  const scale = options.dpi / 72;
  const tile = noiseTile((w, h) => factory.create(w, h), r);
  // JPEG encoding runs off the main thread: the next page renders while earlier ones encode.
  const encoding: Array<Promise<Buffer>> = [];
  try {
    for (let i = 1; i <= src.numPages; i++) {
      const page = await src.getPage(i);
      const viewport = page.getViewport({ scale });
      const [w, h] = [Math.round(viewport.width), Math.round(viewport.height)];
      const rendered = factory.create(w, h);
      await page.render({ canvasContext: rendered.context, viewport, canvas: rendered.canvas as unknown as HTMLCanvasElement }).promise;
      page.cleanup();

      const angle = (r.next() < 0.5 ? -1 : 1) * (0.3 + r.next() * 1.2);
      rotations.push(Number(angle.toFixed(2)));
      const sheet = factory.create(w, h);
      const ctx = sheet.context;
      ctx.fillStyle = `rgb(${paper}, ${paper - 2}, ${paper - 7})`;
      ctx.fillRect(0, 0, w, h);
      const dx = r.int(-12, 12);
      const dy = r.int(-10, 10);
      const turn = (ctx2: CanvasRenderingContext2D): void => {
        ctx2.translate(w / 2 + dx, h / 2 + dy);
        ctx2.rotate((angle * Math.PI) / 180);
        ctx2.translate(-w / 2, -h / 2);
      };
      ctx.save();
      turn(ctx);
      ctx.globalCompositeOperation = 'multiply';
      ctx.drawImage(rendered.canvas as unknown as CanvasImageSource, 0, 0);
      for (const seal of laid[i - 1]?.seals ?? [])
        drawSeal(
          ctx,
          seal.x * scale + r.int(-18, 18),
          (PAGE.height - seal.y) * scale + r.int(-10, 10),
          scale,
          options.sealName,
          r.next() * 0.5 - 0.25,
        );
      ctx.restore();
      factory.destroy(rendered);
      speckle(ctx, tile.canvas as unknown as CanvasImageSource, w, h, r);
      encoding.push(sheet.canvas.encode('jpeg', 62).finally(() => factory.destroy(sheet)));
      if (encoding.length > 2) await encoding[encoding.length - 3];
    }
    for (const jpeg of await Promise.all(encoding)) {
      const image = await out.embedJpg(jpeg);
      out.addPage([PAGE.width, PAGE.height]).drawImage(image, { x: 0, y: 0, width: PAGE.width, height: PAGE.height });
    }
  } finally {
    await Promise.allSettled(encoding);
    factory.destroy(tile);
    await src.destroy();
  }
  return { bytes: await out.save({ useObjectStreams: false }), rotations };
}

/** A 42 mm round official seal: a red ring, the unit's name round the top, a star in the middle. */
function drawSeal(ctx: CanvasRenderingContext2D, x: number, y: number, scale: number, name: string, tilt: number): void {
  const mm = scale * (72 / 25.4);
  const radius = 21 * mm;
  ctx.save();
  ctx.translate(x, y);
  ctx.rotate(tilt);
  ctx.globalCompositeOperation = 'multiply';
  ctx.globalAlpha = 0.82;
  ctx.strokeStyle = 'rgb(214, 40, 40)';
  ctx.fillStyle = 'rgb(214, 40, 40)';
  ctx.lineWidth = 1.2 * mm;
  ctx.beginPath();
  ctx.arc(0, 0, radius, 0, Math.PI * 2);
  ctx.stroke();
  star(ctx, 0, 0, 7 * mm);
  ctx.font = `${Math.round(5.2 * mm)}px "AR PL SungtiL GB", serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  const chars = [...name];
  const span = Math.min(Math.PI * 1.35, chars.length * 0.3);
  chars.forEach((ch, i) => {
    const a = -Math.PI / 2 - span / 2 + (span * (i + 0.5)) / chars.length;
    ctx.save();
    ctx.rotate(a + Math.PI / 2);
    ctx.fillText(ch, 0, -radius + 4.6 * mm);
    ctx.restore();
  });
  ctx.restore();
}

function star(ctx: CanvasRenderingContext2D, x: number, y: number, r: number): void {
  ctx.beginPath();
  for (let i = 0; i < 10; i++) {
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    const len = i % 2 === 0 ? r : r * 0.38;
    ctx.lineTo(x + Math.cos(a) * len, y + Math.sin(a) * len);
  }
  ctx.closePath();
  ctx.fill();
}

/**
 * Sensor noise (a random tile laid over the page at a random offset: per-pixel work on every page is
 * what made scanning slow), toner specks, and the shadow of the binding along the left edge.
 */
function speckle(ctx: CanvasRenderingContext2D, tile: CanvasImageSource, w: number, h: number, r: Random): void {
  ctx.save();
  ctx.globalCompositeOperation = 'multiply';
  const size = NOISE_TILE;
  const ox = -r.int(0, size - 1);
  const oy = -r.int(0, size - 1);
  for (let y = oy; y < h; y += size) for (let x = ox; x < w; x += size) ctx.drawImage(tile, x, y);
  const shadow = w * 0.045;
  const gradient = ctx.createLinearGradient(0, 0, shadow, 0);
  gradient.addColorStop(0, 'rgba(90, 90, 90, 0.55)');
  gradient.addColorStop(1, 'rgba(90, 90, 90, 0)');
  ctx.fillStyle = gradient;
  ctx.fillRect(0, 0, shadow, h);
  ctx.globalCompositeOperation = 'source-over';
  for (let i = 0; i < 260; i++) {
    const v = r.int(50, 140);
    ctx.fillStyle = `rgb(${v}, ${v}, ${v})`;
    ctx.fillRect(r.int(0, w - 1), r.int(0, h - 1), r.int(1, 3), r.int(1, 2));
  }
  ctx.restore();
}

const NOISE_TILE = 256;

/** A tile of grey noise around white, to multiply over a page. */
function noiseTile(make: (w: number, h: number) => Canvas2D, r: Random): Canvas2D {
  const tile = make(NOISE_TILE, NOISE_TILE);
  const img = tile.context.createImageData(NOISE_TILE, NOISE_TILE);
  const px = img.data;
  for (let i = 0; i < px.length; i += 4) {
    const v = 255 - Math.floor(r.next() * 26);
    px[i] = px[i + 1] = px[i + 2] = v;
    px[i + 3] = 255;
  }
  tile.context.putImageData(img, 0, 0);
  return tile;
}
