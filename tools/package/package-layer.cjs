// Packages sharp's linux-x64 (glibc) binaries as one Lambda layer, dist/lambda/layers/sharp.zip,
// shared by every function whose catalog entry says `sharp: true` (the template's SharpLayer).
// Laid out as Lambda mounts a Node.js layer: its files land in /opt, and the runtime's
// NODE_PATH holds /opt/nodejs/node_modules, so the bundles' require("sharp") finds
// nodejs/node_modules/sharp and sharp finds nodejs/node_modules/@img/…. Its S3 key names sharp's
// version and the zip's SHA-256 (recorded in dist/lambda/manifest/layers/sharp.json and
// dist/lambda/manifest.json), so a deploy publishes a new layer version only when sharp's
// version or the layer's bytes change. Run by `nx run tools:sharp-layer`:
//   node tools/package/package-layer.cjs [--out-dir dist/lambda]
const { mkdirSync } = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');
const { assembleManifest, layerS3KeyFor, writeManifestEntry } = require('./manifest.cjs');
const { packageStaged, requireZip, runScript, workspaceRoot } = require('./package-zip.cjs');
const { installSharp, pinnedSharpVersion } = require('./sharp-binaries.cjs');

/** The layer's name: its zip, its manifest entry and its key, and the template's SharpLayer. */
const SHARP_LAYER = 'sharp';

/** Where a Node.js layer's modules go for the runtime's NODE_PATH to find them. */
const LAYER_MODULES_DIR = 'nodejs';

/**
 * @param {object} [options]
 * @param {string} [options.outDir]
 * @param {(dir: string, version: string) => void} [options.install] puts sharp `version` into
 *   `dir/node_modules` (tests give another)
 * @returns {import('./manifest.cjs').LayerCode}
 */
function packageSharpLayer({
  outDir = path.join(workspaceRoot, 'dist/lambda'),
  install = installSharp,
} = {}) {
  const version = pinnedSharpVersion(workspaceRoot);
  const packaged = packageStaged({
    what: `the ${SHARP_LAYER} layer`,
    zipPath: path.join(outDir, 'layers', `${SHARP_LAYER}.zip`),
    stage: (staging) => {
      const modules = path.join(staging, LAYER_MODULES_DIR);
      mkdirSync(modules);
      install(modules, version);
    },
  });
  const layer = {
    name: SHARP_LAYER,
    version,
    ...packaged,
    s3Key: layerS3KeyFor(SHARP_LAYER, version, packaged.sha256),
  };
  writeManifestEntry(outDir, 'layers', layer);
  assembleManifest(outDir);
  return layer;
}

function main() {
  const { values } = parseArgs({
    options: { 'out-dir': { type: 'string', default: path.join(workspaceRoot, 'dist/lambda') } },
    strict: true,
  });
  requireZip(`packaging the ${SHARP_LAYER} layer`);
  const layer = packageSharpLayer({ outDir: path.resolve(values['out-dir']) });
  const megabytes = (layer.size / 1e6).toFixed(2);
  console.log(
    `${layer.zip}: ${megabytes} MB, sharp ${layer.version} (linux-x64, glibc), sha256 ${layer.sha256}`,
  );
}

if (require.main === module) runScript('package-layer', main);

module.exports = { LAYER_MODULES_DIR, SHARP_LAYER, packageSharpLayer };
