// Where each function's code and each layer is, and under which S3 key it is deployed. One file
// per function and per layer (a task's own output, so Nx caches and restores it with its zip),
// and the combined `manifest.json` that deploying reads, assembled from every file present:
//   { "functions": { "<worker>": FunctionCode, … }, "layers": { "<layer>": LayerCode, … } }
// Every key holds the zip's SHA-256, so a key the artifact bucket has is that very zip.
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

/**
 * @typedef {object} LayerCode
 * @property {string} name the layer, e.g. `sharp`: the template's `SharpLayer`
 * @property {string} version the version of the package it holds (sharp's)
 * @property {string} zip the zip's path from the workspace root
 * @property {string} sha256 the zip's SHA-256, hex
 * @property {number} size the zip's size in bytes
 * @property {string} s3Key `lambda/layers/<name>/<version>/<sha256>.zip`: a template cannot
 *   name the version any other way, and a new key is a new layer version
 */

/** @returns {string} */
const s3KeyFor = (name, sha256) => `lambda/${name}/${sha256}.zip`;

/** @returns {string} */
const layerS3KeyFor = (name, version, sha256) => `lambda/layers/${name}/${version}/${sha256}.zip`;

/** Each section's per-entry files: functions in `manifest/`, layers in `manifest/layers/`. */
const SECTIONS = { functions: '', layers: 'layers' };

const sectionDir = (outDir, section) => path.join(outDir, 'manifest', SECTIONS[section]);

/** Written whole or not at all, also when two tasks write the same file. */
function writeAtomically(file, text) {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

const asJson = (value) => `${JSON.stringify(value, null, 2)}\n`;

/**
 * Writes `<outDir>/manifest/<name>.json` (a function) or `<outDir>/manifest/layers/<name>.json`.
 * @param {string} outDir
 * @param {keyof typeof SECTIONS} section
 * @param {FunctionCode | LayerCode} code
 */
function writeManifestEntry(outDir, section, code) {
  mkdirSync(sectionDir(outDir, section), { recursive: true });
  writeAtomically(path.join(sectionDir(outDir, section), `${code.name}.json`), asJson(code));
}

/** Every entry of one section, by name, in name order. */
function readSection(outDir, section) {
  const dir = sectionDir(outDir, section);
  mkdirSync(dir, { recursive: true });
  const entries = {};
  for (const file of readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()) {
    const code = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    entries[code.name] = code;
  }
  return entries;
}

/** @returns {{ functions: Record<string, FunctionCode>, layers: Record<string, LayerCode> }} */
const readEntries = (outDir) => ({
  functions: readSection(outDir, 'functions'),
  layers: readSection(outDir, 'layers'),
});

/**
 * Writes `<outDir>/manifest.json` from every per-function and per-layer file present and
 * returns it. Package tasks run in parallel: one may write its own file just after another
 * read the directory, then lose the rename race. So each goes again until what it wrote still
 * matches the directory; the last writer has then seen every file.
 * @param {string} outDir
 */
function assembleManifest(outDir) {
  for (;;) {
    const text = asJson(readEntries(outDir));
    writeAtomically(path.join(outDir, 'manifest.json'), text);
    if (asJson(readEntries(outDir)) === text) return JSON.parse(text);
  }
}

module.exports = { assembleManifest, layerS3KeyFor, s3KeyFor, writeManifestEntry };
