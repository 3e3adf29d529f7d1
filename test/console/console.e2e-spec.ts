import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AddressInfo } from 'node:net';
import { Browser, chromium, Page } from 'playwright-core';
import request from 'supertest';
import { CONSOLE_ROOT, consoleBuilt } from '../../src/console/console-files';
import { logLines } from '../support/log-lines';
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

/** Clicks a download button and reads the file the browser saved: the evidence ZIP, with its VERIFY.md. */
async function downloadZip(page: Page, button: string): Promise<{ fileName: string; zip: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
  return { fileName: download.suggestedFilename(), zip: readFileSync((await download.path()) as string) };
}

describe('Console page', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser | undefined;
  const logs = logLines();
  /** Every URL the browser asked for, from every page: an API key must never be in one. */
  const urls: string[] = [];
  const newPage = async (options?: Parameters<Browser['newPage']>[0]): Promise<Page> => {
    const page = await (browser as Browser).newPage(options);
    page.on('request', (sent) => urls.push(sent.url()));
    return page;
  };

  beforeAll(async () => {
    // npm run build builds the console; a bare npm test builds it here when stale (Vite, from the local node_modules).
    if (consoleStale()) execFileSync('npm', ['run', 'build:console'], { stdio: 'ignore' });
    t = await startTestApp(
      {
        ...EMBEDDED_DEFAULTS_ENV,
        LOG_LEVEL: 'debug',
        API_KEYS: JSON.stringify([
          { id: 'console-read', key: READ_KEY, scopes: ['read'] },
          { id: 'console-admin', key: ADMIN_KEY, scopes: ['admin'] },
        ]),
      },
      { logStream: logs.stream },
    );
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
    'with an admin key: logs in through the virtual phone, signs, shows the evidence, the records and the admin panel, in Chinese and English',
    async () => {
      const page = await newPage({ viewport: { width: 1280, height: 1000 } });
      const failures: string[] = [];
      page.on('pageerror', (error) => failures.push(error.message));
      await page.goto(`${base}/`);
      expect(page.url()).toBe(`${base}/console/`);
      await expect(page.locator('h1').textContent()).resolves.toBe('CA 签名网关控制台');
      await expect(page.locator('#admin-panel').isHidden()).resolves.toBe(true);

      await page.fill('#api-key', ADMIN_KEY);
      await page.click('#key-form button[type=submit]');
      await page.locator('#admin-panel').waitFor({ state: 'visible' });
      await expect(page.locator('#key-form').isHidden()).resolves.toBe(true);
      await expect(page.inputValue('#api-key')).resolves.toBe('');

      await page.fill('#user-code', 'C001');
      await page.click('#start-login');
      await page.locator('#qr').waitFor({ state: 'visible' });
      await page.locator('#sim-scan').waitFor({ state: 'visible' });
      await page.click('#sim-scan');
      await page.locator('#login-status', { hasText: 'FINISH' }).waitFor({ timeout: 15_000 });
      // The login's token (msspId) stays in memory: the screen shows who logged in and until when.
      await expect(page.locator('#login-user').textContent()).resolves.toMatch(/^C001 · 授权至 \d{4}-\d\d-\d\d \d\d:/);

      await page.click('#sign');
      await page.locator('#sign-status', { hasText: 'SIGNED' }).waitFor({ timeout: 15_000 });
      await page.locator('#sign-verification[data-valid=true]').waitFor({ timeout: 15_000 });
      await expect(page.locator('#sign-signature').textContent()).resolves.toMatch(/^[A-Za-z0-9+/=]{40,}$/);
      await expect(page.locator('#sign-certificate').textContent()).resolves.toContain('SN ');
      // The embedded TSA grants the timestamp; verification then holds at its genTime.
      const stamp = page.locator('#sign-timestamp');
      await expect(stamp.getAttribute('data-status')).resolves.toBe('GRANTED');
      const genTime = /^已签发 · (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z)$/.exec(
        (await stamp.textContent()) ?? '',
      )?.[1];
      expect(Number.isNaN(Date.parse(genTime ?? ''))).toBe(false);
      await expect(page.locator('#sign-verification').getAttribute('data-assurance')).resolves.toBe('TIMESTAMPED');
      await expect(page.locator('#sign-verification').textContent()).resolves.toBe(
        `有效 · 依可信时间戳 · 验证时点 ${genTime}`,
      );

      const row = page.locator('#records tbody tr[data-record-id]');
      await row.first().waitFor();
      await expect(row.first().locator('td').nth(1).textContent()).resolves.toBe('SIGNED');
      await page.click('#verify-all');
      await row.first().locator('td.ok[data-assurance=TIMESTAMPED]').waitFor();

      // The evidence ZIP comes through the page (the key in a header, not in a link).
      const evidence = await downloadZip(page, '#sign-evidence button');
      expect(evidence.fileName).toMatch(/\.zip$/);
      expect(evidence.zip.subarray(0, 4)).toEqual(Buffer.from('PK\x03\x04', 'latin1'));
      expect(evidence.zip.includes('VERIFY.md')).toBe(true);

      // Administration: the audit chain and the enrollments.
      // The login and the signature reach the chain when the outbox drains: verify again until they are in.
      const audit = page.locator('#audit-status[data-valid=true]');
      let chain = '';
      for (let attempt = 0; attempt < 20 && !/^完整 · [1-9]/.test(chain); attempt++) {
        if (attempt > 0) await sleep(250);
        await page.click('#audit-refresh');
        chain = (await (await audit.elementHandle())?.textContent()) ?? '';
      }
      expect(chain).toMatch(/^完整 · [1-9]\d* 条记录 · \d+ 个锚点$/);
      // The nurse who just logged in was enrolled by her first verified login, listed for review.
      const enrolled = page.locator('#enrollments tbody tr[data-user-code=C001]');
      await enrolled.waitFor();
      await expect(enrolled.getAttribute('data-vendor')).resolves.toBe('coss');
      await expect(enrolled.getAttribute('data-source')).resolves.toBe('first-use');
      await expect(enrolled.locator('td').nth(3).textContent()).resolves.toBe('首次登录登记（待审核）');
      await expect(enrolled.locator('td').nth(2).textContent()).resolves.not.toBe('');
      // The filter goes to the gateway: another UserCode lists none.
      await page.fill('#enrollments-user', 'N999');
      await page.click('#enrollments-form button[type=submit]');
      await page.locator('#enrollments tbody td', { hasText: '暂无登记' }).waitFor();
      await page.fill('#enrollments-user', 'C001');
      await page.selectOption('#enrollments-vendor', 'coss');
      await page.click('#enrollments-form button[type=submit]');
      await enrolled.waitFor();
      await expect(page.locator('#key-state').textContent()).resolves.toBe('已使用 admin 密钥（仅保存在本标签页）');

      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS, 'console-zh.png'), fullPage: true });
      await page.click('#lang-en');
      await expect(page.locator('h1').textContent()).resolves.toBe('CA Signature Gateway Console');
      await expect(page.locator('#sign-verification').textContent()).resolves.toBe(
        `valid · at the trusted timestamp · valid at ${genTime}`,
      );
      await expect(page.locator('#sign-timestamp').textContent()).resolves.toBe(`granted · ${genTime}`);
      await expect(page.locator('#login-status').textContent()).resolves.toBe('FINISH · Logged in');
      await expect(page.locator('#key-state').textContent()).resolves.toMatch(/^Using an? (admin )?key/);
      // Every message already on the page follows the switch, not only the static labels.
      await expect(page.locator('main').innerText()).resolves.not.toMatch(/[\u4e00-\u9fff]/);
      await page.screenshot({ path: join(SCREENSHOTS, 'console-en.png'), fullPage: true });
      expect(failures).toEqual([]);
      await page.close();
    },
    90_000,
  );

  itInBrowser(
    'with a read key: signs through the Anhui virtual app, lists and verifies the records, and shows no admin panel',
    async () => {
      const page = await newPage();
      await page.goto(`${base}/console/`);
      await page.fill('#api-key', READ_KEY);
      await page.click('#key-form button[type=submit]');
      await page.locator('#key-state', { hasText: '已使用 read 密钥' }).waitFor();
      await expect(page.locator('#admin-panel').isHidden()).resolves.toBe(true);

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
      await page.locator('#sign-verification[data-valid=true]').waitFor({ timeout: 15_000 });

      const row = page.locator('#records tbody tr[data-record-id]');
      await row.first().waitFor();
      await page.click('#verify-all');
      await row.first().locator('td.ok').waitFor();
      const evidence = await downloadZip(page, '#records tbody tr[data-record-id] button.evidence');
      expect(evidence.zip.includes('VERIFY.md')).toBe(true);
      await page.close();
    },
    90_000,
  );

  itInBrowser(
    'asks for the key once per tab, keeps it only in sessionStorage, and refuses an unknown one',
    async () => {
      const context = await (browser as Browser).newContext();
      const page = await context.newPage();
      const asked: string[] = [];
      page.on('request', (sent) => asked.push(sent.url()));
      page.on('request', (sent) => urls.push(sent.url()));
      await page.goto(`${base}/console/`);
      await page.waitForLoadState('networkidle');
      // Without a key the page asks for one before it calls a guarded route (each refusal is audited).
      expect(asked.filter((url) => /\/(admin|windranger)\//.test(url))).toEqual([]);
      expect(asked).toContain(`${base}/console/`);
      await page.fill('#api-key', 'not-a-configured-key');
      await page.click('#key-form button[type=submit]');
      await page.locator('#key-error', { hasText: '需要有效的 API 密钥' }).waitFor();
      await expect(page.locator('#key-form').isVisible()).resolves.toBe(true);
      await expect(page.evaluate('sessionStorage.length')).resolves.toBe(0);

      await page.fill('#api-key', READ_KEY);
      await page.click('#key-form button[type=submit]');
      await page.locator('#key-state').waitFor({ state: 'visible' });
      await page.reload();
      // Not asked again in this tab: the page uses the kept key after a reload.
      await page.locator('#key-state').waitFor({ state: 'visible' });
      await expect(page.locator('#key-form').isHidden()).resolves.toBe(true);
      // The page's own storage, read in the page (a string: this spec is compiled without the DOM types).
      const storage = (await page.evaluate(
        '({ session: Object.values(sessionStorage), local: Object.values(localStorage), url: location.href })',
      )) as { session: string[]; local: string[]; url: string };
      expect(storage.session).toEqual([READ_KEY]);
      expect(storage.local.join()).not.toContain(READ_KEY);
      expect(storage.url).toBe(`${base}/console/`);

      // Another tab (session) asks again; forgetting the key removes it.
      const other = await context.newPage();
      await other.goto(`${base}/console/`);
      await other.locator('#key-form').waitFor({ state: 'visible' });
      await page.click('#forget-key');
      await page.locator('#key-form').waitFor({ state: 'visible' });
      await expect(page.evaluate('sessionStorage.length')).resolves.toBe(0);
      await context.close();
    },
    60_000,
  );

  itInBrowser('never put an API key in a URL or a log line', async () => {
    expect(urls.length).toBeGreaterThan(10);
    for (const key of [READ_KEY, ADMIN_KEY]) {
      expect(urls.filter((url) => url.includes(key))).toEqual([]);
      expect(logs.text()).not.toContain(key);
    }
    // The keys were used: the access log names their ids.
    expect(logs.text()).toContain('console-admin');
  });
});
