// Each Lambda zip's size and the sharp layer's, and what a cold start costs in the unpacked
// package with the layer assembled as /opt and NODE_PATH as the runtime sets it
// (lambda-runtime.cjs), as whole-process times of Node (spawn to exit), in rounds that take
// every probe of every function in turn:
//   init         `node -e "require('./index.js')"`: the module's load and start-up (Lambda's
//                init), the configuration read and checked, sharp loaded from the layer;
//   first event  the same, then `handler({ Records: [] })`: what the handler makes only at its
//                first event (the AWS SDK's modules and clients). Its difference from `init` in
//                the same round is what the first event of a container pays on top;
//   source maps  `init` with --enable-source-maps (NODE_OPTIONS), an operator's option: the
//                stack leaves it off;
// and, in the same rounds, `node -e ""` (the runtime alone) and `require('sharp')` alone from
// that same /opt. Init minus `require('sharp')` (minus the runtime alone, for a worker whose
// function has no sharp layer), round by round, is what the worker's own code costs.
// Then what a deploy uploads after a change to one worker (measure-upload.cjs).
// Usage: nx run tools:lambda:measure (packages the workers and the layer first) [-- --runs 10]
//   [--baseline-node /usr/bin/node]: the same probes on another Node.js, alternating with this one
//   [--skip-upload]: not the upload figure (it packages everything twice in a copy, about a minute)
// The benchmark's section 4 (tools/bench/sections/lambda.cjs) runs the same measurement.
const { execFileSync, spawnSync } = require('node:child_process');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { parseArgs } = require('node:util');
const { CATALOG } = require('../scripts/catalog.cjs');
const { missingPrograms } = require('../scripts/prerequisites.cjs');
const { lambdaRuntime } = require('./lambda-runtime.cjs');
const { assembleManifest } = require('./manifest.cjs');
const { measureUploadAfterChange, uploadLine } = require('./measure-upload.cjs');
const { SHARP_LAYER } = require('./package-layer.cjs');

const workspaceRoot = path.resolve(__dirname, '../..');
const OUT_DIR = path.join(workspaceRoot, 'dist/lambda');

/** A Lambda function's module init should take at most this long, whole process. */
const INIT_TARGET_MS = 150;

/** What a worker's own code should add to init, beyond sharp (or the runtime) it loads on. */
const OWN_INIT_TARGET_MS = 30;

/** The Lambda configuration the module reads at load; nothing is called over the network. */
const LAMBDA_ENV = {
  AWS_REGION: 'us-east-1',
  S3_BUCKET: 'gallery-measure',
  DLQ_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/measure-dlq',
  CALLBACK_SECRET: 'measure-callback-secret',
  API_URL: 'https://gallery.example.com',
  LOG_LEVEL: 'warn',
};

const PROBES = {
  init: { code: "require('./index.js')" },
  firstEvent: { code: "require('./index.js').handler({ Records: [] })" },
  sourceMaps: { code: "require('./index.js')", nodeArgs: ['--enable-source-maps'] },
};

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** The process's own CPU time since it started, written as it exits. */
const REPORT_CPU =
  "process.on('exit', () => { const { user, system } = process.cpuUsage(); " +
  'process.stdout.write(`\\ncpu-ms ${(user + system) / 1000}\\n`); });';

/**
 * `node [nodeArgs] -e <code>` in `cwd`, with `node` the running Node.js unless another is
 * given, and `env` (NODE_PATH) beside the Lambda configuration: milliseconds from spawn to exit
 * (`wall`), and the CPU time (user + system, every thread) the process used (`cpu`), which
 * other load on the machine changes far less.
 */
function timeProcess(cwd, code, nodeArgs = [], node = process.execPath, env = {}) {
  const started = process.hrtime.bigint();
  const child = spawnSync(node, [...nodeArgs, '-e', `${REPORT_CPU}\n${code}`], {
    cwd,
    env: { PATH: process.env.PATH, HOME: cwd, ...LAMBDA_ENV, ...env },
    encoding: 'utf8',
  });
  const wall = Number(process.hrtime.bigint() - started) / 1e6;
  if (child.status !== 0) throw new Error(`node -e ${code} failed in ${cwd}:\n${child.stderr}`);
  const cpu = Number(/^cpu-ms (\S+)$/m.exec(child.stdout)?.[1]);
  return { wall, cpu };
}

/** Whether a worker's function gets the sharp layer: its catalog entry says so. */
const hasSharpLayer = (name) => CATALOG.some((entry) => entry.project === name && entry.sharp);

/**
 * The packaged functions and layers, from the per-function and per-layer manifests that
 * `nx package` and `nx run tools:sharp-layer` leave in dist/lambda.
 */
function packaged(outDir = OUT_DIR) {
  const { functions, layers } = assembleManifest(outDir);
  const list = Object.values(functions);
  if (list.length === 0) throw new Error(`no packaged function in ${outDir}: run nx package`);
  const sharpLayer = layers[SHARP_LAYER];
  if (!sharpLayer && list.some(({ name }) => hasSharpLayer(name))) {
    throw new Error(`no sharp layer in ${outDir}: run nx run tools:lambda-manifest`);
  }
  return { functions: list, sharpLayer };
}

/**
 * Measures every packaged function `runs` times per probe, alternating: each round takes the
 * runtime alone, sharp alone from the layer, then every function's probes, in an order that
 * rotates by round. Each probe's wall times are in `init`, `firstEvent`, `sourceMaps`, its CPU
 * times under `cpu`; `sharp` says whether the function has the sharp layer. With `baselineNode`
 * (another Node.js binary), every round measures both runtimes in turn, the first one
 * alternating, and the baseline's figures come back in `baseline`.
 * @typedef {{ node: string, bare: number[], sharp: number[],
 *   cpu: { bare: number[], sharp: number[] }, functions:
 *   { name: string, zip: string, size: number, sharp: boolean, init: number[],
 *     firstEvent: number[], sourceMaps: number[], cpu: { init: number[], firstEvent: number[],
 *     sourceMaps: number[] } }[] }} RuntimeMeasurement
 * @returns {RuntimeMeasurement & { runs: number, layer?: { name: string, zip: string,
 *   size: number }, baseline?: RuntimeMeasurement }}
 */
function measureLambdas({ runs = 10, outDir = OUT_DIR, log = () => undefined, baselineNode } = {}) {
  const { functions: packagedFunctions, sharpLayer } = packaged(outDir);
  const runtimes = [process.execPath, ...(baselineNode ? [baselineNode] : [])].map((binary) => ({
    binary,
    node: execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim(),
    bare: [],
    sharp: [],
    cpu: { bare: [], sharp: [] },
    functions: packagedFunctions.map((code) => ({
      name: code.name,
      zip: code.zip,
      size: code.size,
      sharp: hasSharpLayer(code.name),
      init: [],
      firstEvent: [],
      sourceMaps: [],
      cpu: { init: [], firstEvent: [], sourceMaps: [] },
    })),
  }));
  // The layer unzipped as /opt once; each zip into a fresh directory, as Lambda does into
  // /var/task; sharp alone runs from an empty one.
  const lambda = lambdaRuntime({
    layers: sharpLayer ? [path.join(workspaceRoot, sharpLayer.zip)] : [],
    prefix: 'gallery-measure-',
  });
  try {
    const dirs = new Map(
      packagedFunctions.map((code) => [
        code.name,
        lambda.unpack(path.join(workspaceRoot, code.zip), code.name),
      ]),
    );
    const sharpAlone = lambda.taskDir('sharp-alone');
    const probes = Object.keys(PROBES);
    for (let round = 0; round < runs; round++) {
      for (let r = 0; r < runtimes.length; r++) {
        const runtime = runtimes[(r + round) % runtimes.length];
        const { binary, functions } = runtime;
        const alone = timeProcess(tmpdir(), '', [], binary);
        runtime.bare.push(alone.wall);
        runtime.cpu.bare.push(alone.cpu);
        if (sharpLayer) {
          const withSharp = timeProcess(
            sharpAlone,
            "require('sharp')",
            [],
            binary,
            lambda.env(sharpAlone),
          );
          runtime.sharp.push(withSharp.wall);
          runtime.cpu.sharp.push(withSharp.cpu);
        }
        for (let i = 0; i < functions.length * probes.length; i++) {
          const step = (i + round) % (functions.length * probes.length);
          const fn = functions[step % functions.length];
          const probe = probes[Math.floor(step / functions.length)];
          const { code, nodeArgs } = PROBES[probe];
          const dir = dirs.get(fn.name);
          const { wall, cpu } = timeProcess(dir, code, nodeArgs, binary, lambda.env(dir));
          fn[probe].push(wall);
          fn.cpu[probe].push(cpu);
        }
      }
      log(`round ${round + 1} of ${runs} done`);
    }
  } finally {
    lambda.remove();
  }
  for (const runtime of runtimes) delete runtime.binary;
  const [current, baseline] = runtimes;
  const layer = sharpLayer && { name: sharpLayer.name, zip: sharpLayer.zip, size: sharpLayer.size };
  return { runs, ...(layer ? { layer } : {}), ...current, ...(baseline ? { baseline } : {}) };
}

/**
 * Per round, what the first event added to init: the set-up moved to the first event (wall
 * times, or CPU times with `{ cpu: true }`).
 */
const firstEventCost = (fn, { cpu = false } = {}) => {
  const times = cpu ? fn.cpu : fn;
  return times.firstEvent.map((time, round) => time - times.init[round]);
};

/**
 * Per round, what the worker's own code added to init: init minus `require('sharp')` alone for
 * a function with the sharp layer, minus the runtime alone for one without (wall times).
 * @param {RuntimeMeasurement} runtime
 * @param {RuntimeMeasurement['functions'][number]} fn
 */
const ownInitCost = (runtime, fn) => {
  const base = fn.sharp ? runtime.sharp : runtime.bare;
  return fn.init.map((time, round) => time - base[round]);
};

/** What `ownInitCost` subtracts, for messages. */
const ownInitBase = (fn) => (fn.sharp ? "require('sharp')" : 'node -e ""');

const megabytes = (bytes) => `${(bytes / 1e6).toFixed(2)} MB (${bytes} bytes)`;

/** One runtime's figures, a line each; the init targets are the deployed runtime's. */
function printRuntime(result, runs, { withTarget = true } = {}) {
  const ms = (values) => `${median(values).toFixed(0)} ms`;
  const target = (value, limit) =>
    withTarget ? `target ≤ ${limit}: ${value <= limit ? 'met' : 'NOT MET'}; ` : '';
  console.log(`node ${result.node}, median of ${runs} runs`);
  console.log(`  node -e "" (the runtime alone): ${ms(result.bare)}`);
  if (result.sharp.length > 0) {
    console.log(`  require('sharp') alone, from the layer as /opt: ${ms(result.sharp)}`);
  }
  for (const fn of result.functions) {
    const init = median(fn.init);
    const own = median(ownInitCost(result, fn));
    console.log(
      `  ${fn.name}: zip ${megabytes(fn.size)}, ${fn.sharp ? 'with' : 'without'} the sharp layer, ` +
        `init ${init.toFixed(0)} ms (${target(init, INIT_TARGET_MS)}CPU ${ms(fn.cpu.init)}), ` +
        `init − ${ownInitBase(fn)} ${own.toFixed(0)} ms (${target(own, OWN_INIT_TARGET_MS)}per round), ` +
        `first event's set-up +${ms(firstEventCost(fn))}, ` +
        `init with --enable-source-maps ${ms(fn.sourceMaps)}`,
    );
  }
}

function main() {
  const missing = missingPrograms('measuring the Lambda packages', { unzip: 'unzip' });
  if (missing) {
    console.error(missing);
    process.exit(1);
  }
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '10' },
      'baseline-node': { type: 'string' },
      'skip-upload': { type: 'boolean', default: false },
    },
  });
  const result = measureLambdas({
    runs: Number(values.runs),
    baselineNode: values['baseline-node'],
  });
  if (result.layer) console.log(`the ${result.layer.name} layer: ${megabytes(result.layer.size)}`);
  printRuntime(result, result.runs);
  if (result.baseline) printRuntime(result.baseline, result.runs, { withTarget: false });
  if (values['skip-upload']) return;
  const log = (line) => process.stderr.write(`${line}\n`);
  console.log(uploadLine(measureUploadAfterChange({ log })));
}

if (require.main === module) main();

module.exports = {
  INIT_TARGET_MS,
  LAMBDA_ENV,
  OWN_INIT_TARGET_MS,
  firstEventCost,
  measureLambdas,
  ownInitBase,
  ownInitCost,
  timeProcess,
};
