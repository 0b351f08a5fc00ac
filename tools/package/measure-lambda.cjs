// Each Lambda zip's size, and the whole-process time of `node -e "require('./index.js')"` in
// the unpacked package (the module's load and start-up, as in a cold start), median of 10.
// Usage: nx run tools:lambda:measure (packages the workers first) [-- --runs 10]
const { execFileSync, spawnSync } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { parseArgs } = require('node:util');

const workspaceRoot = path.resolve(__dirname, '../..');

/** The Lambda configuration the module reads at load; nothing is called. */
const LAMBDA_ENV = {
  AWS_REGION: 'us-east-1',
  S3_BUCKET: 'gallery-measure',
  DLQ_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/measure-dlq',
  CALLBACK_SECRET: 'measure-callback-secret',
  API_URL: 'https://gallery.example.com',
};

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** Milliseconds from spawn to exit of `node -e <code>` in `cwd`, `runs` times. */
function timeProcess(cwd, code, runs) {
  const times = [];
  for (let run = 0; run < runs; run++) {
    const started = process.hrtime.bigint();
    const child = spawnSync(process.execPath, ['-e', code], {
      cwd,
      env: { PATH: process.env.PATH, HOME: cwd, ...LAMBDA_ENV },
      encoding: 'utf8',
    });
    const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
    if (child.status !== 0) throw new Error(`node -e ${code} failed in ${cwd}:\n${child.stderr}`);
    times.push(elapsed);
  }
  return median(times);
}

function main() {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' } } });
  const runs = Number(values.runs);
  const manifest = JSON.parse(
    readFileSync(path.join(workspaceRoot, 'dist/lambda/manifest.json'), 'utf8'),
  );
  const bare = timeProcess(tmpdir(), '', runs);
  console.log(`node ${process.version}, median of ${runs} runs`);
  console.log(`  node -e "" (the runtime alone): ${bare.toFixed(0)} ms`);
  for (const code of Object.values(manifest.functions)) {
    const taskDir = mkdtempSync(path.join(tmpdir(), `gallery-measure-${code.name}-`));
    try {
      execFileSync('unzip', ['-q', path.join(workspaceRoot, code.zip), '-d', taskDir]);
      const load = timeProcess(taskDir, "require('./index.js')", runs);
      const megabytes = (code.size / 1e6).toFixed(2);
      console.log(
        `  ${code.name}: zip ${megabytes} MB (${code.size} bytes), require ${load.toFixed(0)} ms`,
      );
    } finally {
      rmSync(taskDir, { recursive: true, force: true });
    }
  }
}

main();
