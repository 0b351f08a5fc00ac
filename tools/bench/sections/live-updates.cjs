// 5. Live updates over two API instances on one PostgreSQL, the way a deployment runs them:
// (a) how long a change made through one instance takes to reach every open event stream on
//     both, and that each stream gets each change once;
// (b) what an open, idle stream costs an instance in memory;
// (c) how fast a client that was away catches up from the change feed with Last-Event-ID.
// The bench plays the worker: it signs and sends the callbacks itself, so no worker runs.
const { randomUUID } = require('node:crypto');
const { mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { readFile } = require('node:fs/promises');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');
const pLimit = require('p-limit');
const { signRequest } = require('../../../libs/api-client/src/signature.ts');
const { startApp } = require('../../scripts/gallery-processes.cjs');
const { startPostgresServer } = require('../../../libs/postgres-server/src/index.ts');
const { openEventStream } = require('../lib/event-streams.cjs');
const { makePhoto, upload } = require('../lib/gallery.cjs');
const { spreadText } = require('../lib/report.cjs');
const { percentile, summary } = require('../lib/stats.cjs');

const PASSWORD = 'bench-password';
const TARGET_P95_MS = 100;
/** Rounds sent before the measured ones: the first events through every stream compile code. */
const WARM_UP_ROUNDS = 3;
const ROUND_PAUSE_MS = 100;
const ROUND_TIMEOUT_MS = 10_000;
/** How long the open streams sit idle before their instance's memory is read. */
const IDLE_MS = 2_000;
/** Streams opening at once: each start reads the feed's position from the database. */
const OPENING_IN_FLIGHT = 50;
const REPLAYED_CHANGES = 1_000;
const REPLAY_TIMEOUT_MS = 60_000;
/** Linux's clock tick, in which /proc/<pid>/stat counts CPU time. */
const TICK_MS = 10;
const KB = 1024;
const MB = 1024 * KB;

/** Starts the built API on a free port; resolves once it says where it listens. */
async function startApi(label, env) {
  let announce;
  const announced = new Promise((resolve) => (announce = resolve));
  // Anything else it prints (at LOG_LEVEL=warn: warnings and errors) is reported.
  const output = [];
  const app = startApp('api', {
    env: { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', SHUTDOWN_DRAIN_SECONDS: '0', ...env },
    onLine: (_name, line) => {
      const url = /running at (http:\S+)/.exec(line)?.[1];
      if (url) announce(url);
      else output.push(line);
    },
  });
  const baseUrl = await Promise.race([
    announced,
    app.exited.then(([code]) => {
      throw new Error(`api ${label} exited with code ${code}:\n${output.join('\n')}`);
    }),
  ]);
  // The figures are the API's own: the child must be node running the bundle, not a wrapper.
  const commandLine = await readFile(`/proc/${app.child.pid}/cmdline`, 'utf8');
  if (!commandLine.includes('dist/apps/api/main.js')) {
    throw new Error(`api ${label}: pid ${app.child.pid} is not the API (${commandLine})`);
  }
  return { label, app, baseUrl, pid: app.child.pid, output };
}

async function logIn(baseUrl) {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: PASSWORD }),
  });
  if (response.status !== 200) throw new Error(`login: ${response.status}`);
  return response.headers.get('set-cookie').split(';')[0];
}

const rssOf = async (pid) => {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)[1]) * KB;
};

/** User and system CPU time of a process so far, ms. */
const cpuOf = async (pid) => {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command, which may hold spaces: utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
};

/**
 * A metadata worker's report with a different result each time (the ISO speed): a report
 * equal to the last one changes nothing and appends no change.
 */
async function metadataCallback(baseUrl, secret, imageId, round) {
  const body = JSON.stringify({ status: 'done', imageId, eventId: randomUUID(), iso: 100 + round });
  const headers = { 'content-type': 'application/json', ...(await signRequest(secret, body)) };
  return {
    /** Sends it; resolves with the time it took to the response. */
    async send() {
      const started = performance.now();
      const response = await fetch(`${baseUrl}/internal/images/${imageId}/metadata`, {
        method: 'PUT',
        headers,
        body,
      });
      await response.arrayBuffer();
      if (response.status !== 204) throw new Error(`callback: ${response.status}`);
      return performance.now() - started;
    },
  };
}

async function rename(baseUrl, cookie, imageId, name) {
  const response = await fetch(`${baseUrl}/api/images/${imageId}`, {
    method: 'PATCH',
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`rename: ${response.status}`);
}

/**
 * Who got which change when, over every open stream: per change number, the first and last
 * arrival and how many streams have it; per stream, the numbers it got; receipts of a number
 * a stream already had are counted as duplicates.
 */
function trackDeliveries(imageId) {
  const changes = new Map();
  let streams = 0;
  let duplicates = 0;
  let waiter = null;
  const check = () => {
    const change = waiter && changes.get(waiter.seq);
    if (change?.count === streams) waiter.resolve(change);
  };
  return {
    /** A stream's `onEvent`; `opened` resolves with the number its first line gives. */
    stream(instance) {
      const seen = new Set();
      streams += 1;
      let ready;
      const opened = new Promise((resolve) => (ready = resolve));
      const onEvent = ({ seq, type, block, at }) => {
        if (type === undefined) return ready(seq);
        if (type !== 'image.updated') return;
        if (seen.has(seq)) {
          duplicates += 1;
          return;
        }
        seen.add(seq);
        let change = changes.get(seq);
        if (!change) {
          change = { seq, first: at, last: {}, count: 0, forImage: block.includes(imageId) };
          changes.set(seq, change);
          // The round's change is the first one for the image numbered after the last round's.
          if (waiter && waiter.seq === null && seq > waiter.after && change.forImage) {
            waiter.seq = seq;
          }
        }
        change.count += 1;
        change.last[instance] = at;
        check();
      };
      return { onEvent, opened, seen };
    },
    /**
     * The first change for the image after `after`, once every stream has it; when time runs
     * out first, `complete` is false (and `change` null if no stream got it at all).
     */
    next(after) {
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          const change = waiter.seq === null ? null : changes.get(waiter.seq);
          waiter = null;
          resolve({ change, complete: false });
        }, ROUND_TIMEOUT_MS);
        waiter = {
          after,
          seq: null,
          resolve: (change) => {
            clearTimeout(timer);
            waiter = null;
            resolve({ change, complete: true });
          },
        };
      });
    },
    duplicates: () => duplicates,
  };
}

/** Opens `count` streams, alternately on each instance, and waits until each is live. */
async function openStreams(instances, cookie, count, tracker) {
  const limit = pLimit(OPENING_IN_FLIGHT);
  return Promise.all(
    Array.from({ length: count }, (_, i) =>
      limit(async () => {
        const instance = instances[i % instances.length];
        const tracked = tracker.stream(instance.label);
        const stream = await openEventStream(instance.baseUrl, cookie, tracked);
        const live = await tracked.opened;
        return { ...stream, ...tracked, live };
      }),
    ),
  );
}

/** The number of the last change, as a new stream's first line gives it. */
async function lastChange(instance, cookie) {
  let first;
  const opened = new Promise((resolve) => (first = resolve));
  const stream = await openEventStream(instance.baseUrl, cookie, {
    onEvent: ({ seq }) => first(seq),
  });
  const seq = await opened;
  stream.close();
  return seq;
}

/**
 * Makes `REPLAYED_CHANGES` renames through `writer` while no stream is open, then opens one on
 * `reader` with Last-Event-ID: the time from the request to the last replayed event, and
 * whether the numbers were exactly the expected ones, in order.
 */
async function replayOnce(writer, reader, cookie, imageId, repetition) {
  const before = await lastChange(reader, cookie);
  for (let i = 0; i < REPLAYED_CHANGES; i++) {
    await rename(writer.baseUrl, cookie, imageId, `replay ${repetition}.${i}`);
  }
  const got = [];
  let done;
  const complete = new Promise((resolve) => (done = resolve));
  const started = performance.now();
  const stream = await openEventStream(reader.baseUrl, cookie, {
    lastEventId: before,
    onEvent: ({ seq, type, at }) => {
      got.push(type === 'image.updated' ? seq : NaN);
      if (got.length === REPLAYED_CHANGES) done(at);
    },
  });
  try {
    const arrived = await Promise.race([
      complete,
      stream.ended.then(() => null),
      sleep(REPLAY_TIMEOUT_MS, null),
    ]);
    const exact =
      arrived !== null &&
      got.length === REPLAYED_CHANGES &&
      got.every((seq, i) => seq === before + 1 + i);
    return { ms: arrived === null ? null : arrived - started, exact, received: got.length };
  } finally {
    stream.close();
  }
}

/**
 * Sends `WARM_UP_ROUNDS + rounds` callbacks through `writer`, one at a time: for each measured
 * one, the time from sending it to its change's arrival on the last stream (and on the first,
 * and on each instance's last), the callback's own time, and the CPU every process spent.
 */
async function measureRounds({ writer, instances, secret, imageId, tracker, streams, rounds }) {
  let after = Math.max(...streams.map(({ live }) => live));
  const times = { last: [], first: [], callback: [], A: [], B: [] };
  const measured = [];
  let incomplete = 0;
  const cpuBefore = await Promise.all(instances.map(({ pid }) => cpuOf(pid)));
  const benchBefore = process.cpuUsage();
  for (let round = 0; round < WARM_UP_ROUNDS + rounds; round++) {
    if (round > 0) await sleep(ROUND_PAUSE_MS);
    const callback = await metadataCallback(writer.baseUrl, secret, imageId, round);
    const next = tracker.next(after);
    const started = performance.now();
    const callbackMs = await callback.send();
    const { change, complete } = await next;
    if (change === null) throw new Error(`round ${round}: no stream got the change`);
    after = change.seq;
    if (round < WARM_UP_ROUNDS) continue;
    measured.push(change.seq);
    if (!complete) {
      incomplete += 1;
      continue;
    }
    times.last.push(Math.max(...Object.values(change.last)) - started);
    times.first.push(change.first - started);
    times.callback.push(callbackMs);
    for (const [instance, at] of Object.entries(change.last)) times[instance].push(at - started);
  }
  const bench = process.cpuUsage(benchBefore);
  const cpuAfter = await Promise.all(instances.map(({ pid }) => cpuOf(pid)));
  // Late or repeated deliveries would still be on their way.
  await sleep(500);
  const missing = streams.reduce(
    (sum, { seen }) => sum + measured.filter((seq) => !seen.has(seq)).length,
    0,
  );
  const total = WARM_UP_ROUNDS + rounds;
  return {
    times,
    missing,
    incomplete,
    duplicates: tracker.duplicates(),
    // Per round, ms; the pause between rounds is idle for all three.
    cpu: {
      bench: (bench.user + bench.system) / 1000 / total,
      ...Object.fromEntries(
        instances.map(({ label }, i) => [label, (cpuAfter[i] - cpuBefore[i]) / total]),
      ),
    },
  };
}

const latencyRow = (metric, values, target) => {
  const p = (n) => percentile(values, n);
  const value = target === undefined ? p(50) : p(95);
  return {
    metric,
    value,
    unit: 'ms',
    spread: `p50 ${p(50).toFixed(1)}, p95 ${p(95).toFixed(1)}, ${spreadText(summary(values))}`,
    ...(target !== undefined && { target: `≤ ${target}`, met: value <= target }),
  };
};

async function run({ quick, log }) {
  const streamCount = quick ? 100 : 1_000;
  const rounds = quick ? 10 : 50;
  const replays = quick ? 2 : 5;
  // Per instance a pool of ten and a listener, and the bench's streams use none: 100 is ample.
  const postgres = await startPostgresServer({ maxConnections: 100 });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gallery-bench-live-'));
  const instances = [];
  let streams = [];
  try {
    const env = { DATABASE_URL: postgres.url, DATA_DIR: dataDir, ADMIN_PASSWORD: PASSWORD };
    // One after the other: the first migrates the database and writes the callback secrets.
    instances.push(await startApi('A', env));
    instances.push(await startApi('B', env));
    const [a, b] = instances;
    const secret = readFileSync(path.join(dataDir, 'secrets', 'metadata.secret'), 'utf8').trim();
    // Sessions live in the database: one cookie works on both instances.
    const cookie = await logIn(a.baseUrl);
    const photo = await makePhoto(0, 64, 48);
    const { id: imageId } = await upload({ baseUrl: a.baseUrl, cookie }, 'live', photo);

    // Warm-up, no stream left open: the callback path, the feed and the stream route have run.
    for (let i = 0; i < WARM_UP_ROUNDS; i++) {
      await (await metadataCallback(a.baseUrl, secret, imageId, -1 - i)).send();
    }
    for (const instance of instances) {
      for (let i = 0; i < 10; i++) await lastChange(instance, cookie);
    }
    await sleep(IDLE_MS);
    const rssBefore = await Promise.all(instances.map(({ pid }) => rssOf(pid)));

    const tracker = trackDeliveries(imageId);
    const opening = performance.now();
    streams = await openStreams(instances, cookie, streamCount, tracker);
    const openSeconds = (performance.now() - opening) / 1000;
    log(`${streamCount} streams open in ${openSeconds.toFixed(1)} s`);
    await sleep(IDLE_MS);
    const rssAfter = await Promise.all(instances.map(({ pid }) => rssOf(pid)));

    const live = await measureRounds({
      writer: a,
      instances,
      secret,
      imageId,
      tracker,
      streams,
      rounds,
    });
    log(`${rounds} rounds done`);
    for (const stream of streams) stream.close();
    streams = [];

    const replayed = [];
    for (let i = 0; i < replays; i++) {
      const replay = await replayOnce(a, b, cookie, imageId, i);
      if (!replay.exact) log(`replay ${i}: ${replay.received} events, not the expected ones`);
      replayed.push(replay);
    }
    log(`${replays} replays done`);
    const replayTimes = replayed.filter(({ ms }) => ms !== null).map(({ ms }) => ms);
    const exact = replayed.filter((replay) => replay.exact).length;

    const perStream = instances.map(
      (_, i) => (rssAfter[i] - rssBefore[i]) / KB / (streamCount / instances.length),
    );
    const mb = (bytes) => (bytes / MB).toFixed(0);
    const output = instances.flatMap(({ label, output }) =>
      output.map((line) => `${label}: ${line}`),
    );
    for (const line of output) log(line);
    return {
      name: '6. Live updates over two API instances (PostgreSQL)',
      rows: [
        latencyRow(
          `callback to A → event on the last of ${streamCount} streams, p95 of ${rounds}`,
          live.times.last,
          TARGET_P95_MS,
        ),
        latencyRow('  same, p50', live.times.last),
        latencyRow('  callback → event on the first stream, p50', live.times.first),
        latencyRow("  callback → last of A's streams, p50", live.times.A),
        latencyRow("  callback → last of B's streams, p50", live.times.B),
        latencyRow('  callback response time, p50', live.times.callback),
        {
          metric: `  events missing (${streamCount} streams × ${rounds} rounds)`,
          value: live.missing,
          unit: '',
          spread: `rounds incomplete after ${ROUND_TIMEOUT_MS / 1000} s: ${live.incomplete}`,
          target: '= 0',
          met: live.missing === 0,
        },
        {
          metric: '  events received twice',
          value: live.duplicates,
          unit: '',
          target: '= 0',
          met: live.duplicates === 0,
        },
        ...instances.map(({ label }, i) => ({
          metric: `memory per open idle stream, instance ${label}`,
          value: perStream[i],
          unit: 'KB',
          spread: `RSS ${mb(rssBefore[i])} → ${mb(rssAfter[i])} MB`,
        })),
        {
          metric: `replay of ${REPLAYED_CHANGES} changes (Last-Event-ID on B): to the last event`,
          value: replayTimes.length > 0 ? summary(replayTimes).median : 'n/a',
          unit: 'ms',
          spread: replayTimes.length > 0 ? spreadText(summary(replayTimes)) : '',
        },
        {
          metric: '  replays with exactly the expected ids, in order',
          value: `${exact} of ${replays}`,
          unit: '',
          target: 'all',
          met: exact === replays,
        },
      ],
      notes: [
        `live: ${streamCount} streams, half on each instance, one socket each, opened in ` +
          `${openSeconds.toFixed(1)} s; each round one signed metadata callback to A with a new ` +
          `result, ${WARM_UP_ROUNDS} warm-up rounds not counted, ${ROUND_PAUSE_MS} ms between rounds`,
        `live: CPU per round: bench ${live.cpu.bench.toFixed(1)} ms, API A ` +
          `${live.cpu.A.toFixed(1)} ms, API B ${live.cpu.B.toFixed(1)} ms`,
        `memory: RSS read from /proc after ${IDLE_MS / 1000} s idle; A ${mb(rssBefore[0])} → ` +
          `${mb(rssAfter[0])} MB, B ${mb(rssBefore[1])} → ${mb(rssAfter[1])} MB`,
        `replay: ${REPLAYED_CHANGES} renames through A while no stream is open, then one stream ` +
          'on B asks for the changes after the last number it had seen',
        ...(output.length > 0
          ? [`the APIs printed ${output.length} lines (warnings, errors)`]
          : []),
      ],
    };
  } finally {
    for (const stream of streams) stream.close();
    for (const instance of instances.reverse()) await instance.app.stop();
    await postgres.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

module.exports = { run };
