/**
 * Dossier pages for reading tests and the OCR benchmark: born-digital Chinese pages with known text
 * (a 询问笔录, a 行政处罚决定书 and a 送达回证, in the bundled AR PL Song font), and image-only "scans"
 * of them as county offices receive them: rasterised by poppler at 150 or 200 dpi, on grey paper,
 * turned slightly on the glass, with sensor noise, JPEG-compressed, and a red seal pressed over the
 * text. Everything is generated, so the set can be rebuilt on any machine.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import { createCanvas, GlobalFonts, loadImage } from '@napi-rs/canvas';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { RESOURCES_DIR } from './temp.js';

const FONT_FILE = path.join(RESOURCES_DIR, 'fonts', 'gbsn00lp.ttf');
const A4: [number, number] = [595.28, 841.89];
const SEAL_FONT = 'PingchaSealSong';

export interface KnownTextLine {
  text: string;
  /** Baseline start and size in PDF points, as drawn. */
  x: number;
  y: number;
  size: number;
}

export interface OcrFixtureDocument {
  name: string;
  /** One A4 page with a real text layer. */
  pdf: Uint8Array;
  lines: KnownTextLine[];
}

const INTERVIEW = [
  '询问笔录',
  '时间：2025年3月12日9时10分至10时25分',
  '地点：某县市场监督管理局第二询问室',
  '询问人：张志强 执法证号：15010123006',
  '记录人：李文静 执法证号：15010123011',
  '被询问人：王建国 性别：男 年龄：46岁',
  '身份证号码：150102197805123418',
  '工作单位：某县宏达食品有限公司 职务：经理',
  '联系电话：13847100256',
  '问：我们是某县市场监督管理局的执法人员，',
  '现依法向你了解有关情况，你应当如实回答，',
  '你有陈述和申辩的权利，听清楚了吗？',
  '答：听清楚了。',
  '问：你公司销售的过期食品是从哪里购进的？',
  '答：是2024年11月从呼和浩特市某批发市场',
  '购进的，共计进货三十箱，每箱售价四十元。',
  '问：以上笔录你看一下，是否与你说的一致？',
  '答：以上笔录我已看过，与我说的一致。',
];

const DECISION = [
  '某县市场监督管理局',
  '行政处罚决定书',
  '某市监罚〔2025〕17号',
  '当事人：某县宏达食品有限公司',
  '统一社会信用代码：91150102MA0N3K7X2Q',
  '住所：某县新华街道团结路88号',
  '法定代表人：王建国',
  '经查，当事人于2025年2月销售超过保质期',
  '的食品，违法所得一千二百元。上述事实有',
  '现场检查笔录、询问笔录等证据证明。',
  '当事人的行为违反了《中华人民共和国食品',
  '安全法》第三十四条第十项的规定。依据该法',
  '第一百二十四条第一款，本局决定：',
  '一、没收违法所得一千二百元；',
  '二、罚款人民币五万元。',
  '如不服本决定，可在收到本决定书之日起',
  '六十日内申请行政复议，或者六个月内依法',
  '向人民法院提起行政诉讼。',
];

const SERVICE_RECEIPT = [
  '送达回证',
  '送达文书：行政处罚决定书',
  '文书文号：某市监罚〔2025〕17号',
  '受送达人：某县宏达食品有限公司',
  '送达地点：某县新华街道团结路88号',
  '送达方式：直接送达',
  '送达人：张志强 李文静',
  '收件人签名：王建国',
  '收件日期：2025年3月20日',
  '备注：当事人当场签收，无异议。',
];

let fontBytes: Buffer | null = null;

async function onePage(
  draw: (page: PDFPage, font: PDFFont, lines: KnownTextLine[]) => void,
): Promise<{ pdf: Uint8Array; lines: KnownTextLine[] }> {
  fontBytes ??= fs.readFileSync(FONT_FILE);
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(fontBytes, { subset: true });
  const page = doc.addPage(A4);
  const lines: KnownTextLine[] = [];
  draw(page, font, lines);
  return { pdf: await doc.save(), lines };
}

function write(page: PDFPage, font: PDFFont, lines: KnownTextLine[], text: string, x: number, y: number, size: number): void {
  page.drawText(text, { x, y, size, font, color: rgb(0, 0, 0) });
  lines.push({ text, x, y, size });
}

function centred(page: PDFPage, font: PDFFont, lines: KnownTextLine[], text: string, y: number, size: number): void {
  write(page, font, lines, text, (A4[0] - font.widthOfTextAtSize(text, size)) / 2, y, size);
}

/** The three born-digital pages, each with the exact text drawn on it. */
export async function dossierFixturePages(): Promise<OcrFixtureDocument[]> {
  // 询问笔录: the printed form's 小四 (12 pt) body.
  const interview = await onePage((page, font, lines) => {
    centred(page, font, lines, INTERVIEW[0]!, 770, 18);
    INTERVIEW.slice(1).forEach((t, i) => write(page, font, lines, t, 72, 730 - i * 26, 12));
  });
  // 决定书: GB/T 9704 三号 (16 pt) body, 22 lines a page; the issuing body and title larger.
  const decision = await onePage((page, font, lines) => {
    centred(page, font, lines, DECISION[0]!, 770, 20);
    centred(page, font, lines, DECISION[1]!, 738, 20);
    write(page, font, lines, DECISION[2]!, 330, 706, 14);
    DECISION.slice(3).forEach((t, i) => write(page, font, lines, t, 80, 668 - i * 29, 16));
  });
  // 送达回证: a ruled form, text inside the cells.
  const receipt = await onePage((page, font, lines) => {
    centred(page, font, lines, SERVICE_RECEIPT[0]!, 760, 22);
    const rows = SERVICE_RECEIPT.slice(1);
    const top = 720;
    const rowHeight = 44;
    for (let i = 0; i <= rows.length; i++)
      page.drawLine({ start: { x: 66, y: top - i * rowHeight }, end: { x: 530, y: top - i * rowHeight }, thickness: 0.8 });
    for (const x of [66, 530]) page.drawLine({ start: { x, y: top }, end: { x, y: top - rows.length * rowHeight }, thickness: 0.8 });
    rows.forEach((t, i) => write(page, font, lines, t, 78, top - i * rowHeight - 28, 14));
  });
  return [
    { name: '询问笔录', ...interview },
    { name: '行政处罚决定书', ...decision },
    { name: '送达回证', ...receipt },
  ];
}

/** Everything drawn on a page, in reading order, without whitespace. */
export function knownText(doc: OcrFixtureDocument): string {
  return doc.lines
    .map((l) => l.text)
    .join('')
    .replace(/\s+/g, '');
}

export interface ScanOptions {
  dpi: number;
  /** Degrees, counter-clockwise; a page laid slightly askew on the glass. */
  rotation: number;
  /** Grey level of the paper (255 = white). */
  paper: number;
  /** Standard deviation of the per-pixel noise, in grey levels. */
  noise: number;
  /** A red seal over the text, centred on this point in PDF points; null for none. */
  seal: { x: number; y: number } | null;
  seed: number;
}

/**
 * An image-only PDF of the page as a scanner delivers it: one JPEG per page, no text layer.
 * `work` is a scratch folder for poppler's output.
 */
export async function scanFixture(bornDigital: Uint8Array, options: ScanOptions, work: string): Promise<Uint8Array> {
  const source = path.join(work, `scan-source-${options.seed}.pdf`);
  const base = path.join(work, `scan-${options.seed}-${options.dpi}`);
  fs.writeFileSync(source, bornDigital);
  execFileSync('pdftoppm', ['-png', '-gray', '-r', String(options.dpi), '-singlefile', source, base]);
  const ink = await loadImage(fs.readFileSync(`${base}.png`));
  const [w, h] = [ink.width, ink.height];
  const canvas = createCanvas(w, h);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = `rgb(${options.paper}, ${options.paper}, ${Math.max(0, options.paper - 8)})`;
  ctx.fillRect(0, 0, w, h);
  // Ink darkens paper: multiply the page onto it, turned about its centre.
  ctx.globalCompositeOperation = 'multiply';
  ctx.save();
  ctx.translate(w / 2, h / 2);
  ctx.rotate((-options.rotation * Math.PI) / 180);
  ctx.drawImage(ink, -w / 2, -h / 2);
  ctx.restore();
  // A 公章 is 42 mm across.
  if (options.seal) drawSeal(ctx, (options.seal.x * options.dpi) / 72, h - (options.seal.y * options.dpi) / 72, (21 / 25.4) * options.dpi);
  ctx.globalCompositeOperation = 'source-over';
  const image = ctx.getImageData(0, 0, w, h);
  let seed = options.seed;
  // Gaussian-ish noise from the sum of three uniform draws (deterministic per seed).
  const uniform = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < image.data.length; i += 4) {
    const n = (uniform() + uniform() + uniform() - 1.5) * 2 * options.noise;
    for (let c = 0; c < 3; c++) image.data[i + c] = Math.max(0, Math.min(255, image.data[i + c]! + n));
  }
  ctx.putImageData(image, 0, 0);
  const jpeg = canvas.toBuffer('image/jpeg', 80);
  const doc = await PDFDocument.create();
  const page = doc.addPage(A4);
  page.drawImage(await doc.embedJpg(jpeg), { x: 0, y: 0, width: A4[0], height: A4[1] });
  return doc.save();
}

/** A round official seal (公章) in translucent red ink: a ring, a star and the unit's name round the top. */
function drawSeal(ctx: ReturnType<ReturnType<typeof createCanvas>['getContext']>, cx: number, cy: number, radiusPx: number): void {
  ctx.save();
  ctx.globalCompositeOperation = 'multiply';
  ctx.globalAlpha = 0.75;
  ctx.strokeStyle = 'rgb(220, 30, 40)';
  ctx.fillStyle = 'rgb(220, 30, 40)';
  ctx.lineWidth = radiusPx * 0.07;
  ctx.beginPath();
  ctx.arc(cx, cy, radiusPx, 0, Math.PI * 2);
  ctx.stroke();
  ctx.beginPath();
  for (let i = 0; i < 10; i++) {
    const r = i % 2 === 0 ? radiusPx * 0.25 : radiusPx * 0.1;
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    ctx.lineTo(cx + r * Math.cos(a), cy + r * Math.sin(a));
  }
  ctx.closePath();
  ctx.fill();
  const name = '某县市场监督管理局';
  if (!GlobalFonts.has(SEAL_FONT)) GlobalFonts.registerFromPath(FONT_FILE, SEAL_FONT);
  ctx.font = `${Math.round(radiusPx * 0.24)}px "${SEAL_FONT}"`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  const span = Math.PI * 1.2;
  [...name].forEach((ch, i) => {
    const a = -Math.PI / 2 - span / 2 + (span * (i + 0.5)) / name.length;
    ctx.save();
    ctx.translate(cx + radiusPx * 0.75 * Math.cos(a), cy + radiusPx * 0.75 * Math.sin(a));
    ctx.rotate(a + Math.PI / 2);
    ctx.fillText(ch, 0, 0);
    ctx.restore();
  });
  ctx.restore();
}

/** Character error rate: edit distance over the known text's length, whitespace ignored, full-width forms folded (NFKC). */
export function characterErrorRate(expected: string, read: string): number {
  const norm = (s: string): string[] => [...s.normalize('NFKC').replace(/\s+/g, '')];
  const a = norm(expected);
  const b = norm(read);
  if (!a.length) return b.length ? 1 : 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]! / a.length;
}
