// The processor catalog for the workspace's scripts: libs/processors/src/catalog.ts is plain
// data with type annotations, which Node.js strips as it loads the file.
const path = require('node:path');

/** @type {{ CATALOG: readonly import('../../libs/processors/src/catalog').ProcessorEntry[] }} */
const { CATALOG } = require(path.join(__dirname, '../../libs/processors/src/catalog.ts'));

/** The workers' Nx projects, in catalog order. */
const WORKERS = CATALOG.map((entry) => entry.project);

module.exports = { CATALOG, WORKERS };
