// 4. Lambda packages: each worker's zip as `nx run-many -t package` makes it (run.cjs packages
// them before any section) and the sharp layer (`nx run tools:lambda-manifest`, run here), their
// sizes, and each cold start measured in the unpacked package as Lambda runs it, the layer
// unzipped as /opt and on NODE_PATH (whole Node processes, spawn to exit): the module's init,
// beside it `require('sharp')` alone from that /opt, init minus that (the worker's own code),
// what the handler sets up at its first event instead (the AWS SDK and its clients), and init
// with --enable-source-maps (off as deployed). The same measurement as
// `nx run tools:lambda:measure` (tools/package/measure-lambda.cjs). Then what a deploy uploads
// after a change to one worker, measured in a copy of the workspace
// (tools/package/measure-upload.cjs).
const { execFileSync } = require('node:child_process');
const { loadavg } = require('node:os');
const path = require('node:path');
const { spreadText } = require('../lib/report.cjs');
const { summary } = require('../lib/stats.cjs');
const {
  INIT_TARGET_MS,
  OWN_INIT_TARGET_MS,
  firstEventCost,
  measureLambdas,
  ownInitBase,
  ownInitCost,
} = require('../../package/measure-lambda.cjs');
const {
  UPLOAD_TARGET_MB,
  listed,
  measureUploadAfterChange,
} = require('../../package/measure-upload.cjs');

const workspaceRoot = path.resolve(__dirname, '../../..');

/** The worker whose change the upload figure follows. */
const CHANGED_WORKER = 'tags-worker';

/** Before the sharp layer: one worker's zip with sharp's binaries in it (BENCHMARKS.md). */
const UPLOAD_BEFORE_MB = 9.2;

const msRow = (metric, values, extra = {}) => {
  const { median } = summary(values);
  return {
    metric,
    value: Math.round(median),
    unit: 'ms',
    spread: spreadText(summary(values)),
    ...extra,
  };
};

/**
 * One runtime's rows; `label` names the runtime in each metric when two are compared. The init
 * target is the deployed runtime's (`withTarget`), not a baseline's.
 */
function runtimeRows(result, label = '', { withTarget = true } = {}) {
  const rows = [];
  const targetOf = (values, limit) => {
    const { median } = summary(values);
    return withTarget ? { target: `≤ ${limit}`, met: median <= limit } : {};
  };
  for (const fn of result.functions) {
    const own = ownInitCost(result, fn);
    rows.push(
      msRow(
        `${fn.name}: cold init, require('./index.js')${label}`,
        fn.init,
        targetOf(fn.init, INIT_TARGET_MS),
      ),
      msRow(
        `${fn.name}: cold init − ${ownInitBase(fn)}, per round${label}`,
        own,
        targetOf(own, OWN_INIT_TARGET_MS),
      ),
      msRow(`${fn.name}: cold init, CPU time (user + system)${label}`, fn.cpu.init),
      msRow(`${fn.name}: first event's set-up (empty batch − init)${label}`, firstEventCost(fn)),
      msRow(
        `${fn.name}: first event's set-up, CPU time${label}`,
        firstEventCost(fn, { cpu: true }),
      ),
      msRow(`${fn.name}: cold init, with --enable-source-maps${label}`, fn.sourceMaps),
    );
  }
  rows.push(
    msRow(`node -e "" (the runtime alone)${label}`, result.bare),
    msRow(`node -e "" (the runtime alone), CPU time${label}`, result.cpu.bare),
    ...(result.sharp.length > 0
      ? [
          msRow(`require('sharp') alone, from the layer as /opt${label}`, result.sharp),
          msRow(`require('sharp') alone, CPU time${label}`, result.cpu.sharp),
        ]
      : []),
  );
  return rows;
}

/** Per function, this runtime's cold init over the baseline's, round by round. */
const initRatioRows = (result) =>
  result.functions.map((fn, i) => {
    const ratios = fn.init.map((ms, round) => ms / result.baseline.functions[i].init[round]);
    return {
      metric: `${fn.name}: cold init, node ${result.node} ÷ ${result.baseline.node}`,
      value: summary(ratios).median,
      unit: '×',
      spread: spreadText(summary(ratios)),
    };
  });

/** The manifest with the sharp layer: run.cjs packages the workers only. */
function packageLayer() {
  execFileSync('npx', ['nx', 'run', 'tools:lambda-manifest', '--output-style=static'], {
    cwd: workspaceRoot,
    env: { ...process.env, NX_TUI: 'false' },
    stdio: ['ignore', 2, 2],
  });
}

async function run({ quick, log, baselineNode }) {
  const runs = quick ? 3 : 10;
  packageLayer();
  const loadBefore = loadavg()[0];
  const result = measureLambdas({ runs, log, baselineNode });
  const loadAfter = loadavg()[0];
  const upload = measureUploadAfterChange({ worker: CHANGED_WORKER, log });
  const uploadMb = upload.bytes / 1e6;
  const { baseline } = result;
  const label = (node) => (baseline ? ` (node ${node})` : '');
  return {
    name: '4. Lambda packages',
    rows: [
      ...result.functions.map((fn) => ({
        metric: `${fn.name}: zip size`,
        value: fn.size / 1e6,
        unit: 'MB',
      })),
      ...(result.layer
        ? [
            {
              metric: `${result.layer.name} layer: zip size`,
              value: result.layer.size / 1e6,
              unit: 'MB',
            },
          ]
        : []),
      {
        metric: `a deploy after a change to ${CHANGED_WORKER}: bytes uploaded`,
        value: uploadMb,
        unit: 'MB',
        target: `≤ ${UPLOAD_TARGET_MB}`,
        met: uploadMb <= UPLOAD_TARGET_MB,
      },
      ...runtimeRows(result, label(result.node)),
      ...(baseline
        ? [
            ...runtimeRows(baseline, label(baseline.node), { withTarget: false }),
            ...initRatioRows(result),
          ]
        : []),
    ],
    notes: [
      `node ${result.node}${baseline ? ` beside node ${baseline.node} (--baseline-node), alternating by round` : ''}; ` +
        'whole processes, spawn to exit; probes alternate within each round',
      'init reads and checks the configuration and loads sharp from the layer; the AWS SDK, ' +
        'its clients and the worker modules load at the first event (the set-up row); SQS and ' +
        'SSM only when a record is dead-lettered or the secret is read from SSM',
      'cold init − require(\'sharp\') (− node -e "" for a worker without the sharp layer) is ' +
        "the worker's own code, taken round by round",
      `bytes uploaded: ${upload.changed} changed in a copy of the workspace, everything ` +
        `packaged again without Nx's cache; keys changed: ${listed(upload.uploaded)}; ` +
        `unchanged: ${listed(upload.unchanged)}; before the sharp layer about ` +
        `${UPLOAD_BEFORE_MB} MB (the worker's zip carried sharp)`,
      `load average ${loadBefore.toFixed(2)} before the init probes, ${loadAfter.toFixed(2)} after`,
    ],
  };
}

module.exports = { run };
