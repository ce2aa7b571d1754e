/**
 * The PDF rendition service: the bundled font loaded once, a refusal when it lacks a character.
 * pdf-lib, fontkit and the font weigh tens of megabytes once loaded: they are loaded the first time
 * a letter is checked or issued, so a workstation that only reads and scores files does not carry them.
 */
import fs from 'node:fs';
import { AppError } from '../../../../shared/core/errors.js';
import type * as GongwenPdf from './gongwen-pdf.js';
import type { Rendition, RenditionFont, RenditionOptions } from './gongwen-pdf.js';
import { docText, type GongwenDoc } from '../../../../shared/letters/document.js';

export const PDF_MIME = 'application/pdf';
/** AR PL SungtiL GB (Arphic Public License), bundled in resources/fonts. */
export const RENDITION_FONT_FILE = 'fonts/gbsn00lp.ttf';

const loadGongwenPdf = (): Promise<typeof GongwenPdf> => import('./gongwen-pdf.js');

export class PdfRenditions {
  private font: RenditionFont | null = null;
  constructor(
    private readonly fontFile: string,
    private readonly producer: string,
  ) {}

  async face(): Promise<RenditionFont> {
    if (!this.font) {
      const { RenditionFont } = await loadGongwenPdf();
      try {
        this.font = new RenditionFont(fs.readFileSync(this.fontFile));
      } catch (err) {
        throw new AppError('io_error', `无法读取内置字体 ${this.fontFile}：${(err as Error).message}`);
      }
    }
    return this.font;
  }

  /** Refuses a document with characters the bundled font cannot draw (they would print blank). */
  async check(doc: GongwenDoc): Promise<void> {
    const { missingGlyphs } = await loadGongwenPdf();
    const missing = missingGlyphs(await this.face(), doc, docText(doc));
    if (missing.length)
      throw new AppError(
        'invalid_input',
        `打印版（PDF）使用的内置字体（文鼎宋体，GB 2312 字集）缺少以下字：${missing.slice(0, 20).join('、')}。这些字在打印版中会显示为空白，请改用通用写法或在 DOCX 中处理后再签发。`,
        { missing },
      );
  }

  async render(doc: GongwenDoc, options: Omit<RenditionOptions, 'font' | 'producer'>): Promise<Rendition> {
    await this.check(doc);
    const { renderGongwenPdf } = await loadGongwenPdf();
    return renderGongwenPdf(doc, { ...options, font: await this.face(), producer: this.producer });
  }
}
