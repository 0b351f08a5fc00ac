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
            {
              sourceTag: 'scope:schema',
              onlyDependOnLibsWithTags: [],
              bannedExternalImports: nodeOnly,
            },
            { sourceTag: 'scope:storage', onlyDependOnLibsWithTags: ['scope:schema'] },
            {
              sourceTag: 'scope:client',
              onlyDependOnLibsWithTags: ['scope:schema'],
              bannedExternalImports: nodeOnly,
            },
            { sourceTag: 'scope:messaging', onlyDependOnLibsWithTags: ['scope:schema'] },
            {
              sourceTag: 'scope:web',
              onlyDependOnLibsWithTags: ['scope:client', 'scope:schema'],
              bannedExternalImports: nodeOnly,
            },
            { sourceTag: 'scope:infra', onlyDependOnLibsWithTags: [] },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/test/**/*.ts', 'tools/**/*'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
];
