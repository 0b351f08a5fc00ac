// Packages one worker's Lambda bundle (`nx build <worker>`) as dist/lambda/<worker>.zip: its
// index.js and source map, nothing else. sharp, the one module the bundle leaves external, is
// in the sharp layer (package-layer.cjs), which the template gives every function whose
// catalog entry says `sharp: true`; a bundle that requires sharp while its entry says
// `sharp: false` is refused, since its function would fail at that require in Lambda. Then
// records the zip's hash and S3 key in dist/lambda/manifest/<worker>.json and
// dist/lambda/manifest.json. Run by the `package` target defined in nx.json:
//   node tools/package/package-lambda.cjs --project <name> --project-root <root>
//     [--sharp=true|false]: whether the function gets the sharp layer, for a project the
//     catalog does not list (the catalog's `sharp` otherwise)
const { copyFileSync, existsSync, readFileSync } = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');
const { assembleManifest, s3KeyFor, writeManifestEntry } = require('./manifest.cjs');
const {
  PackageError,
  packageStaged,
  requireZip,
  runScript,
  workspaceRoot,
} = require('./package-zip.cjs');
const { CATALOG } = require('../scripts/catalog.cjs');

const BUNDLE_FILES = ['index.js', 'index.js.map'];
const CATALOG_FILE = 'libs/processors/src/catalog.ts';

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
 * Whether `project`'s function gets the sharp layer, and what says so: `--sharp` when given,
 * else the project's catalog entry.
 * @param {string} project
 * @param {boolean | undefined} flag
 */
function sharpLayerOf(project, flag) {
  if (flag !== undefined) return { sharp: flag, source: `--sharp=${flag}` };
  const entry = CATALOG.find((candidate) => candidate.project === project);
  if (!entry) {
    throw new PackageError(
      `${project} is not a worker of the catalog (${CATALOG_FILE}): pass --sharp=true or --sharp=false`,
    );
  }
  return {
    sharp: entry.sharp,
    source: `its catalog entry (${CATALOG_FILE}) says sharp: ${entry.sharp}`,
  };
}

/**
 * @param {{ project: string, bundleDir: string, outDir: string, sharp?: boolean }} options
 * @returns {import('./manifest.cjs').FunctionCode & { sharpLayer: boolean }}
 */
function packageLambda({ project, bundleDir, outDir, sharp: flag }) {
  for (const file of BUNDLE_FILES) {
    if (!existsSync(path.join(bundleDir, file))) {
      throw new PackageError(`no ${file} in ${bundleDir}: run \`nx build ${project}\` first`);
    }
  }
  const bundle = readFileSync(path.join(bundleDir, 'index.js'), 'utf8');
  const { sharp, source } = sharpLayerOf(project, flag);
  if (requiresSharp(bundle) && !sharp) {
    throw new PackageError(
      `${project}'s bundle requires sharp, but ${source}: its function would get no sharp ` +
        'layer and fail at require("sharp") in Lambda. Set sharp: true in its catalog entry ' +
        '(then npx nx run infra:template), or keep sharp out of its code.',
    );
  }

  const packaged = packageStaged({
    what: `${project}'s Lambda zip`,
    zipPath: path.join(outDir, `${project}.zip`),
    stage: (staging) => {
      for (const file of BUNDLE_FILES) {
        copyFileSync(path.join(bundleDir, file), path.join(staging, file));
      }
    },
    bundleOf: (staging) => ({
      bundledModules:
        JSON.parse(readFileSync(path.join(staging, 'index.js.map'), 'utf8')).sources ?? [],
      bundle,
    }),
  });
  const code = { name: project, ...packaged, s3Key: s3KeyFor(project, packaged.sha256) };
  writeManifestEntry(outDir, 'functions', code);
  assembleManifest(outDir);
  return { ...code, sharpLayer: sharp };
}

function main() {
  const { values } = parseArgs({
    options: {
      project: { type: 'string' },
      'project-root': { type: 'string' },
      sharp: { type: 'string' },
      'bundle-dir': { type: 'string' },
      'out-dir': { type: 'string', default: path.join(workspaceRoot, 'dist/lambda') },
    },
    strict: true,
  });
  if (!values.project || !values['project-root']) {
    throw new PackageError('usage: package-lambda.cjs --project <name> --project-root <root>');
  }
  if (values.sharp !== undefined && !['true', 'false'].includes(values.sharp)) {
    throw new PackageError(`--sharp is true or false, not ${values.sharp}`);
  }
  requireZip('packaging a Lambda');
  const code = packageLambda({
    project: values.project,
    bundleDir: values['bundle-dir']
      ? path.resolve(values['bundle-dir'])
      : bundleDirOf(values['project-root']),
    outDir: path.resolve(values['out-dir']),
    sharp: values.sharp === undefined ? undefined : values.sharp === 'true',
  });
  const megabytes = (code.size / 1e6).toFixed(2);
  const sharp = code.sharpLayer ? 'sharp from the sharp layer' : 'without sharp';
  console.log(`${code.zip}: ${megabytes} MB, ${sharp}, sha256 ${code.sha256}`);
}

runScript('package-lambda', main);
