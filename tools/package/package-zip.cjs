// What packaging a function and packaging a layer share: a staging directory zipped
// deterministically once nothing forbidden is found in it, the zip's hash, and the scripts'
// one-line errors.
const { createHash } = require('node:crypto');
const {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
} = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { listFiles, zipFiles } = require('./deterministic-zip.cjs');
const { findForbiddenContent } = require('./forbidden-content.cjs');
const { missingPrograms } = require('../scripts/prerequisites.cjs');

const workspaceRoot = path.resolve(__dirname, '../..');

/** A packaging failure the script reports in one line, without a stack. */
class PackageError extends Error {
  name = 'PackageError';
}

/**
 * Runs `stage(staging)` in a fresh directory, then zips everything it left there into
 * `zipPath` (replaced whole) unless something of what must never ship is in it.
 * @param {object} options
 * @param {string} options.what the package, for messages: "thumbnail-worker's Lambda zip"
 * @param {string} options.zipPath
 * @param {(staging: string) => void} options.stage
 * @param {(staging: string) => { bundledModules: string[], bundle: string }} [options.bundleOf]
 *   the modules bundled into index.js and its text, checked as well as the zip's entries
 * @returns {{ zip: string, sha256: string, size: number }} the zip's path from the workspace root
 */
function packageStaged({ what, zipPath, stage, bundleOf }) {
  const staging = mkdtempSync(path.join(tmpdir(), 'gallery-package-'));
  try {
    stage(staging);
    const entries = listFiles(staging);
    const { bundledModules, bundle } = bundleOf?.(staging) ?? { bundledModules: [], bundle: '' };
    const forbidden = findForbiddenContent({ entries, bundledModules, bundle });
    if (forbidden.length > 0) {
      throw new PackageError(
        `${what} would contain what must never ship:\n  ${forbidden.join('\n  ')}`,
      );
    }

    // Built beside the staged files (listed already), then copied and renamed into place: the
    // staging directory may sit on another file system.
    const building = path.join(staging, path.basename(zipPath));
    zipFiles(staging, entries, building);
    const bytes = readFileSync(building);
    mkdirSync(path.dirname(zipPath), { recursive: true });
    const temporary = `${zipPath}.${process.pid}.tmp`;
    copyFileSync(building, temporary);
    renameSync(temporary, zipPath);
    return {
      zip: path.relative(workspaceRoot, zipPath).split(path.sep).join('/'),
      sha256: createHash('sha256').update(bytes).digest('hex'),
      size: bytes.length,
    };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Stops with one line when `zip` is missing, before any work. */
function requireZip(command) {
  const missing = missingPrograms(command, { zip: 'zip' });
  if (missing) throw new PackageError(missing);
}

/**
 * Runs a packaging script's `main`: a PackageError is one line prefixed with the script's
 * name and exit status 1; anything else its stack.
 * @param {string} script e.g. package-lambda
 * @param {() => void} main
 */
function runScript(script, main) {
  try {
    main();
  } catch (error) {
    console.error(error instanceof PackageError ? `${script}: ${error.message}` : error);
    process.exitCode = 1;
  }
}

module.exports = { PackageError, packageStaged, requireZip, runScript, workspaceRoot };
