/**
 * The verification block printed on an issued letter under 署名 and date — the same words and QR
 * size in the PDF rendition and the DOCX, so a printout of either can be checked.
 */

/** Side of the printed QR code. */
export const VERIFICATION_QR_MM = 24;

export interface VerificationMark {
  /** The QR text (statement, signature). */
  payload: string;
  /** The short code a person types. */
  shortCode: string;
}

/** The block's lines: the code, how to check it, and what the printout is (honest about the seal). */
export function verificationLines(mark: VerificationMark, sealUsed: boolean): string[] {
  return [
    `核验码：${mark.shortCode}`,
    '本文书签发时已由签发人以SM2数字签名（SM3摘要）并登记。扫描二维码或在案卷评查工作站“核验”页输入核验码，可查验签发人、签发日期及内容是否被改动。',
    sealUsed
      ? '本件为打印版本：所示印章为图像，不是依法设立的电子印章，不具有电子签章效力。'
      : '本件未加盖电子印章。需电子签章的，以经认证签章系统签章的文件为准。',
  ];
}
