/**
 * In Chromium through the loopback host: the session rides no cookie — a second loopback server on
 * another port records what the browser sends it while the app is in use, and sees neither a cookie
 * nor the session — and the organiser backs up the workspace and prepares a restore on the
 * 工作站设置 screen (a damaged backup refused with the file named), offline.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchOffline, screenshot, startTestHost, watch, type HostFixture, type OffNetworkBrowser } from '../support/browser.js';
import { firstRunSetup } from '../support/e2e-session.js';
import { tempDir } from '../support/temp.js';

let fx: HostFixture;
let net: OffNetworkBrowser;
const scratch = tempDir('pingcha-e2e-backup-');
/** Another local service: records the headers of every request it gets. */
let other: { server: http.Server; origin: string; seen: Array<Record<string, string | string[] | undefined>> };

beforeAll(async () => {
  fx = await startTestHost();
  net = await launchOffline();
  const seen: Array<Record<string, string | string[] | undefined>> = [];
  const server = http.createServer((req, res) => {
    seen.push({ url: req.url, ...req.headers });
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'access-control-allow-origin': '*' })
      .end('<!doctype html><title>其他服务</title>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  other = { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
});
afterAll(async () => {
  other?.server.close();
  await net?.close();
  await fx?.close();
  scratch.cleanup();
});

describe('loopback session and the settings screen', () => {
  it('sends no cookie or session to another port, and backs up and prepares a restore from 工作站设置', async () => {
    const context = await net.browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 768 } });
    const seen = watch(context, fx.host.origin);
    const page = await context.newPage();
    await firstRunSetup(page, fx.host.url);
    await page.getByRole('link', { name: '设置' }).waitFor();
    expect(page.url()).not.toContain('token=');

    // What Chromium sends another port of 127.0.0.1 while the app is logged in: a visit in the same
    // browser, and a credentialed request that page makes (cookies are not port-scoped; storage is).
    const visit = await context.newPage();
    await visit.goto(`${other.origin}/visit`);
    await visit.evaluate(() => fetch('/credentialed', { credentials: 'include' }).then(() => undefined));
    await visit.close();
    expect(other.seen.map((h) => h.url)).toEqual(expect.arrayContaining(['/visit', '/credentialed']));
    for (const headers of other.seen) {
      expect(headers.cookie, JSON.stringify(headers)).toBeUndefined();
      expect(headers['x-pingcha-session']).toBeUndefined();
    }
    expect(await context.cookies()).toEqual([]);

    // A second tab of the same browser shares the login (the session is per origin, not per tab).
    const second = await context.newPage();
    await second.goto(`${fx.host.origin}/#/settings`);
    await second.getByRole('heading', { name: '工作站设置' }).waitFor();
    await second.close();

    await page.getByRole('link', { name: '设置' }).click();
    await page.getByRole('heading', { name: '工作站设置' }).waitFor();
    expect(await page.getByTestId('data-folder').textContent()).toBe(fx.dataDir);
    const folder = path.join(scratch.dir, 'U盘', '评查备份');
    await page.getByTestId('backup-folder').fill(folder);
    await page.getByRole('button', { name: '开始备份' }).click();
    const done = page.getByTestId('backup-done');
    await done.waitFor({ timeout: 60_000 });
    expect(await done.textContent()).toContain('备份完成');
    expect(fs.existsSync(path.join(folder, 'pingcha-backup.json'))).toBe(true);
    await screenshot(page, 'settings-backup-done');

    // A folder that does not exist is refused before anyone is asked to replace their data.
    await page.getByTestId('restore-folder').fill(path.join(scratch.dir, '没有这个文件夹'));
    await page.getByRole('button', { name: '核对并恢复…' }).click();
    await expect.poll(() => page.locator('.field .error').textContent(), { timeout: 30_000 }).toContain('不存在');
    expect(await page.getByRole('dialog').count()).toBe(0);
    await screenshot(page, 'settings-restore-nonexistent');

    // The folder backed up to is offered for the restore: nobody types the path again.
    await page
      .getByTestId('restore-choices')
      .getByRole('button', { name: `曾用 ${folder}` })
      .click();
    expect(await page.getByTestId('restore-folder').inputValue()).toBe(folder);

    // A damaged copy is refused with the file named, inline.
    const damaged = path.join(scratch.dir, '损坏的备份');
    fs.cpSync(folder, damaged, { recursive: true });
    const db = path.join(damaged, 'pingcha.db');
    const bytes = fs.readFileSync(db);
    bytes[200]! ^= 0xff;
    fs.writeFileSync(db, bytes);
    await page.getByTestId('restore-folder').fill(damaged);
    await page.getByRole('button', { name: '核对并恢复…' }).click();
    const confirm = page.getByRole('dialog', { name: '用这份备份替换本工作站的数据？' });
    await confirm.waitFor();
    // It says what the backup holds before the organiser decides.
    expect(await confirm.getByTestId('restore-facts').textContent()).toMatch(/备份时间.*评查活动.*案卷文件 \d+ 个/);
    await screenshot(page, 'settings-restore-confirm');
    await page.getByTestId('restore-confirm').click();
    await expect.poll(() => page.locator('.field .error').textContent(), { timeout: 30_000 }).toContain('数据库文件“pingcha.db”已损坏');
    await screenshot(page, 'settings-restore-refused');

    await page.getByTestId('restore-folder').fill(folder);
    await page.getByRole('button', { name: '核对并恢复…' }).click();
    await page.getByTestId('restore-confirm').click();
    const pending = page.getByTestId('restore-pending');
    await pending.waitFor({ timeout: 60_000 });
    expect(await pending.textContent()).toContain('重新启动工作站后生效');
    // What a restart costs, and how to restart the host in the browser build.
    expect(await page.getByTestId('restore-warning').textContent()).toMatch(/任何人在本机所做的评分、标注和修改都不会出现.*重新启动服务/);
    await screenshot(page, 'settings-restore-pending');

    await page.setViewportSize({ width: 1024, height: 768 });
    await screenshot(page, 'settings-restore-pending-1024');

    expect(seen.outside().filter((u) => !u.startsWith(other.origin))).toEqual([]);
    expect(net.escapedByApp()).toEqual([]);
    expect(seen.problems).toEqual([]);
    await context.close();
  }, 240_000);
});
