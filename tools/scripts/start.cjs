// `npm start`: the whole Gallery on the embedded defaults, each app its own process.
//
// However the launcher ends, the apps end with it. While it still runs (Ctrl-C, SIGTERM, a
// closed terminal, its output gone, its parent gone, an uncaught exception) it stops them
// itself, workers first; if it dies outright (SIGKILL, a native crash) each app notices its
// stdin close and stops on its own (stop-with-launcher.cjs).
const path = require('node:path');
const { inspect } = require('node:util');
const { APPS, root, startGallery } = require('./gallery-processes.cjs');
const { logLineFormatter } = require('./log-line-format.cjs');

/** Each app's name in its own colour: cyan, magenta, yellow, green, blue, red, then again. */
const COLORS = Object.fromEntries(
  Object.keys(APPS).map((app, index) => [app, [36, 35, 33, 32, 34, 31][index % 6]]),
);

let gallery;
let stopping = false;
let outputGone = false;

/** Writes a line unless the output is gone: a failed write would only fail again. */
function say(stream, text) {
  if (!outputGone) stream.write(`${text}\n`);
}

/** Stops the apps, workers first (they may still report their batch to the api), and exits. */
async function stop(reason, exitCode = 0) {
  if (stopping) return;
  stopping = true;
  say(process.stdout, `\nStopping (${reason})…`);
  // Before the api answers no worker runs yet: exiting is enough, the api sees its stdin close.
  if (gallery) await gallery.stop('SIGTERM');
  process.exit(exitCode);
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stop(signal));

for (const stream of [process.stdout, process.stderr]) {
  // EPIPE (`npm start | head` ended) or EIO (the terminal closed): nobody reads us any more.
  stream.on('error', (error) => {
    outputGone = true;
    stop(`output closed: ${error.code}`);
  });
}

process.on('uncaughtException', (error) => {
  say(process.stderr, `The launcher failed: ${inspect(error)}`);
  // A failure while stopping: leave the rest to the apps' own watch on their stdin.
  if (stopping) process.exit(1);
  stop('launcher failed', 1);
});

// A launcher whose parent died (npm, killed) is adopted by another
// process; nothing but its parent id tells it so.
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid) stop('parent exited');
}, 500).unref();

async function main() {
  const dataDir = path.resolve(root, process.env.DATA_DIR ?? '.data');
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? '127.0.0.1';
  const { isTTY = false } = process.stdout;
  const format = logLineFormatter({ isTTY });
  const prefix = (app, line) => {
    const tag = isTTY ? `\x1b[${COLORS[app]}m${app.padEnd(16)}\x1b[0m` : app.padEnd(16);
    say(process.stdout, `${tag} ${format(line)}`);
  };

  gallery = await startGallery({ dataDir, port, host, onLine: prefix });
  say(process.stdout, `\nGallery is running at ${gallery.baseUrl}  (data in ${dataDir})`);
  say(
    process.stdout,
    process.env.ADMIN_PASSWORD
      ? 'Log in as "admin" with the password in ADMIN_PASSWORD.'
      : 'Log in as "admin": on the first start the api printed a generated password above; ' +
          'set ADMIN_PASSWORD to choose it instead.',
  );
  say(process.stdout, 'Press Ctrl-C to stop.\n');

  for (const app of Object.values(gallery.apps)) {
    app.exited.then(([code, signal]) => {
      if (!stopping)
        say(process.stderr, `${app.name} exited (${signal ?? code}); the others keep running.`);
    });
  }
}

main().catch((error) => {
  say(process.stderr, inspect(error));
  process.exit(1);
});
