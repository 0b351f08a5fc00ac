// Where each function's code is and under which S3 key it is deployed. One file per function
// (a task's own output, so Nx caches and restores it with its zip), and the combined
// `manifest.json` that deploying reads, assembled from every per-function file present.
const { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const path = require('node:path');

/**
 * @typedef {object} FunctionCode
 * @property {string} name the project, and the function it becomes
 * @property {string} zip the zip's path from the workspace root
 * @property {string} sha256 the zip's SHA-256, hex
 * @property {number} size the zip's size in bytes
 * @property {string} s3Key named after the hash: a new key exactly when the code changed
 */

/** @returns {string} */
const s3KeyFor = (name, sha256) => `lambda/${name}/${sha256}.zip`;

const functionsDir = (outDir) => path.join(outDir, 'manifest');

/** Written whole or not at all, also when two tasks write the same file. */
function writeAtomically(file, text) {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

const asJson = (value) => `${JSON.stringify(value, null, 2)}\n`;

/**
 * Writes `<outDir>/manifest/<name>.json`.
 * @param {string} outDir
 * @param {FunctionCode} code
 */
function writeFunctionManifest(outDir, code) {
  mkdirSync(functionsDir(outDir), { recursive: true });
  writeAtomically(path.join(functionsDir(outDir), `${code.name}.json`), asJson(code));
}

/** @returns {{ functions: Record<string, FunctionCode> }} */
function readFunctions(outDir) {
  const files = readdirSync(functionsDir(outDir))
    .filter((file) => file.endsWith('.json'))
    .sort();
  const functions = {};
  for (const file of files) {
    /** @type {FunctionCode} */
    const code = JSON.parse(readFileSync(path.join(functionsDir(outDir), file), 'utf8'));
    functions[code.name] = code;
  }
  return { functions };
}

/**
 * Writes `<outDir>/manifest.json` from every per-function file present and returns it.
 * Package tasks run in parallel: one may write its own file just after another read the
 * directory, then lose the rename race. So each goes again until what it wrote still matches
 * the directory; the last writer has then seen every file.
 * @param {string} outDir
 */
function assembleManifest(outDir) {
  mkdirSync(functionsDir(outDir), { recursive: true });
  for (;;) {
    const text = asJson(readFunctions(outDir));
    writeAtomically(path.join(outDir, 'manifest.json'), text);
    if (asJson(readFunctions(outDir)) === text) return JSON.parse(text);
  }
}

module.exports = { assembleManifest, s3KeyFor, writeFunctionManifest };
