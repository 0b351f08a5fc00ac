module.exports = {
  displayName: 'api',
  preset: '../../jest.preset.js',
  transform: {
    '/@electric-sql/pglite/dist/.+\\.cjs$': '<rootDir>/test/dynamic-import-transform.cjs',
    '/@fastify/cookie/index\\.js$': '<rootDir>/test/dynamic-import-transform.cjs',
  },
  // These ship ES modules or load them with import(): Jest needs them transformed.
  transformIgnorePatterns: [
    '/node_modules/(?!(thumbhash|content-disposition|cookie|@fastify/cookie|@electric-sql/pglite)/)',
  ],
  // Opening a fresh PGlite (initdb in WebAssembly) takes seconds on a busy machine.
  testTimeout: 60_000,
};
