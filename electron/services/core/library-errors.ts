/**
 * What a library's error means, in words a person reads. zip readers (yauzl, JSZip), zlib, exceljs,
 * SQLite and Node's fs throw English sentences ("End of central directory record signature not
 * found…"); none of them may reach the screen. The original message belongs in the log only.
 */

const BY_CODE: Record<string, string> = {
  ENOENT: '文件或文件夹不存在（可能已被移走，或 U 盘已拔出）',
  EISDIR: '选择的是文件夹而不是文件',
  ENOTDIR: '路径中有一段不是文件夹',
  EACCES: '没有读取或写入权限',
  EPERM: '没有读取或写入权限',
  EROFS: '磁盘是只读的',
  ENOSPC: '磁盘空间不足',
  EIO: '读写磁盘时出错（U 盘可能已拔出或损坏）',
  EBUSY: '文件正被其他程序占用',
  EMFILE: '同时打开的文件过多',
  SQLITE_NOTADB: '不是评查工作站的数据库文件，或数据库文件已损坏',
  SQLITE_CORRUPT: '数据库文件已损坏',
  SQLITE_FULL: '磁盘空间不足',
  SQLITE_CANTOPEN: '无法打开数据库文件',
  SQLITE_READONLY: '数据库文件是只读的',
};

const BY_MESSAGE: Array<[RegExp, string]> = [
  [/end of central directory|file is truncated|truncated/i, '文件不完整（可能复制时被截断）'],
  [
    /not a zip|invalid (local file header|central directory|.*signature)|corrupted zip|can't find end/i,
    '不是有效的 zip 压缩包，或压缩结构已损坏',
  ],
  [/too many bytes/i, '压缩条目的实际大小超过声明的大小'],
  [
    /unexpected end|too few bytes|invalid (distance|block|stored|code|literal)|incorrect header|Z_(DATA|BUF)_ERROR|unknown compression/i,
    '压缩数据已损坏',
  ],
  [/file is not a database|malformed|database disk image/i, '数据库文件已损坏'],
  [/unexpected token|json|unterminated|bad control character/i, '文件内容不是有效的 JSON'],
  [/password|encrypt/i, '文件设有密码或已加密'],
];

/** A Chinese phrase for `err` (a library's or the system's error), without its English message. */
export function libraryErrorText(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    const base = code.startsWith('SQLITE_') ? code.split('_').slice(0, 2).join('_') : code;
    const known = BY_CODE[code] ?? BY_CODE[base];
    if (known) return known;
  }
  const message = err instanceof Error ? err.message : String(err ?? '');
  for (const [pattern, text] of BY_MESSAGE) if (pattern.test(message)) return text;
  return '文件结构异常，无法读取';
}
