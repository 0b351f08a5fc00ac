import { spawnSync } from 'node:child_process';
import path from 'node:path';

const workspace = path.resolve(__dirname, '../../..');

/** Lints `code` as if it were `file`, with the workspace's ESLint config, in its own process. */
async function importErrors(file: string, code: string): Promise<string[]> {
  const eslint = spawnSync(
    process.execPath,
    [
      require.resolve('eslint/bin/eslint.js'),
      '--stdin',
      '--stdin-filename',
      file,
      '--format',
      'json',
    ],
    { cwd: workspace, input: code, encoding: 'utf8' },
  );
  const [result] = JSON.parse(eslint.stdout) as {
    messages: { ruleId: string; message: string }[];
  }[];
  return result.messages
    .filter((m) => ['@nx/enforce-module-boundaries', 'no-restricted-imports'].includes(m.ruleId))
    .map((m) => m.message);
}

describe('module boundaries', () => {
  it('let an app import a library', async () => {
    const errors = await importErrors(
      'apps/thumbnail-worker/src/probe.ts',
      "import { originalKey } from '@gallery/storage';\nexport const key = originalKey;\n",
    );
    expect(errors).toEqual([]);
  });

  it.each([
    ['the message schema import storage', 'libs/message-schema/src/probe.ts', '@gallery/storage'],
    ['the web app import storage', 'apps/web/src/probe.ts', '@gallery/storage'],
    ['the web app import the AWS SDK', 'apps/web/src/probe.ts', '@aws-sdk/client-s3'],
    ['the api client import sharp', 'libs/api-client/src/probe.ts', 'sharp'],
    ['storage import messaging', 'libs/storage/src/probe.ts', '@gallery/messaging'],
    ['the api client use a Node built-in', 'libs/api-client/src/probe.ts', 'node:crypto'],
    ['the web app use a Node built-in', 'apps/web/src/probe.ts', 'fs'],
    [
      'a worker entry point reach test support',
      'apps/tags-worker/src/probe.ts',
      '@gallery/storage/testing',
    ],
  ])('do not let %s', async (_, file, module) => {
    const errors = await importErrors(
      file,
      `import * as probe from '${module}';\nexport const p = probe;\n`,
    );
    expect(errors).toHaveLength(1);
  });

  it('do not let a library import an app', async () => {
    const errors = await importErrors(
      'libs/storage/src/probe.ts',
      "import * as app from '../../../apps/api/src/app';\nexport const a = app;\n",
    );
    expect(errors).toHaveLength(1);
  });
});
