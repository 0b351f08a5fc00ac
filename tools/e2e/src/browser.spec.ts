import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { ADMIN_PASSWORD, peoplePhotoPath, startTestGallery } from './gallery';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('the gallery in Chromium', () => {
  let gallery: Awaited<ReturnType<typeof startTestGallery>>;
  let browser: BrowserContext;
  const shots = mkdtempSync(path.join(tmpdir(), 'gallery-shots-'));

  beforeAll(async () => {
    gallery = await startTestGallery();
    browser = await chromium.launchPersistentContext(
      mkdtempSync(path.join(tmpdir(), 'gallery-chromium-')),
      {
        executablePath: CHROMIUM,
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      },
    );
  });

  afterAll(async () => {
    await browser?.close();
    await gallery?.stop();
  });

  it('logs in, uploads through the dialog and shows the thumbnail and tags without a reload', async () => {
    // prepare
    const page = await browser.newPage();
    const photo = path.join(shots, 'party.jpg');
    copyFileSync(peoplePhotoPath(), photo);
    let navigations = 0;
    page.on('framenavigated', (frame) => frame === page.mainFrame() && navigations++);
    await page.goto(gallery.baseUrl);

    // act
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill(ADMIN_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('upload-open').click();
    await page.getByTestId('upload-file').setInputFiles(photo);
    await page.getByTestId('upload-name').fill('Party');
    await page.getByTestId('upload-submit').click();

    // assess
    const card = page.getByTestId('image-card').filter({ hasText: 'Party' });
    await card.getByTestId('image-thumbnail').waitFor({ timeout: 60_000 });
    await card.getByTestId('image-tag').filter({ hasText: 'person' }).waitFor({ timeout: 60_000 });
    await card.getByTestId('image-tag').filter({ hasText: 'people' }).waitFor();
    expect(await card.getByTestId('image-status').count()).toBe(0);
    const shown = await card.getByTestId('image-thumbnail').evaluate((img: HTMLImageElement) => ({
      loaded: img.complete && img.naturalWidth > 0,
      src: img.currentSrc,
    }));
    expect(shown.loaded).toBe(true);
    expect(shown.src).toMatch(/\/api\/images\/[0-9a-f-]{36}\/thumbnails\/(256|1280)\.webp$/);
    expect(navigations).toBe(1);
    await page.screenshot({ path: path.join(shots, 'gallery.png'), fullPage: true });
    console.log(`screenshot: ${path.join(shots, 'gallery.png')}`);
  });

  it('refuses a wrong password with a message', async () => {
    await browser.clearCookies();
    const page = await browser.newPage();
    await page.goto(gallery.baseUrl);
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill('not the password');
    await page.getByTestId('login-submit').click();
    const error = page.getByTestId('login-error').filter({ hasText: /\S/ });
    await error.waitFor();
    expect(await error.textContent()).toMatch(/invalid|incorrect|wrong/i);
  });
});
