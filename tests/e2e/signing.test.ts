/**
 * Keys, trust and verification in a real browser, on two workstations (two hosts on two data
 * folders) that share nothing but files: the bureau makes a key and issues a letter; the verify
 * screen says "valid" for the issued PDF and "altered" for a changed copy; the county workstation
 * imports the identity file, checks the fingerprint, trusts, verifies the QR text, revokes — and no
 * request leaves loopback.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import type { IssueResult } from '../../electron/services/signing/issuer.js';
import { launchOffline, screenshot, startTestHost, watch, type HostFixture, type OffNetworkBrowser } from '../support/browser.js';
import { ADMIN, client } from '../support/backend.js';
import { firstRunSetup, logIn } from '../support/e2e-session.js';
import { deliverSheets, scoredCampaign } from '../support/scored-campaign.js';
import { issueFixtureLetter } from '../support/signing.js';
import { outputDir, tempDir } from '../support/temp.js';

let bureau: HostFixture;
let county: HostFixture;
let net: OffNetworkBrowser;
const files = tempDir('pingcha-e2e-signing-');
const PASSWORD = ADMIN.password;

beforeAll(async () => {
  bureau = await startTestHost();
  county = await startTestHost();
  net = await launchOffline();
});
afterAll(async () => {
  await net?.close();
  await bureau?.close();
  await county?.close();
  files.cleanup();
});

async function setup(page: Page, url: string): Promise<void> {
  await firstRunSetup(page, url);
  await page.getByRole('link', { name: '签名与信任' }).waitFor();
}

const verdict = (page: Page) => page.getByTestId('verdict');

describe('keys, trust and verification in the browser', () => {
  let context: BrowserContext;
  let identityFile: string;
  let issued: IssueResult;

  it('the bureau makes a key (wrong password refused in place) and exports its identity file', async () => {
    context = await net.browser.newContext({ locale: 'zh-CN', viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
    const seen = watch(context, bureau.host.origin);
    const page = await context.newPage();
    await setup(page, bureau.host.url);
    await page.getByRole('link', { name: '签名与信任' }).click();
    await page.getByRole('button', { name: '生成签名密钥' }).click();
    const dialog = page.getByRole('dialog', { name: '生成签名密钥' });
    await dialog.getByLabel('登录密码').fill('Wrong-pass1');
    await dialog.getByLabel('登录密码').press('Enter');
    await expect.poll(() => dialog.getByRole('alert').textContent()).toBe('密码不正确。');
    await dialog.getByLabel('登录密码').fill(PASSWORD);
    await dialog.getByRole('button', { name: '生成密钥' }).click();
    await expect.poll(() => page.getByTestId('my-key').textContent()).toContain('已信任');
    await expect.poll(() => page.getByRole('table', { name: '信任列表' }).textContent()).toContain('本机生成');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出身份文件' }).click()]);
    identityFile = path.join(files.dir, download.suggestedFilename());
    await download.saveAs(identityFile);
    expect(download.suggestedFilename()).toMatch(/^签名身份-王组长-[0-9A-F]{16}\.json$/);
    await screenshot(page, 'signing-keys');

    // The letter is issued through the real engine (the letters screen is where letters are made).
    issued = await issueFixtureLetter(bureau.host.backend, { issuer: { username: 'admin', password: PASSWORD } });
    fs.writeFileSync(path.join(files.dir, '监督意见书.pdf'), issued.outputs.find((o) => o.role === 'pdf')!.bytes);
    const altered = Buffer.from(issued.outputs.find((o) => o.role === 'pdf')!.bytes);
    altered[5000] = altered[5000]! ^ 0x04;
    fs.writeFileSync(path.join(files.dir, '监督意见书-改动.pdf'), altered);

    expect(seen.outside()).toEqual([]);
    expect(seen.problems).toEqual([]);
  });

  it('the verify screen checks every byte of a file, and the QR text', async () => {
    const seen = watch(context, bureau.host.origin);
    const page = context.pages()[0]!;
    await page.getByRole('link', { name: '签发登记簿' }).click();
    await expect.poll(() => page.getByRole('region', { name: '签发登记簿' }).textContent()).toContain('某司监〔2025〕12号');
    await expect.poll(() => page.getByRole('region', { name: '签发登记簿' }).textContent()).toContain(issued.shortCode);

    await page.getByRole('link', { name: '核验' }).click();
    const fileForm = page.getByRole('form', { name: '核验文件' });
    await fileForm.getByLabel('签发的 PDF 或 DOCX 文件').setInputFiles(path.join(files.dir, '监督意见书.pdf'));
    await fileForm.getByRole('button', { name: '核验文件' }).click();
    await expect.poll(() => verdict(page).getAttribute('data-status')).toBe('valid');
    expect(await verdict(page).textContent()).toContain('由某某县司法局王组长于2025年3月5日签发，文件未被改动，签名有效。');
    await screenshot(page, 'signing-verify-valid');

    await fileForm.getByLabel('签发的 PDF 或 DOCX 文件').setInputFiles(path.join(files.dir, '监督意见书-改动.pdf'));
    await fileForm.getByRole('button', { name: '核验文件' }).click();
    await expect.poll(() => verdict(page).getAttribute('data-status')).toBe('altered');
    expect(await verdict(page).textContent()).toContain('文件已被改动');
    await screenshot(page, 'signing-verify-altered');

    const box = page.getByLabel('二维码内容或核验码');
    await box.fill(issued.payload);
    await box.press('Enter'); // a USB scanner types the text and Enter
    await expect.poll(() => verdict(page).getAttribute('data-status')).toBe('valid');
    expect(await verdict(page).textContent()).toContain('二维码与登记簿一致');
    expect(seen.outside()).toEqual([]);
    expect(seen.problems).toEqual([]);
  });

  it('the county workstation trusts the key only after the fingerprint check, and stops at revocation', async () => {
    const other = await net.browser.newContext({ locale: 'zh-CN', viewport: { width: 1400, height: 1000 } });
    const seen = watch(other, county.host.origin);
    const page = await other.newPage();
    await setup(page, county.host.url);

    await page.getByRole('link', { name: '核验' }).click();
    await page.getByLabel('二维码内容或核验码').fill(issued.payload);
    await page.getByRole('form', { name: '核验二维码或核验码' }).getByRole('button', { name: /^核验/ }).click();
    await expect.poll(() => verdict(page).getAttribute('data-status')).toBe('untrusted');

    await page.getByRole('link', { name: '签名与信任' }).click();
    await page.getByLabel('身份文件').setInputFiles(identityFile);
    const row = page.locator(`tr[data-fingerprint="${issued.entry.signers[0]!.fingerprint}"]`);
    await expect.poll(() => row.textContent()).toContain('待确认');
    await row.getByRole('button', { name: '核对并信任' }).click();
    const accept = page.getByRole('dialog', { name: '核对指纹并确认信任' });
    const shown = (await accept.getByLabel('完整指纹').textContent())!.replace(/\s/g, '').toLowerCase();
    expect(shown).toBe(issued.entry.signers[0]!.fingerprint);
    await expect.poll(() => accept.getByRole('button', { name: '确认信任' }).isDisabled()).toBe(true);
    await accept.getByLabel('我已与持有人核对，指纹一致').check();
    await accept.getByRole('button', { name: '确认信任' }).click();
    await expect.poll(() => row.textContent()).toContain('已信任');
    await screenshot(page, 'signing-trust-list');

    await page.getByRole('link', { name: '核验' }).click();
    await page.getByLabel('二维码内容或核验码').fill(issued.payload);
    await page.getByRole('form', { name: '核验二维码或核验码' }).getByRole('button', { name: /^核验/ }).click();
    await expect.poll(() => verdict(page).getAttribute('data-status')).toBe('valid');
    expect(await verdict(page).textContent()).toContain('不在本工作站登记簿中');

    await page.getByRole('link', { name: '签名与信任' }).click();
    await row.getByRole('button', { name: '撤销' }).click();
    const revoke = page.getByRole('dialog', { name: '撤销密钥' });
    await revoke.getByRole('button', { name: '撤销密钥' }).click();
    await expect.poll(() => revoke.getByRole('alert').textContent()).toContain('请填写撤销原因');
    await revoke.getByLabel('撤销原因').fill('签发人电脑遗失');
    await revoke.getByRole('button', { name: '撤销密钥' }).click();
    await expect.poll(() => row.textContent()).toContain('已撤销');
    await page.getByRole('link', { name: '核验' }).click();
    await page.getByLabel('二维码内容或核验码').fill(issued.payload);
    await page.getByRole('form', { name: '核验二维码或核验码' }).getByRole('button', { name: /^核验/ }).click();
    await expect.poll(() => verdict(page).getAttribute('data-status')).toBe('revoked');
    await screenshot(page, 'signing-verify-revoked');

    expect(seen.outside()).toEqual([]);
    expect(net.escapedByApp()).toEqual([]);
    expect(seen.problems).toEqual([]);
    await other.close();
    await context.close();
    expect(fs.existsSync(path.join(outputDir('e2e'), 'signing-trust-list.png'))).toBe(true);
  });

  it('issues a 监督意见书 from the letters screen: 核对定稿, then the issuer and a co-signer sign with their passwords', async () => {
    // A scored campaign and a co-signer with a key, made through the real back end.
    const fixture = client(bureau.host.backend, 'fixture-client');
    await fixture.call('auth:login', { username: ADMIN.username, password: ADMIN.password });
    const { campaignId, cases } = await scoredCampaign(bureau.host.backend, fixture);
    await deliverSheets(fixture, cases);
    const { template } = await fixture.call('letter:template', { kind: 'opinion' });
    await fixture.call('letter:saveTemplate', { kind: 'opinion', template: { ...template, numberPrefix: '某司监' } });
    await fixture.call('user:create', {
      username: 'zhang',
      displayName: '张组长',
      role: 'lead',
      affiliation: '某某县司法局',
      password: 'Lead3r!!',
    });
    const zhang = client(bureau.host.backend, 'fixture-zhang');
    await zhang.call('auth:login', { username: 'zhang', password: 'Lead3r!!' });
    await zhang.call('key:create', { password: 'Lead3r!!' });

    const ctx = await net.browser.newContext({ locale: 'zh-CN', viewport: { width: 1600, height: 1000 }, acceptDownloads: true });
    const seen = watch(ctx, bureau.host.origin);
    const page = await ctx.newPage();
    await logIn(page, bureau.host.url);
    await page
      .getByRole('link', { name: /2025年度行政执法案卷评查/ })
      .first()
      .click();
    await page.getByRole('link', { name: '文书', exact: true }).click();
    const panel = page.getByTestId('issue-panel');
    await expect.poll(() => panel.textContent(), { timeout: 20_000 }).toContain('尚未核对定稿');
    // The 文号 from the bureau's sequence is shown before 核对定稿, and the lead may change it.
    const numberField = panel.getByLabel('发文字号');
    await expect.poll(() => numberField.inputValue()).toMatch(/^某司监〔\d{4}〕1号$/);
    await numberField.fill((await numberField.inputValue()).replace('1号', '7号'));
    await panel.getByRole('button', { name: '核对定稿' }).click();
    await expect.poll(() => panel.textContent()).toContain('已核对定稿');

    await panel.getByRole('button', { name: '签发…' }).click();
    const dialog = page.getByRole('dialog', { name: '签发文书' });
    await dialog.getByLabel('签发人（王组长）的登录密码').fill(ADMIN.password);
    await dialog.getByLabel('张组长（评查组长）').check();
    await dialog.getByLabel('张组长的登录密码').fill('wrong-pass1');
    await dialog.getByRole('button', { name: '签发', exact: true }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent(), { timeout: 20_000 }).toContain('张组长的密码不正确');
    await dialog.getByLabel('张组长的登录密码').fill('Lead3r!!');
    await dialog.getByLabel('张组长的登录密码').press('Enter');
    const issuedTable = panel.getByRole('table', { name: '已签发' });
    await expect.poll(() => issuedTable.textContent(), { timeout: 30_000 }).toMatch(/某司监〔\d{4}〕7号/);
    expect(await issuedTable.textContent()).toContain('签发人王组长、会签人张组长');
    await screenshot(page, 'signing-letter-issued');

    const [download] = await Promise.all([page.waitForEvent('download'), issuedTable.getByRole('button', { name: 'PDF' }).click()]);
    const pdf = path.join(files.dir, download.suggestedFilename());
    await download.saveAs(pdf);
    expect(download.suggestedFilename()).toMatch(/^行政执法监督意见书-.*某司监〔\d{4}〕7号\.pdf$/);
    // The register lists it with its 文号 and the time in Chinese form.
    await page.getByRole('link', { name: '签发登记簿' }).click();
    const register = page.getByRole('region', { name: '签发登记簿' });
    await expect.poll(() => register.textContent()).toMatch(/某司监〔\d{4}〕7号/);
    expect(await register.textContent()).toMatch(/\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}/);
    await screenshot(page, 'signing-register-numbers');
    // A second letter checked but not signed holds the next number: the register shows it taken, apart from the issued ones.
    const { units } = await fixture.call('letter:list', { campaignId });
    const other = units.find((u) => u.unitName === '某某县交通运输局')!.unitId;
    const held = (await fixture.call('letter:check', { campaignId, kind: 'opinion', unitId: other, date: '2025-03-06' })).open!
      .documentNumber!;
    expect(held).toMatch(/^某司监〔2025〕\d+号$/);
    await page.setViewportSize({ width: 1366, height: 768 });
    const reserved = page.getByRole('region', { name: '已编号，待签发' });
    await expect.poll(() => reserved.textContent(), { timeout: 20_000 }).toContain(held);
    expect(await reserved.textContent()).toContain('某某县交通运输局');
    expect(await reserved.textContent()).toContain('2025年3月6日');
    expect(await reserved.textContent()).not.toMatch(/〕7号/);
    await screenshot(page, 'signing-register-reserved');
    await page.getByRole('link', { name: '核验' }).click();
    await page.getByRole('form', { name: '核验文件' }).getByLabel('签发的 PDF 或 DOCX 文件').setInputFiles(pdf);
    await page.getByRole('form', { name: '核验文件' }).getByRole('button', { name: '核验文件' }).click();
    await expect.poll(() => verdict(page).getAttribute('data-status')).toBe('valid');
    expect(await verdict(page).textContent()).toContain('文件未被改动，2个签名均有效');

    expect(seen.outside()).toEqual([]);
    expect(net.escapedByApp()).toEqual([]);
    expect(seen.problems).toEqual([]);
    await ctx.close();
  });
});
