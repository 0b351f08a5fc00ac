// Upload-to-result latency of the local pipeline: for N uploads of a 12-megapixel JPEG
// made on the spot, the time from the upload's 201 to the `image.updated` event that
// carries the thumbnails, and to the one that carries the tags. Usage:
//   npm run bench:latency [-- --uploads 20]
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { parseArgs } = require('node:util');
const sharp = require('sharp');
const { startGallery } = require('../scripts/gallery-processes.cjs');

const PASSWORD = 'bench-password';

async function makePhoto(seed) {
  const noise = await sharp({
    create: {
      width: 4000,
      height: 3000,
      channels: 3,
      background: { r: seed % 255, g: 128, b: 90 },
      noise: { type: 'gaussian', mean: 128, sigma: 40 },
    },
  })
    .png()
    .toBuffer();
  return sharp(noise).blur(2).jpeg({ quality: 85 }).toBuffer();
}

/** Every `image.updated` event as { at, image }, as the browser would see it. */
async function watchEvents(baseUrl, cookie, onEvent) {
  const response = await fetch(`${baseUrl}/api/events`, { headers: { cookie } });
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
        if (event === 'image.updated' && data) onEvent(performance.now(), JSON.parse(data));
      }
    }
  })().catch(() => undefined);
}

const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    p50: Math.round(percentile(sorted, 50)),
    p95: Math.round(percentile(sorted, 95)),
    min: Math.round(sorted[0]),
    max: Math.round(sorted.at(-1)),
  };
}

async function main() {
  const { values } = parseArgs({
    options: {
      uploads: { type: 'string', default: '20' },
      port: { type: 'string', default: '3999' },
    },
  });
  const uploads = Number(values.uploads);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gallery-bench-'));
  const gallery = await startGallery({
    dataDir,
    port: Number(values.port),
    env: { ADMIN_PASSWORD: PASSWORD, LOG_LEVEL: 'warn' },
  });
  try {
    const login = await fetch(`${gallery.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: PASSWORD }),
    });
    const cookie = login.headers.get('set-cookie').split(';')[0];
    // First sight of each result per image, recorded even if it beats the 201's parsing.
    const seen = new Map();
    const seenFor = (id) => seen.get(id) ?? seen.set(id, {}).get(id);
    await watchEvents(gallery.baseUrl, cookie, (at, image) => {
      const times = seenFor(image.id);
      if (image.status.thumbnail === 'failed' || image.status.tags === 'failed') {
        times.reject?.(new Error(`image ${image.id} failed: ${JSON.stringify(image.errors)}`));
      }
      if (image.status.thumbnail === 'done') times.thumbnailAt ??= at;
      if (image.status.tags === 'done') times.tagsAt ??= at;
      if (times.thumbnailAt !== undefined && times.tagsAt !== undefined) times.resolve?.();
    });

    const thumbnails = [];
    const tags = [];
    for (let i = 0; i < uploads; i++) {
      const photo = await makePhoto(i);
      const form = new FormData();
      form.set('name', `bench ${i}`);
      form.set('file', new Blob([photo]), `bench-${i}.jpg`);
      const response = await fetch(`${gallery.baseUrl}/api/images`, {
        method: 'POST',
        headers: { cookie },
        body: form,
      });
      const createdAt = performance.now();
      const { id } = await response.json();
      if (response.status !== 201) throw new Error(`upload ${i}: ${response.status}`);
      const wait = seenFor(id);
      if (wait.thumbnailAt === undefined || wait.tagsAt === undefined) {
        await new Promise((resolve, reject) => {
          Object.assign(wait, { resolve, reject });
          setTimeout(() => reject(new Error(`upload ${i}: no result within 60 s`)), 60_000).unref();
        });
      }
      thumbnails.push(wait.thumbnailAt - createdAt);
      tags.push(wait.tagsAt - createdAt);
      process.stdout.write('.');
    }
    console.log(
      `\n${uploads} uploads of a 12-megapixel JPEG, one after another (ms from the 201):`,
    );
    console.table({ 'thumbnails event': summary(thumbnails), 'tags event': summary(tags) });
  } finally {
    await gallery.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
