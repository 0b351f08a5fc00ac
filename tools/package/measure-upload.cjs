// What a deploy uploads after a change to one worker, measured for real. In a copy of the
// workspace's files (uncommitted changes included, node_modules linked, Nx's cache its own and
// empty, no daemon), `nx run tools:lambda-manifest` packages every worker and the sharp layer;
// then a statement the bundle keeps is appended to the worker's entry point, and everything is
// packaged again without Nx's cache, as on a CI runner that starts empty. The deploy uploads
// exactly the zips whose keys changed (a key holds its zip's hash: apps/infra/deploy.cjs checks
// the bucket for each key), so their sizes are what it uploads.
// Usage: node tools/package/measure-upload.cjs [--worker tags-worker]
// `nx run tools:lambda:measure` and the benchmark's section 4 (tools/bench/sections/lambda.cjs)
// run it too.
const { execFileSync } = require('node:child_process');
const {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
} = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { parseArgs } = require('node:util');

const workspaceRoot = path.resolve(__dirname, '../..');

/** Nx with no daemon, cloud or terminal UI; its cache, in the copy, starts empty. */
const NX_ENV = { NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };

/** A copy of the workspace's files (those git tracks or does not ignore), node_modules linked. */
function copyWorkspace() {
  const dir = mkdtempSync(path.join(tmpdir(), 'gallery-measure-upload-'));
  const files = execFileSync(
    'git',
    ['ls-files', '--cached', '--others', '--exclude-standard', '-z'],
    { cwd: workspaceRoot, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 },
  )
    .split('\0')
    .filter((file) => file && existsSync(path.join(workspaceRoot, file)));
  for (const file of files) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    cpSync(path.join(workspaceRoot, file), path.join(dir, file));
  }
  symlinkSync(path.join(workspaceRoot, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

/** Every zip of the manifest, functions and layers, by key: `{ name, s3Key, size }`. */
function zipsOf(dir) {
  const { functions, layers } = JSON.parse(
    readFileSync(path.join(dir, 'dist/lambda/manifest.json'), 'utf8'),
  );
  return [
    ...Object.values(functions),
    ...Object.values(layers).map((layer) => ({ ...layer, name: `${layer.name} layer` })),
  ].map(({ name, s3Key, size }) => ({ name, s3Key, size }));
}

/**
 * Packages everything, changes `worker`'s entry point, packages everything again, and returns
 * the zips whose keys changed (`uploaded`, with their total `bytes`) and those whose keys stayed.
 * @param {{ worker?: string, log?: (line: string) => void }} [options]
 */
function measureUploadAfterChange({ worker = 'tags-worker', log = () => undefined } = {}) {
  const dir = copyWorkspace();
  const nx = (...args) =>
    execFileSync('npx', ['nx', ...args, '--output-style=static'], {
      cwd: dir,
      env: { ...process.env, ...NX_ENV },
      stdio: ['ignore', 'ignore', 'pipe'],
      maxBuffer: 64 * 2 ** 20,
    });
  try {
    log(`copy of the workspace in ${dir}: packaging everything`);
    nx('run', 'tools:lambda-manifest');
    const before = zipsOf(dir);

    const project = JSON.parse(
      readFileSync(path.join(dir, 'apps', worker, 'project.json'), 'utf8'),
    );
    const changed = project.targets.build.options.main;
    appendFileSync(
      path.join(dir, changed),
      "\nObject.assign(globalThis, { galleryMeasureUpload: 'changed' });\n",
    );
    log(`${changed} changed: packaging everything again, without Nx's cache`);
    nx('run', 'tools:lambda-manifest', '--skip-nx-cache');
    const after = zipsOf(dir);

    const keysBefore = new Set(before.map(({ s3Key }) => s3Key));
    const uploaded = after.filter(({ s3Key }) => !keysBefore.has(s3Key));
    const unchanged = after.filter(({ s3Key }) => keysBefore.has(s3Key));
    return {
      worker,
      changed,
      uploaded,
      unchanged,
      bytes: uploaded.reduce((sum, { size }) => sum + size, 0),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A deploy after a change to one worker should upload at most this many megabytes. */
const UPLOAD_TARGET_MB = 1;

/** `name (size)` for each zip. */
const listed = (zips) =>
  zips.map(({ name, size }) => `${name} (${(size / 1e6).toFixed(2)} MB)`).join(', ') || 'none';

/** The measurement as one line, with its target. */
function uploadLine({ changed, bytes, uploaded, unchanged }) {
  const megabytes = bytes / 1e6;
  const met = megabytes <= UPLOAD_TARGET_MB ? 'met' : 'NOT MET';
  return (
    `after a change to ${changed}, a deploy uploads ${megabytes.toFixed(2)} MB (${bytes} bytes; ` +
    `target ≤ ${UPLOAD_TARGET_MB} MB: ${met}): ${listed(uploaded)}; unchanged: ${listed(unchanged)}`
  );
}

function main() {
  const { values } = parseArgs({
    options: { worker: { type: 'string', default: 'tags-worker' } },
  });
  const result = measureUploadAfterChange({
    worker: values.worker,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  console.log(uploadLine(result));
}

if (require.main === module) main();

module.exports = { UPLOAD_TARGET_MB, listed, measureUploadAfterChange, uploadLine };
