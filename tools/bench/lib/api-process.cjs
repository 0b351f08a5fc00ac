// The built API as its own process, on a free port, signed in as the administrator.
const { startApp } = require('../../scripts/gallery-processes.cjs');

const PASSWORD = 'bench-password';

/** Starts the built API on a free port; resolves once it says where it listens. */
async function startApi(dataDir, env = {}) {
  let announce;
  const announced = new Promise((resolve) => (announce = resolve));
  const lines = [];
  const app = startApp('api', {
    env: { DATA_DIR: dataDir, PORT: '0', ADMIN_PASSWORD: PASSWORD, LOG_LEVEL: 'warn', ...env },
    onLine: (_name, line) => {
      const url = /running at (http:\S+)/.exec(line)?.[1];
      if (url) announce(url);
      else lines.push(line);
    },
  });
  const baseUrl = await Promise.race([
    announced,
    app.exited.then(([code]) => {
      throw new Error(`api exited with code ${code}:\n${lines.join('\n')}`);
    }),
  ]);
  const login = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: PASSWORD }),
  });
  if (login.status !== 200) throw new Error(`login: ${login.status}`);
  const cookie = login.headers.get('set-cookie').split(';')[0];
  return { app, baseUrl, cookie, pid: app.child.pid };
}

module.exports = { startApi };
