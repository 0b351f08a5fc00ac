import { builtinModules } from 'node:module';
import nx from '@nx/eslint-plugin';

const nodeOnly = [
  'node:*',
  'fs',
  'path',
  'child_process',
  'pg',
  'sharp',
  '@aws-sdk/*',
  '@electric-sql/*',
];

/** Code that also runs in the browser: the web app and the libraries it may import. */
const browserCode = [
  'libs/message-schema/src/**/*.ts',
  'libs/processors/src/**/*.ts',
  'libs/api-client/src/**/*.ts',
  'apps/web/src/**/*.ts',
];

const testingImport = {
  regex: '^(@gallery/[^/]+|\\.{1,2})/testing$',
  message: 'Test support is for specs only.',
};

/** Test-support entries (`@gallery/<lib>/testing`): fakes and factories for specs only. */
const testSupport = ['libs/*/src/testing.ts'];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  { ignores: ['**/dist', '**/node_modules', '**/.nx', 'tmp', '.data', 'coverage'] },
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs', '**/*.cjs'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [],
          depConstraints: [
            // Libraries never reach into apps or tools.
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
            // The processor catalog is plain data and schemas: every side reads it.
            {
              sourceTag: 'scope:catalog',
              onlyDependOnLibsWithTags: [],
              bannedExternalImports: nodeOnly,
            },
            {
              sourceTag: 'scope:schema',
              onlyDependOnLibsWithTags: ['scope:catalog'],
              bannedExternalImports: nodeOnly,
            },
            { sourceTag: 'scope:storage', onlyDependOnLibsWithTags: ['scope:schema'] },
            {
              sourceTag: 'scope:client',
              onlyDependOnLibsWithTags: ['scope:schema', 'scope:catalog'],
              bannedExternalImports: nodeOnly,
            },
            {
              sourceTag: 'scope:messaging',
              onlyDependOnLibsWithTags: ['scope:schema', 'scope:catalog', 'scope:storage'],
            },
            {
              sourceTag: 'scope:worker-runtime',
              onlyDependOnLibsWithTags: [
                'scope:schema',
                'scope:catalog',
                'scope:messaging',
                'scope:storage',
                'scope:client',
              ],
            },
            // It may throw PermanentError from messaging.
            {
              sourceTag: 'scope:imaging',
              onlyDependOnLibsWithTags: ['scope:messaging', 'scope:schema'],
            },
            {
              sourceTag: 'scope:web',
              onlyDependOnLibsWithTags: ['scope:client', 'scope:schema', 'scope:catalog'],
              bannedExternalImports: nodeOnly,
            },
            // The processors' part of the CloudFormation template, rendered from the catalog.
            { sourceTag: 'scope:stack', onlyDependOnLibsWithTags: ['scope:catalog'] },
            {
              sourceTag: 'scope:infra',
              onlyDependOnLibsWithTags: ['scope:catalog', 'scope:stack'],
            },
          ],
        },
      ],
      // Test support never ships: no runtime file (a lambda.ts, a local.ts, the web app) reaches it.
      'no-restricted-imports': [
        'error',
        {
          patterns: [testingImport],
        },
      ],
    },
  },
  {
    // bannedExternalImports does not see Node's built-in modules: ban them here.
    files: browserCode,
    ignores: testSupport,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            testingImport,
            {
              group: ['node:*', ...builtinModules],
              message: 'This code also runs in the browser.',
            },
          ],
        },
      ],
    },
  },
  {
    // Like the specs that use them, test-support entries may use Node (a loopback server) and
    // any lib's port; they still never reach into an app.
    files: testSupport,
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [],
          depConstraints: [{ sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] }],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/test/**/*.ts', 'tools/**/*'],
    rules: { '@nx/enforce-module-boundaries': 'off', 'no-restricted-imports': 'off' },
  },
];
