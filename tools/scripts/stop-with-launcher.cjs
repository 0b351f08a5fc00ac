// Preloaded into every app the launcher starts: `node --require stop-with-launcher.cjs <bundle>`.
// The app's stdin is a pipe whose other end only the launcher holds, so it reaches end-of-file
// once the launcher is gone, however it went: the kernel closes a SIGKILLed process's files
// too. The app then sends itself SIGTERM, as the launcher would have, and its own graceful
// shutdown runs (fastify closes, a worker settles its batch in flight).
const { isMainThread } = require('node:worker_threads');

// Worker threads inherit --require, and their stdin is not the launcher's pipe.
if (isMainThread) {
  let stopped = false;
  const stopApp = () => {
    if (stopped) return;
    stopped = true;
    process.kill(process.pid, 'SIGTERM');
  };

  process.stdin.on('end', stopApp);
  // A reset pipe means the same as its end; without a listener it would crash the app instead.
  process.stdin.on('error', stopApp);
  // Read (and drop) whatever comes, or the end is never seen; unref, so that watching does not
  // keep an app alive that has shut down.
  process.stdin.resume();
  process.stdin.unref();
}
