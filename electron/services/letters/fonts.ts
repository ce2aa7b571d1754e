/**
 * Which fonts a document needs and whether this PC has them. A DOCX only NAMES its fonts; Word and
 * WPS substitute a missing 仿宋_GB2312 silently and the page then runs differently, so the app says
 * so before export. Linux (统信UOS, 麒麟): fontconfig (`fc-list`, `fc-match` for the substitute).
 * Windows: the family names inside the font files of the system and per-user Fonts folders. Scanned
 * once per run and cached; `refresh` rescans after someone installs a font.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Names a government PC may know a 公文 font by (file names differ between Windows versions and vendors). */
export const FONT_ALIASES: Record<string, string[]> = {
  仿宋_GB2312: ['仿宋_GB2312', 'FangSong_GB2312'],
  楷体_GB2312: ['楷体_GB2312', 'KaiTi_GB2312'],
  方正小标宋简体: ['方正小标宋简体', '方正小标宋_GBK', 'FZXiaoBiaoSong-B05S', 'FZXiaoBiaoSong-B05'],
  黑体: ['黑体', 'SimHei'],
  宋体: ['宋体', 'SimSun'],
  'Times New Roman': ['Times New Roman'],
};

/** Installed fonts a word processor would NOT pick automatically but that carry the same design (for advice only). */
const CLOSE_RELATIVES: Record<string, string[]> = {
  仿宋_GB2312: ['仿宋', 'FangSong'],
  楷体_GB2312: ['楷体', 'KaiTi'],
  方正小标宋简体: ['方正小标宋_GBK', '华文中宋', 'STZhongsong'],
  // Same widths as Times New Roman: numbers and Latin letters keep their places on the line.
  'Times New Roman': ['Liberation Serif', 'Tinos'],
};

export interface FontStatus {
  family: string;
  /** What the font is for in a 公文 (标题, 正文 …). */
  role: string;
  installed: boolean;
  /** The font this PC will actually use instead (Linux: fontconfig's choice), when not installed. */
  substitute: string | null;
  /** A related font that is installed (e.g. 仿宋 for 仿宋_GB2312). */
  relative: string | null;
  /** What to do, in Chinese: nothing when installed; otherwise install it (a substitute is never a pass). */
  advice: string;
}

/** What each 公文 font is for (GB/T 9704). */
export const FONT_ROLES: Record<string, string> = {
  方正小标宋简体: '标题',
  仿宋_GB2312: '正文',
  黑体: '一级标题、附件标识',
  楷体_GB2312: '二级标题',
  宋体: '页码',
  'Times New Roman': '数字和外文',
};

/**
 * The advice shown beside a font. A word processor silently substitutes a missing font (DejaVu Sans
 * for 仿宋_GB2312): the letter then prints in the wrong face with a different number of lines a page,
 * so any substitute — even a look-alike the PC has — is a failure to fix by installing the font.
 */
export function fontAdvice(s: Pick<FontStatus, 'family' | 'installed' | 'substitute' | 'relative'>, platform: NodeJS.Platform): string {
  if (s.installed) return '已安装。';
  const where =
    platform === 'win32'
      ? '右键字体文件选“为所有用户安装”（或复制到 C:\\Windows\\Fonts）'
      : '用系统的字体管理器安装（统信UOS、麒麟：双击字体文件安装）';
  const instead = s.relative
    ? `本机有同样字形的“${s.relative}”，但 Word、WPS 不会自动用它代替`
    : s.substitute
      ? `本机将以“${s.substitute}”代替，字形和每页行数都会改变`
      : '本机没有可代替的字体';
  return `未安装：${instead}。请向单位信息化部门索取“${s.family}”字体文件，${where}，然后点“重新检查字体”。`;
}

/** Family names (every language the file lists) of font files; unreadable files are skipped. */
export async function familiesOfFontFiles(files: string[]): Promise<Set<string>> {
  // fontkit is loaded only where a Windows PC's font files are read, not when the back end starts.
  const { default: fontkit } = await import('@pdf-lib/fontkit');
  const out = new Set<string>();
  for (const file of files) {
    try {
      const stat = fs.statSync(file);
      if (stat.size > 64 * 1024 * 1024) continue;
      const parsed = fontkit.create(fs.readFileSync(file)) as unknown as {
        fonts?: Array<{ name: { records: { fontFamily?: Record<string, string> } } }>;
        name?: { records: { fontFamily?: Record<string, string> } };
      };
      const faces = parsed.fonts ?? [parsed];
      for (const face of faces) for (const name of Object.values(face.name?.records.fontFamily ?? {})) out.add(name.trim());
    } catch {
      // Not a font fontkit reads (a .fon bitmap font, a damaged file): it cannot be a 公文 font anyway.
    }
  }
  return out;
}

async function fontFilesIn(dir: string): Promise<string[]> {
  const entries = await fsp.readdir(dir).catch(() => [] as string[]);
  return entries.filter((f) => /\.(ttf|ttc|otf)$/i.test(f)).map((f) => path.join(dir, f));
}

export class FontsService {
  private installed: Promise<Set<string>> | null = null;
  private readonly substitutes = new Map<string, string | null>();

  constructor(private readonly platform: NodeJS.Platform = process.platform) {}

  refresh(): void {
    this.installed = null;
    this.substitutes.clear();
  }

  private scan(): Promise<Set<string>> {
    this.installed ??= (async () => {
      if (this.platform === 'win32') {
        const dirs = [
          path.join(process.env.WINDIR ?? 'C:\\Windows', 'Fonts'),
          ...(process.env.LOCALAPPDATA ? [path.join(process.env.LOCALAPPDATA, 'Microsoft', 'Windows', 'Fonts')] : []),
        ];
        const files = (await Promise.all(dirs.map(fontFilesIn))).flat();
        return await familiesOfFontFiles(files);
      }
      try {
        const { stdout } = await run('fc-list', [':', 'family'], { maxBuffer: 16 * 1024 * 1024 });
        return new Set(
          stdout
            .split('\n')
            .flatMap((line) => line.split(',').map((s) => s.replace(/\\/g, '').trim()))
            .filter(Boolean),
        );
      } catch {
        return new Set<string>();
      }
    })();
    return this.installed;
  }

  private async substitute(family: string): Promise<string | null> {
    if (this.platform === 'win32') return null;
    if (!this.substitutes.has(family)) {
      try {
        const { stdout } = await run('fc-match', ['-f', '%{family[0]}', family]);
        this.substitutes.set(family, stdout.trim() || null);
      } catch {
        this.substitutes.set(family, null);
      }
    }
    return this.substitutes.get(family) ?? null;
  }

  async check(families: string[]): Promise<FontStatus[]> {
    const installed = await this.scan();
    return Promise.all(
      families.map(async (family) => {
        const names = FONT_ALIASES[family] ?? [family];
        const has = names.some((n) => installed.has(n));
        const relative = has ? null : ((CLOSE_RELATIVES[family] ?? []).find((n) => installed.has(n)) ?? null);
        const status = {
          family,
          role: FONT_ROLES[family] ?? '',
          installed: has,
          substitute: has ? null : await this.substitute(family),
          relative,
        };
        return { ...status, advice: fontAdvice(status, this.platform) };
      }),
    );
  }
}
