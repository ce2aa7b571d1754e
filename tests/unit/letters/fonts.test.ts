/** The font check: family names read from font files (the Windows path) and fontconfig (Linux). */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FontsService, familiesOfFontFiles } from '../../../electron/services/letters/fonts.js';
import { RESOURCES_DIR } from '../../support/temp.js';

describe('font check', () => {
  it('reads every language’s family name from a font file and skips files that are not fonts', () => {
    const names = familiesOfFontFiles([path.join(RESOURCES_DIR, 'fonts', 'gbsn00lp.ttf'), path.join(RESOURCES_DIR, 'fonts', 'ARPHIC-PUBLIC-LICENSE.txt')]);
    expect(names.has('AR PL SungtiL GB')).toBe(true);
    expect(names.has('文鼎ＰＬ简报宋')).toBe(true);
    expect(names.size).toBe(3 - 1); // en and zh-TW share a name
  });

  it('says which fonts this PC has and what it will use instead (fontconfig)', async () => {
    const fonts = new FontsService('linux');
    const [present, missing] = await fonts.check(['AR PL SungtiL GB', '不存在的公文字体']);
    expect(present).toEqual({ family: 'AR PL SungtiL GB', installed: true, substitute: null, relative: null });
    expect(missing!.installed).toBe(false);
    expect(missing!.substitute).toMatch(/\S/);
    expect(missing!.substitute).not.toBe('不存在的公文字体');
  });
});
