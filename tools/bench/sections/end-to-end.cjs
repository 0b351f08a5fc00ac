// 2. End to end on the embedded defaults, every processor of the catalog running: from an
// upload's 201 to the `image.updated` event with each processor's result, over uploads one
// after another; then a burst of uploads at once, as images completed per second, compared
// with section 1's thumbnail worker alone.
const pLimit = require('p-limit');
const { percentile, summary } = require('../lib/stats.cjs');
const { spreadText } = require('../lib/report.cjs');
const { makePhoto, startBenchGallery, upload, watchResults } = require('../lib/gallery.cjs');
const { CATALOG } = require('../../scripts/catalog.cjs');

/** p95 targets, ms: thumbnails and tags with every processor running beside them. */
const TARGETS = { thumbnail: 300, tags: 500 };

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

    const latencies = Object.fromEntries(CATALOG.map(({ name }) => [name, []]));
    for (let i = 0; i < sequential; i++) {
      const created = await upload(gallery, `one-by-one ${i}`, photos[i % PHOTOS]);
      const times = await watch.done(created.id);
      for (const { name } of CATALOG) latencies[name].push(times[name] - created.at);
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
    const lastDone = Math.max(...finished.map((times) => Math.max(...Object.values(times))));
    const lastThumbnail = Math.max(...finished.map((times) => times.thumbnail));
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
        ...(target !== undefined && { target: `≤ ${target}`, met: p95 <= target }),
      };
    };
    return {
      name: '2. End to end (embedded defaults)',
      rows: [
        ...CATALOG.map(({ name }) =>
          latencyRow(
            `upload 201 → ${name} event, p95 of ${sequential} (${CATALOG.length} processors running)`,
            latencies[name],
            TARGETS[name],
          ),
        ),
        {
          metric: `burst of ${burst} (${BURST_IN_FLIGHT} in flight): images done, every processor`,
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
