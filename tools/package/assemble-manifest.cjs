// Rewrites dist/lambda/manifest.json from the per-function files. A package task served from
// Nx's cache restores only its own files, so whatever deploys runs this first.
const path = require('node:path');
const { assembleManifest } = require('./manifest.cjs');

const outDir = path.resolve(__dirname, '../../dist/lambda');
const { functions } = assembleManifest(outDir);
for (const code of Object.values(functions)) console.log(`${code.name}: ${code.s3Key}`);
