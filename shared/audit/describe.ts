/**
 * A row of the 留痕 as a person reads it: one Chinese sentence saying who did what to which file,
 * unit or letter — by name, never by id — and the recorded details as 「标签：值」 lines. The screen and
 * the XLSX export both use these words. Names come from the caller (the audit service looks up the
 * ids a page mentions); an id it could not name is shown as a short number, never as a raw UUID.
 */
import { CASE_TYPE_LABELS } from '../campaigns/case-types.js';
import { DEFAULT_MESSAGES, type ErrorCode } from '../core/errors.js';
import { drawRuleText } from '../panel/draw.js';
import { auditActionLabel, AUDIT_ENTITY_LABELS } from './labels.js';

/** Names of the records a row mentions, by id; `item:<id>` names a checklist item (编号 and text). */
export type AuditNames = Readonly<Record<string, string>>;

export interface AuditFacts {
  action: string;
  entity: string;
  entityId: string | null;
  actorId: string | null;
  /** The actor's display name; null for the system or an account this workstation does not know. */
  actorName: string | null;
  /** The chain segment: '' for rows made here, else the workstation whose package brought the row. */
  segment?: string;
  before: string | null;
  after: string | null;
}

export interface AuditDescription {
  sentence: string;
  details: string[];
}

/** Chinese labels of every key the workstation writes into a row's before/after today. */
export const AUDIT_FIELD_LABELS: Record<string, string> = {
  adoptedItems: '采纳的评查项',
  affiliation: '所在单位',
  alias: '别名',
  alreadyAssigned: '已分配的案卷数',
  answer: '评定',
  answers: '各项评定',
  assigneeId: '承办人',
  assignments: '分配结果',
  author: '制作人',
  basedOn: '所依据的版本',
  basis: '依据',
  blobsCopied: '本次复制的文件数',
  bytes: '大小',
  canLogIn: '可登录',
  caseId: '案卷',
  caseNumber: '案号',
  caseNumberKey: '案号（规范化）',
  caseType: '案件类型',
  caseTypeLabel: '案件类型',
  caseTypes: '案件类型',
  cause: '案由',
  changeNote: '修改说明',
  checkOpinion: '核查意见',
  checker: '核查人',
  choice: '处理方式',
  closedOn: '结案日期',
  confirmedHere: '在本机确认',
  confiscatedAmount: '没收金额',
  correctionNote: '更正说明',
  cosigners: '会签人',
  createdAt: '制作时间',
  date: '日期',
  deadline: '整改期限',
  decision: '处理决定',
  digest: '摘要',
  disabled: '已停用',
  displayName: '姓名',
  documentId: '文书',
  documentNumber: '文号',
  done: '已完成',
  drawId: '抽取批次',
  enforcementBody: '执法机关',
  error: '错误',
  evidence: '佐证',
  evidenceId: '佐证材料',
  excludeReviewed: '排除已评查案卷',
  externalCode: '外部编号',
  field: '执法领域',
  fileName: '文件名',
  folder: '文件夹',
  filedOn: '立案日期',
  files: '文件数',
  fingerprint: '密钥指纹',
  grade: '等次',
  handler: '承办人',
  id: '编号',
  issuingBody: '发文机关',
  itemId: '评查项目',
  itemIds: '评查项目',
  keptAt: '原数据保存位置',
  preparedBy: '准备恢复的人',
  preparedAt: '准备恢复时间',
  kind: '类别',
  legalProfessional: '法律专业人员',
  list: '案件清单',
  lockouts: '锁定次数',
  manifestSm3: '清单 SM3 摘要',
  measure: '整改措施',
  name: '名称',
  nextSerial: '下一个序号',
  note: '说明',
  number: '文号',
  occurrences: '出现次数',
  packageId: '工作包',
  pages: '页数',
  party: '当事人',
  passwordRehashed: '密码已重新加密',
  passwordReset: '已重置密码',
  pastUnits: '曾任职单位',
  penaltyAmount: '罚款金额',
  penaltyText: '处罚内容',
  perFile: '每件案卷评查人数',
  perGroup: '每组抽取数',
  problem: '问题',
  reason: '理由',
  region: '地区',
  regionCode: '行政区划代码',
  replace: '替换原密钥',
  requireLegal: '须有法律专业人员',
  requirement: '整改要求',
  requiredSheets: '定分所需评查表份数',
  responsible: '责任人',
  revision: '修订次数',
  reviewer: '评查员',
  reviewerId: '评查员',
  role: '角色',
  round: '轮次',
  route: '处理方式',
  runId: '分配批次',
  seal: '印章',
  seed: '随机种子',
  seedSource: '种子来源',
  seq: '序号',
  sequence: '序号',
  serial: '序号',
  sha256: 'SHA-256 摘要',
  shortCode: '核验码',
  shortName: '简称',
  signer: '签名人',
  signers: '签名人',
  source: '来源',
  sourcePath: '原文件',
  grouping: '抽取规则',
  standardId: '评查标准',
  status: '状态',
  supersededReason: '重新抽取的理由',
  supersedes: '更正的文书',
  title: '标题',
  total: '得分',
  typed: '手工填写',
  unit: '单位',
  unitId: '被评查单位',
  unitName: '被评查单位',
  username: '用户名',
  userId: '人员',
  validTo: '有效期至',
  version: '版本',
  versionId: '评查标准版本',
  vetoed: '触发否决项',
  warnings: '提示',
  wasDisabled: '原已停用',
  what: '下载内容',
  witness: '见证人',
  annotations: '标注数',
  anyVeto: '认定否决项',
  auditEntries: '留痕条数',
  authorId: '标注人',
  authorName: '标注人',
  blind: '匿名评议',
  caseIds: '案卷',
  caseTitle: '案卷标题',
  cases: '案卷数',
  category: '类别',
  color: '颜色',
  comment: '意见',
  conflicts: '冲突数',
  contentSha256: '内容摘要',
  createdBy: '创建人',
  deduction: '扣分',
  description: '问题描述',
  displayStatus: '状态',
  overdue: '逾期',
  documents: '文件数',
  drawn: '抽中的案卷',
  enabled: '启用',
  excluded: '排除的案卷',
  from: '原位置',
  gradeBands: '等次不一致',
  hasText: '含文字层',
  holder: '持有人',
  itemCode: '项目编号',
  itemText: '评查项目',
  items: '不一致项目',
  listName: '案件清单',
  location: '位置',
  metadata: '元数据',
  minItems: '项目数',
  noteText: '说明',
  page: '页码',
  pageCount: '页数',
  pageIndex: '页码',
  poolDigest: '候选清单摘要',
  poolSize: '候选案卷数',
  position: '位置',
  reviewerUsername: '评查员用户名',
  sheets: '评查表数',
  showScores: '显示得分',
  sortKey: '排序',
  sortOrder: '顺序',
  spread: '总分相差',
  text: '文字',
  threshold: '分差阈值',
  to: '新位置',
  type: '类型',
  unitMatch: '单位匹配方式',
  updatedAt: '修改时间',
  validFrom: '有效期自',
  withdrawn: '已撤回',
  year: '年度',
  // Written by the ledger's sync, the pre-check, signing, unit merges and the recovery command.
  added: '新增',
  updated: '更新',
  documentSha256: '文件摘要',
  selectedText: '选中文字',
  checklistItemId: '关联评查项目',
  moved: '随之并入',
  declaredConflicts: '回避登记',
  drawnCases: '抽中案卷',
  letters: '文书',
  ledgerItems: '整改台账条目',
  format: '版式',
  engine: '识别方式',
  ruleset: '规则版本',
  findings: '提示数',
  pagesUnread: '未读页数',
  rule: '规则',
  sm3: 'SM3 摘要',
  by: '操作方式',
  osUser: '系统用户',
  host: '计算机名',
};

/** Values that are codes, in Chinese (status, route, choice, role, kind…). */
const VALUE_LABELS: Record<string, string> = {
  draft: '评查中',
  submitted: '已提交',
  reopened: '已退回修改',
  final: '已定分',
  pass: '符合',
  deduct: '扣分',
  na: '不适用',
  veto: '否决',
  recheck: '复核',
  panel: '集体评议',
  incoming: '采用收到的版本',
  local: '保留本机版本',
  organiser: '组织者',
  lead: '评查组长',
  reviewer: '评查员',
  observer: '观察员',
  trusted: '已信任',
  pending: '待处理',
  in_progress: '整改中',
  awaiting_check: '已整改待核',
  revoked: '已撤销',
  auto: '自动',
  manual: '人工',
  witness: '见证人提供',
  generated: '系统生成',
  opinion: '行政执法监督意见书',
  notice: '整改通知书',
  bulletin: '评查结果通报',
  closed: '已销号',
  area: '区域',
  highlight: '高亮',
  underline: '下划线',
  strikeout: '删除线',
  note: '批注',
  ink: '手绘',
  text: '文字批注',
  login: '登录',
  cosign: '会签',
  key: '签名密钥',
  change_password: '修改密码',
  // What an export was (the file name says the rest).
  drawRecord: '抽取记录',
  audit: '留痕',
  caseSheet: '案卷评查表',
  precheck: '智能预审概况',
  ledger: '整改台账',
  importSummary: '导入汇总',
  annotatedPdf: '带标注的 PDF',
  annotationList: '标注清单',
  standardJson: '评查标准（数据文件）',
  standardXlsx: '评查标准（表格）',
  keyIdentity: '签名身份文件',
  keyBackup: '签名密钥备份',
  opinionBatch: '行政执法监督意见书（批量）',
  noticeBatch: '整改通知书（批量）',
  'issued-pdf': '已签发文书（PDF）',
  'issued-docx': '已签发文书（Word）',
  'issued-manifest': '已签发文书清单',
  'issued-handoff': '交付签章包',
  'package.out': '评查工作包',
  'package.return': '回传工作包',
  'package.campaign': '评查活动工作包',
  unitType: '每单位每类',
  unit: '每单位',
  reviewed: '已评查过',
  noDocument: '没有文件',
  random: '随机分配',
  taken: '采纳',
  rejected: '不采纳',
  confirm: '组长确认',
  // 整改台账: where a problem came from, and a row past its deadline.
  review: '案卷评查',
  special: '专项整治',
  inspection: '法治督察',
  complaint: '投诉举报',
  other: '其他',
  overdue: '逾期',
  // 文书模板的版式.
  letter: '信函格式',
  standard: '文件格式',
  // Signing: who signed, and what of an issued document was downloaded.
  issuer: '签发人',
  cosigner: '会签人',
  pdf: '已签发文书（PDF）',
  docx: '已签发文书（DOCX）',
  content: '文书内容数据',
  manifest: '已签发文书清单',
  handoff: '交付签章包',
  // Work packages by kind.
  out: '评查工作包',
  return: '评查回收包',
  campaign: '评查活动整体包',
  'npm run recover': '本机恢复命令',
};

/** Keys whose values are codes (a typed comment that happens to read "pass" stays as typed). */
const CODE_KEYS = new Set([
  'status',
  'route',
  'choice',
  'role',
  'kind',
  'type',
  'source',
  'seedSource',
  'what',
  'displayStatus',
  'grouping',
  'decision',
  'format',
  'by',
]);

/** Where a sign-in came from: the host names a browser `web:…` and an Electron window `wc:…`. */
const sourceText = (v: string): string | null => (v.startsWith('web:') ? '浏览器会话' : v.startsWith('wc:') ? '本机程序' : null);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX = /^[0-9a-f]{32,}$/i;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** Some writers record a database row (short_name), others the API's fields (shortName): one spelling. */
const camel = (key: string): string => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const sameSpelling = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(sameSpelling)
    : isObject(v)
      ? Object.fromEntries(Object.entries(v).map(([k, x]) => [camel(k), sameSpelling(x)]))
      : v;

const parse = (json: string | null): unknown => {
  if (json === null) return undefined;
  try {
    return sameSpelling(JSON.parse(json) as unknown);
  } catch {
    return json;
  }
};
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A key's Chinese label; a key this version does not know is shown as written. */
export const auditFieldLabel = (key: string): string => AUDIT_FIELD_LABELS[key] ?? key;

/** A short stand-in for an id nobody can name any more (a removed record): 「编号 1a2b3c4d」. */
const shortId = (id: string): string => `编号 ${id.replace(/-/g, '').slice(0, 8)}`;

function answerText(v: unknown): string {
  if (!isObject(v) || typeof v.status !== 'string') return v === null || v === undefined ? '未评定' : formatValue(v, {});
  const label = VALUE_LABELS[v.status] ?? v.status;
  const parts = [label];
  if (typeof v.deduction === 'number') parts[0] = `扣 ${v.deduction} 分`;
  if (typeof v.occurrences === 'number') parts.push(`${v.occurrences} 处`);
  if (typeof v.comment === 'string' && v.comment) parts.push(`“${clip(v.comment, 40)}”`);
  return parts.join('，');
}

const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n)}…` : s);

/** One value as text: ids by name, codes in Chinese, dates readable, long lists and hashes shortened. */
export function formatValue(v: unknown, names: AuditNames, key?: string): string {
  if (v === null || v === undefined || v === '') return '无';
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (typeof v === 'number') return key === 'bytes' ? formatBytes(v) : key === 'pageIndex' ? String(v + 1) : String(v);
  if (typeof v === 'string') {
    if ((key === 'itemId' || key === 'itemIds' || key === 'checklistItemId') && names[`item:${v}`]) return names[`item:${v}`]!;
    // The pre-check engine is named as the reviewer knows it, with its rule version.
    if (key === 'engine' && /^precheck@/.test(v)) return `智能预审（规则版本 ${v.slice('precheck@'.length)}）`;
    if ((key === 'caseType' || key === 'caseTypes') && v in CASE_TYPE_LABELS) return CASE_TYPE_LABELS[v as keyof typeof CASE_TYPE_LABELS];
    // A fingerprint is shown as itself (grouped), never as its holder's name: the reader compares it.
    if (key === 'fingerprint') return HEX.test(v) ? `${v.slice(0, 12)}…` : clip(v, 64);
    if (names[v]) return names[v]!;
    if (UUID.test(v)) return shortId(v);
    if (HEX.test(v)) return `${v.slice(0, 12)}…`;
    if (DATE_TIME.test(v)) return v.slice(0, 16).replace('T', ' ');
    if (key === 'source' && sourceText(v)) return sourceText(v)!;
    if (key === 'error' && v in DEFAULT_MESSAGES) return DEFAULT_MESSAGES[v as ErrorCode];
    if (VALUE_LABELS[v] && (key === undefined || CODE_KEYS.has(key))) return VALUE_LABELS[v]!;
    return clip(v, 120);
  }
  if (Array.isArray(v)) {
    if (!v.length) return '无';
    // The drawn files are the draw's result: every 案号 is said, not the first five.
    if (key === 'drawn') return `${v.length} 件：${v.map((x) => formatValue(x, names)).join('、')}`;
    const shown = v.slice(0, 5).map((x) => formatValue(x, names, key));
    return v.length > 5 ? `${shown.join('、')} 等 ${v.length} 项` : shown.join('、');
  }
  if (isObject(v)) {
    if (key === 'answer' || ('status' in v && ('deduction' in v || 'comment' in v))) return answerText(v);
    if (key === 'answers') return `${Object.keys(v).length} 项`;
    const inner = Object.entries(v)
      .filter(([, x]) => x !== undefined)
      .slice(0, 6)
      .map(([k, x]) => `${auditFieldLabel(k)} ${formatValue(x, names, k)}`);
    return inner.length ? inner.join('，') : '无';
  }
  return String(v);
}

const formatBytes = (n: number): string =>
  n >= 1048576 ? `${(n / 1048576).toFixed(1)} MB` : n >= 1024 ? `${Math.round(n / 1024)} KB` : `${n} 字节`;

/** What the row is about, as a noun phrase: 「（2025）清市监罚字第12号的评查表」, 「被评查单位“某局”」. */
function objectPhrase(entity: string, id: string | null, names: AuditNames): string {
  const name = id ? names[id] : undefined;
  const label = AUDIT_ENTITY_LABELS[entity] ?? entity;
  if (!name) {
    if (!id) return label;
    return UUID.test(id) || HEX.test(id) ? `${label}（${shortId(id)}）` : `${label}“${id}”`;
  }
  switch (entity) {
    case 'sheet':
      return `${name}的评查表`;
    case 'case':
    case 'assignment':
      return `案卷${name}`;
    case 'user':
    case 'letter':
    case 'signedDocument':
    case 'document':
    case 'annotation':
      return name;
    case 'trustedKey':
      // 「王组织的签名公钥」: the key is the person's; "信任的公钥" is the list it sits on.
      return `${name}的签名公钥`;
    case 'signingKey':
      return `${name}的${label}`;
    case 'ledgerItem':
      return `整改台账中${name}`;
    default:
      return `${label}“${name}”`;
  }
}

type Payload = Record<string, unknown>;
interface Ctx {
  obj: string;
  id: string;
  a: Payload;
  b: Payload;
  v: (value: unknown, key?: string) => string;
}

const pageOf = (p: Payload): string => (typeof p.pageIndex === 'number' ? `第 ${p.pageIndex + 1} 页` : '');

/** Sentence after the actor's name, for every action written today. */
const SENTENCES: Record<string, (c: Ctx) => string> = {
  'annotation.create': (c) => `在${c.obj}${pageOf(c.a)}添加了标注`,
  'annotation.update': (c) => `修改了${c.obj}${pageOf(c.a)}的标注`,
  'annotation.delete': (c) => `删除了${c.obj}${pageOf(c.b)}的标注`,
  'assignment.add': (c) => `将${c.obj}分配给${c.v(c.a.reviewerId)}`,
  'assignment.apply': () => `执行了案卷分配方案`,
  'assignment.remove': (c) => `撤回了${c.v(c.b.reviewerId)}对${c.obj}的分配`,
  'assignment.withdrawn_by_package': (c) => `按工作包撤回了${c.v(c.b.reviewerId)}对${c.obj}的分配`,
  'campaign.create': (c) => `创建了${c.obj}`,
  'campaign.standard.set': (c) =>
    c.a.versionId
      ? `为${c.v(c.a.caseType, 'caseType')}案卷选用${c.v(c.a.versionId)}`
      : `取消了${c.v(c.a.caseType, 'caseType')}案卷的评查标准`,
  'case.create': (c) => `登记了${c.obj}`,
  'case.update': (c) => `补充了${c.obj}的案卷信息`,
  'conflict.declare': (c) => `登记${c.obj}与${c.v(c.a.unitId)}需回避`,
  'conflict.remove': (c) => `撤销了${c.obj}对${c.v(c.b.unitId)}的回避`,
  'document.import': (c) => `导入了${c.obj}`,
  'document.issue': (c) => `签发了${c.v(c.a.documentNumber) !== '无' ? `文书（${c.v(c.a.documentNumber)}）` : c.obj}`,
  'document.rename': (c) => `将文件“${c.v(c.b.title)}”更名为“${c.v(c.a.title)}”`,
  'draw.run': (c) => `进行了第 ${c.v(c.a.seq)} 次随机抽取`,
  'export.create': (c) => `导出了文件“${c.v(c.a.fileName)}”`,
  'import.start': (c) => `开始导入 ${c.v(c.a.files)} 个文件`,
  'import.finish': (c) => `完成导入，共 ${c.v(c.a.done)} 个文件、${c.v(c.a.pages)} 页`,
  'import.cancel': (c) => `取消了导入（已完成 ${c.v(c.a.done)} 个文件）`,
  'import.fail': (c) => `导入中途失败（已完成 ${c.v(c.a.done)} 个文件）`,
  'key.create': () => `生成了签名密钥`,
  'key.retire': (c) => `停用了${c.obj}`,
  'key.restore': () => `从备份恢复了签名密钥`,
  'key.reseal': () => `用新密码重新加密了签名密钥`,
  'key.reseal_failed': () => `用新密码重新加密签名密钥失败`,
  'key.unlock_failed': () => `解开签名密钥时密码错误`,
  'key.password_failed': () => `输入签名密钥密码错误`,
  'key.exportIdentity': () => `导出了签名身份文件`,
  'key.exportBackup': () => `导出了签名密钥备份`,
  'ledger.evidence.add': (c) => `为${c.obj}上传了整改佐证“${c.v(c.a.fileName)}”`,
  'ledger.add': (c) => `在整改台账中新增了${c.a.serial !== undefined ? `第 ${c.v(c.a.serial)} 条` : '一条'}`,
  'ledger.sync': () => `同步了整改台账`,
  'ledger.update': (c) => `修改了${c.obj}`,
  'letter.check': (c) => `核对定稿了${c.obj}`,
  'letter.issue': (c) => `签发了${c.obj}`,
  // A letter's name may already carry its 文号 ("评查结果通报（清司监〔2026〕5号）"): the number is said once.
  'letter.number': (c) => {
    const number = typeof c.a.number === 'string' ? c.a.number : '';
    const obj = number ? c.obj.replace(`（${number}）`, '') : c.obj;
    return `为${obj}编排文号${c.v(c.a.number)}`;
  },
  'letter.reopen': (c) => `重新打开编辑${c.obj}`,
  'letter.sequence': (c) => `将文号序列（${c.id.replace(/\//g, '，')}）的下一个序号设为 ${c.v(c.a.nextSerial)}`,
  'letterTemplate.save': (c) => `保存了${c.v(c.id)}的文书模板`,
  'listMapping.save': () => `保存了案件清单的列对应`,
  'meeting.agenda': () => `调整了评议会议程`,
  'meeting.move': () => `切换了评议会当前议题`,
  'meeting.focus': () => `在评议会上展示了文件页面`,
  'meeting.options': () => `修改了评议会设置`,
  'package.resolve': (c) => `处理了${c.obj}的工作包冲突（${c.v(c.a.choice)}）`,
  'package.trust_signer': (c) => `信任了工作包签名人${c.v(c.a.name)}`,
  'panel.members': () => `调整了评查组成员`,
  'reconcile.answer': (c) => `合议评定${c.obj}的${c.v(c.a.itemId, 'itemId')}：${answerText(c.a.answer)}`,
  'reconcile.adoptRest': (c) =>
    `合议时对${c.obj}其余${Array.isArray(c.a.adoptedItems) ? ` ${c.a.adoptedItems.length} ` : ''}项采纳${c.v(c.a.reviewer)}的评定`,
  'precheck.run': (c) => `对${c.obj}进行了智能预审${typeof c.a.findings === 'number' ? `，提示 ${c.a.findings} 处` : ''}`,
  'precheck.decide': (c) => `对${c.v(c.a.caseId)}的预审提示作出处理：${c.a.decision ? c.v(c.a.decision, 'decision') : '撤销处理'}`,
  'register.download': (c) => `下载了${c.obj}`,
  'review.route': (c) => `将${c.obj}交由${c.v(c.a.route)}${c.a.assigneeId ? `（${c.v(c.a.assigneeId)}）` : ''}`,
  'review.rules': () => `修改了分歧规则`,
  'review.settle': (c) => `确定了${c.obj}的最终结果，得分 ${c.v(c.a.total)}${c.a.grade ? `（${c.v(c.a.grade)}）` : ''}`,
  'review.settle_auto': (c) => `按一致的评查表为${c.obj}自动定分，得分 ${c.v(c.a.total)}${c.a.grade ? `（${c.v(c.a.grade)}）` : ''}`,
  'review.withdraw': (c) => `撤回了${c.obj}的定分`,
  'seal.remove': () => `删除了印章图片`,
  'seal.upload': (c) => `上传了印章图片“${c.v(c.a.fileName)}”`,
  'seal.use': (c) => `在${c.v(c.a.documentId)}上使用了印章`,
  'sheet.answer': (c) => `评定了${c.obj}的${c.v(c.a.itemId, 'itemId')}：${answerText(c.a.answer)}`,
  'sheet.create': (c) => `建立了${c.obj}`,
  'sheet.merge': (c) => `从工作包合并了${c.obj}`,
  'sheet.pass_remaining': (c) => `将${c.obj}其余 ${Array.isArray(c.a.itemIds) ? c.a.itemIds.length : 0} 个项目评为不扣分`,
  'sheet.remove_empty': (c) => `删除了空白的${c.obj}`,
  'sheet.reopen': (c) => `退回了${c.obj}${c.a.reason ? `，理由：${c.v(c.a.reason)}` : ''}`,
  'sheet.submit': (c) =>
    `提交了${c.obj}，得分 ${c.v(c.a.total)}${c.a.grade ? `（${c.v(c.a.grade)}${c.a.vetoed ? '，触发否决项' : ''}）` : ''}`,
  'standard.version.create': (c) => `新建了${c.obj}`,
  'standard.version.edit': (c) => `修改了${c.obj}`,
  'standard.version.retire': (c) => `停用了${c.obj}`,
  'standard.version.restore': (c) => `恢复使用${c.obj}`,
  'trust.accept': (c) => `确认信任${c.obj}`,
  'trust.addLocal': (c) => `将本机${c.obj}加入了信任列表`,
  'trust.import': (c) => `导入了${c.obj}`,
  'trust.revoke': (c) => `撤销了对${c.obj}的信任`,
  'unit.alias': (c) => `登记“${c.v(c.a.alias)}”为${c.v(c.a.unitName)}的别名`,
  'unit.alias_forget': (c) => `删除了单位别名“${c.v(c.b.alias)}”`,
  'unit.create': (c) => `新增了${c.obj}`,
  'unit.merge': (c) => `将被评查单位“${c.v(c.b.name)}”并入${c.obj}`,
  'unit.update': (c) => `修改了${c.obj}`,
  'user.change_password': () => `修改了自己的密码`,
  'user.change_password_failed': () => `修改密码时原密码错误`,
  'user.create': (c) => `新建了账号：${c.obj}`,
  'user.disable': (c) => `停用了${c.obj}的账号`,
  'user.enable': (c) => `恢复了${c.obj}的账号`,
  'user.from_package': (c) => `由工作包建立了账号：${c.obj}`,
  'user.locked': (c) => `${c.obj}的账号因连续输错密码被锁定`,
  'user.unlock_failed': (c) => `${c.obj}解锁时密码错误`,
  'user.login': () => `登录`,
  'user.login_failed': (c) => `${c.obj}登录时密码错误`,
  'user.cosign_failed': (c) => `${c.obj}会签时密码错误`,
  'user.key_failed': (c) => `${c.obj}解开签名密钥时密码错误`,
  'user.logout': () => `退出登录`,
  'user.recover_unlock': (c) => `通过本机恢复命令解锁了${c.obj}的账号`,
  'user.reset_password': (c) => `重置了${c.obj}的密码`,
  'user.setup': () => `初始化了本工作站，成为组织者`,
  'user.unlock': (c) => `解锁了${c.obj}的账号`,
  'user.update': (c) => `修改了${c.obj}的账号信息`,
  'workspace.backup': (c) => `将本工作站数据备份到“${c.v(c.a.folder)}”`,
  'workspace.restore_prepared': (c) => `准备从“${c.v(c.a.folder)}”的备份恢复本工作站数据（下次启动时生效）`,
  'workspace.restore_discarded': () => `放弃了待恢复的备份`,
  'workspace.restored': (c) =>
    `从“${c.v(c.a.folder)}”中 ${c.v(c.a.createdAt)} 制作的备份恢复了本工作站数据${c.a.preparedBy ? `（由${c.v(c.a.preparedBy)}核对并准备）` : ''}`,
};

/** Sentences for actions written with a variable part (package kinds, ledger statuses). */
function patternSentence(action: string, c: Ctx): string | null {
  const pkg = /^package\.(export|import)_(\w+)$/.exec(action);
  if (pkg) return `${pkg[1] === 'export' ? '导出了' : '导入了'}${auditActionLabel(action).replace(/^(导出|导入)/, '')}`;
  const ledger = /^ledger\.status\.(\w+)$/.exec(action);
  if (ledger) return `将${c.obj}的状态改为${c.v(ledger[1])}`;
  return null;
}

const SUBJECT_FIRST = /^user\.(locked|\w+_failed)$/;

/** Keys already said in the sentence, or too technical to be of use to a reader of the trail. */
const QUIET = new Set([
  'id',
  'itemId',
  'answer',
  'itemIds',
  'manifestSm3',
  'digest',
  'caseNumberKey',
  'caseTypeLabel',
  'position',
  'color',
  'sortKey',
  'poolDigest',
  // Batch ids name nothing a reader knows; the row's time and the seed already identify the run.
  'runId',
  'drawId',
  'batchId',
  'authorId',
]);
/** Counts a reader only needs when they are not zero (a first wrong password has locked nothing). */
const QUIET_WHEN_ZERO = new Set(['lockouts']);
const empty = (v: unknown, key?: string): boolean =>
  v === null ||
  v === undefined ||
  v === '' ||
  (Array.isArray(v) && v.length === 0) ||
  (v === 0 && key !== undefined && QUIET_WHEN_ZERO.has(key));

/**
 * An assignment as 「案号：评查人、评查人；案号：…」. The apply row records [caseId, [reviewerId…]]
 * pairs; the rows it replaced come as {caseId, reviewerId} records.
 */
function assignmentText(v: unknown, names: AuditNames): string | null {
  if (!Array.isArray(v)) return null;
  const byCase = new Map<string, string[]>();
  for (const x of v) {
    const [caseId, people] = Array.isArray(x) ? [x[0], x[1]] : isObject(x) ? [x.caseId, [x.reviewerId]] : [undefined, undefined];
    if (typeof caseId !== 'string' || !Array.isArray(people)) return null;
    const list = byCase.get(caseId) ?? [];
    list.push(...people.map((p) => formatValue(p, names)));
    byCase.set(caseId, list);
  }
  if (!byCase.size) return '无';
  return [...byCase].map(([caseId, people]) => `${formatValue(caseId, names)}：${people.join('、')}`).join('；');
}

/** A draw told in full: seed, rule, pool, how many were drawn and which, and what was left out. */
function drawLines(a: Payload, b: Payload, names: AuditNames): string[] {
  const v = (x: unknown, k?: string) => formatValue(x, names, k);
  const lines: string[] = [];
  if (b.supersededReason !== undefined) lines.push(`重新抽取的理由：${v(b.supersededReason)}`);
  lines.push(
    `随机种子：${v(a.seed)}（${v(a.seedSource, 'seedSource')}${typeof a.witness === 'string' && a.witness ? `，见证人 ${a.witness}` : ''}）`,
  );
  if (typeof a.perGroup === 'number') lines.push(`抽取规则：${drawRuleText(a.grouping === 'unit' ? 'unit' : 'unitType', a.perGroup)}`);
  if (!empty(a.caseTypes)) lines.push(`案件类型：${v(a.caseTypes, 'caseTypes')}`);
  if (a.excludeReviewed !== undefined) lines.push(`排除已评查案卷：${v(a.excludeReviewed)}`);
  if (a.poolSize !== undefined) lines.push(`候选案卷数：${v(a.poolSize)}`);
  if (Array.isArray(a.drawn)) lines.push(`抽中：${v(a.drawn, 'drawn')}`);
  if (Array.isArray(a.excluded) && a.excluded.length) {
    const out = a.excluded.map((e) => (isObject(e) ? `${v(e.caseId)}（${v(e.kind, 'kind')}）` : v(e)));
    lines.push(`未列入候选：${out.length} 件：${out.join('、')}`);
  }
  return lines;
}

/** How a file was settled, in words: source 'panel' only says a person settled it, the route says how. */
const SETTLE_SOURCES: Record<string, string> = { auto: '各评查表一致，自动定分', panel: '评查组定分' };
const SETTLE_ROUTES: Record<string, string> = { confirm: '组长确认', recheck: '复核', panel: '集体评议' };
function settleSource(p: unknown): unknown {
  if (!isObject(p) || typeof p.source !== 'string') return p;
  const { route, ...rest } = p;
  const how = typeof route === 'string' ? SETTLE_ROUTES[route] : undefined;
  return { ...rest, source: how ?? SETTLE_SOURCES[p.source] ?? p.source };
}

function detailLines(action: string, rawBefore: unknown, rawAfter: unknown, names: AuditNames): string[] {
  const v = (x: unknown, k?: string) => formatValue(x, names, k);
  const lines: string[] = [];
  const settling = /^review\.(settle|settle_auto|withdraw)$/.test(action);
  const before = settling ? settleSource(rawBefore) : rawBefore;
  const after = settling ? settleSource(rawAfter) : rawAfter;
  if (action === 'draw.run' && isObject(after)) return drawLines(after, isObject(before) ? before : {}, names);
  if (action === 'assignment.apply' && isObject(after)) {
    for (const key of ['seed', 'perFile', 'requireLegal'] as const)
      if (after[key] !== undefined) lines.push(`${auditFieldLabel(key)}：${v(after[key], key)}`);
    const was = assignmentText(before, names);
    if (was && was !== '无') lines.push(`原分配：${was}`);
    lines.push(`分配结果：${assignmentText(after.assignments, names) ?? v(after.assignments)}`);
    return lines;
  }
  if (isObject(before) && isObject(after)) {
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      if (QUIET.has(key)) continue;
      const was = before[key];
      const now = after[key];
      if (was === undefined && now === undefined) continue;
      if (was === undefined && empty(now, key)) continue;
      if (JSON.stringify(was) === JSON.stringify(now)) continue;
      lines.push(
        was === undefined ? `${auditFieldLabel(key)}：${v(now, key)}` : `${auditFieldLabel(key)}：${v(was, key)} → ${v(now, key)}`,
      );
    }
    return lines;
  }
  const one = (prefix: string, value: unknown) => {
    if (value === undefined || value === null) return;
    if (isObject(value)) {
      for (const [key, x] of Object.entries(value)) {
        if (empty(x, key) || QUIET.has(key)) continue;
        // A row may carry a thing by id and by name (unitId, unitName): both read “被评查单位：…”, said once.
        const line = `${prefix}${auditFieldLabel(key)}：${v(x, key)}`;
        if (!lines.includes(line)) lines.push(line);
      }
    } else if (!(prefix && empty(value))) lines.push(`${prefix}${v(value)}`);
  };
  one(after !== undefined && after !== null ? '原' : '', before);
  one('', after);
  return lines;
}

/** Whether this version tells the action as a sentence of its own (not the generic fallback). */
export const auditActionKnown = (action: string): boolean =>
  action in SENTENCES || patternSentence(action, { obj: '', id: '', a: {}, b: {}, v: () => '' }) !== null;

export function describeAudit(row: AuditFacts, names: AuditNames): AuditDescription {
  const before = parse(row.before);
  const after = parse(row.after);
  const c: Ctx = {
    obj: objectPhrase(row.entity, row.entityId, names),
    id: row.entityId ?? '',
    a: isObject(after) ? after : {},
    b: isObject(before) ? before : {},
    v: (value, key) => formatValue(value, names, key),
  };
  // A row copied from another workstation's package names that workstation's person, not a deleted account here.
  const elsewhere = row.segment ? `来自其他工作站（${shortId(row.segment)}）的 ` : '';
  const actor =
    row.actorName ??
    (row.actorId
      ? elsewhere
        ? `${elsewhere}${names[row.actorId] ?? `账号（${shortId(row.actorId)}）`}`
        : (names[row.actorId] ?? `已删除的账号（${shortId(row.actorId)}）`)
      : '系统');
  const make = SENTENCES[row.action];
  const said = make ? make(c) : patternSentence(row.action, c);
  // Failed sign-ins and lockouts have no actor: the account they happened to is the subject.
  const sentence = !said
    ? `${actor} ${auditActionLabel(row.action)}：${c.obj}`
    : row.actorId === null && SUBJECT_FIRST.test(row.action)
      ? said
      : `${actor} ${said}`;
  return { sentence, details: detailLines(row.action, before, after, names) };
}
