import { imagePage, imageView, type ImageView } from '@gallery/message-schema';
import type { BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import {
  checkAccessibility,
  launchChromium,
  screenshot,
  seriousViolations,
  type AxeSummary,
} from './chromium';
import { ADMIN_PASSWORD, login, makePng, startTestGallery, until } from './gallery';

/** A small JPEG whose EXIF names a camera and when it was taken, for the metadata panel. */
function photoWithExif(hue: number): Promise<Buffer> {
  return sharp({
    create: {
      width: 320,
      height: 240,
      channels: 3,
      background: { r: hue, g: 140, b: 200 - hue / 2 },
    },
  })
    .withExif({
      IFD0: { Make: 'Canon', Model: 'Canon EOS R6' },
      IFD2: { DateTimeOriginal: '2024:06:01 14:03:22', FNumber: '4/1', ISOSpeedRatings: '200' },
    })
    .jpeg()
    .toBuffer();
}

describe('the gallery people expect, in Chromium', () => {
  let gallery: Awaited<ReturnType<typeof startTestGallery>>;
  let admin: BrowserContext;
  let adminCookie: string;
  const others: BrowserContext[] = [];
  const axe: AxeSummary[] = [];

  beforeAll(async () => {
    gallery = await startTestGallery();
    admin = await launchChromium();
    adminCookie = await login(gallery.baseUrl);
  });
  afterAll(async () => {
    for (const context of [admin, ...others]) await context?.close();
    await gallery?.stop();
    for (const summary of axe) {
      const counts = Object.entries(summary.byImpact).map(([impact, n]) => `${impact} ${n}`);
      console.log(`axe ${summary.page}: ${counts.join(', ')}`);
    }
  });

  /** Calls the API as the administrator. */
  async function api<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${gallery.baseUrl}${path}`, {
      method,
      headers: {
        cookie: adminCookie,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok)
      throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.status === 204 ? (undefined as T) : ((await response.json()) as T);
  }

  async function uploadAs(cookie: string, name: string, bytes: Buffer): Promise<ImageView> {
    const form = new FormData();
    form.set('name', name);
    form.set('file', new Blob([new Uint8Array(bytes)]), `${name}.jpg`);
    const response = await fetch(`${gallery.baseUrl}/api/images`, {
      method: 'POST',
      headers: { cookie },
      body: form,
    });
    if (response.status !== 201) throw new Error(`upload ${name}: ${response.status}`);
    return imageView.parse(await response.json());
  }

  /** Waits until every processor has reported on the image; its JSON then. */
  const processed = (id: string) =>
    until(async () => {
      const image = imageView.parse(await api(`GET`, `/api/images/${id}`));
      return Object.values(image.status).every((status) => status !== 'pending')
        ? image
        : undefined;
    }, `image ${id} to be processed`);

  async function signIn(context: BrowserContext, username: string, password: string, path = '/') {
    await context.clearCookies();
    const page = await context.newPage();
    await page.goto(`${gallery.baseUrl}${path}`);
    await page.getByTestId('login-username').fill(username);
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('upload-open').waitFor();
    return page;
  }

  async function expectAccessible(page: Page, name: string) {
    const summary = await checkAccessibility(page, name);
    axe.push(summary);
    expect(seriousViolations(summary)).toEqual([]);
  }

  const names = (page: Page) => page.getByTestId('image-name').allTextContents();

  it('has an accessible sign-in page', async () => {
    const page = await admin.newPage();
    await page.goto(gallery.baseUrl);
    await page.getByTestId('login-username').waitFor();
    await expectAccessible(page, 'sign-in');
    await page.close();
  });

  it('searches as one types, keeps the search in the address, and opens a bookmarked search as it was', async () => {
    for (const name of ['Café au lait', 'Rocket launch', 'Grandma in Québec']) {
      await processed((await uploadAs(adminCookie, name, await photoWithExif(40))).id);
    }
    const page = await signIn(admin, 'admin', ADMIN_PASSWORD);

    await page.getByTestId('search').pressSequentially('cafe', { delay: 30 });

    await until(
      async () => ((await names(page)).join() === 'Café au lait' ? true : undefined),
      'the search',
    );
    expect(new URL(page.url()).search).toBe('?q=cafe');
    await page.reload();
    await page.getByTestId('image-card').first().waitFor();
    expect(await names(page)).toEqual(['Café au lait']);
    expect(await page.getByTestId('search').inputValue()).toBe('cafe');
    await page.getByTestId('search').fill('quebec grandma');
    await until(
      async () => ((await names(page)).join() === 'Grandma in Québec' ? true : undefined),
      'two words',
    );
    await screenshot(page, 'search');
    await expectAccessible(page, 'search');
    await page.close();
  });

  it('selects images by click, shift-click and keyboard, puts them in a new album whose page follows live changes', async () => {
    const page = await signIn(admin, 'admin', ADMIN_PASSWORD);
    await page.getByTestId('image-card').nth(2).waitFor();

    await page.getByTestId('album-create').click();
    await page.getByTestId('album-name').fill('Summer in Québec');
    await page.getByTestId('album-description-input').fill('Three weeks, two cities.');
    await page.getByTestId('album-save').click();
    await page.getByTestId('album-title').filter({ hasText: 'Summer in Québec' }).waitFor();
    const albumUrl = new URL(page.url());
    expect(albumUrl.pathname).toMatch(/^\/albums\/[0-9a-f-]{36}$/);
    await page.getByTestId('all-link').click();
    const boxes = page.getByTestId('select-image');
    await boxes.first().waitFor();
    await boxes.nth(0).click();
    await boxes.nth(2).click({ modifiers: ['Shift'] });
    await page.getByTestId('selection-count').filter({ hasText: '3 selected' }).waitFor();
    // The keyboard: Space on a focused box takes it out again.
    await boxes.nth(1).focus();
    await page.keyboard.press('Space');
    await page.getByTestId('selection-count').filter({ hasText: '2 selected' }).waitFor();
    await screenshot(page, 'gallery');
    await expectAccessible(page, 'gallery');
    await page.getByTestId('selection-album').selectOption({ label: 'Summer in Québec' });
    await page.getByTestId('selection-add').click();
    await page.getByTestId('selection-bar').waitFor({ state: 'hidden' });
    await page.getByTestId('album-link').filter({ hasText: 'Summer in Québec' }).click();
    await until(
      async () => ((await names(page)).length === 2 ? true : undefined),
      'the album page',
    );

    // Live: an image added to the album elsewhere appears without a reload.
    const albumId = albumUrl.pathname.split('/')[2];
    const late = await uploadAs(adminCookie, 'Late arrival', await photoWithExif(120));
    await api('POST', `/api/albums/${albumId}/images`, { imageIds: [late.id] });
    await page.getByTestId('image-name').filter({ hasText: 'Late arrival' }).waitFor();
    await page
      .getByTestId('album-link')
      .filter({ hasText: 'Summer in Québec' })
      .filter({ hasText: '3' })
      .waitFor();
    // The cover: the newest image until one is chosen.
    const coverOf = async () =>
      page
        .getByTestId('album-link')
        .filter({ hasText: 'Summer in Québec' })
        .getByTestId('album-cover')
        .getAttribute('src');
    await until(async () => ((await coverOf())?.includes(late.id) ? true : undefined), 'the cover');
    await page.getByTestId('image-card').filter({ hasText: 'Café au lait' }).click();
    await page.getByTestId('preview-cover').click();
    await page.getByTestId('preview-cover-done').waitFor();
    await page.keyboard.press('Escape');
    const cafe = imagePage.parse(await api('GET', '/api/images?q=cafe')).items[0];
    await until(
      async () => ((await coverOf())?.includes(cafe.id) ? true : undefined),
      'the chosen cover',
    );
    await screenshot(page, 'album');
    await expectAccessible(page, 'album');
    await page.close();
  });

  it('uploads files dropped anywhere on the page, each with its own progress and a total', async () => {
    const page = await signIn(admin, 'admin', ADMIN_PASSWORD);
    const files = [
      { name: 'dropped one.png', bytes: await makePng(400, 300), type: 'image/png' },
      { name: 'dropped two.png', bytes: await makePng(300, 400), type: 'image/png' },
      {
        name: 'not an image.jpg',
        bytes: Buffer.from('just some text, not a picture'),
        type: 'image/jpeg',
      },
    ].map((file) => ({ ...file, bytes: file.bytes.toString('base64') }));

    await page.evaluate((dropped) => {
      const transfer = new DataTransfer();
      for (const file of dropped) {
        const bytes = Uint8Array.from(atob(file.bytes), (c) => c.charCodeAt(0));
        transfer.items.add(new File([bytes], file.name, { type: file.type }));
      }
      document.body.dispatchEvent(
        new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }),
      );
      document.body.dispatchEvent(
        new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }),
      );
    }, files);

    const rows = page.getByTestId('upload-file-row');
    await page.getByTestId('upload-error').filter({ hasText: 'not an image.jpg' }).waitFor();
    expect(await rows.count()).toBe(3);
    expect(await rows.nth(0).textContent()).toContain('Done');
    expect(await rows.nth(1).textContent()).toContain('Done');
    // Its bytes were all sent before the API refused them: its own line says why.
    expect(await rows.nth(2).textContent()).toMatch(/not an image\.jpg.*(not|unsupported|image)/i);
    expect(
      await page.getByTestId('upload-progress').evaluate((bar: HTMLProgressElement) => bar.value),
    ).toBe(1);
    await page.getByTestId('upload-cancel').click();
    await page.getByTestId('image-name').filter({ hasText: 'dropped two' }).waitFor();
    await page.getByTestId('image-name').filter({ hasText: 'dropped one' }).waitFor();
    await page.close();
  });

  it('moves through the preview with ← and →, shows the camera, and closes with Esc', async () => {
    const page = await signIn(admin, 'admin', ADMIN_PASSWORD);
    await page.getByTestId('search').fill('cafe');
    await until(
      async () => ((await names(page)).join() === 'Café au lait' ? true : undefined),
      'the search',
    );
    await page.getByTestId('search').fill('');
    await until(
      async () => ((await names(page)).length > 3 ? true : undefined),
      'the whole gallery',
    );
    const first = (await names(page))[0];
    const second = (await names(page))[1];

    await page.getByTestId('image-card').first().click();
    await page.getByTestId('preview-title').filter({ hasText: first }).waitFor();
    await page.getByTestId('preview-dialog').focus();
    await page.keyboard.press('ArrowRight');
    await page.getByTestId('preview-title').filter({ hasText: second }).waitFor();
    await page.keyboard.press('ArrowLeft');
    await page.getByTestId('preview-title').filter({ hasText: first }).waitFor();
    // The photos uploaded with a camera in their EXIF: the metadata panel names it.
    const withCamera = page.getByTestId('image-card').filter({ hasText: 'Late arrival' });
    await page.keyboard.press('Escape');
    await page.getByTestId('preview-dialog').waitFor({ state: 'hidden' });
    await withCamera.click();
    await page.getByTestId('preview-metadata').filter({ hasText: 'Canon EOS R6' }).waitFor();
    await screenshot(page, 'preview');
    await expectAccessible(page, 'preview');
    await page.keyboard.press('Escape');
    await page.getByTestId('preview-dialog').waitFor({ state: 'hidden' });
    await page.close();
  });

  it('lets the administrator add someone on the people page, who then sees changes live and is signed out when disabled', async () => {
    const page = await signIn(admin, 'admin', ADMIN_PASSWORD);
    await page.getByTestId('people-link').click();
    await page.getByTestId('person-row').first().waitFor();

    await page.getByTestId('person-name').fill('Noah');
    await page.getByTestId('person-password').fill('noah first password');
    await page.getByTestId('person-add').click();
    await page.locator('[data-testid=person-row][data-username=Noah]').waitFor();
    await page.getByTestId('invite-create').click();
    await page.getByTestId('invite-link').waitFor();
    await page.getByTestId('invitation').first().waitFor();
    await screenshot(page, 'people');
    await expectAccessible(page, 'people');
    const link = await page.getByTestId('invite-link').inputValue();
    await page.getByTestId('invitation').first().getByTestId('invitation-revoke').click();
    await page.getByTestId('people-status').filter({ hasText: 'Invitation revoked' }).waitFor();
    const revoked = await fetch(`${gallery.baseUrl}/api/auth/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        token: new URL(link).hash.slice(1),
        username: 'Late',
        password: 'late password',
      }),
    });
    expect(revoked.status).toBe(404);

    const noahBrowser = await launchChromium();
    others.push(noahBrowser);
    const noah = await signIn(noahBrowser, 'Noah', 'noah first password');
    await noah.getByTestId('live-status').filter({ hasText: 'Live' }).waitFor();
    // A change by someone else reaches Noah's page by itself.
    const { items } = imagePage.parse(await api('GET', '/api/images?q=rocket'));
    await api('PATCH', `/api/images/${items[0].id}`, { name: 'Rocket at dawn' });
    await noah.getByTestId('image-name').filter({ hasText: 'Rocket at dawn' }).waitFor();
    // Noah may not change what the administrator added: no people page for him either.
    expect(await noah.getByTestId('people-link').count()).toBe(0);
    await noah.getByTestId('image-card').filter({ hasText: 'Rocket at dawn' }).click();
    await noah.getByTestId('preview-title').filter({ hasText: 'Rocket at dawn' }).waitFor();
    expect(await noah.getByTestId('preview-name').isVisible()).toBe(false);
    expect(await noah.getByTestId('preview-delete').isVisible()).toBe(false);
    expect(await noah.getByTestId('preview-dialog').textContent()).toContain('added by admin');
    await noah.keyboard.press('Escape');

    await page
      .locator('[data-testid=person-row][data-username=Noah]')
      .getByTestId('person-toggle')
      .click();
    await page.getByTestId('people-status').filter({ hasText: 'Noah is disabled' }).waitFor();
    await until(async () => {
      const response = await noahBrowser.request.get(`${gallery.baseUrl}/api/auth/me`);
      return response.status() === 401 ? true : undefined;
    }, 'Noah to be signed out');
    await page.close();
  });

  it('lets someone join with an invitation link, then change their password on the account page', async () => {
    const invitation = await api<{ path: string }>('POST', '/api/invitations', { role: 'member' });
    const browser = await launchChromium();
    others.push(browser);
    const page = await browser.newPage();
    await page.goto(`${gallery.baseUrl}${invitation.path}`);
    await page.getByTestId('join-name').fill('Ines');
    await page.getByTestId('join-password').fill('ines own password');
    await expectAccessible(page, 'join');
    await page.getByTestId('join-submit').click();
    await page.getByTestId('current-user').filter({ hasText: 'Ines' }).waitFor();
    expect(new URL(page.url()).hash).toBe('');

    await page.getByTestId('account-link').click();
    await page.getByTestId('password-current').fill('ines own password');
    await page.getByTestId('password-new').fill('ines newer password');
    await page.getByTestId('password-again').fill('ines newer password');
    await page.getByTestId('password-save').click();
    await page.getByTestId('account-status').filter({ hasText: 'Password changed' }).waitFor();
    await page.getByTestId('session').first().waitFor();
    await screenshot(page, 'account');
    await expectAccessible(page, 'account');

    const again = await signIn(browser, 'Ines', 'ines newer password');
    expect(await again.getByTestId('current-user').textContent()).toBe('Ines');
  });
});
