// The Lambda manifest the `package` targets write: each function's zip, hash and S3 key.
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const path = require('node:path');
const { DeployError } = require('./errors.cjs');

/**
 * @typedef {object} FunctionCode
 * @property {string} name the worker project, e.g. thumbnail-worker
 * @property {string} zipPath the zip, absolute
 * @property {string} sha256
 * @property {string} s3Key `lambda/<name>/<sha256>.zip`
 */

/**
 * Reads the manifest and checks it against the zips on disk: a manifest older than its zips
 * would deploy code other than what it names.
 * @param {string} manifestPath
 * @param {string} workspaceRoot the manifest's zip paths are relative to it
 * @returns {FunctionCode[]}
 */
function readManifest(manifestPath, workspaceRoot) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch (error) {
    throw new DeployError(
      `cannot read the Lambda manifest ${manifestPath}: run \`npx nx run-many -t package\``,
      { cause: error },
    );
  }
  const functions = Object.values(manifest?.functions ?? {});
  if (functions.length === 0) throw new DeployError(`${manifestPath} lists no functions`);

  return functions.map((entry) => {
    const { name, zip, sha256, s3Key } = entry ?? {};
    if (typeof name !== 'string' || !/^[a-z][a-z0-9-]*$/.test(name)) {
      throw new DeployError(`${manifestPath}: a function has no valid name`);
    }
    if (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256)) {
      throw new DeployError(`${manifestPath}: ${name} has no SHA-256`);
    }
    if (s3Key !== `lambda/${name}/${sha256}.zip`) {
      throw new DeployError(`${manifestPath}: ${name}'s s3Key is not lambda/${name}/${sha256}.zip`);
    }
    if (typeof zip !== 'string') throw new DeployError(`${manifestPath}: ${name} has no zip`);
    const zipPath = path.resolve(workspaceRoot, zip);
    let bytes;
    try {
      bytes = readFileSync(zipPath);
    } catch (error) {
      throw new DeployError(`${name}'s zip ${zipPath} is missing: package it again`, {
        cause: error,
      });
    }
    if (createHash('sha256').update(bytes).digest('hex') !== sha256) {
      throw new DeployError(`${zipPath} is not the zip the manifest names: package it again`);
    }
    return { name, zipPath, sha256, s3Key };
  });
}

/**
 * The template parameter holding a worker's code key: thumbnail-worker → ThumbnailWorkerCodeKey.
 * @param {string} name
 */
function codeKeyParameter(name) {
  const pascal = name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
  return `${pascal}CodeKey`;
}

module.exports = { readManifest, codeKeyParameter };
