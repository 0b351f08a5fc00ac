// Rewrites dist/lambda/manifest.json from the per-function and per-layer files. A package or
// sharp-layer task served from Nx's cache restores only its own files, so whatever deploys runs
// this first (`nx run tools:lambda-manifest`).
const path = require('node:path');
const { assembleManifest } = require('./manifest.cjs');

const outDir = path.resolve(__dirname, '../../dist/lambda');
const { functions, layers } = assembleManifest(outDir);
for (const code of Object.values(functions)) console.log(`${code.name}: ${code.s3Key}`);
for (const layer of Object.values(layers)) console.log(`${layer.name} layer: ${layer.s3Key}`);
