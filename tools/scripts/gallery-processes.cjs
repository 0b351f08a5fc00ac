// Starts the local Gallery as separate processes (the api and one worker per processor of the
// catalog) from their built bundles, as `npm start` and the end-to-end tests do.
const { spawn } = require('node:child_process');
const { once } = require('node:events');
const path = require('node:path');
const readline = require('node:readline');
const { WORKERS } = require('./catalog.cjs');

const root = path.resolve(__dirname, '../..');
const STOP_WITH_LAUNCHER = path.join(__dirname, 'stop-with-launcher.cjs');

const APPS = {
  api: 'dist/apps/api/main.js',
  ...Object.fromEntries(WORKERS.map((project) => [project, `dist/apps/${project}/local/index.js`])),
};

/**
 * @param {string} name one of APPS
 * @param {{ env?: NodeJS.ProcessEnv, onLine?: (app: string, line: string) => void }} options
 */
function startApp(name, { env = {}, onLine = () => undefined } = {}) {
  const bundle = path.join(root, APPS[name]);
  const child = spawn(process.execPath, ['--require', STOP_WITH_LAUNCHER, bundle], {
    cwd: root,
    // No load balancer watches these: an API stops at once instead of draining first.
    env: { SHUTDOWN_DRAIN_SECONDS: '0', ...process.env, ...env },
    // stdin is the app's lifeline: this process holds the only other end, never writes to it,
    // and the app stops itself when it closes (stop-with-launcher.cjs), so no app outlives
    // the process that started it, even one killed with SIGKILL.
    stdio: ['pipe', 'pipe', 'pipe'],
    // Its own process group and session: a Ctrl-C or a hangup in the terminal reaches only the
    // launcher, which then stops the apps in order.
    detached: true,
  });
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream }).on('line', (line) => onLine(name, line));
  }
  const exited = once(child, 'exit');
  return {
    name,
    child,
    exited,
    /** Asks the process to stop (SIGTERM by default) and waits for it. */
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/**
 * Starts every app on one data directory and port; resolves once the API answers.
 * @param {{ dataDir: string, port: number, host?: string, env?: NodeJS.ProcessEnv, onLine?: (app: string, line: string) => void }} options
 */
async function startGallery({ dataDir, port, host = '127.0.0.1', env = {}, onLine }) {
  const baseUrl = `http://${host}:${port}`;
  const shared = { ...env, DATA_DIR: dataDir };
  const api = startApp('api', { env: { ...shared, PORT: String(port), HOST: host }, onLine });
  await waitForApi(baseUrl, api);
  const workers = WORKERS.map((name) =>
    startApp(name, { env: { ...shared, API_URL: baseUrl }, onLine }),
  );
  // A caller may replace an app here (restart a worker); stop() stops whatever is there.
  const apps = Object.fromEntries([api, ...workers].map((app) => [app.name, app]));
  return {
    baseUrl,
    apps,
    /** Workers first, so that they can still report their batch in flight to the API. */
    async stop(signal) {
      const workerApps = Object.values(apps).filter((app) => app.name !== 'api');
      await Promise.all(workerApps.map((app) => app.stop(signal)));
      await apps.api.stop(signal);
    },
  };
}

async function waitForApi(baseUrl, api, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (api.child.exitCode !== null) throw new Error(`api exited with code ${api.child.exitCode}`);
    try {
      const response = await fetch(`${baseUrl}/api/auth/me`);
      await response.body?.cancel();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`api did not answer at ${baseUrl} within ${timeoutMs} ms`);
}

module.exports = { APPS, root, startApp, startGallery };
