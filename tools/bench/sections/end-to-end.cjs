// 2. End to end on the embedded defaults: from an upload's 201 to the `image.updated` event
// with its thumbnails, and to the one with its tags, over uploads one after another; then a
// burst of uploads at once, as images completed per second, compared with section 1's
// thumbnail worker alone.
const pLimit = require('p-limit');
const { percentile, summary } = require('../lib/stats.cjs');
const { spreadText } = require('../lib/report.cjs');
const { makePhoto, startBenchGallery, upload, watchResults } = require('../lib/gallery.cjs');

/** Distinct photos, cycled: making a 12 MP JPEG costs more than uploading it. */
const PHOTOS = 10;
const BURST_IN_FLIGHT = 8;

async function run({ quick, results, log }) {
  const sequential = quick ? 5 : 50;
  const burst = quick ? 10 : 100;
  const photos = [];
  for (let i = 0; i < PHOTOS; i++) photos.push(await makePhoto(i));
  const gallery = await startBenchGallery();
  try {
    const watch = await watchResults(gallery);
    // One upload first, so that the detector's model load is not counted as latency.
    const warm = await upload(gallery, 'warm-up', photos[0]);
    await watch.done(warm.id);

    const thumbnails = [];
    const tags = [];
    for (let i = 0; i < sequential; i++) {
      const created = await upload(gallery, `one-by-one ${i}`, photos[i % PHOTOS]);
      const times = await watch.done(created.id);
      thumbnails.push(times.thumbnailAt - created.at);
      tags.push(times.tagsAt - created.at);
    }
    log(`${sequential} uploads one after another done`);

    const started = performance.now();
    const limit = pLimit(BURST_IN_FLIGHT);
    const ids = await Promise.all(
      Array.from({ length: burst }, (_, i) =>
        limit(async () => (await upload(gallery, `burst ${i}`, photos[i % PHOTOS])).id),
      ),
    );
    const finished = await Promise.all(ids.map((id) => watch.done(id, 600_000)));
    const lastDone = Math.max(
      ...finished.map((times) => Math.max(times.thumbnailAt, times.tagsAt)),
    );
    const lastThumbnail = Math.max(...finished.map((times) => times.thumbnailAt));
    const burstRate = burst / ((lastDone - started) / 1000);
    const burstThumbnailRate = burst / ((lastThumbnail - started) / 1000);
    const workerRate = results.thumbnails?.workerImagesPerSecond;
    const ratioToWorker = (metric, rate) =>
      workerRate === undefined
        ? { metric, value: 'n/a', unit: '' }
        : { metric, value: rate / workerRate, unit: '×' };

    const latencyRow = (metric, values, target) => {
      const p95 = percentile(values, 95);
      return {
        metric,
        value: Math.round(p95),
        unit: 'ms',
        spread: `p50 ${Math.round(percentile(values, 50))}, ${spreadText(summary(values))}`,
        target: `≤ ${target}`,
        met: p95 <= target,
      };
    };
    return {
      name: '2. End to end (embedded defaults)',
      rows: [
        latencyRow(`upload 201 → thumbnails event, p95 of ${sequential}`, thumbnails, 500),
        latencyRow(`upload 201 → tags event, p95 of ${sequential}`, tags, 1500),
        {
          metric: `burst of ${burst} (${BURST_IN_FLIGHT} in flight): images done, both processors`,
          value: burstRate,
          unit: 'images/s',
        },
        {
          metric: `burst of ${burst}: thumbnails done`,
          value: burstThumbnailRate,
          unit: 'images/s',
        },
        ratioToWorker('burst thumbnails ÷ thumbnail worker alone (section 1)', burstThumbnailRate),
        ratioToWorker('burst images ÷ thumbnail worker alone (section 1)', burstRate),
      ],
      notes: [
        `latency values: p95 with p50, min, max; ${PHOTOS} distinct 12 MP JPEGs cycled; one warm-up upload not counted`,
      ],
    };
  } finally {
    await gallery.stop();
  }
}

module.exports = { run };
