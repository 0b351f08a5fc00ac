import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { imagePage } from '@gallery/message-schema';
import { CATALOG } from '@gallery/processors';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './chromium';
import {
  ADMIN_PASSWORD,
  makeCorruptJpeg,
  makePng,
  peoplePhotoPath,
  startTestGallery,
  until,
} from './gallery';
import { openEventStream } from './sse';

/** Markup that would run script if any of it were parsed as HTML. */
const HOSTILE_NAME = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
const HOSTILE_TAG = '<b>bold</b>';

interface FilePayload {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

describe('the gallery in Chromium', () => {
  let gallery: Awaited<ReturnType<typeof startTestGallery>>;
  let browser: BrowserContext;
  const shots = mkdtempSync(path.join(tmpdir(), 'gallery-shots-'));

  beforeAll(async () => {
    gallery = await startTestGallery();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await gallery?.stop();
  });

  /** Signs in afresh, whatever session an earlier test left in the shared context. */
  async function signIn(page: Page): Promise<void> {
    await browser.clearCookies();
    await page.goto(gallery.baseUrl);
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill(ADMIN_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('upload-open').waitFor();
  }

  /**
   * The queues of the processors that failed the image of this name, once no processor is
   * pending on it: each holds one dead letter of it. Asked with the page's session.
   */
  async function failedQueuesOf(name: string): Promise<string[]> {
    const image = await until(async () => {
      const response = await browser.request.get(`${gallery.baseUrl}/api/images`);
      const found = imagePage.parse(await response.json()).items.find((i) => i.name === name);
      const settled = found && Object.values(found.status).every((s) => s !== 'pending');
      return settled ? found : undefined;
    }, `image ${name} to be processed`);
    return CATALOG.filter((entry) => image.status[entry.name] === 'failed').map(
      (entry) => entry.queue,
    );
  }

  /**
   * What a stream opened now with the page's session gets first: the id it starts at (the
   * feed's last change, without `lastEventId`) and its first event (`reset`, or a change).
   */
  async function firstEventAfter(lastEventId?: string): Promise<{ id: string; event: string }> {
    const cookies = await browser.cookies(gallery.baseUrl);
    const cookie = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const stream = await openEventStream(gallery.baseUrl, cookie, { lastEventId });
    try {
      await until(() => (stream.lastId() !== (lastEventId ?? '') ? true : undefined), 'an event');
      return { id: stream.lastId(), event: stream.events[0]?.event ?? 'none' };
    } finally {
      stream.close();
    }
  }

  async function uploadThroughDialog(page: Page, name: string, file: FilePayload): Promise<void> {
    await page.getByTestId('upload-open').click();
    await page.getByTestId('upload-file').setInputFiles(file);
    await page.getByTestId('upload-name').fill(name);
    await page.getByTestId('upload-submit').click();
    await page.getByTestId('upload-dialog').waitFor({ state: 'hidden' });
  }

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

  it('shows what changed while its live stream was down, replayed without reloading the list', async () => {
    // prepare: a page following the stream, and one image on it
    const page = await browser.newPage();
    await signIn(page);
    const uploaded = await browser.request.post(`${gallery.baseUrl}/api/images`, {
      multipart: {
        name: 'Before the outage',
        file: { name: 'a.png', mimeType: 'image/png', buffer: await makePng(320, 240) },
      },
    });
    expect(uploaded.status()).toBe(201);
    const { id } = (await uploaded.json()) as { id: string };
    const card = page.locator(`[data-testid="image-card"][data-image-id="${id}"]`);
    await card.waitFor();
    await page.getByTestId('live-status').filter({ hasText: 'Live' }).waitFor();
    const listLoads: string[] = [];
    const resumedWith: Promise<string | undefined>[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/api/images' && request.method() === 'GET') listLoads.push(url.search);
      if (url.pathname === '/api/events') {
        resumedWith.push(request.allHeaders().then((headers) => headers['last-event-id']));
      }
    });

    // act: the API dies; while the page cannot reconnect, it comes back and the image changes
    await page.route('**/api/events*', (route) => route.abort());
    await gallery.apps.api.stop('SIGKILL');
    await page.getByTestId('live-status').filter({ hasText: 'Reconnecting' }).waitFor();
    await gallery.restartApi();
    const renamed = await browser.request.patch(`${gallery.baseUrl}/api/images/${id}`, {
      data: { name: 'Renamed during the outage' },
    });
    expect(renamed.status()).toBe(200);
    const blocked = resumedWith.length;
    await page.unroute('**/api/events*');

    // assess: the change arrives by replay, after the last event the page had seen
    await card.getByTestId('image-name').filter({ hasText: 'Renamed during the outage' }).waitFor();
    await page.getByTestId('live-status').filter({ hasText: 'Live' }).waitFor();
    expect(blocked).toBeGreaterThan(0);
    // EventSource itself reconnected, sending the id of the last event it had.
    expect(await resumedWith.at(-1)).toMatch(/^\d+$/);
    expect(listLoads).toEqual([]);

    // act: away again, past what the feed keeps: a change, then a restart whose pruning
    // (retention of a fraction of a millisecond) removes it before the page is back
    await page.route('**/api/events*', (route) => route.abort());
    await gallery.apps.api.stop('SIGKILL');
    await gallery.restartApi();
    const lastSeen = (await firstEventAfter()).id;
    await browser.request.patch(`${gallery.baseUrl}/api/images/${id}`, {
      data: { name: 'Renamed while away too long' },
    });
    await gallery.apps.api.stop('SIGKILL');
    await gallery.restartApi({ FEED_RETENTION_HOURS: '0.0000001' });
    await until(
      async () => ((await firstEventAfter(lastSeen)).event === 'reset' ? true : undefined),
      'the feed to be pruned past the page',
    );
    await page.unroute('**/api/events*');

    // assess: the server says reset, and the page loads its list again
    await until(() => (listLoads.length > 0 ? true : undefined), 'the list to be loaded again');
    await card
      .getByTestId('image-name')
      .filter({ hasText: 'Renamed while away too long' })
      .waitFor();
    await page.close();
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

  it('shows HTML in a name and a tag as text, runs none of it and breaks no CSP rule', async () => {
    // prepare
    const page = await browser.newPage();
    const cspViolations: string[] = [];
    const pageErrors: string[] = [];
    page.on('console', (message) => {
      if (/content security policy/i.test(message.text())) cspViolations.push(message.text());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await signIn(page);
    const png = { name: 'hostile.png', mimeType: 'image/png', buffer: await makePng() };

    // act
    await uploadThroughDialog(page, HOSTILE_NAME, png);
    const card = page.getByTestId('image-card').filter({ hasText: HOSTILE_NAME });
    await card.getByTestId('image-thumbnail').waitFor({ timeout: 60_000 });
    // Both workers done, so the tags worker cannot replace the tags set below.
    await card.getByTestId('image-status').waitFor({ state: 'detached', timeout: 60_000 });
    await card.getByTestId('image-name').click();
    await page.getByTestId('preview-tags').fill(HOSTILE_TAG);
    await page.getByTestId('preview-save').click();
    await page.getByTestId('preview-saved').filter({ hasText: 'Saved.' }).waitFor();
    const previewTitle = await page.getByTestId('preview-title').textContent();
    await page.getByTestId('preview-close').click();

    // assess
    const chip = card.getByTestId('image-tag').filter({ hasText: HOSTILE_TAG });
    await chip.waitFor();
    expect(await card.getByTestId('image-name').textContent()).toBe(HOSTILE_NAME);
    expect(await chip.textContent()).toBe(HOSTILE_TAG);
    expect(previewTitle).toBe(HOSTILE_NAME);
    const grid = page.getByTestId('gallery-grid');
    expect(await grid.locator('img[src="x"]').count()).toBe(0);
    expect(await grid.locator('script').count()).toBe(0);
    expect(await grid.locator('b').count()).toBe(0);
    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(cspViolations).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('shows a corrupt upload failed on its card and in the failures panel, and sends it back for another try', async () => {
    // prepare
    const page = await browser.newPage();
    let navigations = 0;
    page.on('framenavigated', (frame) => frame === page.mainFrame() && navigations++);
    await signIn(page);
    const name = 'Scrambled scan';
    const jpeg = { name: 'scrambled.jpg', mimeType: 'image/jpeg', buffer: await makeCorruptJpeg() };

    // act: upload, and wait for both workers to give up on it
    await uploadThroughDialog(page, name, jpeg);
    const card = page.getByTestId('image-card').filter({ hasText: name });
    const cardStatus = card.getByTestId('image-status');
    await cardStatus
      .filter({ hasText: /thumbnail failed: .*corrupt jpeg data/i })
      .waitFor({ timeout: 60_000 });
    await cardStatus
      .filter({ hasText: /tagging failed: .*corrupt jpeg data/i })
      .waitFor({ timeout: 60_000 });

    // assess: the reasons are on the card, within its box, and in the preview
    expect(await cardStatus.isVisible()).toBe(true);
    const [statusBox, cardBox] = await Promise.all([cardStatus.boundingBox(), card.boundingBox()]);
    expect(statusBox && cardBox).toBeTruthy();
    if (statusBox && cardBox) {
      expect(statusBox.y + statusBox.height).toBeLessThanOrEqual(cardBox.y + cardBox.height);
      expect(statusBox.x + statusBox.width).toBeLessThanOrEqual(cardBox.x + cardBox.width);
    }
    await card.getByTestId('image-name').click();
    const previewStatus = page.getByTestId('preview-status');
    await previewStatus.waitFor();
    expect(await previewStatus.textContent()).toMatch(
      /thumbnail failed: .*corrupt jpeg data.*tagging failed: .*corrupt jpeg data/i,
    );
    await page.screenshot({ path: path.join(shots, 'failed-preview.png') });
    await page.getByTestId('preview-close').click();

    // assess: the badge counts its dead letters, one per processor that failed it, the
    // thumbnail's and the tags' among them (nothing else in this file fails)
    const failedQueues = await failedQueuesOf(name);
    expect(failedQueues).toEqual(expect.arrayContaining(['thumbnails', 'tags']));
    const failedCount = failedQueues.length;
    const badge = page.getByTestId('failures-count');
    await badge.filter({ hasText: new RegExp(`^${failedCount}$`) }).waitFor({ timeout: 30_000 });

    // act: open the panel
    await page.getByTestId('failures-open').click();
    const panel = page.getByTestId('failures-panel');
    const entries = panel.getByTestId('failure-item').filter({ hasText: name });
    await entries.nth(failedCount - 1).waitFor();

    // assess: one entry per queue, with the image's name and the decoder's reason
    const shown = await entries.evaluateAll((items) =>
      items.map((item) => ({
        image: item.querySelector('[data-testid="failure-image"]')?.textContent,
        queue: item.querySelector('[data-testid="failure-queue"]')?.textContent,
        reason: item.querySelector('[data-testid="failure-reason"]')?.textContent,
        attempts: item.querySelector('[data-testid="failure-attempts"]')?.textContent,
        time: item.querySelector('time')?.getAttribute('datetime'),
      })),
    );
    expect(shown.map((entry) => entry.queue).sort()).toEqual([...failedQueues].sort());
    for (const entry of shown) {
      expect(entry.image).toBe(name);
      expect(entry.reason).toMatch(/corrupt jpeg data/i);
      expect(entry.attempts).toMatch(/^received \d+ times?$/);
      expect(Number.isNaN(Date.parse(entry.time ?? ''))).toBe(false);
    }
    await page.screenshot({ path: path.join(shots, 'failures.png') });

    // act: send them back
    await panel.getByTestId('failures-redrive').click();

    // assess: all went back, and once the workers failed them again they are listed anew
    await panel
      .getByTestId('failures-result')
      .filter({ hasText: new RegExp(`^${failedCount} sent back$`) })
      .waitFor();
    const notShownBefore = shown.map((entry) => `:not([datetime="${entry.time}"])`).join('');
    const again = entries.filter({ has: page.locator(`time${notShownBefore}`) });
    await again.nth(failedCount - 1).waitFor({ timeout: 60_000 });
    expect(await again.count()).toBe(failedCount);
    expect(await again.getByTestId('failure-reason').allTextContents()).toEqual(
      failedQueues.map(() => expect.stringMatching(/corrupt jpeg data/i)),
    );
    expect(await badge.textContent()).toBe(String(failedCount));
    expect(navigations).toBe(1);
    console.log(`screenshots: ${shots}`);
  });
});
