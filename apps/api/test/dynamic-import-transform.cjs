const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');

const self = readFileSync(__filename);
const DYNAMIC_IMPORT = /\bimport\((["'])([@a-z0-9:/_.-]+)\1\)/g;

/**
 * Some dependencies (PGlite's CommonJS build, @fastify/cookie) load modules with
 * `import("…")`, which Jest's module sandbox refuses without --experimental-vm-modules.
 * Each of those becomes a `require` of the same module, taken before the code can shadow
 * the name `require` (PGlite does).
 */
module.exports = {
  process(source) {
    const code = source.replace(
      DYNAMIC_IMPORT,
      (_, quote, specifier) => `Promise.resolve(__sandboxRequire(${quote}${specifier}${quote}))`,
    );
    return { code: `const __sandboxRequire = require;${code}` };
  },
  getCacheKey(source) {
    return createHash('sha256').update(self).update(source).digest('hex');
  },
};
