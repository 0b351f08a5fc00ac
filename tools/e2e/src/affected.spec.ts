import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const workspace = path.resolve(__dirname, '../../..');

function run(cwd: string, command: string, args: string[]): string {
  return execFileSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', CI: 'true' },
  });
}

/** A copy of the workspace's files (not its history) in a fresh git repository. */
function copyWorkspace(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gallery-affected-'));
  const files = run(workspace, 'git', [
    'ls-files',
    '--cached',
    '--others',
    '--exclude-standard',
    '-z',
  ])
    .split('\0')
    .filter((file) => file && existsSync(path.join(workspace, file)));
  for (const file of files) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    cpSync(path.join(workspace, file), path.join(dir, file));
  }
  symlinkSync(path.join(workspace, 'node_modules'), path.join(dir, 'node_modules'));
  run(dir, 'git', ['init', '-q', '-b', 'main']);
  run(dir, 'git', ['add', '-A']);
  run(dir, 'git', ['-c', 'user.name=ci', '-c', 'user.email=ci@localhost', 'commit', '-qm', 'base']);
  return dir;
}

function affectedProjects(dir: string): string[] {
  return JSON.parse(
    run(dir, 'npx', ['nx', 'show', 'projects', '--affected', '--base=HEAD', '--json']),
  );
}

describe('nx affected', () => {
  let dir: string;
  beforeEach(() => {
    dir = copyWorkspace();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lists tags-worker and not thumbnail-worker after a change to a file only tags-worker uses', () => {
    appendFileSync(path.join(dir, 'apps/tags-worker/src/process-record.ts'), '\n// changed\n');

    const affected = affectedProjects(dir);

    expect(affected).toContain('tags-worker');
    expect(affected).not.toContain('thumbnail-worker');
    expect(affected).not.toContain('api');
  });

  it('lists both workers and the api after a change to a library they share', () => {
    appendFileSync(path.join(dir, 'libs/storage/src/keys.ts'), '\n// changed\n');

    const affected = affectedProjects(dir);

    expect(affected).toEqual(
      expect.arrayContaining(['storage', 'tags-worker', 'thumbnail-worker', 'api']),
    );
    expect(affected).not.toContain('web');
  });
});
