// 3. API, the built process on the embedded defaults (PGlite, filesystem store):
// (a) latency of `GET /api/images?limit=50` with 100,000 images in the database, over HTTP on
//     loopback: the first page, pages deep in the list (by cursor), and the tag filter;
// (b) the process's memory while it takes a 200 MB upload, which it must stream.
// The 100,000 rows are written straight into the API's PGlite directory while the API is
// stopped (uploading them would take hours); the API itself created and migrated it.
const { once } = require('node:events');
const {
  closeSync,
  createReadStream,
  mkdtempSync,
  openSync,
  rmSync,
  writeSync,
} = require('node:fs');
const { readFile, writeFile } = require('node:fs/promises');
const http = require('node:http');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { PGlite } = require('@electric-sql/pglite');
const { unaccent } = require('@electric-sql/pglite/contrib/unaccent');
const { noiseImage } = require('../lib/gallery.cjs');
const { seedImages } = require('../lib/seed.cjs');
const { percentile, summary } = require('../lib/stats.cjs');
const { spreadText } = require('../lib/report.cjs');
const { startApi } = require('../lib/api-process.cjs');

const PAGE = 50;
const LIST_TARGET_MS = 20;
const RSS_TARGET_MB = 64;
const MB = 2 ** 20;
/** A tag on a few dozen images only: its first page spans the whole list. */
const FEW_TAG = 'wedding';
const FEW_TAGGED = 60;

/**
 * `count` images seeded into the stopped API's PGlite directory; returns the most and least
 * common labels and cursors deep in the list.
 */
async function seedList(dbDir, count) {
  // The search functions the API's migrations made call unaccent.
  const db = await PGlite.create(dbDir, { extensions: { unaccent } });
  try {
    await seedImages((text, params) => db.query(text, params), count, {
      fewTag: FEW_TAG,
      fewTagged: FEW_TAGGED,
    });
    const tags = await db.query(
      `select name, count(*)::int as images from image_tags where source <> 'manual'
       group by name order by images desc, name`,
    );
    // Cursors as the API makes them (its format is opaque to clients, not to this bench):
    // where a page ends, at positions spread over the older 90% of the list.
    const deep = [];
    for (let i = 0; i < 50; i++) {
      const offset = Math.floor(count * (0.1 + (0.9 * (i + 0.5)) / 50)) - 1;
      const row = (
        await db.query(
          `select created_at, id from images order by created_at desc, id desc
           offset $1 limit 1`,
          [offset],
        )
      ).rows[0];
      deep.push(encodeCursor(row));
    }
    return { common: tags.rows[0], rare: tags.rows.at(-1), deepCursors: deep };
  } finally {
    await db.close();
  }
}

const encodeCursor = ({ created_at: createdAt, id }) =>
  Buffer.from(JSON.stringify([createdAt.toISOString(), id])).toString('base64url');

/** One GET, timed from sending to the last byte of the body; checks it is a full page. */
async function timedList(baseUrl, cookie, query) {
  const started = performance.now();
  const response = await fetch(`${baseUrl}/api/images?${new URLSearchParams(query)}`, {
    headers: { cookie },
  });
  const body = await response.text();
  const ms = performance.now() - started;
  if (response.status !== 200) throw new Error(`list ${JSON.stringify(query)}: ${response.status}`);
  const page = JSON.parse(body);
  if (page.items.length !== PAGE) {
    throw new Error(`list ${JSON.stringify(query)}: ${page.items.length} items, not ${PAGE}`);
  }
  return ms;
}

async function measureList({ quick, log }) {
  const count = quick ? 10_000 : 100_000;
  const requests = quick ? 50 : 500;
  const warmUp = quick ? 10 : 50;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gallery-bench-api-'));
  try {
    // The API creates and migrates its database; the rows go in while it is stopped.
    const first = await startApi(dataDir);
    await first.app.stop();
    let started = performance.now();
    const seeded = await seedList(path.join(dataDir, 'db'), count);
    const seedSeconds = (performance.now() - started) / 1000;
    log(`${count} images seeded in ${seedSeconds.toFixed(1)} s`);

    started = performance.now();
    const api = await startApi(dataDir);
    const startSeconds = (performance.now() - started) / 1000;
    try {
      let deep = 0;
      const kinds = {
        first: () => ({ limit: PAGE }),
        deep: () => ({
          limit: PAGE,
          cursor: seeded.deepCursors[deep++ % seeded.deepCursors.length],
        }),
        common: () => ({ limit: PAGE, tag: seeded.common.name }),
        rare: () => ({ limit: PAGE, tag: seeded.rare.name }),
        few: () => ({ limit: PAGE, tag: FEW_TAG }),
      };
      const times = Object.fromEntries(Object.keys(kinds).map((kind) => [kind, []]));
      // Interleaved, so that a passing disturbance falls on every kind alike.
      for (let i = 0; i < warmUp + requests; i++) {
        for (const [kind, query] of Object.entries(kinds)) {
          const ms = await timedList(api.baseUrl, api.cookie, query());
          if (i >= warmUp) times[kind].push(ms);
        }
      }
      log(`${requests} requests of each kind done`);
      const share = (tag) => `${((100 * tag.images) / count).toPrecision(2)}% of images`;
      const row = (metric, values) => {
        const p95 = percentile(values, 95);
        return {
          metric,
          value: p95,
          unit: 'ms',
          spread: `p50 ${percentile(values, 50).toFixed(1)}, max ${Math.max(...values).toFixed(1)}, n ${values.length}`,
          target: `≤ ${LIST_TARGET_MS}`,
          met: p95 <= LIST_TARGET_MS,
        };
      };
      return {
        rows: [
          row(`list of ${count} images, first page, p95`, times.first),
          row('  a page deep in the list (cursor), p95', times.deep),
          row(
            `  tag "${seeded.common.name}" (${share(seeded.common)}), first page, p95`,
            times.common,
          ),
          row(`  tag "${seeded.rare.name}" (${share(seeded.rare)}), first page, p95`, times.rare),
          row(`  tag "${FEW_TAG}" (${FEW_TAGGED} images), first page, p95`, times.few),
        ],
        notes: [
          `list: ${count} images seeded in ${seedSeconds.toFixed(1)} s; API start on them ` +
            `${startSeconds.toFixed(1)} s; ${warmUp} warm-up requests, then ${requests} of each ` +
            'kind interleaved, one at a time, keep-alive',
        ],
      };
    } finally {
      await api.app.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * A real JPEG of `bytes` bytes, most of them comment segments (64 KB each, the most one
 * segment holds) between its start marker and its image: a file the upload walk accepts
 * whole. Written a segment at a time, never held in memory.
 */
async function writePaddedJpeg(file, bytes) {
  const photo = await noiseImage(1200, 900, { r: 90, g: 128, b: 160 }, 30)
    .jpeg({ quality: 85 })
    .toBuffer();
  const segment = Buffer.alloc(4 + 65533, 'padding for the upload benchmark. ');
  segment.writeUInt16BE(0xfffe, 0); // COM
  segment.writeUInt16BE(65535, 2); // its length counts itself, not the marker
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, photo, 0, 2); // SOI
    let written = photo.length;
    for (; written + segment.length <= bytes; written += segment.length) writeSync(fd, segment);
    writeSync(fd, photo, 2);
    return written;
  } finally {
    closeSync(fd);
  }
}

const statusField = async (pid, field) => {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)[1]) * 1024;
};

/** Resets the process's peak RSS (VmHWM) to its current RSS; false where not permitted. */
async function resetPeak(pid) {
  try {
    await writeFile(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Streams `file` as a multipart upload (name, then file) over one HTTP request. */
async function uploadFile(baseUrl, cookie, file, size, name) {
  const boundary = `bench${Date.now()}`;
  const head = Buffer.from(
    `--${boundary}\r\ncontent-disposition: form-data; name="name"\r\n\r\n${name}\r\n` +
      `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="big.jpg"\r\n` +
      'content-type: image/jpeg\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const url = new URL('/api/images', baseUrl);
  const request = http.request(url, {
    method: 'POST',
    headers: {
      cookie,
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'content-length': head.length + size + tail.length,
    },
  });
  const responded = once(request, 'response');
  request.write(head);
  const source = createReadStream(file, { highWaterMark: 256 * 1024 });
  source.pipe(request, { end: false });
  await once(source, 'end');
  request.end(tail);
  const [response] = await responded;
  let body = '';
  for await (const chunk of response) body += chunk;
  if (response.statusCode !== 201) throw new Error(`upload: ${response.statusCode} ${body}`);
  return JSON.parse(body);
}

async function deleteImage(baseUrl, cookie, id) {
  const response = await fetch(`${baseUrl}/api/images/${id}`, {
    method: 'DELETE',
    headers: { cookie },
  });
  if (response.status !== 204) throw new Error(`delete: ${response.status}`);
}

async function measureUpload({ quick, log }) {
  const bytes = 200 * MB;
  const rounds = quick ? 1 : 3;
  const dir = mkdtempSync(path.join(tmpdir(), 'gallery-bench-upload-'));
  try {
    const file = path.join(dir, 'big.jpg');
    const size = await writePaddedJpeg(file, bytes);
    const warmFile = path.join(dir, 'warm.jpg');
    const warmSize = await writePaddedJpeg(warmFile, 8 * MB);
    const dataDir = path.join(dir, 'data');
    // Started once before to create its database: the first start (initdb) leaves the
    // process with hundreds of MB more than any later one.
    await (await startApi(dataDir)).app.stop();
    const api = await startApi(dataDir, { MAX_UPLOAD_BYTES: String(256 * MB) });
    try {
      const startRss = await statusField(api.pid, 'VmRSS');
      // Once first, so that the code on the upload path is loaded before the baseline.
      const warm = await uploadFile(api.baseUrl, api.cookie, warmFile, warmSize, 'warm-up');
      await deleteImage(api.baseUrl, api.cookie, warm.id);
      const warmRss = await statusField(api.pid, 'VmRSS');
      const growth = [];
      const seconds = [];
      let peakFrom = 'VmHWM';
      for (let round = 0; round < rounds; round++) {
        const reset = await resetPeak(api.pid);
        const before = await statusField(api.pid, 'VmRSS');
        // Sampled too, in case the peak cannot be reset (and as a check on it).
        let sampled = before;
        const sampler = setInterval(() => {
          statusField(api.pid, 'VmRSS').then(
            (rss) => (sampled = Math.max(sampled, rss)),
            () => undefined,
          );
        }, 10);
        const started = performance.now();
        const image = await uploadFile(api.baseUrl, api.cookie, file, size, `big ${round}`);
        const elapsed = (performance.now() - started) / 1000;
        clearInterval(sampler);
        const hwm = await statusField(api.pid, 'VmHWM');
        const peak = reset ? Math.max(hwm, sampled) : sampled;
        if (!reset) peakFrom = 'VmRSS sampled every 10 ms';
        if (image.size !== size) throw new Error(`stored ${image.size} bytes, sent ${size}`);
        await deleteImage(api.baseUrl, api.cookie, image.id);
        growth.push((peak - before) / MB);
        seconds.push(elapsed);
        log(
          `upload ${round + 1}: ${elapsed.toFixed(1)} s, RSS ${(before / MB).toFixed(0)} → ` +
            `peak ${(peak / MB).toFixed(0)} MB (VmHWM ${(hwm / MB).toFixed(0)}, sampled ${(sampled / MB).toFixed(0)})`,
        );
      }
      // The worst round is the figure: the first one after the warm-up grows the heap to its
      // working size, later ones reuse it.
      const worst = Math.max(...growth);
      const rates = seconds.map((s) => size / MB / s);
      return {
        rows: [
          {
            metric: `upload of ${(size / MB).toFixed(0)} MB: API peak RSS growth, worst of ${rounds}`,
            value: worst,
            unit: 'MB',
            spread: `median ${summary(growth).median.toFixed(1)}, ${spreadText(summary(growth))}`,
            target: `≤ ${RSS_TARGET_MB}`,
            met: worst <= RSS_TARGET_MB,
          },
          {
            metric: '  upload time, to the 201',
            value: summary(seconds).median,
            unit: 's',
            spread: spreadText(summary(seconds)),
          },
          {
            metric: '  upload rate',
            value: summary(rates).median,
            unit: 'MB/s',
            spread: spreadText(summary(rates)),
          },
        ],
        notes: [
          `upload: a real 1200 × 900 JPEG padded with 64 KB comment segments to ${size} bytes, ` +
            `streamed from disk over loopback; peak from ${peakFrom}, reset before each round; ` +
            'the filesystem store writes the original to disk (flushed)',
          `upload: API RSS ${(startRss / MB).toFixed(0)} MB once started on its database, ` +
            `${(warmRss / MB).toFixed(0)} MB after an ${(warmSize / MB).toFixed(0)} MB ` +
            'warm-up upload',
        ],
      };
    } finally {
      await api.app.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function run({ quick, log }) {
  const list = await measureList({ quick, log });
  const upload = await measureUpload({ quick, log });
  return {
    name: '3. API',
    rows: [...list.rows, ...upload.rows],
    notes: [...list.notes, ...upload.notes],
  };
}

module.exports = { run };
