// 1. Thumbnail throughput: the thumbnail worker as it runs locally (its file queue, the
// filesystem store, the signed callback to the real API), against bare sharp doing the same
// work on the same files, and against ImageMagick making the same sizes.
//
// Worker (W): the built worker, started once and left running as it runs for real. Each round
// uploads the originals through the API, holds the events the API publishes until there is one
// per original, hands them to the idle worker at once, and times it from there to the last
// `image.updated` event with the thumbnails done. Its start-up is reported apart.
// Bare sharp (S): the worker's own steps (one decode, auto-orient, WebP at every width, the
// thumbhash) in a plain loop, as many renders at once as the worker runs, sharp set as the worker
// sets it (no cache, default concurrency), outputs written to files.
// ImageMagick (M): one `convert` per original, one after another, the 256 px output derived
// from the 1280 px one as the worker derives every size from one decoded bitmap.
const { execFile } = require('node:child_process');
const {
  existsSync,
  mkdtempSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} = require('node:fs');
const { readFile, writeFile } = require('node:fs/promises');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { promisify } = require('node:util');
const pLimit = require('p-limit');
const sharp = require('sharp');
const { alternate, summary } = require('../lib/stats.cjs');
const { spreadText } = require('../lib/report.cjs');
const {
  makePhoto,
  noiseImage,
  onImageUpdates,
  startBenchGallery,
  upload,
} = require('../lib/gallery.cjs');
const { WORKERS } = require('../../scripts/catalog.cjs');
const { startApp } = require('../../scripts/gallery-processes.cjs');

const execFileAsync = promisify(execFile);

/** As in apps/thumbnail-worker/src: widths, the tallest output per width, the thumbhash size. */
const WIDTHS = [256, 1280];
const MAX_HEIGHT_PER_WIDTH = 4;
const PLACEHOLDER_SIZE = 100;
/** libs/imaging's MAX_INPUT_PIXELS. */
const MAX_INPUT_PIXELS = 100_000_000;
/** sharp's WebP defaults, which the worker keeps; ImageMagick is given the same. */
const WEBP_QUALITY = 80;
const WEBP_EFFORT = 4;
/** apps/thumbnail-worker/src/local.ts: originals decoded at once. */
const WORKER_RENDERS = 4;

const CONVERT = '/usr/bin/convert';

/** A 4000 × 3000 PNG with detail (blurred noise): no shrink-on-load, a full decode every time. */
async function makeLargePng() {
  const noise = await noiseImage(4000, 3000, { r: 40, g: 128, b: 200 }, 30).png().toBuffer();
  return sharp(noise).blur(3).png().toBuffer();
}

/** The originals, written to `dir`: `photos` 12 MP JPEGs and one large PNG. */
async function makeInputs(dir, photos) {
  const made = await Promise.all([
    ...Array.from({ length: photos }, async (_, i) => ({
      name: `photo-${i}.jpg`,
      bytes: await makePhoto(i),
    })),
    (async () => ({ name: 'large.png', bytes: await makeLargePng() }))(),
  ]);
  return made.map(({ name, bytes }) => {
    const file = path.join(dir, name);
    writeFileSync(file, bytes);
    return { name, file, bytes };
  });
}

const boundingBox = (width) => ({
  width,
  height: width * MAX_HEIGHT_PER_WIDTH,
  fit: 'inside',
  withoutEnlargement: true,
});

/** The worker's renderThumbnails, step for step, writing its outputs under `outDir`. */
async function bareSharp(bytes, outDir, rgbaToThumbHash) {
  const image = sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'warning' });
  await image.metadata();
  const { data, info } = await image
    .autoOrient()
    .resize(boundingBox(Math.max(...WIDTHS)))
    .toColourspace('srgb')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  const raw = { width: info.width, height: info.height, channels: info.channels };
  const webp = (width) =>
    sharp(data, { raw })
      .resize(boundingBox(width))
      .webp({ quality: WEBP_QUALITY, effort: WEBP_EFFORT })
      .toBuffer({ resolveWithObject: true });
  const placeholder = async () => {
    const small = await sharp(data, { raw })
      .resize(PLACEHOLDER_SIZE, PLACEHOLDER_SIZE, { fit: 'inside', withoutEnlargement: true })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return rgbaToThumbHash(small.info.width, small.info.height, small.data);
  };
  const [outputs] = await Promise.all([Promise.all(WIDTHS.map(webp)), placeholder()]);
  await Promise.all(
    outputs.map((output, i) => writeFile(path.join(outDir, `${WIDTHS[i]}.webp`), output.data)),
  );
}

function freshDir(parent, name) {
  const dir = path.join(parent, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** S: images/s over every input. */
async function sharpRound(inputs, outRoot, rgbaToThumbHash) {
  const outDirs = inputs.map((_, i) => freshDir(outRoot, `sharp-${i}`));
  const started = performance.now();
  const limit = pLimit(WORKER_RENDERS);
  await Promise.all(
    inputs.map(({ file }, i) =>
      limit(async () => bareSharp(await readFile(file), outDirs[i], rgbaToThumbHash)),
    ),
  );
  return inputs.length / ((performance.now() - started) / 1000);
}

/** M: images/s over every input, one `convert` after another. */
async function magickRound(inputs, outRoot) {
  const outDirs = inputs.map((_, i) => freshDir(outRoot, `magick-${i}`));
  const [small, large] = WIDTHS;
  const geometry = (width) => `${width}x${width * MAX_HEIGHT_PER_WIDTH}>`;
  const started = performance.now();
  for (const [i, { file }] of inputs.entries()) {
    await execFileAsync(CONVERT, [
      file,
      '-auto-orient',
      '-thumbnail',
      geometry(large),
      '-quality',
      String(WEBP_QUALITY),
      '-define',
      `webp:method=${WEBP_EFFORT}`,
      '(',
      '+clone',
      '-thumbnail',
      geometry(small),
      '-write',
      path.join(outDirs[i], `${small}.webp`),
      '+delete',
      ')',
      path.join(outDirs[i], `${large}.webp`),
    ]);
  }
  return inputs.length / ((performance.now() - started) / 1000);
}

/**
 * Watches `image.updated` for thumbnails: `done(id)` resolves with the wall-clock time (ms) the
 * image was first seen with its thumbnails done, and rejects if they failed.
 */
async function watchThumbnails(gallery) {
  const seen = new Map();
  const entry = (id) => {
    if (!seen.has(id)) {
      let settle;
      const promise = new Promise((resolve, reject) => (settle = { resolve, reject }));
      promise.catch(() => undefined);
      seen.set(id, { promise, ...settle });
    }
    return seen.get(id);
  };
  const stream = await onImageUpdates(gallery, (image) => {
    const at = Date.now();
    if (image.status.thumbnail === 'done') entry(image.id).resolve(at);
    if (image.status.thumbnail === 'failed') {
      entry(image.id).reject(new Error(`thumbnails of ${image.id} failed`));
    }
  });
  return {
    done: (id) => entry(id).promise,
    close: stream.close,
  };
}

/** Resolves with the message files in `dir` once it holds `count` of them. */
async function untilFiles(dir, count, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let files = [];
    try {
      files = readdirSync(dir).filter((name) => name.endsWith('.json'));
    } catch {
      // Not made yet: nothing published so far.
    }
    if (files.length >= count) return files;
    if (Date.now() > deadline) throw new Error(`only ${files.length} of ${count} files in ${dir}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function timeout(ms, what) {
  return new Promise((_, reject) =>
    setTimeout(() => reject(new Error(`${what}: no result in ${ms} ms`)), ms).unref(),
  );
}

/**
 * The thumbnail worker, started once and left running as it runs for real, on a queue directory
 * of its own (QUEUE_DIR) that the API does not publish to: the API's events for a round are held
 * in its `thumbnails` queue until they are all there, then handed over at once.
 */
async function startWorker(gallery) {
  const queueDir = path.join(gallery.dataDir, 'bench', 'thumbnails');
  const lines = [];
  const spawnedAt = performance.now();
  const worker = startApp('thumbnail-worker', {
    env: {
      DATA_DIR: gallery.dataDir,
      API_URL: gallery.baseUrl,
      QUEUE_DIR: queueDir,
      LOG_LEVEL: 'warn',
    },
    onLine: (_app, line) => lines.push(line),
  });
  // gallery.stop() stops it with the API.
  gallery.apps['thumbnail-worker'] = worker;
  const exited = worker.exited.then(([code]) => {
    throw new Error(`thumbnail worker exited (${code}):\n${lines.slice(-20).join('\n')}`);
  });
  exited.catch(() => undefined);
  // The queue's directories are made by its first receive: the worker is polling.
  const polling = (async () => {
    while (!existsSync(path.join(queueDir, 'ready'))) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  await Promise.race([polling, exited, timeout(60_000, 'worker start')]);
  return { queueDir, exited, startupMs: performance.now() - spawnedAt };
}

/**
 * W: uploads every input, waits until the API has queued an event for each, hands them all to
 * the idle worker at once (a rename of each message file into its queue's `ready/`, as the API's
 * publisher delivers them), and times it from there to the last `image.updated` event with the
 * thumbnails done.
 */
async function workerRound(gallery, watch, worker, inputs, round) {
  const ids = [];
  for (const { name, bytes } of inputs) {
    ids.push((await upload(gallery, `round ${round} ${name}`, bytes)).id);
  }
  const published = path.join(gallery.dataDir, 'queues', 'thumbnails', 'ready');
  const files = await untilFiles(published, ids.length);
  const handedOverAt = Date.now();
  for (const file of files) {
    renameSync(path.join(published, file), path.join(worker.queueDir, 'ready', file));
  }
  const doneAt = await Promise.race([
    Promise.all(ids.map((id) => watch.done(id))),
    worker.exited,
    timeout(300_000, 'thumbnails'),
  ]);
  return ids.length / ((Math.max(...doneAt) - handedOverAt) / 1000);
}

/** Every worker the gallery started, so that only the measured one runs. */
async function stopBackgroundWorkers(gallery) {
  await Promise.all(WORKERS.map((name) => gallery.apps[name].stop()));
  for (const name of WORKERS) delete gallery.apps[name];
}

const rateRow = (metric, values) => ({
  metric,
  value: summary(values).median,
  unit: 'images/s',
  spread: spreadText(summary(values)),
});

const ratioRow = (metric, ratios, target) => {
  const { median } = summary(ratios);
  return {
    metric,
    value: median,
    unit: '×',
    spread: spreadText(summary(ratios)),
    target: `≥ ${target}`,
    met: median >= target,
  };
};

async function run({ quick, log }) {
  const photos = quick ? 3 : 8;
  const rounds = quick ? 2 : 7;
  const work = mkdtempSync(path.join(tmpdir(), 'gallery-bench-thumbnails-'));
  // The worker's settings (libs/imaging configureSharp): no cache, sharp's default concurrency.
  sharp.cache(false);
  const { rgbaToThumbHash } = await import('thumbhash');
  // The tags queue gets nothing: only the thumbnail worker's work is measured.
  const gallery = await startBenchGallery({ env: { QUEUES: 'thumbnails' } });
  try {
    await stopBackgroundWorkers(gallery);
    const inputs = await makeInputs(freshDir(work, 'in'), photos);
    const outRoot = freshDir(work, 'out');
    log(`${inputs.length} originals made (${photos} JPEGs 4000 × 3000, one PNG 4000 × 3000)`);
    const watch = await watchThumbnails(gallery);
    try {
      const worker = await startWorker(gallery);
      let workerRounds = 0;
      const workerSide = () => workerRound(gallery, watch, worker, inputs, workerRounds++);
      const sharpSide = () => sharpRound(inputs, outRoot, rgbaToThumbHash);
      // A first round of each, not counted: files in the page cache, code paths warm.
      await workerSide();
      await sharpSide();

      const withSharp = await alternate(rounds, workerSide, sharpSide);
      log(`worker / bare sharp: ${withSharp.ratios.map((r) => r.toFixed(2)).join(', ')}`);
      const withMagick = await alternate(rounds, workerSide, () => magickRound(inputs, outRoot));
      log(`worker / ImageMagick: ${withMagick.ratios.map((r) => r.toFixed(2)).join(', ')}`);

      const workerRates = [...withSharp.a, ...withMagick.a];
      const workerImagesPerSecond = summary(workerRates).median;
      return {
        name: '1. Thumbnail throughput',
        workerImagesPerSecond,
        rows: [
          rateRow('W: thumbnail worker (file queue, fs store, API callback)', workerRates),
          rateRow(`S: bare sharp, same steps, ${WORKER_RENDERS} at once`, withSharp.b),
          rateRow('M: ImageMagick convert, one image after another', withMagick.b),
          ratioRow('W ÷ S', withSharp.ratios, 0.9),
          ratioRow('W ÷ M', withMagick.ratios, 3.5),
          {
            metric: 'worker start-up (spawn → first poll of its queue), once',
            value: worker.startupMs,
            unit: 'ms',
          },
        ],
        notes: [
          `each round: ${photos} 12 MP JPEGs (blurred noise) and one 4000 × 3000 PNG → WebP 256 and 1280 px wide (q ${WEBP_QUALITY}, effort ${WEBP_EFFORT}) and a thumbhash (W, S)`,
          `${rounds} alternating rounds per pair after one warm-up round of W and S; W timed from the hand-over of a round's events to its idle worker (which wakes on their arrival) to the last thumbnails event`,
        ],
      };
    } finally {
      watch.close();
    }
  } finally {
    sharp.cache(true);
    await gallery.stop();
    rmSync(work, { recursive: true, force: true });
    rmSync(gallery.dataDir, { recursive: true, force: true });
  }
}

module.exports = { run };
