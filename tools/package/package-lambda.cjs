// Packages one worker's Lambda bundle (`nx build <worker>`) as dist/lambda/<worker>.zip:
// index.js and its source map, plus sharp's linux-x64 binaries when the bundle requires sharp
// (or the project's `package` target says `sharp: true`); then records the zip's hash and S3
// key in dist/lambda/manifest/<worker>.json and dist/lambda/manifest.json. Run by the
// `package` target defined in nx.json:
//   node tools/package/package-lambda.cjs --project <name> --project-root <root> [--sharp=true]
const { createHash } = require('node:crypto');
const {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
} = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { parseArgs } = require('node:util');
const { listFiles, zipFiles } = require('./deterministic-zip.cjs');
const { findForbiddenContent } = require('./forbidden-content.cjs');
const { assembleManifest, s3KeyFor, writeFunctionManifest } = require('./manifest.cjs');
const { installSharp, pinnedSharpVersion } = require('./sharp-binaries.cjs');
const { missingPrograms } = require('../scripts/prerequisites.cjs');

const workspaceRoot = path.resolve(__dirname, '../..');
const BUNDLE_FILES = ['index.js', 'index.js.map'];

class PackageError extends Error {
  name = 'PackageError';
}

/** Where `nx build <project>` writes the bundle: its build target's outputPath. */
function bundleDirOf(projectRoot) {
  const project = JSON.parse(
    readFileSync(path.join(workspaceRoot, projectRoot, 'project.json'), 'utf8'),
  );
  const outputPath = project.targets?.build?.options?.outputPath;
  if (!outputPath) throw new PackageError(`${projectRoot} has no build target with an outputPath`);
  return path.resolve(workspaceRoot, outputPath);
}

/** The bundle loads sharp at run time: esbuild leaves `require("sharp")` for an external. */
const requiresSharp = (bundle) => /\brequire\(\s*["']sharp["']\s*\)/.test(bundle);

/**
 * @param {{ project: string, bundleDir: string, outDir: string, sharp: boolean }} options
 * @returns {import('./manifest.cjs').FunctionCode & { withSharp: string | false }}
 */
function packageLambda({ project, bundleDir, outDir, sharp }) {
  for (const file of BUNDLE_FILES) {
    if (!existsSync(path.join(bundleDir, file))) {
      throw new PackageError(`no ${file} in ${bundleDir}: run \`nx build ${project}\` first`);
    }
  }
  const bundle = readFileSync(path.join(bundleDir, 'index.js'), 'utf8');
  const sharpVersion = sharp || requiresSharp(bundle) ? pinnedSharpVersion(workspaceRoot) : null;

  const staging = mkdtempSync(path.join(tmpdir(), `gallery-lambda-${project}-`));
  try {
    for (const file of BUNDLE_FILES) {
      copyFileSync(path.join(bundleDir, file), path.join(staging, file));
    }
    if (sharpVersion) installSharp(staging, sharpVersion);

    const entries = listFiles(staging);
    const { sources = [] } = JSON.parse(readFileSync(path.join(staging, 'index.js.map'), 'utf8'));
    const forbidden = findForbiddenContent({ entries, bundledModules: sources, bundle });
    if (forbidden.length > 0) {
      throw new PackageError(
        `${project}'s Lambda zip would contain what must never ship:\n  ${forbidden.join('\n  ')}`,
      );
    }

    mkdirSync(outDir, { recursive: true });
    const zipPath = path.join(outDir, `${project}.zip`);
    const building = path.join(staging, `${project}.zip`);
    zipFiles(staging, entries, building);
    const bytes = readFileSync(building);
    copyAtomically(building, zipPath);

    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const code = {
      name: project,
      zip: path.relative(workspaceRoot, zipPath).split(path.sep).join('/'),
      sha256,
      size: bytes.length,
      s3Key: s3KeyFor(project, sha256),
    };
    writeFunctionManifest(outDir, code);
    assembleManifest(outDir);
    return { ...code, withSharp: sharpVersion ?? false };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Copied, then renamed: the staging directory may sit on another file system. */
function copyAtomically(from, to) {
  const temporary = `${to}.${process.pid}.tmp`;
  copyFileSync(from, temporary);
  renameSync(temporary, to);
}

function main() {
  const { values } = parseArgs({
    options: {
      project: { type: 'string' },
      'project-root': { type: 'string' },
      sharp: { type: 'string', default: 'false' },
      'bundle-dir': { type: 'string' },
      'out-dir': { type: 'string', default: path.join(workspaceRoot, 'dist/lambda') },
    },
    strict: true,
  });
  if (!values.project || !values['project-root']) {
    throw new PackageError('usage: package-lambda.cjs --project <name> --project-root <root>');
  }
  if (!['true', 'false'].includes(values.sharp)) {
    throw new PackageError(`--sharp is true or false, not ${values.sharp}`);
  }
  const missing = missingPrograms('packaging a Lambda', { zip: 'zip' });
  if (missing) throw new PackageError(missing);
  const code = packageLambda({
    project: values.project,
    bundleDir: values['bundle-dir']
      ? path.resolve(values['bundle-dir'])
      : bundleDirOf(values['project-root']),
    outDir: path.resolve(values['out-dir']),
    sharp: values.sharp === 'true',
  });
  const megabytes = (code.size / 1e6).toFixed(2);
  const sharp = code.withSharp ? `with sharp ${code.withSharp} (linux-x64)` : 'without sharp';
  console.log(`${code.zip}: ${megabytes} MB, ${sharp}, sha256 ${code.sha256}`);
}

try {
  main();
} catch (error) {
  console.error(error instanceof PackageError ? `package-lambda: ${error.message}` : error);
  process.exitCode = 1;
}
