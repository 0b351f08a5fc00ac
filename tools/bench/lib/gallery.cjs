// The real local Gallery for benchmarks: started on a fresh data directory, logged in, with
// the `image.updated` stream watched as a browser would.
const { mkdtempSync } = require('node:fs');
const { createServer } = require('node:net');
const { tmpdir } = require('node:os');
const path = require('node:path');
const sharp = require('sharp');
const { CATALOG } = require('../../scripts/catalog.cjs');
const { startGallery } = require('../../scripts/gallery-processes.cjs');

const PROCESSORS = CATALOG.map(({ name }) => name);

const PASSWORD = 'bench-password';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A pipeline on an image of gaussian noise over `background`: detail that resists compression. */
function noiseImage(width, height, background, sigma) {
  return sharp({
    create: {
      width,
      height,
      channels: 3,
      background,
      noise: { type: 'gaussian', mean: 128, sigma },
    },
  });
}

/** A 12-megapixel JPEG with detail (blurred noise), different for each seed. */
async function makePhoto(seed, width = 4000, height = 3000) {
  const background = { r: (seed * 37) % 255, g: 128, b: 90 };
  const noise = await noiseImage(width, height, background, 40).png().toBuffer();
  return sharp(noise).blur(2).jpeg({ quality: 85 }).toBuffer();
}

/** Starts the apps (all, or `apps`), logs in; `stop()` ends them. */
async function startBenchGallery({ env = {} } = {}) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gallery-bench-'));
  const gallery = await startGallery({
    dataDir,
    port: await freePort(),
    env: { ADMIN_PASSWORD: PASSWORD, LOG_LEVEL: 'warn', ...env },
  });
  const login = await fetch(`${gallery.baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: PASSWORD }),
  });
  if (login.status !== 200) throw new Error(`login: ${login.status}`);
  const cookie = login.headers.get('set-cookie').split(';')[0];
  return { ...gallery, dataDir, cookie };
}

/** Uploads one file; resolves with the new image's id and the moment the 201 arrived. */
async function upload({ baseUrl, cookie }, name, bytes) {
  const form = new FormData();
  form.set('name', name);
  form.set('file', new Blob([bytes]), `${name}.jpg`);
  const response = await fetch(`${baseUrl}/api/images`, {
    method: 'POST',
    headers: { cookie },
    body: form,
  });
  const at = performance.now();
  const body = await response.json();
  if (response.status !== 201)
    throw new Error(`upload ${name}: ${response.status} ${body.message}`);
  return { id: body.id, at };
}

/**
 * Calls `onImage(image, at)` for every `image.updated` event on the live stream, `at` being
 * `performance.now()` when it arrived; `close()` ends the stream.
 */
async function onImageUpdates({ baseUrl, cookie }, onImage) {
  const controller = new AbortController();
  const response = await fetch(`${baseUrl}/api/events`, {
    headers: { cookie },
    signal: controller.signal,
  });
  if (response.status !== 200) throw new Error(`events: ${response.status}`);
  const decoder = new TextDecoder();
  let buffer = '';
  (async () => {
    for await (const chunk of response.body) {
      buffer += decoder.decode(chunk, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event === 'image.updated' && data) onImage(JSON.parse(data), performance.now());
      }
    }
  })().catch(() => undefined);
  return { close: () => controller.abort() };
}

/**
 * Records, per image, when its thumbnails and its tags were first seen done. `done(id)`
 * resolves with those times once both are there (rejects on a failure).
 */
/**
 * When each processor of the catalog announced its result for each image: `done(id)` resolves
 * with `{ [processor]: ms }` once every processor is done, and rejects if one failed.
 */
async function watchResults(gallery) {
  const seen = new Map();
  const entry = (id) => seen.get(id) ?? seen.set(id, { at: {} }).get(id);
  const complete = (times) => PROCESSORS.every((name) => times.at[name] !== undefined);
  await onImageUpdates(gallery, (image, at) => {
    const times = entry(image.id);
    if (PROCESSORS.some((name) => image.status[name] === 'failed')) {
      times.reject?.(new Error(`image ${image.id} failed: ${JSON.stringify(image.errors)}`));
    }
    for (const name of PROCESSORS) if (image.status[name] === 'done') times.at[name] ??= at;
    if (complete(times)) times.resolve?.(times.at);
  });
  return {
    done(id, timeoutMs = 120_000) {
      const times = entry(id);
      if (complete(times)) return times.at;
      return new Promise((resolve, reject) => {
        Object.assign(times, { resolve, reject });
        setTimeout(() => reject(new Error(`image ${id}: no result in time`)), timeoutMs).unref();
      });
    },
  };
}

module.exports = {
  makePhoto,
  noiseImage,
  startBenchGallery,
  upload,
  onImageUpdates,
  watchResults,
  freePort,
};
