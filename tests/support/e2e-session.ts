/** Steps every browser test starts with. */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ADMIN } from './backend.js';
import { watch } from './browser.js';

/** Opens the app on a fresh workspace and creates the first account (the organiser), which logs in. */
export async function firstRunSetup(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('登录名').fill(ADMIN.username);
  await page.getByLabel('姓名').fill(ADMIN.displayName);
  await page.getByLabel('所在单位').fill(ADMIN.affiliation);
  await page.getByLabel('密码', { exact: true }).fill(ADMIN.password);
  await page.getByLabel('确认密码').fill(ADMIN.password);
  await page.getByRole('button', { name: '创建并登录' }).click();
}

export const CAMPAIGN = { name: '2025年度行政执法案卷评查', issuingBody: '某某县司法局' };

/** Creates a campaign from the campaign list and waits for its page. */
export async function createCampaign(page: Page, campaign = CAMPAIGN): Promise<void> {
  await page.getByRole('button', { name: '＋ 新建评查活动' }).click();
  await page.getByLabel('活动名称').fill(campaign.name);
  await page.getByLabel('评查机关').fill(campaign.issuingBody);
  await page.getByRole('button', { name: '创建', exact: true }).click();
  await page.locator('h1', { hasText: campaign.name }).waitFor();
}

/** Opens the app and logs in (the organiser unless told otherwise). */
export async function logIn(page: Page, url: string, user: { username: string; password: string } = ADMIN): Promise<void> {
  await page.goto(url);
  await page.getByLabel('登录名').fill(user.username);
  await page.getByLabel('密码').fill(user.password);
  await page.getByLabel('密码').press('Enter');
}

/**
 * A person's own browser window: a fresh context (watched for requests and console errors), logged in.
 * Every context is added to `contexts`, for the test's final offline and error checks.
 */
export async function openLoggedIn(
  browser: Browser,
  host: { url: string; origin: string },
  contexts: Array<{ context: BrowserContext; seen: ReturnType<typeof watch> }>,
  user: { username: string; password: string },
  viewport = { width: 1600, height: 1000 },
): Promise<Page> {
  const context = await browser.newContext({ locale: 'zh-CN', viewport, acceptDownloads: true });
  contexts.push({ context, seen: watch(context, host.origin) });
  const page = await context.newPage();
  await page.goto(host.url);
  await page.getByLabel('登录名').fill(user.username);
  await page.getByLabel('密码').fill(user.password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('button', { name: /退出登录/ }).waitFor();
  return page;
}
