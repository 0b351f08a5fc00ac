const nxPreset = require('@nx/jest/preset').default;

/** Shared Jest settings: TypeScript through ts-jest, path aliases through Nx's resolver. */
module.exports = {
  ...nxPreset,
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': [
      'ts-jest',
      { tsconfig: '<rootDir>/tsconfig.spec.json', diagnostics: { warnOnly: false } },
    ],
  },
  // thumbhash ships only as ES modules: let ts-jest turn it into CommonJS.
  transformIgnorePatterns: ['/node_modules/(?!thumbhash/)'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
};
