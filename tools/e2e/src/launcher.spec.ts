import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { ADMIN_PASSWORD, freePort, until } from './gallery';
import { workspace } from './workspace-copy';
const START = path.join(workspace, 'tools/scripts/start.cjs');
const APP_BUNDLES = [
  'dist/apps/api/main.js',
  'dist/apps/thumbnail-worker/local/index.js',
  'dist/apps/tags-worker/local/index.js',
];
/** However the launcher ends, its apps are gone this soon after. */
const STOP_DEADLINE_MS = 10_000;

/**
 * A real bug's exception, thrown from an event callback inside the launcher's process, at a
 * moment the test chooses: injected through Node's --import, so the launcher has no test hook.
 */
const THROW_ON_SIGUSR2 = `data:text/javascript,${encodeURIComponent(
  "process.on('SIGUSR2', () => { throw new Error('injected failure'); });",
)}`;

interface GalleryProcess {
  pid: number;
  command: string;
}

/** Every process whose command line or environment names the data directory. */
function processesOf(dataDir: string): GalleryProcess[] {
  const found: GalleryProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      const environment = readFileSync(`/proc/${pid}/environ`, 'utf8');
      // A zombie has neither any more: it is gone but for its exit status.
      if (command.includes(dataDir) || environment.includes(dataDir)) found.push({ pid, command });
    } catch {
      // It ended while we looked.
    }
  }
  return found;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

interface Launcher {
  /** What the test spawned: the launcher itself, or the shell it runs under. */
  child: ChildProcess;
  launcherPid: number;
  dataDir: string;
  port: number;
  /** The launcher's output, line by line, while the test reads it. */
  lines: string[];
}

/** The data directory of every launcher a test started, for the clean-up after it. */
const dataDirs: string[] = [];

/**
 * `npm start` as a person runs it (`node tools/scripts/start.cjs`), on a fresh data directory
 * and a free port, in a process group of its own, as a terminal gives it; resolves once the
 * api answers and both workers have started.
 */
async function startLauncher(
  options: { underShell?: boolean; nodeOptions?: string[] } = {},
): Promise<Launcher> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gallery-launcher-'));
  dataDirs.push(dataDir);
  const port = await freePort();
  const node = [process.execPath, ...(options.nodeOptions ?? []), START];
  // `; exit` keeps the shell from replacing itself with node: it stays the launcher's parent.
  const [command, ...args] = options.underShell
    ? ['sh', '-c', '"$@"; exit $?', 'sh', ...node]
    : node;
  const child = spawn(command, args, {
    cwd: workspace,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      ADMIN_PASSWORD,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('error', () => undefined); // a test closes it on purpose
    if (stream) createInterface({ input: stream }).on('line', (line) => lines.push(line));
  }
  await until(
    () =>
      ['Press Ctrl-C to stop.', 'thumbnail worker started', 'tags worker started'].every((text) =>
        lines.some((line) => line.includes(text)),
      ) || undefined,
    'the launcher to start every app',
    90_000,
  );
  // The scan sees the gallery while it runs, so that an empty scan later means something.
  const nodeProcesses = processesOf(dataDir).filter(({ command }) =>
    command.startsWith(process.execPath),
  );
  for (const program of [START, ...APP_BUNDLES]) {
    expect(nodeProcesses.filter(({ command }) => command.endsWith(program))).toHaveLength(1);
  }
  const launcherProcess = nodeProcesses.find(({ command }) => command.endsWith(START));
  // Never signal pid 0: that is the test's own process group.
  if (!launcherProcess) throw new Error('the launcher process was not found');
  return { child, launcherPid: launcherProcess.pid, dataDir, port, lines };
}

/** The launcher's exit code, or the signal that ended it, once it has exited. */
function exitOf(child: ChildProcess): Promise<number | NodeJS.Signals> {
  return until(
    () => child.exitCode ?? child.signalCode ?? undefined,
    'the launcher to exit',
    STOP_DEADLINE_MS,
  );
}

/** Waits until no process of the gallery is left and its port is free again. */
async function expectGalleryGone({ dataDir, port }: Launcher) {
  await until(
    () => (processesOf(dataDir).length === 0 ? true : undefined),
    'every process of the gallery to end',
    STOP_DEADLINE_MS,
  ).catch(() => undefined);
  expect(processesOf(dataDir)).toEqual([]);
  expect(await portIsFree(port)).toBe(true);
}

/** The workers stopped (after their batch in flight) before the api began to close. */
function expectWorkersStoppedBeforeApi(lines: string[]) {
  const at = (text: string) => lines.findIndex((line) => line.includes(text));
  const apiClosing = at('"msg":"closing"');
  expect(apiClosing).toBeGreaterThan(-1);
  expect(at('thumbnail worker stopped')).toBeGreaterThan(-1);
  expect(at('thumbnail worker stopped')).toBeLessThan(apiClosing);
  expect(at('tags worker stopped')).toBeGreaterThan(-1);
  expect(at('tags worker stopped')).toBeLessThan(apiClosing);
}

afterEach(() => {
  // A failed test must not leave its gallery running for the next one.
  for (const dataDir of dataDirs.splice(0)) {
    for (const { pid } of processesOf(dataDir)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // It ended meanwhile.
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
});

describe('the launcher (npm start) takes its apps with it', () => {
  it.each([
    ['SIGINT', 'Ctrl-C: to its process group', true],
    ['SIGTERM', 'to it alone', false],
    ['SIGHUP', 'as when its terminal closes', false],
  ] as const)(
    'stops the workers, then the api, and exits with 0 on %s (%s)',
    async (signal, _how, toGroup) => {
      const launcher = await startLauncher();

      process.kill(toGroup ? -launcher.launcherPid : launcher.launcherPid, signal);

      expect(await exitOf(launcher.child)).toBe(0);
      await expectGalleryGone(launcher);
      expect(launcher.lines).toContain(`Stopping (${signal})…`);
      expectWorkersStoppedBeforeApi(launcher.lines);
    },
  );

  it('stops the apps on SIGTERM to its process group even though its output is closed', async () => {
    const launcher = await startLauncher();

    launcher.child.stdout?.destroy();
    process.kill(-launcher.launcherPid, 'SIGTERM');

    expect(await exitOf(launcher.child)).toBe(0);
    await expectGalleryGone(launcher);
  });

  it('stops the apps when its output is closed, at the next line it writes', async () => {
    const launcher = await startLauncher();

    launcher.child.stdout?.destroy();
    // Any log line will do: the api logs each request.
    await fetch(`http://127.0.0.1:${launcher.port}/api/auth/me`).then((response) =>
      response.body?.cancel(),
    );

    expect(await exitOf(launcher.child)).toBe(0);
    await expectGalleryGone(launcher);
  });

  it('stops the apps in order when its parent dies', async () => {
    const launcher = await startLauncher({ underShell: true });

    launcher.child.kill('SIGKILL');

    await expectGalleryGone(launcher);
    expect(launcher.lines).toContain('Stopping (parent exited)…');
    expectWorkersStoppedBeforeApi(launcher.lines);
  });

  it('stops the apps in order and exits with 1 when an exception escapes in the launcher', async () => {
    const launcher = await startLauncher({ nodeOptions: ['--import', THROW_ON_SIGUSR2] });

    process.kill(launcher.launcherPid, 'SIGUSR2');

    expect(await exitOf(launcher.child)).toBe(1);
    await expectGalleryGone(launcher);
    expect(launcher.lines.join('\n')).toContain('injected failure');
    expectWorkersStoppedBeforeApi(launcher.lines);
  });

  it('stops the apps when the launcher is killed with SIGKILL and can do nothing itself', async () => {
    const launcher = await startLauncher();

    process.kill(launcher.launcherPid, 'SIGKILL');

    expect(await exitOf(launcher.child)).toBe('SIGKILL');
    await expectGalleryGone(launcher);
  });
});
