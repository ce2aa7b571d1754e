/**
 * A fixed 行政执法监督意见书 in the letters' content model (GongwenDoc), for the PDF rendition and
 * issuing-engine tests that do not need a scored campaign.
 */
import { Packer } from 'docx';
import { gongwenLetterDocument, type DocxVerification } from '../../electron/services/letters/gongwen-letter.js';
import type { GongwenDoc } from '../../shared/letters/document.js';

export function opinionLetter(overrides: Partial<GongwenDoc> = {}): GongwenDoc {
  return {
    kind: 'opinion',
    format: 'standard',
    head: { bodyMark: '某某县司法局文件', documentNumber: '某司监〔2025〕12号' },
    title: '关于某某县市场监督管理局2025年度行政执法案卷评查情况的监督意见书',
    addressee: '某某县市场监督管理局',
    blocks: [
      {
        type: 'p',
        text: '根据《某某省行政执法监督条例》和《2025年度行政执法案卷评查工作方案》，我局于2025年3月组织评查组，依照《行政许可案卷评查标准（2025版）》对你单位报送的行政执法案卷进行了评查。现将评查情况和监督意见通知如下。',
      },
      { type: 'h1', text: '一、评查基本情况' },
      {
        type: 'p',
        text: '本次共评查你单位案卷6件，其中行政许可案卷4件、行政处罚案卷2件。平均得分88.5分，评为优秀的1件、合格的4件、不合格的1件。',
      },
      {
        type: 'table',
        caption: '案卷评查结果',
        columns: [
          { title: '序号', width: 0.1, align: 'center' },
          { title: '案号', width: 0.3, align: 'left' },
          { title: '案件名称', width: 0.36, align: 'left' },
          { title: '得分', width: 0.12, align: 'right' },
          { title: '等次', width: 0.12, align: 'center' },
        ],
        rows: [
          ['1', '某许〔2025〕7号', '某某公司食品经营许可', '92', '优秀'],
          ['2', '某许〔2025〕9号', '某某超市食品经营许可变更', '88.5', '合格'],
          ['3', '某市监罚〔2025〕15号', '某某商行销售过期食品案', '58', '不合格'],
        ],
      },
      { type: 'h1', text: '二、存在的主要问题' },
      {
        type: 'h2',
        text: '（一）程序方面。',
        rest: '共发现问题5个。某许〔2025〕7号案卷内材料未编页号（评查标准第12.5项“卷内材料编页”，扣1.5分；见第3页）。',
      },
      { type: 'h3', text: '1.', rest: '送达回证未载明送达方式，不符合《中华人民共和国行政处罚法》第六十一条的规定。' },
      { type: 'h2', text: '（二）文书制作方面。', rest: '个别文书存在涂改、漏填日期等情形。' },
      { type: 'h1', text: '三、监督意见和整改要求' },
      {
        type: 'p',
        text: '请你单位对照上述问题，于2025年4月4日前完成整改，并将整改情况书面报送我局。整改期间，应当健全案卷归档制度，落实执法全过程记录，确保每一件案卷程序合法、文书规范。',
      },
      { type: 'p', text: '联系人：李某某，联系电话：0000-12345678。' },
    ],
    attachments: ['案卷评查表', '问题清单'],
    signature: { signer: '某某县司法局', date: '2025-03-05', dateText: '2025年3月5日' },
    note: null,
    appendices: [],
    imprint: { cc: ['某某市司法局', '某某县人民政府办公室'], printer: '某某县司法局办公室', printDateText: '2025年3月5日' },
    notes: { provisionalFiles: [], masked: false },
    ...overrides,
  };
}

/** The letter's DOCX from the letters' own template (the fixture has no charts). */
export async function fixtureDocx(doc: GongwenDoc, verification: DocxVerification | null = null): Promise<Uint8Array> {
  return Packer.toBuffer(gongwenLetterDocument(doc, new Map(), verification));
}
