import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { workspace } from './workspace-copy';

/** A PATH holding only this Node.js: a machine without zip, unzip or ImageMagick. */
function bareMachine() {
  const bin = mkdtempSync(path.join(tmpdir(), 'gallery-bare-path-'));
  symlinkSync(process.execPath, path.join(bin, 'node'));
  return bin;
}

/** `node <script> ...args` with nothing but Node.js on PATH. */
function runBare(bin: string, script: string, args: string[] = []) {
  return spawnSync(process.execPath, [script, ...args], {
    cwd: workspace,
    env: { ...process.env, PATH: bin },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('a command that needs a Debian package', () => {
  let bin: string;
  beforeAll(() => {
    bin = bareMachine();
  });
  afterAll(() => rmSync(bin, { recursive: true, force: true }));

  it('npm run bench stops at once with one line naming the packages to install', () => {
    const result = runBare(bin, 'tools/bench/run.cjs', ['--only', 'thumbnails,lambda']);

    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    // ImageMagick is at /usr/bin/convert or not, whatever PATH says.
    expect(result.stderr).toMatch(
      /^npm run bench needs zip, unzip(, \/usr\/bin\/convert)?: apt-get install zip unzip( imagemagick)?\n$/,
    );
  });

  it('packaging a Lambda stops with one line naming zip, not a spawn error', () => {
    const result = runBare(bin, 'tools/package/package-lambda.cjs', [
      '--project=tags-worker',
      '--project-root=apps/tags-worker',
    ]);

    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      'package-lambda: packaging a Lambda needs zip: apt-get install zip\n',
    );
  });

  it('npm test names what it lacks before running anything', () => {
    const result = spawnSync(process.execPath, ['tools/scripts/test-prerequisites.cjs'], {
      cwd: workspace,
      env: { ...process.env, PATH: bin, CHROMIUM_PATH: path.join(bin, 'no-chromium') },
      encoding: 'utf8',
    });

    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /^npm test needs zip, unzip, \S*no-chromium.*: apt-get install zip unzip chromium.*\n$/,
    );
  });
});
