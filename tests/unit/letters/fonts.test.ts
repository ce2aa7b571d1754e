/** The font check: family names read from font files (the Windows path) and fontconfig (Linux). */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FontsService, familiesOfFontFiles, fontAdvice } from '../../../electron/services/letters/fonts.js';
import { GONGWEN_FONTS } from '../../../shared/core/gbt9704.js';
import { RESOURCES_DIR } from '../../support/temp.js';

describe('font check', () => {
  it('reads every language’s family name from a font file and skips files that are not fonts', async () => {
    const names = await familiesOfFontFiles([
      path.join(RESOURCES_DIR, 'fonts', 'gbsn00lp.ttf'),
      path.join(RESOURCES_DIR, 'fonts', 'ARPHIC-PUBLIC-LICENSE.txt'),
    ]);
    expect(names.has('AR PL SungtiL GB')).toBe(true);
    expect(names.has('文鼎ＰＬ简报宋')).toBe(true);
    expect(names.size).toBe(3 - 1); // en and zh-TW share a name
  });

  it('says which fonts this PC has and what it will use instead (fontconfig)', async () => {
    const fonts = new FontsService('linux');
    const [present, missing] = await fonts.check(['AR PL SungtiL GB', '不存在的公文字体']);
    expect(present).toEqual({
      family: 'AR PL SungtiL GB',
      role: '',
      installed: true,
      substitute: null,
      relative: null,
      advice: '已安装。',
    });
    expect(missing!.installed).toBe(false);
    expect(missing!.substitute).toMatch(/\S/);
    expect(missing!.substitute).not.toBe('不存在的公文字体');
  });

  it('names each 公文 font with its use, and reports one this PC only substitutes as a failure with what to do', async () => {
    const fonts = new FontsService('linux');
    const statuses = await fonts.check([GONGWEN_FONTS.title, GONGWEN_FONTS.body, GONGWEN_FONTS.heading1, GONGWEN_FONTS.heading2]);
    expect(statuses.map((f) => [f.family, f.role])).toEqual([
      ['方正小标宋简体', '标题'],
      ['仿宋_GB2312', '正文'],
      ['黑体', '一级标题、附件标识'],
      ['楷体_GB2312', '二级标题'],
    ]);
    // This test PC has no 仿宋_GB2312: fontconfig hands out another face for it, which is not a pass.
    const body = statuses[1]!;
    expect(body.installed).toBe(false);
    expect(body.substitute).not.toBe('仿宋_GB2312');
    expect(body.advice).toMatch(/^未安装：/);
    expect(body.advice).toContain(`“${body.substitute}”代替`);
    expect(body.advice).toContain('请向单位信息化部门索取“仿宋_GB2312”字体文件');
  });

  it('says what to do on Windows and when only a look-alike is installed', () => {
    const advice = fontAdvice({ family: '仿宋_GB2312', installed: false, substitute: 'DejaVu Sans', relative: null }, 'linux');
    expect(advice).toBe(
      '未安装：本机将以“DejaVu Sans”代替，字形和每页行数都会改变。请向单位信息化部门索取“仿宋_GB2312”字体文件，用系统的字体管理器安装（统信UOS、麒麟：双击字体文件安装），然后点“重新检查字体”。',
    );
    expect(fontAdvice({ family: '仿宋_GB2312', installed: false, substitute: null, relative: '仿宋' }, 'win32')).toContain(
      '本机有同样字形的“仿宋”，但 Word、WPS 不会自动用它代替。请向单位信息化部门索取“仿宋_GB2312”字体文件，右键字体文件选“为所有用户安装”',
    );
  });
});
