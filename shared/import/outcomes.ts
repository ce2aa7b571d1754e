/**
 * What happened to each file and row of an import, with stable codes (tests, the summary sheet and
 * the UI branch on them) and the Chinese heading a person reads. The item's own message says the
 * specifics (which file, which size, which entry).
 */
export const FILE_REJECTIONS = {
  not_pdf: '不是 PDF 文件',
  empty_file: '空文件',
  damaged: 'PDF 已损坏',
  encrypted: 'PDF 设有密码',
  zero_pages: 'PDF 没有页面',
  unreadable: '无法读取',
  timeout: '解析超时',
  too_large: '文件过大',
  duplicate_file: '重复文件',
  unmatched: '未匹配到案件',
  case_rejected: '所属案件未能登记',
  zip_unsafe_path: '压缩包条目路径不安全',
  zip_symlink: '压缩包条目是符号链接',
  zip_encrypted: '压缩包条目已加密',
  zip_bomb: '疑似压缩炸弹',
  zip_damaged: '压缩包已损坏',
  zip_nested: '压缩包内嵌套压缩包',
  cancelled: '导入已取消',
  storage_fault: '磁盘已满或无写入权限',
} as const;
export type FileRejection = keyof typeof FILE_REJECTIONS;

export const ROW_OUTCOMES = {
  created: '新登记案件',
  merged: '案号已在本活动中，补充了清单信息',
  unchanged: '案号已在本活动中，无变化',
  duplicate_row: '清单内案号重复',
  invalid_row: '清单行有误，未登记',
  unit_conflict: '案号已登记在其他单位或类型下',
  no_files: '没有匹配到 PDF，未登记',
} as const;
export type RowOutcome = keyof typeof ROW_OUTCOMES;

/** A list row without its PDF is still registered, so the organiser can chase the unit for the file. */
export const MISSING_DOSSIER_MESSAGE = '登记为缺卷，待补交案卷文件';
/** A file whose bytes are already a document of its case (the same folder imported again). */
export const IDENTICAL_FILE_MESSAGE = '已导入（相同文件），跳过';

export const IGNORED_FILE_RE = /(^|\/)(__MACOSX|\.DS_Store|Thumbs\.db|desktop\.ini|~\$[^/]*|\._[^/]*)(\/|$)/i;

/** System files a copy from Windows or macOS leaves behind; never reported as rejected. */
export const isSystemFile = (path: string): boolean => IGNORED_FILE_RE.test(path);
