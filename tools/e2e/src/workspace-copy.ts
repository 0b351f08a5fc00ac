import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const workspace = path.resolve(__dirname, '../../..');

/**
 * Runs a command to its end and returns its output; Nx without daemon, cloud or TUI. The SHAs
 * nx-set-shas exports in CI (NX_BASE, NX_HEAD) name commits of the outer repository, which a
 * copy does not have: Nx would use them even beside `--base`, so they are left out.
 */
export function run(
  cwd: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): string {
  return execFileSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      NX_BASE: undefined,
      NX_HEAD: undefined,
      NX_DAEMON: 'false',
      NX_NO_CLOUD: 'true',
      NX_TUI: 'false',
      CI: 'true',
      ...env,
    },
  });
}

/** A copy of the workspace's files (not its history) in a fresh git repository. */
export function copyWorkspace(): string {
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

/** The projects `nx show projects --affected` lists against the copy's last commit. */
export function affectedProjects(dir: string, target?: string): string[] {
  const args = ['nx', 'show', 'projects', '--affected', '--base=HEAD', '--json'];
  return JSON.parse(run(dir, 'npx', target ? [...args, '-t', target] : args));
}
