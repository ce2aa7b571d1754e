/**
 * An annotated copy of a dossier PDF: each of our marks becomes a standard PDF annotation
 * (Highlight, Underline, Square, Text, Ink, FreeText) with an /AP appearance stream, so any reader —
 * Acrobat, WPS, Foxit, pdf.js, poppler — shows it where it was drawn, with its comment. The original
 * bytes are only read; a new file is written. Comments and text boxes keep their Chinese: strings are
 * written as UTF-16 text strings, and text-box appearances use an embedded (subset) CJK font.
 */
import fontkit from '@pdf-lib/fontkit';
import {
  beginText,
  closePath,
  concatTransformationMatrix,
  endText,
  fill,
  LineCapStyle,
  lineTo,
  moveTo,
  PDFDocument,
  PDFHexString,
  PDFString,
  popGraphicsState,
  pushGraphicsState,
  rectangle,
  setFillingRgbColor,
  setFontAndSize,
  setGraphicsState,
  setLineCap,
  setLineJoin,
  LineJoinStyle,
  setLineWidth,
  setStrokingRgbColor,
  showText,
  stroke,
  moveText,
  type PDFFont,
  type PDFOperator,
  type PDFPage,
  type PDFRef,
} from 'pdf-lib';
import type { Annotation, Rect } from '../../../shared/annotations/annotation.js';
import { boundingRect, normaliseRect, TEXT_LINE_HEIGHT, TEXT_PADDING, wrapText } from '../../../shared/core/geometry.js';
import { AppError } from '../../../shared/core/errors.js';

export interface AnnotatedPdfOptions {
  /** A TrueType font with CJK glyphs for text-box appearances (embedded as a subset). */
  fontBytes: Uint8Array;
  /** Label of each linked checklist item, quoted in the annotation's comment. */
  itemLabels?: ReadonlyMap<string, string>;
}

const INK = [0.11, 0.14, 0.19] as const;

export function hexToRgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255];
}

/** The text a reader shows in the annotation's pop-up: the comment, and which item it is evidence for. */
export function annotationContents(a: Annotation, itemLabels?: ReadonlyMap<string, string>): string {
  const parts: string[] = [];
  if (a.type !== 'text' && a.comment?.trim()) parts.push(a.comment.trim());
  if (a.type === 'text' && a.comment) parts.push(a.comment);
  if (a.checklistItemId) parts.push(`【评查证据】${itemLabels?.get(a.checklistItemId) ?? a.checklistItemId}`);
  return parts.join('\n');
}

const grow = (r: Rect, by: number): Rect => [r[0] - by, r[1] - by, r[2] + by, r[3] + by];

export async function writeAnnotatedPdf(source: Uint8Array, annotations: Annotation[], options: AnnotatedPdfOptions): Promise<Uint8Array> {
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(source, { updateMetadata: false });
  } catch (err) {
    if (/encrypt/i.test((err as Error).message)) throw new AppError('unsupported_file', 'PDF 已加密，无法生成带批注的副本。');
    throw new AppError('damaged_file', `PDF 无法解析，无法生成带批注的副本（${(err as Error).message.slice(0, 120)}）。`);
  }
  doc.registerFontkit(fontkit);
  let font: PDFFont | null = null;
  const pages = doc.getPages();
  const ctx = doc.context;

  const gsMultiply = ctx.register(ctx.obj({ Type: 'ExtGState', BM: 'Multiply', ca: 0.45, CA: 1 }));
  const gsTint = ctx.register(ctx.obj({ Type: 'ExtGState', ca: 0.12, CA: 1 }));

  const appearance = (bbox: Rect, operators: PDFOperator[], resources: Record<string, unknown> = {}): PDFRef =>
    ctx.register(ctx.formXObject(operators, { BBox: ctx.obj([...bbox]), Resources: ctx.obj(resources as never) }));

  for (const a of annotations) {
    const page: PDFPage | undefined = pages[a.pageIndex];
    if (!page) continue;
    const color = hexToRgb(a.color);
    const bbox = boundingRect(a.position);
    if (!bbox) continue;
    const contents = annotationContents(a, options.itemLabels);
    const common: Record<string, unknown> = {
      Type: 'Annot',
      F: 4, // print
      C: [...color],
      T: PDFHexString.fromText(a.authorName),
      M: PDFString.fromDate(new Date(a.updatedAt)),
      NM: PDFHexString.fromText(a.id),
      ...(contents ? { Contents: PDFHexString.fromText(contents) } : {}),
    };
    const rects = (a.position.rects ?? []).map(normaliseRect);
    let dict: Record<string, unknown>;

    switch (a.type) {
      case 'highlight':
      case 'underline': {
        const quads = rects.flatMap((r) => [r[0], r[3], r[2], r[3], r[0], r[1], r[2], r[1]]);
        const ops: PDFOperator[] = [pushGraphicsState()];
        if (a.type === 'highlight') {
          ops.push(setGraphicsState('GS0'), setFillingRgbColor(...color));
          for (const r of rects) ops.push(rectangle(r[0], r[1], r[2] - r[0], r[3] - r[1]));
          ops.push(fill());
        } else {
          ops.push(setStrokingRgbColor(...color));
          for (const r of rects) {
            const w = Math.max(1, (r[3] - r[1]) * 0.08);
            const y = r[1] + w / 2;
            ops.push(setLineWidth(w), moveTo(r[0], y), lineTo(r[2], y), stroke());
          }
        }
        ops.push(popGraphicsState());
        const resources = a.type === 'highlight' ? { ExtGState: { GS0: gsMultiply } } : {};
        dict = {
          Subtype: a.type === 'highlight' ? 'Highlight' : 'Underline',
          Rect: bbox,
          QuadPoints: quads,
          ...(a.type === 'highlight' ? { CA: 0.45 } : {}),
          AP: { N: appearance(bbox, ops, resources) },
        };
        break;
      }
      case 'area': {
        const r = rects[0]!;
        const w = 2;
        const ops = [
          pushGraphicsState(),
          setGraphicsState('GS0'),
          setFillingRgbColor(...color),
          rectangle(r[0], r[1], r[2] - r[0], r[3] - r[1]),
          fill(),
          popGraphicsState(),
          pushGraphicsState(),
          setStrokingRgbColor(...color),
          setLineWidth(w),
          rectangle(r[0] + w / 2, r[1] + w / 2, r[2] - r[0] - w, r[3] - r[1] - w),
          stroke(),
          popGraphicsState(),
        ];
        dict = { Subtype: 'Square', Rect: r, BS: { W: w, S: 'S' }, AP: { N: appearance(r, ops, { ExtGState: { GS0: gsTint } }) } };
        break;
      }
      case 'note': {
        const r = rects[0]!;
        const [x, y, x2, y2] = r;
        const s = x2 - x;
        const ops: PDFOperator[] = [
          pushGraphicsState(),
          setFillingRgbColor(...color),
          setStrokingRgbColor(...INK),
          setLineWidth(0.8),
          moveTo(x + 0.5, y2 - 0.5),
          lineTo(x2 - 0.5, y2 - 0.5),
          lineTo(x2 - 0.5, y + s * 0.3),
          lineTo(x + s * 0.7, y + 0.5),
          lineTo(x + 0.5, y + 0.5),
          closePath(),
          fill(),
        ];
        for (let i = 1; i <= 3; i++) ops.push(moveTo(x + s * 0.2, y2 - s * 0.22 * i), lineTo(x2 - s * 0.2, y2 - s * 0.22 * i), stroke());
        ops.push(popGraphicsState());
        dict = { Subtype: 'Text', Name: 'Comment', Open: false, Rect: r, AP: { N: appearance(r, ops) } };
        break;
      }
      case 'ink': {
        const width = a.position.width ?? 2;
        const paths = a.position.paths ?? [];
        const box = grow(bbox, width);
        const ops: PDFOperator[] = [
          pushGraphicsState(),
          setStrokingRgbColor(...color),
          setLineWidth(width),
          setLineCap(LineCapStyle.Round),
          setLineJoin(LineJoinStyle.Round),
        ];
        for (const p of paths) {
          if (p.length < 2) continue;
          ops.push(moveTo(p[0]!, p[1]!));
          if (p.length === 2) ops.push(lineTo(p[0]! + 0.01, p[1]!));
          for (let i = 2; i + 1 < p.length; i += 2) ops.push(lineTo(p[i]!, p[i + 1]!));
          ops.push(stroke());
        }
        ops.push(popGraphicsState());
        dict = { Subtype: 'Ink', Rect: box, InkList: paths, BS: { W: width, S: 'S' }, AP: { N: appearance(box, ops) } };
        break;
      }
      case 'text': {
        font ??= await doc.embedFont(options.fontBytes, { subset: true });
        const r = rects[0]!;
        const size = a.position.fontSize ?? 12;
        const rotation = ((page.getRotation().angle % 360) + 360) % 360;
        // The text reads upright in the page's own orientation: on a page with /Rotate, the box's
        // width in that orientation is its user-space height, and the text runs at +rotation.
        const turned = rotation === 90 || rotation === 270;
        const boxW = turned ? r[3] - r[1] : r[2] - r[0];
        const boxH = turned ? r[2] - r[0] : r[3] - r[1];
        const lines = wrapText(a.comment ?? '', boxW - 2 * TEXT_PADDING, (s) => font!.widthOfTextAtSize(s, size));
        const rad = (rotation * Math.PI) / 180;
        const [cx, cy] = [(r[0] + r[2]) / 2, (r[1] + r[3]) / 2];
        const ops: PDFOperator[] = [
          pushGraphicsState(),
          // Move the origin to the box centre, turn, and work in an upright box of boxW × boxH.
          concatTransformationMatrix(Math.cos(rad), Math.sin(rad), -Math.sin(rad), Math.cos(rad), cx, cy),
          setStrokingRgbColor(...color),
          setLineWidth(1.5),
          rectangle(-boxW / 2 + 0.75, -boxH / 2 + 0.75, boxW - 1.5, boxH - 1.5),
          stroke(),
          setFillingRgbColor(...INK),
          beginText(),
          setFontAndSize('F1', size),
          moveText(-boxW / 2 + TEXT_PADDING, boxH / 2 - TEXT_PADDING - size),
        ];
        lines.forEach((line, i) => {
          if (i > 0) ops.push(moveText(0, -size * TEXT_LINE_HEIGHT));
          if (line) ops.push(showText(font!.encodeText(line)));
        });
        ops.push(endText(), popGraphicsState());
        dict = {
          Subtype: 'FreeText',
          Rect: r,
          DA: PDFString.of(`/Helv ${size} Tf 0 g`),
          BS: { W: 1.5, S: 'S' },
          ...(rotation ? { Rotate: rotation } : {}),
          AP: { N: appearance(r, ops, { Font: { F1: font.ref } }) },
        };
        break;
      }
    }
    const ref = ctx.register(ctx.obj({ ...common, ...dict } as never));
    page.node.addAnnot(ref);
  }
  // Mark the copy as ours without touching the original's metadata otherwise.
  doc.setProducer('案卷评查工作站（批注副本）');
  return doc.save({ useObjectStreams: false });
}
