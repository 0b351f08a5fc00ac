module.exports = {
  displayName: 'tools',
  preset: '../jest.preset.js',
  // The end-to-end suite has its own config (tools/e2e/jest.config.cjs) and target.
  testMatch: ['<rootDir>/generators/**/*.spec.ts'],
};
