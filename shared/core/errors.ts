/**
 * Error vocabulary shared by every layer. A code is stable (tests, logs and the UI branch on it);
 * the message is Chinese and written for the person in front of the screen.
 */

export const ERROR_CODES = [
  'invalid_input', // input failed the contract's schema, or a field is semantically wrong
  'unauthenticated', // no user is logged in on this window
  'forbidden', // logged in, but this role or person may not do this
  'not_found',
  'conflict', // stale revision, duplicate, state does not allow the change
  'io_error', // the disk or a file could not be read or written
  'disk_full', // the disk holding the data folder (or a target folder) has no space left
  'no_permission', // a folder may not be written (permissions, read-only medium or mount)
  'unsupported_file', // not the kind of file expected (e.g. not a PDF)
  'damaged_file', // the right kind of file, but broken
  'too_large',
  'cancelled',
  'db_too_new', // database written by a newer app version
  'locked', // account locked, sheet submitted, letter issued …
  'reason_required', // a deduction or veto on a sheet has no reason (details.itemIds)
  'decision_required', // veto / 不适用 items were left for a bulk 符合 (details.itemIds)
  'corrupt_data', // a stored record cannot be read back (a damaged JSON cell); the message names the record
  'internal', // a bug: never shows a stack trace to the UI
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AppErrorShape {
  code: ErrorCode;
  message: string;
  /** Optional machine-readable detail, e.g. the field path of an invalid input. */
  details?: Record<string, unknown>;
}

export const DEFAULT_MESSAGES: Record<ErrorCode, string> = {
  invalid_input: '输入的内容不符合要求。',
  unauthenticated: '请先登录。',
  forbidden: '当前账户无权进行此操作。',
  not_found: '要找的内容不存在或已被删除。',
  conflict: '数据已被其他操作修改，请刷新后重试。',
  io_error: '读写文件时出错，请检查磁盘空间和文件权限。',
  disk_full: '磁盘空间不足，操作未完成。已保存的数据未受影响，请清理磁盘后重试。',
  no_permission: '没有写入数据文件夹的权限，或该文件夹是只读的。请检查文件夹权限后重试。',
  unsupported_file: '文件类型不受支持。',
  damaged_file: '文件已损坏，无法读取。',
  too_large: '文件或数据超出允许的大小。',
  cancelled: '操作已取消。',
  db_too_new: '数据文件由更新版本的软件创建，请升级后再打开。',
  locked: '该内容已锁定，不能修改。',
  reason_required: '扣分和否决须填写理由。',
  decision_required: '否决项和可不适用的项目须逐项评定。',
  corrupt_data: '数据库中有一条记录已损坏，无法读取。请从备份恢复，或导出日志联系技术支持。',
  internal: '程序内部错误，请联系技术支持。已记录错误日志。',
};

/** Thrown by services; the dispatcher turns it into `{ok: false, error}`. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  constructor(code: ErrorCode, message?: string, details?: Record<string, unknown>) {
    super(message ?? DEFAULT_MESSAGES[code]);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
  toShape(): AppErrorShape {
    return this.details ? { code: this.code, message: this.message, details: this.details } : { code: this.code, message: this.message };
  }
}

export function isAppErrorShape(value: unknown): value is AppErrorShape {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AppErrorShape).code === 'string' &&
    typeof (value as AppErrorShape).message === 'string'
  );
}

/** Chinese labels for input field names, so a validation message can name the field a person typed in. */
export const FIELD_LABELS: Record<string, string> = {
  name: '名称',
  year: '年度',
  issuingBody: '评查机关',
  campaignId: '评查活动',
  caseId: '案卷',
  caseNumber: '案号',
  caseTitle: '案件名称',
  unitName: '被评查单位',
  caseType: '案件类型',
  documentId: '文件',
  password: '密码',
  displayName: '姓名',
  username: '登录名',
  pageIndex: '页码',
  comment: '说明',
  deduction: '扣分',
  occurrences: '次数',
  itemId: '评查项目',
  sourceId: '上传文件',
  versionId: '评查标准版本',
  definition: '标准内容',
  expectedSha256: '版本校验值',
  changeNote: '修改说明',
  version: '版本',
  retired: '停用',
  format: '格式',
  dryRun: '预检',
  // people, panel, draw, assignment, meeting
  userId: '用户',
  userIds: '评查组成员',
  reviewerId: '评查人员',
  unitId: '被评查单位',
  role: '角色',
  affiliation: '所在单位',
  pastUnits: '曾任职单位',
  legalProfessional: '法律专业人员',
  currentPassword: '当前密码',
  newPassword: '新密码',
  perGroup: '抽取件数',
  grouping: '抽取方式',
  caseTypes: '案件类型',
  excludeReviewed: '排除已评查案卷',
  seed: '随机种子',
  witness: '见证人',
  reason: '理由',
  findingId: '预审提示',
  decision: '处理意见',
  force: '重新预审',
  drawId: '抽取记录',
  perFile: '每卷评查人数',
  requireLegal: '每卷至少一名法律专业人员',
  digest: '分配预览',
  caseIds: '议程案卷',
  revision: '版本',
  step: '翻页',
  index: '议程序号',
  page: '页码',
  // letters, ledger
  kind: '文书种类',
  template: '文书模板',
  bodyMark: '发文机关标志',
  signer: '署名',
  numberPrefix: '文号前缀',
  documentNumber: '发文字号',
  nextSerial: '下一个文号序号',
  title: '标题',
  addressee: '主送机关',
  paragraphs: '段落',
  sections: '组成部分',
  deadlineDays: '整改期限（天）',
  reportBackDays: '报送期限（天）',
  contactName: '联系人',
  contactPhone: '联系电话',
  extraAttachments: '其他附件',
  cc: '抄送',
  printer: '印发机关',
  mask: '脱敏',
  date: '日期',
  includeProvisional: '包含暂定结果',
  rowId: '台账条目',
  patch: '修改内容',
  measure: '整改措施',
  responsible: '责任人',
  deadline: '整改时限',
  status: '整改状态',
  checker: '核查人',
  checkOpinion: '核查意见',
  closedOn: '销号日期',
  evidenceId: '佐证材料',
  // keys, issuing, verification
  fingerprint: '密钥指纹',
  backupPassword: '备份密码',
  replace: '更换密钥',
  manifestSourceId: '签名清单',
  text: '核验内容',
  what: '下载内容',
  issuedId: '签发文书',
  letterId: '文书',
  cosigners: '会签人',
  useSeal: '使用印章图像',
  correctionNote: '更正说明',
  sheetId: '评查表',
  note: '说明',
  route: '处理方式',
  assigneeId: '复核人',
  rules: '分歧规则',
  requiredSheets: '定分所需评查表份数',
  threshold: '分差',
  minItems: '不一致项目数',
  gradeBands: '等次不一致',
  anyVeto: '否决项',
  spread: '总分差',
  // import
  sourceIds: '上传文件',
  shortName: '简称',
  field: '所属系统',
  regionCode: '行政区划代码',
  sheetName: '工作表',
  headerRow: '表头行',
  mapping: '列对应',
  assignments: '文件归属',
  keepUnitNames: '保留为新单位',
  sourceUnitId: '要合并的单位',
  targetUnitId: '合并到的单位',
  defaults: '默认值',
  jobId: '任务',
  batchId: '导入记录',
  // reader
  query: '检索词',
  // work packages
  reviewerPassword: '评查人员本机密码',
  trustSigner: '签名人密钥指纹',
  conflictId: '冲突记录',
  choice: '处理方式',
  purpose: '用途',
};
