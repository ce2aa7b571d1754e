/**
 * Every reason a work package is refused, each with a stable code (in the error's `details.reason`,
 * what tests, logs and the UI branch on), the general error code, and the Chinese sentence a person
 * reads. A refused package changes nothing on the workstation.
 */
import { AppError, type ErrorCode } from '../core/errors.js';

export const PACKAGE_REFUSALS = {
  not_a_package: { code: 'unsupported_file', message: '这不是评查工作站的工作包（压缩包中没有清单文件 manifest.json）。' },
  zip_damaged: { code: 'damaged_file', message: '工作包已损坏或不完整（可能复制时被截断），请重新复制或重新导出。' },
  unsafe_path: { code: 'damaged_file', message: '工作包中有条目使用绝对路径或“..”路径（可能写到数据文件夹之外），已拒绝。' },
  link_entry: { code: 'damaged_file', message: '工作包中有条目是符号链接（可能指向本机其他文件），已拒绝。' },
  encrypted_entry: { code: 'damaged_file', message: '工作包中有加密或不支持压缩方式的条目，已拒绝。' },
  too_large: { code: 'too_large', message: '工作包超过允许的大小上限（或疑似压缩炸弹），已拒绝。' },
  newer_version: { code: 'unsupported_file', message: '工作包由更新版本的评查工作站制作，当前软件无法读取，请升级软件后再导入。' },
  bad_manifest: { code: 'damaged_file', message: '工作包的清单文件格式不正确，已拒绝。' },
  digest_mismatch: { code: 'damaged_file', message: '工作包内容与清单不符（SM3 摘要不一致），文件可能被改动过，已拒绝。' },
  unlisted_entry: { code: 'damaged_file', message: '工作包中的条目与清单不一致（有多余或缺失的条目），已拒绝。' },
  bad_signature: { code: 'damaged_file', message: '工作包的 SM2 签名验证失败：签名与清单内容不符，已拒绝。' },
  unsigned: { code: 'forbidden', message: '工作包没有签名，本工作站只接受已签名的工作包。' },
  untrusted_signer: {
    code: 'forbidden',
    message: '工作包签名人的公钥不在本工作站的信任列表中（或尚未确认），请先导入其身份文件并由组织者确认。',
  },
  revoked_signer: { code: 'forbidden', message: '工作包签名人的密钥已被撤销，已拒绝。' },
  wrong_signer: { code: 'forbidden', message: '工作包的签名人不是工作包的制作人，已拒绝。' },
  wrong_campaign: { code: 'conflict', message: '工作包属于另一个评查活动，与本工作站的评查活动不符。' },
  wrong_reviewer: { code: 'conflict', message: '工作包属于另一名评查人员，不能在这里导入。' },
  wrong_direction: { code: 'conflict', message: '工作包的类型与本工作站不符。' },
  older_package: { code: 'conflict', message: '本工作站已导入同一来源更新的工作包，此包较旧，未导入。' },
  audit_mismatch: {
    code: 'damaged_file',
    message: '工作包中的操作日志与签名清单登记的条数或 SM3 摘要不符（可能被增删或改动过），已拒绝，本工作站未作任何改动。',
  },
  invalid_content: { code: 'damaged_file', message: '工作包中的数据不完整或不合规，已拒绝。' },
  foreign_rows: {
    code: 'conflict',
    message:
      '工作包中的数据涉及本工作站上其他评查活动的记录（编号相同或引用了其他活动的案卷、文件、评查表），已拒绝，本工作站未作任何改动。',
  },
  local_actor: { code: 'conflict', message: '工作包中的人员或操作日志冒用了本工作站自己的账户，已拒绝，本工作站未作任何改动。' },
  user_clash: { code: 'conflict', message: '工作包中的人员与本工作站已有账户的登录名相同但不是同一人，请核对后再导入。' },
} as const satisfies Record<string, { code: ErrorCode; message: string }>;

export type PackageRefusal = keyof typeof PACKAGE_REFUSALS;
export const PACKAGE_REFUSAL_REASONS = Object.keys(PACKAGE_REFUSALS) as PackageRefusal[];

/** The error for a refusal; `detail` names what exactly (an entry, a campaign) after the sentence. */
export function packageRefusal(reason: PackageRefusal, detail?: string): AppError {
  const { code, message } = PACKAGE_REFUSALS[reason];
  return new AppError(code, detail ? `${message}（${detail}）` : message, { reason });
}

export function refusalOf(error: unknown): PackageRefusal | null {
  const reason = error instanceof AppError ? error.details?.reason : (error as { details?: { reason?: unknown } } | null)?.details?.reason;
  return typeof reason === 'string' && reason in PACKAGE_REFUSALS ? (reason as PackageRefusal) : null;
}
