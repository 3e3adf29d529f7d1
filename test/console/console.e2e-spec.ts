import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { Browser, chromium, Page } from 'playwright-core';
import request from 'supertest';
import { CONSOLE_ROOT, consoleBuilt } from '../../src/console/console-files';
import { EMBEDDED_DEFAULTS_ENV, startTestApp, TestApp } from '../support/test-app';

/** Debian's chromium package (`apt-get install chromium`); no browser is downloaded. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = join(__dirname, '..', '..', 'test-output', 'console');
const READ_KEY = 'console-spec-read-key-0123456789';
const ADMIN_KEY = 'console-spec-admin-key-0123456789';

const CONSOLE_SOURCES = join(__dirname, '..', '..', 'console');

/** The build is missing or older than a source file of the console. */
function consoleStale(): boolean {
  if (!consoleBuilt()) return true;
  const built = statSync(join(CONSOLE_ROOT, 'index.html')).mtimeMs;
  const sources = [
    join(CONSOLE_SOURCES, 'index.html'),
    ...readdirSync(join(CONSOLE_SOURCES, 'src')).map((name) => join(CONSOLE_SOURCES, 'src', name)),
  ];
  return sources.some((file) => statSync(file).mtimeMs > built);
}

const hasChromium = existsSync(CHROMIUM);
const itInBrowser = hasChromium
  ? it
  : (name: string, fn: () => Promise<void>, timeout?: number) =>
      it.skip(`${name} [SKIPPED: no Chromium at ${CHROMIUM}; apt-get install -y chromium]`, fn, timeout);

describe('Console page', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser | undefined;

  beforeAll(async () => {
    // npm run build builds the console; a bare npm test builds it here when stale (Vite, from the local node_modules).
    if (consoleStale()) execFileSync('npm', ['run', 'build:console'], { stdio: 'ignore' });
    t = await startTestApp({
      ...EMBEDDED_DEFAULTS_ENV,
      API_KEYS: JSON.stringify([
        { id: 'console-read', key: READ_KEY, scopes: ['read'] },
        { id: 'console-admin', key: ADMIN_KEY, scopes: ['admin'] },
      ]),
    });
    base = `http://127.0.0.1:${(t.http.address() as AddressInfo).port}`;
    if (hasChromium) {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--lang=zh-CN'] });
    }
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('redirects / and /console to /console/, which serves the built page', async () => {
    expect((await request(t.http).get('/')).headers.location).toBe('/console/');
    expect((await request(t.http).get('/console')).headers.location).toBe('/console/');
    const page = await request(t.http).get('/console/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toMatch(/<script type="module"[^>]+src="\/console\/assets\/index-[^"]+\.js"/);
  });

  it('offers the in-process simulators on embedded defaults and forwards a scan only to them', async () => {
    expect((await request(t.http).get('/console/embedded')).body).toEqual({ simulators: { coss: true, anhui: true } });
    const bad = await request(t.http).post('/console/embedded/coss/scan').send({ qrCode: 'x', user: 'a b' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('user');
    const unknown = await request(t.http)
      .post('/console/embedded/coss/scan')
      .send({ qrCode: '{"o":"nope"}', user: 'N001' });
    expect(unknown.status).toBe(404);
  });

  itInBrowser(
    'logs in through the virtual phone, signs, and shows SIGNED and a verified record, in Chinese and English',
    async () => {
      const page: Page = await (browser as Browser).newPage({ viewport: { width: 1280, height: 1000 } });
      const failures: string[] = [];
      page.on('pageerror', (error) => failures.push(error.message));
      await page.goto(`${base}/`);
      expect(page.url()).toBe(`${base}/console/`);
      await expect(page.locator('h1').textContent()).resolves.toBe('CA 签名网关控制台');

      await page.fill('#api-key', ADMIN_KEY);
      await page.click('#key-form button[type=submit]');
      await page.fill('#user-code', 'C001');
      await page.click('#start-login');
      await page.locator('#qr').waitFor({ state: 'visible' });
      await page.locator('#sim-scan').waitFor({ state: 'visible' });
      await page.click('#sim-scan');
      await page.locator('#login-status', { hasText: 'FINISH' }).waitFor({ timeout: 15_000 });

      await page.click('#sign');
      await page.locator('#sign-status', { hasText: 'SIGNED' }).waitFor({ timeout: 15_000 });
      await page.locator('#sign-verification', { hasText: '有效' }).waitFor();
      await expect(page.locator('#sign-signature').textContent()).resolves.toMatch(/^[A-Za-z0-9+/=]{40,}$/);
      await expect(page.locator('#sign-certificate').textContent()).resolves.toContain('SN ');
      await expect(page.locator('#sign-timestamp').textContent()).resolves.not.toBe('');

      const row = page.locator('#records tbody tr[data-record-id]');
      await row.first().waitFor();
      await expect(row.first().locator('td').nth(1).textContent()).resolves.toBe('SIGNED');
      await page.click('#verify-all');
      await row.first().locator('td.ok').waitFor();

      await page.click('#load-admin');
      await page.locator('#audit:not(:text-is("—"))').waitFor();
      await page.locator('#enrollments:not(:text-is("—"))').waitFor();

      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS, 'console-zh.png'), fullPage: true });
      await page.click('#lang-en');
      await expect(page.locator('h1').textContent()).resolves.toBe('CA Signature Gateway Console');
      await expect(page.locator('#sign-verification').textContent()).resolves.toBe('valid');
      await expect(page.locator('#login-status').textContent()).resolves.toBe('FINISH · Logged in');
      // Every message already on the page follows the switch, not only the static labels.
      await expect(page.locator('main').innerText()).resolves.not.toMatch(/[\u4e00-\u9fff]/);
      await page.screenshot({ path: join(SCREENSHOTS, 'console-en.png'), fullPage: true });
      expect(failures).toEqual([]);
      await page.close();
    },
    90_000,
  );

  itInBrowser(
    'with the Anhui scan service, confirms the signature on the virtual app as well',
    async () => {
      const page: Page = await (browser as Browser).newPage();
      await page.goto(`${base}/console/`);
      await page.fill('#api-key', READ_KEY);
      await page.click('#key-form button[type=submit]');
      await page.fill('#user-code', 'A001');
      await page.selectOption('#provider', 'anhui');
      await page.click('#start-login');
      await page.locator('#sim-scan', { hasText: '模拟 App 扫码' }).waitFor({ state: 'visible' });
      await page.click('#sim-scan');
      await page.locator('#login-status', { hasText: 'FINISH' }).waitFor({ timeout: 15_000 });

      await page.click('#sign');
      await page.locator('#sign-status', { hasText: 'PENDING_SCAN' }).waitFor({ timeout: 15_000 });
      await page.locator('#sim-scan').waitFor({ state: 'visible' });
      await page.click('#sim-scan');
      await page.locator('#sign-status', { hasText: 'SIGNED' }).waitFor({ timeout: 20_000 });
      await page.locator('#sign-verification', { hasText: '有效' }).waitFor();
      await page.close();
    },
    90_000,
  );
});
