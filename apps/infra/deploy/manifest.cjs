// The Lambda manifest the `package` and `sharp-layer` targets write: each function's and each
// layer's zip, hash and S3 key (tools/package/manifest.cjs describes its format).
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const path = require('node:path');
const { DeployError } = require('./errors.cjs');
// TypeScript with types only, which Node.js strips as it loads it.
const { layerIds, pascal } = require(
  path.join(__dirname, '../../../libs/stack-template/src/processor-resources.ts'),
);

/**
 * A zip to upload under its key, and the template parameter that key is passed as.
 * @typedef {object} PackagedCode
 * @property {string} name the worker project (thumbnail-worker) or the layer (sharp)
 * @property {string} label how messages name it: `thumbnail-worker`, `the sharp layer`
 * @property {string} zipPath the zip, absolute
 * @property {string} sha256
 * @property {string} s3Key `lambda/<name>/<sha256>.zip`, a layer's
 *   `lambda/layers/<name>/<version>/<sha256>.zip`
 * @property {string} parameter e.g. ThumbnailWorkerCodeKey, SharpLayerCodeKey
 */

/**
 * @typedef {object} Manifest
 * @property {PackagedCode[]} functions
 * @property {PackagedCode[]} layers
 */

const NAME = /^[a-z][a-z0-9-]*$/;
const SHA256 = /^[0-9a-f]{64}$/;
const VERSION = /^\d+\.\d+\.\d+$/;

/**
 * Reads the manifest and checks it against the zips on disk: a manifest older than its zips
 * would deploy code other than what it names.
 * @param {string} manifestPath
 * @param {string} workspaceRoot the manifest's zip paths are relative to it
 * @returns {Manifest}
 */
function readManifest(manifestPath, workspaceRoot) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch (error) {
    throw new DeployError(
      `cannot read the Lambda manifest ${manifestPath}: run \`npx nx run tools:lambda-manifest\``,
      { cause: error },
    );
  }
  const functions = Object.values(manifest?.functions ?? {});
  if (functions.length === 0) throw new DeployError(`${manifestPath} lists no functions`);

  /**
   * One entry checked: its name, hash, key and zip.
   * @param {any} entry
   * @param {{ kind: string, keyOf: (name: string, sha256: string) => string,
   *   label: (name: string) => string, parameter: (name: string) => string }} section
   * @returns {PackagedCode}
   */
  const checked = (entry, { kind, keyOf, label, parameter }) => {
    const { name, zip, sha256, s3Key } = entry ?? {};
    if (typeof name !== 'string' || !NAME.test(name)) {
      throw new DeployError(`${manifestPath}: a ${kind} has no valid name`);
    }
    if (typeof sha256 !== 'string' || !SHA256.test(sha256)) {
      throw new DeployError(`${manifestPath}: ${label(name)} has no SHA-256`);
    }
    const expectedKey = keyOf(name, sha256);
    if (s3Key !== expectedKey) {
      throw new DeployError(`${manifestPath}: ${label(name)}'s s3Key is not ${expectedKey}`);
    }
    if (typeof zip !== 'string')
      throw new DeployError(`${manifestPath}: ${label(name)} has no zip`);
    const zipPath = path.resolve(workspaceRoot, zip);
    let bytes;
    try {
      bytes = readFileSync(zipPath);
    } catch (error) {
      throw new DeployError(`${label(name)}'s zip ${zipPath} is missing: package it again`, {
        cause: error,
      });
    }
    if (createHash('sha256').update(bytes).digest('hex') !== sha256) {
      throw new DeployError(`${zipPath} is not the zip the manifest names: package it again`);
    }
    return { name, label: label(name), zipPath, sha256, s3Key, parameter: parameter(name) };
  };

  return {
    functions: functions.map((entry) =>
      checked(entry, {
        kind: 'function',
        keyOf: (name, sha256) => `lambda/${name}/${sha256}.zip`,
        label: (name) => name,
        parameter: codeKeyParameter,
      }),
    ),
    layers: Object.values(manifest?.layers ?? {}).map((entry) => {
      const version = String(entry?.version);
      if (!VERSION.test(version)) {
        throw new DeployError(`${manifestPath}: layer ${entry?.name} has no version x.y.z`);
      }
      return checked(entry, {
        kind: 'layer',
        keyOf: (name, sha256) => `lambda/layers/${name}/${version}/${sha256}.zip`,
        label: (name) => `the ${name} layer`,
        parameter: (name) => layerIds(name).codeKey,
      });
    }),
  };
}

/**
 * The template parameter holding a worker's code key: thumbnail-worker → ThumbnailWorkerCodeKey.
 * @param {string} name
 */
const codeKeyParameter = (name) => `${pascal(name)}CodeKey`;

module.exports = { readManifest };
