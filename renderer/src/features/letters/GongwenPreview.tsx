/**
 * The in-app preview of a 公文: the same content (GongwenDoc) the DOCX is made from, laid out on A4
 * sheets with the GB/T 9704 numbers from shared/gbt9704.ts — margins, 22 lines × 28 characters,
 * type sizes, the 版头 of either format, 署名 centred over the date. Pages come from CSS columns one
 * text block high, so lines break roughly where a word processor breaks them; tables and charts are
 * placed approximately. The browser cannot know where Word or WPS will break the DOCX, so the sheets
 * carry no "— n —" page numbers: a number printed here would be invented, and could differ from the
 * document that is exported and signed.
 */
import { useLayoutEffect, useRef, useState, type CSSProperties, type ReactNode } from 'react';
import { FONT_SIZE_PT, GBT9704, GBT9704_LETTERS, signatureIndents } from '../../../../shared/core/gbt9704';
import type { GongwenBlock, GongwenDoc } from '../../../../shared/letters/document';

const M = GBT9704.margin;
const TEXT_W = GBT9704.textBlock.widthMm;
const TEXT_H = GBT9704.textBlock.heightMm;
const PAGE_GAP_MM = 12;
/** Column pitch: one A4 page plus the gap between sheets. */
const PITCH = GBT9704.page.widthMm + PAGE_GAP_MM;
const LINE = `${TEXT_H / GBT9704.linesPerPage}mm`;

const FONTS = {
  title: "'方正小标宋简体', 'FZXiaoBiaoSong-B05S', '华文中宋', 'STZhongsong', 'Noto Serif CJK SC', 'AR PL SungtiL GB', serif",
  body: "'Times New Roman', '仿宋_GB2312', 'FangSong_GB2312', '仿宋', 'FangSong', 'STFangsong', 'AR PL SungtiL GB', 'Noto Serif CJK SC', serif",
  heading1: "'Times New Roman', '黑体', 'SimHei', 'Noto Sans CJK SC', sans-serif",
  heading2: "'Times New Roman', '楷体_GB2312', 'KaiTi_GB2312', '楷体', 'KaiTi', 'STKaiti', 'AR PL KaitiM GB', 'AR PL UKai CN', serif",
  song: "'宋体', 'SimSun', 'AR PL SungtiL GB', 'Noto Serif CJK SC', serif",
} as const;

/** 3号 characters tightened so 28 fit the 156 mm line, as in the DOCX. */
const bodyStyle: CSSProperties = {
  fontFamily: FONTS.body,
  fontSize: `${GBT9704.bodySizePt}pt`,
  lineHeight: LINE,
  letterSpacing: `calc(${TEXT_W / GBT9704.charsPerLine}mm - ${GBT9704.bodySizePt}pt)`,
  textAlign: 'justify',
  margin: 0,
};
const indent: CSSProperties = { textIndent: `${GBT9704.firstLineIndentChars}em` };

function Block({ block }: { block: GongwenBlock }) {
  switch (block.type) {
    case 'p':
      return <p style={{ ...bodyStyle, ...indent }}>{block.text}</p>;
    case 'h1':
      return <p style={{ ...bodyStyle, ...indent, fontFamily: FONTS.heading1, breakAfter: 'avoid' }}>{block.text}</p>;
    case 'h2':
    case 'h3':
    case 'h4':
      return (
        <p style={{ ...bodyStyle, ...indent }}>
          <span style={{ fontFamily: block.type === 'h2' ? FONTS.heading2 : FONTS.body }}>{block.text}</span>
          {block.rest}
        </p>
      );
    case 'table':
      return (
        <table className="gw-table">
          <colgroup>
            {block.columns.map((c, i) => (
              <col key={i} style={{ width: `${c.width * 100}%` }} />
            ))}
          </colgroup>
          <thead>
            <tr>
              {block.columns.map((c, i) => (
                <th key={i}>{c.title}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {block.rows.map((r, i) => (
              <tr key={i}>
                {r.map((cell, j) => (
                  <td key={j} style={{ textAlign: block.columns[j]?.align ?? 'left' }}>
                    {cell}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      );
    case 'chart':
      return (
        <figure className="gw-chart">
          <img
            src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(block.chart.svg)}`}
            alt={block.chart.alt}
            style={{ width: `${block.chart.widthMm}mm` }}
          />
        </figure>
      );
  }
}

function Right({ children, chars }: { children: ReactNode; chars: number }) {
  return <p style={{ ...bodyStyle, textAlign: 'right', paddingRight: `${chars}em`, breakBefore: 'avoid' }}>{children}</p>;
}

export function GongwenPreview({ doc, zoom = 0.75 }: { doc: GongwenDoc; zoom?: number }) {
  const flow = useRef<HTMLDivElement>(null);
  const [pages, setPages] = useState(1);
  const isLetter = doc.format === 'letter';
  useLayoutEffect(() => {
    const el = flow.current;
    if (!el) return;
    const measure = (): void => {
      // Columns overflow to the right of the first one: count them from the scroll width.
      const mm = el.getBoundingClientRect().width / TEXT_W;
      setPages(Math.max(1, Math.round((el.scrollWidth / mm + PITCH - TEXT_W) / PITCH)));
    };
    measure();
    const fontsReady = document.fonts?.ready;
    void fontsReady?.then(measure);
  }, [doc]);

  const sig = signatureIndents(doc.signature.signer, doc.signature.dateText);
  const L = GBT9704_LETTERS;
  const nameLineMm = (L.letter.bodyNameSizePt * 25.4) / 72;
  /** 信函格式: the body starts below the first double rule (the name and rule sit above the text block's top). */
  const letterSpacerMm = L.letter.bodyNameTopMm + nameLineMm + L.letter.doubleRuleBelowNameMm + 2 - M.topMm;

  return (
    <div className="gw-viewport" style={{ zoom }}>
      <div className="gw-sheets" style={{ width: `${pages * PITCH - PAGE_GAP_MM}mm`, height: `${GBT9704.page.heightMm}mm` }}>
        {Array.from({ length: pages }, (_, i) => {
          const n = i + 1;
          return (
            <div key={i} className="gw-sheet" style={{ left: `${i * PITCH}mm` }} aria-label={`版面第${n}张`} data-sheet={n}>
              {isLetter && n === 1 && (
                <>
                  <div
                    className="gw-letterhead"
                    style={{
                      top: `${L.letter.bodyNameTopMm}mm`,
                      fontFamily: FONTS.title,
                      fontSize: `${L.letter.bodyNameSizePt}pt`,
                      lineHeight: `${nameLineMm}mm`,
                      paddingBottom: `${L.letter.doubleRuleBelowNameMm}mm`,
                    }}
                  >
                    {doc.head.bodyMark}
                  </div>
                  <div className="gw-foot-rule" style={{ bottom: `${L.letter.footRuleAboveBottomMm}mm` }} />
                </>
              )}
            </div>
          );
        })}
        <div
          ref={flow}
          className="gw-flow"
          style={{
            top: `${M.topMm}mm`,
            left: `${M.leftMm}mm`,
            width: `${TEXT_W}mm`,
            height: `${TEXT_H}mm`,
            columnWidth: `${TEXT_W}mm`,
            columnGap: `${PITCH - TEXT_W}mm`,
          }}
        >
          {isLetter ? (
            <>
              <div style={{ height: `${letterSpacerMm}mm` }} />
              <p style={{ ...bodyStyle, textAlign: 'right' }}>{doc.head.documentNumber ?? '\u00a0'}</p>
            </>
          ) : (
            <>
              <div
                className="gw-mark"
                style={{
                  marginTop: `${L.standard.bodyMarkBelowTextTopMm}mm`,
                  fontFamily: FONTS.title,
                  fontSize: `${L.standard.bodyMarkSizePt}pt`,
                }}
              >
                {doc.head.bodyMark}
              </div>
              <p
                style={{
                  ...bodyStyle,
                  textAlign: 'center',
                  marginTop: `calc(${LINE} * ${L.standard.documentNumberGapLines})`,
                  paddingBottom: `${L.standard.redRuleBelowNumberMm}mm`,
                  borderBottom: `${L.standard.redRuleWidthPt}pt solid #ff0000`,
                }}
              >
                {doc.head.documentNumber ?? '\u00a0'}
              </p>
            </>
          )}
          <h1
            className="gw-title"
            style={{
              fontFamily: FONTS.title,
              fontSize: `${GBT9704.titleSizePt}pt`,
              marginTop: `calc(${LINE} * ${isLetter ? L.letter.titleGapLines : L.standard.titleGapLines})`,
              marginBottom: LINE,
            }}
          >
            {doc.title}
          </h1>
          {doc.addressee && <p style={bodyStyle}>{doc.addressee}：</p>}
          {doc.blocks.map((b, i) => (
            <Block key={i} block={b} />
          ))}
          {doc.attachments.length > 0 && (
            <div style={{ marginTop: LINE }}>
              {doc.attachments.map((a, i) => (
                <p key={i} style={{ ...bodyStyle, paddingLeft: `${GBT9704.firstLineIndentChars + 3}em`, textIndent: i === 0 ? '-3em' : 0 }}>
                  {i === 0 ? '附件：' : ''}
                  {doc.attachments.length > 1 ? `${i + 1}. ` : ''}
                  {a}
                </p>
              ))}
            </div>
          )}
          <div style={{ height: `calc(${LINE} * ${L.sealBlankLines})` }} />
          <Right chars={sig.signerRightChars}>{doc.signature.signer}</Right>
          <Right chars={sig.dateRightChars}>{doc.signature.dateText}</Right>
          {doc.note && <p style={{ ...bodyStyle, ...indent }}>（{doc.note}）</p>}
          {doc.appendices.map((a, i) => (
            <section key={i} className="gw-appendix">
              <p style={{ ...bodyStyle, fontFamily: FONTS.heading1 }}>{a.label}</p>
              <h2
                className="gw-title"
                style={{ fontFamily: FONTS.title, fontSize: `${GBT9704.titleSizePt}pt`, marginTop: LINE, marginBottom: LINE }}
              >
                {a.title}
              </h2>
              {a.blocks.map((b, j) => (
                <Block key={j} block={b} />
              ))}
            </section>
          ))}
          {doc.imprint && (doc.imprint.cc.length > 0 || doc.imprint.printer) && (
            <div
              className="gw-imprint"
              style={{
                fontFamily: FONTS.body,
                fontSize: `${FONT_SIZE_PT.si}pt`,
                borderTopWidth: `${L.imprint.thickRuleMm}mm`,
                borderBottomWidth: `${L.imprint.thickRuleMm}mm`,
              }}
            >
              {doc.imprint.cc.length > 0 && <p>抄送：{doc.imprint.cc.join('，')}。</p>}
              {doc.imprint.printer && (
                <p className="gw-imprint-printer" style={{ borderTopWidth: `${L.imprint.thinRuleMm}mm` }}>
                  <span>{doc.imprint.printer}</span>
                  <span>{doc.imprint.printDateText}印发</span>
                </p>
              )}
            </div>
          )}
        </div>
      </div>
    </div>
  );
}
