// 5. Nx: what `affected` saves on the Lambda packages. In a throwaway clone of the repository
// (its committed state; node_modules linked from the workspace; Nx's cache its own, no
// daemon), each round appends a comment to a file only tags-worker uses and commits it, then
// times `nx affected -t package --base=HEAD~1` and `nx run-many -t package`, both without the
// cache, in alternating order; the clone is reset to its first commit between rounds. Then
// `nx run-many -t package` again with the cache, every task served from it. The tasks each
// run took are read from Nx's output.
const { spawnSync } = require('node:child_process');
const { appendFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync } = require('node:fs');
const { loadavg, tmpdir } = require('node:os');
const path = require('node:path');
const { stripVTControlCharacters } = require('node:util');
const { spreadText } = require('../lib/report.cjs');
const { alternate, summary } = require('../lib/stats.cjs');
const { WORKERS } = require('../../scripts/catalog.cjs');

const workspaceRoot = path.resolve(__dirname, '../../..');
const CHANGED_FILE = 'apps/tags-worker/src/process-record.ts';
/** What a change to CHANGED_FILE must package, and what packaging everything means. */
const AFFECTED = ['tags-worker'];
const ALL_PACKAGED = [...WORKERS].sort();

/** Nx as CI runs it, its cache in use unless a command says otherwise. */
const NX_ENV = {
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  NX_TUI: 'false',
  CI: 'true',
  NX_SKIP_NX_CACHE: 'false',
  NX_DISABLE_NX_CACHE: 'false',
};

function sh(cwd, command, args, env = {}) {
  const child = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...NX_ENV, ...env },
    maxBuffer: 64 * 2 ** 20,
  });
  if (child.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed in ${cwd}:\n${child.stdout}\n${child.stderr}`,
    );
  }
  return child.stdout;
}

const git = (dir, ...args) =>
  sh(dir, 'git', ['-c', 'user.name=bench', '-c', 'user.email=bench@localhost', ...args]);

/**
 * Runs `npx nx <args>` in `dir`; returns its wall time and its CPU time (user + system, of Nx
 * and every task process) in seconds, the tasks it ran (one `> nx run project:target` line
 * each) and those it read from the cache.
 */
function timeNx(dir, args) {
  // Outside the clone: Nx must not see it.
  const cpuFile = path.join(tmpdir(), `gallery-bench-nx-cpu-${process.pid}`);
  const nx = ['npx', 'nx', ...args, '--output-style=static'];
  const started = process.hrtime.bigint();
  const output = stripVTControlCharacters(
    sh(dir, '/usr/bin/time', ['-f', '%U %S', '-o', cpuFile, ...nx]),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const [user, system] = readFileSync(cpuFile, 'utf8').trim().split(/\s+/).map(Number);
  rmSync(cpuFile);
  const tasks = [];
  const cached = [];
  for (const line of output.split('\n')) {
    const task = /^> nx run (\S+:\S+)/.exec(line)?.[1];
    if (!task) continue;
    tasks.push(task);
    if (line.includes('[local cache]') || line.includes('[existing outputs match the cache')) {
      cached.push(task);
    }
  }
  return { seconds, cpuSeconds: user + system, tasks, cached };
}

const projectsOf = (tasks) => [...new Set(tasks.map((task) => task.split(':')[0]))].sort();
const sameList = (a, b) => a.length === b.length && a.every((item, i) => item === b[i]);

const secondsRow = (metric, values) => ({
  metric,
  value: summary(values).median,
  unit: 's',
  spread: spreadText(summary(values)),
});

/** A throwaway clone with the workspace's node_modules; `remove()` deletes it. */
function cloneWorkspace() {
  const dir = mkdtempSync(path.join(tmpdir(), 'gallery-bench-nx-'));
  sh(tmpdir(), 'git', ['clone', '-q', workspaceRoot, dir]);
  symlinkSync(path.join(workspaceRoot, 'node_modules'), path.join(dir, 'node_modules'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

async function run({ quick, log }) {
  const rounds = quick ? 1 : 3;
  const cachedRuns = quick ? 1 : 3;
  const loadBefore = loadavg()[0];
  const clone = cloneWorkspace();
  try {
    const { dir } = clone;
    const base = git(dir, 'rev-parse', 'HEAD').trim();
    log(`clone of ${base.slice(0, 12)} in ${dir}`);

    // Each round's change is committed once, before whichever side runs first.
    let preparedRound = -1;
    const prepare = (round) => {
      if (preparedRound === round) return;
      git(dir, 'reset', '-q', '--hard', base);
      appendFileSync(path.join(dir, CHANGED_FILE), `\n// bench round ${round + 1}\n`);
      git(dir, 'commit', '-qam', `bench: change ${CHANGED_FILE}`);
      preparedRound = round;
    };
    // Nx's project graph made once before the rounds, so that no side pays for it alone.
    timeNx(dir, ['show', 'projects']);

    const ran = { affected: [], runMany: [] };
    const cpu = { affected: [], runMany: [] };
    const side = (name, args) => async (round) => {
      prepare(round);
      const result = timeNx(dir, args);
      ran[name].push(result.tasks);
      cpu[name].push(result.cpuSeconds);
      const what = `${result.seconds.toFixed(1)} s, CPU ${result.cpuSeconds.toFixed(1)} s`;
      log(`round ${round + 1}: ${name} ${what} (${result.tasks.join(', ')})`);
      return result.seconds;
    };
    const times = await alternate(
      rounds,
      side('affected', ['affected', '-t', 'package', '--base=HEAD~1', '--skip-nx-cache']),
      side('runMany', ['run-many', '-t', 'package', '--skip-nx-cache']),
    );

    // The cache filled by one run with it; then the re-runs that are timed.
    timeNx(dir, ['run-many', '-t', 'package']);
    const cached = [];
    for (let i = 0; i < cachedRuns; i++) cached.push(timeNx(dir, ['run-many', '-t', 'package']));
    const last = cached[cached.length - 1];
    log(`cached re-run: ${last.cached.length} of ${last.tasks.length} tasks from the cache`);

    const affectedRan = projectsOf(ran.affected.flat());
    const runManyRan = projectsOf(ran.runMany.flat());
    const allCached = cached.every((result) => result.cached.length === result.tasks.length);
    const ratio = summary(times.ratios);
    const cpuRatio = summary(cpu.affected.map((seconds, round) => seconds / cpu.runMany[round]));
    return {
      name: '5. Nx',
      rows: [
        secondsRow(`affected -t package, ${AFFECTED.join(', ')} changed, no cache`, times.a),
        secondsRow('run-many -t package, no cache', times.b),
        {
          metric: 'affected / run-many time, per round',
          value: ratio.median,
          unit: '×',
          spread: spreadText(ratio),
        },
        secondsRow('affected, CPU time (user + system)', cpu.affected),
        secondsRow('run-many, CPU time (user + system)', cpu.runMany),
        {
          metric: 'affected / run-many CPU time, per round',
          value: cpuRatio.median,
          unit: '×',
          spread: spreadText(cpuRatio),
        },
        secondsRow(
          'run-many -t package again, from the cache',
          cached.map((r) => r.seconds),
        ),
        {
          metric: 'tasks read from the cache in that re-run',
          value: `${last.cached.length}/${last.tasks.length}`,
          unit: 'tasks',
          target: 'all',
          met: allCached,
        },
        {
          metric: 'projects affected packaged',
          value: affectedRan.join(', ') || 'none',
          unit: '',
          target: AFFECTED.join(', '),
          met: ran.affected.every((tasks) => sameList(projectsOf(tasks), AFFECTED)),
        },
        {
          metric: 'projects run-many packaged',
          value: runManyRan.join(', ') || 'none',
          unit: '',
          target: ALL_PACKAGED.join(', '),
          met: ran.runMany.every((tasks) => sameList(projectsOf(tasks), ALL_PACKAGED)),
        },
      ],
      notes: [
        `a clone of the committed HEAD (${base.slice(0, 12)}); uncommitted changes are not in it`,
        `affected ran: ${ran.affected[0].join(', ')}`,
        `run-many ran: ${ran.runMany[0].join(', ')}`,
        `the cached re-run read: ${last.cached.join(', ')}`,
        `load average ${loadBefore.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after`,
      ],
    };
  } finally {
    clone.remove();
  }
}

module.exports = { run };
