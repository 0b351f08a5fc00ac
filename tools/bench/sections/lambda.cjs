// 4. Lambda packages: each worker's zip as `nx run-many -t package` makes it (run.cjs packages
// them before any section), its size, and
// its cold start measured in the unpacked package as Lambda runs it (whole Node processes,
// spawn to exit): the module's init, what the handler sets up at its first event instead
// (the AWS SDK and its clients), and init with --enable-source-maps (off as deployed). The same
// measurement as `nx run tools:lambda:measure` (tools/package/measure-lambda.cjs).
const { loadavg } = require('node:os');
const { spreadText } = require('../lib/report.cjs');
const { summary } = require('../lib/stats.cjs');
const {
  INIT_TARGET_MS,
  firstEventCost,
  measureLambdas,
} = require('../../package/measure-lambda.cjs');

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
  for (const fn of result.functions) {
    const init = summary(fn.init).median;
    const target = withTarget ? { target: `≤ ${INIT_TARGET_MS}`, met: init <= INIT_TARGET_MS } : {};
    rows.push(
      msRow(`${fn.name}: cold init, require('./index.js')${label}`, fn.init, target),
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
          msRow(`require('sharp') alone, in the package${label}`, result.sharp),
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

async function run({ quick, log, baselineNode }) {
  const runs = quick ? 3 : 10;
  const loadBefore = loadavg()[0];
  const result = measureLambdas({ runs, log, baselineNode });
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
      'init reads and checks the configuration and loads sharp; the AWS SDK, its clients and ' +
        'the worker modules load at the first event (the set-up row); SQS and SSM only when a ' +
        'record is dead-lettered or the secret is read from SSM',
      `load average ${loadBefore.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after`,
    ],
  };
}

module.exports = { run };
