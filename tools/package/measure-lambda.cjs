// Each Lambda zip's size, and what a cold start costs in the unpacked package, as whole-process
// times of Node (spawn to exit), in rounds that take every probe of every function in turn:
//   init         `node -e "require('./index.js')"`: the module's load and start-up (Lambda's
//                init), the configuration read and checked;
//   first event  the same, then `handler({ Records: [] })`: what the handler makes only at its
//                first event (the AWS SDK's modules and clients). Its difference from `init` in
//                the same round is what the first event of a container pays on top;
//   source maps  `init` with --enable-source-maps (NODE_OPTIONS), an operator's option: the
//                stack leaves it off;
// and, for scale, `node -e ""` (the runtime alone) and `require('sharp')` in the package.
// Usage: nx run tools:lambda:measure (packages the workers first) [-- --runs 10]
//   [--baseline-node /usr/bin/node]: the same probes on another Node.js, alternating with this one
// The benchmark's section 4 (tools/bench/sections/lambda.cjs) runs the same measurement.
const { execFileSync, spawnSync } = require('node:child_process');
const { existsSync, mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { parseArgs } = require('node:util');
const { missingPrograms } = require('../scripts/prerequisites.cjs');
const { assembleManifest } = require('./manifest.cjs');

const workspaceRoot = path.resolve(__dirname, '../..');
const OUT_DIR = path.join(workspaceRoot, 'dist/lambda');

/** A Lambda function's module init should take at most this long, whole process. */
const INIT_TARGET_MS = 150;

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
 * `node [nodeArgs] -e <code>` in `cwd`, with `node` the running Node.js unless another is given: milliseconds from spawn to exit (`wall`), and the CPU
 * time (user + system, every thread) the process used (`cpu`), which other load on the
 * machine changes far less.
 */
function timeProcess(cwd, code, nodeArgs = [], node = process.execPath) {
  const started = process.hrtime.bigint();
  const child = spawnSync(node, [...nodeArgs, '-e', `${REPORT_CPU}\n${code}`], {
    cwd,
    env: { PATH: process.env.PATH, HOME: cwd, ...LAMBDA_ENV },
    encoding: 'utf8',
  });
  const wall = Number(process.hrtime.bigint() - started) / 1e6;
  if (child.status !== 0) throw new Error(`node -e ${code} failed in ${cwd}:\n${child.stderr}`);
  const cpu = Number(/^cpu-ms (\S+)$/m.exec(child.stdout)?.[1]);
  return { wall, cpu };
}

/** The packaged functions, from the per-function manifests `nx package` leaves in dist/lambda. */
function packagedFunctions(outDir = OUT_DIR) {
  const { functions } = assembleManifest(outDir);
  const list = Object.values(functions);
  if (list.length === 0) throw new Error(`no packaged function in ${outDir}: run nx package`);
  return list;
}

/**
 * Measures every packaged function `runs` times per probe, alternating: each round takes the
 * runtime alone, sharp alone, then every function's probes, in an order that rotates by round.
 * Each probe's wall times are in `init`, `firstEvent`, `sourceMaps`, its CPU times under `cpu`.
 * With `baselineNode` (another Node.js binary), every round measures both runtimes in turn, the
 * first one alternating, and the baseline's figures come back in `baseline`.
 * @typedef {{ node: string, bare: number[], sharp: number[],
 *   cpu: { bare: number[], sharp: number[] }, functions:
 *   { name: string, zip: string, size: number, init: number[], firstEvent: number[],
 *     sourceMaps: number[], cpu: { init: number[], firstEvent: number[],
 *     sourceMaps: number[] } }[] }} RuntimeMeasurement
 * @returns {RuntimeMeasurement & { runs: number, baseline?: RuntimeMeasurement }}
 */
function measureLambdas({ runs = 10, outDir = OUT_DIR, log = () => undefined, baselineNode } = {}) {
  const packaged = packagedFunctions(outDir);
  const runtimes = [process.execPath, ...(baselineNode ? [baselineNode] : [])].map((binary) => ({
    binary,
    node: execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim(),
    bare: [],
    sharp: [],
    cpu: { bare: [], sharp: [] },
    functions: packaged.map((code) => ({
      name: code.name,
      zip: code.zip,
      size: code.size,
      init: [],
      firstEvent: [],
      sourceMaps: [],
      cpu: { init: [], firstEvent: [], sourceMaps: [] },
    })),
  }));
  // Each zip unpacked into a fresh directory, as Lambda does into /var/task.
  const dirs = new Map(
    packaged.map((code) => [
      code.name,
      mkdtempSync(path.join(tmpdir(), `gallery-measure-${code.name}-`)),
    ]),
  );
  try {
    for (const code of packaged) {
      execFileSync('unzip', ['-q', path.join(workspaceRoot, code.zip), '-d', dirs.get(code.name)]);
    }
    const sharpDir = [...dirs.values()].find((dir) =>
      existsSync(path.join(dir, 'node_modules/sharp')),
    );
    const probes = Object.keys(PROBES);
    for (let round = 0; round < runs; round++) {
      for (let r = 0; r < runtimes.length; r++) {
        const runtime = runtimes[(r + round) % runtimes.length];
        const { binary, functions } = runtime;
        const alone = timeProcess(tmpdir(), '', [], binary);
        runtime.bare.push(alone.wall);
        runtime.cpu.bare.push(alone.cpu);
        if (sharpDir) {
          const withSharp = timeProcess(sharpDir, "require('sharp')", [], binary);
          runtime.sharp.push(withSharp.wall);
          runtime.cpu.sharp.push(withSharp.cpu);
        }
        for (let i = 0; i < functions.length * probes.length; i++) {
          const step = (i + round) % (functions.length * probes.length);
          const fn = functions[step % functions.length];
          const probe = probes[Math.floor(step / functions.length)];
          const { code, nodeArgs } = PROBES[probe];
          const { wall, cpu } = timeProcess(dirs.get(fn.name), code, nodeArgs, binary);
          fn[probe].push(wall);
          fn.cpu[probe].push(cpu);
        }
      }
      log(`round ${round + 1} of ${runs} done`);
    }
  } finally {
    for (const dir of dirs.values()) rmSync(dir, { recursive: true, force: true });
  }
  for (const runtime of runtimes) delete runtime.binary;
  const [current, baseline] = runtimes;
  return { runs, ...current, ...(baseline ? { baseline } : {}) };
}

/**
 * Per round, what the first event added to init: the set-up moved to the first event (wall
 * times, or CPU times with `{ cpu: true }`).
 */
const firstEventCost = (fn, { cpu = false } = {}) => {
  const times = cpu ? fn.cpu : fn;
  return times.firstEvent.map((time, round) => time - times.init[round]);
};

/** One runtime's figures, a line each; the init target is the deployed runtime's. */
function printRuntime(result, runs, { withTarget = true } = {}) {
  const ms = (values) => `${median(values).toFixed(0)} ms`;
  console.log(`node ${result.node}, median of ${runs} runs`);
  console.log(`  node -e "" (the runtime alone): ${ms(result.bare)}`);
  if (result.sharp.length > 0) console.log(`  require('sharp') alone: ${ms(result.sharp)}`);
  for (const fn of result.functions) {
    const init = median(fn.init);
    console.log(
      `  ${fn.name}: zip ${(fn.size / 1e6).toFixed(2)} MB (${fn.size} bytes), ` +
        `init ${init.toFixed(0)} ms (${withTarget ? `target ≤ ${INIT_TARGET_MS}: ${init <= INIT_TARGET_MS ? 'met' : 'NOT MET'}; ` : ''}CPU ${ms(fn.cpu.init)}), ` +
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
    options: { runs: { type: 'string', default: '10' }, 'baseline-node': { type: 'string' } },
  });
  const result = measureLambdas({
    runs: Number(values.runs),
    baselineNode: values['baseline-node'],
  });
  printRuntime(result, result.runs);
  if (result.baseline) printRuntime(result.baseline, result.runs, { withTarget: false });
}

if (require.main === module) main();

module.exports = { INIT_TARGET_MS, LAMBDA_ENV, firstEventCost, measureLambdas, timeProcess };
