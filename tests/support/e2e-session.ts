/** Steps every browser test starts with. */
import type { Page } from 'playwright-core';
import { ADMIN } from './backend.js';

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
